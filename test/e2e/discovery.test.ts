// Discovery in the app, in Chromium over real sockets on loopback: a room of 30 announced receivers listed in the
// Send view and added with "select all"; Receive mode announcing itself under the name the user typed, and
// nothing once the user turns it off.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Announcement } from '../../src/shared/discovery/message.js';
import { discover, startAnnouncer, type Announcer } from '../../src/shared/node/discovery.js';
import { loopbackDiscovery } from '../helpers/loopback.js';
import { chromiumMissing, randomPort, SHOTS, useBrowserApp } from './harness.js';
import { fillReceiveForm } from './receive.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

describe.skipIf(chromiumMissing !== null)('discovery in the app', () => {
  const browser = useBrowserApp('discovery');
  const announcers: Announcer[] = [];
  afterEach(() => announcers.splice(0).forEach((a) => a.stop()));

  it('lists a room of 30 receivers and adds them all with "select all"', async () => {
    const room = (i: number): Announcement => ({
      id: (0x2000 + i).toString(16).padStart(16, '0'),
      name: `Room 2.14 PC ${String(i + 1).padStart(2, '0')}`,
      port: i === 29 ? 7736 : 7735,
      profile: 'standard',
      addresses: [`127.0.1.${i + 1}`],
      code: false,
      busy: i === 3,
    });
    for (let i = 0; i < 30; i++) announcers.push(await startAnnouncer(() => room(i), loopbackDiscovery));
    const { page } = await browser.open();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('tab', { name: 'Send' }).click();
    const list = page.getByRole('list', { name: 'Receivers on this network' });
    await expect.poll(() => list.locator('li').count(), { timeout: 15_000 }).toBe(30);
    await expect
      .poll(async () => (await list.locator('li').nth(3).textContent())?.trim())
      .toBe('Room 2.14 PC 04 127.0.1.4 busy');
    await page.screenshot({ path: join(SHOTS, 'send-discovered.png') });

    await page.getByLabel('Select all 30').check();
    await page.getByRole('button', { name: 'Add 30 receivers' }).click();
    const inputs = page.getByLabel(/^Receiver \d+$/);
    await expect.poll(() => inputs.count()).toBe(30);
    expect(await inputs.nth(0).inputValue()).toBe('127.0.1.1');
    expect(await inputs.nth(29).inputValue()).toBe('127.0.1.30:7736');
    // Each keeps the name it announced, beside its address, so a row can be matched to a machine in the room.
    const names = page.locator('.receiver-list .receiver-name');
    expect(await names.nth(0).textContent()).toBe('Room 2.14 PC 01');
    expect(await names.nth(29).textContent()).toBe('Room 2.14 PC 30');
    // ...and at every window size each entry shows its whole host:port and its whole name.
    for (const width of [1280, 1024, 900, 800]) {
      await page.setViewportSize({ width, height: 640 });
      const cut = await inputs.evaluateAll((all) =>
        all.filter((i) => i.scrollWidth > i.clientWidth).map((i) => i.getAttribute('aria-label')),
      );
      expect({ width, cut }).toEqual({ width, cut: [] });
      const wholeNames = await names.evaluateAll((all) => all.every((n) => n.scrollWidth <= n.clientWidth));
      expect({ width, wholeNames }).toEqual({ width, wholeNames: true });
    }
    await page.setViewportSize({ width: 1024, height: 640 });
    await inputs.nth(29).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'send-named-1024.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    // Added ones stay listed, ticked and marked, and cannot be added twice.
    await expect
      .poll(async () => (await list.locator('li').nth(0).textContent())?.trim())
      .toBe('Room 2.14 PC 01 127.0.1.1 added');
    expect(await page.getByRole('button', { name: 'Add selected' }).isDisabled()).toBe(true);
  });

  it('Receive mode announces this machine under the name typed, and nothing when turned off', async () => {
    const folder = join(browser.work(), 'announce-folder');
    await mkdir(folder);
    const port = randomPort();
    const { page, desktop } = await browser.open();
    await fillReceiveForm(page, desktop, { port, bind: '127.0.0.6', folder });
    await page.getByLabel('Name shown to senders').fill('Teacher desk');
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect
      .poll(() => page.getByText(`Listening on 127.0.0.6:${port}`).textContent())
      .toMatch(/; announced on the network as "Teacher desk"$/);
    const found = await discover({ ...loopbackDiscovery, waitMs: 1000 });
    expect(found.map((r) => `${r.name} ${r.address}:${r.port} ${r.busy}`)).toEqual([
      `Teacher desk 127.0.0.6:${port} false`,
    ]);

    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByLabel('Announce this receiver, so senders find it').uncheck();
    expect(await page.getByLabel('Name shown to senders').isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Start listening' }).click();
    await expect.poll(() => page.getByText(`Listening on 127.0.0.6:${port}`).count()).toBe(1);
    expect(await discover({ ...loopbackDiscovery, waitMs: 1000 })).toEqual([]);
  });
});
