// Receive mode filled in from its form, as a teacher would: shared by the browser tests.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { FakeDesktop } from './harness.js';

/** Opens Receive mode with this port and bind address, the save folder chosen through the (fake) dialog. */
export async function fillReceiveForm(
  page: Page,
  desktop: FakeDesktop,
  { port, bind, folder }: { port: number; bind: string; folder: string },
): Promise<void> {
  await page.getByRole('tab', { name: 'Receive' }).click();
  await page.getByLabel('Port').fill(String(port));
  await page.getByLabel('Bind address').fill(bind);
  desktop.nextOpen = folder;
  await page.getByRole('button', { name: 'Choose folder…' }).click();
  await expect.poll(() => page.getByTestId('save-folder').textContent()).toBe(folder);
}
