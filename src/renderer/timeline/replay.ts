// A recording opened for replay: its events in a ring sized to hold them all, a tally that follows the replay
// cursor both ways, and a window protocol's sender window over the whole recording.
import { isWindowed } from '../../shared/limits';
import { OutstandingSpans } from '../../shared/live/outstanding';
import type { Recording, RecordingOutcome, RecordingSession } from '../../shared/live/recording';
import { isTransmission, TIMELINE_STRIDE, TimelineKind } from '../../shared/live/timeline';
import { TimelineRing } from '../../shared/live/timelineRing';
import { applySpans, emptySpans, type SpanTable } from './senderWindow';
import { Tally } from './tally';

export interface ReplayState {
  session: RecordingSession;
  outcome: RecordingOutcome | null;
  truncated: boolean;
  ring: TimelineRing;
  tally: Tally;
  /** ms: the transfer's duration, or its last event when it had not ended. */
  duration: number;
  /** Go-Back-N's or Selective Repeat's window over the whole recording; null: stop-and-wait, or not recorded. */
  window: { size: number; spans: SpanTable } | null;
  /** Whether the simulated network lost anything in it: only then does its legend explain that mark. */
  network: boolean;
}

/** The sender window over a recording, from its sends and ACKs, as the live diagram drew it. */
function windowOf(recording: Recording): ReplayState['window'] {
  const { session, events, outcome, truncated } = recording;
  if (session.window === undefined || !isWindowed(session.protocol ?? 'saw')) return null;
  const spans = new OutstandingSpans();
  spans.begin(session.protocol!, session.receivers.length, session.window, session.cumulative);
  // A new segment's first copies go, one after another, to every receiver still in the transfer: one they leave
  // out was given up on by then (the recording does not say so otherwise).
  const out = new Set<number>();
  let newest = 0;
  for (let i = 0; i < events.length; i += TIMELINE_STRIDE) {
    const [t, kind, seq, receiver] = [events[i]!, events[i + 1]!, events[i + 2]!, events[i + 3]!];
    if (kind === TimelineKind.send && seq > newest) {
      newest = seq;
      const got = new Set<number>();
      let j = i;
      for (; j < events.length; j += TIMELINE_STRIDE) {
        const [k, s] = [events[j + 1], events[j + 2]];
        if (k === TimelineKind.send && s === seq) got.add(events[j + 3]!);
        // A loss the sender cannot see is timed by another clock, and may come between them.
        else if (k !== TimelineKind.drop && k !== TimelineKind.netLoss && k !== TimelineKind.netAckLoss)
          break;
      }
      // (A recording cut short may end among them.)
      if (j < events.length || !truncated)
        for (let r = 0; r < session.receivers.length; r++)
          if (!got.has(r) && !out.has(r)) {
            out.add(r);
            spans.gaveUp(r, t);
          }
    }
    if (isTransmission(kind)) spans.sent(seq, t);
    else if (kind === TimelineKind.ack) spans.ackedBy(seq, receiver, t);
  }
  if (outcome) spans.ended(outcome.durationMs);
  const table: SpanTable = emptySpans();
  applySpans(table, spans.drain());
  return { size: session.window, spans: table };
}

export function replayOf(recording: Recording): ReplayState {
  const count = recording.events.length / TIMELINE_STRIDE;
  const ring = new TimelineRing(Math.max(1, count));
  ring.pushAll(recording.events);
  const last = count > 0 ? ring.t(count - 1) : 0;
  return {
    session: recording.session,
    outcome: recording.outcome,
    truncated: recording.truncated,
    ring,
    tally: new Tally(ring),
    duration: Math.max(last, recording.outcome?.durationMs ?? 0),
    window: windowOf(recording),
    network: lostInNetwork(recording.events),
  };
}

function lostInNetwork(events: readonly number[]): boolean {
  for (let i = 1; i < events.length; i += TIMELINE_STRIDE)
    if (events[i] === TimelineKind.netLoss || events[i] === TimelineKind.netAckLoss) return true;
  return false;
}

/** Absolute index one past the last event at or before `t`. */
export function indexAt(ring: TimelineRing, t: number): number {
  return ring.lowerBound(t + 1e-6);
}

/**
 * Where stepping from `t` goes: the next event's time (the end when none is left), or the last event's before
 * `t` (0 when none). Events at one time are one step: the cursor shows everything at or before it.
 */
export function stepFrom(replay: ReplayState, t: number, direction: 1 | -1): number {
  const { ring } = replay;
  if (direction === 1) {
    const next = indexAt(ring, t);
    return next < ring.end ? ring.t(next) : replay.duration;
  }
  const before = ring.lowerBound(t - 1e-6);
  return before > ring.start ? ring.t(before - 1) : 0;
}
