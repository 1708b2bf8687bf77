// The summary a user copies or saves: its first line says how the transfer ended, for everyone.
import { describe, expect, it } from 'vitest';
import type { ReceiverSummary, SendResult } from '../../src/shared/events';
import { summaryParts, summaryText } from '../../src/renderer/summary';

const receiver = (id: number, state: 'done' | 'failed', failure?: string): ReceiverSummary => ({
  receiver: { id, label: `127.0.0.${id + 2}`, address: `127.0.0.${id + 2}`, port: 7735 },
  state,
  ...(failure ? { failure } : {}),
  acks: 3,
  timeouts: 0,
  retransmissions: 0,
  keepalives: 0,
  rtt: null,
  bytes: 1000,
  timeMs: 500,
});

const result = (receivers: ReceiverSummary[], ok: boolean): SendResult => ({
  ok,
  cancelled: false,
  fileSize: 1000,
  mss: 500,
  chunks: 2,
  timeoutRounds: 0,
  timeoutMs: 100,
  durationMs: 500,
  receivers,
});

/** The summary as Copy and Save give it. */
const formatSummary = (r: SendResult, fileName: string | null): string =>
  summaryText(summaryParts(r, fileName));

const firstLine = (r: SendResult): string => formatSummary(r, 'notes.pdf').split('\n')[0]!;

describe('the summary of a send', () => {
  it('says how many receivers got the file when some did not, and "failed" only when none did', () => {
    const declined = 'declined: the file is larger than this receiver accepts';
    expect(firstLine(result([receiver(0, 'done'), receiver(1, 'done')], true))).toBe(
      'P2MP-FTP transfer complete',
    );
    expect(
      firstLine(
        result(
          [receiver(0, 'done'), receiver(1, 'failed', declined), receiver(2, 'failed', declined)],
          false,
        ),
      ),
    ).toBe('P2MP-FTP transfer incomplete: 1 of 3 receivers got the file');
    expect(firstLine(result([receiver(0, 'failed', declined)], false))).toBe(
      'P2MP-FTP transfer failed: no receiver got the file',
    );
  });
});

describe('the summary table', () => {
  it('keeps every value under its heading whatever the names, and puts each failure on a line of its own', () => {
    const long = receiver(0, 'done');
    long.receiver = { ...long.receiver, label: 'lab-pc-07.example.org (127.0.0.2:30601)' };
    const failed = receiver(1, 'failed', 'no ACK for sequence number 1 within 30.0 s of sending it');
    const text = formatSummary({ ...result([long, failed], false), offerMs: 10_400 }, 'notes.pdf');
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('Receiver'))!;
    const rows = lines.slice(lines.indexOf(header) + 1, lines.indexOf(header) + 3);
    expect(rows[0]).toMatch(/^lab-pc-07\.example\.org \(127\.0\.0\.2:30601\) {2}done {3}/);
    // Each number ends where its heading does.
    for (const heading of ['ACKs', 'Timeouts', 'Retransmissions', 'Time (s)']) {
      const end = header.indexOf(heading) + heading.length;
      for (const row of rows) expect(row[end - 1]).toMatch(/\d/);
    }
    expect(text).not.toContain('\t');
    // The timeline and the log count each receiver's timeouts; the timer's expiries are fewer when one found two.
    const timedOut = {
      ...result(
        [
          { ...failed, timeouts: 3 },
          { ...long, timeouts: 2 },
        ],
        false,
      ),
      timeoutRounds: 4,
    };
    expect(formatSummary(timedOut, null)).toMatch(
      /^Timeout: 100 ms, expired 4 times \(5 timeouts across the receivers: one expiry can find several owing an ACK\)$/m,
    );
    // Nobody got the file: no rate is claimed.
    expect(formatSummary(result([failed], false), null)).toMatch(/^Time: 0\.50 s$/m);
    expect(lines).toContain('127.0.0.3 failed: no ACK for sequence number 1 within 30.0 s of sending it');
    expect(lines.find((l) => l.startsWith('Time:'))).toMatch(
      /^Time: 0\.50 s, .*; the offer before the data took 10\.40 s$/,
    );
  });

  it('ends with the name each receiver kept the file under, where not the offered one', () => {
    const ours = (id: number): ReceiverSummary => ({ ...receiver(id, 'done'), mode: 'verified', offers: 1 });
    const renamed = { ...ours(0), keptAs: 'notes (2).pdf' };
    const text = formatSummary(result([renamed, ours(1)], true), 'notes.pdf');
    expect(text.split('\n').slice(-3)).toEqual([
      '127.0.0.3  done      3         0                0              -      0.50',
      '127.0.0.2 kept it as "notes (2).pdf"',
      '',
    ]);
  });
});

describe('which copies the summary says are unverified', () => {
  it('names the receivers that took the file in course mode when the others were offered it', () => {
    const ours = (id: number): ReceiverSummary => ({ ...receiver(id, 'done'), mode: 'verified', offers: 1 });
    const course = (id: number): ReceiverSummary => ({ ...receiver(id, 'done'), mode: 'course', offers: 1 });
    const text = formatSummary(result([ours(0), course(1), ours(2), course(3)], true), 'notes.pdf');
    // "complete" for all four, yet two of them have nothing to check their copy against: the saved summary says so.
    expect(text.split('\n').filter((line) => line.includes('unverified'))).toEqual([
      'Course mode, unverified (no answer to the offer: a course receiver, or one not listening yet when it was sent): 127.0.0.3, 127.0.0.5',
    ]);
    expect(formatSummary(result([ours(0), ours(1)], true), 'notes.pdf')).not.toContain('unverified');
  });

  it('says every copy is unverified where no offer was made (a dialect, the local demo), as p2mpclient does', () => {
    const text = formatSummary(result([receiver(0, 'done'), receiver(1, 'failed')], false), 'notes.pdf');
    expect(text.split('\n').filter((line) => line.includes('unverified'))).toEqual([
      'Course mode, unverified (no offer sent): 127.0.0.2',
    ]);
  });
});
