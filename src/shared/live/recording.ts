// Recordings: a sender session's timeline saved to a file and opened later for replay, with no network.
// Format (JSON lines, UTF-8): line 1 is a header object {format, version, session, outcome, truncated, events};
// then one line per event, [t, "kind", seq, receiver], t in ms since the start, in time order.
// decodeRecording checks everything and names the first bad line, so a wrong or damaged file is refused
// with a message the user can act on. Pure: the renderer imports the types.
import type { SenderSource } from '../contract.js';
import { PROTOCOLS, windowProblem, type Protocol } from '../limits.js';
import type { ReceiverEndpoint } from '../events.js';
import {
  TIMELINE_KIND_NAMES,
  TIMELINE_STRIDE,
  type TimelineEvents,
  type TimelineKindName,
} from './timeline.js';

export const RECORDING_FORMAT = 'p2mp-ftp-timeline';
/**
 * Version 2 adds the event kind 'fast-resend'. A file is written as version 1 unless it holds one, so an older app
 * still opens every recording it can draw, and refuses the rest as made by a newer version, not as damaged.
 */
export const RECORDING_VERSION = 2;
const FAST_RESEND = TIMELINE_KIND_NAMES.indexOf('fast-resend');
/** The most events one session records; beyond it recording stops (and says so). */
export const MAX_RECORDED_EVENTS = 2_000_000;
export const RECORDING_EXTENSION = 'p2mptl';

export interface RecordingSession {
  source: SenderSource;
  fileSize: number;
  mss: number;
  chunks: number;
  timeoutMs: number;
  profile: string;
  receivers: ReceiverEndpoint[];
  /** Known once the transfer ended (absent in recordings saved before, and in older files). */
  protocol?: Protocol;
  /** Go-Back-N's and Selective Repeat's window, in segments (absent for stop-and-wait, and in older files). */
  window?: number;
  /** Selective Repeat's receivers in course mode, whose ACKs are cumulative (absent: none, or an older file). */
  cumulative?: number[];
}

export interface RecordingOutcome {
  ok: boolean;
  cancelled: boolean;
  durationMs: number;
}

export interface Recording {
  session: RecordingSession;
  /** null: saved before the transfer ended. */
  outcome: RecordingOutcome | null;
  /** The event limit was reached: the log holds the start of the transfer only. */
  truncated: boolean;
  events: TimelineEvents;
}

export class RecordingError extends Error {
  override name = 'RecordingError';
}

export function encodeRecording(recording: Recording): string {
  const { session, outcome, truncated, events } = recording;
  const count = Math.floor(events.length / TIMELINE_STRIDE);
  let version = 1;
  for (let i = 1; i < count * TIMELINE_STRIDE && version === 1; i += TIMELINE_STRIDE)
    if (events[i] === FAST_RESEND) version = 2;
  const header = {
    format: RECORDING_FORMAT,
    version,
    session,
    outcome,
    truncated,
    events: count,
  };
  const lines = [JSON.stringify(header)];
  for (let i = 0; i < count * TIMELINE_STRIDE; i += TIMELINE_STRIDE) {
    const name = TIMELINE_KIND_NAMES[events[i + 1]!];
    lines.push(JSON.stringify([events[i], name, events[i + 2], events[i + 3]]));
  }
  return `${lines.join('\n')}\n`;
}

type Field<T> = (value: unknown, name: string) => T;

const bad = (where: string, what: string): never => {
  throw new RecordingError(`${where}: ${what}`);
};

const count: Field<number> = (v, name) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : bad(name, 'expected a whole number');
const text: Field<string> = (v, name) =>
  typeof v === 'string' && v.length <= 1000 ? v : bad(name, 'expected text');
const flag: Field<boolean> = (v, name) => (typeof v === 'boolean' ? v : bad(name, 'expected true or false'));

function record(v: unknown, name: string): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : bad(name, 'expected an object');
}

function receiverOf(v: unknown, id: number): ReceiverEndpoint {
  const name = `header: session.receivers[${id}]`;
  const r = record(v, name);
  return {
    id,
    label: text(r['label'], name),
    address: text(r['address'], name),
    port: count(r['port'], name),
  };
}

/** An optional protocol: absent, or one the engine speaks. */
function protocolOf(v: unknown): { protocol?: Protocol } {
  if (v === undefined) return {};
  if (!(PROTOCOLS as readonly unknown[]).includes(v))
    bad('header: session.protocol', `expected ${PROTOCOLS.join(', ')}`);
  return { protocol: v as Protocol };
}

/** An optional window: absent, or one the engine takes (a replay draws that many slots). */
function windowOf(v: unknown): { window?: number } {
  if (v === undefined) return {};
  const problem = windowProblem(count(v, 'header: session.window'));
  if (problem !== null) bad('header: session.window', problem);
  return { window: v as number };
}

/** Optional receiver indices: absent, or each of `receivers` at most once, in order. */
function cumulativeOf(v: unknown, receivers: number): { cumulative?: number[] } {
  if (v === undefined) return {};
  const name = 'header: session.cumulative';
  if (!Array.isArray(v) || v.length > receivers) bad(name, 'expected a list of receivers');
  const list = (v as unknown[]).map((r) => count(r, name));
  if (list.some((r, i) => r >= receivers || (i > 0 && r <= list[i - 1]!)))
    bad(name, `expected receivers 0 to ${receivers - 1}, each once, in order`);
  return { cumulative: list };
}

function sessionOf(v: unknown): RecordingSession {
  const s = record(v, 'header: session');
  const source = s['source'];
  if (source !== 'send' && source !== 'demo') bad('header: session.source', 'expected "send" or "demo"');
  const receivers = s['receivers'];
  if (!Array.isArray(receivers) || receivers.length < 1 || receivers.length > 64)
    bad('header: session.receivers', 'expected 1 to 64 receivers');
  return {
    source: source as SenderSource,
    fileSize: count(s['fileSize'], 'header: session.fileSize'),
    mss: count(s['mss'], 'header: session.mss'),
    chunks: count(s['chunks'], 'header: session.chunks'),
    timeoutMs: count(s['timeoutMs'], 'header: session.timeoutMs'),
    profile: text(s['profile'], 'header: session.profile'),
    receivers: (receivers as unknown[]).map(receiverOf),
    ...protocolOf(s['protocol']),
    ...windowOf(s['window']),
    ...cumulativeOf(s['cumulative'], (receivers as unknown[]).length),
  };
}

function outcomeOf(v: unknown): RecordingOutcome | null {
  if (v === null) return null;
  const o = record(v, 'header: outcome');
  const durationMs = o['durationMs'];
  // Finite: JSON reads 1e999 as Infinity, a replay that never ends.
  if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs < 0)
    bad('header: outcome.durationMs', 'expected ms');
  return {
    ok: flag(o['ok'], 'header: outcome.ok'),
    cancelled: flag(o['cancelled'], 'header: outcome.cancelled'),
    durationMs: durationMs as number,
  };
}

/** Parses and checks a recording file's text; throws RecordingError naming the first problem. */
export function decodeRecording(file: string): Recording {
  // A byte-order mark, as some editors write it, is no reason to call the file something else.
  const content = file.startsWith('\uFEFF') ? file.slice(1) : file;
  const newline = content.indexOf('\n');
  let header: Record<string, unknown>;
  try {
    header = record(JSON.parse(newline < 0 ? content : content.slice(0, newline)), 'line 1');
  } catch {
    throw new RecordingError('not a P2MP-FTP timeline recording (line 1 is not a JSON header)');
  }
  if (header['format'] !== RECORDING_FORMAT) throw new RecordingError('not a P2MP-FTP timeline recording');
  if (header['version'] === undefined) bad('header: version', 'missing');
  const version = header['version'];
  // Version 1 files of the app that introduced 'fast-resend' hold it too: read alike.
  if (
    typeof version !== 'number' ||
    !Number.isInteger(version) ||
    version < 1 ||
    version > RECORDING_VERSION
  ) {
    const newer = typeof version === 'number' && version > RECORDING_VERSION;
    throw new RecordingError(
      `recording format version ${typeof version === 'number' ? version : JSON.stringify(version)} is not supported (this app reads versions 1 to ${RECORDING_VERSION})` +
        (newer ? ': it was saved by a newer P2MP-FTP, which opens it' : ''),
    );
  }
  const session = sessionOf(header['session']);
  const outcome = outcomeOf(header['outcome']);
  const truncated = flag(header['truncated'], 'header: truncated');
  const expected = count(header['events'], 'header: events');
  if (expected > MAX_RECORDED_EVENTS) bad('header: events', `more than ${MAX_RECORDED_EVENTS} events`);
  // Split no further than one line past the last announced: a file of a hundred million short lines would
  // make an array past V8's limit, which aborts the process rather than throwing.
  const lines = content.split('\n', expected + 3);
  if (lines.at(-1) === '') lines.pop();
  if (lines.length - 1 > expected)
    throw new RecordingError(`the header announces ${expected} events but the file has more`);
  if (lines.length - 1 !== expected)
    throw new RecordingError(`the header announces ${expected} events but the file has ${lines.length - 1}`);
  const events: TimelineEvents = new Array<number>(expected * TIMELINE_STRIDE);
  let lastT = 0;
  for (let i = 0; i < expected; i++) {
    const where = `line ${i + 2}`;
    let row: unknown;
    try {
      row = JSON.parse(lines[i + 1]!);
    } catch {
      bad(where, 'not JSON');
    }
    if (!Array.isArray(row) || row.length !== TIMELINE_STRIDE)
      bad(where, 'expected [t, kind, seq, receiver]');
    const [t, name, seq, receiver] = row as unknown[];
    if (typeof t !== 'number' || !Number.isFinite(t)) bad(where, 'time: expected ms');
    if ((t as number) < 0) bad(where, 'time: expected 0 ms or more (from the start of the transfer)');
    if ((t as number) < lastT) bad(where, 'time must not go backwards');
    const kind = TIMELINE_KIND_NAMES.indexOf(name as TimelineKindName);
    if (kind < 0) bad(where, `unknown event kind ${JSON.stringify(name)}`);
    count(seq, `${where}: seq`);
    if (count(receiver, `${where}: receiver`) >= session.receivers.length) bad(where, 'no such receiver');
    lastT = t as number;
    events[i * TIMELINE_STRIDE] = t as number;
    events[i * TIMELINE_STRIDE + 1] = kind;
    events[i * TIMELINE_STRIDE + 2] = seq as number;
    events[i * TIMELINE_STRIDE + 3] = receiver as number;
  }
  return { session, outcome, truncated, events };
}
