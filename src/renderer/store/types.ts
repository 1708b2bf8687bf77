import type { SenderSnapshot, TimeoutEntry } from '../../shared/contract';

/** What the renderer keeps of one sender session. */
export interface SenderView {
  snapshot: SenderSnapshot;
  /** Oldest first, bounded by TIMEOUT_LOG_LIMIT. */
  timeoutLog: TimeoutEntry[];
  /** Timeouts that fell out of the log (or were never sent: the coalescer bounds each batch). */
  timeoutsDropped: number;
}
