// "Check an implementation" in Chromium against the real checkers on loopback: our own receiver checked from the
// screen passes every course rule, with the datagrams as evidence; our own sender, started against the receivers
// the screen plays, too. The screen has no axe violations in either theme. Its README picture is taken here
// (test-results/, or docs/screenshots/ with P2MP_SCREENSHOTS=docs).
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServer } from '../../src/shared/node/endpoints.js';
import { startReceiver, type ReceiverSession } from '../../src/shared/node/receiver.js';
import { send } from '../../src/shared/node/sender.js';
import { violations } from './axe.js';
import { chromiumMissing, randomPort, SHOTS, useBrowserApp } from './harness.js';
import { SCREENSHOT_DIR } from './screenshotDir.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

const result = (page: Page) => page.locator('.check-result');
const verdicts = (page: Page, status: string) => page.locator(`.check-verdicts .badge-${status}`).count();

describe.skipIf(chromiumMissing !== null)('Check an implementation in Chromium', () => {
  const browser = useBrowserApp('check');
  const sessions: ReceiverSession[] = [];

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.stop()));
  });

  it('checks our own receiver from the screen: every course rule passes, with the evidence', async () => {
    const port = randomPort();
    sessions.push(
      await startReceiver({
        port,
        bind: '127.0.0.2',
        destination: () => join(browser.work(), 'probed.bin'),
        p: 0,
      }),
    );
    const { page, desktop } = await browser.open();
    await page.getByRole('tab', { name: 'Check an implementation' }).click();
    const address = page.getByLabel('Receiver address');
    await address.fill('example.com');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/enter the receiver's address as numbers/);
    expect(await page.getByRole('button', { name: 'Start check' }).isDisabled()).toBe(true);
    await address.fill('8.8.8.8');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/not on this machine or a local network/);
    await address.fill('127.0.0.2');
    await page.getByLabel('Its port').fill(String(port));
    await page.getByRole('button', { name: 'Start check' }).click();
    await expect
      .poll(() => page.getByRole('tabpanel').getByRole('status').first().textContent())
      .toBe(`Checking the receiver at 127.0.0.2:${port}…`);
    await expect
      .poll(() => result(page).textContent(), { timeout: 60_000 })
      .toBe('Result: every course rule passes');
    expect(await verdicts(page, 'pass')).toBe(14);
    expect(await page.locator('.check-talk code').textContent()).toBe('--dialect standard');
    await page.getByRole('button', { name: 'Copy --dialect standard' }).click();
    await expect.poll(() => desktop.copied).toEqual(['--dialect standard']);
    // The evidence: probes and ACKs on the diagram and in the list.
    const totals = page.getByTestId('timeline-totals');
    await expect.poll(async () => Number(await totals.getAttribute('data-sends'))).toBeGreaterThan(0);
    expect(Number(await totals.getAttribute('data-acks'))).toBeGreaterThan(0);
    expect(
      Number(await page.getByTestId('timeline-drawn').getAttribute('data-drawn-arrows')),
    ).toBeGreaterThan(0);
    const rows = page.getByRole('region', { name: 'Datagrams exchanged' }).locator('tbody tr');
    expect(await rows.first().textContent()).toMatch(/^\d+→ receiver127\.0\.0\.2:\d+1segment, 100 bytes$/);
    expect(await rows.nth(1).textContent()).toMatch(/← receiver127\.0\.0\.2:\d+1ACK 1$/);
    expect((await sessions[0]!.done).ok).toBe(true); // the end-of-file probe ended it
  }, 90_000);

  it('checks our own sender against the receivers it plays, in both themes without axe violations', async () => {
    const data = randomBytes(2_500);
    const file = join(browser.work(), 'sent.bin');
    await writeFile(file, data);
    const port = randomPort();
    const { page, desktop } = await browser.open();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByRole('tab', { name: 'Check an implementation' }).click();
    expect(await violations(page)).toEqual([]);
    await page.getByLabel('A sender: this app plays its receivers').check();
    await page.getByLabel('Port the receivers listen on').fill(String(port));
    // The file the sender will send, picked in the dialog: every receiver's bytes are compared with it.
    desktop.nextOpen = file;
    await page
      .getByRole('group', { name: 'The file your sender sends (optional)' })
      .getByRole('button', { name: 'Choose file…' })
      .click();
    await page.getByText('sent.bin').waitFor();
    await page.getByRole('button', { name: 'Start check' }).click();
    const status = page.getByRole('tabpanel').getByRole('status').first();
    await expect
      .poll(() => status.textContent())
      .toBe(`Start your sender now: 127.0.0.2 127.0.0.3 127.0.0.4 port ${port}`);
    const sent = await send({
      file,
      receivers: ['127.0.0.2', '127.0.0.3', '127.0.0.4'].map((host) => parseServer(`${host}:${port}`, port)),
      mss: 500,
    });
    expect(sent.ok).toBe(true);
    await expect
      .poll(() => result(page).textContent(), { timeout: 30_000 })
      .toBe('Result: every course rule passes');
    expect(await verdicts(page, 'fails')).toBe(0);
    expect(await page.locator('[data-rule="file"]').textContent()).toMatch(
      /^pass.*holds \S*sent\.bin byte for byte \(2500 bytes\)/,
    );
    expect(await page.locator('.check-talk code').textContent()).toBe(
      `p2mpserver ${port} FILE P --dialect standard`,
    );
    // Withheld ACKs show on the diagram as retransmissions.
    await expect
      .poll(async () => Number(await page.getByTestId('timeline-totals').getAttribute('data-resends')))
      .toBeGreaterThan(0);
    for (const theme of ['dark', 'light'] as const) {
      await page.getByLabel('Theme').selectOption(theme);
      expect(await violations(page), theme).toEqual([]);
    }
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'check.png') });
    // For review: the whole report with its evidence, and the screen in a small window with Large type.
    await page.screenshot({ path: join(SHOTS, 'check-full.png'), fullPage: true });
    await page.setViewportSize({ width: 900, height: 700 });
    await page.getByLabel('Large type').check();
    await page.screenshot({ path: join(SHOTS, 'check-small.png') });
  }, 90_000);
});
