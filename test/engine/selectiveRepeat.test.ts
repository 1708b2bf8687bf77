// Selective Repeat's rules on the pure machine, in virtual time with the default timings (T = 0.1 s, W = 8, 30 s
// receiver timeout, 1 s keepalives): no socket, no wall clock. Receivers that agreed to Selective Repeat through
// the offer ACK each segment; the others (course mode) ACK cumulatively and get Go-Back-N.
import { describe, expect, it } from 'vitest';
import { FALLBACK, selectiveRepeat } from '../../src/shared/engine/selectiveRepeat.js';
import type { Outcome } from '../../src/shared/engine/sending.js';
import { driveSender, eventsOf, senderConfig, transmissions } from './drive.js';

const agreed: Outcome = { mode: 'verified', failure: undefined, offers: 1, selective: true };
const course: Outcome = { mode: 'course', failure: undefined, offers: 5 };
const segments = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** `receivers` of ours that agreed to Selective Repeat, then `courses` course receivers. */
const config = (size: number, mss: number, receivers: number, courses = 0) =>
  senderConfig(receivers + courses, size, mss, {
    outcomes: [...Array<Outcome>(receivers).fill(agreed), ...Array<Outcome>(courses).fill(course)],
  });

describe('Selective Repeat', () => {
  it('resends only the lost segment, only to the receiver missing it, when its own timer expires', () => {
    const sender = driveSender(selectiveRepeat, config(20_000, 1000, 2));
    const first = sender.input({ type: 'start' });
    expect(transmissions(first)).toEqual(
      segments(1, 8).flatMap((k) => [
        [k, 0, false],
        [k, 1, false],
      ]),
    );
    // Receiver 0 has all eight; receiver 1 lost segment 3 and has the others.
    for (const k of segments(1, 8)) sender.input({ type: 'ack', receiver: 0, acked: k }, 10);
    for (const k of segments(1, 8).filter((k) => k !== 3))
      sender.input({ type: 'ack', receiver: 1, acked: k }, 12);
    // The window cannot pass segment 3 (receiver 1 lacks it): 9 and 10 went out when 1 and 2 were everyone's.
    expect(sender.state.next).toBe(11);
    const fired = sender.fire()!;
    expect(fired).toMatchObject({ timer: 1, at: 100 });
    expect(eventsOf(fired.actions, 'timeout')).toMatchObject([{ receiver: 1, seq: 3 }]);
    expect(transmissions(fired.actions)).toEqual([[3, 1, true]]);
    // A timer's retransmission, not a fast one (sack.test.ts).
    expect(fired.actions.find((a) => a.type === 'transmit')).not.toHaveProperty('fast');
    // Its ACK (no RTT sample: 3 was sent twice) slides the window from 3 to 9, the base of both: 11..16 go.
    const slid = sender.input({ type: 'ack', receiver: 1, acked: 3 }, 110);
    expect(eventsOf(slid, 'ack')).toMatchObject([{ seq: 3, receiver: 1, sample: false }]);
    expect(transmissions(slid)).toEqual(
      segments(11, 16).flatMap((k) => [
        [k, 0, false],
        [k, 1, false],
      ]),
    );
    expect(sender.state.receivers.map((r) => [r.retransmissions, r.timeouts])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it('sends no segment beyond W past the lowest base of the live receivers', () => {
    const sender = driveSender(selectiveRepeat, config(20_000, 1000, 1));
    sender.input({ type: 'start' });
    // Everything but segment 1: the window stays at 1..8.
    for (const k of segments(2, 8))
      expect(transmissions(sender.input({ type: 'ack', receiver: 0, acked: k }, 5))).toEqual([]);
    // Segment 1 at last: 9..16 go.
    expect(transmissions(sender.input({ type: 'ack', receiver: 0, acked: 1 }, 6)).map(([k]) => k)).toEqual(
      segments(9, 16),
    );
    // A duplicate ACK, and one of a segment never sent, change nothing.
    sender.input({ type: 'ack', receiver: 0, acked: 4 }, 7);
    sender.input({ type: 'ack', receiver: 0, acked: 40 }, 7);
    expect(sender.state.counters.stale).toBe(2);
  });

  it('gives a receiver that did not agree Go-Back-N: cumulative ACKs, everything outstanding resent to it alone', () => {
    const sender = driveSender(selectiveRepeat, config(20_000, 1000, 1, 1));
    sender.input({ type: 'start' });
    expect(sender.state.receivers.map((r) => r.fallback)).toEqual([undefined, FALLBACK.course]);
    for (const k of segments(1, 8)) sender.input({ type: 'ack', receiver: 0, acked: k }, 5);
    // The course receiver lost 3: it ACKs 2 for 3..8 (cumulative), which says nothing new.
    sender.input({ type: 'ack', receiver: 1, acked: 2 }, 6);
    for (const _ of segments(4, 8)) sender.input({ type: 'ack', receiver: 1, acked: 2 }, 7);
    expect(sender.state.counters.stale).toBe(5);
    // Its one timer, for its base, restarted by the ACK of 2 at 6: go back N, 3..10, to it alone.
    let fired = sender.fire()!;
    for (let n = 0; n < 10 && !eventsOf(fired.actions, 'timeout').some((e) => e.receiver === 1); n++)
      fired = sender.fire()!;
    expect(fired.at).toBe(106);
    expect(eventsOf(fired.actions, 'timeout')).toMatchObject([{ receiver: 1, seq: 3 }]);
    expect(transmissions(fired.actions)).toEqual(segments(3, 10).map((k) => [k, 1, true]));
    // One cumulative ACK of 10 takes it all.
    sender.input({ type: 'ack', receiver: 0, acked: 9 }, 120);
    sender.input({ type: 'ack', receiver: 0, acked: 10 }, 120);
    sender.input({ type: 'ack', receiver: 1, acked: 10 }, 120);
    expect(sender.state.receivers[1]!.acks).toBe(10);
    expect(sender.state.low).toBe(11);
  });

  it('finishes when every receiver has every segment and the end marker; the summary names the fallback', () => {
    const sender = driveSender(selectiveRepeat, config(2500, 1000, 1, 1));
    sender.input({ type: 'start' });
    // Segments 1..3 and the end marker 4, in any order from ours, cumulatively from the course receiver.
    for (const k of [2, 4, 1, 3]) sender.input({ type: 'ack', receiver: 0, acked: k }, 5);
    sender.input({ type: 'ack', receiver: 1, acked: 4 }, 6);
    expect(sender.result).toMatchObject({
      ok: true,
      receivers: [
        { state: 'done', acks: 4, bytes: 2500, retransmissions: 0 },
        {
          state: 'done',
          acks: 4,
          bytes: 2500,
          fallback: 'course mode, Go-Back-N: it cannot take Selective Repeat',
        },
      ],
    });
    expect(sender.result!.receivers[0]!.fallback).toBeUndefined();
  });

  it('says a receiver was never asked when no offer went out (--no-offer), not that it cannot take it', () => {
    const unoffered: Outcome = { mode: 'course', failure: undefined, offers: 0 };
    const sender = driveSender(
      selectiveRepeat,
      senderConfig(2, 2500, 1000, { outcomes: [unoffered, course] }),
    );
    sender.input({ type: 'start' });
    expect(sender.state.receivers.map((r) => r.fallback)).toEqual([
      'course mode, Go-Back-N: Selective Repeat is agreed through the offer, and none was sent',
      'course mode, Go-Back-N: it cannot take Selective Repeat',
    ]);
  });

  it('a receiver that restarted (it lost the agreement and ACKs 0) fails once it has said 0 more than 2W + 2 times in a row, not 30 s later; the others finish', () => {
    const sender = driveSender(selectiveRepeat, config(3000, 1000, 2));
    sender.input({ type: 'start' });
    for (const k of segments(1, 4)) sender.input({ type: 'ack', receiver: 0, acked: k }, 1);
    sender.input({ type: 'ack', receiver: 1, acked: 1 }, 2);
    // Receiver 1 restarts: from now on it answers every segment with a course receiver's ACK 0.
    let failed: { at: number; reason: string } | undefined;
    for (let n = 0; n < 1000 && failed === undefined; n++) {
      const fired = sender.fire()!;
      for (const [k, r] of transmissions(fired.actions)) {
        if (r !== 1 || k === 0 || failed) continue;
        const answered = sender.input({ type: 'ack', receiver: 1, acked: 0 }, fired.at + 1);
        const failure = eventsOf(answered, 'receiver-failed')[0];
        if (failure) failed = { at: fired.at + 1, reason: failure.reason };
      }
    }
    // W = 8: the 19th ACK 0 in a row (segments 2 and 3 resent every T, each answered 0) gives it away.
    expect(failed).toEqual({
      at: expect.any(Number),
      reason:
        'receiver restarted or ended the transfer (its own output says why: a size limit, a full disk): it acknowledged 0 to 19 segments in a row after it had acknowledged 1',
    });
    expect(failed!.at).toBeLessThan(1_500);
    expect(sender.result).toMatchObject({ ok: false });
    expect(sender.result!.receivers.map((r) => r.state)).toEqual(['done', 'failed']);
    // Its ACKs 0 were all stale: never taken for a segment.
    expect(sender.result!.receivers[1]!.acks).toBe(1);
  });

  it('gives up on a dead receiver after the default 30 s, keeping the one that waits alive; that one then finishes', () => {
    const sender = driveSender(selectiveRepeat, config(20_000, 1000, 2));
    sender.input({ type: 'start' });
    sender.input({ type: 'ack', receiver: 1, acked: 1 }, 1);
    sender.input({ type: 'ack', receiver: 1, acked: 2 }, 1);
    // Receiver 1 dies having 1 and 2; receiver 0 has everything sent (1..10) and waits for it.
    for (const k of segments(1, 10)) sender.input({ type: 'ack', receiver: 0, acked: k }, 2);
    let failedAt: number | undefined;
    for (let n = 0; n < 1000 && failedAt === undefined; n++) {
      const fired = sender.fire()!;
      if (eventsOf(fired.actions, 'receiver-failed').length > 0) failedAt = fired.at;
      // Meanwhile receiver 0 gets 2 (which every receiver has) once a second, and re-ACKs it: stale.
      for (const a of fired.actions)
        if (a.type === 'keepalive') sender.input({ type: 'ack', receiver: 0, acked: a.seq });
    }
    expect(failedAt).toBe(30_000);
    expect(sender.state.receivers[0]!.keepalives).toBe(29);
    // Alone now, receiver 0 gets the rest as fast as it ACKs.
    for (let n = 0; n < 100 && sender.result === undefined; n++) {
      const k = sender.state.low;
      sender.input({ type: 'ack', receiver: 0, acked: k }, 30_001);
    }
    // Its segments 3..8 (sent at 0) and 9..10 (sent at 1) each have their own timer: two expiries every T.
    expect(sender.result).toMatchObject({ ok: false, timeoutRounds: 2 * 299 });
    expect(sender.result!.receivers.map((r) => [r.state, r.bytes])).toEqual([
      ['done', 20_000],
      ['failed', 2000],
    ]);
  });
});
