// The sequence diagram's geometry, totals and viewport as pure functions: no canvas needed.
import { describe, expect, it } from 'vitest';
import { TimelineKind as K } from '../../src/shared/live/timeline';
import { TimelineRing } from '../../src/shared/live/timelineRing';
import { OutstandingSpans } from '../../src/shared/live/outstanding';
import { applySpans, emptySpans } from '../../src/renderer/timeline/senderWindow';
import {
  arrowAt,
  flightHeight,
  formatTime,
  laneX,
  layoutFrame,
  metrics,
  midway,
  nextRound,
  timerX,
  timeToY,
  windowBandX,
  windowCellPx,
  type Viewport,
} from '../../src/renderer/timeline/layout';
import { Tally } from '../../src/renderer/timeline/tally';
import { keepOf, Squeeze, squeezeOf } from '../../src/renderer/timeline/squeeze';
import { waitText } from '../../src/renderer/timeline/draw';
import { axisTicks } from '../../src/renderer/timeline/axis';
import { panView, scrollTo, windowOf, zoomView } from '../../src/renderer/timeline/viewport';

function ring(rows: number[][], capacity = 100): TimelineRing {
  const r = new TimelineRing(capacity);
  for (const [t, kind, seq, receiver] of rows) r.push(t!, kind!, seq!, receiver!);
  return r;
}

// Two receivers, one chunk: receiver 1 loses the first copy, times out, gets the retransmission.
// prettier-ignore
const lossy = [
  [0, K.send, 1, 0], [0, K.send, 1, 1],
  [10, K.drop, 1, 1],
  [20, K.ack, 1, 0],
  [100, K.timeout, 1, 1], [100, K.resend, 1, 1],
  [120, K.ack, 1, 1],
  [121, K.send, 2, 0], [121, K.send, 2, 1],
];

// Font 10 px: time column 52 px, lane names 20 px, 8 px below; lanes at x = 62, 237, 412; 1 px per ms (y = 20 + t);
// flights 33 px tall (a sixth of the 200 px plot).
const vp: Viewport = { t0: 0, t1: 200, width: 444, height: 228, receivers: 2, fontPx: 10 };
const timing = { timeoutMs: 100, head: 121, follow: false };
const [xS, x1, x2] = [62, 237, 412];

describe('layoutFrame', () => {
  it('where packets really fly, lands a packet at the end of its flight and draws its ACK on the way back', () => {
    // Chunk 2 to both at 121; a flight is 20 ms. At 135 both still fly; at 150 both landed, nothing else told of
    // receiver 1, so its ACK is on its way back; receiver 0's ACK came at 162; chunk 2 to receiver 1 lost at 150.
    const flying = { ...timing, head: 121, flight: { now: 135, ms: 20 } };
    const tall = { ...vp, t1: 400, height: 828 }; // room below for the ACKs on their way back
    const inFlight = layoutFrame(ring(lossy), Infinity, tall, flying);
    expect(inFlight.arrows.filter((a) => a.expected)).toEqual([]);
    expect(inFlight.arrows.slice(-2).map((a) => a.t2)).toEqual([null, null]);

    const landed = layoutFrame(ring(lossy), Infinity, tall, { ...flying, flight: { now: 150, ms: 20 } });
    const [to0, to1, back0, back1] = landed.arrows.slice(-4);
    expect([to0!.t2, to1!.t2]).toEqual([141, 141]);
    expect(back0).toMatchObject({
      kind: 'ack',
      seq: 2,
      receiver: 0,
      expected: true,
      index: -1,
      t1: 141,
      t2: null,
    });
    expect(back0).toMatchObject({ x1: to0!.x2, y1: to0!.y2, x2: xS, answers: to0!.index });
    expect(back1).toMatchObject({ kind: 'ack', seq: 2, receiver: 1, expected: true });

    const told = layoutFrame(ring([...lossy, [150, K.netLoss, 2, 1], [162, K.ack, 2, 0]]), Infinity, tall, {
      ...flying,
      head: 162,
      flight: { now: 165, ms: 20 },
    });
    expect(told.arrows.filter((a) => a.expected)).toEqual([]);
    expect(told.arrows.filter((a) => a.kind === 'ack' && a.seq === 2)).toMatchObject([
      { receiver: 0, t2: 162 },
    ]);
    expect(told.drawn.netLosses).toBe(1);
  });

  it('draws slanted arrows down and back, a cross short of the receiver, a timer and a timeout', () => {
    expect([laneX(0, vp), laneX(1, vp), laneX(2, vp)]).toEqual([xS, x1, x2]);
    expect(flightHeight(vp)).toBe(33);
    const frame = layoutFrame(ring(lossy), Infinity, vp, timing);
    expect(frame.drawn).toEqual({ sends: 4, resends: 1, acks: 2, drops: 1, netLosses: 0, timeouts: 1 });
    const [toR0, toR1, ack0, resend, ack1] = frame.arrows;
    // Receiver 0: down one flight, back one flight (loopback times are too small to show).
    expect(toR0).toMatchObject({ kind: 'send', seq: 1, x1: xS, y1: 20, x2: x1, y2: 53, lost: false });
    expect(ack0).toMatchObject({ kind: 'ack', seq: 1, x1: x1, y1: 53, x2: xS, y2: 86, answers: toR0!.index });
    // Receiver 1's first copy is lost: its arrow stops at the cross, just short of receiver 1's line.
    expect(toR1!.lost).toBe(true);
    expect(toR1!.x2).toBe(x2 - metrics(10).dropGap);
    expect(toR1!.y2).toBeCloseTo(20 + (33 * (x2 - 7 - xS)) / (x2 - xS));
    expect(frame.drops).toEqual([
      { x: toR1!.x2, y: toR1!.y2, seq: 1, receiver: 1, index: toR1!.index, where: 'receiver' },
    ]);
    // The timer ran from the send to its expiry at 100 ms, where the timeout is marked.
    expect(frame.timeouts).toEqual([{ y: 120, x1: xS, x2: x2, index: 4, seq: 1 }]);
    expect(frame.timers[0]).toMatchObject({ y1: 20, y2: 120, state: 'expired' });
    // The retransmission goes below the timeout mark, its ACK below its arrival; chunk 2 below that.
    expect(resend).toMatchObject({ kind: 'resend', y1: 128, x2: x2, y2: 161 });
    // Its details: which round's timer expired; receiver 0's packet has its round trip.
    expect(resend!.afterTimeout).toEqual({ round: 0, expired: 100 });
    expect(toR0!.rttMs).toBe(20);
    expect(ack0!.rttMs).toBe(20);
    expect(ack1).toMatchObject({ kind: 'ack', y1: 161, y2: 194 });
    expect(frame.timers[1]).toMatchObject({ y1: 128, y2: 194, state: 'stopped' });
    expect(frame.rounds).toEqual([
      { y: 20, t: 0, shown: 0 },
      { y: 128, t: 100, shown: 100 },
      { y: 194, t: 121, shown: 121 },
    ]);
    // Now (121 ms): chunk 2 is out, both receivers owe its ACK, its timer runs.
    expect(frame.current).toEqual({ seq: 2, since: 121, owed: [0, 1], timedOut: [] });
    expect(frame.timers[2]).toMatchObject({ y1: 194, state: 'running' });
  });

  it("pairs each of a window's ACKs and losses with its own packet, not the receiver's newest (Go-Back-N)", () => {
    // W = 3 to both receivers at once: receiver 0 ACKs 1, 2, 3; receiver 1 drops 2, ACKs 1, and discards 3 out
    // of order (its duplicate ACK 1 is no event: the sender ignores it).
    // prettier-ignore
    const window = [
      [0, K.send, 1, 0], [0, K.send, 1, 1], [0, K.send, 2, 0], [0, K.send, 2, 1],
      [0, K.send, 3, 0], [0, K.send, 3, 1],
      [1, K.ack, 1, 0], [1, K.ack, 1, 1], [1, K.drop, 2, 1], [1, K.ack, 2, 0], [1, K.ack, 3, 0],
    ];
    const tall = { ...vp, t1: 400, height: 828, window: 3 };
    const frame = layoutFrame(ring(window), Infinity, tall, { ...timing, head: 1 });
    const data = (seq: number, r: number) =>
      frame.arrows.find((a) => a.kind === 'send' && a.seq === seq && a.receiver === r)!;
    const acks = frame.arrows.filter((a) => a.kind === 'ack' && a.receiver === 0);
    // Each ACK leaves its receiver where its own packet landed, so they come back in order: ACK 1 above ACK 3.
    expect(acks.map((a) => a.seq)).toEqual([1, 2, 3]);
    for (const ack of acks) {
      const sent = data(ack.seq, 0);
      expect(ack).toMatchObject({ answers: sent.index, y1: sent.y2 });
      expect(sent.rttMs).toBe(1);
    }
    expect(acks[0]!.y2).toBeLessThan(acks[1]!.y2);
    expect(acks[1]!.y2).toBeLessThan(acks[2]!.y2);
    // Receiver 1: the packet dropped ends in its cross; the one after it is not drawn lost.
    expect([data(1, 1).lost, data(2, 1).lost, data(3, 1).lost]).toEqual([false, true, false]);
    expect(frame.drops).toEqual([
      { x: data(2, 1).x2, y: data(2, 1).y2, seq: 2, receiver: 1, index: data(2, 1).index, where: 'receiver' },
    ]);

    // Where packets really fly: receiver 1's ACK of 3 is not on its way back (it discards 3 after losing 2);
    // receiver 0's ACK of 3, not in yet, is.
    const flying = layoutFrame(ring(window.slice(0, -1)), Infinity, tall, {
      ...timing,
      head: 1,
      flight: { now: 30, ms: 20 },
    });
    expect(flying.arrows.filter((a) => a.expected).map((a) => [a.seq, a.receiver])).toEqual([[3, 0]]);
  });

  it("draws a window's segments that leave together side by side, the whole window above its first ACK (Go-Back-N)", () => {
    // W = 4 to both receivers in one turn of the sender; every ACK comes after.
    // prettier-ignore
    const turn = [
      [0, K.send, 1, 0], [0, K.send, 1, 1], [0, K.send, 2, 0], [0, K.send, 2, 1],
      [0, K.send, 3, 0], [0, K.send, 3, 1], [0, K.send, 4, 0], [0, K.send, 4, 1],
      [1, K.ack, 1, 0], [1, K.ack, 1, 1], [1, K.ack, 2, 0], [1, K.ack, 2, 1],
      [1, K.ack, 3, 0], [1, K.ack, 3, 1], [1, K.ack, 4, 0], [1, K.ack, 4, 1],
    ];
    const tall = { ...vp, t1: 400, height: 828, window: 4 };
    const dy = flightHeight(tall);
    const frame = layoutFrame(ring(turn), Infinity, tall, { ...timing, head: 1 });
    const sends = frame.arrows.filter((a) => a.kind === 'send' && a.receiver === 0);
    const acks = frame.arrows.filter((a) => a.kind === 'ack' && a.receiver === 0);
    // In flight side by side: each a label's height (1.6 font sizes) below the one before, not a round trip.
    expect(sends.map((a) => a.y1 - sends[0]!.y1)).toEqual([0, 16, 32, 48]);
    expect(48).toBeLessThan(2 * dy);
    // Each ACK from where its packet landed, in order, every one below the last send.
    expect(acks.map((a) => [a.seq, a.y1])).toEqual(sends.map((a) => [a.seq, a.y2]));
    expect(acks.map((a) => a.y2)).toEqual(sends.map((a) => a.y1 + 2 * dy));
    expect(acks[0]!.y2).toBeGreaterThan(sends[3]!.y1);

    // With no window known (stop-and-wait's Send view), each leaves below the room kept for the one before's ACK.
    const plain = { ...vp, t1: 400, height: 828 };
    const rounds = layoutFrame(ring(turn), Infinity, plain, { ...timing, head: 1 });
    const spaced = rounds.arrows.filter((a) => a.kind === 'send' && a.receiver === 0);
    expect(spaced[1]!.y1 - spaced[0]!.y1).toBe(2 * flightHeight(plain));
  });

  // A sliding window as the textbook draws it (Kurose & Ross, Go-Back-N in operation): each ACK that slides the
  // window lets the next segment out at once, while the window's other segments and their ACKs are in flight. Only a
  // turn's segments were drawn side by side: a segment sent as an ACK came in went below the room kept for the ACKs
  // of the segments before it, a round trip below the one before, and the ACKs beside it were pushed down after it,
  // stop-and-wait again (Compare, the Send view, a simulated network: anywhere a window slides ACK by ACK).
  it('draws a sliding window: each segment leaves where the ACK that let it out came in, in flight beside the others', () => {
    // W = 4, one receiver: 1-4 leave at once; ACK k comes at 10 + k ms, and k + 4 leaves right after it.
    const rows = [1, 2, 3, 4].map((seq) => [0, K.send, seq, 0]);
    for (let k = 1; k <= 8; k++) rows.push([10 + k, K.ack, k, 0], [10 + k + 0.001, K.send, k + 4, 0]);
    // Seconds in view: a few ms are a few px, far less than a flight.
    const stretched = { ...vp, t1: 10_000, height: 828, window: 4 };
    const dy = flightHeight(stretched);
    const frame = layoutFrame(ring(rows), Infinity, stretched, { ...timing, head: 19 });
    const sent = (seq: number) => frame.arrows.find((a) => a.kind === 'send' && a.seq === seq)!;
    const ack = (seq: number) => frame.arrows.find((a) => a.kind === 'ack' && a.seq === seq)!;
    for (let k = 1; k <= 8; k++) {
      expect(sent(k + 4).y1, `${k + 4} leaves as ACK ${k} comes in`).toBe(ack(k).y2);
      // Each ACK a flight after its packet landed: none held back by the segments sent after it.
      expect(ack(k).y2 - ack(k).y1).toBe(dy);
    }
    // In flight side by side: 5 leaves before 2-4's ACKs come in, a label's height apart, not a round trip.
    expect(sent(6).y1 - sent(5).y1).toBeLessThan(dy);
    expect(sent(5).y1).toBeLessThan(ack(4).y2);
  });

  it('draws an ACK that came after a timeout below its mark, where the window still waits (Go-Back-N)', () => {
    // Recorded in Compare's slow motion (seed 2024, W = 4; two of its three receivers, segments 6-10 numbered from
    // 1, times from 340 ms): receiver 1's ACK 2 is lost; its timer, restarted by its ACK 1, expires 0.1 ms after
    // the pacer's turn sent 3-5, and its cumulative ACK 3 comes 40 ms later, before any go-back. The turn's
    // segments are drawn one below the other, each with room for its ACK: laid out there, the timeout was drawn
    // below every ACK of 5 and beside a window all usable, as if the sender timed out with every ACK in.
    // prettier-ignore
    const late = [
      [0, K.send, 1, 0], [0, K.send, 1, 1], [0, K.send, 2, 0], [0, K.send, 2, 1],
      [20, K.netAckLoss, 2, 1],
      [40, K.ack, 1, 1], [40, K.ack, 1, 0], [40, K.ack, 2, 0],
      [140, K.send, 3, 0], [140, K.send, 3, 1], [140, K.send, 4, 0], [140, K.send, 4, 1],
      [140, K.send, 5, 0], [140, K.send, 5, 1],
      [140.1, K.timeout, 2, 1],
      [180, K.ack, 3, 0], [180, K.ack, 4, 0], [180, K.ack, 5, 0],
      [180, K.ack, 3, 1], [180, K.ack, 4, 1], [180, K.ack, 5, 1],
    ];
    const events = ring(late);
    const expiry = late.findIndex(([, kind]) => kind === K.timeout);
    const spans = new OutstandingSpans();
    spans.begin('gbn', 2, 4);
    for (const [t, kind, seq, r] of late)
      if (kind === K.send) spans.sent(seq!, t!);
      else if (kind === K.ack) spans.ackedBy(seq!, r!, t!);
    const table = emptySpans();
    applySpans(table, spans.drain());
    const tall = { ...vp, t1: 800, height: 828, window: 4 };
    const frame = layoutFrame(events, Infinity, tall, {
      ...timing,
      head: 180,
      window: { spans: table, lastSeq: 6 },
    });
    const [mark] = frame.timeouts;
    expect(mark).toMatchObject({ x2 });
    const acks = frame.arrows.filter((a) => a.kind === 'ack' && !a.lost);
    const before = acks.filter((a) => a.index < expiry);
    const after = acks.filter((a) => a.index > expiry);
    expect(after).toHaveLength(6);
    for (const ack of before) expect(ack.y2).toBeLessThanOrEqual(mark!.y);
    for (const ack of after) expect(ack.y2).toBeGreaterThan(mark!.y);
    // Beside the mark, the window still waits for receiver 1's ACK of 2.
    const row = frame.window.find((w) => w.y1 <= mark!.y && mark!.y < w.y2);
    expect(row).toMatchObject({
      base: 2,
      slots: ['outstanding', 'outstanding', 'outstanding', 'outstanding'],
    });

    // Where packets really fly: the ACKs of 3-5 on their way back, not in yet, come below the mark too.
    const flying = layoutFrame(ring(late.slice(0, expiry + 1)), Infinity, tall, {
      ...timing,
      head: 140.1,
      flight: { now: 170, ms: 20 },
    });
    const expected = flying.arrows.filter((a) => a.expected);
    expect(expected.map((a) => [a.seq, a.receiver])).toEqual([
      [3, 0],
      [4, 0],
      [5, 0],
      [3, 1],
      [4, 1],
      [5, 1],
    ]);
    for (const ack of expected) expect(ack.y2).toBeGreaterThan(flying.timeouts[0]!.y);
  });

  // Go-Back-N in the local demo at a teaching pace (W = 8, 4 receivers): a turn's ACKs, stretched down where they
  // crowd, come in on the sender's line where the timer that fired 100 ms later was marked too, its clock over
  // their heads, as if it fired as they came in.
  it('marks a timeout below the ACKs that came in before it, its clock clear of their heads', () => {
    // prettier-ignore
    const turn = [
      [0, K.send, 1, 0], [0, K.send, 1, 1], [0, K.send, 2, 0], [0, K.send, 2, 1],
      [0.1, K.drop, 2, 1], [1, K.ack, 1, 0], [1, K.ack, 2, 0], [1, K.ack, 1, 1],
      [101, K.timeout, 2, 1],
    ];
    // Seconds in view: 101 ms is a few px, far less than a flight.
    const stretched = { ...vp, t1: 10_000, height: 828, window: 8 };
    const frame = layoutFrame(ring(turn), Infinity, stretched, { ...timing, head: 101 });
    const [mark] = frame.timeouts;
    const acks = frame.arrows.filter((a) => a.kind === 'ack');
    expect(acks).toHaveLength(3);
    // The clock's radius (drawTimeout) clear of every arrowhead, whose tip is its ACK's end.
    for (const ack of acks) expect(mark!.y - ack.y2).toBeGreaterThanOrEqual(stretched.fontPx * 0.45);
  });

  // A teacher's review: Selective Repeat's timers are per segment, but a bar was drawn per round, each stopped by the
  // next segment's send; the timeout that followed fired on no bar in view, and its clock did not say whose it was.
  it("draws Selective Repeat's timers one per segment, each expiry ending its own segment's bar, named on its clock", () => {
    // W = 4, one receiver: 1-4 leave at once; 2 is dropped, 1, 3, 4 ACKed; 2's timer fires, 2 goes again.
    // prettier-ignore
    const rows = [
      [0, K.send, 1, 0], [0, K.send, 2, 0], [0, K.send, 3, 0], [0, K.send, 4, 0],
      [5, K.drop, 2, 0], [10, K.ack, 1, 0], [10, K.ack, 3, 0], [10, K.ack, 4, 0],
      [100, K.timeout, 2, 0], [100, K.resend, 2, 0], [110, K.ack, 2, 0],
    ];
    const tall: Viewport = { ...vp, t1: 400, height: 828, receivers: 1, window: 4, segmentTimers: true };
    const frame = layoutFrame(ring(rows), Infinity, tall, { ...timing, head: 110 });
    const data = frame.arrows.filter((a) => a.kind !== 'ack');
    const ack = (seq: number) => frame.arrows.find((a) => a.kind === 'ack' && a.seq === seq)!;
    const [mark] = frame.timeouts;
    expect(mark).toMatchObject({ seq: 2 });
    // A bar per transmission, from where it left: 1-4, then 2 again.
    expect(frame.timers.map((b) => [b.seq, b.y1])).toEqual(data.map((a) => [a.seq, a.y1]));
    const [one, two, three, four, again] = frame.timers;
    // 2's bar ends at its timeout's clock; the others where their ACKs came in.
    expect(two).toMatchObject({ state: 'expired', y2: mark!.y });
    for (const [bar, seq] of [
      [one, 1],
      [three, 3],
      [four, 4],
      [again, 2],
    ] as const)
      expect(bar, `bar of ${seq}`).toMatchObject({ state: 'stopped', y2: ack(seq).y2 });
    // Timers running side by side each in a column of its own (the segment's slot, mod W), left of the sender.
    expect(new Set([one, two, three, four].map((b) => b!.x)).size).toBe(4);
    expect(again!.x).toBe(two!.x);
    for (const b of frame.timers) expect(b.x).toBeLessThan(laneX(0, tall));
  });

  // Compare's Selective Repeat lane on a 1024-px projector (W = 8, three receivers, 16-px type): the band and the eight
  // timer columns left the receivers 21 px between the sender's line and the last one's, their arrows unreadable.
  it("narrows the window's band, the timer columns and the right margin where the receivers would be crowded", () => {
    const lane: Viewport = { ...vp, width: 310, receivers: 3, fontPx: 16, window: 8, segmentTimers: true };
    expect(laneX(3, lane) - laneX(0, lane)).toBeGreaterThanOrEqual(3 * 2.5 * 16);
    // Still apart and in order: the band's slots, the timer columns, the sender's line; the last name's room.
    const columns = Array.from({ length: 8 }, (_, i) => timerX(i + 1, lane)).sort((a, b) => a - b);
    expect(columns[0]).toBeGreaterThan(windowBandX(lane) + 8 * windowCellPx(lane) + 4);
    for (let i = 1; i < 8; i++) expect(columns[i]! - columns[i - 1]!).toBeGreaterThanOrEqual(4);
    expect(columns[7]).toBeLessThan(laneX(0, lane) - 8);
    expect(windowCellPx(lane)).toBeGreaterThanOrEqual(4);
    expect(lane.width - laneX(3, lane)).toBeGreaterThanOrEqual(16);
    // With room (a third of 1920 px), all in full: W slots in 4.8 font sizes, 3.2 right of the last receiver.
    const wide: Viewport = { ...lane, width: 600 };
    expect(8 * windowCellPx(wide)).toBeCloseTo(4.8 * 16);
    expect(timerX(2, wide) - timerX(1, wide)).toBeCloseTo(0.35 * 16);
    expect(wide.width - laneX(3, wide)).toBeCloseTo(3.2 * 16);
  });

  // Selective Repeat's fast retransmission read as a timeout's: dashed like one, and its details named the timer
  // that had expired before it, a class left to wonder why it went early.
  it("tells a fast retransmission from a timeout's, with no timer expiry behind it, and restarts its timer", () => {
    // W = 4, one receiver: 2 and 3 dropped, 1 and 4 ACKed; 3's timer fires and 3 goes again; then 5, 6, 7 let out
    // by ACKs arrive beyond 2, which goes again at once (the SACKs' fast retransmission), its timer restarted.
    // prettier-ignore
    const rows = [
      [0, K.send, 1, 0], [0, K.send, 2, 0], [0, K.send, 3, 0], [0, K.send, 4, 0],
      [5, K.drop, 2, 0], [5, K.drop, 3, 0], [10, K.ack, 1, 0], [10, K.send, 5, 0], [10, K.ack, 4, 0],
      [90, K.timeout, 3, 0], [90, K.resend, 3, 0],
      [95, K.ack, 5, 0], [96, K.fastResend, 2, 0],
    ];
    const tall: Viewport = { ...vp, t1: 400, height: 828, receivers: 1, window: 4, segmentTimers: true };
    const frame = layoutFrame(ring(rows), Infinity, tall, { ...timing, head: 96 });
    const again = frame.arrows.filter((a) => a.kind === 'resend');
    expect(again.map((a) => [a.seq, a.fast ?? false, a.afterTimeout])).toEqual([
      [3, false, { round: 0, expired: 90 }],
      [2, true, null],
    ]);
    // 2's first timer stopped where its copy left, and a new one runs from there; no clock for it.
    const bars = frame.timers.filter((b) => b.seq === 2);
    expect(bars).toMatchObject([
      { state: 'stopped', y2: again[1]!.y1 },
      { state: 'running', y1: again[1]!.y1 },
    ]);
    expect(frame.timeouts.map((m) => m.seq)).toEqual([3]);
    expect(frame.drawn.resends).toBe(2);
  });

  it("names each Selective Repeat copy's own expired timer, where two of one receiver's expired in turn", () => {
    // W = 4, one receiver: 2 and 5 (let out by 1's ACK) dropped; 2's timer expires at 100, 5's at 110, and both
    // go again together on the pacer's turn at 120.
    // prettier-ignore
    const rows = [
      [0, K.send, 1, 0], [0, K.send, 2, 0], [0, K.send, 3, 0], [0, K.send, 4, 0],
      [5, K.drop, 2, 0], [10, K.ack, 1, 0], [10, K.send, 5, 0], [10, K.ack, 3, 0], [10, K.ack, 4, 0],
      [15, K.drop, 5, 0], [100, K.timeout, 2, 0], [110, K.timeout, 5, 0],
      [120, K.resend, 2, 0], [120, K.resend, 5, 0],
    ];
    const tall: Viewport = { ...vp, t1: 400, height: 828, receivers: 1, window: 4, segmentTimers: true };
    const frame = layoutFrame(ring(rows), Infinity, tall, { ...timing, head: 120 });
    expect(frame.arrows.filter((a) => a.kind === 'resend').map((a) => [a.seq, a.afterTimeout])).toEqual([
      [2, { round: 0, expired: 100 }],
      [5, { round: 10, expired: 110 }],
    ]);
  });

  // A receiver in course mode gets Go-Back-N in a Selective Repeat transfer: its ACK of k says it has 1..k. Read as
  // naming k alone, the timers of the segments before k ran on past it, to a send W further or their expiry.
  it("stops a course receiver's timers of every segment up to the one its cumulative ACK names (Selective Repeat)", () => {
    // W = 4; receiver 0 ACKs each segment, receiver 1 (course mode) cumulatively. Receiver 1's ACKs of 1 and 2 are
    // lost on the way back, its ACK 3 says it has 1-3; 4 is dropped there, goes again after its timer, ACKed.
    // prettier-ignore
    const rows = [
      [0, K.send, 1, 0], [0, K.send, 1, 1], [0, K.send, 2, 0], [0, K.send, 2, 1],
      [0, K.send, 3, 0], [0, K.send, 3, 1], [0, K.send, 4, 0], [0, K.send, 4, 1],
      [5, K.netAckLoss, 1, 1], [5, K.netAckLoss, 2, 1], [5, K.drop, 4, 1],
      [10, K.ack, 1, 0], [10, K.ack, 2, 0], [10, K.ack, 3, 0], [10, K.ack, 4, 0], [12, K.ack, 3, 1],
      [100, K.timeout, 4, 1], [100, K.resend, 4, 1], [110, K.ack, 4, 1],
    ];
    const tall: Viewport = { ...vp, t1: 400, height: 828, window: 4, segmentTimers: true, cumulative: [1] };
    const frame = layoutFrame(ring(rows), Infinity, tall, { ...timing, head: 110 });
    const ack = (seq: number, receiver: number) =>
      frame.arrows.find((a) => a.kind === 'ack' && !a.lost && a.seq === seq && a.receiver === receiver)!;
    const [mark] = frame.timeouts;
    expect(frame.timers.map((b) => [b.seq, b.state, b.y2])).toEqual([
      [1, 'stopped', ack(3, 1).y2],
      [2, 'stopped', ack(3, 1).y2],
      [3, 'stopped', ack(3, 1).y2],
      [4, 'expired', mark!.y],
      [4, 'stopped', ack(4, 1).y2],
    ]);
    // Told of no course receiver, ACK 3 names 3 alone: 1's and 2's timers run on to their expiry.
    const uninformed = layoutFrame(
      ring(rows),
      Infinity,
      { ...tall, cumulative: [] },
      { ...timing, head: 110 },
    );
    expect(uninformed.timers.slice(0, 2).map((b) => b.y2)).toEqual([timeToY(100, tall), timeToY(100, tall)]);
  });

  // A course receiver's one timer (Go-Back-N's) is on its oldest segment not ACKed, and restarts when an ACK moves
  // that base (selectiveRepeat.ts): the bar of the segment it moves to runs from that ACK, not from its send.
  it("restarts a course receiver's timer on its new base when its cumulative ACK moves it (Selective Repeat)", () => {
    // W = 4, one course receiver: 1 and 2 sent at 0; ACK 1 at 50 moves its base to 2, whose timer runs out at 150.
    // prettier-ignore
    const rows = [
      [0, K.send, 1, 0], [0, K.send, 2, 0], [50, K.ack, 1, 0], [60, K.ack, 1, 0],
      [150, K.timeout, 2, 0], [150, K.resend, 2, 0],
    ];
    const tall: Viewport = { ...vp, t1: 400, height: 828, window: 4, segmentTimers: true, cumulative: [0] };
    // At 120: segment 2's timer runs still (it ran out at 100 counted from its send).
    const before = layoutFrame(ring(rows.slice(0, 4)), Infinity, tall, { ...timing, head: 120 });
    expect(before.timers.map((b) => [b.seq, b.state, b.y2])).toEqual([
      [1, 'stopped', before.arrows.find((a) => a.kind === 'ack')!.y2],
      [2, 'running', timeToY(120, tall)],
    ]);
    expect(before.timers[1]!.yExpiry).toBe(timeToY(150, tall));
    // Its resend names the timer the ACK started (a duplicate ACK of 1, at 60, restarts nothing).
    const after = layoutFrame(ring(rows), Infinity, tall, { ...timing, head: 160 });
    expect(after.arrows.find((a) => a.kind === 'resend')!.afterTimeout).toEqual({ round: 50, expired: 150 });
  });

  // A course receiver's one timer covers every segment it has not ACKed: when it expires (the engine names the base),
  // the go-back resends them all. The later segments' bars ran on for it until their resends, a click later at a
  // teaching pace.
  it("ends a course receiver's timers of every outstanding segment when its one timer expires (Selective Repeat)", () => {
    // W = 4, one course receiver: 1-3 sent at 0, 20 and 30 (a teaching pace), 1 dropped (2 and 3 then out of
    // order: nothing new ACKed); its timer, on 1, expires at 100, and the pacer's next turn resends 1-3 at 120.
    // prettier-ignore
    const rows = [
      [0, K.send, 1, 0], [5, K.drop, 1, 0], [20, K.send, 2, 0], [30, K.send, 3, 0],
      [100, K.timeout, 1, 0], [120, K.resend, 1, 0], [120, K.resend, 2, 0], [120, K.resend, 3, 0],
    ];
    const tall: Viewport = {
      ...vp,
      t1: 400,
      height: 828,
      receivers: 1,
      window: 4,
      segmentTimers: true,
      cumulative: [0],
    };
    const between = layoutFrame(ring(rows.slice(0, 5)), Infinity, tall, { ...timing, head: 110 });
    const [mark] = between.timeouts;
    expect(between.timers.map((b) => [b.seq, b.state, b.y2])).toEqual([
      [1, 'expired', mark!.y],
      [2, 'expired', mark!.y],
      [3, 'expired', mark!.y],
    ]);
    // Each resend goes back after that one timer, and starts its segment's timer again.
    const after = layoutFrame(ring(rows), Infinity, tall, { ...timing, head: 130 });
    expect(after.arrows.filter((a) => a.kind === 'resend').map((a) => [a.seq, a.afterTimeout])).toEqual([
      [1, { round: 0, expired: 100 }],
      [2, { round: 0, expired: 100 }],
      [3, { round: 0, expired: 100 }],
    ]);
    expect(after.timers.map((b) => [b.seq, b.state])).toEqual([
      [1, 'expired'],
      [2, 'expired'],
      [3, 'expired'],
      [1, 'running'],
      [2, 'running'],
      [3, 'running'],
    ]);
  });

  // The sender times a segment per receiver (selectiveRepeat.ts): one receiver's expiry resends to it alone and
  // leaves the others' timers of that segment running. The first expiry ended the segment's bar for all, and a copy
  // to another receiver later had no bar at all.
  it("keeps a Selective Repeat segment's bar while any receiver's timer of it runs, to the last expiry or ACK", () => {
    // W = 4: segment 1 to both, dropped by both. Receiver 0's timer expires at 100, its copy is ACKed at 110;
    // receiver 1's (a longer RTO) at 130, its copy ACKed at 140.
    // prettier-ignore
    const rows = [
      [0, K.send, 1, 0], [0, K.send, 1, 1], [5, K.drop, 1, 0], [5, K.drop, 1, 1],
      [100, K.timeout, 1, 0], [100, K.resend, 1, 0], [110, K.ack, 1, 0],
      [130, K.timeout, 1, 1], [130, K.resend, 1, 1], [140, K.ack, 1, 1],
    ];
    const tall: Viewport = { ...vp, t1: 400, height: 828, window: 4, segmentTimers: true };
    const frame = layoutFrame(ring(rows), Infinity, tall, { ...timing, head: 140 });
    const [first, second] = frame.timeouts;
    const resends = frame.arrows.filter((a) => a.kind === 'resend');
    const last = frame.arrows.find((a) => a.kind === 'ack' && a.receiver === 1)!;
    // One bar from the send to receiver 1's expiry (receiver 0's copy restarted its own timer on it), then one
    // from receiver 1's copy to its ACK.
    expect(frame.timers).toMatchObject([
      { seq: 1, y1: frame.arrows[0]!.y1, state: 'expired', y2: second!.y },
      { seq: 1, y1: resends[1]!.y1, state: 'stopped', y2: last.y2 },
    ]);
    expect(first!.y).toBeLessThan(second!.y);
    // Each copy follows its own receiver's timer, both started by the first send.
    expect(resends.map((a) => [a.receiver, a.afterTimeout])).toEqual([
      [0, { round: 0, expired: 100 }],
      [1, { round: 0, expired: 130 }],
    ]);
  });

  it("marks a running Selective Repeat bar's expiry where its last running timer runs out, not one since stopped", () => {
    // Segment 1 to both; receiver 0's copy fast-resent at 50 (its timer restarts: out at 150); receiver 1's timer
    // expires at 100, its copy is resent (out at 200) and ACKed at 110: only receiver 0's timer runs on, to 150.
    // prettier-ignore
    const rows = [
      [0, K.send, 1, 0], [0, K.send, 1, 1], [5, K.drop, 1, 1],
      [50, K.fastResend, 1, 0], [100, K.timeout, 1, 1], [100, K.resend, 1, 1], [110, K.ack, 1, 1],
    ];
    const tall: Viewport = { ...vp, t1: 400, height: 828, window: 4, segmentTimers: true };
    const frame = layoutFrame(ring(rows), Infinity, tall, { ...timing, head: 120 });
    const running = frame.timers.filter((b) => b.state === 'running');
    // Where a timer started at 50 runs out, on the same plot.
    const at50 = layoutFrame(ring([[50, K.send, 2, 0]]), Infinity, tall, { ...timing, head: 120 }).timers[0]!;
    expect(running).toMatchObject([{ seq: 1, yExpiry: at50.yExpiry }]);
  });

  it('is linear in time where events are far apart, and lifts the newest into view while following', () => {
    // prettier-ignore
    const slow = ring([[0, K.send, 1, 0], [0.2, K.ack, 1, 0], [150, K.send, 2, 0], [150.2, K.ack, 2, 0]]);
    const frame = layoutFrame(slow, Infinity, vp, { ...timing, head: 150.2 });
    expect(frame.rounds.map((r) => r.y)).toEqual([timeToY(0, vp), timeToY(150, vp)]);
    expect(timeToY(150, vp)).toBe(170);
    // The last ACK ends at 170 + 66 = 236, below the plot's bottom (220): following lifts everything 16 px
    // (the first round's time mark goes above the top).
    const followed = layoutFrame(slow, Infinity, vp, { ...timing, head: 150.2, follow: true });
    expect(followed.arrows[0]!.y1).toBe(20 - 16);
    expect(followed.rounds).toEqual([{ y: 170 - 16, t: 150, shown: 150 }]);
    expect(followed.arrows.at(-1)!.y2).toBe(220);
  });

  it('shows only what the window and the limit allow', () => {
    // Replay cursor at index 3: the ACK, the timeout and what follows are not drawn yet.
    expect(layoutFrame(ring(lossy), 3, vp, timing).drawn).toEqual({
      sends: 2,
      resends: 0,
      acks: 0,
      drops: 1,
      netLosses: 0,
      timeouts: 0,
    });
    // A window from 130 ms on: chunk 1's first round, its drop and timeout are above it.
    const late = layoutFrame(ring(lossy), Infinity, { ...vp, t0: 130, t1: 330 }, timing);
    expect(late.drawn).toEqual({ sends: 2, resends: 1, acks: 1, drops: 0, netLosses: 0, timeouts: 0 });
  });

  it('ends a packet lost in the network half way to its receiver, and an ACK lost half way back', () => {
    // Receiver 1's chunk 1 dies in the network; after the timeout its retransmission arrives but the ACK dies.
    // prettier-ignore
    const network = ring([
      [0, K.send, 1, 0], [0, K.send, 1, 1],
      [0.1, K.netLoss, 1, 1],
      [20, K.ack, 1, 0],
      [100, K.timeout, 1, 1], [100, K.resend, 1, 1],
      [100.2, K.netAckLoss, 1, 1],
    ]);
    const frame = layoutFrame(network, Infinity, vp, { ...timing, head: 100.2 });
    expect(frame.drawn).toMatchObject({ drops: 0, netLosses: 2, timeouts: 1 });
    const [, toR1, , resend, lostAck] = frame.arrows;
    // Half way to receiver 1 would be on receiver 0's line: half a lane nearer the sender instead.
    const middle = (xS + x1) / 2;
    expect(midway(1, vp)).toBe(middle);
    expect(midway(0, vp)).toBe((xS + x1) / 2);
    expect(toR1).toMatchObject({ lost: true, x2: middle, y2: 20 + 33 / 4 });
    // The retransmission arrived: drawn whole; its ACK leaves from there and stops mid-way.
    expect(resend).toMatchObject({ kind: 'resend', lost: false, x2: x2, y2: 161 });
    expect(lostAck).toMatchObject({
      kind: 'ack',
      lost: true,
      x1: x2,
      y1: 161,
      x2: middle,
      y2: 161 + (33 * 3) / 4,
    });
    expect(frame.drops).toEqual([
      { x: middle, y: 20 + 33 / 4, seq: 1, receiver: 1, index: toR1!.index, where: 'network' },
      { x: middle, y: 161 + (33 * 3) / 4, seq: 1, receiver: 1, index: lostAck!.index, where: 'network' },
    ]);
    expect(new Tally(network).moveTo(network.end)).toMatchObject({ drops: 0, netLosses: 2, timeouts: 1 });
  });

  it('offers the next round: the retransmission after a timeout, else the next chunk once every ACK is in', () => {
    const next = { inTransfer: [0, 1], lastSeq: 3 };
    // After the timeout (index 5 = before the resend): receiver 1 is owed the retransmission of chunk 1.
    const afterTimeout = layoutFrame(ring(lossy), 5, vp, { ...timing, head: 100, next });
    expect(afterTimeout.current).toMatchObject({ seq: 1, owed: [1], timedOut: [1] });
    expect(afterTimeout.next.map((a) => [a.kind, a.seq, a.receiver, a.index])).toEqual([
      ['resend', 1, 1, -1],
      ['ack', 1, 1, -1],
    ]);
    // ACKs owed and the timer running: nothing to offer; every ACK in: chunk 2 to both.
    expect(layoutFrame(ring(lossy), Infinity, vp, { ...timing, next }).next).toEqual([]);
    const tall = { ...vp, height: 600 };
    const allIn = layoutFrame(ring(lossy), 7, tall, { ...timing, head: 120, next });
    expect(allIn.next.map((a) => [a.kind, a.seq, a.receiver])).toEqual([
      ['send', 2, 0],
      ['ack', 2, 0],
      ['send', 2, 1],
      ['ack', 2, 1],
    ]);
    // Below everything drawn, as the next round will be.
    const lowest = Math.max(...allIn.arrows.map((a) => a.y2));
    expect(Math.min(...allIn.next.map((a) => a.y1))).toBeGreaterThanOrEqual(lowest);
    // Nothing after the end marker, and nothing unless asked for.
    expect(nextRound({ seq: 3, since: 0, owed: [], timedOut: [] }, [0, 1], 3)).toBeNull();
    expect(layoutFrame(ring(lossy), 7, tall, { ...timing, head: 120 }).next).toEqual([]);
  });

  it('finds the arrow under the pointer within reach', () => {
    const frame = layoutFrame(ring(lossy), Infinity, vp, timing);
    const [toR0] = frame.arrows;
    const mid = { x: (toR0!.x1 + toR0!.x2) / 2, y: (toR0!.y1 + toR0!.y2) / 2 };
    expect(arrowAt(frame.arrows, mid.x, mid.y + 3, 12)).toBe(toR0);
    expect(arrowAt(frame.arrows, mid.x, mid.y + 60, 12)).toBeNull();
  });

  it('scales every size with the font: at 28 px, arrows over 3 px and loss marks over 24 px', () => {
    expect(metrics(28)).toMatchObject({ arrow: 3.1, cross: 25 });
    expect(metrics(13)).toMatchObject({ arrow: 1.5, cross: 12 });
  });
});

describe('time column', () => {
  it('writes each round time at a precision fitting its size', () => {
    expect(formatTime(850)).toBe('850.0 ms');
    expect(formatTime(12_345)).toBe('12.345 s');
    expect(formatTime(125_120)).toBe('2:05.120');
  });
});

describe('Tally', () => {
  it('counts events and rounds up to a position, moving both ways', () => {
    const events = ring(lossy);
    const tally = new Tally(events);
    expect(tally.moveTo(events.end)).toEqual({
      events: 9,
      sends: 4,
      resends: 1,
      acks: 2,
      drops: 1,
      netLosses: 0,
      timeouts: 1,
      rounds: 3, // chunk 1, its retransmission, chunk 2
      lastT: 121,
    });
    expect(tally.moveTo(5)).toMatchObject({
      events: 5,
      sends: 2,
      timeouts: 1,
      resends: 0,
      rounds: 1,
      lastT: 100,
    });
    expect(tally.moveTo(6)).toMatchObject({ resends: 1, rounds: 2 });
    expect(tally.moveTo(0)).toMatchObject({ events: 0, rounds: 0, lastT: 0 });
  });

  it('tells back-to-back retransmission rounds of one chunk apart', () => {
    // prettier-ignore
    const events = ring([[0, K.send, 1, 0], [0, K.send, 1, 1], [100, K.resend, 1, 1], [200, K.resend, 1, 1], [300, K.resend, 1, 0], [300, K.resend, 1, 1]]);
    expect(new Tally(events).moveTo(events.end).rounds).toBe(4);
  });
});

describe('viewport', () => {
  it('follows the head, filling from the left until one span has passed', () => {
    expect(windowOf({ span: 1000, end: null }, 300)).toEqual({ t0: 0, t1: 1000 });
    // A little room after the head, so the newest arrows show whole.
    expect(windowOf({ span: 1000, end: null }, 5000)).toEqual({ t0: 4040, t1: 5040 });
    expect(windowOf({ span: 1000, end: 2500 }, 5000)).toEqual({ t0: 1500, t1: 2500 });
  });

  it('scrolls within the session and follows again at the head', () => {
    const view = { span: 1000, end: null };
    expect(panView(view, -540, 5000)).toEqual({ span: 1000, end: 4500 });
    expect(panView({ span: 1000, end: 4500 }, 500, 5000)).toEqual({ span: 1000, end: 5000 });
    expect(panView({ span: 1000, end: 4500 }, 600, 5000)).toEqual({ span: 1000, end: null });
    expect(panView(view, -99_999, 5000)).toEqual({ span: 1000, end: 1000 }); // not before 0
    expect(scrollTo(view, 3000, 5000)).toEqual({ span: 1000, end: 3000 });
  });

  it('zooms around an anchor, and keeps following when zoomed at the right edge', () => {
    expect(zoomView({ span: 1000, end: null }, 0.5, 1, 5000)).toEqual({ span: 500, end: null });
    // Anchored mid-window: the time under the pointer (4540) stays put.
    expect(zoomView({ span: 1000, end: null }, 0.5, 0.5, 5000)).toEqual({ span: 500, end: 4790 });
    expect(zoomView({ span: 1000, end: null }, 1e9, 1, 5000).span).toBe(600_000);
  });
});

// Long waits drawn short (step mode, a pause): the shown clock, its inverse, and the diagram laid out on it.
/** Step mode, one receiver, T = 100 ms: a round each click, the clicks 2.5 s apart; round 2 loses its packet. */
// prettier-ignore
const stepped = [
  [0, K.send, 1, 0], [0.4, K.ack, 1, 0],
  [2500, K.send, 2, 0], [2500.2, K.drop, 2, 0], [2600, K.timeout, 2, 0],
  [5100, K.resend, 2, 0], [5100.4, K.ack, 2, 0],
  [7600, K.send, 3, 0], [7600.4, K.ack, 3, 0],
];

describe('Squeeze', () => {
  it('keeps what happens within a round to scale and draws each wait between rounds 200 ms long', () => {
    const s = new Squeeze(keepOf(100)).update(ring(stepped));
    expect(s.keep).toBe(200);
    // Within a round: as it is. The waits (2.5 s each) are cut to 200 ms.
    expect(s.shown(0.4)).toBe(0.4);
    expect(s.shown(2500)).toBeCloseTo(200.4);
    expect(s.shown(2600) - s.shown(2500)).toBeCloseTo(100); // the timer's 100 ms stay 100 ms
    expect(s.shown(5100)).toBeCloseTo(300.4 + 200);
    expect(s.shown(7600)).toBeCloseTo(500.8 + 200);
    // Inside a wait: its first 200 ms, then one point.
    expect(s.shown(100.4)).toBeCloseTo(100.4);
    expect(s.shown(1500)).toBeCloseTo(200.4);
    // real() is the earliest real time shown there: an event's own time at its shown time.
    for (const t of [0, 0.4, 2500, 2600, 5100, 7600.4]) expect(s.real(s.shown(t))).toBeCloseTo(t);
    expect(s.isBreak(0.4, 2500)).toBe(true);
    expect(s.isBreak(2500, 2500.2)).toBe(false);
    expect(s.isBreak(2600, 5100)).toBe(true);
  });

  it("leaves the protocol's own long waits to scale: a backed-off timer, a slow ACK", () => {
    // Adaptive RTO backed off to 1.6 s, then an ACK 900 ms after its send: no click, no pause.
    // prettier-ignore
    const r = ring([[0, K.send, 1, 0], [1600, K.timeout, 1, 0], [1600, K.resend, 1, 0], [2500, K.ack, 1, 0]]);
    const s = squeezeOf(r, 100);
    expect([1600, 2500].map((t) => s.shown(t))).toEqual([1600, 2500]);
    expect(s.isBreak(0, 1600)).toBe(false);
  });

  it('draws no break between close events however their times round (10^6 ms, 0.2 ms apart, after a wait)', () => {
    const times = [1_000_000.1, 1_000_000.3, 1_003_000.7, 1_003_000.9, 1_003_001.1, 1_003_001.3];
    const r = ring(times.map((t, i) => [t, i % 2 === 0 ? K.send : K.ack, 1 + (i >> 1), 0]));
    const s = squeezeOf(r, 100);
    const breaks = times.slice(1).filter((t, i) => s.isBreak(times[i]!, t));
    expect(breaks).toEqual([1_003_000.7]);
  });

  it('leaves waits shorter than twice its length alone, and scans each event once as the ring grows', () => {
    const r = ring([
      [0, K.send, 1, 0],
      [350, K.send, 2, 0],
    ]);
    const s = squeezeOf(r, 100);
    expect(s.shown(350)).toBe(350);
    r.push(1000, K.send, 3, 0);
    expect(squeezeOf(r, 100)).toBe(s);
    expect(s.shown(1000)).toBeCloseTo(550);
    // Another timeout: another length, a new squeeze.
    expect(squeezeOf(r, 300).keep).toBe(600);
  });

  it('says how long a wait was', () => {
    expect([450, 2512, 14_200, 59_000, 185_000].map(waitText)).toEqual([
      '0.5 s',
      '2.5 s',
      '14 s',
      '59 s',
      '3 min',
    ]);
  });
});

describe('the diagram on the shown clock', () => {
  // 1 px per shown ms; tall enough for every round.
  const tall: Viewport = { t0: 0, t1: 800, width: 444, height: 828, receivers: 1, fontPx: 10 };
  const stepTiming = { timeoutMs: 100, head: 7600.4, follow: false };

  it('draws every round of a stepped session in one view, a break with the real wait between them', () => {
    const events = ring(stepped);
    const squeeze = squeezeOf(events, 100);
    const frame = layoutFrame(events, Infinity, { ...tall, squeeze }, stepTiming);
    expect(frame.rounds.map((r) => r.t)).toEqual([0, 2500, 5100, 7600]);
    expect(frame.breaks.map((b) => Math.round(b.ms))).toEqual([2500, 2500, 2500]);
    // Each break lies between the round above and the one below.
    const ys = frame.rounds.map((r) => r.y);
    frame.breaks.forEach((b, i) => {
      expect(b.y).toBeGreaterThan(ys[i]!);
      expect(b.y).toBeLessThan(ys[i + 1]!);
    });
    // The time column writes the real send times.
    const ticks = axisTicks(frame.rounds, 20, 820, 13, 60, (text) => text.length * 6);
    expect(ticks.map((t) => t.text)).toEqual(['0 ms', '2.50 s', '5.10 s', '7.60 s']);

    // Drawn to scale, the same view holds the first round only.
    const plain = layoutFrame(events, Infinity, tall, stepTiming);
    expect(plain.rounds.map((r) => r.t)).toEqual([0]);
    expect(plain.breaks).toEqual([]);
    expect(timeToY(2500, { ...tall, squeeze })).toBeCloseTo(timeToY(200.4, tall));
  });
});
