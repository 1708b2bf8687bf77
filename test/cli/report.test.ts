// The sender's Total line says what its timeouts were: the course's rounds of T only where they are that.
import { describe, expect, it } from 'vitest';
import { describeCounters, receivedLines, summaryTable, timeoutsText } from '../../src/cli/report.js';
import type { CompletedFile, ReceiverCounters, SendResult } from '../../src/shared/events.js';

const result = (more: Partial<SendResult>): SendResult => ({
  ok: true,
  cancelled: false,
  fileSize: 1000,
  mss: 500,
  chunks: 2,
  timeoutRounds: 3,
  timeoutMs: 100,
  durationMs: 1000,
  receivers: [],
  ...more,
});

describe('timeoutsText', () => {
  it("stop-and-wait with the fixed RTO: the course's rounds of T (also for results without a protocol)", () => {
    expect(timeoutsText(result({ protocol: 'saw', rto: 'fixed' }))).toBe('3 timeout rounds of 0.100 s');
    expect(timeoutsText(result({}))).toBe('3 timeout rounds of 0.100 s');
    expect(timeoutsText(result({ timeoutRounds: 1 }))).toBe('1 timeout round of 0.100 s');
  });

  it('stop-and-wait with the adaptive RTO: rounds, not of T', () => {
    expect(timeoutsText(result({ protocol: 'saw', rto: 'adaptive' }))).toBe(
      '3 timeout rounds, adaptive RTO from 0.100 s',
    );
  });

  it("Go-Back-N and Selective Repeat: each receiver's timer, side by side, not rounds", () => {
    expect(timeoutsText(result({ protocol: 'gbn', rto: 'fixed', timeoutRounds: 718 }))).toBe(
      '718 timer expiries across the receivers (T = 0.100 s, a timer per receiver)',
    );
    expect(timeoutsText(result({ protocol: 'sr', rto: 'adaptive', timeoutRounds: 1 }))).toBe(
      '1 timer expiry across the receivers (adaptive RTO from 0.100 s, a timer per receiver)',
    );
    // Selective Repeat's Timeouts column counts segments: one expiry times out every segment whose deadline met.
    const timedOut = (timeouts: number) => ({ timeouts }) as unknown as SendResult['receivers'][number];
    expect(
      timeoutsText(
        result({ protocol: 'sr', timeoutRounds: 30, receivers: [timedOut(50), timedOut(38), timedOut(0)] }),
      ),
    ).toBe(
      '30 timer expiries across the receivers timing out 88 segments (T = 0.100 s, a timer per receiver)',
    );
  });
});

describe('the Total line and the offer phase', () => {
  const receiver = (acks: number) =>
    ({
      receiver: { id: 0, label: '127.0.0.2', address: '127.0.0.2', port: 7735 },
      state: acks > 0 ? 'done' : 'failed',
      mode: 'verified',
      acks,
      timeouts: 0,
      retransmissions: 0,
      keepalives: 0,
      rtt: null,
      bytes: acks > 0 ? 1000 : 0,
      timeMs: 200,
      ...(acks > 0 ? {} : { failure: 'no answer sealed with the session code' }),
    }) as unknown as SendResult['receivers'][number];
  const totalLine = (r: SendResult): string =>
    summaryTable(r)
      .split('\n')
      .find((l) => /^(Total|No )/.test(l))!;

  it('the multicast line names only receivers that got the file, never one that failed', () => {
    const grouped = (acks: number, label: string) => {
      const r = receiver(acks);
      return { ...r, receiver: { ...r.receiver, label }, multicast: 'group' as const };
    };
    const receivers = [grouped(3, 'ok-host'), grouped(0, 'dead-host')];
    const lines = summaryTable(result({ protocol: 'sr', receivers })).split('\n');
    expect(lines.filter((l) => l.startsWith('Multicast'))).toEqual([
      'Multicast (each new segment sent once, to the group): ok-host',
    ]);
  });

  it('a long offer (a receiver busy or deciding) is said apart from the data time', () => {
    const line = totalLine(
      result({ receivers: [receiver(3)], durationMs: 211, offerMs: 8280, timeoutRounds: 0 }),
    );
    expect(line).toBe(
      'Total: 1000 bytes (1000 B) in 2 chunks of MSS 500 to 1 receiver in 0.211 s, 37.9 kbit/s; ' +
        '0 timeout rounds of 0.100 s; the offer before the data took 8.28 s',
    );
    expect(totalLine(result({ receivers: [receiver(3)], durationMs: 211, offerMs: 3 }))).not.toMatch(/offer/);
  });

  it('one of a thing is said in the singular: a 1-byte file, 1 ACK and 1 byte in the server counters', () => {
    const line = totalLine(
      result({ fileSize: 1, chunks: 1, receivers: [receiver(1)], durationMs: 2, timeoutRounds: 0 }),
    );
    expect(line).toMatch(/^Total: 1 byte \(1 B\) in 1 chunk of MSS 500 to 1 receiver in /);
    const counters: ReceiverCounters = {
      ...{ received: 2, dropped: 0, corrupt: 0, malformed: 0, duplicates: 0, outOfOrder: 0, foreign: 0 },
      ...{ offers: 0, acksSent: 1, bytesWritten: 1 },
    };
    expect(describeCounters(counters, [])).toMatch(
      /; 1 ACK sent, 1 byte written in all \(1 of them to transfers not kept\)$/,
    );
  });

  // "Time 2.02 s" in the table (the data's), "in 2.53 s" below it: the offer's half second, said.
  it("with nothing ACKed, the time counts the offer, and says so where the table's differs", () => {
    const silent = { ...receiver(0), timeouts: 20, failure: 'no ACK for sequence number 1 within 2.0 s' };
    expect(totalLine(result({ receivers: [silent], durationMs: 2_024, offerMs: 510 }))).toBe(
      "No receiver acknowledged any data: 0 bytes delivered to 1 receiver in 2.53 s, the offer's 0.510 s and the " +
        "data's 2.02 s",
    );
  });

  // One segment on loopback: "in 0.000 s, 51.98 Mbit/s", a rate from no time at all.
  it('a transfer under a millisecond says so, without a rate', () => {
    expect(totalLine(result({ receivers: [receiver(3)], durationMs: 0.4, timeoutRounds: 0 }))).toBe(
      'Total: 1000 bytes (1000 B) in 2 chunks of MSS 500 to 1 receiver in under 1 ms; 0 timeout rounds of 0.100 s',
    );
  });

  // p2mpserver said "1155 bytes (1.13 KiB) in 0.000 s, 51.98 Mbit/s" of a one-segment file.
  it("p2mpserver's line of a file kept under a millisecond says so, without a rate", () => {
    const file: CompletedFile = {
      ...{ path: '/tmp/h.bin', bytes: 1155, sha256: 'ab', durationMs: 0.18, from: '127.0.0.1:5000' },
      ...{ endedBy: 'marker', verified: true },
    };
    expect(receivedLines(file)).toBe(
      'Received h.bin: 1155 bytes (1.13 KiB) in under 1 ms, from 127.0.0.1:5000\nSHA-256 ab',
    );
    expect(receivedLines({ ...file, durationMs: 200 })).toMatch(/ in 0\.200 s, 46\.2 kbit\/s, from /);
  });

  it('with no data sent, the time is the offer phase', () => {
    expect(totalLine(result({ receivers: [receiver(0)], durationMs: 1, offerMs: 10_090 }))).toBe(
      'No receiver took the file: 0 bytes delivered to 1 receiver in 10.09 s',
    );
  });

  it('receivers that accepted and then acknowledged nothing did not refuse the file', () => {
    const silent = { ...receiver(0), timeouts: 300, failure: 'no ACK for sequence number 1 within 30.0 s' };
    expect(totalLine(result({ receivers: [silent], durationMs: 30_100, offerMs: 3 }))).toBe(
      'No receiver acknowledged any data: 0 bytes delivered to 1 receiver in 30.10 s',
    );
  });

  it("a transfer that stopped short never reads as if the file's bytes arrived", () => {
    const done = receiver(3);
    const partial = { ...receiver(0), acks: 40, failure: 'cancelled' };
    const line = (cancelled: boolean) =>
      summaryTable(result({ receivers: [done, partial], durationMs: 1640, cancelled }))
        .split('\n')
        .find((l) => l.startsWith('Delivered'));
    expect(line(true)).toBe(
      'Delivered to 1 of 2 receivers (the file: 1000 bytes (1000 B) in 2 chunks of MSS 500) when cancelled ' +
        'after 1.64 s; 3 timeout rounds of 0.100 s',
    );
    expect(line(false)).toMatch(/^Delivered to 1 of 2 receivers \(the file: .*\) in 1\.64 s; /);
  });
});

describe('the table', () => {
  it("counts the chunks ACKed, not the end marker: a receiver that has the file reads the file's chunks", () => {
    const row = (acks: number) =>
      summaryTable(
        result({
          chunks: 200,
          receivers: [
            {
              receiver: { id: 0, label: '127.0.0.2', address: '127.0.0.2', port: 7735 },
              state: 'done',
              mode: 'course',
              acks,
              timeouts: 6,
              retransmissions: 6,
              keepalives: 0,
              rtt: null,
              bytes: 100_000,
              timeMs: 3100,
            } as unknown as SendResult['receivers'][number],
          ],
        }),
      )
        .split('\n')[1]!
        .split(/\s+/)
        .slice(0, 4);
    expect(row(201)).toEqual(['127.0.0.2', 'done', '200', '6']);
    expect(row(57)).toEqual(['127.0.0.2', 'done', '57', '6']);
  });
});

describe('which copies were checked end to end', () => {
  const receiver = (label: string, more: object) =>
    ({
      receiver: { id: 0, label, address: label, port: 7735 },
      state: 'done',
      mode: 'course',
      acks: 2,
      bytes: 1000,
      rtt: null,
      ...more,
    }) as unknown as SendResult['receivers'][number];
  const lines = (r: SendResult): string[] =>
    summaryTable(r)
      .split('\n')
      .filter((l) => /^(Verified|Kept as|Not authenticated|Course mode)/.test(l));

  it('an offer answered by one and not by the other: each is named for what it is', () => {
    const ours = receiver('127.0.0.2', { mode: 'verified', offers: 1 });
    const course = receiver('127.0.0.3', { offers: 3 });
    expect(lines(result({ receivers: [ours, course] }))).toEqual([
      'Verified end to end (SHA-256): 127.0.0.2',
      'Not authenticated: without a session code, anyone on the network could forge these answers (--code)',
      'Course mode, unverified (no answer to the offer: a course server, or one not listening yet when it was sent): 127.0.0.3',
    ]);
  });

  // A host that can spoof a receiver's address can ACK for it: "verified" without a code says what it is worth.
  it('with a session code the answers are authenticated, and nothing is said about forging them', () => {
    const ours = receiver('127.0.0.2', { mode: 'verified', offers: 1 });
    const counters = { received: 2, acks: 2, stale: 0, malformed: 0, foreign: 0, forged: 0, replayed: 0 };
    expect(lines(result({ receivers: [ours], counters }))).toEqual([
      'Verified end to end (SHA-256): 127.0.0.2',
    ]);
  });

  it('names kept other than the offered one are listed by name, each with its receivers', () => {
    const kept = (label: string, keptAs?: string) =>
      receiver(label, { mode: 'verified', offers: 1, ...(keptAs ? { keptAs } : {}) });
    const counters = { received: 8, acks: 8, stale: 0, malformed: 0, foreign: 0, forged: 0, replayed: 0 };
    const receivers = [
      kept('127.0.0.2', 'report (2).pdf'),
      kept('127.0.0.3'),
      kept('127.0.0.4', 'report (3).pdf'),
      kept('127.0.0.5', 'report (2).pdf'),
    ];
    expect(lines(result({ receivers, counters }))).toEqual([
      'Verified end to end (SHA-256): 127.0.0.2, 127.0.0.3, 127.0.0.4, 127.0.0.5',
      'Kept as "report (2).pdf": 127.0.0.2, 127.0.0.5',
      'Kept as "report (3).pdf": 127.0.0.4',
    ]);
  });

  it('no offer sent (--no-offer, --dialect): every copy is unverified, and the summary says so', () => {
    const done = receiver('127.0.0.2', { offers: 0 });
    const failed = receiver('127.0.0.3', { state: 'failed', failure: 'no ACK', offers: 0 });
    expect(lines(result({ receivers: [done, failed] }))).toEqual([
      'Course mode, unverified (no offer sent): 127.0.0.2',
    ]);
    expect(lines(result({ receivers: [failed] }))).toEqual([]);
  });
});

describe("a receiver's session-code counters in words", () => {
  const words = (forged: number, replayed: number, unproven: number, wrongCode = 0, unsealed = 0): string => {
    const counters: ReceiverCounters = {
      ...{ received: 0, dropped: 0, corrupt: 0, malformed: 0, duplicates: 0, outOfOrder: 0, foreign: 0 },
      ...{ offers: 0, acksSent: 0, bytesWritten: 0, forged, replayed, unproven, wrongCode, unsealed },
    };
    return describeCounters(counters, []).split('; session code: ')[1]!;
  };

  it('each count with its own noun, singular where it is one', () => {
    expect(words(1, 0, 1)).toBe(
      '1 forged and 0 replayed datagrams dropped, 1 datagram dropped before its sender answered a challenge',
    );
    expect(words(0, 1, 2)).toBe(
      '0 forged and 1 replayed datagram dropped, 2 datagrams dropped before their sender answered a challenge',
    );
  });

  it('a sender with another code, or none, is said apart from forgeries, when there was one', () => {
    expect(words(0, 0, 0, 5, 1)).toBe(
      '0 forged and 0 replayed datagrams dropped, 5 datagrams under another code (or forged), 1 datagram without ' +
        'the code, ' +
        '0 datagrams dropped before their sender answered a challenge',
    );
  });
});
