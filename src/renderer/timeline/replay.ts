// A recording opened for replay: its events in a ring sized to hold them all, and a tally that follows the
// replay cursor both ways.
import type { Recording, RecordingOutcome, RecordingSession } from '../../shared/live/recording';
import { TIMELINE_STRIDE } from '../../shared/live/timeline';
import { TimelineRing } from '../../shared/live/timelineRing';
import { Tally } from './tally';

export interface ReplayState {
  session: RecordingSession;
  outcome: RecordingOutcome | null;
  truncated: boolean;
  ring: TimelineRing;
  tally: Tally;
  /** ms: the transfer's duration, or its last event when it had not ended. */
  duration: number;
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
  };
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
