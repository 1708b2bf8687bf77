// The local demo from the keyboard alone, in Chromium against the real engine, as a teacher at a projector drives
// it: Start demo pressed with Enter hands the focus to Stop (it fell to the page's top, so the next Tab began
// there), and Next round keeps the focus round after round; a press taken while a round is still drawn in the air
// says so at once, beside the button, moving nothing.
import { describe, expect, it } from 'vitest';
import { allLanded, pressWhileInAir } from './demo.js';
import { WATCH_TEXTS, watchedTexts } from './pageScripts.js';
import { chromiumMissing, randomPort, useBrowserApp } from './harness.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

const focused = `document.activeElement?.textContent ?? ''`;

describe.skipIf(chromiumMissing !== null)('the local demo from the keyboard', () => {
  const browser = useBrowserApp('keyboard');

  it('Start demo hands the focus to Stop; Next round keeps it', async () => {
    const { page, services } = await browser.open();
    await services.settings.update({ mss: 2000, port: randomPort() });
    await page.reload();
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByLabel('Step').check();
    await page.getByRole('button', { name: 'Start demo' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('timeline-canvas').waitFor();
    await expect.poll(() => page.evaluate(focused)).toBe('Stop');
    // The transfer comes into view from its top: the focus moving to Stop, at the bottom of the long form, had
    // scrolled the page so that the progress bar was cut at the top of the screen.
    await expect
      .poll(async () => (await page.locator('section.transfer-progress').boundingBox())?.y ?? -1)
      .toBeGreaterThanOrEqual(0);

    const rounds = async (): Promise<number> =>
      Number(await page.getByTestId('timeline-totals').getAttribute('data-rounds'));
    const next = page.getByRole('button', { name: 'Next round' });
    await expect.poll(() => next.isEnabled()).toBe(true);
    await next.focus();
    for (let round = 1; round <= 3; round++) {
      await expect.poll(() => next.isEnabled()).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(rounds).toBe(round);
      expect(await page.evaluate(focused)).toBe('Next round');
    }

    // Every text beside the button from now on.
    await page.evaluate(WATCH_TEXTS('.pace-queued'));
    const box = await next.boundingBox();
    // Round 3 drawn and landed, round 4 pressed (it goes at once), then a press while round 4 is in the air.
    await allLanded(page, services);
    await page.keyboard.press('Enter');
    await pressWhileInAir(page, { button: 'Next round' });
    await expect.poll(rounds, { timeout: 10_000 }).toBe(5);
    expect(await page.evaluate(watchedTexts('.pace-queued'))).toEqual([
      '',
      'queued: starts when this round lands',
      '',
    ]);
    expect(await next.boundingBox()).toEqual(box);
    expect(await page.getByRole('status').filter({ hasText: 'queued' }).count()).toBe(0);
  }, 60_000);

  // At 1024x640 with Large type the diagram jumped at every round: the row has no room for "queued" beside the
  // button, so it wrapped under it, on a line of no height while empty (25 px down as it came, up as it went); and
  // each receiver's RTT took one line or two by its figures ("7.80 / 3.03", "12.56 / 12.56"): 80 px more.
  it('step mode at 1024x640, Large type: the diagram stays put as "queued" and the RTTs change', async () => {
    const { page, services } = await browser.open();
    await services.settings.update({ mss: 2000, port: randomPort(), largeType: true, theme: 'dark' });
    await page.reload();
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.getByLabel('Step').check();
    await page.getByRole('button', { name: 'Start demo' }).click();
    await page.getByTestId('timeline-canvas').waitFor();
    const next = page.getByRole('button', { name: 'Next round' });
    await expect.poll(() => next.isEnabled()).toBe(true);
    // Where the diagram's top is on the page at each change of the text beside the button.
    await page.evaluate(`(() => {
      const element = document.querySelector('.pace-queued');
      const top = () => document.querySelector('[data-testid=timeline-canvas]').getBoundingClientRect().top + scrollY;
      window.__tops = [top()];
      new MutationObserver(() => window.__tops.push(top())).observe(element, {
        subtree: true, characterData: true, childList: true,
      });
    })()`);
    await next.click();
    await allLanded(page, services);
    await next.click();
    await pressWhileInAir(page, { button: 'Next round' });
    await expect
      .poll(async () => Number(await page.getByTestId('timeline-totals').getAttribute('data-rounds')), {
        timeout: 10_000,
      })
      .toBe(3);
    const tops = await page.evaluate<number[]>('window.__tops');
    console.log(`[queued] diagram tops ${JSON.stringify(tops)}`);
    expect(tops.length).toBeGreaterThanOrEqual(3); // the word came and went
    expect(new Set(tops.map(Math.round)).size).toBe(1);
  }, 60_000);
});
