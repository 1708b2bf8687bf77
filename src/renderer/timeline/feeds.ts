// Where a timeline view reads its events: the live session of a sender (fed by event batches) or the
// recording open in replay mode (up to the cursor). Read on each animation frame; subscribe only says "changed",
// so batches never re-render React.
import type { SenderSource } from '../../shared/contract';
import { useAppStore } from '../store/appStore';
import type { TimelineReader } from './layout';
import { indexAt } from './replay';
import type { Tally } from './tally';

export interface TimelineSnapshot {
  events: TimelineReader;
  tally: Tally;
  /** Absolute index one past the last event to show. */
  limit: number;
  /** The newest time to show: the last event live, the cursor in a replay. */
  head: number;
  /** Events that never reached the view. */
  notShown: number;
}

export interface TimelineFeed {
  read(): TimelineSnapshot | null;
  subscribe(onChange: () => void): () => void;
}

export function liveFeed(source: SenderSource): TimelineFeed {
  return {
    read() {
      const timeline = useAppStore.getState().senders[source]?.timeline;
      if (!timeline) return null;
      const { ring, tally, notShown } = timeline;
      return {
        events: ring,
        tally,
        limit: ring.end,
        head: ring.size > 0 ? ring.t(ring.end - 1) : 0,
        notShown,
      };
    },
    subscribe: (onChange) =>
      useAppStore.subscribe((s, prev) => {
        if (s.senders[source]?.timeline !== prev.senders[source]?.timeline) onChange();
      }),
  };
}

export const replayFeed: TimelineFeed = {
  read() {
    const { replay, replayCursor } = useAppStore.getState();
    if (!replay) return null;
    return {
      events: replay.ring,
      tally: replay.tally,
      limit: indexAt(replay.ring, replayCursor),
      head: replayCursor,
      notShown: 0,
    };
  },
  subscribe: (onChange) =>
    useAppStore.subscribe((s, prev) => {
      if (s.replay !== prev.replay || s.replayCursor !== prev.replayCursor) onChange();
    }),
};
