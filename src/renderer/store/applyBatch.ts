// Folds one coalesced batch into the store state, as one update. Pure apart from the live timeline's ring,
// which is appended to in place (see LiveTimeline), so it is tested without React.
import type {
  EventBatch,
  ReceiverSnapshot,
  ReceiverSource,
  SenderBatch,
  SenderSource,
} from '../../shared/contract';
import { TimelineRing } from '../../shared/live/timelineRing';
import { applySpans, emptySpans, forgetSpansBefore } from '../timeline/senderWindow';
import { Tally } from '../timeline/tally';
import { applyCompareBatch, type CompareView } from './compare';
import { applyLabBatch, type LabView } from './lab';
import type { LiveTimeline, SenderView } from './types';

/** Timeouts kept for the searchable log; older ones scroll away. */
export const TIMEOUT_LOG_LIMIT = 5000;
/** Timeline events the live diagram keeps: the most recent ones. */
export const LIVE_TIMELINE_CAPACITY = 20_000;

function newTimeline(): LiveTimeline {
  const ring = new TimelineRing(LIVE_TIMELINE_CAPACITY);
  return { ring, tally: new Tally(ring), notShown: 0 };
}

export interface LiveState {
  senders: Partial<Record<SenderSource, SenderView>>;
  receivers: Partial<Record<ReceiverSource, ReceiverSnapshot>>;
  /** The Experiments run main reports (absent until the first lab batch). */
  lab?: LabView | null;
  /** The comparison main reports (absent until the first compare batch). */
  compare?: CompareView | null;
}

/** One sender session's batch folded into what the renderer keeps of it. */
export function applySenderBatch(before: SenderView | undefined, b: SenderBatch): SenderView {
  const previous = b.fresh ? undefined : before;
  const log = [...(previous?.timeoutLog ?? []), ...b.timeouts];
  const overflow = Math.max(0, log.length - TIMEOUT_LOG_LIMIT);
  const timeline = previous?.timeline ?? newTimeline();
  timeline.ring.pushAll(b.timeline);
  // Counted now, while the ring still holds them (a batch is far smaller than the ring).
  timeline.tally.moveTo(timeline.ring.end);
  const spans = previous?.spans ?? emptySpans();
  applySpans(spans, b.spans);
  // What the ring let go is drawn no more: nor are the spans that closed before it (a long transfer's would grow
  // by 16 bytes a segment).
  if (timeline.ring.start > 0) forgetSpansBefore(spans, timeline.ring.t(timeline.ring.start));
  return {
    snapshot: b.snapshot,
    timeoutLog: overflow > 0 ? log.slice(overflow) : log,
    timeoutsDropped: (previous?.timeoutsDropped ?? 0) + b.timeoutsDropped + overflow,
    timeline: { ...timeline, notShown: timeline.notShown + b.timelineDropped },
    spans: { ...spans },
  };
}

export function applyBatch(state: LiveState, batch: EventBatch): LiveState {
  const senders = { ...state.senders };
  for (const [source, b] of Object.entries(batch.senders) as [
    SenderSource,
    EventBatch['senders'][SenderSource],
  ][]) {
    if (b) senders[source] = applySenderBatch(senders[source], b);
  }
  const receivers = { ...state.receivers };
  for (const [source, b] of Object.entries(batch.receivers) as [
    ReceiverSource,
    EventBatch['receivers'][ReceiverSource],
  ][]) {
    if (b) receivers[source] = b.snapshot;
  }
  return {
    senders,
    receivers,
    ...(batch.lab ? { lab: applyLabBatch(state.lab, batch.lab) } : {}),
    ...(batch.compare ? { compare: applyCompareBatch(state.compare, batch.compare) } : {}),
  };
}
