// Starting the local demo from its form, as a teacher would: shared by the browser tests.
import type { Page } from 'playwright-core';
import { randomPort } from './harness.js';

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

/** 8 receivers in step mode, shown in presenter mode (opened with its key). */
export async function presentEightReceivers(page: Page): Promise<void> {
  await startDemo(page, { receivers: 8, mss: 2000, pace: 'Step' });
  await page.keyboard.press('p');
  await page.getByTestId('presenter').waitFor();
}
