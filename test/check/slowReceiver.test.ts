// p2mpcheck server against a receiver that answers later than --timeout, in virtual time: each late ACK must be
// taken for the answer to the probe it answers, not to the probe sent while it was on its way. The receivers are
// test/check/peers.ts's logic; the network delays each reply (by a fixed time, or one by datagram) and loses nothing.
import { describe, expect, it } from 'vitest';
import {
  checkReceiver,
  LENGTH,
  type CheckOptions,
  type Moved,
  type Transport,
} from '../../src/shared/check/checker.js';
import { HEADER } from '../../src/shared/check/dialect.js';
import { renderReport, type CheckReport, type RuleId } from '../../src/shared/check/rules.js';
import { receiverLogic, type Quirks } from './peers.js';

interface Reply {
  at: number;
  reply: Buffer;
  /** The socket it goes to: the checker's usual one, or the n-th of newPort. */
  to: 'usual' | number;
}

/** How long after a datagram came its reply is delivered: fixed, or by the datagram and the socket it came from. */
type Delay = number | ((datagram: Uint8Array, from: Reply['to']) => number);

/**
 * A receiver with `quirks` behind a network that delivers each of its replies `delay` after the datagram came;
 * `diesAfter`: it answers that datagram, then nothing more.
 */
function delayedReceiver(
  quirks: Quirks,
  delay: Delay,
  file?: number[],
  diesAfter?: (datagram: Uint8Array) => boolean,
): Transport {
  const answer = receiverLogic(quirks, file && ((payload) => void file.push(...payload)));
  let now = 0;
  let open = true;
  let sockets = 0;
  let replies: Reply[] = [];
  const deliver = (datagram: Uint8Array, to: Reply['to']): void => {
    if (!open) return;
    const { reply, closes } = answer(Buffer.from(datagram));
    const delayMs = typeof delay === 'number' ? delay : delay(datagram, to);
    if (reply) replies.push({ at: now + delayMs, reply, to });
    if (closes || diesAfter?.(datagram)) open = false;
  };
  /** The first reply due within ms to a socket `hears`, when the clock has moved to it; null after ms. */
  const next = (ms: number, hears: (to: Reply['to']) => boolean): Reply | null => {
    // A reply that came while nothing listened was dropped, as the UDP socket drops it.
    replies = replies.filter((r) => r.at >= now);
    const due = replies.filter((r) => hears(r.to) && r.at <= now + ms).sort((a, b) => a.at - b.at)[0];
    if (!due) {
      now += ms;
      return null;
    }
    replies.splice(replies.indexOf(due), 1);
    now = due.at;
    return due;
  };
  const usual = (to: Reply['to']): boolean => to === 'usual';
  return {
    now: () => now,
    exchange: async (datagram, timeoutMs) => {
      deliver(datagram, 'usual');
      return next(timeoutMs, usual)?.reply ?? null;
    },
    listen: async (timeoutMs) => next(timeoutMs, usual)?.reply ?? null,
    newPort: async () => {
      const socket = ++sockets;
      // It hears replies to itself and to the usual socket (nothing asks for its own once it is closed).
      const moved = (ms: number): Moved | null => {
        const due = next(ms, (to) => to === 'usual' || to === socket);
        return due && { reply: due.reply, to: due.to === 'usual' ? 'old port' : 'new port' };
      };
      return {
        exchange: async (datagram, timeoutMs) => {
          deliver(datagram, socket);
          return moved(timeoutMs);
        },
        listen: async (timeoutMs) => moved(timeoutMs),
        close: () => undefined,
      };
    },
    portClosed: async () => false,
  };
}

const OPTIONS: CheckOptions = { timeoutMs: 300, tries: 5, lossProbes: 20, eofWaitMs: 1000 };

/** The check of a receiver with `quirks` answering after `delay` (`diesAfter`: delayedReceiver's), file in memory. */
async function check(
  quirks: Quirks,
  delay: Delay,
  options = OPTIONS,
  diesAfter?: (datagram: Uint8Array) => boolean,
): Promise<CheckReport> {
  const file: number[] = [];
  return checkReceiver('127.0.0.1:7735', delayedReceiver(quirks, delay, file, diesAfter), {
    ...options,
    file: { path: 'out.bin', read: () => Uint8Array.from(file) },
  });
}
const verdict = (report: CheckReport, id: RuleId) => report.verdicts.find((v) => v.id === id)!;
const notPassed = (report: CheckReport, except: RuleId[] = []) =>
  report.verdicts.filter((v) => v.status !== 'pass' && !except.includes(v.id));

describe('p2mpcheck server, a receiver slower than --timeout', () => {
  it('judges a correct receiver that answers after 450 ms (--timeout 0.3) on its own answers, and says so', async () => {
    const report = await check({ eof: 'empty' }, 450);
    // Its late ACK of one probe, read as the next probe's answer, failed rules it keeps.
    expect(notPassed(report)).toEqual([]);
    expect(report.loss).toMatchObject({ missing: 0, probes: 20 });
    expect(report.slow).toEqual({ answerMs: 450, timeoutMs: 300, waitMs: 900 });
    expect(renderReport(report).split('\n')).toContain(
      'Slow: it answers up to 450 ms after a probe, later than --timeout 0.3 s; late ACKs were matched to their ' +
        'own probes and the check waited 0.9 s from then on (use --timeout 0.9)',
    );
  });

  it('still sees slowness beyond several timeouts (1.1 s at --timeout 0.3)', async () => {
    const report = await check({ eof: 'empty' }, 1100);
    expect(notPassed(report)).toEqual([]);
    expect(report.slow).toEqual({ answerMs: 1100, timeoutMs: 300, waitMs: 2200 });
  });

  it('matches late answers to their probes when some of them are lost too', async () => {
    const report = await check({ eof: 'empty', loss: 0.2 }, 450, { ...OPTIONS, tries: 8 });
    expect(notPassed(report)).toEqual([]);
    expect(report.slow).toEqual({ answerMs: 450, timeoutMs: 300, waitMs: 900 });
  });

  it('recognises a late answer with one try per probe (--tries 1)', async () => {
    const report = await check({ eof: 'empty' }, 450, { ...OPTIONS, tries: 1 });
    expect(notPassed(report)).toEqual([]);
    expect(report.slow).toEqual({ answerMs: 450, timeoutMs: 300, waitMs: 900 });
  });

  it('says nothing of slowness for a receiver that answers in time, and passes it', async () => {
    const report = await check({ eof: 'empty' }, 5);
    expect(notPassed(report)).toEqual([]);
    expect(report.slow).toBeUndefined();
    expect(renderReport(report)).not.toMatch(/^Slow/m);
  });

  // Slowness excuses nothing: each receiver breaks one rule, and fails that rule alone.
  it.each<[string, Quirks, RuleId, RegExp]>([
    [
      'answers a bad checksum with the last in-order ACK',
      { reAcksCorrupt: true },
      'bad-checksum',
      /^answers a bad checksum: seq 4 with a corrupted payload got ACK 3 /,
    ],
    [
      'writes duplicates twice',
      { writesDuplicatesTwice: true },
      'duplicate',
      /^re-ACKed, but written again: a second copy of seq 2 got ACK 2 \(expected ACK 2\), and out\.bin grew/,
    ],
    [
      'ACKs a new segment only when it comes again',
      { ignoresFirstCopies: true },
      'in-order',
      /^each new segment was ACKed only when sent again \(its first copy unanswered (\d+) of \1 times/,
    ],
  ])('fails a slow receiver that %s on that rule alone', async (_name, quirks, rule, detail) => {
    const report = await check({ ...quirks, eof: 'empty' }, 450);
    expect(verdict(report, rule)).toMatchObject({ status: 'fails', detail: expect.stringMatching(detail) });
    // Its end of file goes untested when it does not re-ACK (see that rule), and its loss p with it.
    expect(notPassed(report, [rule, 'end-of-file', 'loss'])).toEqual([]);
    expect(report.slow).toMatchObject({ answerMs: 450, timeoutMs: 300 });
  });

  // Slower than --timeout on one kind of datagram only, so that its first late answer comes at that rule's probe (a
  // receiver slow throughout has the wait grown at the first probe): each probe hears a late answer as its own.
  it('passes a receiver that answers a new source port 450 ms late (--timeout 0.3), and says so', async () => {
    const report = await check({ eof: 'empty' }, (_datagram, from) => (from === 'usual' ? 5 : 450));
    // Each copy used to come from a port of its own, closed before its answer came: "got no reply (5 tries)".
    expect(notPassed(report)).toEqual([]);
    expect(verdict(report, 'source-port').detail).toBe(
      'a copy of seq 2, sent from a new source port, was ACKed 2 at that port',
    );
    expect(report.slow).toEqual({ answerMs: 450, timeoutMs: 300, waitMs: 900 });
  });

  // The largest datagram (out of order) is the one malformed probe a course receiver answers. A receiver answering
  // in 200 ms, within --timeout 0.3 but not well within it, may yet answer a probe unanswered in the wait.
  const largest = (datagram: Uint8Array): boolean => datagram.length > HEADER + LENGTH;
  const slowOverLargest = (datagram: Uint8Array): number => (largest(datagram) ? 450 : 200);

  it('matches a late ACK of the largest datagram to it, not to the duplicate sent next', async () => {
    const report = await check({ eof: 'empty' }, slowOverLargest);
    expect(notPassed(report)).toEqual([]);
    // It used to be taken for the duplicate's answer, unseen as late, and the duplicate's ACK for the next probe's.
    expect(report.slow).toEqual({ answerMs: 450, timeoutMs: 300, waitMs: 900 });
  });

  it('fails a receiver that answers the largest datagram late and then nothing more on malformed', async () => {
    const report = await check({ eof: 'empty' }, slowOverLargest, OPTIONS, largest);
    // Its late ACK of that datagram, taken for the duplicate's, used to pass it.
    expect(verdict(report, 'malformed')).toMatchObject({
      status: 'fails',
      detail:
        'stopped answering after a segment as large as a UDP datagram allows, out of order: no ACK to a duplicate ' +
        'sent 5 times',
    });
    expect(notPassed(report, ['malformed', 'end-of-file'])).toEqual([]);
    expect(report.slow).toEqual({ answerMs: 450, timeoutMs: 300, waitMs: 900 });
  });
});
