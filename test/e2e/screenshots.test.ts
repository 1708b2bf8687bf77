// The README's pictures, taken from the real app on the real engine: presenter mode at 1920x1080 with 8
// receivers, the local demo in slow motion with packets in flight (at 1920x1080 and in a small window with
// Large type), and send mode live. They go to test-results/; `P2MP_SCREENSHOTS=docs` writes docs/screenshots/.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type ReceiverSession } from '../../src/shared/node/receiver.js';
import { presentEightReceivers } from './demo.js';
import { chromiumMissing, randomPort, SHOTS, useBrowserApp } from './harness.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

const DIR = process.env['P2MP_SCREENSHOTS'] === 'docs' ? join(process.cwd(), 'docs', 'screenshots') : SHOTS;

const data = (page: Page, name: string): Promise<number> =>
  page
    .getByTestId('timeline-drawn')
    .getAttribute(`data-${name}`)
    .then((v) => Number(v));

/** Waits until the diagram shows a loss and a timeout, stepping when in step mode. */
async function untilLossShown(page: Page, step: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if ((await data(page, 'drawn-drops')) > 0 && (await data(page, 'drawn-timeouts')) > 0) return;
    await step();
  }
}

describe.skipIf(chromiumMissing !== null)('README screenshots', () => {
  const browser = useBrowserApp('shots');
  const sessions: ReceiverSession[] = [];

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.stop()));
  });

  it('presenter mode and the local demo in slow motion, large and small', async () => {
    const { page } = await browser.open();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await presentEightReceivers(page);
    await untilLossShown(page, async () => {
      await page.keyboard.press('Space');
      await page.waitForTimeout(1400); // the round's flights land
    });
    await page.screenshot({ path: join(DIR, 'presenter.png') });

    // Slow motion, out of presenter mode: a round's packets caught in flight.
    await page.keyboard.press('s');
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Local demo' }).waitFor();
    const rounds = async (): Promise<number> =>
      Number(await page.getByTestId('timeline-totals').getAttribute('data-rounds'));
    const inFlight = async (): Promise<void> => {
      const before = await rounds();
      await expect.poll(rounds, { timeout: 10_000, interval: 20 }).toBeGreaterThan(before);
      await page.waitForTimeout(120);
    };
    await inFlight();
    await page.screenshot({ path: join(DIR, 'local-demo.png') });
    await inFlight();
    await page.locator('.timeline-panel').screenshot({ path: join(DIR, 'timeline.png') });

    await page.setViewportSize({ width: 1024, height: 640 });
    await page.getByLabel('Large type').check();
    await page.waitForTimeout(1200);
    await page.screenshot({ path: join(DIR, 'local-demo-small.png') });
    await page.getByRole('button', { name: 'Presenter mode' }).click();
    await page.waitForTimeout(1200);
    await page.screenshot({ path: join(DIR, 'presenter-small.png') });
  }, 120_000);

  it('send mode, live', async () => {
    const port = randomPort();
    const dir = join(browser.work(), 'shots-rx');
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < 3; i++)
      sessions.push(
        await startReceiver({
          port,
          bind: `127.0.0.${i + 2}`,
          destination: () => join(dir, `received-${i}.bin`),
          p: 0.2,
          seed: 2000 + i,
        }),
      );
    const source = join(browser.work(), 'lecture-notes.pdf');
    await writeFile(source, randomBytes(150_000));
    const { page, desktop } = await browser.open();
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.getByRole('tab', { name: 'Send' }).click();
    desktop.nextOpen = source;
    await page.getByRole('button', { name: 'Choose file…' }).click();
    for (let i = 0; i < 3; i++) {
      await page.getByLabel('New receiver').fill(`127.0.0.${i + 2}:${port}`);
      await page.getByLabel('New receiver').press('Enter');
    }
    await page.getByLabel('Slow motion').check();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await untilLossShown(page, () => page.waitForTimeout(500));
    await page.screenshot({ path: join(DIR, 'send.png') });
    await page.getByRole('button', { name: 'Cancel' }).click();
  }, 120_000);
});
