// The real app in a real Electron window, when an Electron binary is available (not on this project's build
// machines: electron's binary download is blocked there, see toolchain-facts.md). Otherwise skipped, with why.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { electronBinary, electronPackage } from '../../src/cli/start.js';
import { ensureAppBuilt } from '../helpers/appBuild.js';
import { root } from '../helpers/processes.js';

// Decided from what the installer left on disk: asking `electron` itself would download the binary as a side effect.
const binary = electronBinary(electronPackage(root));
if (binary === null)
  console.log('[e2e] Electron test skipped: no Electron binary installed (see `npm start`)');

describe.skipIf(binary === null)('the Electron app', () => {
  it('opens one secured window showing the local demo', async () => {
    ensureAppBuilt();
    const app = await electron.launch({ executablePath: binary!, args: ['.'], cwd: root, timeout: 30_000 });
    try {
      const page = await app.firstWindow();
      await page.getByRole('tab', { name: 'Local demo' }).waitFor();
      expect(await page.title()).toBe('P2MP-FTP Desktop');
      // Only the preload's narrow API is visible; no Node in the page.
      expect(
        await page.evaluate(() => Object.keys((globalThis as unknown as { p2mp: object }).p2mp).sort()),
      ).toEqual(['invoke', 'onBatch', 'pathForFile']);
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );
      await mkdir('test-results', { recursive: true });
      await page.screenshot({ path: join('test-results', 'electron.png') });
    } finally {
      await app.close();
    }
  }, 180_000);
});
