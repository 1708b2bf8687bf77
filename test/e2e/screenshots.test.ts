// The README's pictures, taken from the real app on the real engine: presenter mode at 1920x1080 with 8
// receivers, the local demo in slow motion with packets in flight (at 1920x1080 and in a small window with
// Large type), a click to lose through the simulated network and its replay, send mode and receive mode live,
// the Experiments screen after a reduced run, and Compare (projector view at 1920x1080, a 1024x640 window; in slow
// motion with its sender windows, also at 800x600). They go to test-results/; `P2MP_SCREENSHOTS=docs` writes
// docs/screenshots/.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type ReceiverSession } from '../../src/shared/node/receiver.js';
import { send } from '../../src/shared/node/sender.js';
import { TimelineKind } from '../../src/shared/live/timeline.js';
import { cleanNetwork, pickArrow, presentEightReceivers, startDemo } from './demo.js';
import { chromiumMissing, randomPort, useBrowserApp } from './harness.js';
import { smallestText } from './pageScripts.js';
import { SCREENSHOT_DIR } from './screenshotDir.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

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
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'presenter.png') });

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
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'local-demo.png') });
    await inFlight();
    await page.locator('.timeline-panel').screenshot({ path: join(SCREENSHOT_DIR, 'timeline.png') });

    await page.setViewportSize({ width: 1024, height: 640 });
    await page.getByLabel('Large type').check();
    await page.waitForTimeout(1200);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'local-demo-small.png') });
    await page.getByRole('button', { name: 'Presenter mode' }).click();
    await page.waitForTimeout(1200);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'presenter-small.png') });
  }, 120_000);

  it('a click to lose: the chosen packet lost mid-way, its timeout and retransmission; then its replay', async () => {
    const { page, services, desktop } = await browser.open();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await cleanNetwork(page);
    await startDemo(page, { mss: 2000, pace: 'Step', timeout: 500 });
    const next = page.getByRole('button', { name: 'Next round' });
    const rounds = async (): Promise<number> =>
      Number(await page.getByTestId('timeline-totals').getAttribute('data-rounds'));
    for (let round = 1; round <= 2; round++) {
      await expect.poll(() => next.isEnabled(), { timeout: 10_000 }).toBe(true);
      await next.click();
      await expect.poll(rounds).toBe(round);
    }
    await page.waitForTimeout(1300); // the round's flights land
    const second = services.recording('demo')!.session.receivers[1]!.label;
    expect(await pickArrow(page, new RegExp(`^Chunk 3 to ${second}, next round`))).not.toBeNull();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('timeline-tip').textContent()).toContain('Chosen');
    await page
      .locator('.timeline-panel')
      .screenshot({ path: join(SCREENSHOT_DIR, 'click-to-lose-chosen.png') });
    await page.keyboard.press('Escape');
    await next.click();
    await expect.poll(() => data(page, 'drawn-net-losses')).toBe(1);
    await expect.poll(() => data(page, 'drawn-timeouts')).toBe(1);
    // The loss mid-way, the timeout, and the next round: the retransmission, to that receiver only.
    await page.waitForTimeout(1300);
    await page.locator('.timeline-panel').screenshot({ path: join(SCREENSHOT_DIR, 'click-to-lose.png') });
    await next.click();

    // To the end at full speed, saved, and opened in Replay halfway through.
    await page.getByLabel('Full speed').check();
    await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 60_000 });
    desktop.saveTo = join(browser.work(), 'shots.p2mptl');
    await page.getByRole('button', { name: 'Save recording…' }).click();
    await page.getByText(`Saved to ${desktop.saveTo}`).waitFor();
    await page.getByRole('tab', { name: 'Replay' }).click();
    desktop.nextOpen = desktop.saveTo;
    await page.getByRole('button', { name: 'Open recording…' }).click();
    const position = page.getByLabel('Position');
    await position.waitFor();
    // Just after the retransmission: the chosen loss, its timeout and the retransmission in view.
    const events = services.recording('demo')!.events;
    const resent = events.findIndex((v, i) => i % 4 === 1 && v === TimelineKind.resend);
    expect(resent).toBeGreaterThan(0);
    await position.fill(String(events[resent - 1]! + 300));
    // Wide enough to hold the loss seconds before (the teacher took their time).
    for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'Zoom out' }).click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'replay.png') });
  }, 120_000);

  it('receive mode, live', async () => {
    const source = join(browser.work(), 'handout.pdf');
    await writeFile(source, randomBytes(200_000));
    const folder = join(browser.work(), 'received');
    await mkdir(folder, { recursive: true });
    const port = randomPort();
    const { page, desktop } = await browser.open();
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.getByRole('tab', { name: 'Receive' }).click();
    await page.getByLabel('Port').fill(String(port));
    await page.getByLabel('Bind address').fill('127.0.0.5');
    await page.getByLabel(/Loss probability p/).fill('0.1');
    desktop.nextOpen = folder;
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    await page.getByRole('button', { name: 'Start listening' }).click();
    await page.getByText(`Listening on 127.0.0.5:${port}`).waitFor();
    const sending = send({
      file: source,
      receivers: [{ host: '127.0.0.5', port, label: 'rx' }],
      mss: 1000,
    });
    // The offer, as the user sees it, then accepted.
    const accept = page.getByRole('button', { name: 'Accept' });
    await accept.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'receive-offer.png') });
    await accept.click();
    const result = await sending;
    expect(result.ok).toBe(true);
    await page.getByRole('button', { name: 'Show in folder' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'receive.png') });
    await page.getByRole('button', { name: 'Stop' }).click();
  }, 60_000);

  it('experiments after a reduced run', async () => {
    const { page, services } = await browser.open();
    await page.setViewportSize({ width: 1600, height: 1000 });
    await services.settings.update({
      labGrid: { '1': [1, 3, 5], '2': [200, 500, 1000], '3': [0.02, 0.05, 0.1] },
      mode: 'experiments',
    });
    await page.reload();
    await page.getByRole('tab', { name: 'Experiments', selected: true }).waitFor();
    await page.getByLabel('Repeat K').fill('2');
    await page.getByLabel('Timeout T').fill('0.005');
    await page.getByLabel('Size').fill('20');
    await page.getByLabel('Random seed').fill('3');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.locator('.lab-progress[data-phase=done]').waitFor({ timeout: 40_000 });
    await page.getByTestId('study-chart-3').waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'experiments.png'), fullPage: true });
  }, 60_000);

  /** Compare at 1920x1080 with segments of 4000 bytes and the seed of the README's pictures. */
  async function openCompare(): Promise<Page> {
    const { page, services } = await browser.open();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await services.settings.update({ mode: 'compare', mss: 4000, port: randomPort() });
    await page.reload();
    await page.getByRole('tab', { name: 'Compare', selected: true }).waitFor();
    await page.getByLabel('Seed of the loss pattern').fill('2024');
    return page;
  }

  it('compare: the three lanes and their table, projector view at 1920x1080 and in a 1024x640 window', async () => {
    const page = await openCompare();
    await page.getByRole('button', { name: 'Start comparison' }).click();
    await page.locator('.compare-table td.verified').nth(1).waitFor({ timeout: 90_000 });
    await page.locator('.compare-table .winner-badge').waitFor();
    await page.getByRole('button', { name: 'Hide settings (projector)' }).click();
    await page.waitForTimeout(800);
    // Read from the back of a room: no text in the projector view below 16 px at 1920x1080 (legend, pace, hashes).
    const smallest = await page.evaluate<{ px: number; text: string }>(smallestText('.compare-view'));
    console.log(`[compare projector] smallest text ${smallest.px}px: "${smallest.text}"`);
    expect(smallest.px).toBeGreaterThanOrEqual(16);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'compare.png') });
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'compare-small.png') });
  }, 120_000);

  it('compare in slow motion: the sender window drawn in each diagram, projector view and an 800x600 window', async () => {
    const page = await openCompare();
    await page.getByLabel('Window W (windowed protocols)').fill('4');
    await page.getByLabel('Slow motion').check();
    await page.getByRole('button', { name: 'Start comparison' }).click();
    // Mid-transfer: Go-Back-N's band has slid a few times (a bound, not a measure).
    const gbn = page.locator('.compare-lane').nth(1).getByTestId('timeline-canvas');
    await expect
      .poll(async () => Number(await gbn.getAttribute('data-window-rows')), { timeout: 60_000 })
      .toBeGreaterThan(8);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Hide settings (projector)' }).click();
    await page.waitForTimeout(800);
    await page.locator('.compare-lanes').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'compare-window.png') });
    await page.setViewportSize({ width: 800, height: 600 });
    await page.waitForTimeout(800);
    await page.locator('.compare-lane').nth(1).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'compare-window-small.png') });
    await page.getByRole('button', { name: 'Show settings' }).click();
    await page.getByRole('button', { name: 'Stop' }).click();
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
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'send.png') });
    await page.getByRole('button', { name: 'Cancel' }).click();
  }, 120_000);
});
