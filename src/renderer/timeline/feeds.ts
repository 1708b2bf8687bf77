// Where a timeline view reads its events: the live session of a sender (fed by event batches) or the
// recording open in replay mode (up to the cursor). Read on each animation frame; subscribe only says "changed",
// so batches never re-render React.
import type { SenderSource } from '../../shared/contract';
import { demoClockRate, demoFlightMs, flightMsOf } from '../../shared/network/flights';
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
  /** The sender's retransmission timeout, ms. */
  timeoutMs: number;
  /** Whether the transfer is still going (the timer's time left then counts on between batches). */
  running: boolean;
  /** Receivers (by index) neither done nor failed: who gets the next chunk. */
  inTransfer: number[];
  /** The end marker's sequence number: nothing is sent after it. */
  lastSeq: number;
}

export interface TimelineFeed {
  read(): TimelineSnapshot | null;
  /** How long a packet's flight is animated, ms: 0 draws arrows whole at once (full speed, replay). */
  flightMs(): number;
  /**
   * Packets really fly for that long (the local demo's network at a teaching pace): a flight's length on the
   * engine's clock and that clock's rate (engine ms per wall ms); null (or absent) when they do not.
   */
  realFlight?(): { ms: number; rate: number } | null;
  subscribe(onChange: () => void): () => void;
}

export function liveFeed(source: SenderSource): TimelineFeed {
  return {
    read() {
      const view = useAppStore.getState().senders[source];
      if (!view) return null;
      const { ring, tally, notShown } = view.timeline;
      return {
        events: ring,
        tally,
        limit: ring.end,
        head: ring.size > 0 ? ring.t(ring.end - 1) : 0,
        notShown,
        timeoutMs: view.snapshot.timeoutMs,
        running: view.snapshot.running,
        inTransfer: view.snapshot.receivers.flatMap((r, i) =>
          r.state === 'done' || r.state === 'failed' ? [] : [i],
        ),
        lastSeq: view.snapshot.chunks + 1,
      };
    },
    flightMs: () => flightMsOf(useAppStore.getState().pace[source].mode),
    realFlight() {
      // As the demo service sets its relays and clock (demoService.ts).
      const state = useAppStore.getState();
      const timeoutMs = state.senders[source]?.snapshot.timeoutMs ?? 0;
      const { mode } = state.pace[source];
      const ms = demoFlightMs(mode, timeoutMs);
      if (source !== 'demo' || state.demo?.relays === undefined || !(ms > 0)) return null;
      return { ms, rate: demoClockRate(mode, timeoutMs) };
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
      timeoutMs: replay.session.timeoutMs,
      running: false,
      inTransfer: [],
      lastSeq: 0,
    };
  },
  flightMs: () => 0,
  subscribe: (onChange) =>
    useAppStore.subscribe((s, prev) => {
      if (s.replay !== prev.replay || s.replayCursor !== prev.replayCursor) onChange();
    }),
};
