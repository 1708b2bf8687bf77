// The sequence diagram of whole transfers (the simulator: our real sender and receivers, loss both ways, Go-Back-N
// and Selective Repeat beside stop-and-wait): on the sender's line, nothing is drawn above what happened before it
// (a send, an ACK coming in, a timeout), frame after frame down the whole transfer, as a class reads it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { layoutFrame, type TimelineReader, type Viewport } from '../../src/renderer/timeline/layout.js';
import { replayOf } from '../../src/renderer/timeline/replay.js';
import { OutstandingSpans } from '../../src/shared/live/outstanding.js';
import type { Recording } from '../../src/shared/live/recording.js';
import { SenderAggregator } from '../../src/shared/live/senderView.js';
import { isTransmission, TIMELINE_STRIDE, TimelineKind } from '../../src/shared/live/timeline.js';
import { TimelineRing } from '../../src/shared/live/timelineRing.js';
import { NO_IMPAIRMENTS } from '../../src/shared/network/impairments.js';
import { simulateTransfer } from '../../src/shared/simulation/simulate.js';
import type { Protocol } from '../../src/shared/limits.js';
import type { RtoMode } from '../../src/shared/engine/rto.js';
import { tempDir } from '../helpers/loopback.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

describe("the sender's line keeps the order things happened in", () => {
  const input = dir.file('in.bin');
  writeFileSync(input, Buffer.from(Array.from({ length: 12_000 }, (_, i) => (i * 71) & 255)));

  /** The sender's events of a lossy transfer (seeded), as the diagram reads them. */
  async function recorded(
    protocol: Protocol,
    seed: number,
    window: number,
    jitterMs: number,
  ): Promise<TimelineRing> {
    const { events } = await transfer(protocol, seed, window, jitterMs, new SenderAggregator());
    const ring = new TimelineRing(events.length / TIMELINE_STRIDE);
    ring.pushAll(events);
    return ring;
  }

  /**
   * A lossy transfer (seeded) to three receivers, told to `aggregator`; `course`: receivers in course mode, `rto`:
   * the sender's (the course's fixed one by default).
   */
  async function transfer(
    protocol: Protocol,
    seed: number,
    window: number,
    jitterMs: number,
    aggregator: SenderAggregator,
    { course = [], rto = 'fixed' }: { course?: number[]; rto?: RtoMode } = {},
  ): Promise<Recording> {
    const folder = dir.file(`out-${protocol}-${window}-${jitterMs}-${seed}-${course.join()}-${rto}`);
    mkdirSync(folder);
    const outcome = await simulateTransfer(
      {
        seed,
        profile: 'standard',
        mss: 500,
        loss: [0.2, 0.1, 0.3],
        // Flights of 5 ms (give or take the jitter): an ACK comes well after the turn that sent its packet.
        forward: { ...NO_IMPAIRMENTS, delayMs: 5, jitterMs },
        backward: { ...NO_IMPAIRMENTS, delayMs: 5, jitterMs, loss: 0.1 },
        protocol,
        ...(protocol === 'saw' ? {} : { window }),
        course,
        rto,
      },
      input,
      folder,
      (e) => aggregator.apply(e),
    );
    expect(outcome.sent.ok).toBe(true);
    return aggregator.recording()!;
  }

  // A window's ACKs come back together where every flight is as long (the demo's network at a teaching pace): they
  // all ended at one point of the sender's line, a knot of up to 20 arrowheads nobody could count.
  for (const protocol of ['gbn', 'sr'] as Protocol[])
    it(`${protocol}, W = 8: each ACK's head apart from the others on the sender's line`, async () => {
      for (const seed of [1, 2]) {
        const ring = await recorded(protocol, seed, 8, 0);
        const end = ring.t(ring.end - 1);
        for (const span of [30, 200])
          for (let t0 = 0; t0 < end; t0 += span / 2) {
            const vp: Viewport = {
              t0,
              t1: t0 + span,
              width: 1024,
              height: 480,
              receivers: 3,
              fontPx: 14,
              window: 8,
              ...(protocol === 'sr' ? { segmentTimers: true } : {}),
            };
            const frame = layoutFrame(ring, Infinity, vp, { timeoutMs: 100, head: end, follow: false });
            const heads = frame.arrows
              .filter((a) => a.kind === 'ack' && !a.lost)
              .map((a) => a.y2)
              .sort((a, b) => a - b);
            for (const [i, y] of heads.entries())
              if (i > 0)
                // An arrowhead is about half the font size wide: two less than 0.4 of it apart are one blot.
                expect(
                  y - heads[i - 1]!,
                  `${protocol} seed ${seed}, ${span} ms from ${t0}`,
                ).toBeGreaterThanOrEqual(vp.fontPx * 0.4);
          }
      }
    });

  for (const protocol of ['saw', 'gbn', 'sr'] as Protocol[])
    it(`${protocol}: every frame of lossy transfers (W = 4 for a window)`, async () => {
      for (const seed of [1, 2]) {
        const ring = await recorded(protocol, seed, 4, 1);
        const end = ring.t(ring.end - 1);
        // Selective Repeat's fast retransmissions reach the timeline as such (the sender's shell says which).
        const fast = Array.from({ length: ring.end }, (_, i) => ring.kind(i)).includes(
          TimelineKind.fastResend,
        );
        expect(fast).toBe(protocol === 'sr');
        // 1080p's diagram, 30 ms of the transfer at a time, half a view further each frame.
        const span = 30;
        let checked = 0;
        for (let t0 = 0; t0 < end; t0 += span / 2) {
          const vp: Viewport = {
            t0,
            t1: t0 + span,
            width: 1400,
            height: 700,
            receivers: 3,
            fontPx: 16,
            ...(protocol === 'saw' ? {} : { window: 4 }),
            ...(protocol === 'sr' ? { segmentTimers: true } : {}),
          };
          const frame = layoutFrame(ring, Infinity, vp, { timeoutMs: 100, head: end, follow: false });
          const line = [
            ...frame.arrows.flatMap((a) =>
              a.kind === 'ack' ? (a.lost || a.index < 0 ? [] : [[a.index, a.y2]]) : [[a.index, a.y1]],
            ),
            ...frame.timeouts.map((m) => [m.index, m.y]),
          ].sort((a, b) => a[0]! - b[0]!);
          // Events at one instant (a turn's sends, receivers timed out by one expiry) are drawn in any order.
          let earlier = -Infinity;
          let atT = { t: NaN, lowest: -Infinity };
          for (const [index, y] of line) {
            const t = ring.t(index!);
            if (t !== atT.t) [earlier, atT] = [Math.max(earlier, atT.lowest), { t, lowest: -Infinity }];
            expect(
              y,
              `${protocol} seed ${seed}: event ${index} at ${t} ms drawn above an earlier one`,
            ).toBeGreaterThanOrEqual(earlier);
            atT.lowest = Math.max(atT.lowest, y!);
          }
          checked += line.length;
          // Selective Repeat's timers: two running at once never share a column, and each that expired (its clock in
          // view, above the plot's bottom margin) ends at the clock that names its segment.
          if (protocol === 'sr')
            for (const [i, bar] of frame.timers.entries()) {
              for (const other of frame.timers.slice(i + 1))
                if (other.seq !== bar.seq && bar.y1 < other.y2 && other.y1 < bar.y2)
                  expect(other.x, `seed ${seed}: timers of ${bar.seq} and ${other.seq}`).not.toBe(bar.x);
              if (bar.state === 'expired' && bar.y2 < vp.height - vp.fontPx)
                expect(frame.timeouts.some((m) => m.seq === bar.seq && m.y === bar.y2)).toBe(true);
            }
        }
        expect(checked).toBeGreaterThan(100);
      }
    });

  // A receiver in course mode answers no offer, so Selective Repeat gives it Go-Back-N: its ACK of k says it has every
  // segment up to k. The diagram read it as naming k alone: each earlier segment's timer ran on past the ACK that gave
  // the segment to its last receiver, to a send W further or to its expiry. And the sender times a segment per
  // receiver: with adaptive RTOs one receiver's timer of it expires before another's, which ended the bar for all.
  it("sr with a course receiver: each segment's timer stops at the ACK that gives it to the last receiver, live and replayed", async () => {
    for (const rto of ['fixed', 'adaptive'] as const)
      for (const seed of [1, 2, 3]) {
        const aggregator = new SenderAggregator();
        const recording = await transfer('sr', seed, 4, 1, aggregator, { course: [1], rto });
        // As the live diagram gets it (a batch: its events and the transfer's state), and as a replay.
        const { snapshot, timeline } = aggregator.take();
        const live = new TimelineRing(timeline.length / TIMELINE_STRIDE);
        live.pushAll(timeline);
        const replay = replayOf(recording);
        for (const [how, events, cumulative] of [
          ['live', live, snapshot.cumulative],
          ['replay', replay.ring, replay.session.cumulative],
        ] as const)
          expect(coveredStops(events, cumulative, `${rto} RTO, seed ${seed}, ${how}`)).toBeGreaterThan(0);
      }
  });

  /**
   * Checks that every segment's timer bar stops where the ACK that gave the segment to its last receiver came in, as
   * the sender window (outstanding.ts) reasons; returns how many of them a course receiver's ACK of a later segment
   * stopped.
   */
  function coveredStops(ring: TimelineReader, cumulative: number[] | undefined, what: string): number {
    const head = ring.t(ring.end - 1);
    const vp: Viewport = {
      t0: 0,
      t1: head,
      width: 1400,
      height: 200_000,
      receivers: 3,
      fontPx: 16,
      window: 4,
      segmentTimers: true,
      ...(cumulative ? { cumulative } : {}),
    };
    const frame = layoutFrame(ring, ring.end, vp, { timeoutMs: 100, head, follow: false });
    expect(frame.leftOut).toBe(0);
    const spans = new OutstandingSpans();
    spans.begin('sr', 3, 4, [1]);
    let covered = 0;
    for (let i = ring.start; i < ring.end; i++) {
      const [t, kind, seq, r] = [ring.t(i), ring.kind(i), ring.seq(i), ring.receiver(i)];
      if (kind === TimelineKind.ack) spans.ackedBy(seq, r, t);
      else if (isTransmission(kind)) spans.sent(seq, t);
      const closed = spans.drain();
      if (kind !== TimelineKind.ack) continue;
      const ack = frame.arrows.find((a) => a.index === i)!;
      for (let k = 0; k < closed.length; k += 3) {
        const segment = closed[k]!;
        const bar = frame.timers.filter((b) => b.seq === segment && b.y1 <= ack.y2).at(-1);
        expect(bar, `${what}: segment ${segment}, ACK ${seq} from ${r} at ${t} ms`).toMatchObject({
          state: 'stopped',
          y2: ack.y2,
        });
        if (r === 1 && segment < seq) covered++;
      }
    }
    return covered;
  }
});
