// Go-Back-N's rules on the pure machine, in virtual time with the default timings (T = 0.1 s, W = 8, 30 s
// receiver timeout): no socket, no wall clock.
import { expect, it } from 'vitest';
import { goBackN } from '../../src/shared/engine/goBackN.js';
import { driveSender, eventsOf, senderConfig, transmissions } from './drive.js';

const segments = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

it('fills the window of W = 8 to every receiver, and slides it only as far as the slowest receiver has ACKed', () => {
  const sender = driveSender(goBackN, senderConfig(2, 20_000, 1000));
  const first = sender.input({ type: 'start' });
  expect(transmissions(first).filter(([, r]) => r === 0)).toEqual(segments(1, 8).map((k) => [k, 0, false]));
  expect(transmissions(first).filter(([, r]) => r === 1)).toEqual(segments(1, 8).map((k) => [k, 1, false]));
  expect(first).toContainEqual({ type: 'arm', timer: 0, ms: 100 });
  // A cumulative ACK of 1..5 from receiver 0 alone slides nothing: receiver 1 still holds the window at 1.
  expect(transmissions(sender.input({ type: 'ack', receiver: 0, acked: 5 }, 10))).toEqual([]);
  // Receiver 1's ACK of 1..3 lets 9, 10 and 11 go, to both.
  expect(transmissions(sender.input({ type: 'ack', receiver: 1, acked: 3 }, 11))).toEqual(
    segments(9, 11).flatMap((k) => [
      [k, 0, false],
      [k, 1, false],
    ]),
  );
});

it('on a timeout goes back N: everything from the base on, to that receiver only', () => {
  const sender = driveSender(goBackN, senderConfig(2, 20_000, 1000));
  sender.input({ type: 'start' });
  sender.input({ type: 'ack', receiver: 0, acked: 8 }, 5);
  sender.input({ type: 'ack', receiver: 1, acked: 2 }, 6);
  // Receiver 0 had nothing outstanding after its ACK of 8 (its timer stopped) until 9 and 10 went out at 6, when
  // receiver 1's ACK slid the window; receiver 1's timer restarted at 6 for 3..10. Both expire at 106.
  const expired = [sender.fire()!, sender.fire()!].sort((a, b) => Number(a.timer) - Number(b.timer));
  expect(expired.map((e) => [e.timer, e.at])).toEqual([
    [0, 106],
    [1, 106],
  ]);
  expect(eventsOf(expired[0]!.actions, 'timeout')).toMatchObject([{ receiver: 0, seq: 9 }]);
  expect(transmissions(expired[0]!.actions)).toEqual([
    [9, 0, true],
    [10, 0, true],
  ]);
  expect(eventsOf(expired[1]!.actions, 'timeout')).toMatchObject([{ receiver: 1, seq: 3 }]);
  expect(transmissions(expired[1]!.actions)).toEqual(segments(3, 10).map((k) => [k, 1, true]));
});

it('a late ACK 0, overtaken by a newer ACK (the network reordered them), is stale: the receiver did not restart', () => {
  // A receiver ACKs 0 for every segment that arrives before segment 1: here segment 2 overtook segment 1.
  const sender = driveSender(goBackN, senderConfig(1, 3000, 1000));
  sender.input({ type: 'start' });
  sender.input({ type: 'ack', receiver: 0, acked: 2 }, 3);
  const late = sender.input({ type: 'ack', receiver: 0, acked: 0 }, 4);
  expect(eventsOf(late, 'receiver-failed')).toEqual([]);
  expect(sender.state.counters.stale).toBe(1);
  // And so is any other ACK below the base.
  sender.input({ type: 'ack', receiver: 0, acked: 1 }, 5);
  expect(sender.state.counters.stale).toBe(2);
  sender.input({ type: 'ack', receiver: 0, acked: 4 }, 6); // 3 and the end marker
  expect(sender.result).toMatchObject({ ok: true, receivers: [{ state: 'done', acks: 4, bytes: 3000 }] });
});

it('gives up on a dead receiver 30 s after the first send of its base; the others finish', () => {
  const sender = driveSender(goBackN, senderConfig(2, 3000, 1000));
  sender.input({ type: 'start' });
  sender.input({ type: 'ack', receiver: 0, acked: 4 }, 1); // all three chunks and the end marker
  let failed: { at: number; reason: string } | undefined;
  for (let n = 0; n < 1000 && failed === undefined; n++) {
    const fired = sender.fire()!;
    const failure = eventsOf(fired.actions, 'receiver-failed')[0];
    if (failure) failed = { at: fired.at, reason: failure.reason };
  }
  expect(failed).toEqual({ at: 30_000, reason: 'no ACK for sequence number 1 within 30.0 s of sending it' });
  expect(sender.result).toMatchObject({ ok: false, timeoutRounds: 300 });
  // The expiry that gave it up is one of its timeouts too (test/engine/timeoutCounts.test.ts).
  expect(sender.result!.receivers.map((r) => [r.state, r.timeouts])).toEqual([
    ['done', 0],
    ['failed', 300],
  ]);
});

it('an ACK after a go-back is no RTT sample (Karn); a first-send ACK is', () => {
  const sender = driveSender(goBackN, senderConfig(1, 2000, 1000));
  sender.input({ type: 'start' });
  const back = sender.fire()!.actions; // 1, 2 and the end marker again at 100, in one round
  expect(back.flatMap((a) => (a.type === 'transmit' ? [a.round] : []))).toEqual([4, 4, 4]);
  expect(eventsOf(sender.input({ type: 'ack', receiver: 0, acked: 3 }, 130), 'ack')).toMatchObject([
    { sample: false },
  ]);
  expect(sender.result!.receivers[0]!.rtt).toBeNull();
  const clean = driveSender(goBackN, senderConfig(1, 2000, 1000));
  clean.input({ type: 'start' });
  expect(eventsOf(clean.input({ type: 'ack', receiver: 0, acked: 3 }, 30), 'ack')).toMatchObject([
    { rttMs: 30, sample: true },
  ]);
  expect(clean.result!.receivers[0]!.rtt).toEqual({ min: 30, mean: 30, max: 30, samples: 1 });
});

it('with the adaptive RTO, the timer of each receiver learns from ACKs of segments sent once and backs off on a timeout until the next ACK of new data', () => {
  const sender = driveSender(goBackN, senderConfig(1, 20_000, 1000, { rto: 'adaptive' }));
  expect(sender.input({ type: 'start' })).toContainEqual({ type: 'arm', timer: 0, ms: 100 });
  // The first sample, R = 30 ms: SRTT 30, RTTVAR 15, RTO = 30 + 4 x 15 = 90 ms (RFC 6298 2.2).
  expect(sender.input({ type: 'ack', receiver: 0, acked: 1 }, 30)).toContainEqual({
    type: 'arm',
    timer: 0,
    ms: 90,
  });
  const expired = sender.fire()!;
  expect([expired.timer, expired.at]).toEqual([0, 120]);
  expect(transmissions(expired.actions)).toEqual(segments(2, 9).map((k) => [k, 0, true]));
  // Backed off (5.5), and again when nothing came back.
  expect(expired.actions).toContainEqual({ type: 'arm', timer: 0, ms: 180 });
  const again = sender.fire()!;
  expect([again.at, again.actions]).toEqual([
    300,
    expect.arrayContaining([{ type: 'arm', timer: 0, ms: 360 }]),
  ]);
  // An ACK of a segment sent three times is no sample (Karn): SRTT stays 30; but it is new data, so the back-off
  // ends: 90 ms again.
  expect(sender.input({ type: 'ack', receiver: 0, acked: 3 }, 330)).toContainEqual({
    type: 'arm',
    timer: 0,
    ms: 90,
  });
  expect(sender.state.receivers[0]!.rto.srtt).toBe(30);
  // A duplicate ACK is not new data: nothing changes.
  expect(sender.input({ type: 'ack', receiver: 0, acked: 3 }, 331)).toEqual([]);
});

it('with the fixed RTO (the course default), the timer is T whatever the RTT', () => {
  const sender = driveSender(goBackN, senderConfig(1, 20_000, 1000));
  sender.input({ type: 'start' });
  expect(sender.input({ type: 'ack', receiver: 0, acked: 1 }, 30)).toContainEqual({
    type: 'arm',
    timer: 0,
    ms: 100,
  });
  const expired = sender.fire()!;
  expect(expired.at).toBe(130);
  expect(expired.actions).toContainEqual({ type: 'arm', timer: 0, ms: 100 });
});

it('a course receiver that restarted (it ACKs 0 to everything) is given up on after 2W + 2 of them in a row, not 30 s later', () => {
  const sender = driveSender(goBackN, senderConfig(2, 40_000, 1000));
  sender.input({ type: 'start' });
  sender.input({ type: 'ack', receiver: 0, acked: 8 }, 1);
  sender.input({ type: 'ack', receiver: 1, acked: 3 }, 1);
  // Receiver 1 restarts: every segment that reaches it is "before segment 1" to it, answered 0.
  let failed: { at: number; reason: string } | undefined;
  for (let n = 0; n < 100 && failed === undefined; n++) {
    const fired = sender.fire()!;
    for (const [, r] of transmissions(fired.actions)) {
      if (r !== 1 || failed) continue;
      const failure = eventsOf(
        sender.input({ type: 'ack', receiver: 1, acked: 0 }, fired.at),
        'receiver-failed',
      );
      if (failure[0]) failed = { at: fired.at, reason: failure[0].reason };
    }
  }
  // Its timer resends 4..11 (8 segments) every T: the 19th ACK 0 comes in the third resend.
  expect(failed).toEqual({
    at: 301,
    reason:
      'receiver restarted or ended the transfer (its own output says why: a size limit, a full disk): it acknowledged 0 to 19 segments in a row after it had acknowledged 3',
  });
  expect(sender.state.receivers[0]!.failure).toBeUndefined();
});

it('old ACKs 0 overtaken on the way (up to 2W + 2 after a later ACK) are stale, never a restart', () => {
  const sender = driveSender(goBackN, senderConfig(1, 20_000, 1000));
  sender.input({ type: 'start' });
  sender.input({ type: 'ack', receiver: 0, acked: 2 }, 1);
  for (let n = 0; n < 18; n++)
    expect(eventsOf(sender.input({ type: 'ack', receiver: 0, acked: 0 }, 2), 'receiver-failed')).toEqual([]);
  // Any other ACK starts the count again.
  sender.input({ type: 'ack', receiver: 0, acked: 5 }, 3);
  for (let n = 0; n < 18; n++) sender.input({ type: 'ack', receiver: 0, acked: 0 }, 4);
  expect(sender.state.receivers[0]!.failure).toBeUndefined();
  expect(sender.state.counters.stale).toBe(36);
});

it('gives up on a receiver answering only from another address after 3 such ACKs; the window then follows the other', () => {
  const sender = driveSender(goBackN, senderConfig(2, 20_000, 1000, { protocol: 'gbn' }));
  sender.input({ type: 'start' });
  sender.input({ type: 'ack', receiver: 1, acked: 8 }, 5);
  const elsewhere = { receivers: [0, 1], from: '127.0.0.1:7735' };
  sender.input({ type: 'noise', kind: 'foreign', elsewhere }, 6);
  sender.input({ type: 'noise', kind: 'foreign', elsewhere }, 7);
  const third = sender.input({ type: 'noise', kind: 'foreign', elsewhere }, 8);
  expect(eventsOf(third, 'receiver-failed')).toMatchObject([
    { receiver: 0, reason: expect.stringMatching(/^it answers from 127\.0\.0\.1:7735, another address/) },
  ]);
  // Nothing holds the window at 1 any more: 9 to 16 go to receiver 1.
  expect(transmissions(third)).toEqual(segments(9, 16).map((k) => [k, 1, false]));
});
