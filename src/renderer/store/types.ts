import type { SenderSnapshot, TimeoutEntry } from '../../shared/contract';
import type { TimelineRing } from '../../shared/live/timelineRing';
import type { Tally } from '../timeline/tally';
import type { SpanTable } from '../timeline/senderWindow';

/** The live timeline of one sender session. Ring and tally are mutated in place by each batch (copying 20,000
 *  events 20 times a second would cost more than drawing them); the object around them is new per batch, so
 *  a transient subscriber sees the change. */
export interface LiveTimeline {
  ring: TimelineRing;
  /** Totals over every event received, including those the ring no longer holds. */
  tally: Tally;
  /** Events the coalescer left out of its batches (it caps each one). */
  notShown: number;
}

/** What the renderer keeps of one sender session. */
export interface SenderView {
  snapshot: SenderSnapshot;
  /** Oldest first, bounded by TIMEOUT_LOG_LIMIT. */
  timeoutLog: TimeoutEntry[];
  /** Timeouts that fell out of the log (or were never sent: the coalescer bounds each batch). */
  timeoutsDropped: number;
  timeline: LiveTimeline;
  /** When each segment was outstanding: the sender window over time (filled in place, as the timeline's ring). */
  spans: SpanTable;
}
