// A lab with hosts missing, in Chromium at 1024x640 (a laptop's window): 36 receivers on 127.0.0.2-37 and the range
// pasted as 127.0.0.2-40, so 127.0.0.38-40 answer nothing at all. What the user sees through the offer, the wait
// for the absent hosts (30 s, the receiver timeout) and the end: every address and failure readable in full, the
// wait explained, the end not dressed as complete, and nothing jumping from one phase to the next.
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type ReceiverSession } from '../../src/shared/node/receiver.js';
import { chromiumMissing, randomPort, SHOTS, useBrowserApp } from './harness.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

const LIVE = 36;
const LISTED = 39;

/** Where the things that must not move are, in page pixels (rounded). */
const PLACES = `(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [Math.round(r.x), Math.round(r.y + scrollY), Math.round(r.width)]; };
  const parts = [...document.querySelectorAll('[data-testid=receiver-summary] > span')];
  return {
    summary: box(document.querySelector('[data-testid=receiver-summary]')),
    lastPart: box(parts.at(-1)),
    scroll: box(document.querySelector('.receiver-scroll')),
    columns: [...document.querySelectorAll('.receiver-table.compact thead th')].map(box),
  };
})()`;

/** Every compact row's name cell and note line: its text, and whether any of it is cut. */
const ROWS = `[...document.querySelectorAll('.receiver-table.compact tbody th, .receiver-table.compact .note-row td')]
  .map((el) => ({ text: el.textContent, cut: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1 }))`;

describe.skipIf(chromiumMissing !== null)('3 absent hosts among 39 receivers in Chromium', () => {
  const browser = useBrowserApp('absent');
  const sessions: ReceiverSession[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.stop()));
  });

  const shoot = async (page: Page, name: string): Promise<void> => {
    for (const [width, height] of [
      [1024, 640],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(SHOTS, `send-absent-${name}-${width}.png`) });
    }
    await page.setViewportSize({ width: 1024, height: 640 });
  };

  it('says what the transfer waits on, keeps every address and failure whole, and ends 36 of 39', async () => {
    const port = randomPort();
    for (let i = 0; i < LIVE; i++) {
      const dir = await mkdtemp(join(browser.work(), 'rx-'));
      sessions.push(
        await startReceiver({ port, bind: `127.0.0.${i + 2}`, destination: () => join(dir, 'r.bin'), p: 0 }),
      );
    }
    const source = join(browser.work(), 'handout.pdf');
    await writeFile(source, randomBytes(40_000));
    const { page, desktop } = await browser.open();
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.getByRole('tab', { name: 'Send' }).click();
    desktop.nextOpen = source;
    await page.getByRole('button', { name: 'Choose file…' }).click();
    await page.getByText(basename(source)).waitFor();
    await page.getByLabel('New receiver').fill(`127.0.0.2-40:${port}`);
    await page.getByRole('button', { name: `Add ${LISTED}` }).click();
    await page.getByLabel('MSS (bytes)').fill('1000');
    // T = 1 s: the offer phase lasts 5 s (5 offers to the absent hosts), long enough to be looked at.
    await page.getByLabel('Timeout').fill('1000');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.evaluate('window.scrollTo(0, 0)');

    // The offer: when the data really starts.
    const note = page.getByTestId('wait-note');
    await expect
      .poll(() => note.textContent(), { timeout: 5_000 })
      .toMatch(/^Offering the file \(39\.1 KiB\)/);
    expect(await note.textContent()).toContain(
      'The data starts once each has answered, or stayed silent through 5 offers 1 s apart: a silent one then ' +
        'gets the course protocol (a course receiver, or nothing there).',
    );
    expect(await page.getByText('every receiver has answered').count()).toBe(0);
    const offering = await page.evaluate<Record<string, number[] | number[][]>>(PLACES);
    await shoot(page, 'offering');

    // The data: the absent hosts named, why the others wait, and for how long at most.
    const absent = [38, 39, 40].map((host) => `127.0.0.${host}:${port}`);
    await expect.poll(() => note.textContent(), { timeout: 20_000 }).toMatch(/^No answer at all yet/);
    expect(await note.textContent()).toBe(
      `No answer at all yet from ${absent[0]}, ${absent[1]} and ${absent[2]}: not to the offer, not one ACK. ` +
        'The 36 others wait for them: stop-and-wait sends the next chunk only once every receiver has ACKed. ' +
        'Each is given up on after 30 s without an ACK (the receiver timeout).',
    );
    // The top and the rows say what each counts: none of the file has reached all 39, each live one has chunk 1.
    expect(await page.locator('.progress-text').textContent()).toBe('0.0%');
    expect(await page.locator('.progress-of').textContent()).toBe('ACKed by all 39');
    await expect.poll(() => page.getByTestId('receiver-summary').textContent()).toContain('3 retransmitting');
    // Nothing moved from the offer: the summary line (and its last part), the table and its columns.
    expect(await page.evaluate(PLACES)).toEqual(offering);
    // Every row's name and address whole, and no note cut.
    const rows = await page.evaluate<{ text: string; cut: boolean }[]>(ROWS);
    expect(rows.filter((r) => r.cut)).toEqual([]);
    for (let host = 2; host <= 40; host++)
      expect(rows.map((r) => r.text)).toContain(`127.0.0.${host}:${port}`);
    await shoot(page, 'waiting');

    // The end: 36 of 39 got the whole file, 3 did not, and why, in full.
    await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 60_000 });
    await page.evaluate('window.scrollTo(0, 0)');
    const row = page.locator('.progress-row');
    expect(await row.textContent()).toBe('36/39receivers got the whole file3 did not');
    expect(await row.textContent()).not.toContain('100%');
    expect(await page.locator('.stats dt').first().textContent()).toBe('Chunks to 36 of 39');
    expect(await page.locator('.stats dt').nth(1).textContent()).toBe('Data to 36 of 39');
    expect(await note.textContent()).toBe(
      `36 of 39 receivers got the whole file; 3 did not: ${absent[0]}, ${absent[1]} and ${absent[2]} (their ` +
        'rows and the summary say why).',
    );
    await page.getByLabel('Sort by').selectOption('state');
    const ended = await page.evaluate<{ text: string; cut: boolean }[]>(ROWS);
    expect(ended.filter((r) => r.cut)).toEqual([]);
    const failures = ended.filter((r) => r.text.startsWith('no ACK for sequence number 1 within 30.0 s'));
    expect(failures).toHaveLength(3);
    await shoot(page, 'ended');
  }, 120_000);
});
