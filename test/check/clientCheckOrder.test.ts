// p2mpcheck client's words for a sender that does not wait for every ACK, whose segments reach the receivers in an
// order the machine decides: a course sender that moves on at the first ACK, scripted in virtual time, with the
// arrivals of each new segment at one receiver read before what was already queued (as a busy machine may).
import { describe, expect, it } from 'vitest';
import { checkSender, type Arrival, type ClientTransport } from '../../src/shared/check/clientChecker.js';
import { decodeAck, encodeSegment } from '../../src/shared/check/dialect.js';
import type { ClientReport, ClientRuleId } from '../../src/shared/check/rules.js';
import { TYPE_DATA } from '../../src/shared/protocol/segment.js';
import { COURSE_ENCODING, EMPTY } from '../../src/shared/protocol/wire.js';

const RECEIVERS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
const SEGMENTS = 6;
const TIMEOUT_MS = 100;

/**
 * Stop-and-wait that moves on as soon as any receiver ACKs (tx.py's "no-wait" bug), retransmitting to every
 * receiver on a timeout. `jumps(seq)`: the receiver whose copy of a new segment is read before the datagrams
 * already queued (none: every copy queues behind them).
 */
function noWaitSender(jumps: (seq: number) => number | undefined): ClientTransport {
  let now = 0;
  let seq = 1;
  let done = false;
  let timerAt = TIMEOUT_MS;
  const queue: Arrival[] = [];
  const datagram = (n: number): Uint8Array =>
    encodeSegment(
      COURSE_ENCODING,
      n,
      TYPE_DATA,
      n > SEGMENTS ? EMPTY : Uint8Array.from({ length: 100 }, (_, i) => n + i),
    );
  const arrival = (receiver: number, n: number): Arrival => ({
    receiver,
    address: '127.0.0.1',
    port: 40_000,
    datagram: datagram(n),
    t: now,
  });
  const sendAll = (jump: number | undefined): void => {
    for (let i = 0; i < RECEIVERS.length; i++)
      if (i === jump) queue.unshift(arrival(i, seq));
      else queue.push(arrival(i, seq));
  };
  sendAll(undefined);
  return {
    now: () => now,
    send(_receiver, _address, _port, bytes) {
      const ack = decodeAck(bytes, COURSE_ENCODING);
      if (done || ack?.seq !== seq) return;
      if (seq > SEGMENTS) done = true;
      else {
        seq++;
        timerAt = now + TIMEOUT_MS;
        sendAll(jumps(seq));
      }
    },
    async next(timeoutMs) {
      if (!queue.length && !done && timerAt <= now + timeoutMs) {
        now = timerAt;
        timerAt = now + TIMEOUT_MS;
        sendAll(undefined);
      }
      const next = queue.shift();
      if (next) return { ...next, t: now };
      now += timeoutMs;
      return null;
    },
  };
}

const check = (jumps: (seq: number) => number | undefined): Promise<ClientReport> =>
  checkSender(noWaitSender(jumps), {
    receivers: RECEIVERS,
    port: 7735,
    waitMs: 10_000,
    retransmitWaitMs: 1_000,
    quietMs: 1_000,
    withhold: 3,
  });
const verdict = (report: ClientReport, id: ClientRuleId) => report.verdicts.find((v) => v.id === id)!;

describe('p2mpcheck client, a sender that does not wait for every ACK', () => {
  it('says why the withheld ACKs measured no timeout, and why it was not retransmitting', async () => {
    const report = await check(() => 0);
    expect(verdict(report, 'waits-all').status).toBe('fails');
    expect(verdict(report, 'retransmits')).toEqual({
      id: 'retransmits',
      status: 'untested',
      detail:
        'not tested: it does not wait for every ACK (see that rule), so withholding ACKs brought no timeout: while ' +
        '127.0.0.2 withheld its ACK of seq 2, the ACKs of 127.0.0.3, 127.0.0.4 (not withholding: nothing had ' +
        'reached them yet when the withholding began) moved it on to seq 3',
    });
    expect(verdict(report, 'only-unacked')).toEqual({
      id: 'only-unacked',
      status: 'untested',
      detail:
        'not tested: with 127.0.0.4 withholding its ACK of seq 3, it moved on to seq 4 without retransmitting to ' +
        'it (it does not wait for every ACK: see that rule)',
    });
    expect(verdict(report, 'garbage-acks')).toEqual({
      id: 'garbage-acks',
      status: 'untested',
      detail:
        'not tested: it moved on from seq 4 without waiting for 127.0.0.2, which answered with garbage, as it ' +
        'moves on without waiting for every ACK (see that rule): whether it takes garbage for an ACK cannot be told',
    });
  });

  it('says the garbage was never sent when it moved on before the segment reached that receiver', async () => {
    // From seq 3 on, each segment reaches 127.0.0.3 first, whose ACK moves the sender on: seq 5 came before seq 4
    // reached 127.0.0.2, which was to answer it with garbage. The check said "the sender stopped after 6 segments".
    const report = await check((seq) => (seq >= 3 ? 1 : undefined));
    expect(verdict(report, 'garbage-acks')).toEqual({
      id: 'garbage-acks',
      status: 'untested',
      detail:
        'not tested: it moved on to seq 5 before seq 4 reached 127.0.0.2, the receiver that was to answer it with ' +
        'garbage (it does not wait for every ACK: see that rule)',
    });
  });
});
