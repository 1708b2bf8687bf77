// Stop-and-wait's rules on the pure machine, in virtual time with the default timings (T = 0.1 s, 30 s receiver
// timeout, 1 s keepalive): no socket, no wall clock.
import { expect, it } from 'vitest';
import { stopAndWait } from '../../src/shared/engine/stopAndWait.js';
import { driveSender, eventsOf, senderConfig, transmissions } from './drive.js';

it('round k goes to every receiver with one timer of T; the timeout resends only to the receivers that did not ACK', () => {
  const sender = driveSender(stopAndWait, senderConfig(3, 2500, 1000));
  const first = sender.input({ type: 'start' });
  expect(transmissions(first)).toEqual([
    [1, 0, false],
    [1, 1, false],
    [1, 2, false],
  ]);
  expect(first).toContainEqual({ type: 'arm', timer: 'round', ms: 100 });
  expect(sender.input({ type: 'ack', receiver: 0, acked: 1 }, 3)).toHaveLength(1); // its 'ack' event, nothing else
  sender.input({ type: 'ack', receiver: 2, acked: 1 }, 4);
  const expired = sender.fire()!;
  expect(expired.at).toBe(100);
  expect(eventsOf(expired.actions, 'timeout').map((e) => e.receiver)).toEqual([1]);
  expect(transmissions(expired.actions)).toEqual([[1, 1, true]]);
  // Segment 2 goes out only once the last receiver has ACKed segment 1, and then to all of them.
  const second = sender.input({ type: 'ack', receiver: 1, acked: 1 }, 130);
  expect(eventsOf(second, 'progress')).toMatchObject([{ chunksDone: 1, bytesDone: 1000 }]);
  expect(transmissions(second)).toEqual([
    [2, 0, false],
    [2, 1, false],
    [2, 2, false],
  ]);
  expect(second).toContainEqual({ type: 'clear', timer: 'round' });
  // Rounds, as the live view counts them: segment 1, its resend, segment 2.
  const rounds = [first, expired.actions, second].map((actions) =>
    actions.flatMap((a) => (a.type === 'transmit' ? [a.round] : [])),
  );
  expect(rounds).toEqual([[1, 1, 1], [2], [3, 3, 3]]);
});

it('moves to k + 1 only when every receiver has ACKed k: a stale, duplicate or early ACK moves nothing', () => {
  const sender = driveSender(stopAndWait, senderConfig(2, 2500, 1000));
  sender.input({ type: 'start' });
  sender.input({ type: 'ack', receiver: 0, acked: 1 }, 1);
  for (const acked of [1, 0, 2])
    expect(transmissions(sender.input({ type: 'ack', receiver: 0, acked }, 2))).toEqual([]);
  expect(sender.state.counters).toMatchObject({ acks: 1, stale: 3, received: 4 });
  expect(transmissions(sender.input({ type: 'ack', receiver: 1, acked: 1 }, 3))).toHaveLength(2);
});

it('a whole transfer: end marker after the last chunk, ACKs after a resend are no RTT sample (Karn)', () => {
  const sender = driveSender(stopAndWait, senderConfig(1, 1500, 1000));
  sender.input({ type: 'start' });
  sender.fire(); // segment 1 resent at T
  const afterResend = sender.input({ type: 'ack', receiver: 0, acked: 1 }, 120);
  const clean = sender.input({ type: 'ack', receiver: 0, acked: 2 }, 125);
  expect(eventsOf(afterResend, 'ack')).toMatchObject([{ rttMs: 20, sample: false }]);
  expect(eventsOf(clean, 'ack')).toMatchObject([{ rttMs: 5, sample: true }]);
  const end = sender.input({ type: 'ack', receiver: 0, acked: 3 }, 131);
  expect(end.at(-1)).toMatchObject({ type: 'finish', result: { ok: true } });
  expect(sender.result!.receivers[0]).toMatchObject({
    state: 'done',
    acks: 3,
    timeouts: 1,
    retransmissions: 1,
    bytes: 1500,
    rtt: { samples: 2, min: 5, max: 6 },
  });
  expect(sender.result).toMatchObject({ timeoutRounds: 1, durationMs: 131 });
});

it('reports the name a receiver of ours kept the file under; a course receiver cannot say one', () => {
  const outcomes = [
    { mode: 'verified', failure: undefined, offers: 1, summed: true },
    { mode: 'course', failure: undefined, offers: 5 },
  ] as const;
  const sender = driveSender(stopAndWait, senderConfig(2, 1000, 1000, { outcomes: [...outcomes] }));
  sender.input({ type: 'start' });
  sender.input({ type: 'ack', receiver: 0, acked: 1 }, 2);
  sender.input({ type: 'ack', receiver: 1, acked: 1 }, 3);
  // Each says it before its ACK of the end marker; the course receiver's is not taken (it made no offer answer).
  sender.input({ type: 'kept', receiver: 0, name: 'f (2).txt' }, 4);
  sender.input({ type: 'kept', receiver: 1, name: 'forged.txt' }, 4);
  sender.input({ type: 'ack', receiver: 0, acked: 2 }, 5);
  sender.input({ type: 'ack', receiver: 1, acked: 2 }, 5);
  expect(sender.result?.receivers.map((r) => [r.state, r.keptAs])).toEqual([
    ['done', 'f (2).txt'],
    ['done', undefined],
  ]);
  expect(sender.result?.counters).toMatchObject({ answers: 1, malformed: 1 });
});

it('gives up on a dead receiver 30 s after the first send of its segment; the others carry on', () => {
  const sender = driveSender(stopAndWait, senderConfig(2, 1000, 1000));
  sender.input({ type: 'start' });
  sender.input({ type: 'ack', receiver: 0, acked: 1 }, 1);
  let failed: { at: number; reason: string } | undefined;
  for (let n = 0; n < 1000 && failed === undefined; n++) {
    const fired = sender.fire()!;
    const failure = eventsOf(fired.actions, 'receiver-failed')[0];
    if (failure) failed = { at: fired.at, reason: failure.reason };
    else if (fired.timer === 'round') expect(transmissions(fired.actions)).toEqual([[1, 1, true]]);
  }
  expect(failed).toEqual({ at: 30_000, reason: 'no ACK for sequence number 1 within 30.0 s of sending it' });
  // The round completes with the live receiver alone: the end marker goes to it only.
  expect(transmissions(sender.input({ type: 'turn' }))).toEqual([]);
  sender.input({ type: 'ack', receiver: 0, acked: 2 }, 30_001);
  expect(sender.result).toMatchObject({ ok: false });
  expect(sender.result!.receivers.map((r) => r.state)).toEqual(['done', 'failed']);
});

it('a lone receiver given up on delivers nothing: no progress is reported for the segment it never ACKed', () => {
  const sender = driveSender(stopAndWait, senderConfig(1, 3000, 1000));
  const all = [...sender.input({ type: 'start' })];
  for (let n = 0; n < 1000 && !sender.result; n++) all.push(...sender.fire()!.actions);
  expect(eventsOf(all, 'receiver-failed').map((e) => e.reason)).toEqual([
    'no ACK for sequence number 1 within 30.0 s of sending it',
  ]);
  expect(eventsOf(all, 'progress')).toEqual([]);
  expect(sender.result).toMatchObject({ ok: false, receivers: [{ state: 'failed', bytes: 0 }] });
});

it('a receiver waiting for a slow one gets the segment it ACKed again every second (keepalive), never the next', () => {
  const sender = driveSender(stopAndWait, senderConfig(2, 3000, 1000));
  sender.input({ type: 'start' });
  sender.input({ type: 'ack', receiver: 0, acked: 1 }, 1);
  sender.input({ type: 'ack', receiver: 1, acked: 1 }, 1);
  sender.input({ type: 'ack', receiver: 0, acked: 2 }, 2);
  const keepalives = [];
  for (let n = 0; n < 40; n++) {
    const fired = sender.fire()!;
    if (fired.timer === 'keepalive') keepalives.push(...fired.actions.filter((a) => a.type === 'keepalive'));
  }
  expect(sender.now).toBeGreaterThanOrEqual(3000);
  expect(keepalives.slice(0, 2)).toEqual([
    { type: 'keepalive', seq: 2, receiver: 0 },
    { type: 'keepalive', seq: 2, receiver: 0 },
  ]);
  expect(keepalives.every((a) => a.receiver === 0)).toBe(true); // receiver 1 gets retransmissions instead
});

it('an ACK 0 after the first round: the receiver restarted, its file cannot be whole: it fails at once', () => {
  const sender = driveSender(stopAndWait, senderConfig(2, 3000, 1000));
  sender.input({ type: 'start' });
  sender.input({ type: 'ack', receiver: 0, acked: 1 }, 1);
  sender.input({ type: 'ack', receiver: 1, acked: 1 }, 1);
  const restarted = sender.input({ type: 'ack', receiver: 1, acked: 0 }, 2);
  expect(eventsOf(restarted, 'receiver-failed')).toMatchObject([
    {
      receiver: 1,
      reason:
        'receiver restarted or ended the transfer (its own output says why: a size limit, a full disk): it acknowledged 0 while at sequence number 2',
    },
  ]);
  // Receiver 0 was the only one owing segment 2's ACK: the round goes on for it alone.
  expect(transmissions(sender.input({ type: 'ack', receiver: 0, acked: 2 }, 3))).toEqual([[3, 0, false]]);
});

it('time the pacer holds a round is not held against a receiver', () => {
  const config = senderConfig(1, 1000, 1000, { receiverTimeoutMs: 1000 });
  let state = stopAndWait.step(stopAndWait.start(config), { type: 'start' }, 0).state;
  state = stopAndWait.step(state, { type: 'turn' }, 0).state; // segment 1, sent at 0 to a silent receiver
  const expired = stopAndWait.step(state, { type: 'timer', timer: 'round' }, 100);
  expect(expired.actions.at(-1)).toEqual({ type: 'wait-turn' }); // the resend waits for the pacer
  // The teacher holds it for a minute, then lets it go.
  let step = stopAndWait.step(expired.state, { type: 'turn' }, 60_100);
  expect(transmissions(step.actions)).toEqual([[1, 0, true]]);
  let failedAt: number | undefined;
  for (let t = 60_200; t <= 62_000 && failedAt === undefined; t += 100) {
    step = stopAndWait.step(step.state, { type: 'timer', timer: 'round' }, t);
    if (eventsOf(step.actions, 'receiver-failed').length > 0) failedAt = t;
    else step = stopAndWait.step(step.state, { type: 'turn' }, t);
  }
  expect(failedAt).toBe(61_000); // 1 s of sending, the minute held not counted
});

it('a receiver answering only from another address of its machine is given up on after 3 such ACKs, not 30 s later', () => {
  // r0 and r1 at 127.0.0.2 and .3, port 7735; r1 ACKs from its own address, r0's machine from 127.0.0.1.
  const sender = driveSender(stopAndWait, senderConfig(2, 2500, 1000));
  sender.input({ type: 'start' });
  const elsewhere = { receivers: [0, 1], from: '127.0.0.1:7735' };
  // While neither has ACKed, it could stand for either: nothing is counted.
  sender.input({ type: 'noise', kind: 'foreign', elsewhere }, 1);
  sender.input({ type: 'ack', receiver: 1, acked: 1 }, 2);
  sender.fire(); // T: resent to r0
  sender.input({ type: 'noise', kind: 'foreign', elsewhere }, 101);
  sender.fire();
  expect(sender.input({ type: 'noise', kind: 'foreign', elsewhere }, 201)).toEqual([]);
  sender.fire();
  const third = sender.input({ type: 'noise', kind: 'foreign', elsewhere }, 301);
  expect(third).toContainEqual({
    type: 'event',
    event: expect.objectContaining({
      type: 'receiver-failed',
      receiver: 0,
      reason: expect.stringMatching(
        /^it answers from 127\.0\.0\.1:7735, another address of its machine .* or send to 127\.0\.0\.1$/,
      ),
    }),
  });
  // The round is complete for the one left: segment 2 goes to r1 at once, the transfer carries on without r0.
  expect(transmissions(third)).toEqual([[2, 1, false]]);
  expect(sender.state.counters).toMatchObject({ foreign: 4, received: 5 });
  // Once a receiver has ACKed from its own address, ACKs from its port elsewhere are someone else's.
  const other = driveSender(stopAndWait, senderConfig(1, 2500, 1000));
  other.input({ type: 'start' });
  other.input({ type: 'ack', receiver: 0, acked: 1 }, 1);
  for (let k = 0; k < 5; k++)
    other.input(
      { type: 'noise', kind: 'foreign', elsewhere: { receivers: [0], from: '127.0.0.1:7735' } },
      2 + k,
    );
  expect(other.state.receivers[0]!.failure).toBeUndefined();
});
