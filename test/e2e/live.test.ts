// The live view in Chromium against the real engine: no layout shift during a transfer, no sideways overflow
// with Large type in a small window, and the diagram keeping up with 8 receivers at full speed (lag measured
// from the engine's own timestamps).
import { availableParallelism, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startDemo } from './demo.js';
import { chromiumMissing, useBrowserApp } from './harness.js';
import { layoutShift, overflowingElements, sidewaysOverflow, WATCH_LAYOUT_SHIFT } from './pageScripts.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

/** The newest engine time the diagram has drawn, and the time (epoch ms) it was read. */
const DRAWN_HEAD = `[Number(document.querySelector('[data-testid=timeline-canvas]').dataset.head), performance.timeOrigin + performance.now()]`;

const summary = (page: Page) => page.getByRole('heading', { name: 'Summary' });

describe.skipIf(chromiumMissing !== null)('live view in Chromium', () => {
  const browser = useBrowserApp('live');

  it('does not shift the layout during a transfer (1280x800)', async () => {
    const { page } = await browser.open();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(WATCH_LAYOUT_SHIFT);
    await startDemo(page, { timeout: 50 });
    await summary(page).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(300);
    const shift = await page.evaluate<{ total: number; sources: string[] }>(layoutShift);
    console.log(
      `[layout shift 1280x800] ${shift.total.toFixed(4)} ${shift.sources.slice(0, 12).join(' | ')}`,
    );
    expect(shift.total).toBeLessThan(0.1);
  }, 90_000);

  it('has no sideways overflow with Large type at 1024x640, nor at 320 px wide', async () => {
    const { page } = await browser.open();
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.getByLabel('Large type').check();
    const overflow: Record<string, number> = {};
    const culprits: string[] = [];
    const measure = async (state: string): Promise<void> => {
      overflow[state] = await page.evaluate<number>(sidewaysOverflow);
      if (overflow[state]! > 0)
        culprits.push(`${state}: ${(await page.evaluate<string[]>(overflowingElements)).join(', ')}`);
    };
    for (const tab of ['Send', 'Receive', 'Replay', 'Experiments', 'Local demo']) {
      await page.getByRole('tab', { name: tab }).click();
      await page.getByRole('tabpanel').locator('h2').first().waitFor();
      await measure(tab);
    }
    await startDemo(page, { timeout: 50 });
    await summary(page).waitFor({ timeout: 60_000 });
    await measure('Local demo after a transfer');
    await page.getByRole('button', { name: 'Presenter mode' }).click();
    await measure('Presenter');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 320, height: 640 });
    await page.getByLabel('Large type').uncheck();
    await measure('320 px');
    console.log(`[overflow px] ${JSON.stringify(overflow)}`);
    expect(culprits).toEqual([]);
  }, 90_000);

  // The lag is wall time: measured and printed in every run, held to the 250 ms only where the machine is
  // known to be quiet (P2MP_TIMING=strict), since CI must not depend on load (a 2-core machine at load average
  // 7-8 measured medians of 75-213 ms).
  it('keeps up with 8 receivers at full speed: median lag measured (under 250 ms with P2MP_TIMING=strict)', async () => {
    const { page, engine } = await browser.open();
    await startDemo(page, { receivers: 8, timeout: 50 });
    const lags: number[] = [];
    while (lags.length < 25 && !(await summary(page).isVisible())) {
      await page.waitForTimeout(100);
      // What the diagram shows and when, by the page's clock; the engine's time then, by ours (same system clock).
      const [head, at] = await page.evaluate<[number, number]>(DRAWN_HEAD);
      if (engine.at === 0 || head === 0) continue;
      lags.push(engine.t + (at - engine.at) - head);
    }
    lags.sort((a, b) => a - b);
    const median = lags[Math.floor(lags.length / 2)]!;
    const p90 = lags[Math.floor(lags.length * 0.9)]!;
    // The machine's load beside it: the figure means little when other work holds the CPUs.
    const load = loadavg()[0]!.toFixed(1);
    console.log(
      `[lag, 8 receivers] median ${median.toFixed(0)} ms, p90 ${p90.toFixed(0)} ms, max ${lags.at(-1)!.toFixed(0)} ms ` +
        `of ${lags.length} samples; load average ${load} on ${availableParallelism()} CPUs`,
    );
    expect(lags.length).toBeGreaterThanOrEqual(10);
    if (process.env.P2MP_TIMING === 'strict') expect(median).toBeLessThan(250);
  }, 120_000);
});
