// The local demo through the simulated network, in real Chromium against the real services: one click on a
// preset, the demo runs through one relay per receiver, the relay counters show live next to the receivers'
// (every corrupted copy failed the checksum; every extra copy was re-ACKed), and a live change of preset reaches
// the running relays. Screenshot: test-results/demo-relay.png.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumMissing, randomPort, SHOTS, useBrowserApp } from './harness.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

describe.skipIf(chromiumMissing !== null)('local demo with the simulated network, in Chromium', () => {
  const browser = useBrowserApp('net');

  it('runs with the "Corrupting link" preset, then "Duplicating link" live, showing matching counters', async () => {
    const { page } = await browser.open();
    await page.getByLabel('MSS (bytes)').fill('500');
    await page.getByLabel('Port').fill(String(randomPort()));
    // p = 0 at the receivers, so every copy reaches their checks (p would drop some corrupted ones first).
    for (let i = 1; i <= 3; i++) await page.getByLabel(`p for receiver ${i}`).fill('0');
    const panel = page.getByTestId('network-panel');
    await panel.getByRole('button', { name: 'Corrupting link' }).click();
    expect(await panel.getByLabel(/Simulate a network/).isChecked()).toBe(true);
    await page.getByLabel('Random seed').last().fill('2024');
    await page.getByRole('button', { name: 'Start demo' }).click();
    await page.getByText(/through the simulated network/).waitFor({ timeout: 10_000 });

    // Live: corrupted copies show up at the relay and as checksum failures while the transfer runs.
    const corrupted = async (): Promise<number> =>
      Number(await page.getByTestId('relay-counters-0').getByTestId('relay-corrupted').textContent());
    await expect.poll(corrupted, { timeout: 30_000, interval: 20 }).toBeGreaterThan(0);
    // Teaching pace: pause, so the class can look (and this test knows the transfer is still running).
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(await page.getByRole('heading', { name: 'Summary' }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'demo-relay-live.png'), fullPage: true });

    // One click while it runs: every relay duplicates from now on (and corrupts no more).
    await panel.getByRole('button', { name: 'Duplicating link' }).click();
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect
      .poll(
        async () =>
          Number(await page.getByTestId('relay-counters-0').getByTestId('relay-duplicated').textContent()),
        { timeout: 30_000, interval: 50 },
      )
      .toBeGreaterThan(0);

    await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByText('✓ file complete').count(), { timeout: 10_000 }).toBe(3);
    // The relays' counters against the receivers', as shown: settle (the receivers linger 1 s), then compare.
    const shown = async () =>
      Promise.all(
        [0, 1, 2].map(async (i) => {
          const card = page.getByTestId(`relay-counters-${i}`);
          const num = async (id: string) => parseInt((await card.getByTestId(id).textContent()) ?? '', 10);
          return {
            corrupted: await num('relay-corrupted'),
            checksum: await num('receiver-checksum-failures'),
            duplicated: await num('relay-duplicated'),
            duplicates: await num('receiver-duplicates'),
          };
        }),
      );
    await expect
      .poll(async () => (await shown()).every((r) => r.corrupted === r.checksum), { timeout: 10_000 })
      .toBe(true);
    const rows = await shown();
    for (const r of rows) expect(r.duplicates).toBeGreaterThanOrEqual(r.duplicated);
    expect(rows.reduce((a, r) => a + r.corrupted, 0)).toBeGreaterThan(0);
    expect(rows.reduce((a, r) => a + r.duplicated, 0)).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'demo-relay.png'), fullPage: true });

    await page.getByLabel('Theme').selectOption('dark');
    await page.getByLabel('Large type').check();
    await page.screenshot({ path: join(SHOTS, 'demo-relay-dark-large.png'), fullPage: true });
  }, 120_000);
});
