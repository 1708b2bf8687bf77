// Click to lose and arrow details, in real Chromium against the real demo engine through the simulated network:
// in step mode the next round's packets show before they leave; one click on the packet to receiver 2 makes its
// relay lose exactly that datagram, which costs exactly one timeout and one retransmission, to receiver 2 only
// (read from the engine's own events, the session's recording). Hovering an arrow shows its details, which go
// once its round has left. And in flight: the relays hold each datagram for as long as its flight is drawn, so one
// click on a data packet still travelling loses exactly that datagram; the file still arrives whole at every
// receiver.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { laneX } from '../../src/renderer/timeline/layout.js';
import type { AppServices } from '../../src/main/services/index.js';
import { sampleContent } from '../../src/shared/node/sampleFile.js';
import { TimelineKind } from '../../src/shared/live/timeline.js';
import { allLanded, cleanNetwork, pickArrow, startDemo } from './demo.js';
import { chromiumMissing, SHOTS, useBrowserApp } from './harness.js';
import { SCREENSHOT_DIR } from './screenshotDir.js';

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

/** The demo session's engine events of some kinds, as [kind, seq, receiver]. */
function engineEvents(services: AppServices, kinds: number[]): number[][] {
  const events = services.recording('demo')?.events ?? [];
  const found: number[][] = [];
  for (let i = 0; i < events.length; i += 4)
    if (kinds.includes(events[i + 1]!)) found.push([events[i + 1]!, events[i + 2]!, events[i + 3]!]);
  return found;
}

/**
 * Moves the pointer up the diagram across the arrows to receiver `receiver` until the tooltip shows
 * an arrow whose details match `wanted`; returns where the pointer is (page coordinates), or null.
 */
async function hoverArrow(
  page: Page,
  receiver: number,
  wanted: RegExp,
): Promise<{ x: number; y: number } | null> {
  const canvas = page.getByTestId('timeline-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const vp = {
    t0: 0,
    t1: 1,
    width: box.width - 2,
    height: box.height - 2,
    receivers: 3,
    fontPx: Number(await canvas.getAttribute('data-font-px')),
  };
  // Three quarters of the way: past the lanes of the receivers before it, where only its arrows pass.
  const x = box.x + 1 + laneX(0, vp) + 0.75 * (laneX(receiver + 1, vp) - laneX(0, vp));
  const tip = page.getByTestId('timeline-tip');
  for (let y = box.y + box.height - 4; y > box.y + 30; y -= 3) {
    await page.mouse.move(x, y);
    if ((await tip.isVisible()) && wanted.test((await tip.textContent()) ?? '')) return { x, y };
  }
  await page.screenshot({ path: join(SHOTS, 'hover-missed.png') });
  return null;
}

describe.skipIf(chromiumMissing !== null)('click to lose in Chromium', () => {
  const browser = useBrowserApp('lose');

  it('one click loses one packet: one timeout and one retransmission, to that receiver only', async () => {
    const { page, services } = await browser.open();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await cleanNetwork(page);
    // A long timeout: on a busy machine no round trip outlasts it, so the only timeout is the one clicked.
    await startDemo(page, { mss: 2000, pace: 'Step', timeout: 500 });
    const next = page.getByRole('button', { name: 'Next round' });
    const canvas = page.getByTestId('timeline-canvas');
    const totals = page.getByTestId('timeline-totals');
    const rounds = async (): Promise<number> => Number(await totals.getAttribute('data-rounds'));
    for (let round = 1; round <= 2; round++) {
      await expect.poll(() => next.isEnabled(), { timeout: 10_000 }).toBe(true);
      await next.click();
      await expect.poll(rounds).toBe(round);
    }
    // The next round (chunk 3 to each receiver, and their ACKs) waits, drawn before it leaves.
    await expect.poll(async () => Number(await canvas.getAttribute('data-next'))).toBe(6);
    await page.waitForTimeout(1500); // the round's flights have landed

    // Hover: a sent packet's details. (The sender sends to the relays: their addresses name the lanes.)
    const second = services.recording('demo')!.session.receivers[1]!.label;
    expect(await hoverArrow(page, 1, new RegExp(`^Chunk 2 to ${second}`))).not.toBeNull();
    const details = (await page.getByTestId('timeline-tip').textContent()) ?? '';
    expect(details).toMatch(/Sent \d+\.\d{3} s, arrived \d+\.\d{3} sRTT \d+\.\d{3} ms$/);

    // The keyboard reaches every arrow, the next round's included.
    expect(await pickArrow(page, new RegExp(`^Chunk 3 to ${second}, next round`))).toContain('Not sent yet');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('timeline-tip').isVisible()).toBe(false);

    // Click the next round's packet to receiver 2.
    const target = await hoverArrow(page, 1, new RegExp(`^Chunk 3 to ${second}, next round`));
    expect(target).not.toBeNull();
    await page.mouse.click(target!.x, target!.y);
    await expect.poll(() => page.getByTestId('timeline-tip').textContent()).toContain('Chosen');
    expect(engineEvents(services, [TimelineKind.timeout, TimelineKind.resend])).toEqual([]);

    // The round leaves: receiver 2's copy dies mid-way, its timer expires, the retransmission waits for a click.
    await next.click();
    await expect
      .poll(() => engineEvents(services, [TimelineKind.timeout]))
      .toEqual([[TimelineKind.timeout, 3, 1]]);
    await expect
      .poll(async () =>
        Number(await page.getByTestId('timeline-drawn').getAttribute('data-drawn-net-losses')),
      )
      .toBe(1);
    await page.waitForTimeout(1500);
    await page.locator('.timeline-panel').screenshot({ path: join(SHOTS, 'click-to-lose.png') });
    await next.click();
    await expect
      .poll(() => engineEvents(services, [TimelineKind.resend]))
      .toEqual([[TimelineKind.resend, 3, 1]]);

    // Two more rounds: nothing else is lost, timed out or sent again, to anyone.
    for (let round = 5; round <= 6; round++) {
      await next.click();
      await expect.poll(rounds).toBe(round);
    }
    await page.waitForTimeout(600);
    expect(engineEvents(services, [TimelineKind.timeout, TimelineKind.resend, TimelineKind.netLoss])).toEqual(
      [
        [TimelineKind.netLoss, 3, 1],
        [TimelineKind.timeout, 3, 1],
        [TimelineKind.resend, 3, 1],
      ],
    );
  }, 120_000);

  // The details of a packet chosen in the next round stayed on screen after it left, lost and the timer expired:
  // "ACK 3 ... next round. Not sent yet ... Chosen" over a diagram that had moved on to its retransmission.
  it("a packet's details go when the round they describe has left", async () => {
    const { page, services } = await browser.open();
    await page.setViewportSize({ width: 1280, height: 720 });
    await cleanNetwork(page);
    await startDemo(page, { mss: 2000, pace: 'Step', timeout: 500 });
    const next = page.getByRole('button', { name: 'Next round' });
    const canvas = page.getByTestId('timeline-canvas');
    const tip = page.getByTestId('timeline-tip');
    for (let round = 1; round <= 2; round++) {
      await expect.poll(() => next.isEnabled(), { timeout: 10_000 }).toBe(true);
      await next.click();
    }
    // Both rounds sent (the second click waits for the first round's flights to land), then drawn landed.
    await expect.poll(() => engineEvents(services, [TimelineKind.send]).length).toBe(6);
    await allLanded(page, services);
    await expect.poll(async () => Number(await canvas.getAttribute('data-next'))).toBe(6);
    const second = services.recording('demo')!.session.receivers[1]!.label;
    expect(await pickArrow(page, new RegExp(`^ACK 3 from ${second}, next round`))).not.toBeNull();
    await page.keyboard.press('Enter');
    await expect.poll(() => tip.textContent()).toContain('Chosen');
    await page.waitForTimeout(500); // while the round waits, its packet's details stay
    expect(await tip.textContent()).toContain('Chosen');

    // The round leaves (from the keyboard: the pointer never comes near the diagram), ACK 3 is lost, its timer
    // expires, and the retransmission waits: the details of the ACK that left are gone.
    await next.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => engineEvents(services, [TimelineKind.timeout]))
      .toEqual([[TimelineKind.timeout, 3, 1]]);
    await expect.poll(async () => Number(await canvas.getAttribute('data-next'))).toBe(2);
    await page.locator('.timeline-panel').screenshot({ path: join(SHOTS, 'click-to-lose-tip-gone.png') });
    await expect.poll(() => tip.isVisible()).toBe(false);
  }, 90_000);

  it('one click on a data packet in flight loses that datagram: one timeout and one retransmission, to that receiver only', async () => {
    const { page, services, userData } = await browser.open();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await cleanNetwork(page);
    // A long timeout: at full speed at the end, no round trip on a busy machine outlasts it. At a teaching pace
    // a flight lasts 400 ms on the demo's clock, running at 2/3 of the wall's, so it is drawn (and lasts) 600 ms.
    await startDemo(page, { mss: 2000, pace: 'Step', timeout: 2000 });
    const next = page.getByRole('button', { name: 'Next round' });
    const canvas = page.getByTestId('timeline-canvas');
    const tip = page.getByTestId('timeline-tip');
    const third = services.recording('demo')!.session.receivers[2]!.label;
    const acks = (seq: number): number =>
      engineEvents(services, [TimelineKind.ack]).filter(([, s]) => s === seq).length;

    // Each round: step it, pick the newest packet (chunk k to the third receiver) while it flies, click it.
    // A click after it landed only says so ("Too late"), or (on a loaded machine, where the click comes later
    // still) shows the landed packet's details, and the round goes on: then the next round is tried.
    let lostSeq = 0;
    for (let seq = 1; seq <= 12 && lostSeq === 0; seq++) {
      await expect.poll(() => next.isEnabled(), { timeout: 15_000 }).toBe(true);
      await next.click();
      await expect
        .poll(() => engineEvents(services, [TimelineKind.send]).length, { timeout: 10_000 })
        .toBe(3 * seq);
      await expect
        .poll(async () => Number(await canvas.getAttribute('data-flying')), { timeout: 10_000 })
        .toBeGreaterThan(0);
      await page.mouse.move(0, 0);
      await canvas.focus();
      await page.keyboard.press('ArrowLeft');
      const picked = (await tip.textContent()) ?? '';
      if (picked.startsWith(`Chunk ${seq} to ${third}`) && picked.includes('In flight')) {
        const box = (await canvas.boundingBox())!;
        const x = box.x + Number(await tip.getAttribute('data-x'));
        const y = box.y + Number(await tip.getAttribute('data-y'));
        await page.mouse.click(x, y);
        // On a loaded machine the click can come after the packet moved on from where it was picked: it hits
        // nothing, the tip stays as it was, and the next round is tried (CI once missed it this way).
        const answered = await expect
          .poll(() => tip.textContent(), { timeout: 5_000 })
          .toMatch(/Lost in flight|Too late|arrived \d/)
          .then(
            () => true,
            () => false,
          );
        if (answered && (await tip.textContent())!.includes('Lost in flight')) lostSeq = seq;
      }
      if (lostSeq === 0) await expect.poll(() => acks(seq), { timeout: 15_000 }).toBe(3);
    }
    console.log(`[click in flight] lost chunk ${lostSeq} to ${third}`);
    expect(lostSeq).toBeGreaterThan(0);

    // Receiver 3's copy died mid-way: its timer expires and only it is owed the retransmission.
    await expect
      .poll(() => engineEvents(services, [TimelineKind.timeout]), { timeout: 15_000 })
      .toEqual([[TimelineKind.timeout, lostSeq, 2]]);
    expect(acks(lostSeq)).toBe(2);
    // Slow motion (half a round a second: flights of 600 ms): the retransmission goes, drawn where it is (zoomed
    // out, the lost packet stays in view).
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await page.getByLabel('Slow motion').check();
    await page.getByLabel('Rounds per second').fill('0.5');
    await expect
      .poll(() => engineEvents(services, [TimelineKind.resend]), { timeout: 15_000 })
      .toEqual([[TimelineKind.resend, lostSeq, 2]]);
    await expect
      .poll(async () => Number(await canvas.getAttribute('data-flying')), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await page.locator('.timeline-panel').screenshot({ path: join(SCREENSHOT_DIR, 'click-in-flight.png') });

    // Full speed to the end: nothing else is lost, timed out or sent again, and every copy is whole.
    await page.getByLabel('Full speed').check();
    await expect.poll(() => page.locator('.demo-card .state-done').count(), { timeout: 60_000 }).toBe(3);
    expect(engineEvents(services, [TimelineKind.timeout, TimelineKind.resend, TimelineKind.netLoss])).toEqual(
      [
        [TimelineKind.netLoss, lostSeq, 2],
        [TimelineKind.timeout, lostSeq, 2],
        [TimelineKind.resend, lostSeq, 2],
      ],
    );
    const [demo] = (await readdir(userData)).filter((name) => name.startsWith('p2mp-demo-'));
    for (let i = 1; i <= 3; i++) {
      const folder = join(userData, demo!, `receiver-${i}`);
      const files = await readdir(folder);
      expect(files).toHaveLength(1);
      expect((await readFile(join(folder, files[0]!))).equals(sampleContent())).toBe(true);
    }
  }, 180_000);
});
