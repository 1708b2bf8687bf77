// The timeline in real Chromium against the real engine on loopback (local demo): drops and timeouts drawn
// live for a lossy transfer, step mode advancing one round per click, and a saved recording replaying with
// the same totals; the visible diagram exported as PNG and SVG. Screenshots go to test-results/ for review.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { violations } from './axe.js';
import { chromiumMissing, randomPort, SHOTS, useBrowserApp } from './harness.js';
import { LINE_PER_FRAME } from './pageScripts.js';
import { SCREENSHOT_DIR } from './screenshotDir.js';

const COUNTS = ['events', 'sends', 'resends', 'acks', 'drops', 'timeouts', 'rounds'] as const;

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

async function data(locator: Locator, name: string): Promise<number> {
  return Number(await locator.getAttribute(`data-${name}`));
}

async function totalsOf(page: Page): Promise<{ text: string; counts: number[] }> {
  const totals = page.getByTestId('timeline-totals');
  return {
    text: (await totals.textContent()) ?? '',
    counts: await Promise.all(COUNTS.map((name) => data(totals, name))),
  };
}

/** A short lossy demo: the bundled sample in 103 chunks to p = 0.05, 0.1, 0.2 with a 50 ms timeout. */
async function setUpDemo(page: Page): Promise<void> {
  await page.getByLabel('MSS (bytes)').fill('2000');
  await page.getByLabel('Timeout').fill('50');
  await page.getByLabel('Port').fill(String(randomPort()));
}

describe.skipIf(chromiumMissing !== null)('timeline in Chromium', () => {
  const browser = useBrowserApp('timeline');

  it('draws drops and timeouts live, and a saved recording replays with the same totals', async () => {
    const { page, desktop, services } = await browser.open();
    await setUpDemo(page);
    // Live, without racing the transfer (a loaded machine draws late and it may be over first): in step mode it
    // stands still between rounds, so crosses and timer marks are looked for while it is surely under way.
    await page.getByLabel('Step').check();
    await page.getByRole('button', { name: 'Start demo' }).click();
    const drawn = page.getByTestId('timeline-drawn');
    const totals = page.getByTestId('timeline-totals');
    await drawn.waitFor({ timeout: 20_000 });
    const next = page.getByRole('button', { name: 'Next round' });
    const inView = async (): Promise<boolean> =>
      (await data(drawn, 'drawn-drops')) > 0 && (await data(drawn, 'drawn-timeouts')) > 0;
    let rounds = 0;
    for (; rounds < 150 && !(await inView()); rounds++) {
      await expect.poll(() => next.isEnabled()).toBe(true);
      await next.click();
      await expect.poll(() => data(totals, 'rounds'), { interval: 20 }).toBeGreaterThan(rounds);
      // A drop shows as its round's timer expires (50 ms): give the mark time to be drawn before the next click.
      await expect
        .poll(inView, { timeout: 500, interval: 50 })
        .toBe(true)
        .catch(() => undefined);
    }
    expect(await inView()).toBe(true);
    expect(Number(await page.getByRole('progressbar').getAttribute('aria-valuenow'))).toBeLessThan(100);
    await page.locator('.timeline-panel').screenshot({ path: join(SHOTS, 'timeline-live.png') });
    await page.getByLabel('Full speed').check();

    await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 60_000 });
    const recorded = (services.recording('demo')!.events.length ?? 0) / 4;
    await expect.poll(async () => (await totalsOf(page)).counts[0], { timeout: 10_000 }).toBe(recorded);
    const live = await totalsOf(page);
    const [, sends, , , drops, timeouts] = live.counts;
    expect(sends).toBe(3 * 104); // 103 chunks and the end marker, to each of 3 receivers
    expect(drops).toBeGreaterThan(0);
    expect(timeouts).toBeGreaterThan(0);
    expect(await data(page.getByTestId('timeline-drawn'), 'not-shown')).toBe(0);

    desktop.saveTo = join(browser.work(), 'demo.p2mptl');
    await page.getByRole('button', { name: 'Save recording…' }).click();
    await expect.poll(() => existsSync(desktop.saveTo!)).toBe(true);

    // Replay, with no network: the same totals at the end, fewer mid-way, the same again after playing.
    await page.getByRole('tab', { name: 'Replay' }).click();
    desktop.nextOpen = desktop.saveTo;
    await page.getByRole('button', { name: 'Open recording…' }).click();
    await expect.poll(async () => (await totalsOf(page)).counts[0], { timeout: 10_000 }).toBe(recorded);
    expect(await totalsOf(page)).toEqual(live);

    const position = page.getByLabel('Position');
    const duration = Number(await position.getAttribute('max'));
    await position.fill(String(duration / 2));
    await expect.poll(async () => (await totalsOf(page)).counts[0]).toBeLessThan(recorded);
    expect((await totalsOf(page)).counts[0]).toBeGreaterThan(0);
    // One event forward, then back: the count moves by the events at that time, and comes back.
    const halfway = (await totalsOf(page)).counts[0]!;
    await page.getByRole('button', { name: 'Next event ▶' }).click();
    await expect.poll(async () => (await totalsOf(page)).counts[0]).toBeGreaterThan(halfway);
    await page.getByRole('button', { name: '◀ Previous event' }).click();
    await expect.poll(async () => (await totalsOf(page)).counts[0]).toBe(halfway);
    await page.locator('.timeline-panel').screenshot({ path: join(SHOTS, 'timeline-replay.png') });

    // The recording in presenter mode (P), for a class: a clicker's keys step it one event at a time, its
    // counters and the diagram's totals agree, and leaving (Esc) finds the tab where the class left it.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.keyboard.press('p');
    const presenter = page.getByTestId('presenter');
    await presenter.waitFor();
    const counter = (label: string) =>
      presenter.locator('.presenter-counter', { has: page.getByText(label, { exact: true }) }).locator('dd');
    expect(await counter('Event').textContent()).toBe(`${halfway} / ${recorded}`);
    await page.keyboard.press('Space');
    await expect.poll(async () => (await totalsOf(page)).counts[0]).toBeGreaterThan(halfway);
    const stepped = (await totalsOf(page)).counts[0]!;
    expect(await counter('Event').textContent()).toBe(`${stepped} / ${recorded}`);
    expect(await counter('Timeouts').textContent()).toBe(String((await totalsOf(page)).counts[5]));
    await page.screenshot({ path: join(SHOTS, 'replay-presenter-1920.png') });
    expect(await violations(page)).toEqual([]);
    await page.keyboard.press('PageUp');
    await expect.poll(() => counter('Event').textContent()).toBe(`${halfway} / ${recorded}`);
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.screenshot({ path: join(SHOTS, 'replay-presenter-1024.png') });
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Presenter keys' }).getByText('Previous event').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Open recording…' }).waitFor();
    expect((await totalsOf(page)).counts[0]).toBe(halfway);
    for (const [width, height] of [
      [1920, 1080],
      [1024, 640],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: join(SHOTS, `replay-${width}.png`) });
    }

    await page.getByLabel('Speed').selectOption('5');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(async () => (await totalsOf(page)).counts[0], { timeout: 20_000 }).toBe(recorded);
    expect(await totalsOf(page)).toEqual(live);
  }, 120_000);

  it('a Go-Back-N demo draws its sender window and tells it in the state line, in the tab and in presenter mode', async () => {
    const { page, desktop } = await browser.open();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await setUpDemo(page);
    await page.getByLabel('Protocol').selectOption({ label: 'Go-Back-N' });
    await page.getByLabel('Window').fill('4');
    await page.getByLabel('Slow motion').check();
    await page.getByRole('button', { name: 'Start demo' }).click();
    const canvas = page.getByTestId('timeline-canvas');
    const line = page.getByTestId('timeline-current').locator('span').first();
    // The band slides as ACKs come; the line says the window at the newest event.
    await expect
      .poll(async () => Number(await canvas.getAttribute('data-window-rows')), { timeout: 60_000 })
      .toBeGreaterThan(3);
    await expect
      .poll(() => line.textContent(), { timeout: 30_000 })
      .toMatch(/^Window \d+(–\d+)? \(W = 4\): \d+/);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByTestId('timeline-current').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(SHOTS, 'demo-gbn.png') });
    // Each of the line's segment numbers lies in the range it names, and the range is W wide (or ends the file).
    const words = (await line.textContent())!;
    const [, base, last] = /^Window (\d+)(?:–(\d+))? /.exec(words)!.map(Number);
    expect((last || base!) - base!).toBeLessThanOrEqual(3);
    await page.keyboard.press('p');
    await page.getByTestId('presenter').waitFor();
    await page.waitForTimeout(500);
    expect(
      await page
        .getByTestId('presenter')
        .getByTestId('timeline-current')
        .locator('span')
        .first()
        .textContent(),
    ).toMatch(/^Window \d+(–\d+)? \(W = 4\): /);
    // Whole on one line at presenter size, read from the back of the room (no ellipsis: nobody there can hover).
    const whole = (e: { scrollWidth: number; clientWidth: number }): boolean =>
      e.scrollWidth <= e.clientWidth + 1;
    const presented = page.getByTestId('presenter').getByTestId('timeline-current');
    expect([
      await presented.evaluate(whole),
      await presented.locator('span').first().evaluate(whole),
    ]).toEqual([true, true]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'presenter-gbn.png') });
    await page.setViewportSize({ width: 800, height: 600 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SHOTS, 'presenter-gbn-small.png') });
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Stop' }).click();

    // Its recording replayed: the protocol with its W, the band, and the line at the cursor.
    await page.setViewportSize({ width: 1920, height: 1080 });
    desktop.saveTo = join(browser.work(), 'gbn.p2mptl');
    await page.getByRole('button', { name: 'Save recording…' }).click();
    await expect.poll(() => existsSync(desktop.saveTo!)).toBe(true);
    await page.getByRole('tab', { name: 'Replay' }).click();
    desktop.nextOpen = desktop.saveTo;
    await page.getByRole('button', { name: 'Open recording…' }).click();
    await expect.poll(() => page.getByLabel('Recording').textContent()).toContain('Go-Back-N, W = 4');
    const position = page.getByLabel('Position');
    await position.fill(String(Number(await position.getAttribute('max')) / 2));
    await expect.poll(() => line.textContent()).toMatch(/^Window \d+(–\d+)? \(W = 4\): \d+/);
    expect(Number(await canvas.getAttribute('data-window-rows'))).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'replay-gbn.png') });
  }, 120_000);

  it("step mode holds a window protocol's retransmissions for the click too (Go-Back-N, a receiver losing all)", async () => {
    const { page } = await browser.open();
    await setUpDemo(page);
    await page.getByLabel('Protocol').selectOption({ label: 'Go-Back-N' });
    await page.getByLabel('Window').fill('4');
    await page.getByLabel('Step').check();
    await page.getByRole('button', { name: 'Start demo' }).click();
    const totals = page.getByTestId('timeline-totals');
    await totals.waitFor({ timeout: 20_000 });
    await page.getByLabel('p for receiver 1').fill('1');
    const next = page.getByRole('button', { name: 'Next round' });
    const sent = async (): Promise<number> => (await data(totals, 'sends')) + (await data(totals, 'resends'));
    for (let click = 1; click <= 5; click++) {
      await expect.poll(() => next.isEnabled()).toBe(true);
      const before = await sent();
      await next.click();
      await expect.poll(sent, { interval: 20 }).toBeGreaterThan(before);
      // The round's sends all in (batches come every 200 ms, later on a busy machine): the count settles, and
      // stays put for ten times the 50 ms timeout: receiver 1's timer expires, its go-back waits for the click.
      let held = -1;
      await expect
        .poll(
          async () => {
            const now = await sent();
            const settled = now === held;
            held = now;
            return settled;
          },
          { interval: 400 },
        )
        .toBe(true);
      await page.waitForTimeout(500);
      expect(await sent()).toBe(held);
    }
    expect(await data(totals, 'resends')).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Stop' }).click();
  }, 120_000);

  it('at a teaching pace the state line changes in the frame an ACK lands as drawn (Go-Back-N and stop-and-wait)', async () => {
    for (const protocol of ['Go-Back-N', 'Stop-and-wait']) {
      const { page } = await browser.open();
      await setUpDemo(page);
      await page.getByLabel('Protocol').selectOption({ label: protocol });
      await page.getByLabel('Step').check();
      await page.getByRole('button', { name: 'Start demo' }).click();
      await page.getByTestId('timeline-totals').waitFor({ timeout: 20_000 });
      for (let i = 1; i <= 3; i++) await page.getByLabel(`p for receiver ${i}`).fill('0');
      const next = page.getByRole('button', { name: 'Next round' });
      for (let click = 1; click <= 3; click++) {
        await expect.poll(() => next.isEnabled()).toBe(true);
        // Whatever the step before left in the air landed, and the line said so.
        await page.waitForTimeout(500);
        const watched = page.evaluate(LINE_PER_FRAME(30)) as Promise<[number, string][]>;
        await next.click();
        const frames = await watched;
        // The frame the last ACK lands: the line already says what it says once all is still (it said it a frame
        // or up to a store publish later, 200 ms, before).
        const landed = frames.length - [...frames].reverse().findIndex(([inAir]) => inAir > 0);
        expect(frames[landed]![1], `${protocol}, round ${click}`).toBe(frames.at(-1)![1]);
        expect(frames[landed - 1]![1]).not.toBe(frames.at(-1)![1]);
      }
      await page.getByRole('button', { name: 'Stop' }).click();
    }
  }, 120_000);

  it('step mode sends exactly one round per click', async () => {
    const { page, desktop } = await browser.open();
    await setUpDemo(page);
    await page.getByLabel('Step').check();
    await page.getByRole('button', { name: 'Start demo' }).click();
    const totals = page.getByTestId('timeline-totals');
    await totals.waitFor({ timeout: 20_000 });
    const next = page.getByRole('button', { name: 'Next round' });
    await expect.poll(() => next.isEnabled()).toBe(true);
    await page.waitForTimeout(300);
    expect(await data(totals, 'rounds')).toBe(0); // waiting for the first click

    for (let click = 1; click <= 6; click++) {
      await next.click();
      await expect.poll(() => data(totals, 'rounds'), { interval: 20 }).toBe(click);
      // Longer than the 50 ms timeout: a lost packet's retransmission waits for the next click too.
      await page.waitForTimeout(250);
      expect(await data(totals, 'rounds')).toBe(click);
    }
    await page.locator('.timeline-panel').screenshot({ path: join(SHOTS, 'timeline-step.png') });

    // The visible diagram as PNG (the canvas's pixels) and as SVG (the same drawing, as shapes and text).
    const canvasBox = (await page.getByTestId('timeline-canvas').boundingBox())!;
    desktop.saveTo = join(browser.work(), 'diagram.png');
    await page.getByRole('button', { name: 'Save PNG…' }).click();
    await expect.poll(() => existsSync(desktop.saveTo!)).toBe(true);
    const png = await readFile(desktop.saveTo);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // IHDR: width and height, the canvas at the page's pixel ratio (1 here).
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([
      Math.round(canvasBox.width) - 2,
      Math.round(canvasBox.height) - 2,
    ]);
    desktop.saveTo = join(browser.work(), 'diagram.svg');
    await page.getByRole('button', { name: 'Save SVG…' }).click();
    await expect.poll(() => existsSync(desktop.saveTo!)).toBe(true);
    const svg = await readFile(desktop.saveTo, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('>Sender');
    // Arrows carry their labels as text: a data packet's number, "n retx" or "ACK n" (which of them are in view
    // depends on the demo's random losses: the last rounds may all be lost resends).
    expect(svg).toMatch(/>(\d+|\d+ retx|ACK \d+)</);
    expect(svg.match(/<path /g)?.length).toBeGreaterThan(5);

    // Back to full speed mid-transfer: it runs to the end.
    await page.getByLabel('Full speed').check();
    await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 60_000 });
    expect(await data(totals, 'rounds')).toBeGreaterThan(6);
  }, 120_000);
});
