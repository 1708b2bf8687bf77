// Geometry of the sequence diagram, as pure functions of the events and the viewport (tested without a
// canvas). As in the textbook: time runs downward, a vertical line for the sender on the left and one per
// receiver to its right. A data packet is a slanted arrow from the sender to its receiver, its ACK a slanted
// arrow back; both carry the sequence number. Loopback flights last microseconds, so, as in Wireshark's flow
// graph, time is stretched where events crowd: a flight is drawn `flight` px tall, and nothing is drawn above
// what caused it (the next round starts below the last ACK, a timeout below the round's ACKs). Where events
// are far apart, y is linear in time; each round's send time is written beside it. A drop by p ends its arrow
// in a cross just short of the receiver. The retransmission timer is a bar beside the sender's line from the
// round's send to its expiry (or the round's end); a timeout is a clock mark dotted across to the receiver.
import { isTransmission, startsRound, TimelineKind } from '../../shared/timeline';
import type { TimelineRing } from '../../shared/timelineRing';

export type TimelineReader = Pick<
  TimelineRing,
  'start' | 'end' | 't' | 'kind' | 'seq' | 'receiver' | 'lowerBound'
>;

export interface Viewport {
  /** Window start (top) and end (bottom), ms since the session started. */
  t0: number;
  t1: number;
  /** CSS pixels. */
  width: number;
  height: number;
  receivers: number;
  /** The diagram's text size; every other size follows it, so the diagram scales with its type. */
  fontPx: number;
}

/** Sizes derived from the font size (px). */
export function metrics(fontPx: number) {
  return {
    /** Time axis labels on the left. */
    gutter: Math.round(fontPx * 5.2),
    /** Lane names on top. */
    header: Math.round(fontPx * 2),
    bottom: Math.round(fontPx * 0.8),
    /** Room right of the last receiver's line for its labels. */
    right: Math.round(fontPx * 3.2),
    minFlight: Math.round(fontPx * 1.6),
    /** Space kept below a timeout mark before the next event. */
    after: Math.round(fontPx * 0.8),
    /** A drop by p: the cross this far short of the receiver's line. */
    dropGap: Math.round(fontPx * 0.7),
    /** Stroke width of an arrow. */
    arrow: Math.max(1.5, Math.round((fontPx / 9) * 10) / 10),
    /** Side of the square a loss cross fills. */
    cross: Math.round(fontPx * 0.9),
  };
}

/** x of a lane: 0 is the sender, 1.. the receivers. */
export function laneX(lane: number, vp: Viewport): number {
  const m = metrics(vp.fontPx);
  const left = m.gutter + vp.fontPx;
  const right = vp.width - m.right;
  return left + (lane * (right - left)) / Math.max(1, vp.receivers);
}

/** Height of a flight: the same for every receiver (they are all as far away), a good slant where it fits. */
export function flightHeight(vp: Viewport): number {
  const m = metrics(vp.fontPx);
  const plot = vp.height - m.header - m.bottom;
  const across = laneX(vp.receivers, vp) - laneX(0, vp);
  return Math.round(Math.max(m.minFlight, Math.min(plot / 6, across * 0.12)));
}

/** y of time `t` where nothing crowds it (linear in time). */
export function timeToY(t: number, vp: Viewport): number {
  const m = metrics(vp.fontPx);
  const span = Math.max(1e-9, vp.t1 - vp.t0);
  return m.header + ((t - vp.t0) / span) * (vp.height - m.header - m.bottom);
}

export function yToTime(y: number, vp: Viewport): number {
  const m = metrics(vp.fontPx);
  const plot = Math.max(1, vp.height - m.header - m.bottom);
  return vp.t0 + ((y - m.header) / plot) * (vp.t1 - vp.t0);
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
  /** Its event's absolute index; for an ACK, also the index of the transmission it answers (for animation). */
  index: number;
  answers: number | null;
  /** When it left and (once known) when it arrived, ms. */
  t1: number;
  t2: number | null;
}

export interface LossMark {
  x: number;
  y: number;
  seq: number;
  receiver: number;
  /** Index of the transmission it ends (animated with it). */
  index: number;
}

export interface TimeoutMark {
  y: number;
  /** The sender's line and the line of the receiver that owed the ACK. */
  x1: number;
  x2: number;
}

/** The retransmission timer of one round, beside the sender's line. */
export interface TimerBar {
  x: number;
  y1: number;
  /** Where it stopped: the round's end, its expiry, or now while it runs. */
  y2: number;
  /** Where it will expire (drawn dashed beyond y2 while it runs). */
  yExpiry: number;
  state: 'stopped' | 'expired' | 'running';
}

export interface DrawnCounts {
  sends: number;
  resends: number;
  acks: number;
  drops: number;
  timeouts: number;
}

/** The sender's state at the newest laid-out event. */
export interface Current {
  seq: number;
  /** When the current round's timer started, ms. */
  since: number;
  /** Receivers (by index) that were sent the current segment and have not ACKed it. */
  owed: number[];
}

/** A round's send time, written in the time column. */
export interface RoundMark {
  y: number;
  t: number;
}

export interface Frame {
  arrows: Arrow[];
  rounds: RoundMark[];
  drops: LossMark[];
  timeouts: TimeoutMark[];
  timers: TimerBar[];
  /** What is at least partly inside the window. */
  drawn: DrawnCounts;
  /** Events in the window not laid out: more rounds than the plot holds when stretched (see layoutFrame). */
  leftOut: number;
  current: Current | null;
}

export interface Timing {
  /** The sender's retransmission timeout, ms. */
  timeoutMs: number;
  /** Now, ms (the newest event live, the cursor in a replay). */
  head: number;
  /** Following the head: the newest events are lifted into view when stretching pushed them below it. */
  follow: boolean;
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
  const perRound = vp.receivers * 4 + 4;
  const fits = (Math.ceil(vp.height / dy) + 4) * perRound;
  const last = Math.min(limit, events.end, events.lowerBound(vp.t1 + 1e-6));
  const top = Math.max(events.start, Math.min(last, events.lowerBound(vp.t0)));
  const begin = Math.max(events.start, top - 2 * perRound, timing.follow ? last - fits : -Infinity);
  const end = timing.follow ? last : Math.min(last, begin + fits);
  const leftOut = Math.max(0, begin - top) + (last - end);
  const xS = laneX(0, vp);
  const y = (t: number): number => timeToY(t, vp);
  const arrows: Arrow[] = [];
  const rounds: RoundMark[] = [];
  const drops: LossMark[] = [];
  const timeouts: TimeoutMark[] = [];
  const timers: TimerBar[] = [];
  // Per receiver: the latest transmission not yet answered.
  const pending = new Map<number, Arrow>();
  const owed = new Set<number>();
  let previous = null as { kind: number; seq: number; receiver: number } | null;
  let current = null as Current | null;
  let timer = null as { start: number; bar: TimerBar } | null;
  /** The least y the next event may take: below what it follows. */
  let floor = -Infinity;
  let roundY = 0;
  /** The last timeout mark: the receivers timed out by one expiry share its mark's height. */
  let expired = { t: NaN, y: 0 };
  const stopTimer = (at: number, state: TimerBar['state']): void => {
    if (timer && timer.bar.state === 'running') {
      timer.bar.y2 = Math.max(timer.bar.y1, at);
      timer.bar.state = state;
    }
  };
  for (let i = begin; i < end; i++) {
    const kind = events.kind(i);
    const seq = events.seq(i);
    const r = events.receiver(i);
    const t = events.t(i);
    const xR = laneX(r + 1, vp);
    const open = pending.get(r);
    const answers = open !== undefined && open.seq === seq ? open : null;
    if (isTransmission(kind)) {
      if (startsRound(previous, kind, seq, r)) {
        roundY = Math.max(y(t), floor);
        stopTimer(roundY, 'stopped');
        if (current?.seq !== seq) owed.clear();
        const bar: TimerBar = {
          x: xS - vp.fontPx * 0.6,
          y1: roundY,
          y2: roundY,
          yExpiry: Math.max(y(t + timing.timeoutMs), roundY + 2 * dy),
          state: 'running',
        };
        timers.push(bar);
        timer = { start: t, bar };
        current = { seq, since: t, owed: [] };
        rounds.push({ y: roundY, t });
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
      };
      arrows.push(arrow);
      pending.set(r, arrow);
      // Room for the flight and the ACK back before anything later.
      floor = Math.max(floor, roundY + 2 * dy);
    } else if (kind === TimelineKind.ack) {
      let from = Math.max(y(t), floor) - dy;
      let answered: number | null = null;
      if (answers) {
        // The receiver ACKs on arrival: the data arrow lands halfway between its send and the ACK.
        answers.t2 = (answers.t1 + t) / 2;
        answers.y2 = Math.max(answers.y2, y(answers.t2));
        from = answers.y2;
        answered = answers.index;
        pending.delete(r);
      }
      if (current?.seq === seq) owed.delete(r);
      const to = Math.max(y(t), from + dy);
      floor = Math.max(floor, to);
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
      });
    } else if (kind === TimelineKind.drop) {
      if (answers) {
        answers.lost = true;
        answers.t2 = t;
        answers.y2 = Math.max(answers.y2, y(t));
        // Along the arrow to just short of the receiver's line.
        const along = (xR - m.dropGap - answers.x1) / (xR - answers.x1);
        answers.y2 = answers.y1 + (answers.y2 - answers.y1) * along;
        answers.x2 = xR - m.dropGap;
        drops.push({ x: answers.x2, y: answers.y2, seq, receiver: r, index: answers.index });
        pending.delete(r);
      } else {
        drops.push({ x: xR - m.dropGap, y: Math.max(y(t), floor), seq, receiver: r, index: i });
      }
    } else if (kind === TimelineKind.timeout) {
      const at = t === expired.t ? expired.y : Math.max(y(t), floor);
      stopTimer(at, 'expired');
      timeouts.push({ y: at, x1: xS, x2: xR });
      expired = { t, y: at };
      floor = at + m.after;
    }
  }
  if (timer?.bar.state === 'running') {
    const expiry = timer.start + timing.timeoutMs;
    timer.bar.y2 = Math.max(timer.bar.y1, y(Math.min(timing.head, expiry)));
    if (timing.head >= expiry) timer.bar.state = 'stopped';
  }
  if (current) current.owed = [...owed].sort((a, b) => a - b);
  const plotTop = m.header;
  const bottom = vp.height - m.bottom;
  // Following: lift the newest events into view if stretching pushed them below the bottom.
  let lowest = -Infinity;
  for (const a of arrows.slice(-200)) lowest = Math.max(lowest, a.y2);
  for (const o of timeouts.slice(-200)) lowest = Math.max(lowest, o.y);
  const lift = timing.follow && lowest > bottom ? lowest - bottom : 0;
  if (lift > 0) {
    for (const a of arrows) {
      a.y1 -= lift;
      a.y2 -= lift;
    }
    for (const p of [...drops, ...timeouts, ...rounds]) p.y -= lift;
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
    drops: shownDrops,
    timeouts: shownTimeouts,
    timers: timers.filter((b) => inView(b.y1, Math.max(b.y2, b.state === 'running' ? b.yExpiry : b.y2))),
    drawn: {
      sends: shownArrows.filter((a) => a.kind === 'send').length,
      resends: shownArrows.filter((a) => a.kind === 'resend').length,
      acks: shownArrows.filter((a) => a.kind === 'ack').length,
      drops: shownDrops.length,
      timeouts: shownTimeouts.length,
    },
    leftOut,
    current,
  };
}

/** A round's send time for the time column: "850.0 ms", "12.345 s", "2:05.120". */
export function formatTime(t: number): string {
  if (t < 1000) return `${t.toFixed(1)} ms`;
  if (t < 60_000) return `${(t / 1000).toFixed(3)} s`;
  const s = t / 1000;
  return `${Math.floor(s / 60)}:${(s % 60).toFixed(3).padStart(6, '0')}`;
}
