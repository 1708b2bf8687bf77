// Keepalives and the silence they reveal, the same rule in all three protocols (src/shared/engine/sending.ts
// keepaliveTurn), on the pure machines in virtual time with the default timings (T = 0.1 s, 30 s receiver timeout,
// 1 s keepalive): receivers that die one after the other while the transfer waits on the first are given up on
// about together, not a receiver timeout apart; a healthy receiver is never given up on for it.
import { describe, expect, it } from 'vitest';
import { goBackN } from '../../src/shared/engine/goBackN.js';
import { selectiveRepeat } from '../../src/shared/engine/selectiveRepeat.js';
import type { Outcome, SenderAction, SenderMachine } from '../../src/shared/engine/sending.js';
import { stopAndWait } from '../../src/shared/engine/stopAndWait.js';
import { driveSender, senderConfig } from './drive.js';

/** How a receiver answers a segment (data or keepalive) sent to it at `at`: its ACK, or null (silent). */
type Answer = (seq: number, at: number) => number | null;

/**
 * A receiver that takes segments in order and ACKs what the protocol's ACK says (cumulative, or the segment for
 * a Selective Repeat receiver), 1 ms later, until `diesAt`; `duplicates` says whether it answers the n-th
 * segment it already has (a keepalive).
 */
function receiver(selective: boolean, diesAt = Infinity, duplicates = (_n: number) => true): Answer {
  let have = 0;
  let repeats = 0;
  return (seq, at) => {
    if (at >= diesAt) return null;
    if (seq === have + 1) have = seq;
    else if (seq <= have && !duplicates(++repeats)) return null;
    return selective ? seq : have;
  };
}

const course: Outcome = { mode: 'course', failure: undefined, offers: 0 };
const ours: Outcome = { mode: 'verified', failure: undefined, offers: 1, selective: true };

const protocols: [string, SenderMachine<unknown>, 'saw' | 'gbn' | 'sr', Outcome][] = [
  ['stop-and-wait', stopAndWait as SenderMachine<unknown>, 'saw', course],
  ['Go-Back-N', goBackN as SenderMachine<unknown>, 'gbn', course],
  ['Selective Repeat', selectiveRepeat as SenderMachine<unknown>, 'sr', ours],
];

/** `size` bytes in chunks of 1000, window W, to these receivers; every ACK 1 ms after its segment. When each failed. */
function run(
  machine: SenderMachine<unknown>,
  protocol: 'saw' | 'gbn' | 'sr',
  outcome: Outcome,
  answers: Answer[],
  {
    size = 100_000,
    window = 8,
    holdTurns,
  }: { size?: number; window?: number; holdTurns?: (askedAt: number) => number } = {},
) {
  const config = senderConfig(answers.length, size, 1000, {
    protocol,
    window,
    outcomes: answers.map(() => outcome),
  });
  const sender = driveSender(machine, config, holdTurns);
  const failedAt = new Map<number, { at: number; reason: string }>();
  const deliveries: { at: number; receiver: number; acked: number }[] = [];
  const react = (actions: SenderAction[]): void => {
    for (const a of actions) {
      if (a.type === 'event' && a.event.type === 'receiver-failed')
        failedAt.set(a.event.receiver, { at: sender.now, reason: a.event.reason });
      if (a.type !== 'transmit' && a.type !== 'keepalive') continue;
      const acked = answers[a.receiver]!(a.seq, sender.now);
      if (acked !== null) deliveries.push({ at: sender.now + 1, receiver: a.receiver, acked });
    }
  };
  react(sender.input({ type: 'start' }));
  for (let n = 0; n < 1_000_000 && sender.result === undefined; n++) {
    const next = deliveries[0];
    if (next !== undefined && next.at <= sender.nextTimerAt) {
      deliveries.shift();
      react(sender.input({ type: 'ack', receiver: next.receiver, acked: next.acked }, next.at));
    } else {
      const fired = sender.fire();
      if (fired === null) break;
      react(fired.actions);
    }
  }
  return { result: sender.result!, failedAt };
}

describe.each(protocols)('%s', (_name, machine, protocol, outcome) => {
  const selective = protocol === 'sr';

  it('two receivers that die 5 s apart while the transfer waits fail about 5 s apart, not 30 s; the healthy one finishes', () => {
    // Receiver 2 dies at 5 ms, in the middle of the file. Receiver 1 waits for it, answering keepalives, and
    // dies at 5 s: it owes no data, but its keepalives go unanswered.
    const { result, failedAt } = run(machine, protocol, outcome, [
      receiver(selective),
      receiver(selective, 5_000),
      receiver(selective, 5),
    ]);
    const first = failedAt.get(2)!;
    const second = failedAt.get(1)!;
    expect(first.reason).toMatch(/^no ACK for sequence number \d+ within 30\.0 s of sending it$/);
    expect(first.at).toBeGreaterThanOrEqual(30_000);
    expect(first.at).toBeLessThan(30_100);
    // Its first unanswered keepalive went at most a keepalive period after it died; 30 s later (at the next
    // tick of T), it is given up on. Before, it got the next segment once receiver 2 failed, 30 s later still.
    expect(second.reason).toBe(
      'no ACK for 30.0 s since a keepalive it did not answer (it went silent while it waited for others)',
    );
    expect(second.at).toBeGreaterThanOrEqual(35_000);
    expect(second.at).toBeLessThanOrEqual(36_100);
    expect(result.receivers.map((r) => [r.state, r.bytes])).toEqual([
      ['done', 100_000],
      ['failed', expect.any(Number)],
      ['failed', expect.any(Number)],
    ]);
  });

  it('a receiver that never answers (switched off, or a typo in the list) fails at 30 s; the others get keepalives meanwhile and finish', () => {
    const { result, failedAt } = run(machine, protocol, outcome, [
      receiver(selective),
      receiver(selective),
      receiver(selective, 0),
    ]);
    expect([...failedAt.keys()]).toEqual([2]);
    expect(failedAt.get(2)!.at).toBeGreaterThanOrEqual(30_000);
    expect(failedAt.get(2)!.at).toBeLessThan(30_100);
    // Nothing was had by every receiver, yet the waiting ones heard from the sender every second.
    expect(result.receivers.map((r) => [r.state, r.bytes])).toEqual([
      ['done', 100_000],
      ['done', 100_000],
      ['failed', 0],
    ]);
    for (const r of result.receivers.slice(0, 2)) expect(r.keepalives).toBeGreaterThanOrEqual(29);
  });

  it('through a two-minute pause, a receiver whose keepalives are mostly lost (it answers 1 in 40) is kept: it is probed every T', () => {
    // The teacher pauses at 5 ms and resumes at 120 s. At a keepalive a second, 40 unanswered in a row would be
    // 40 s of silence; probed every T once one goes unanswered, receiver 1 answers within 4 s.
    const pause = (askedAt: number): number => (askedAt >= 5 && askedAt < 120_000 ? 120_000 : askedAt);
    const { result, failedAt } = run(
      machine,
      protocol,
      outcome,
      [receiver(selective), receiver(selective, Infinity, (n) => n === 1 || n % 40 === 0)],
      { holdTurns: pause },
    );
    expect([...failedAt]).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.durationMs).toBeGreaterThan(120_000);
  });

  it('a receiver switched off during a pause is given up on 30 s after its first unanswered keepalive, not after the resume', () => {
    const pause = (askedAt: number): number => (askedAt >= 5 && askedAt < 600_000 ? 600_000 : askedAt);
    const { result, failedAt } = run(
      machine,
      protocol,
      outcome,
      [receiver(selective), receiver(selective, 10_000)],
      { holdTurns: pause },
    );
    expect(failedAt.get(1)).toEqual({
      at: expect.any(Number),
      reason:
        'no ACK for 30.0 s since a keepalive it did not answer (it went silent while it waited for others)',
    });
    expect(failedAt.get(1)!.at).toBeGreaterThanOrEqual(40_000);
    expect(failedAt.get(1)!.at).toBeLessThanOrEqual(41_100);
    expect(result.receivers.map((r) => r.state)).toEqual(['done', 'failed']);
  });
});

describe.each(protocols.slice(0, 2))('%s, a course receiver', (_name, machine, protocol, outcome) => {
  it('that never answers a duplicate is not given up on for its silence while it waits; it finishes', () => {
    const { result, failedAt } = run(machine, protocol, outcome, [
      receiver(false, Infinity, () => false),
      receiver(false, 5),
    ]);
    expect([...failedAt.keys()]).toEqual([1]);
    expect(result.receivers.map((r) => [r.state, r.bytes])).toEqual([
      ['done', 100_000],
      ['failed', expect.any(Number)],
    ]);
  });

  it('that never answers a duplicate is not judged by its silence even after it ACKed data between keepalives (two long pauses)', () => {
    // Its keepalives in the first pause go unanswered; then it ACKs new data; the second pause must not count
    // that ACK as an answer to a keepalive.
    const pauses = (askedAt: number): number =>
      askedAt >= 5 && askedAt < 2_500 ? 2_500 : askedAt >= 2_510 && askedAt < 70_000 ? 70_000 : askedAt;
    const { result, failedAt } = run(machine, protocol, outcome, [receiver(false, Infinity, () => false)], {
      holdTurns: pauses,
    });
    expect([...failedAt]).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
