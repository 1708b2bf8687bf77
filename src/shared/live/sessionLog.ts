// The full timeline of the current (or last) sender session, kept in main for "Save recording": every event
// up to a bound (MAX_RECORDED_EVENTS, about 64 MB), after which recording stops and says so.
import type { SenderSource } from '../contract.js';
import type { SendResult, SenderEvent } from '../events.js';
import {
  MAX_RECORDED_EVENTS,
  type Recording,
  type RecordingOutcome,
  type RecordingSession,
} from './recording.js';
import { TIMELINE_STRIDE, type TimelineEvents } from './timeline.js';

export class SessionLog {
  private session: RecordingSession | null = null;
  private outcome: RecordingOutcome | null = null;
  private events: TimelineEvents = [];
  private full = false;

  constructor(
    private readonly source: SenderSource,
    private readonly limit = MAX_RECORDED_EVENTS,
  ) {}

  begin(start: Extract<SenderEvent, { type: 'start' }>): void {
    const { fileSize, mss, chunks, timeoutMs, profile, receivers, protocol, window, cumulative } = start;
    this.session = {
      source: this.source,
      fileSize,
      mss,
      chunks,
      timeoutMs,
      profile,
      receivers,
      ...(protocol !== undefined ? { protocol } : {}),
      ...(window !== undefined ? { window } : {}),
      ...(cumulative !== undefined ? { cumulative } : {}),
    };
    this.outcome = null;
    this.events = [];
    this.full = false;
  }

  /** A new transfer is on its way (its offer is out): the last one's log is no longer the session's. */
  reset(): void {
    this.session = null;
    this.outcome = null;
    this.events = [];
    this.full = false;
  }

  push(t: number, kind: number, seq: number, receiver: number): void {
    if (this.session === null) return;
    if (this.events.length >= this.limit * TIMELINE_STRIDE) {
      this.full = true;
      return;
    }
    this.events.push(t, kind, seq, receiver);
  }

  finish(result: SendResult): void {
    this.outcome = { ok: result.ok, cancelled: result.cancelled, durationMs: result.durationMs };
    // The result says the protocol too (a start before it was said there does not).
    if (this.session && result.protocol) this.session = { ...this.session, protocol: result.protocol };
  }

  get recorded(): number {
    return this.events.length / TIMELINE_STRIDE;
  }

  get truncated(): boolean {
    return this.full;
  }

  /** The session so far, or null before any session started. Shares the event array: encode it, don't keep it. */
  recording(): Recording | null {
    if (this.session === null) return null;
    return { session: this.session, outcome: this.outcome, truncated: this.full, events: this.events };
  }
}
