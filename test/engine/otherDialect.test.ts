// A receiver that answers every segment, but never with an ACK this sender can read as one of a segment sent (a
// student's receiver of another dialect: numbering from 0; the other profile), is not silent: at the default 30 s
// receiver timeout, in virtual time, each protocol gives it up saying that it answered and what to check, and the
// result counts its answers; one that takes no end marker is asked whether it takes none; stop-and-wait knows one
// that ACKs the next number expected at its third such ACK. A silent receiver's reason stays as it was.
import { describe, expect, it } from 'vitest';
import { goBackN } from '../../src/shared/engine/goBackN.js';
import type { Protocol } from '../../src/shared/limits.js';
import type { SenderAction, SenderConfig, SenderInput } from '../../src/shared/engine/sending.js';
import { selectiveRepeat } from '../../src/shared/engine/selectiveRepeat.js';
import { stopAndWait } from '../../src/shared/engine/stopAndWait.js';
import { driveSender, eventsOf, senderConfig } from './drive.js';

const MACHINES = [
  ['saw', (config: SenderConfig) => driveSender(stopAndWait, config)],
  ['gbn', (config: SenderConfig) => driveSender(goBackN, config)],
  ['sr', (config: SenderConfig) => driveSender(selectiveRepeat, config)],
] as const;

const HINT =
  'Is it busy with another transfer from this host (a course receiver takes every port of a host for one ' +
  'sender)? Or does it speak another --dialect (seq0, ack-next, le, ...) or --profile? p2mpcheck server tells which';

/** What the receiver sends back to each transmission: an unreadable ACK. (An ACK numbered one on: below.) */
const ANSWERS: Record<string, (seq: number) => SenderInput> = {
  'ACKs numbered from 0 (0xFFFFFFFF first)': () => ({ type: 'noise', kind: 'stale', receiver: 0 }),
  'ACKs of the other profile': () => ({ type: 'noise', kind: 'malformed', receiver: 0 }),
};

// Stop-and-wait sends one segment at a time: an ACK of the one after it cannot come from a receiver of the course's
// numbering. Go-Back-N and Selective Repeat take an ACK as cumulative: there one numbered on reads as progress.
it('stop-and-wait gives up a receiver that ACKs the next number expected (ack-next) at its third such ACK, not at 30 s', () => {
  const sender = driveSender(stopAndWait, senderConfig(2, 3000, 1000));
  sender.input({ type: 'start' });
  sender.input({ type: 'ack', receiver: 0, acked: 1 }, 1); // the other one reads the course's way
  sender.input({ type: 'ack', receiver: 1, acked: 2 }, 1);
  sender.fire(); // T: segment 1 again, to the one that owes it
  sender.input({ type: 'ack', receiver: 1, acked: 2 }, 101);
  sender.fire();
  const third = sender.input({ type: 'ack', receiver: 1, acked: 2 }, 201);
  expect(eventsOf(third, 'receiver-failed')).toMatchObject([
    {
      receiver: 1,
      reason:
        'it ACKed sequence number 2 3 times while 1 was the last one sent: it ACKs the segment it expects next, ' +
        'not the one it got. Send to it with --dialect ack-next (p2mpcheck server tells its dialect)',
    },
  ]);
  // The round is complete without it: the other receiver gets segment 2 at once.
  expect(third.some((a) => a.type === 'transmit' && a.seq === 2 && a.receiver === 0)).toBe(true);
});

describe.each(MACHINES)('%s', (protocol, drive) => {
  const answers = Object.entries(ANSWERS);
  it.each(answers)('a receiver that %s is given up at 30 s as one that answered', (_, answer) => {
    const sender = drive(senderConfig(1, 3000, 1000, { protocol: protocol as Protocol, window: 4 }));
    const answerAll = (actions: ReturnType<typeof sender.input>, at: number): number => {
      let answered = 0;
      for (const a of actions)
        if (a.type === 'transmit' && sender.result === undefined) {
          sender.input(answer(a.seq), at);
          answered++;
        }
      return answered;
    };
    let answered = answerAll(sender.input({ type: 'start' }), 0);
    let failure: { at: number; reason: string } | undefined;
    for (let n = 0; n < 10_000 && failure === undefined; n++) {
      const fired = sender.fire()!;
      const failed = eventsOf(fired.actions, 'receiver-failed')[0];
      if (failed) failure = { at: fired.at, reason: failed.reason };
      else answered += answerAll(fired.actions, fired.at);
    }
    expect(failure).toEqual({
      at: 30_000,
      reason: `no ACK for sequence number 1 within 30.0 s of sending it, though it answered ${answered} times: never with an ACK of a segment sent. ${HINT}`,
    });
    expect(sender.result!.receivers[0]).toMatchObject({ state: 'failed', acks: 0, unread: answered });
  });

  it('a receiver that ACKs every data segment and never the end marker is asked whether it takes none', () => {
    const sender = drive(senderConfig(1, 3000, 1000, { protocol: protocol as Protocol, window: 4 }));
    sender.input({ type: 'start' });
    for (const seq of [1, 2, 3]) {
      // Segment by segment for stop-and-wait; the window has them all out at once for the others.
      if (protocol === 'saw' && seq > 1) sender.input({ type: 'turn' });
      sender.input({ type: 'ack', receiver: 0, acked: seq }, seq);
    }
    if (protocol === 'saw') sender.input({ type: 'turn' }, 3); // the end marker goes out at 3 ms
    for (let n = 0; n < 10_000 && sender.result === undefined; n++) sender.fire();
    expect(sender.result!.receivers[0]!.failure).toBe(
      'no ACK for sequence number 4 within 30.0 s of sending it, the end marker, though it ACKed all 3 data ' +
        'segments: does it take no end marker (a receiver that ends by silence)? Try --dialect ' +
        'eof-none; p2mpcheck server tells',
    );
  });

  it('one of ours (it answered the offer) that ACKed every data segment is not told to try eof-none', () => {
    // It takes the end marker (the offer proved it ours): its ACK or its decline was lost, or it died; a --dialect
    // would only turn the offer off.
    const sender = drive(
      senderConfig(1, 3000, 1000, {
        protocol: protocol as Protocol,
        window: 4,
        outcomes: [{ mode: 'verified', failure: undefined, offers: 1, summed: true }],
      }),
    );
    sender.input({ type: 'start' });
    for (const seq of [1, 2, 3]) {
      if (protocol === 'saw' && seq > 1) sender.input({ type: 'turn' });
      sender.input({ type: 'ack', receiver: 0, acked: seq }, seq);
    }
    if (protocol === 'saw') sender.input({ type: 'turn' }, 3);
    for (let n = 0; n < 10_000 && sender.result === undefined; n++) sender.fire();
    expect(sender.result!.receivers[0]!.failure).toBe(
      'no ACK for sequence number 4 within 30.0 s of sending it',
    );
  });

  // Answers that say "nothing yet" (ACK 0) are a receiver of this dialect without the transfer (it refused it, or
  // ended it at segment 1: a size limit, a full disk); and one of ours that answered the offer speaks this dialect,
  // whatever else it sends (a late copy of its accept reads as malformed).
  it.each([
    ['answering only ACK 0', 'course', { type: 'ack', receiver: 0, acked: 0 }],
    [
      'of ours (it answered the offer) whose stray answers are unreadable',
      'verified',
      { type: 'noise', kind: 'malformed', receiver: 0 },
    ],
  ] as const)('a receiver %s is not told of another dialect', (_, mode, answer) => {
    const sender = drive(
      senderConfig(1, 3000, 1000, {
        protocol: protocol as Protocol,
        window: 4,
        outcomes: [{ mode, failure: undefined, offers: mode === 'verified' ? 1 : 0 }],
      }),
    );
    sender.input({ type: 'start' });
    for (let n = 0; n < 10_000 && sender.result === undefined; n++) {
      const fired = sender.fire()!;
      if (fired.actions.some((a) => a.type === 'transmit') && sender.result === undefined)
        sender.input(answer as SenderInput, fired.at);
    }
    const failure = sender.result!.receivers[0]!.failure!;
    expect(failure).not.toContain('--dialect');
    expect(sender.result!.receivers[0]!.unread).toBeUndefined();
    if (mode === 'course')
      expect(failure).toMatch(
        /^no ACK for sequence number 1 within 30\.0 s of sending it, though it answered \d+ times "nothing received" \(ACK 0\): it took no segment \(its own output says why: a size limit, a full disk, data it did not accept\)$/,
      );
    else expect(failure).toBe('no ACK for sequence number 1 within 30.0 s of sending it');
  });

  it('a silent receiver is only silent: no answers counted, the reason as before', () => {
    const sender = drive(senderConfig(1, 3000, 1000, { protocol: protocol as Protocol, window: 4 }));
    sender.input({ type: 'start' });
    for (let n = 0; n < 10_000 && sender.result === undefined; n++) sender.fire();
    expect(sender.result!.receivers[0]!.failure).toBe(
      'no ACK for sequence number 1 within 30.0 s of sending it',
    );
    expect(sender.result!.receivers[0]!.unread).toBeUndefined();
  });

  it("a sender numbering from 0 names the segment as the wire does, as its timeout lines and the receiver's", () => {
    const sender = drive(
      senderConfig(1, 3000, 1000, { protocol: protocol as Protocol, window: 4, wire: (seq) => seq - 1 }),
    );
    sender.input({ type: 'start' });
    for (let n = 0; n < 10_000 && sender.result === undefined; n++) sender.fire();
    expect(sender.result!.receivers[0]!.failure).toBe(
      'no ACK for sequence number 0 within 30.0 s of sending it',
    );
  });
});

// Go-Back-N (and Selective Repeat's fallback to it) takes ACK n as "I have 1..n": a receiver that ACKs the segment
// it expects next is read one ahead, which goes unseen until a segment is lost; then it answers every later one
// with the number it waits for, which the sender already took as had, until the receiver timeout. At the default
// T and 30 s, in virtual time: the failure says both what such answers can mean and what to try.
describe.each(MACHINES.filter(([protocol]) => protocol !== 'saw'))(
  '%s, a receiver that ACKs cumulatively',
  (protocol, drive) => {
    /** A course receiver of 10 segments that drops the copies of segment 3 `lost` says, ACKing as `dialect` does. */
    function transfer(dialect: 'standard' | 'ack-next', lost: (copy: number) => boolean) {
      const sender = drive(senderConfig(1, 10_000, 1000, { protocol: protocol as Protocol, window: 4 }));
      let expected = 1;
      let copiesOf3 = 0;
      const answer = (actions: SenderAction[], at: number): void => {
        for (const a of actions) {
          if (a.type !== 'transmit' || sender.result !== undefined) continue;
          if (a.seq === 3 && lost(++copiesOf3)) continue;
          if (a.seq === expected) expected++;
          answer(
            sender.input(
              { type: 'ack', receiver: 0, acked: dialect === 'ack-next' ? expected : expected - 1 },
              at,
            ),
            at,
          );
        }
      };
      answer(sender.input({ type: 'start' }), 0);
      for (let n = 0; n < 10_000 && sender.result === undefined; n++) {
        const fired = sender.fire()!;
        answer(fired.actions, fired.at);
      }
      return sender.result!.receivers[0]!;
    }
    const hint = (behind: number) =>
      `no ACK for sequence number 4 within 30.0 s of sending it, though it answered ${behind} times that it has ` +
      'everything up to 3: either no copy of 4 reached it, or it ACKs the segment it expects next (then its ACK 3 ' +
      'means "send 3", not "have it": try --dialect ack-next). p2mpcheck server tells which';

    it('one of ack-next that lost segment 3 once fails at 30 s with the hint', () => {
      const r = transfer('ack-next', (copy) => copy === 1);
      expect(r.state).toBe('failed');
      expect(r.failure).toMatch(/^no ACK for sequence number 4 within 30\.0 s/);
      const behind = Number(/answered (\d+) times/.exec(r.failure!)![1]);
      expect(behind).toBeGreaterThan(100);
      expect(r.failure).toBe(hint(behind));
    });

    it('one of the course numbering that lost segment 3 once has the file; one that never gets it, the same hint', () => {
      expect(transfer('standard', (copy) => copy === 1)).toMatchObject({ state: 'done', acks: 11 });
      // Every copy of 3 lost: it says "up to 2" to every later segment, so the sender owes it 3.
      const never = transfer('standard', () => true);
      expect(never.failure).toMatch(
        /^no ACK for sequence number 3 within 30\.0 s of sending it, though it answered \d+ times that it has everything up to 2: either no copy of 3 reached it/,
      );
    });
  },
);
