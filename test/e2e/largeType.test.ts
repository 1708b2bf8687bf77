// Large type on, in the dark theme, in a projector's 1280x720, a student's 1024x640 and an old 800x600: every
// receiver count is read whole (the RTT's two figures break between them) and no heading runs into the next; at
// 1024x640 the modes stack as a narrow window's do, so Compare's table stays in its box; Compare's results pass axe
// (their "✓ all 3 byte-identical" was 2.9:1 on the dark panel); a retransmitting receiver's state is read whole, Large
// type or not. Screenshots go to test-results/.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { violations } from './axe.js';
import { chromiumMissing, randomPort, SHOTS, useBrowserApp } from './harness.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

/** The cells under `selector` whose text is cut (wider than the cell), with that text. */
const cutCells = (page: Page, selector: string): Promise<string[]> =>
  page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})]
    .filter((e) => e.scrollWidth > e.clientWidth + 1)
    .map((e) => e.textContent)`);

/**
 * The elements under `selector` whose text is cut, with that text: wider than their content box, by even a pixel
 * (the ellipsis then takes the last letters; scrollWidth, rounded, misses it).
 */
const cutText = (page: Page, selector: string): Promise<string[]> =>
  page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})]
    .filter((e) => {
      const range = document.createRange();
      range.selectNodeContents(e);
      const style = getComputedStyle(e);
      const room = e.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return range.getBoundingClientRect().width > room + 0.1;
    })
    .map((e) => e.textContent)`);

describe.skipIf(chromiumMissing !== null)('Large type in small windows', () => {
  const browser = useBrowserApp('large-type');

  /** `mode` with Large type in the dark theme, in a 1024x640 window. */
  async function openLargeType(
    mode: 'demo' | 'compare',
    mss: number,
    [width, height] = [1024, 640],
  ): Promise<Page> {
    const { page, services } = await browser.open();
    await services.settings.update({ largeType: true, theme: 'dark', mode, mss, port: randomPort() });
    await page.reload();
    await page.setViewportSize({ width, height });
    // The settings read back into the form before anything is pressed: a Start pressed while the page was still
    // taking them was lost once on a busy machine (the test then waited 60 s for a summary).
    if (mode === 'demo')
      await expect.poll(() => page.getByLabel('MSS (bytes)').inputValue()).toBe(String(mss));
    return page;
  }

  // A laptop on a projector (1280x720), a student's small window (1024x640), an old projector (800x600).
  it.each([
    [1280, 720],
    [1024, 640],
    [800, 600],
  ])(
    "the local demo's receivers table at %ix%i: every count whole",
    async (width, height) => {
      const page = await openLargeType('demo', 4000, [width, height]);
      await page.getByRole('button', { name: 'Start demo' }).click();
      await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 60_000 });
      const cells = page.locator('.receiver-table td.num');
      expect(await cells.count()).toBe(3 * 4);
      await page.locator('.receiver-table').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `large-type-demo-${width}.png`) });
      expect(await cutCells(page, '.receiver-table td.num')).toEqual([]);
      // No heading runs into the next ("Retrans." over "RTT ms").
      expect(await cutCells(page, '.receiver-table thead th')).toEqual([]);
    },
    90_000,
  );

  // The state a class watches for ("↻ retransmitting", the longest) was cut to "↻ retransmitti…" in every window,
  // Large type or not: its column was narrower than the badge in Debian's fonts.
  it.each([
    [1920, 1080, false],
    [1280, 720, true],
    [1024, 640, true],
  ])(
    'a retransmitting receiver at %ix%i (Large type: %s): its state read whole',
    async (width, height, large) => {
      const { page, services } = await browser.open();
      await services.settings.update({ largeType: large, theme: 'light', mss: 2000, port: randomPort() });
      await page.reload();
      await page.setViewportSize({ width, height });
      await page.getByLabel('p for receiver 1').fill('1');
      await page.getByLabel('Step').check();
      await page.getByRole('button', { name: 'Start demo' }).click();
      const next = page.getByRole('button', { name: 'Next round' });
      await expect.poll(() => next.isEnabled()).toBe(true);
      await next.click();
      // Receiver 1 dropped chunk 1: its timer expires, and it waits for its retransmission.
      const badge = page.locator('.receiver-table .badge.state-retransmitting').first();
      await badge.waitFor();
      await badge.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `state-badge-${width}.png`) });
      expect(await cutText(page, '.receiver-table .badge')).toEqual([]);
    },
    90_000,
  );

  it("Compare's results: in their box, readable in the dark theme", async () => {
    const page = await openLargeType('compare', 5000);
    await page.getByRole('button', { name: 'Start comparison' }).click();
    await page.locator('.compare-table .winner-badge').waitFor({ timeout: 90_000 });
    const results = page.locator('.compare-results');
    await results.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'large-type-compare-1024.png') });
    const box = await results.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    expect(box.scroll).toBeLessThanOrEqual(box.client);
    expect(await violations(page)).toEqual([]);
  }, 120_000);
});
