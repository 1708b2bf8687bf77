// Starting the local demo from its form, as a teacher would: shared by the browser tests.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AppServices } from '../../src/main/services/index.js';
import { randomPort } from './harness.js';
import { PRESS_WHILE_IN_AIR } from './pageScripts.js';

export interface DemoOptions {
  receivers?: number;
  mss?: number;
  /** ms; the form's default (100) when left out. */
  timeout?: number;
  pace?: 'Full speed' | 'Slow motion' | 'Step';
}

/** Fills the demo's form, starts it and waits for its diagram. */
export async function startDemo(page: Page, options: DemoOptions = {}): Promise<void> {
  if (options.receivers) await page.getByLabel('Receivers').fill(String(options.receivers));
  await page.getByLabel('MSS (bytes)').fill(String(options.mss ?? 1000));
  if (options.timeout) await page.getByLabel('Timeout').fill(String(options.timeout));
  await page.getByLabel('Port').fill(String(randomPort()));
  if (options.pace) await page.getByLabel(options.pace).check();
  await page.getByRole('button', { name: 'Start demo' }).click();
  await page.getByTestId('timeline-canvas').waitFor({ timeout: 20_000 });
}

/** The local demo through the simulated network with nothing impaired, p = 0 at its 3 receivers. */
export async function cleanNetwork(page: Page): Promise<void> {
  for (let i = 1; i <= 3; i++) await page.getByLabel(`p for receiver ${i}`).fill('0');
  await page.getByTestId('network-panel').getByRole('button', { name: 'Clean' }).click();
  await page.getByLabel(/Simulate a network/).check();
}

/**
 * Picks arrows from the keyboard (the diagram focused, Left from the newest) until the tooltip's text matches
 * `wanted`; returns that text, or null when no arrow in view matches.
 */
export async function pickArrow(page: Page, wanted: RegExp): Promise<string | null> {
  const canvas = page.getByTestId('timeline-canvas');
  const tip = page.getByTestId('timeline-tip');
  await page.mouse.move(0, 0); // the pointer off the diagram: no arrow picked by hovering
  await canvas.focus();
  let previous = '';
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('ArrowLeft');
    const text = (await tip.textContent()) ?? '';
    if (wanted.test(text)) return text;
    if (text === previous) return null; // the first arrow: nothing further left
    previous = text;
  }
  return null;
}

/** 8 receivers in step mode, shown in presenter mode (opened with its key). */
export async function presentEightReceivers(page: Page): Promise<void> {
  await startDemo(page, { receivers: 8, mss: 2000, pace: 'Step' });
  await page.keyboard.press('p');
  await page.getByTestId('presenter').waitFor();
}

/**
 * Waits until the demo's diagram has every event its sender recorded and draws none of them in the air for 300 ms:
 * the round that came last has landed. (A round's first frame draws its packets at the sender, not yet in the
 * air, and its ACKs may come a batch later: "nothing in the air" once is not enough.)
 */
export async function allLanded(page: Page, services: AppServices): Promise<void> {
  const canvas = page.getByTestId('timeline-canvas');
  const drawn = async (): Promise<number> =>
    Number(await page.getByTestId('timeline-totals').getAttribute('data-events'));
  const flying = async (): Promise<number> => Number(await canvas.getAttribute('data-flying'));
  await expect
    .poll(async () => {
      const recorded = services.recording('demo')!.events.length / 4;
      if ((await drawn()) !== recorded || (await flying()) !== 0) return false;
      await page.waitForTimeout(300);
      return (await flying()) === 0 && (await drawn()) === services.recording('demo')!.events.length / 4;
    })
    .toBe(true);
}

/**
 * Presses, in the page, in the very frame in which its diagram draws packets in the air: the "Next round" button
 * clicked, or `key` pressed `times` over. A press from the test itself could come after the round landed on a
 * busy machine; here nothing can land in between.
 */
export async function pressWhileInAir(
  page: Page,
  press: { button: string } | { key: string; times: number },
): Promise<void> {
  await page.evaluate(PRESS_WHILE_IN_AIR(press));
}
