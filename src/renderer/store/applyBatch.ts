// Folds one coalesced batch into the store state, as one update. Pure, so it is tested without React.
import type { EventBatch, ReceiverSnapshot, ReceiverSource, SenderSource } from '../../shared/contract';
import type { SenderView } from './types';

/** Timeouts kept for the searchable log; older ones scroll away. */
export const TIMEOUT_LOG_LIMIT = 5000;

export interface LiveState {
  senders: Partial<Record<SenderSource, SenderView>>;
  receivers: Partial<Record<ReceiverSource, ReceiverSnapshot>>;
}

export function applyBatch(state: LiveState, batch: EventBatch): LiveState {
  const senders = { ...state.senders };
  for (const [source, b] of Object.entries(batch.senders) as [
    SenderSource,
    EventBatch['senders'][SenderSource],
  ][]) {
    if (!b) continue;
    const previous = b.fresh ? undefined : senders[source];
    const log = [...(previous?.timeoutLog ?? []), ...b.timeouts];
    const overflow = Math.max(0, log.length - TIMEOUT_LOG_LIMIT);
    senders[source] = {
      snapshot: b.snapshot,
      timeoutLog: overflow > 0 ? log.slice(overflow) : log,
      timeoutsDropped: (previous?.timeoutsDropped ?? 0) + b.timeoutsDropped + overflow,
    };
  }
  const receivers = { ...state.receivers };
  for (const [source, b] of Object.entries(batch.receivers) as [
    ReceiverSource,
    EventBatch['receivers'][ReceiverSource],
  ][]) {
    if (b) receivers[source] = b.snapshot;
  }
  return { senders, receivers };
}
