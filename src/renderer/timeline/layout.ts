// Geometry of the sequence diagram, as pure functions of the events and the viewport (tested without a
// canvas). As in the textbook: time runs downward, a vertical line for the sender on the left and one per
// receiver to its right. A data packet is a slanted arrow from the sender to its receiver, its ACK a slanted
// arrow back; both carry the sequence number. Loopback flights last microseconds, so, as in Wireshark's flow
// graph, time is stretched where events crowd: a flight is drawn `flight` px tall, and nothing is drawn above
// what caused it (the next round starts below the last ACK, a timeout below the round's ACKs), nor anything on the
// sender's line above what came before it. A window protocol's segments that leave together are drawn side by
// side, as the textbook draws a window, and one let out by an ACK leaves where that ACK came in. Where events are
// far apart, y is linear in time; each round's send time is written beside it. A drop by p ends its arrow in a
// cross just short of the receiver; a loss in the simulated network (the demo's relay) ends the data arrow or the
// ACK arrow mid-way, where the packet died, in a circled cross. The retransmission timer is a bar beside the
// sender's line from the round's send to its expiry (or the round's end); Selective Repeat's are per segment, each in
// its own column, from the segment's send until no receiver's timer of it runs (the sender's are per segment and
// receiver): each receiver's ACK (a course receiver's cumulative one) or expiry ends its own. A timeout is a clock mark
// dotted across to the receiver, named by the segment whose timer fired.
// Where the sender window is known (a window protocol, Compare), it is a band left of the sender's line, row by row from each
// first send and ACK down to the next, at the heights they are drawn. Where the receivers would be crowded (three in a
// third of a 1024-px projector), the band, the timer columns and the margin right of the last receiver narrow (sidesOf).
import { isTransmission, startsRound, TimelineKind } from '../../shared/live/timeline';
import type { TimelineRing } from '../../shared/live/timelineRing';
import { windowAt, type SlotState, type SpanTable } from './senderWindow';
import type { Squeeze } from './squeeze';

export type TimelineReader = Pick<
  TimelineRing,
  'start' | 'end' | 't' | 'kind' | 'seq' | 'receiver' | 'lowerBound'
>;

export interface Viewport {
  /** Window start (top) and end (bottom), ms since the session started (shown time, with `squeeze`). */
  t0: number;
  t1: number;
  /** Long waits drawn short (squeeze.ts): heights follow its shown time; absent, real time. */
  squeeze?: Squeeze;
  /** CSS pixels. */
  width: number;
  height: number;
  receivers: number;
  /** The diagram's text size; every other size follows it, so the diagram scales with its type. */
  fontPx: number;
  /** The sender window's size W, when its band is drawn left of the sender's line (it takes room there). */
  window?: number;
  /**
   * Selective Repeat (with `window`): a retransmission timer per segment, each bar in a column of its own (see
   * timerX), not one per round.
   */
  segmentTimers?: boolean;
  /**
   * Selective Repeat's receivers in course mode (by index, from the transfer's start): Go-Back-N's for them, so
   * their ACK of k says they have every segment up to k.
   */
  cumulative?: readonly number[];
}

/** Sizes derived from the font size (px). */
export function metrics(fontPx: number) {
  return {
    /** Time axis labels on the left. */
    gutter: Math.round(fontPx * 5.2),
    /** Lane names on top. */
    header: Math.round(fontPx * 2),
    bottom: Math.round(fontPx * 0.8),
    minFlight: Math.round(fontPx * 1.6),
    /** Space kept below a timeout mark before the next event. */
    after: Math.round(fontPx * 0.8),
    /** A drop by p: the cross this far short of the receiver's line. */
    dropGap: Math.round(fontPx * 0.7),
    /** Stroke width of an arrow. */
    arrow: Math.max(1.5, Math.round((fontPx / 9) * 10) / 10),
    /** Side of the square a loss cross fills. */
    cross: Math.round(fontPx * 0.9),
    /** Between two ACKs' heads on the sender's line: about an arrowhead's width (see strokeArrows). */
    headGap: Math.round(fontPx * 0.45),
  };
}

/** x where the sender window's band starts (its slots run right from there, toward the sender's line). */
export function windowBandX(vp: Viewport): number {
  return metrics(vp.fontPx).gutter + vp.fontPx * 0.4;
}

/** Selective Repeat's timer columns at most: beyond, segments share them (segment mod columns). */
const MAX_TIMER_COLUMNS = 8;

/** Timer columns: one per slot of Selective Repeat's window, as many as fit; one otherwise. */
function timerColumns(vp: Viewport): number {
  return vp.segmentTimers && vp.window !== undefined ? Math.min(vp.window, MAX_TIMER_COLUMNS) : 1;
}

/**
 * The least room per receiver, in font sizes: below it the window's band, the timer columns and the margin right of
 * the last receiver give up theirs (three receivers in a third of a 1024-px projector had 21 px between them at
 * W = 8, beside an 8-slot band and eight timer columns).
 */
const RECEIVER_ROOM = 2.5;

/** Widths beside the receivers' lanes, px: a slot of the band, between timer columns, right of the last line. */
interface Sides {
  cell: number;
  timerGap: number;
  right: number;
}

/**
 * The sides in full (W slots take at most about 5 characters' width) and at their narrowest: slots and timer bars
 * still told apart, and the last receiver's name ("R3") still whole beside its line.
 */
function sidesAt(vp: Viewport, full: boolean): Sides {
  const f = vp.fontPx;
  const cell = Math.min(f * 0.9, (f * 4.8) / Math.max(1, vp.window ?? 1));
  return full
    ? { cell, timerGap: f * 0.35, right: f * 3.2 }
    : { cell: Math.min(cell, f * 0.25), timerGap: f * 0.25, right: f * 1.2 };
}

/** Room from the time column to the sender's line: with the window, its band and the timer bars. */
function beforeSender(vp: Viewport, s: Sides): number {
  return vp.window === undefined
    ? vp.fontPx
    : vp.fontPx * 0.4 + vp.window * s.cell + vp.fontPx * 1.1 + (timerColumns(vp) - 1) * s.timerGap;
}

/**
 * The sides as wide as the receivers leave them: in full where each receiver has RECEIVER_ROOM font sizes, else
 * narrowed evenly toward their narrowest, as far as that gives the receivers their room.
 */
function sidesOf(vp: Viewport): Sides {
  // Asked for every x placed (each event, each timer bar, again when drawn): worked out once per viewport's sizes.
  const l = lastSides;
  if (
    l === null ||
    l.width !== vp.width ||
    l.fontPx !== vp.fontPx ||
    l.receivers !== vp.receivers ||
    l.window !== vp.window ||
    l.columns !== timerColumns(vp)
  ) {
    const { width, fontPx, receivers, window } = vp;
    lastSides = { width, fontPx, receivers, window, columns: timerColumns(vp), sides: sidesFor(vp) };
  }
  return lastSides!.sides;
}
let lastSides:
  (Pick<Viewport, 'width' | 'fontPx' | 'receivers' | 'window'> & { columns: number; sides: Sides }) | null =
  null;

function sidesFor(vp: Viewport): Sides {
  const [full, least] = [sidesAt(vp, true), sidesAt(vp, false)];
  const taken = (s: Sides): number => beforeSender(vp, s) + s.right;
  const spare = vp.width - metrics(vp.fontPx).gutter - vp.receivers * RECEIVER_ROOM * vp.fontPx;
  const range = taken(full) - taken(least);
  const k = range > 0 ? Math.min(1, Math.max(0, (spare - taken(least)) / range)) : 1;
  const mix = (a: number, b: number): number => b + (a - b) * k;
  return {
    cell: mix(full.cell, least.cell),
    timerGap: mix(full.timerGap, least.timerGap),
    right: mix(full.right, least.right),
  };
}

/** Width of one slot of the sender window's band. */
export function windowCellPx(vp: Viewport): number {
  return sidesOf(vp).cell;
}

/**
 * x of the timer bar of segment `seq`, left of the sender's line. Selective Repeat's segments in flight lie within W
 * of each other, so, with a column per slot (segment mod W), timers that run at once never share one: each
 * expiry ends on its own segment's bar.
 */
export function timerX(seq: number, vp: Viewport): number {
  const columns = timerColumns(vp);
  return laneX(0, vp) - vp.fontPx * 0.6 - (columns - 1 - ((seq - 1) % columns)) * sidesOf(vp).timerGap;
}

/** x of a lane: 0 is the sender, 1.. the receivers. */
export function laneX(lane: number, vp: Viewport): number {
  const sides = sidesOf(vp);
  const x0 = metrics(vp.fontPx).gutter + beforeSender(vp, sides);
  return x0 + (lane * (vp.width - sides.right - x0)) / Math.max(1, vp.receivers);
}

/**
 * x where a packet to or from receiver `receiver` is drawn lost in the network: half way along its arrow, or,
 * where that falls on another receiver's line (it would seem to die there), half a lane nearer the sender.
 */
export function midway(receiver: number, vp: Viewport): number {
  const lanes = (receiver + 1) / 2;
  return laneX(Number.isInteger(lanes) ? lanes - 0.5 : lanes, vp);
}

/** Height of a flight: the same for every receiver (they are all as far away), a good slant where it fits. */
export function flightHeight(vp: Viewport): number {
  const m = metrics(vp.fontPx);
  const plot = vp.height - m.header - m.bottom;
  const across = laneX(vp.receivers, vp) - laneX(0, vp);
  return Math.round(Math.max(m.minFlight, Math.min(plot / 6, across * 0.12)));
}

/** y of real time `t` where nothing crowds it (linear in its shown time). */
export function timeToY(t: number, vp: Viewport): number {
  const m = metrics(vp.fontPx);
  const span = Math.max(1e-9, vp.t1 - vp.t0);
  const shown = vp.squeeze ? vp.squeeze.shown(t) : t;
  return m.header + ((shown - vp.t0) / span) * (vp.height - m.header - m.bottom);
}

export type ArrowKind = 'send' | 'resend' | 'ack';

export interface Arrow {
  kind: ArrowKind;
  seq: number;
  receiver: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Dropped before it arrived: drawn up to its cross. */
  lost: boolean;
  /** Its event's absolute index; for an ACK, also the index of the transmission it answers (for animation).
   *  -1 for the next round's packets (Frame.next), which have not left yet. */
  index: number;
  answers: number | null;
  /** When it left and (once known) when it arrived, ms. */
  t1: number;
  t2: number | null;
  /** A data packet: its round trip (send to ACK), once ACKed; an ACK: that of the packet it answers. */
  rttMs: number | null;
  /** A retransmission: when the timer that sent it started and expired (its round's, or its segment's), ms. */
  afterTimeout: { round: number; expired: number } | null;
  /** A fast retransmission (Selective Repeat): sent before its timer expired, later segments having arrived. */
  fast?: true;
  /** An ACK on its way back that the sender has not got yet (packets really fly: Timing.flight); index -1. */
  expected?: true;
}

export interface LossMark {
  x: number;
  y: number;
  seq: number;
  receiver: number;
  /** Index of the arrow it ends (animated with it). */
  index: number;
  /** Dropped by p at the receiver, or lost mid-way by the simulated network. */
  where: 'receiver' | 'network';
}

export interface TimeoutMark {
  y: number;
  /** The sender's line and the line of the receiver that owed the ACK. */
  x1: number;
  x2: number;
  /** The timeout's event (absolute index). */
  index: number;
  /** The segment whose timer fired (Go-Back-N: the window's base, resent first). */
  seq: number;
}

/** The retransmission timer of one round (Selective Repeat: of one segment), beside the sender's line. */
export interface TimerBar {
  /** The round's segment. */
  seq: number;
  x: number;
  y1: number;
  /** Where it stopped: the round's end, its expiry (Selective Repeat: its last receiver's), or now while it runs. */
  y2: number;
  /** Where it will expire (drawn dashed beyond y2 while it runs). */
  yExpiry: number;
  state: 'stopped' | 'expired' | 'running';
}

export interface DrawnCounts {
  sends: number;
  resends: number;
  acks: number;
  /** Drops by p. */
  drops: number;
  /** Data packets and ACKs lost in the simulated network. */
  netLosses: number;
  timeouts: number;
}

/** The sender's state at the newest laid-out event. */
export interface Current {
  seq: number;
  /** When the current round's timer started, ms. */
  since: number;
  /** Receivers (by index) that were sent the current segment and have not ACKed it. */
  owed: number[];
  /** Of those, the ones whose timer expired since (their retransmission is the next round). */
  timedOut: number[];
}

/** The sender window from y1 down to y2 (as at time t, the newest event drawn at y1). */
export interface WindowRow {
  y1: number;
  y2: number;
  t: number;
  base: number;
  slots: SlotState[];
}

/** A round's send time, written in the time column. */
export interface RoundMark {
  y: number;
  t: number;
  /** Its shown time (Viewport.squeeze): what the column's precision follows. */
  shown: number;
}

/** A long wait drawn short (Viewport.squeeze): where, and how long it really was, ms. */
export interface BreakMark {
  y: number;
  ms: number;
}

export interface Frame {
  arrows: Arrow[];
  rounds: RoundMark[];
  breaks: BreakMark[];
  drops: LossMark[];
  timeouts: TimeoutMark[];
  timers: TimerBar[];
  /** What is at least partly inside the window. */
  drawn: DrawnCounts;
  /** Events in the window not laid out: more rounds than the plot holds when stretched (see layoutFrame). */
  leftOut: number;
  current: Current | null;
  /** The next round's packets and their ACKs, drawn faint below the last event (Timing.next), not sent yet. */
  next: Arrow[];
  /** The sender window over the drawn time, row by row (Timing.window); empty when it is not drawn. */
  window: WindowRow[];
}

/** The round the sender will send next: a chunk (or its retransmission) to these receivers. */
export interface NextRound {
  kind: 'send' | 'resend';
  seq: number;
  receivers: number[];
}

/**
 * What stop-and-wait sends next, from the state at the newest event: the retransmission to the receivers whose
 * timer expired, or (every ACK in) the next chunk to the receivers still in the transfer; null while ACKs are
 * owed and the timer runs, or after the end marker (`lastSeq`).
 */
export function nextRound(current: Current | null, inTransfer: number[], lastSeq: number): NextRound | null {
  if (!current) return null;
  if (current.timedOut.length > 0) return { kind: 'resend', seq: current.seq, receivers: current.timedOut };
  if (current.owed.length > 0 || current.seq >= lastSeq || inTransfer.length === 0) return null;
  return { kind: 'send', seq: current.seq + 1, receivers: inTransfer };
}

export interface Timing {
  /** The sender's retransmission timeout, ms. */
  timeoutMs: number;
  /** Now, ms (the newest event live, the cursor in a replay). */
  head: number;
  /** Following the head: the newest events are lifted into view when stretching pushed them below it. */
  follow: boolean;
  /** Draw the next round (to offer its packets to lose) below the newest event: who is still in the transfer and
   *  the end marker's number (see nextRound); absent or null: not drawn. */
  next?: { inTransfer: number[]; lastSeq: number } | null;
  /** Packets really fly (the local demo's network at a teaching pace): the engine's time now and a flight's
   *  length, ms. A packet whose flight is over has landed, and its ACK, if no loss was told, is on its way back. */
  flight?: { now: number; ms: number } | null;
  /** Draw the sender window (with Viewport.window its size): when each segment was outstanding, and the end
   *  marker's number (no slot beyond it). */
  window?: { spans: SpanTable; lastSeq: number } | null;
}

/**
 * Lays out the events with absolute index < `limit` (replay: those up to the cursor) that touch the window.
 * Starts one timeout and half a window early, so an ACK in view finds the send it answers and a timer bar its
 * start.
 */
export function layoutFrame(events: TimelineReader, limit: number, vp: Viewport, timing: Timing): Frame {
  const m = metrics(vp.fontPx);
  const dy = flightHeight(vp);
  // Stretched, the plot holds a few dozen rounds: at full speed a window of time holds thousands, so no more
  // events are laid out than could show, the newest while following, else those from the window's top down.
  // A round's worth before the top is laid out too, so an ACK in view finds its send and a timer its start.
  // (A window protocol's turn sends up to W segments side by side in about the height of one round trip.)
  const perRound = (vp.receivers * 4 + 4) * Math.min(4, Math.ceil((vp.window ?? 1) / 4));
  const fits = (Math.ceil(vp.height / dy) + 4) * perRound;
  const real = (shown: number): number => (vp.squeeze ? vp.squeeze.real(shown) : shown);
  const last = Math.min(limit, events.end, events.lowerBound(real(vp.t1 + 1e-6)));
  const top = Math.max(events.start, Math.min(last, events.lowerBound(real(vp.t0))));
  const begin = Math.max(events.start, top - 2 * perRound, timing.follow ? last - fits : -Infinity);
  const end = timing.follow ? last : Math.min(last, begin + fits);
  const leftOut = Math.max(0, begin - top) + (last - end);
  const xS = laneX(0, vp);
  const y = (t: number): number => timeToY(t, vp);
  const arrows: Arrow[] = [];
  const rounds: RoundMark[] = [];
  const breaks: BreakMark[] = [];
  const drops: LossMark[] = [];
  const timeouts: TimeoutMark[] = [];
  const timers: TimerBar[] = [];
  // Per receiver, per sequence number: the latest transmission not yet answered. A window protocol has several
  // segments out to one receiver at once, each answered by its own ACK (or told lost) in turn: paired with only
  // the newest, the others' ACKs and losses were drawn away from their packets (a cumulative ACK 22 below ACK 24,
  // a go-back's dropped packets drawn arriving).
  const pending = new Map<number, Map<number, Arrow>>();
  /** Per receiver: the lowest segment told lost and not sent again since (expectAcks). */
  const gaps = new Map<number, number>();
  const owed = new Set<number>();
  const timedOut = new Set<number>();
  let previous = null as { kind: number; seq: number; receiver: number } | null;
  let current = null as Current | null;
  let timer = null as { start: number; bar: TimerBar } | null;
  /**
   * Selective Repeat: each segment's running bar, and the receivers whose timer of it runs, from when. The sender
   * times each segment per receiver (selectiveRepeat.ts): one receiver's expiry leaves the others' running, so the
   * bar runs until none does.
   */
  const segmentTimers = vp.segmentTimers === true && vp.window !== undefined;
  const cumulative = new Set(segmentTimers ? vp.cumulative : []);
  /** The highest segment each course receiver ACKed: its base is the next one. */
  const acked = new Map<number, number>();
  /**
   * The last expiry of each timer (a retransmission follows its own): per receiver, or with Selective Repeat's
   * timers per receiver and segment (two of one receiver's expiring in turn are resent together on a pacer's turn).
   */
  const expiries = new Map<number, { round: number; expired: number }>();
  const timerOf = (r: number, seq: number): number => (segmentTimers ? r * 2 ** 32 + seq : r);
  const running = new Map<number, { bar: TimerBar; owed: Map<number, number> }>();
  /** The least y the next event may take: below what it follows. */
  let floor = -Infinity;
  let roundY = 0;
  /** The last timeout mark: the receivers timed out by one expiry share its mark's height. */
  let expired = { t: NaN, y: 0 };
  /**
   * Below the last timeout mark: an ACK that came after it arrives there or lower. An ACK is drawn from where its
   * packet landed, above the room later segments of a window keep for their ACKs, while a timeout goes below all of
   * that: a Go-Back-N timer expiring just after a turn sent the window's new segments, and the cumulative ACK that
   * came before its go-back, were drawn the wrong way round (the timeout below every ACK, the window all usable).
   */
  let afterTimeout = -Infinity;
  /**
   * A window protocol's segments that leave together (one turn of its sender: nothing came back between them) are
   * drawn close, in flight side by side as the textbook draws a window: each below the room kept for the one
   * before's ACK made a window look like stop-and-wait. A whole window fits above its first ACK (at most a label's
   * height apart). The height of the last of them, until an ACK or a timeout.
   */
  let together: number | null = null;
  const togetherPx = vp.window === undefined ? 0 : Math.min(vp.fontPx * 1.6, (2 * dy) / vp.window);
  /** The lowest point drawn on the sender's line yet (a send, an ACK in, a timeout): what comes later is not above. */
  let lineY = -Infinity;
  /**
   * A window protocol's ACKs each end at least this far below the one before: a window's ACKs come back together,
   * and held at one height they ended in one knot of up to 20 arrowheads. (A stop-and-wait round's few fan in to
   * one point from each receiver, as the textbook draws them.)
   */
  const headGap = vp.window === undefined ? 0 : m.headGap;
  let lastHead = -Infinity;
  /**
   * Where the window may change: each first send and each ACK, at the height it is drawn; and where the events laid
   * out begin, so a window held still (a receiver that never answers: retransmissions alone in view) is drawn too.
   */
  const moments: { t: number; y: number }[] =
    begin < end ? [{ t: events.t(begin), y: timeToY(events.t(begin), vp) }] : [];
  const stop = (bar: TimerBar | undefined, at: number, state: TimerBar['state']): void => {
    if (bar && bar.state === 'running') {
      bar.y2 = Math.max(bar.y1, at);
      bar.state = state;
    }
  };
  const stopTimer = (at: number, state: TimerBar['state']): void => stop(timer?.bar, at, state);
  /** A timer bar from the transmission at t, drawn at roundY. */
  const newBar = (seq: number, t: number): TimerBar => ({
    seq,
    x: timerX(seq, vp),
    y1: roundY,
    y2: roundY,
    yExpiry: Math.max(y(t + timing.timeoutMs), roundY + 2 * dy),
    state: 'running',
  });
  /** Selective Repeat: segment seq's timer stops (or expires) at `at`. */
  const stopSegment = (seq: number, at: number, state: TimerBar['state']): void => {
    stop(running.get(seq)?.bar, at, state);
    running.delete(seq);
  };
  /** Room for a break's mark between what came before and the event after it. */
  const breakPx = vp.fontPx * 2;
  let before = NaN;
  for (let i = begin; i < end; i++) {
    const kind = events.kind(i);
    const seq = events.seq(i);
    const r = events.receiver(i);
    const t = events.t(i);
    if (vp.squeeze && i > begin && vp.squeeze.isBreak(before, t)) {
      // A long wait drawn short: its mark half way down the room it keeps, below whatever came before.
      const above = Math.max(floor, y(before));
      const below = Math.max(y(t), above + breakPx);
      breaks.push({ y: (above + below) / 2, ms: t - before });
      floor = below;
      lineY = Math.max(lineY, below);
    }
    before = t;
    const xR = laneX(r + 1, vp);
    const open = pending.get(r);
    const answers = open?.get(seq) ?? null;
    if (isTransmission(kind)) {
      if (startsRound(previous, kind, seq, r)) {
        // A window protocol's segment that leaves once an ACK came in (the window slid) leaves where that ACK came in
        // (or below a timeout's mark): the room kept below for its earlier segments' ACKs is not for it, they are in
        // flight beside it. Drawn below that room, each segment after the first window went a round trip below the
        // one before, a sliding window drawn as stop-and-wait, and the ACKs in flight beside it drawn late.
        const after =
          together !== null
            ? together + togetherPx
            : vp.window === undefined
              ? floor
              : Math.max(lineY, afterTimeout);
        roundY = Math.max(y(t), after);
        if (!segmentTimers) {
          stopTimer(roundY, 'stopped');
          timer = { start: t, bar: newBar(seq, t) };
          timers.push(timer.bar);
        }
        if (current?.seq !== seq) owed.clear();
        timedOut.clear();
        current = { seq, since: t, owed: [], timedOut: [] };
        rounds.push({ y: roundY, t, shown: vp.squeeze ? vp.squeeze.shown(t) : t });
      } else {
        // The round's copy to a later receiver, after ACKs came in since its first (Selective Repeat's fast
        // retransmissions go out one by one): below them.
        roundY = Math.max(roundY, lineY);
      }
      if (segmentTimers) {
        const segment = running.get(seq);
        if (segment && [...segment.owed.keys()].some((o) => o !== r)) {
          // Its timer for r starts (again) while other receivers' run on: the same bar, to the last expiry (its
          // mark placed after the loop, from the timers still running then).
          segment.owed.set(r, t);
        } else {
          const bar = newBar(seq, t);
          // Its own timer starts again (a fast retransmission restarts it). A segment W or more below a new one
          // has reached every receiver still in the transfer (the window), whatever ACK said so (one given up
          // on tells none): its timer stopped by now.
          stopSegment(seq, roundY, 'stopped');
          if (kind === TimelineKind.send)
            for (const old of running.keys())
              if (old <= seq - vp.window!) stopSegment(old, roundY, 'stopped');
          running.set(seq, { bar, owed: new Map([[r, t]]) });
          timers.push(bar);
        }
      }
      previous = { kind, seq, receiver: r };
      owed.add(r);
      const arrow: Arrow = {
        kind: kind === TimelineKind.send ? 'send' : 'resend',
        seq,
        receiver: r,
        x1: xS,
        y1: roundY,
        x2: xR,
        y2: roundY + dy,
        lost: false,
        index: i,
        answers: null,
        t1: t,
        t2: null,
        rttMs: null,
        afterTimeout: kind === TimelineKind.resend ? (expiries.get(timerOf(r, seq)) ?? null) : null,
        ...(kind === TimelineKind.fastResend ? { fast: true } : {}),
      };
      arrows.push(arrow);
      if (open) open.set(seq, arrow);
      else pending.set(r, new Map([[seq, arrow]]));
      if (gaps.get(r) === seq) gaps.delete(r);
      if (kind === TimelineKind.send) moments.push({ t, y: roundY });
      // Room for the flight and the ACK back before anything later.
      floor = Math.max(floor, roundY + 2 * dy);
      if (vp.window !== undefined) together = roundY;
      lineY = Math.max(lineY, roundY);
    } else if (kind === TimelineKind.ack) {
      let from = Math.max(y(t), floor) - dy;
      let answered: number | null = null;
      if (answers) {
        // The receiver ACKs on arrival: the data arrow lands halfway between its send and the ACK.
        answers.t2 = (answers.t1 + t) / 2;
        answers.y2 = Math.max(answers.y2, y(answers.t2));
        answers.rttMs = t - answers.t1;
        from = answers.y2;
        answered = answers.index;
        open?.delete(seq);
      }
      if (current?.seq === seq) owed.delete(r);
      const to = Math.max(y(t), from + dy, afterTimeout, lineY, lastHead + headGap);
      lastHead = to;
      // A course receiver's ACK of seq stops its timers of every segment up to seq (outstanding.ts reads it so).
      for (const s of cumulative.has(r) ? [...running.keys()].filter((s) => s <= seq) : [seq]) {
        const segment = running.get(s);
        if (segment?.owed.delete(r) && segment.owed.size === 0) stopSegment(s, to, 'stopped');
      }
      // Its one timer (Go-Back-N's) restarts on its new base when the ACK moves the base (selectiveRepeat.ts).
      if (cumulative.has(r) && seq > (acked.get(r) ?? 0)) {
        acked.set(r, seq);
        const base = Math.min(...[...running].filter(([s, g]) => s > seq && g.owed.has(r)).map(([s]) => s));
        if (Number.isFinite(base)) running.get(base)!.owed.set(r, t);
      }
      lineY = to;
      floor = Math.max(floor, to);
      together = null;
      moments.push({ t, y: to });
      arrows.push({
        kind: 'ack',
        seq,
        receiver: r,
        x1: xR,
        y1: from,
        x2: xS,
        y2: to,
        lost: false,
        index: i,
        answers: answered,
        t1: answers?.t2 ?? t,
        t2: t,
        rttMs: answers?.rttMs ?? null,
        afterTimeout: null,
      });
    } else if (kind === TimelineKind.drop || kind === TimelineKind.netLoss) {
      // By p: along the arrow to just short of the receiver's line; in the network: half way along it.
      const where = kind === TimelineKind.drop ? 'receiver' : 'network';
      const xEnd = where === 'receiver' ? xR - m.dropGap : midway(r, vp);
      if (answers) {
        answers.lost = true;
        answers.t2 = t;
        answers.y2 = Math.max(answers.y2, y(t));
        const along = (xEnd - answers.x1) / (xR - answers.x1);
        answers.y2 = answers.y1 + (answers.y2 - answers.y1) * along;
        answers.x2 = xEnd;
        drops.push({ x: xEnd, y: answers.y2, seq, receiver: r, index: answers.index, where });
        open?.delete(seq);
        gaps.set(r, Math.min(gaps.get(r) ?? Infinity, seq));
      } else {
        drops.push({ x: xEnd, y: Math.max(y(t), floor), seq, receiver: r, index: i, where });
      }
    } else if (kind === TimelineKind.netAckLoss) {
      // The packet arrived (its ACK left): it lands where the ACK leaves, and the ACK dies half way back.
      let from = Math.max(y(t), floor);
      if (answers) {
        answers.t2 = t;
        answers.y2 = Math.max(answers.y2, y(t));
        from = answers.y2;
        open?.delete(seq);
      }
      const ack: Arrow = {
        kind: 'ack',
        seq,
        receiver: r,
        x1: xR,
        y1: from,
        x2: midway(r, vp),
        y2: from + (dy * (xR - midway(r, vp))) / (xR - xS),
        lost: true,
        index: i,
        answers: answers?.index ?? null,
        t1: t,
        t2: null,
        rttMs: null,
        afterTimeout: null,
      };
      arrows.push(ack);
      drops.push({ x: ack.x2, y: ack.y2, seq, receiver: r, index: i, where: 'network' });
      floor = Math.max(floor, from + dy);
    } else if (kind === TimelineKind.timeout) {
      // Below everything before it (the floor is at or below all of the sender's line), with room for its clock:
      // at the floor, it sat on the heads of ACKs stretched down to there, as if it fired as they came in.
      const at = t === expired.t ? expired.y : Math.max(y(t), floor + m.after);
      lineY = Math.max(lineY, at);
      // Selective Repeat: the segment's timer for this receiver, started by its last copy to it; the bar ends with
      // the last receiver's timer.
      const started = segmentTimers ? running.get(seq)?.owed.get(r) : timer?.start;
      if (!segmentTimers) stopTimer(at, 'expired');
      // A course receiver's one timer (Go-Back-N's, on its base: the segment named) covers every later segment it
      // owes: they all go back after it, so their timers for it end here too (as its ACK stops them, above).
      else
        for (const s of cumulative.has(r) ? [...running.keys()].filter((s) => s >= seq) : [seq]) {
          const owing = running.get(s);
          if (!owing?.owed.delete(r)) continue;
          expiries.set(timerOf(r, s), { round: started ?? t, expired: t });
          if (owing.owed.size === 0) stopSegment(s, at, 'expired');
        }
      timeouts.push({ y: at, x1: xS, x2: xR, index: i, seq });
      if (current?.seq === seq && owed.has(r)) timedOut.add(r);
      expiries.set(timerOf(r, seq), { round: started ?? t, expired: t });
      expired = { t, y: at };
      floor = at + m.after;
      afterTimeout = floor;
      together = null;
    }
  }
  if (timing.flight) expectAcks(pending, gaps, timing.flight, afterTimeout, vp, arrows);
  // What still runs: the last round's timer, or Selective Repeat's segments' timers (each to its last receiver's expiry).
  const runs = [...running.values()].map(({ bar, owed }) => ({ bar, start: Math.max(...owed.values()) }));
  for (const { start, bar } of [...(timer ? [timer] : []), ...runs])
    if (bar.state === 'running') {
      const expiry = start + timing.timeoutMs;
      // The last running timer's: one restarted later and since stopped (an ACK) no longer counts.
      bar.yExpiry = Math.max(bar.y1 + 2 * dy, y(expiry));
      bar.y2 = Math.max(bar.y1, y(Math.min(timing.head, expiry)));
      if (timing.head >= expiry) bar.state = 'stopped';
    }
  if (current) {
    current.owed = [...owed].sort((a, b) => a - b);
    current.timedOut = [...timedOut].sort((a, b) => a - b);
  }
  const window =
    timing.window && vp.window !== undefined
      ? // The window now: down to the head, and at least a flight's height below the newest event.
        windowRows(moments, timing.window, vp.window, Math.max(floor + dy, y(timing.head)))
      : [];
  const round = timing.next ? nextRound(current, timing.next.inTransfer, timing.next.lastSeq) : null;
  const next = round ? nextArrows(round, Math.max(floor, y(timing.head)), vp) : [];
  const plotTop = m.header;
  const bottom = vp.height - m.bottom;
  // Following: lift the newest events into view if stretching pushed them below the bottom.
  let lowest = -Infinity;
  for (const a of [...arrows.slice(-200), ...next]) lowest = Math.max(lowest, a.y2);
  for (const o of timeouts.slice(-200)) lowest = Math.max(lowest, o.y);
  // And, the window drawn, a range's height below them (drawWindowRanges) for the window as the newest events left
  // it, which the state line tells: lifted to the newest ACK alone, it began at the bottom edge, and the band showed
  // the window before it. Kept while ACKs are still in flight too, so the view does not jump as they land; never
  // more than a quarter of the plot.
  if (window.length > 0) lowest += Math.max(0, Math.min(vp.fontPx * 1.5, (bottom - plotTop) / 4));
  const lift = timing.follow && lowest > bottom ? lowest - bottom : 0;
  if (lift > 0) {
    for (const a of [...arrows, ...next]) {
      a.y1 -= lift;
      a.y2 -= lift;
    }
    for (const p of [...drops, ...timeouts, ...rounds, ...breaks]) p.y -= lift;
    for (const w of window) {
      w.y1 -= lift;
      w.y2 -= lift;
    }
    for (const b of timers) {
      b.y1 -= lift;
      b.y2 -= lift;
      b.yExpiry -= lift;
    }
  }
  const inView = (a: number, b: number): boolean => Math.max(a, b) >= plotTop && Math.min(a, b) <= bottom;
  const shownArrows = arrows.filter((a) => inView(a.y1, a.y2));
  const shownDrops = drops.filter((p) => inView(p.y, p.y));
  const shownTimeouts = timeouts.filter((p) => inView(p.y, p.y));
  return {
    arrows: shownArrows,
    rounds: rounds.filter((p) => inView(p.y, p.y)),
    breaks: breaks.filter((p) => inView(p.y, p.y)),
    drops: shownDrops,
    timeouts: shownTimeouts,
    timers: timers.filter((b) => inView(b.y1, Math.max(b.y2, b.state === 'running' ? b.yExpiry : b.y2))),
    drawn: {
      sends: shownArrows.filter((a) => a.kind === 'send').length,
      resends: shownArrows.filter((a) => a.kind === 'resend').length,
      acks: shownArrows.filter((a) => a.kind === 'ack').length,
      drops: shownDrops.filter((d) => d.where === 'receiver').length,
      netLosses: shownDrops.filter((d) => d.where === 'network').length,
      timeouts: shownTimeouts.length,
    },
    leftOut,
    current,
    next: next.filter((a) => inView(a.y1, a.y2)),
    window: window.filter((w) => inView(w.y1, w.y2)),
  };
}

/** Per span table (by its `from`, kept while the comparison is): the window's base at the last moment laid out. */
const basesSeen = new WeakMap<number[], { t: number; base: number }>();

/**
 * The window row by row: from each moment it may change down to the next (the last down to `end`), merged where it
 * stays the same. Moments come in the order drawn; a later one is never drawn above an earlier one.
 */
function windowRows(
  moments: { t: number; y: number }[],
  { spans, lastSeq }: { spans: SpanTable; lastSeq: number },
  size: number,
  end: number,
): WindowRow[] {
  const rows: WindowRow[] = [];
  // Where the window was at a moment laid out before: the base only moves up, so a later moment's search starts
  // there rather than at segment 1 (a large file has hundreds of thousands).
  const known = basesSeen.get(spans.from);
  let base = known && moments.length > 0 && known.t <= moments[0]!.t ? known.base : 1;
  let y = -Infinity;
  for (const [i, m] of moments.entries()) {
    const next = moments[i + 1];
    // Several events at one moment: the window as it is after them all.
    if (next !== undefined && next.t === m.t && next.y <= m.y) continue;
    const w = windowAt(spans, m.t, size, lastSeq, base);
    base = w.base;
    basesSeen.set(spans.from, { t: m.t, base });
    const y1 = Math.max(y, m.y);
    const y2 = Math.max(y1, next?.y ?? end);
    y = y2;
    const prev = rows[rows.length - 1];
    if (prev && prev.base === w.base && prev.slots.join() === w.slots.join() && prev.y2 === y1) prev.y2 = y2;
    else rows.push({ y1, y2, t: m.t, base: w.base, slots: w.slots });
  }
  return rows;
}

/**
 * The ACKs on their way back: one for each packet whose flight is over and nothing else was told of. Not for one
 * that went out after a segment to its receiver told lost (and not sent again since): a Go-Back-N receiver
 * discards it out of order and ACKs an older segment again, which the sender takes as no news (no event). Each
 * arrives at or below `afterTimeout` (layoutFrame), where it will be drawn once it is in.
 */
function expectAcks(
  pending: Map<number, Map<number, Arrow>>,
  gaps: Map<number, number>,
  flight: { now: number; ms: number },
  afterTimeout: number,
  vp: Viewport,
  arrows: Arrow[],
): void {
  const dy = flightHeight(vp);
  for (const [receiver, open] of pending)
    for (const data of open.values()) {
      const landed = data.t1 + flight.ms;
      if (data.lost || landed > flight.now || data.seq > (gaps.get(receiver) ?? Infinity)) continue;
      data.t2 = landed;
      arrows.push({
        kind: 'ack',
        seq: data.seq,
        receiver: data.receiver,
        x1: data.x2,
        y1: data.y2,
        x2: data.x1,
        y2: Math.max(data.y2 + dy, afterTimeout),
        lost: false,
        index: -1,
        answers: data.index,
        t1: landed,
        t2: null,
        rttMs: null,
        afterTimeout: null,
        expected: true,
      });
    }
}

/** The next round's packets from `top` down, each with the ACK it would bring back. */
function nextArrows(round: NextRound, top: number, vp: Viewport): Arrow[] {
  const dy = flightHeight(vp);
  const xS = laneX(0, vp);
  // Not sent: no event (index -1), no times yet.
  const base = { seq: round.seq, index: -1, answers: null, lost: false, t1: NaN, t2: null, rttMs: null };
  return round.receivers.flatMap((r): Arrow[] => {
    const xR = laneX(r + 1, vp);
    const sent = { ...base, receiver: r, afterTimeout: null };
    return [
      { ...sent, kind: round.kind, x1: xS, y1: top, x2: xR, y2: top + dy },
      { ...sent, kind: 'ack', x1: xR, y1: top + dy, x2: xS, y2: top + 2 * dy },
    ];
  });
}

/** The arrow nearest to (x, y) within `reach` px, or null. */
export function arrowAt(arrows: Arrow[], x: number, y: number, reach: number): Arrow | null {
  let best: Arrow | null = null;
  let bestDistance = reach;
  for (const a of arrows) {
    const dx = a.x2 - a.x1;
    const dy = a.y2 - a.y1;
    const length2 = dx * dx + dy * dy || 1;
    const along = Math.max(0, Math.min(1, ((x - a.x1) * dx + (y - a.y1) * dy) / length2));
    const distance = Math.hypot(x - (a.x1 + along * dx), y - (a.y1 + along * dy));
    if (distance <= bestDistance) {
      best = a;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * A round's send time for the time column: "850.0 ms", "12.345 s", "2:05.120"; or rounded to `resolution` ms, a
 * power of ten ("19.01 s" to 10 ms, "1.8991 s" to 0.1 ms).
 */
export function formatTime(t: number, resolution?: number): string {
  // Rounded first, so 999.96 ms is "1.000 s" and 59.9996 s "1:00.000", never "1000.0 ms" or "0:60.000".
  const r = resolution ?? (Math.round(t * 10) < 10_000 ? 0.1 : 1);
  const units = Math.round(t / r);
  const decimals = Math.max(0, 3 - Math.round(Math.log10(r)));
  if (units * r < 1000) return `${(units * r).toFixed(Math.max(0, decimals - 3))} ms`;
  if (units * r < 60_000) return `${((units * r) / 1000).toFixed(decimals)} s`;
  const perMinute = Math.round(60_000 / r);
  const minutes = Math.floor(units / perMinute);
  const seconds = (((units - minutes * perMinute) * r) / 1000).toFixed(decimals);
  return `${minutes}:${seconds.padStart(decimals > 0 ? decimals + 3 : 2, '0')}`;
}
