// A recording's presenter mode in Chromium at the window sizes of a classroom: its counters on one row (two at
// most) under the buttons at 1280x720, as big as the live presenter mode's, and nothing past the window's edge at
// 1024x640 or 320 px wide. Screenshots in both themes go to test-results/replay-presenter-*.png for review.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startDemo } from './demo.js';
import { chromiumMissing, SHOTS, useBrowserApp } from './harness.js';
import { overflowingElements, sidewaysOverflow } from './pageScripts.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

/** The presenter's counters: how many rows they take, their text sizes, and how far any sticks out on the right. */
interface CounterLayout {
  /** Rows of the counters (event, time, timeouts, retransmissions). */
  rows: number;
  /** Rows of the counters with the replay's state (playing or paused, and the speed). */
  allRows: number;
  labelPx: number;
  valuePx: number;
  /** px past the window's right edge of the rightmost counter or button (0: none). */
  past: number;
  /** The bar's height over the window's. */
  barShare: number;
}

const COUNTER_LAYOUT = `(() => {
  const rows = (elements) => {
    const tops = [];
    for (const e of elements) {
      const top = e.getBoundingClientRect().top;
      if (!tops.some((t) => Math.abs(t - top) < 4)) tops.push(top);
    }
    return tops.length;
  };
  const counters = [...document.querySelectorAll('.presenter-counter')];
  const parts = [...document.querySelectorAll('.presenter-bar, .presenter-bar *')];
  const right = Math.max(...parts.map((e) => e.getBoundingClientRect().right));
  const px = (selector) => Math.min(...[...document.querySelectorAll(selector)].map((e) => parseFloat(getComputedStyle(e).fontSize)));
  return {
    rows: rows(counters.filter((c) => !c.classList.contains('pace'))),
    allRows: rows(counters),
    labelPx: px('.presenter-counter dt'),
    valuePx: px('.presenter-counter dd'),
    past: Math.max(0, right - document.documentElement.clientWidth),
    barShare: document.querySelector('.presenter-bar').getBoundingClientRect().height / window.innerHeight,
  };
})()`;

const layout = (page: Page): Promise<CounterLayout> => page.evaluate<CounterLayout>(COUNTER_LAYOUT);

describe.skipIf(chromiumMissing !== null)('replay in Chromium', () => {
  const browser = useBrowserApp('replay');

  /**
   * The presenter on screen in each theme at 1920x1080, 1280x720, 1024x640 and 320x640: its bar's layout at each,
   * a screenshot `name-WxH-theme.png`, and what stuck out past the window's right edge.
   */
  async function atEverySize(
    page: Page,
    name: string,
  ): Promise<{ seen: Record<string, CounterLayout>; overflows: string[] }> {
    const seen: Record<string, CounterLayout> = {};
    const overflows: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      await page.evaluate(`document.documentElement.dataset.theme = ${JSON.stringify(theme)}`);
      for (const [width, height] of [
        [1920, 1080],
        [1280, 720],
        [1024, 640],
        [320, 640],
      ] as const) {
        await page.setViewportSize({ width, height });
        await page.waitForTimeout(100);
        const size = `${width}x${height}`;
        const now = await layout(page);
        seen[`${theme} ${size}`] = now;
        await page.screenshot({ path: join(SHOTS, `${name}-${size}-${theme}.png`) });
        const overflow = await page.evaluate<number>(sidewaysOverflow);
        if (overflow > 0 || now.past > 0)
          overflows.push(
            `${theme} ${size}: ${overflow} px, ${await page.evaluate<string[]>(overflowingElements)}`,
          );
      }
    }
    console.log(`[${name}] ${JSON.stringify(seen)}`);
    return { seen, overflows };
  }

  type App = Awaited<ReturnType<typeof browser.open>>;

  /** A short lossy transfer of three receivers at full speed, to be recorded. */
  async function runTheDemo({ page }: App): Promise<void> {
    await startDemo(page, { mss: 2000, timeout: 50 });
    await page.getByRole('heading', { name: 'Summary' }).waitFor({ timeout: 60_000 });
  }

  /** The demo just run, saved as a recording and opened in Replay. */
  async function replayTheDemo({ page, desktop, services }: App): Promise<void> {
    desktop.saveTo = join(browser.work(), 'replay.p2mptl');
    await page.getByRole('button', { name: 'Save recording…' }).click();
    await expect.poll(() => existsSync(desktop.saveTo!) && services.recording('demo') !== null).toBe(true);
    await page.getByRole('tab', { name: 'Replay' }).click();
    desktop.nextOpen = desktop.saveTo;
    await page.getByRole('button', { name: 'Open recording…' }).click();
    await page.getByTestId('timeline-canvas').waitFor();
  }

  it("a recording's presenter counters fit one row at 1280x720, as large as the live presenter's, and fit at 1024x640 and 320 px", async () => {
    const app = await browser.open();
    const { page } = app;
    await runTheDemo(app);
    // The live presenter mode, whose bar the recording's shares: the size a class reads from the back.
    await page.keyboard.press('p');
    await page.getByTestId('presenter').waitFor();
    const demo = await atEverySize(page, 'presenter-demo');
    const live = demo.seen['light 1280x720']!;
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Replay' }).waitFor();
    await page.setViewportSize({ width: 1280, height: 720 });
    await replayTheDemo(app);
    // Half-way, so the counters read as in a lesson ("1234 / 2468").
    const position = page.getByLabel('Position');
    await position.fill(String(Number(await position.getAttribute('max')) / 2));
    await page.getByRole('button', { name: 'Presenter mode' }).click();
    await page.getByTestId('presenter').waitFor();

    const { seen, overflows } = await atEverySize(page, 'replay-presenter');
    expect([...demo.overflows, ...overflows]).toEqual([]);
    const at1280 = seen['light 1280x720']!;
    // Event, time, timeouts and retransmissions on one row; with the replay's state, two (they were three).
    expect([at1280.rows, at1280.allRows]).toEqual([1, 2]);
    expect([live.rows, live.allRows]).toEqual([1, 2]);
    // Projector-sized, and no smaller than the live presenter's counters at the same window.
    expect(at1280.valuePx).toBeGreaterThanOrEqual(live.valuePx);
    expect(at1280.labelPx).toBeGreaterThanOrEqual(live.labelPx);
    expect(at1280.valuePx).toBeGreaterThanOrEqual(24);
    // The diagram keeps most of the window.
    expect(at1280.barShare).toBeLessThan(0.2);
    expect(seen['light 1920x1080']!.rows).toBe(1);
    expect(seen['light 1920x1080']!.labelPx).toBeGreaterThanOrEqual(28);
    expect(seen['light 1024x640']!.rows).toBeLessThanOrEqual(2);
  }, 120_000);

  it("a recording tells the sender's state at its cursor: the segment, the timer read there, who owes an ACK", async () => {
    const app = await browser.open();
    const { page } = app;
    await runTheDemo(app);
    await replayTheDemo(app);
    const line = page.getByTestId('timeline-current');
    const state =
      /^Segment \d+ · (timer: \d+ ms left|timer expired|timer stopped) · (ACK owed by \d: |every ACK in)/;
    // Half-way: the state there, standing still while the replay is paused (the timer does not count on).
    // A recording opens at its end: the last segment (the end marker), every ACK in.
    await expect.poll(() => line.textContent()).toMatch(/^Segment \d+ · timer stopped · every ACK in/);
    const atEnd = await line.textContent();
    const position = page.getByLabel('Position');
    await position.fill(String(Number(await position.getAttribute('max')) / 2));
    await expect.poll(() => line.textContent()).not.toBe(atEnd);
    expect(await line.textContent()).toMatch(state);
    const paused = await line.textContent();
    await page.waitForTimeout(400);
    expect(await line.textContent()).toBe(paused);
    // In presenter mode, event by event up to the next timeout: at it the line says the timer expired, and who
    // still owes the ACK.
    await page.getByRole('button', { name: 'Presenter mode' }).click();
    await page.getByTestId('presenter').waitFor();
    const counter = page.locator('dt', { hasText: /^Timeouts$/ }).locator('xpath=following-sibling::dd[1]');
    const before = Number(await counter.textContent());
    const seen: string[] = [];
    for (let i = 0; i < 400 && Number(await counter.textContent()) === before; i++) {
      await page.getByRole('button', { name: /Next event/ }).click();
      // The line is written when the diagram is painted: two frames on, it tells the event stepped to.
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      seen.push((await line.textContent()) ?? '');
    }
    // One timeout, or several at once (one round's timer expiring for two receivers that both owe: one step).
    expect(Number(await counter.textContent())).toBeGreaterThan(before);
    expect(seen.every((text) => state.test(text))).toBe(true);
    expect(seen.at(-1)).toMatch(/^Segment \d+ · timer expired · ACK owed by \d: 127\.0\.0\.\d/);
    // Receivers named as their lanes name them: the demo's one port is said once, by the sender's lane.
    expect(seen.filter((text) => /127\.0\.0\.\d+:\d/.test(text))).toEqual([]);
  }, 120_000);
  // A teacher scrubs with the Position slider, then clicks on with a presenter clicker: the slider kept the focus,
  // and its own PageDown moved it a tenth of the recording back (many rounds), "next" taking the class backwards.
  it('a clicker steps event by event after a scrub with the Position slider, forwards and back', async () => {
    const app = await browser.open();
    const { page } = app;
    await runTheDemo(app);
    await replayTheDemo(app);
    const position = page.getByLabel('Position');
    const max = Number(await position.getAttribute('max'));
    await position.fill(String(max / 2));
    await expect.poll(() => page.evaluate('document.activeElement?.className')).toBe('replay-scrubber');
    const head = async (): Promise<number> =>
      Number(await page.getByTestId('timeline-canvas').getAttribute('data-head'));
    await expect.poll(head).toBeCloseTo(max / 2, 3);
    const events = async (): Promise<number> =>
      Number(await page.getByTestId('timeline-totals').getAttribute('data-events'));
    const before = await events();
    await page.keyboard.press('PageDown');
    // The next event: just after half-way, a step on (events at one time are one step), not a tenth back.
    await expect.poll(events).toBeGreaterThan(before);
    const next = await head();
    expect(next).toBeGreaterThan(max / 2);
    expect(next).toBeLessThan(max / 2 + 60); // within one round's timeout (T = 50 ms)
    await page.keyboard.press('PageUp');
    await expect.poll(events).toBe(before);
    expect(await head()).toBeLessThanOrEqual(max / 2);
    expect(await head()).toBeGreaterThan(max / 2 - 60);
    // At the very end, the clicker's "previous" steps back from there too (the slider's PageUp went nowhere).
    await position.fill(String(max));
    await expect.poll(head).toBeCloseTo(max, 3);
    await page.keyboard.press('PageUp');
    await expect.poll(head).toBeLessThan(max);
    expect(await head()).toBeGreaterThan(max - 60);
  }, 120_000);
  // Looking back at an earlier round (the diagram zoomed in and scrolled to its start) leaves the cursor where it
  // is: the line told the state at the bottom of the view instead ("Segment 9 · timer expired" with the cursor,
  // and the Time counter, at segment 49).
  it("the sender's state line stays the cursor's when the diagram is scrolled back", async () => {
    const app = await browser.open();
    const { page } = app;
    await runTheDemo(app);
    await replayTheDemo(app);
    const line = page.getByTestId('timeline-current');
    const position = page.getByLabel('Position');
    await position.fill(String(Number(await position.getAttribute('max')) / 2));
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    const atCursor = await line.textContent();
    expect(atCursor).toMatch(/^Segment \d+ · /);
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByTestId('timeline-canvas').focus();
    await page.keyboard.press('Home');
    await expect
      .poll(() => page.getByRole('button', { name: 'Follow cursor' }).getAttribute('aria-pressed'))
      .toBe('false');
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    expect(await line.textContent()).toBe(atCursor);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    expect(await line.textContent()).toBe(atCursor);
  }, 120_000);
});
