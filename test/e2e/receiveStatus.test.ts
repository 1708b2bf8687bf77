// Receive mode in Chromium at a laptop's 1024x640, as a keyboard user runs it: Start listening at the bottom of the
// form brings what a teacher reads out into view (the focus staying on Stop); an offer takes the focus on itself,
// where neither a stray Enter stops listening nor accepts; the file then coming in shows its progress.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { send } from '../../src/shared/node/sender.js';
import { chromiumMissing, randomPort, SHOTS, useBrowserApp } from './harness.js';
import { fillReceiveForm } from './receive.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

const focused = `document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? ''`;

/** Whole within the window's height (the page scrolls only up and down). */
async function onScreen(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= page.viewportSize()!.height;
}

describe.skipIf(chromiumMissing !== null)('Receive mode from the keyboard at 1024x640', () => {
  const browser = useBrowserApp('receive-status');

  /** Listening on 127.0.0.1:port, started with Enter on Start listening from the bottom of the page. */
  async function listenFromTheBottom(p: string): Promise<{ page: Page; port: number }> {
    const folder = join(browser.work(), `folder-${p}`);
    await mkdir(folder);
    const port = randomPort();
    const { page, desktop } = await browser.open();
    await page.setViewportSize({ width: 1024, height: 640 });
    await fillReceiveForm(page, desktop, { port, bind: '127.0.0.1', folder });
    await page.getByLabel(/Loss probability p/).fill(p);
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    await page.getByRole('button', { name: 'Start listening' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByText(`Listening on 127.0.0.1:${port}`).count()).toBe(1);
    await expect.poll(() => page.evaluate(focused)).toBe('Stop');
    return { page, port };
  }

  it('brings the listening line and the address to read out into view, the focus staying on Stop', async () => {
    const { page, port } = await listenFromTheBottom('0');
    const status = page.getByText(`Listening on 127.0.0.1:${port}`);
    const address = page.locator('.this-machine-address', { hasText: `127.0.0.1:${port}` });
    await expect.poll(() => onScreen(page, status)).toBe(true);
    expect(await onScreen(page, address)).toBe(true);
    expect(await page.evaluate(focused)).toBe('Stop');
    await page.screenshot({ path: join(SHOTS, 'receive-listening-1024.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: join(SHOTS, 'receive-listening-1920.png') });
  }, 60_000);

  it('an offer takes the focus on itself (Enter answers nothing), Accept is the next stop; its file shows its progress', async () => {
    const { page, port } = await listenFromTheBottom('0.3');
    const source = join(browser.work(), 'lab handout.bin');
    await writeFile(source, randomBytes(200_000));
    const sent = send({
      file: source,
      receivers: [{ host: '127.0.0.1', port, label: 'ui' }],
      mss: 1000,
      bind: '127.0.0.7',
    });
    const prompt = page.getByRole('group', { name: 'Offer of lab handout.bin' });
    await expect.poll(() => page.evaluate(focused), { timeout: 10_000 }).toBe('Offer of lab handout.bin');
    expect(await onScreen(page, prompt)).toBe(true);
    // A stray Enter: still listening, still asked.
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect(await prompt.count()).toBe(1);
    expect(await page.getByText(`Listening on 127.0.0.1:${port}`).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'receive-offer-focused-1024.png') });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(focused)).toBe('Accept');
    await page.keyboard.press('Enter');

    // Mid-file: name, bytes of its size, a percentage short of 100, the rate.
    const incoming = page.getByRole('region', { name: 'Incoming file' });
    const bar = incoming.getByRole('progressbar', { name: 'Receiving lab handout.bin' });
    const percent = async (): Promise<number> =>
      (await bar.count()) === 0 ? -1 : Number(await bar.getAttribute('aria-valuenow'));
    await expect.poll(percent, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await percent()).toBeLessThan(100);
    expect(await incoming.getByTestId('incoming-bytes').textContent()).toMatch(/ of 195\.3 KiB$/);
    expect(await incoming.textContent()).toMatch(/Rate\d/);
    expect(await onScreen(page, incoming)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'receive-progress-1024.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: join(SHOTS, 'receive-progress-1920.png') });
    // Whatever is shown until the file is kept, never 100%.
    const seen: string[] = [];
    const done = sent.then((r) => r.ok);
    let over = false;
    void done.finally(() => (over = true));
    while (!over) {
      const text = (await incoming.count()) === 0 ? '' : await incoming.textContent().catch(() => '');
      if (text) seen.push(text);
      await page.waitForTimeout(20);
    }
    expect(await done).toBe(true);
    expect(seen.filter((t) => t.includes('100%'))).toEqual([]);
    const completed = page.getByRole('region', { name: 'Completed files' });
    await expect.poll(() => completed.getByText('lab handout.bin', { exact: true }).count()).toBe(1);
    await expect.poll(() => incoming.count()).toBe(0);
  }, 90_000);
});
