// The timeline's words: each event kind in the list beside the diagram, and an arrow's tooltip lines.
import { describe, expect, it } from 'vitest';
import { layoutFrame, type Viewport } from '../../src/renderer/timeline/layout';
import {
  describeArrow,
  describeCurrent,
  describeEvent,
  describeTotals,
  owedAsDrawn,
} from '../../src/renderer/timeline/summary';
import { emptyTotals } from '../../src/renderer/timeline/tally';
import { TimelineKind as K } from '../../src/shared/live/timeline';
import { TimelineRing } from '../../src/shared/live/timelineRing';

const vp: Viewport = { t0: 0, t1: 400, width: 600, height: 600, receivers: 2, fontPx: 10 };

function frameOf(rows: number[][]) {
  const ring = new TimelineRing(100);
  for (const [t, kind, seq, receiver] of rows) ring.push(t!, kind!, seq!, receiver!);
  return layoutFrame(ring, Infinity, vp, { timeoutMs: 100, head: rows.at(-1)![0]!, follow: false });
}

describe('the timeline in words', () => {
  it("keeps the sender's state line short with 30 receivers owing an ACK, and names them all in full", () => {
    const labels = Array.from({ length: 30 }, (_, i) => `127.0.0.${i + 2}:7735`);
    const owed = Array.from({ length: 30 }, (_, i) => i);
    const { line, full } = describeCurrent({ seq: 7, since: 100, owed, timedOut: [] }, labels, 212.4);
    expect(line).toBe(
      'Segment 7 · timer: 213 ms left · ACK owed by 30: 127.0.0.2:7735, 127.0.0.3:7735, 127.0.0.4:7735 +27 more',
    );
    expect(full).toBe(`Segment 7 · timer: 213 ms left · ACK owed by 30: ${labels.join(', ')}`);
    // Three or fewer are all named; none owed stops the timer.
    const three = describeCurrent({ seq: 7, since: 100, owed: [4, 9, 0], timedOut: [] }, labels, 0);
    expect(three.line).toBe(
      'Segment 7 · timer expired · ACK owed by 3: 127.0.0.6:7735, 127.0.0.11:7735, 127.0.0.2:7735',
    );
    expect(three.full).toBe(three.line);
    // Where the line has no room for three names whole (a laptop's diagram), fewer, down to none.
    const owing = { seq: 7, since: 100, owed: [4, 9, 0], timedOut: [] };
    expect(describeCurrent(owing, labels, 0, 1).line).toBe(
      'Segment 7 · timer expired · ACK owed by 3: 127.0.0.6:7735 +2 more',
    );
    expect(describeCurrent(owing, labels, 0, 0)).toEqual({
      line: 'Segment 7 · timer expired · ACK owed by 3',
      full: three.full,
    });
    expect(describeCurrent({ seq: 8, since: 0, owed: [], timedOut: [] }, labels, 50).line).toBe(
      'Segment 8 · timer stopped · every ACK in',
    );
    expect(describeCurrent(null, labels, 0)).toEqual({ line: '', full: '' });
    // Read at the round's first send, the timer has T left, not a millisecond more: its start plus T minus the
    // cursor carries a float's error (50.00000000000001), which rounded up read "51 ms left" on a 50 ms timer.
    for (const since of [30.799, 90.175, 251.283])
      expect(
        describeCurrent({ seq: 5, since, owed: [1], timedOut: [] }, labels, since + 50 - since).line,
      ).toBe('Segment 5 · timer: 50 ms left · ACK owed by 1: 127.0.0.3:7735');
    expect(describeCurrent({ seq: 5, since: 0, owed: [1], timedOut: [] }, labels, 49.2).line).toMatch(
      /timer: 50 ms left/,
    );
    expect(describeCurrent({ seq: 5, since: 0, owed: [1], timedOut: [] }, labels, 0.0004).line).toMatch(
      /timer: 1 ms left/,
    );
    // A timeout in the log: expired, even where the round's clock reads a millisecond short of T.
    expect(describeCurrent({ seq: 9, since: 0, owed: [1], timedOut: [1] }, labels, 1).line).toBe(
      'Segment 9 · timer expired · ACK owed by 1: 127.0.0.3:7735',
    );
  });

  it('names where each loss happened', () => {
    expect(describeEvent(1500, K.drop, 4, 'r2')).toBe('1.500 s: chunk 4 lost at r2 (dropped by p)');
    expect(describeEvent(1500, K.netLoss, 4, 'r2')).toBe(
      '1.500 s: chunk 4 to r2 lost in the network, mid-way',
    );
    expect(describeEvent(1500, K.netAckLoss, 4, 'r2')).toBe(
      '1.500 s: ACK 4 from r2 lost in the network, mid-way',
    );
    expect(describeTotals({ ...emptyTotals(), events: 3, sends: 2, netLosses: 1, lastT: 1000 })).toBe(
      '2 data packets (0 retransmissions), 0 ACKs, 0 drops, 1 lost in the network, 0 timeouts in 0 transmission rounds, over 1.00 s.',
    );
    // A window's lane (Compare): the rounds told from the diagram are not the sender's, which the table gives.
    const lane = {
      ...emptyTotals(),
      events: 9,
      sends: 6,
      resends: 3,
      acks: 5,
      timeouts: 1,
      rounds: 7,
      lastT: 500,
    };
    expect(describeTotals(lane, true)).toBe(
      '9 data packets (3 retransmissions), 5 ACKs, 0 drops, 1 timeout, over 0.50 s.',
    );
    expect(describeTotals(lane)).toContain('1 timeout in 7 transmission rounds, over 0.50 s.');
  });

  it("gives an arrow's details: times, RTT, and which round's timer a retransmission followed", () => {
    // prettier-ignore
    const frame = frameOf([
      [0, K.send, 1, 0], [0, K.send, 1, 1],
      [0.1, K.netLoss, 1, 1],
      [2, K.ack, 1, 0],
      [100, K.timeout, 1, 1], [100, K.resend, 1, 1],
      [104, K.ack, 1, 1],
    ]);
    const [toR0, toR1, ack0, resend, ack1] = frame.arrows;
    expect(describeArrow(toR0!, 'a')).toEqual([
      'Chunk 1 to a',
      'Sent 0.000 s, arrived 0.001 s',
      'RTT 2.000 ms',
    ]);
    expect(describeArrow(toR1!, 'b')).toEqual(['Chunk 1 to b', 'Sent 0.000 s, lost on the way at 0.000 s']);
    expect(describeArrow(ack0!, 'a')).toEqual([
      'ACK 1 from a',
      'Sent 0.001 s, arrived 0.002 s',
      'RTT 2.000 ms',
    ]);
    expect(describeArrow(resend!, 'b')).toEqual([
      'Chunk 1 to b (retransmission)',
      'Sent 0.100 s, arrived 0.102 s',
      'RTT 4.000 ms',
      'Retransmitted: its timer, started at 0.000 s, expired at 0.100 s',
    ]);
    expect(describeArrow(ack1!, 'b')[0]).toBe('ACK 1 from b');
    // Selective Repeat's fast retransmission: no timer behind it, and why it went early.
    const fast = frameOf([
      [0, K.send, 2, 0],
      [5, K.fastResend, 2, 0],
    ]).arrows[1]!;
    expect(describeArrow(fast, 'a')).toEqual([
      'Chunk 2 to a (fast retransmission)',
      'Sent 0.005 s',
      'Retransmitted before its timer expired: later chunks to that receiver had arrived',
    ]);
    expect(describeEvent(5, K.fastResend, 2, 'a')).toBe(
      '0.005 s: chunk 2 sent again to a (fast retransmission: later chunks arrived)',
    );
    const next = { ...toR0!, index: -1 };
    expect(describeArrow(next, 'a')).toEqual([
      'Chunk 1 to a, next round',
      'Not sent yet: click (or press Enter) to lose it in the network',
    ]);
  });
  it('owes an ACK the engine has while the diagram still draws it on its way back', () => {
    // prettier-ignore
    const frame = frameOf([
      [0, K.send, 1, 0], [0, K.send, 1, 1],
      [2, K.ack, 1, 0], [3, K.ack, 1, 1],
    ]);
    const current = frame.current!;
    expect(current.owed).toEqual([]);
    const labels = ['a', 'b'];
    // Both ACKs drawn home: as the engine says.
    expect(owedAsDrawn(current, frame.arrows, () => true)).toBeNull();
    // b's ACK still flying (or not left yet: its chunk still flies): b owes it, the timer runs.
    const owed = owedAsDrawn(current, frame.arrows, (a) => a.kind !== 'ack' || a.receiver === 0);
    expect(owed).toEqual([1]);
    expect(describeCurrent({ ...current, owed: owed! }, labels, null).line).toBe(
      'Segment 1 · timer running · ACK owed by 1: b',
    );
  });
});
