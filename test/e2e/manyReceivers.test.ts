// A lab of 30 in Chromium against real UDP on loopback (127.0.0.2-31, p = 0.1): the list pasted as a range and
// saved as a group, the summary line reaching 30/30 done, the compact table filtered and sorted while the
// transfer runs, with no layout shift and no sideways overflow at 1024x640 (nor with Large type), and axe-core
// clean in the light and the dark theme.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type ReceiverSession } from '../../src/shared/node/receiver.js';
import { violations } from './axe.js';
import { chromiumMissing, randomPort, SHOTS, useBrowserApp, type FakeDesktop } from './harness.js';
import {
  isOneLine,
  layoutShift,
  lineBox,
  overflowingElements,
  sidewaysOverflow,
  watchedLineBox,
  type LineBox,
  WATCH_LAYOUT_SHIFT,
  WATCH_LINE_BOX,
} from './pageScripts.js';
import { SCREENSHOT_DIR } from './screenshotDir.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

const RECEIVERS = 30;

describe.skipIf(chromiumMissing !== null)('30 receivers in Chromium', () => {
  const browser = useBrowserApp('many');
  const sessions: ReceiverSession[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.stop()));
  });

  /** The lab: our receivers on 127.0.0.2-31 at a new port, each dropping with probability p (seeded): its files. */
  async function startLab(p: number): Promise<{ port: number; outputs: string[] }> {
    const port = randomPort();
    const outputs: string[] = [];
    for (let i = 0; i < RECEIVERS; i++) {
      const dir = await mkdtemp(join(browser.work(), 'rx-'));
      outputs.push(join(dir, 'received.bin'));
      sessions.push(
        await startReceiver({
          port,
          bind: `127.0.0.${i + 2}`,
          destination: () => outputs[i]!,
          p,
          seed: 3000 + i,
        }),
      );
    }
    return { port, outputs };
  }

  /** In the Send view: `source` chosen in the dialog, and the lab added as a pasted range. */
  async function chooseAndAdd(page: Page, desktop: FakeDesktop, source: string, port: number) {
    await page.getByRole('tab', { name: 'Send' }).click();
    desktop.nextOpen = source;
    await page.getByRole('button', { name: 'Choose file…' }).click();
    await page.getByText(basename(source)).waitFor();
    await page.getByLabel('New receiver').fill(`127.0.0.2-31:${port}`);
    await page.getByRole('button', { name: `Add ${RECEIVERS}` }).click();
  }

  it('loads a file of hosts (a native picker, read by the page): comments, ranges, the 30 added', async () => {
    const hosts = join(browser.work(), 'room-2.14.txt');
    await writeFile(hosts, '# Room 2.14, benches then the teacher\n127.0.0.2-30\n127.0.0.31  # teacher\n');
    const { page } = await browser.open();
    await page.setViewportSize({ width: 800, height: 600 });
    await page.getByRole('tab', { name: 'Send' }).click();
    await page.getByLabel('File of hosts').setInputFiles(hosts);
    await page.getByRole('button', { name: 'Add 30' }).click();
    await expect.poll(() => page.getByLabel(/^Receiver \d+$/).count()).toBe(30);
    expect(await page.getByLabel('Receiver 30', { exact: true }).inputValue()).toBe('127.0.0.31');
    await page.getByRole('button', { name: 'Load file of hosts…' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'send-hosts-file-small.png') });
    // In a 1024x640 window the form is a narrow column: the field keeps room for a host:port, the buttons wrap.
    await page.setViewportSize({ width: 1024, height: 640 });
    const field = await page.getByLabel('New receiver').boundingBox();
    const rem = await page.evaluate('parseFloat(getComputedStyle(document.documentElement).fontSize)');
    expect(field!.width).toBeGreaterThanOrEqual(12 * (rem as number) - 1);
    await page.screenshot({ path: join(SHOTS, 'send-hosts-file-1024.png') });
  }, 60_000);

  it('sends to 30 receivers from the Send view: summary line, filter, sort, no shift, no overflow', async () => {
    const data = randomBytes(15_000);
    const source = join(browser.work(), 'handout.pdf');
    await writeFile(source, data);
    const { port, outputs } = await startLab(0.1);
    const { page, desktop, services } = await browser.open();
    await page.setViewportSize({ width: 1024, height: 640 });
    await chooseAndAdd(page, desktop, source, port);
    // 15 chunks; a timeout above the RTT of 30 receivers served by this one busy process, so that what is
    // retransmitted was lost (p), not merely late.
    await page.getByLabel('MSS (bytes)').fill('1000');
    await page.getByLabel('Timeout').fill('250');

    // Saved as a group, through main's validation into the settings file.
    await page.getByLabel('Save the receivers as').fill('Room 2.14');
    await page.getByRole('button', { name: 'Save group' }).click();
    await expect
      .poll(async () =>
        (await services.settings.get()).receiverGroups.map((g) => [g.name, g.receivers.length]),
      )
      .toEqual([['Room 2.14', RECEIVERS]]);
    await page.locator('.saved-groups').screenshot({ path: join(SHOTS, 'saved-groups.png') });

    await page.evaluate(WATCH_LAYOUT_SHIFT);
    await page.evaluate(WATCH_LINE_BOX('.timeline-current'));
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // Watched where the receivers are, at the top (Start is below the 30 entries).
    await page.evaluate('window.scrollTo(0, 0)');
    const line = page.getByTestId('receiver-summary');
    await line.waitFor();
    // Sorted while it runs: the rows re-sort live, in place.
    await page.getByLabel('Sort by').selectOption('retransmissions');
    await page.screenshot({ path: join(SHOTS, 'send-30-small.png') });
    await expect.poll(() => line.textContent(), { timeout: 30_000 }).toBe(`${RECEIVERS}/${RECEIVERS} done`);
    await page.getByRole('heading', { name: 'Summary' }).waitFor();
    await page.waitForTimeout(300);
    const shift = await page.evaluate<{ total: number; sources: string[] }>(layoutShift);
    console.log(
      `[layout shift, 30 receivers] ${shift.total.toFixed(4)} ${shift.sources.slice(0, 8).join(' | ')}`,
    );
    expect(shift.total).toBeLessThan(0.1);
    // The sender's state line, measured every frame while up to 30 receivers owed an ACK: never a second line.
    const state = await page.evaluate<LineBox & { frames: number }>(watchedLineBox);
    console.log(`[state line, 30 receivers] ${JSON.stringify(state)}`);
    expect(state.frames).toBeGreaterThan(0);
    expect(state.owed).toBeGreaterThan(0);
    expect(isOneLine(state)).toBe(true);
    // And never cut: as many names as fit whole ("127.0.0.2:21459, 127.0.0.3:21459, 1…" before).
    expect(state.cut).toBeLessThanOrEqual(1);
    const overflowing = async (): Promise<string[]> =>
      (await page.evaluate<number>(sidewaysOverflow)) > 0 ? page.evaluate<string[]>(overflowingElements) : [];
    expect(await overflowing()).toEqual([]);

    // Most retransmissions first, every receiver listed; none failed.
    const rows = page.locator('[data-testid^=receiver-row-]');
    const retransmissions = (await rows.locator('[data-testid=retransmissions]').allTextContents()).map(
      Number,
    );
    expect(retransmissions).toHaveLength(RECEIVERS);
    expect(retransmissions).toEqual([...retransmissions].sort((a, b) => b - a));
    expect(retransmissions[0]).toBeGreaterThan(0);
    await page.getByLabel('Show', { exact: true }).selectOption('failed');
    await page.getByText(`None of the ${RECEIVERS} receivers match the filter.`).waitFor();
    expect(await rows.count()).toBe(0);
    await page.getByLabel('Show', { exact: true }).selectOption('all');
    await page.getByLabel('Find').fill('127.0.0.17');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Find').fill('');
    await page.getByLabel('Find').blur();

    expect(await violations(page)).toEqual([]);
    await page.getByLabel('Theme').selectOption('dark');
    await page.getByLabel('Large type').check();
    expect(await overflowing()).toEqual([]);
    expect(isOneLine(await page.evaluate<LineBox>(lineBox('.timeline-current')))).toBe(true);
    expect(await violations(page)).toEqual([]);
    await page.getByLabel('Large type').uncheck();
    await page.getByLabel('Theme').selectOption('light');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'send-30.png') });

    const results = await Promise.all(sessions.map((s) => s.done));
    expect(results.every((r) => r.ok)).toBe(true);
    for (const output of outputs) expect((await readFile(output)).equals(data)).toBe(true);
  }, 60_000);
  it('in a small window, shows the transfer above the form, in view as soon as Start is pressed', async () => {
    const source = join(browser.work(), 'quiz.pdf');
    await writeFile(source, randomBytes(20_000));
    const { port } = await startLab(0);
    const { page, desktop } = await browser.open();
    await page.setViewportSize({ width: 800, height: 600 });
    await chooseAndAdd(page, desktop, source, port);
    // Start is below the 30 receivers: pressed there, the transfer is what comes into view, not more of the form.
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const progress = page.getByRole('region', { name: 'Progress' });
    await progress.waitFor();
    const inView = async (): Promise<boolean> => {
      const box = await progress.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= 600;
    };
    await expect.poll(inView).toBe(true);
    await expect
      .poll(() => page.getByTestId('receiver-summary').textContent(), { timeout: 30_000 })
      .toBe(`${RECEIVERS}/${RECEIVERS} done`);
    // Done, it stays above the form, where it was watched: the summary does not jump below 30 receivers.
    const summary = await page.getByRole('heading', { name: 'Summary' }).boundingBox();
    const form = await page.getByRole('form', { name: 'Send settings' }).boundingBox();
    expect(summary!.y).toBeLessThan(form!.y);
    // And it is still in view: the focus passing back from Cancel to Start did not scroll to the form's bottom.
    expect(await inView()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'send-30-800.png') });
  }, 60_000);
});
