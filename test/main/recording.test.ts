import { describe, expect, it } from 'vitest';
import {
  decodeRecording,
  encodeRecording,
  RecordingError,
  type Recording,
} from '../../src/shared/live/recording.js';
import { TimelineKind } from '../../src/shared/live/timeline.js';

const recording: Recording = {
  session: {
    source: 'demo',
    fileSize: 1000,
    mss: 500,
    chunks: 2,
    timeoutMs: 100,
    profile: 'standard',
    receivers: [
      { id: 0, label: '127.0.0.2:7735', address: '127.0.0.2', port: 7735 },
      { id: 1, label: 'lab "pc"', address: '127.0.0.3', port: 7735 },
    ],
  },
  outcome: { ok: true, cancelled: false, durationMs: 203.25 },
  truncated: false,
  // prettier-ignore
  events: [
    0.012, TimelineKind.send, 1, 0,
    0.013, TimelineKind.send, 1, 1,
    0.05, TimelineKind.drop, 1, 1,
    0.09, TimelineKind.ack, 1, 0,
    100.1, TimelineKind.timeout, 1, 1,
    100.2, TimelineKind.resend, 1, 1,
    100.3, TimelineKind.ack, 1, 1,
  ],
};

function lines(text: string): string[] {
  return text.trimEnd().split('\n');
}

describe('recording files', () => {
  it('round-trips exactly, one readable line per event', () => {
    const text = encodeRecording(recording);
    expect(lines(text)).toHaveLength(8);
    expect(lines(text)[3]).toBe('[0.05,"drop",1,1]');
    expect(decodeRecording(text)).toEqual(recording);
    expect(decodeRecording(text.replace(/\n/g, '\r\n').replace(/\r\n$/, '\n'))).toEqual(recording);
  });

  it('round-trips the protocol and window of a transfer that ended (older files, and unfinished ones, have none)', () => {
    const sr: Recording = { ...recording, session: { ...recording.session, protocol: 'sr', window: 16 } };
    expect(decodeRecording(encodeRecording(sr))).toEqual(sr);
    // Selective Repeat's receivers in course mode (their ACKs cumulative), for the replay's window.
    const mixed: Recording = { ...sr, session: { ...sr.session, cumulative: [1] } };
    expect(decodeRecording(encodeRecording(mixed))).toEqual(mixed);
  });

  it("round-trips Selective Repeat's fast retransmission, a kind older files never name", () => {
    const fast: Recording = {
      ...recording,
      events: [...recording.events, 100.4, TimelineKind.fastResend, 2, 0],
    };
    const text = encodeRecording(fast);
    expect(lines(text).at(-1)).toBe('[100.4,"fast-resend",2,0]');
    expect(decodeRecording(text)).toEqual(fast);
    // Version 2 where the kind is used, so an app before it refuses the file as newer, not as damaged; version 1
    // otherwise, so that app still opens the rest.
    expect(JSON.parse(lines(text)[0]!)).toMatchObject({ version: 2 });
    expect(JSON.parse(lines(encodeRecording(recording))[0]!)).toMatchObject({ version: 1 });
  });

  it('opens a file an editor saved with a byte-order mark', () => {
    expect(decodeRecording(`\uFEFF${encodeRecording(recording)}`)).toEqual(recording);
  });

  it('round-trips an empty, unfinished, truncated log', () => {
    const empty: Recording = { ...recording, outcome: null, truncated: true, events: [] };
    expect(decodeRecording(encodeRecording(empty))).toEqual(empty);
  });

  const good = lines(encodeRecording(recording));
  const header = JSON.parse(good[0]!) as Record<string, unknown>;
  const withHeader = (patch: Record<string, unknown>): string =>
    [JSON.stringify({ ...header, ...patch }), ...good.slice(1)].join('\n');
  const withLine = (n: number, line: string): string =>
    good.map((l, i) => (i === n - 1 ? line : l)).join('\n');

  it.each([
    ['an empty file', '', 'not a P2MP-FTP timeline recording (line 1 is not a JSON header)'],
    ['a PNG', '\u0089PNG\r\n', 'not a P2MP-FTP timeline recording (line 1 is not a JSON header)'],
    ['another JSON file', '{"name":"x"}\n', 'not a P2MP-FTP timeline recording'],
    [
      'a newer version',
      withHeader({ version: 3 }),
      'recording format version 3 is not supported (this app reads versions 1 to 2): it was saved by a newer P2MP-FTP, which opens it',
    ],
    [
      'a version that is none',
      withHeader({ version: '1' }),
      'recording format version "1" is not supported (this app reads versions 1 to 2)',
    ],
    [
      'a bad source',
      withHeader({ session: { ...(header['session'] as object), source: 'x' } }),
      'header: session.source: expected "send" or "demo"',
    ],
    [
      'a missing outcome field',
      withHeader({ outcome: { ok: true, durationMs: 1 } }),
      'header: outcome.cancelled: expected true or false',
    ],
    ['a wrong event count', withHeader({ events: 9 }), 'the header announces 9 events but the file has 7'],
    ['a cut line', withLine(3, '[0.013,"send",1'), 'line 3: not JSON'],
    ['a short row', withLine(3, '[0.013,"send",1]'), 'line 3: expected [t, kind, seq, receiver]'],
    ['time going back', withLine(4, '[0.001,"drop",1,1]'), 'line 4: time must not go backwards'],
    [
      'a time before the start',
      withLine(2, '[-5,"send",1,0]'),
      'line 2: time: expected 0 ms or more (from the start of the transfer)',
    ],
    ['a time that is no number', withLine(2, '[null,"send",1,0]'), 'line 2: time: expected ms'],
    ['no version', withHeader({ version: undefined }), 'header: version: missing'],
    ['an unknown kind', withLine(4, '[0.05,"boom",1,1]'), 'line 4: unknown event kind "boom"'],
    ['a negative seq', withLine(4, '[0.05,"drop",-1,1]'), 'line 4: seq: expected a whole number'],
    ['an unknown receiver', withLine(4, '[0.05,"drop",1,2]'), 'line 4: no such receiver'],
    [
      'an unknown protocol',
      withHeader({ session: { ...(header['session'] as object), protocol: 'tcp' } }),
      'header: session.protocol: expected saw, gbn, sr',
    ],
    [
      'a window no sender has',
      withHeader({ session: { ...(header['session'] as object), protocol: 'gbn', window: 0 } }),
      'header: session.window: window must be a whole number from 1 to 1024, got 0',
    ],
    [
      'a window that is no number',
      withHeader({ session: { ...(header['session'] as object), protocol: 'gbn', window: '8' } }),
      'header: session.window: expected a whole number',
    ],
    [
      'a course-mode receiver not in the transfer',
      withHeader({
        session: { ...(header['session'] as object), protocol: 'sr', window: 4, cumulative: [2] },
      }),
      'header: session.cumulative: expected receivers 0 to 1, each once, in order',
    ],
    [
      'a course-mode receiver named twice',
      withHeader({
        session: { ...(header['session'] as object), protocol: 'sr', window: 4, cumulative: [1, 1] },
      }),
      'header: session.cumulative: expected receivers 0 to 1, each once, in order',
    ],
    [
      'course-mode receivers that are no list',
      withHeader({ session: { ...(header['session'] as object), protocol: 'sr', window: 4, cumulative: 1 } }),
      'header: session.cumulative: expected a list of receivers',
    ],
    [
      'an endless duration',
      withHeader({ outcome: { ok: true, cancelled: false, durationMs: 1e300 } }).replace('1e+300', '1e999'),
      'header: outcome.durationMs: expected ms',
    ],
  ])('rejects %s with a clear error', (_what, text, message) => {
    expect(() => decodeRecording(text)).toThrow(RecordingError);
    expect(() => decodeRecording(text)).toThrow(message);
  });

  it('refuses a file of more lines than V8 can split into an array, without splitting it', () => {
    // Under the size bound, 150 million empty lines: split('\n') of them all aborts the process (V8's
    // "invalid size error"), which no catch can turn into a message.
    const text = withHeader({ events: 1 }).split('\n')[0]! + '\n'.repeat(150_000_000);
    expect(() => decodeRecording(text)).toThrow('the header announces 1 events but the file has more');
    // Fewer lines than announced are still counted.
    expect(() => decodeRecording(withHeader({ events: 8 }))).toThrow(
      'the header announces 8 events but the file has 7',
    );
  });
});
