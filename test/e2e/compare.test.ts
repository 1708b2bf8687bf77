// Compare in Chromium against the real engine on loopback: a comparison started from the keyboard fills the
// table with one row per protocol, every receiver's file verified byte-identical by main, a winner named in
// words; the sender window of each lane is drawn and described; axe finds nothing; in projector view every
// lane's diagram is on a 1024x640 screen whole, its receivers given room at W = 8; at 1024x640 nothing overflows
// sideways.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../../src/shared/limits.js';
import { violations } from './axe.js';
import { chromiumMissing, randomPort, SHOTS, useBrowserApp } from './harness.js';
import { overflowingElements, sendColouredInBand, sidewaysOverflow } from './pageScripts.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

describe.skipIf(chromiumMissing !== null)('compare in Chromium', () => {
  const browser = useBrowserApp('compare');

  it('runs a comparison: the table fills, every file verified, a winner named; axe-clean, no overflow', async () => {
    const { page, services } = await browser.open();
    // Larger segments keep the run short at the course's T = 0.1 s.
    await services.settings.update({ mode: 'compare', mss: 5000, port: randomPort() });
    await page.reload();
    await page.getByRole('tab', { name: 'Compare', selected: true }).waitFor();
    await page.getByLabel('Seed of the loss pattern').fill('4242');
    // W = 8: Selective Repeat's most timer columns (eight), beside a band of eight slots, left of the receivers.
    await page.getByLabel('Window W (windowed protocols)').fill('8');
    expect(await violations(page)).toEqual([]);

    const start = page.getByRole('button', { name: 'Start comparison' });
    await start.focus();
    await page.keyboard.press('Enter');
    const rows = page.locator('.compare-table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(PROTOCOLS.length);
    // However busy the machine (a bound, not a measure).
    await page
      .locator('.compare-table td.verified')
      .nth(PROTOCOLS.length - 1)
      .waitFor({ timeout: 90_000 });
    for (const protocol of PROTOCOLS) {
      const row = page.locator(`.compare-table tr[data-protocol=${protocol}]`);
      expect(await row.locator('td.verified').textContent()).toBe('✓ all 3 byte-identical');
    }
    expect(await page.locator('.compare-table .winner-badge').count()).toBe(1);
    expect(await page.locator('.compare-lane .winner-badge').count()).toBe(1);
    expect(await page.locator('.compare-view p.status').textContent()).toContain('seed 4242');
    // The sender window is drawn in each lane's diagram: a band left of the sender's line, filled in the send
    // colour where segments were outstanding (read off the canvas's pixels in the band's first slot).
    for (let lane = 0; lane < PROTOCOLS.length; lane++) {
      const diagram = page.locator('.compare-lane').nth(lane).getByTestId('timeline-canvas');
      expect(Number(await diagram.getAttribute('data-window-filled'))).toBeGreaterThan(0);
      expect(await page.evaluate<number>(sendColouredInBand('.compare-lane', lane))).toBeGreaterThan(10);
    }
    // The last ACKs reach the window in the batch after the result, on a busy machine.
    const now = page.locator('.window-now');
    for (const [lane, protocol] of PROTOCOLS.entries()) {
      const w = protocol === 'saw' ? 1 : 8;
      await expect
        .poll(() => now.nth(lane).textContent())
        .toBe(`Sender window (W = ${w}): empty: every segment ACKed by every receiver`);
    }
    expect(await violations(page)).toEqual([]);

    // The projector view hides the settings and keeps the pace controls, by keyboard too.
    await page.getByRole('button', { name: 'Hide settings (projector)' }).press('Enter');
    await page.getByRole('button', { name: 'Show settings' }).waitFor();
    expect(await violations(page)).toEqual([]);
    // Slow motion's rate and state beside the title: they wrap in their own room, never pushing "Show settings"
    // onto a row of its own (a row the diagrams lost).
    await page.getByLabel('Slow motion').check();

    // Projectors of 1920x1080, 1280x720, 1024x768 and 1024x640: every lane's diagram is on the screen whole, side by
    // side, before the table (which pushed them off a 1024x640 screen, and left them a third of a 1080-px one), each
    // lane saying how long its protocol took; on a tall screen the diagrams take the height the controls leave.
    const lanes = page.locator('.compare-lane .timeline-canvas');
    for (const [width, height] of [
      [1920, 1080],
      [1280, 720],
      [1024, 768],
      [1024, 640],
    ] as const) {
      await page.setViewportSize({ width, height });
      // In the page's order (read and focused as seen): the table after the diagrams.
      const tableAfter = await page.evaluate<boolean>(
        `(document.querySelector('.compare-lanes').compareDocumentPosition(
           document.querySelector('.compare-results')) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0`,
      );
      expect(tableAfter).toBe(true);
      await page.evaluate('window.scrollTo(0, 0)');
      // The lanes' height follows the window once it is measured again: wait for the last lane's window line
      // to reach the bottom of a tall screen.
      if (height >= 1000)
        await expect
          .poll(async () => {
            const words = (await page.locator('.window-now').last().boundingBox())!;
            return height - (words.y + words.height);
          })
          .toBeLessThan(60);
      const first = (await page.locator('.compare-lane').first().boundingBox())!;
      const firstDiagram = (await lanes.first().boundingBox())!;
      for (let lane = 0; lane < PROTOCOLS.length; lane++) {
        const box = (await lanes.nth(lane).boundingBox())!;
        // The diagrams start level, where one lane's heading wraps ("Selective Repeat, W = 8 ★ Winner" at 1024 px
        // started its diagram a line lower than the others'); the winner's thicker border moves its own by 2 px.
        expect(Math.abs(box.y - firstDiagram.y), `${width}x${height}, lane ${lane + 1}`).toBeLessThanOrEqual(
          2,
        );
        expect(box.y + box.height).toBeLessThanOrEqual(height);
        // Tall enough to follow at W = 8: half the screen and more at 1080 px (a third before), the window in
        // words under it on the screen too.
        if (height >= 1000) expect(box.height).toBeGreaterThan(height / 2);
        // The window in words under it on the screen too, at 1024x640 as well (it was cut off at the bottom).
        const words = (await page.locator('.window-now').nth(lane).boundingBox())!;
        expect(words.y + words.height, `${width}x${height}, lane ${lane + 1}`).toBeLessThanOrEqual(height);
        // Side by side: each lane level with the first.
        expect((await page.locator('.compare-lane').nth(lane).boundingBox())!.y).toBe(first.y);
        // The receivers' arrows and loss marks have room, at projector type, from the back of a class: a third of
        // 1024 px left Selective Repeat's three receivers 21 px beside its band and eight timer columns.
        const receivers = Number(await lanes.nth(lane).getAttribute('data-receivers-px'));
        expect(receivers, `${width}x${height}, lane ${lane + 1}`).toBeGreaterThanOrEqual(115);
      }
      const title = (await page.getByRole('heading', { name: 'Compare protocols' }).boundingBox())!;
      const button = (await page.getByRole('button', { name: 'Show settings' }).boundingBox())!;
      expect({
        width,
        overlap: button.y < title.y + title.height && title.y < button.y + button.height,
      }).toEqual({
        width,
        overlap: true,
      });
      // No small print from the back of a room: the legend and the pace's rate at 16 px and more (13.6 at 1024).
      for (const small of ['.timeline-legend', '.pace-rate label'])
        expect(
          await page.evaluate<number>(
            `parseFloat(getComputedStyle(document.querySelector('${small}')).fontSize)`,
          ),
          `${small} at ${width}x${height}`,
        ).toBeGreaterThanOrEqual(16);
      await page.screenshot({ path: join(SHOTS, `compare-projector-${width}x${height}.png`) });
    }
    for (let lane = 0; lane < PROTOCOLS.length; lane++)
      expect(await page.locator('.compare-lane-state').nth(lane).textContent()).toMatch(
        /^done in \d+\.\d+ s, every file verified$/,
      );
    for (const projector of [true, false]) {
      const overflow = await page.evaluate<number>(sidewaysOverflow);
      expect(overflow, (await page.evaluate<string[]>(overflowingElements)).join(', ')).toBe(0);
      if (projector) await page.getByRole('button', { name: 'Show settings' }).click();
    }
    // At 800x600 the table stacks: every value of every protocol is within the window, labelled, and the
    // verification is read whole (it was cut off at the edge of a sideways scroll).
    await page.setViewportSize({ width: 800, height: 600 });
    const verdicts = page.locator('.compare-table td[data-label="Files (SHA-256)"]');
    expect(await verdicts.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const box = (await verdicts.nth(i).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(800);
      expect(await verdicts.nth(i).textContent()).toMatch(/^✓ all \d+ byte-identical$/);
    }
    expect(await page.evaluate<number>(sidewaysOverflow)).toBe(0);
    await page.locator('.compare-table').screenshot({ path: join(SHOTS, 'compare-table-800.png') });
  }, 150_000);
});
