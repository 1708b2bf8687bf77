// WCAG 2.1 AA in Chromium, measured with axe-core: every mode idle, the local demo during (an arrow's tooltip
// shown, click to lose offered) and after a transfer, presenter mode, a replay with a recording open, in the light and the dark theme. Axe cannot see
// inside a canvas, so the sequence diagram's colours (read from the page as the canvas reads them) are held to
// the contrast ratios by hand: 4.5:1 for marks that carry text, 3:1 for lane lines.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PALETTE_VARS } from '../../src/renderer/timeline/palette.js';
import { violations } from './axe.js';
import { chromiumMissing, randomPort, useBrowserApp } from './harness.js';
import { contrast } from './contrast.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

const setTheme = (page: Page, theme: 'light' | 'dark') => page.getByLabel('Theme').selectOption(theme);

/** The diagram's colours as the canvas reads them (CSS variables on its box), as [r, g, b]. */
async function diagramColours(page: Page): Promise<Record<string, number[]>> {
  return page.evaluate(`(() => {
    const box = document.querySelector('.timeline-canvas') ?? document.body;
    const probe = document.createElement('span');
    box.append(probe);
    const out = {};
    for (const [key, name] of Object.entries(${JSON.stringify(PALETTE_VARS)})) {
      probe.style.color = getComputedStyle(box).getPropertyValue(name).trim();
      out[key] = getComputedStyle(probe).color.match(/\\d+/g).slice(0, 3).map(Number);
    }
    probe.remove();
    return out;
  })()`);
}

describe.skipIf(chromiumMissing !== null)('accessibility in Chromium (axe-core, WCAG 2.1 AA)', () => {
  const browser = useBrowserApp('a11y');

  it.each(['light', 'dark'] as const)(
    'every mode and state passes in the %s theme',
    async (theme) => {
      const { page, desktop, services } = await browser.open();
      await setTheme(page, theme);
      const found: Record<string, string[]> = {};
      const check = async (state: string): Promise<void> => {
        found[state] = await violations(page);
      };
      for (const tab of ['Send', 'Receive', 'Replay', 'Experiments', 'Local demo']) {
        await page.getByRole('tab', { name: tab }).click();
        await page.getByRole('tabpanel').locator('h2').first().waitFor();
        await check(`${tab} idle`);
      }

      // The demo during a transfer (slow motion keeps it going), through the simulated network (so click to lose
      // is offered), then presenter mode, then after it.
      await page.getByTestId('network-panel').getByRole('button', { name: 'Clean' }).click();
      await page.getByLabel(/Simulate a network/).check();
      await page.getByLabel('MSS (bytes)').fill('2000');
      await page.getByLabel('Timeout').fill('50');
      await page.getByLabel('Port').fill(String(randomPort()));
      await page.getByLabel('Slow motion').check();
      await page.getByRole('button', { name: 'Start demo' }).click();
      const totals = page.getByTestId('timeline-totals');
      await expect
        .poll(async () => Number(await totals.getAttribute('data-rounds')), { timeout: 20_000 })
        .toBeGreaterThan(1);
      // The diagram's events in words (its text alternative), open for the check.
      await page.getByText('The newest 40 events, in words').click();
      await expect
        .poll(() => page.getByTestId('timeline-events').locator('li').first().textContent())
        .toMatch(/^\d+\.\d{3} s: (chunk|ACK|timeout)/);
      // An arrow's details, picked from the keyboard.
      // (Pressed again until one is picked: on a busy machine the first press can come before the frame drawn.)
      await page.getByTestId('timeline-canvas').focus();
      await expect
        .poll(async () => {
          await page.keyboard.press('ArrowLeft');
          return page.getByTestId('timeline-tip').isVisible();
        })
        .toBe(true);
      await check('demo during');
      const colours = await diagramColours(page);
      for (const key of ['send', 'resend', 'ack', 'drop', 'timer', 'text'])
        expect(contrast(colours[key]!, colours['background']!), `${theme} ${key}`).toBeGreaterThanOrEqual(
          4.5,
        );
      expect(contrast(colours['lane']!, colours['background']!), `${theme} lane`).toBeGreaterThanOrEqual(3);

      await page.getByRole('button', { name: 'Presenter mode' }).click();
      await page.getByTestId('presenter').waitFor();
      await check('presenter during');
      await page.keyboard.press('?');
      await page.getByRole('dialog').waitFor();
      await check('presenter keys');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await page.getByLabel('Full speed').check();
      await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 60_000 });
      await check('demo after');

      desktop.saveTo = join(browser.work(), `a11y-${theme}.p2mptl`);
      await page.getByRole('button', { name: 'Save recording…' }).click();
      await expect.poll(() => services.recording('demo') !== null).toBe(true);
      await page.getByRole('tab', { name: 'Replay' }).click();
      desktop.nextOpen = desktop.saveTo;
      await page.getByRole('button', { name: 'Open recording…' }).click();
      await page.getByTestId('timeline-canvas').waitFor();
      await check('replay with a recording');

      console.log(
        `[axe ${theme}] ${Object.entries(found)
          .map(([s, v]) => `${s}: ${v.length}`)
          .join(', ')}`,
      );
      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((s) => [s, []])));
    },
    180_000,
  );
});
