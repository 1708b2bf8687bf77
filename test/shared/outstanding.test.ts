// The sender window over time (live/outstanding.ts): which segments were outstanding when, from a live sender's
// events and from a recording's sends and ACKs alone. Checked by hand on small transfers, then on whole
// Go-Back-N and Selective Repeat transfers in the simulator (loss, a receiver that dies): the live diagram and its
// replay draw the same window, and it never holds more than W segments.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SenderEvent } from '../../src/shared/events.js';
import type { Protocol } from '../../src/shared/limits.js';
import { OutstandingSpans } from '../../src/shared/live/outstanding.js';
import { SenderAggregator } from '../../src/shared/live/senderView.js';
import { TimelineKind } from '../../src/shared/live/timeline.js';
import { NO_IMPAIRMENTS } from '../../src/shared/network/impairments.js';
import { simulateTransfer, type Scenario } from '../../src/shared/simulation/simulate.js';
import { replayOf } from '../../src/renderer/timeline/replay.js';
import {
  applySpans,
  describeWindow,
  emptySpans,
  windowAt,
  type SpanTable,
} from '../../src/renderer/timeline/senderWindow.js';
import { tempDir } from '../helpers/loopback.js';
import { endpoints, startOfTen } from '../renderer/batches.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

/** A transfer of 10 chunks to the first `receivers` of batches.ts's three, by `protocol` (with its window W). */
const start = (protocol: Protocol, receivers: number, window?: number): SenderEvent => ({
  ...startOfTen(protocol, window),
  receivers: endpoints.slice(0, receivers),
});

const send = (t: number, seq: number, receiver: number): SenderEvent => ({
  type: 'send',
  t,
  seq,
  receiver,
  retransmission: false,
});
const ack = (t: number, seq: number, receiver: number): SenderEvent => ({
  type: 'ack',
  t,
  seq,
  receiver,
  rttMs: 1,
});

/** Each segment's span as [from, to] (to -1: still outstanding), the newest state of each. */
function spansOf(flat: number[]): Map<number, [number, number]> {
  const spans = new Map<number, [number, number]>();
  for (let k = 0; k < flat.length; k += 3) spans.set(flat[k]!, [flat[k + 1]!, flat[k + 2]!]);
  return spans;
}

/** A table's spans by seq, as spansOf reads a flat list. */
function spansIn(table: SpanTable): Map<number, [number, number]> {
  const spans = new Map<number, [number, number]>();
  for (let seq = table.first; seq <= table.last; seq++)
    spans.set(seq, [table.from[seq - table.first]!, table.to[seq - table.first]!]);
  return spans;
}

function table(flat: number[]): SpanTable {
  const t = emptySpans();
  applySpans(t, flat);
  return t;
}

describe('the sender window over time', () => {
  it("Go-Back-N: a segment is outstanding until every receiver's cumulative ACK covers it", () => {
    const spans = new OutstandingSpans();
    const events = [start('gbn', 2, 4)];
    for (let seq = 1; seq <= 4; seq++) events.push(send(seq, seq, 0), send(seq, seq, 1));
    // r0 has 1-3; r1 only 1; then r1 catches up to 4 while r0 still has 3.
    events.push(ack(10, 3, 0), ack(11, 1, 1), ack(12, 4, 1));
    events.forEach((e) => spans.apply(e));
    expect([...spansOf(spans.drain())]).toEqual([
      [1, [1, 11]],
      [2, [2, 12]],
      [3, [3, 12]],
      [4, [4, -1]],
    ]);
  });

  it('Selective Repeat: an ACK names one segment, and the window waits for an older one', () => {
    const spans = new OutstandingSpans();
    const events = [start('sr', 2, 4)];
    for (let seq = 1; seq <= 3; seq++) events.push(send(seq, seq, 0), send(seq, seq, 1));
    events.push(ack(10, 2, 0), ack(11, 2, 1), ack(12, 1, 0));
    events.forEach((e) => spans.apply(e));
    const flat = spans.drain();
    expect(spansOf(flat).get(2)).toEqual([2, 11]);
    expect(spansOf(flat).get(1)).toEqual([1, -1]);
    // As the state line says it at 12 ms: segment 1 still owed by r1, 2 in, 3 sent, 4 not yet.
    expect(describeWindow(windowAt(table(flat), 12, 4, 11))).toBe(
      'segments 1–4: 1, 3 sent, not yet ACKed by all; 2 ACKed by all, waiting for an older one; 4 usable, not sent yet',
    );
  });

  it("Selective Repeat beside a course receiver: that receiver's ACK covers everything up to it, as Go-Back-N's", () => {
    const spans = new OutstandingSpans();
    // r1 did not agree to Selective Repeat (course mode): it gets Go-Back-N, its ACKs cumulative.
    const events: SenderEvent[] = [
      { ...startOfTen('sr', 4), receivers: endpoints.slice(0, 2), cumulative: [1] },
    ];
    for (let seq = 1; seq <= 3; seq++) events.push(send(seq, seq, 0), send(seq, seq, 1));
    // r0 ACKs each of 1-3 by itself; r1's ACKs of 1 and 2 were lost, its ACK 3 says it has them all.
    events.push(ack(10, 1, 0), ack(11, 2, 0), ack(12, 3, 0), ack(13, 3, 1));
    events.forEach((e) => spans.apply(e));
    const flat = spansOf(spans.drain());
    expect([flat.get(1), flat.get(2), flat.get(3)]).toEqual([
      [1, 13],
      [2, 13],
      [3, 13],
    ]);
  });

  it('a receiver given up on: live, at its failure; in a recording, once a segment W beyond goes out', () => {
    const live = new OutstandingSpans();
    const replayed = new OutstandingSpans();
    replayed.begin('gbn', 2, 2);
    const events = [start('gbn', 2, 2), send(1, 1, 0), send(1, 1, 1), ack(5, 1, 0)];
    events.push({ type: 'receiver-failed', t: 30, seq: 1, receiver: 1, reason: 'no answer' });
    events.push(send(31, 2, 0), send(32, 3, 0));
    for (const e of events) {
      live.apply(e);
      // A recording has the sends and ACKs only.
      if (e.type === 'send') replayed.sent(e.seq, e.t);
      if (e.type === 'ack') replayed.ackedBy(e.seq, e.receiver, e.t);
    }
    expect(spansOf(live.drain()).get(1)).toEqual([1, 30]);
    expect(spansOf(replayed.drain()).get(1)).toEqual([1, 32]);
  });

  it("stop-and-wait's window is told only where asked (Compare): a Send or demo session's batches carry none", () => {
    const events = [start('saw', 1), send(1, 1, 0), ack(2, 1, 0), send(3, 2, 0)];
    const live = new SenderAggregator();
    const compared = new SenderAggregator('demo', () => 0, true);
    events.forEach((e) => [live, compared].forEach((a) => a.apply(e)));
    expect(live.take().spans).toEqual([]);
    expect([...spansOf(compared.take().spans)]).toEqual([
      [1, [1, 2]],
      [2, [3, -1]],
    ]);
  });

  it("live, a span closes at its ACK's time on the diagram's clock (to the microsecond, never back), not a fraction before", () => {
    const aggregator = new SenderAggregator();
    // The engine's clock has fractions of a microsecond; the timeline keeps microseconds, never going back.
    [start('gbn', 1, 4), send(1.0004, 1, 0), send(1.0004, 2, 0)].forEach((e) => aggregator.apply(e));
    aggregator.lost(TimelineKind.drop, 0, 2); // timed by another clock (0 here): the timeline does not go back
    aggregator.apply(ack(4.9996, 1, 0));
    aggregator.apply({ type: 'progress', t: 4.9996, chunksDone: 1, chunks: 10, bytesDone: 1, fileSize: 10 });
    const batch = aggregator.take();
    const times = [...batch.timeline].filter((_, i) => i % 4 === 0);
    expect(times).toEqual([1, 1, 1, 5]);
    expect(spansOf(batch.spans).get(1)).toEqual([1, 5]);
    // The state line just before the ACK's drawn time (its flight still drawn): segment 1 not yet ACKed.
    const spans = table(batch.spans);
    expect(describeWindow(windowAt(spans, 5 - 1e-6, 4, 11))).toBe(
      'segments 1–4: 1–2 sent, not yet ACKed by all; 3–4 usable, not sent yet',
    );
  });

  it("a fresh transfer's first batch carries none of the last one's window (its offer went out first)", () => {
    const aggregator = new SenderAggregator();
    [start('gbn', 1, 4), send(1, 1, 0), send(2, 2, 0)].forEach((e) => aggregator.apply(e));
    aggregator.apply({ type: 'offering', t: 0, receivers: [endpoints[0]!], fileSize: 1 });
    const batch = aggregator.take();
    expect(batch.fresh).toBe(true);
    expect(batch.spans).toEqual([]);
  });
});

/** The most segments outstanding at once. */
function widest(spans: Map<number, [number, number]>, end: number): number {
  const edges = [...spans.values()].flatMap(([from, to]): [number, number][] => [
    [from, 1],
    [to < 0 ? end : to, -1],
  ]);
  // Closings first at a tie: a segment ACKed as the next goes out leaves room for it.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, step] of edges) most = Math.max(most, (open += step));
  return most;
}

describe('whole transfers in the simulator', () => {
  const data = Buffer.from(Array.from({ length: 15_000 }, (_, i) => (i * 131) & 255));
  const input = dir.file('in.bin');
  writeFileSync(input, data);
  const scenario = (protocol: Protocol, seed: number): Scenario => ({
    seed,
    profile: 'standard',
    mss: 500,
    loss: [0.2, 0.1, 0.3],
    forward: NO_IMPAIRMENTS,
    backward: { ...NO_IMPAIRMENTS, loss: 0.1 },
    protocol,
    window: 4,
  });

  /** A transfer as the app sees it: the live view's spans, and the recording saved of it. */
  async function run(s: Scenario) {
    const aggregator = new SenderAggregator();
    const flat: number[] = [];
    const folder = dir.file(`out-${s.protocol}-${s.seed}-${s.course?.join() ?? ''}`);
    mkdirSync(folder);
    const outcome = await simulateTransfer(s, input, folder, (e) => {
      aggregator.apply(e);
      flat.push(...aggregator.take().spans);
    });
    return { outcome, live: spansOf(flat), recording: aggregator.recording()! };
  }

  for (const protocol of ['gbn', 'sr'] as const)
    it(`${protocol === 'gbn' ? 'Go-Back-N' : 'Selective Repeat'}: the replay draws the live window; never more than W`, async () => {
      for (const seed of [1, 2, 3]) {
        const { outcome, live, recording } = await run(scenario(protocol, seed));
        expect(outcome.sent.ok).toBe(true);
        expect(recording.session).toMatchObject({ protocol, window: 4 });
        const replay = replayOf(recording).window!;
        expect(replay.size).toBe(4);
        const end = recording.outcome!.durationMs;
        const replayed = spansIn(replay.spans);
        // Every segment and the end marker, each outstanding once, closed by the end, the same both ways.
        expect(live.size).toBe(31);
        expect([...live.values()].every(([, to]) => to >= 0)).toBe(true);
        expect(replayed).toEqual(live);
        expect(widest(live, end)).toBeLessThanOrEqual(4);
        expect(widest(live, end)).toBe(4);
      }
    });

  it('Selective Repeat with a course receiver (Go-Back-N for it): the replay draws the live window', async () => {
    for (const seed of [1, 2, 3]) {
      const { outcome, live, recording } = await run({ ...scenario('sr', seed), course: [1] });
      expect(outcome.sent.ok).toBe(true);
      expect(outcome.sent.receivers.map((r) => r.fallback !== undefined)).toEqual([false, true, false]);
      expect(recording.session).toMatchObject({ protocol: 'sr', window: 4, cumulative: [1] });
      const replay = replayOf(recording).window!;
      const replayed = spansIn(replay.spans);
      expect(live.size).toBe(31);
      expect(replayed).toEqual(live);
      expect(widest(live, recording.outcome!.durationMs)).toBeLessThanOrEqual(4);
    }
  });

  it('a receiver that dies mid-transfer: the replayed window moves on as the sender did, never above W', async () => {
    const s = { ...scenario('gbn', 5), deaths: [{ receiver: 2, atMs: 40 }] };
    const { outcome, live, recording } = await run(s);
    // The others got the file; the dead one was given up on mid-way (the replay is not told so).
    expect(outcome.sent.receivers.map((r) => r.failure === undefined)).toEqual([true, true, false]);
    expect(live.size).toBe(31);
    const replay = replayOf(recording).window!;
    const end = recording.outcome!.durationMs;
    const replayed = spansIn(replay.spans);
    expect(replayed.size).toBe(live.size);
    expect(widest(replayed, end)).toBeLessThanOrEqual(4);
    expect(widest(live, end)).toBeLessThanOrEqual(4);
    // Each segment closes in the replay as the sender knew: a new segment's first copies go to every receiver
    // still in the transfer, so the first that leaves the dead one out says it was given up on (by then).
    expect(replayed).toEqual(live);
  });
});
