// Where a timeline view reads its events: the live session of a sender (fed by event batches) or the
// recording open in replay mode (up to the cursor). Read on each animation frame; subscribe only says "changed",
// so batches never re-render React.
import type { SenderSource } from '../../shared/contract';
import { isWindowed } from '../../shared/limits';
import { demoClockRate, demoFlightMs, flightMsOf } from '../../shared/network/flights';
import { useAppStore, type AppState, type PaceKey } from '../store/appStore';
import type { SenderView } from '../store/types';
import type { TimelineReader } from './layout';
import { indexAt } from './replay';
import type { SpanTable } from './senderWindow';
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
  /** A recording at its cursor: the sender's state there is told, its timer read at `head` (it does not count on). */
  replay?: boolean;
  /** Receivers (by index) neither done nor failed: who gets the next chunk. */
  inTransfer: number[];
  /** The end marker's sequence number: nothing is sent after it. */
  lastSeq: number;
  /** The sender window to draw beside the sender's line: its size and when each segment was outstanding. */
  window?: { size: number; spans: SpanTable } | null;
  /**
   * Go-Back-N or Selective Repeat (from the transfer's start event, or the recording): the diagram cannot count
   * the sender's rounds (a go-back is one), so its totals leave them out.
   */
  windowed: boolean;
  /** Selective Repeat: its timers are per segment, and drawn so (layout's Viewport.segmentTimers). */
  segmentTimers: boolean;
  /** Selective Repeat's receivers in course mode, whose ACKs are cumulative (layout's Viewport.cumulative). */
  cumulative?: readonly number[];
  /**
   * The state line tells the sender window (a windowed protocol's Send, demo, replay or Compare lane; a
   * stop-and-wait Compare lane, whose window of one is drawn too, tells its segment and timer there).
   */
  windowLine?: boolean;
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
  /** The teaching pace the diagram's session runs at (live sessions only): its steps wait for the drawing. */
  pace?: PaceKey;
  subscribe(onChange: () => void): () => void;
}

/**
 * A sender session's live diagram; `flying`: its packets really fly at a teaching pace (relays hold them);
 * `window`: its sender window, where it is known.
 */
function senderFeed(
  view: (state: AppState) => SenderView | undefined,
  pace: PaceKey,
  flying: (state: AppState) => boolean,
  window: (state: AppState) => TimelineSnapshot['window'] = () => null,
  windowLine = false,
): TimelineFeed {
  return {
    read() {
      const state = useAppStore.getState();
      const current = view(state);
      if (!current) return null;
      const { ring, tally, notShown } = current.timeline;
      return {
        events: ring,
        tally,
        limit: ring.end,
        head: ring.size > 0 ? ring.t(ring.end - 1) : 0,
        notShown,
        timeoutMs: current.snapshot.timeoutMs,
        running: current.snapshot.running,
        inTransfer: current.snapshot.receivers.flatMap((r, i) =>
          r.state === 'done' || r.state === 'failed' ? [] : [i],
        ),
        lastSeq: current.snapshot.chunks + 1,
        window: window(state),
        windowed: isWindowed(current.snapshot.protocol ?? 'saw'),
        segmentTimers: current.snapshot.protocol === 'sr',
        ...(current.snapshot.cumulative ? { cumulative: current.snapshot.cumulative } : {}),
        windowLine: windowLine && isWindowed(current.snapshot.protocol ?? 'saw'),
      };
    },
    flightMs: () => flightMsOf(useAppStore.getState().pace[pace].mode),
    pace,
    realFlight() {
      // As the demo and compare services set their relays and clock (demoService.ts, compareService.ts).
      const state = useAppStore.getState();
      const timeoutMs = view(state)?.snapshot.timeoutMs ?? 0;
      const { mode } = state.pace[pace];
      const ms = demoFlightMs(mode, timeoutMs);
      if (!flying(state) || !(ms > 0)) return null;
      return { ms, rate: demoClockRate(mode, timeoutMs) };
    },
    subscribe: (onChange) =>
      useAppStore.subscribe((s, prev) => {
        if (view(s)?.timeline !== view(prev)?.timeline) onChange();
      }),
  };
}

/** The local demo through its network: relays hold its packets, on a clock slowed at a teaching pace. */
export const demoRelayed = (s: AppState, source: SenderSource): boolean =>
  source === 'demo' && s.demo?.relays !== undefined;

/** A windowed protocol's window, with its spans: drawn, and told in the state line. */
function liveWindow(view: SenderView | undefined): TimelineSnapshot['window'] {
  const { protocol, window } = view?.snapshot ?? {};
  return view && window !== undefined && isWindowed(protocol ?? 'saw')
    ? { size: window, spans: view.spans }
    : null;
}

export function liveFeed(source: SenderSource): TimelineFeed {
  return senderFeed(
    (s) => s.senders[source],
    source,
    (s) => demoRelayed(s, source),
    (s) => liveWindow(s.senders[source]),
    true,
  );
}

/** Lane `index` of the comparison: its packets always go through relays; its window is drawn (stop-and-wait: 1). */
export function compareFeed(index: number): TimelineFeed {
  return senderFeed(
    (s) => s.compare?.lanes[index]?.sender,
    'compare',
    () => true,
    (s) => {
      const lane = s.compare?.lanes[index];
      return lane ? { size: lane.window ?? 1, spans: lane.sender.spans } : null;
    },
    // Every lane's state line says something: a windowed lane's was left blank beside stop-and-wait's segment.
    true,
  );
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
      replay: true,
      inTransfer: [],
      lastSeq: replay.session.chunks + 1,
      window: replay.window,
      windowed: isWindowed(replay.session.protocol ?? 'saw'),
      segmentTimers: replay.session.protocol === 'sr',
      ...(replay.session.cumulative ? { cumulative: replay.session.cumulative } : {}),
      windowLine: true,
    };
  },
  flightMs: () => 0,
  subscribe: (onChange) =>
    useAppStore.subscribe((s, prev) => {
      if (s.replay !== prev.replay || s.replayCursor !== prev.replayCursor) onChange();
    }),
};
