// Geometry of the sequence diagram, as pure functions of the events and the viewport (tested without a
// canvas). Time runs left to right; the sender's lane is on top, one lane per receiver below. A data packet is
// an arrow down to its receiver, its ACK an arrow back up: the pair makes a V whose width is the round-trip
// time (never narrower than MIN_SLANT px, so loopback RTTs stay visible). A drop ends its arrow in a cross; a
// timeout is a timer mark on the sender's lane with a dotted line to the receiver that owed the ACK.
import { TimelineKind } from '../../shared/timeline';
import type { TimelineRing } from '../../shared/timelineRing';

export type TimelineReader = Pick<
  TimelineRing,
  'start' | 'end' | 't' | 'kind' | 'seq' | 'receiver' | 'lowerBound'
>;

export const GEOMETRY = {
  /** Lane labels on the left: at least this wide (px), wider to fit long labels or large type. */
  gutter: 130,
  maxGutterShare: 0.35,
  right: 14,
  top: 22,
  /** Room for the time axis. */
  bottom: 30,
  minGap: 22,
  maxGap: 56,
  /** Horizontal run of an arrow whose other end is not known (in flight, or its send scrolled away). */
  slant: 10,
  minSlant: 3,
  /** A dropped packet's arrow ends in a cross this far (px) above its receiver's lane: near enough to tell
   *  whose drop it is, short of the lane to show it never arrived. */
  dropGap: 12,
} as const;

/** Most events laid out per frame: beyond, the oldest in view are left out (zoom in to see them). */
export const MAX_LAID_OUT = 40_000;

export interface Viewport {
  /** Window start and end, ms since the session started. */
  t0: number;
  t1: number;
  /** CSS pixels. */
  width: number;
  /** Width of the label column. */
  gutter: number;
  receivers: number;
}

/** The label column for labels this wide (px), in a canvas this wide. */
export function gutterFor(labelWidth: number, width: number): number {
  return Math.round(Math.max(GEOMETRY.gutter, Math.min(labelWidth + 18, width * GEOMETRY.maxGutterShare)));
}

export function laneGap(receivers: number): number {
  return Math.min(GEOMETRY.maxGap, Math.max(GEOMETRY.minGap, 220 / Math.max(1, receivers)));
}

/** Canvas height for this many receivers. */
export function timelineHeight(receivers: number): number {
  return GEOMETRY.top + receivers * laneGap(receivers) + GEOMETRY.bottom;
}

/** y of a lane: 0 is the sender, 1.. the receivers. */
export function laneY(lane: number, receivers: number): number {
  return GEOMETRY.top + lane * laneGap(receivers);
}

export function timeToX(t: number, vp: Viewport): number {
  const span = Math.max(1e-9, vp.t1 - vp.t0);
  return vp.gutter + ((t - vp.t0) / span) * (vp.width - vp.gutter - GEOMETRY.right);
}

export function xToTime(x: number, vp: Viewport): number {
  const plot = Math.max(1, vp.width - vp.gutter - GEOMETRY.right);
  return vp.t0 + ((x - vp.gutter) / plot) * (vp.t1 - vp.t0);
}

export type ArrowKind = 'send' | 'resend' | 'ack';

export interface Arrow {
  kind: ArrowKind;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** A data packet dropped by p: drawn up to its cross. */
  lost: boolean;
}

export interface Point {
  x: number;
  y: number;
}

export interface TimerMark {
  x: number;
  /** The sender's lane. */
  y1: number;
  /** The lane of the receiver that owed the ACK. */
  y2: number;
}

export interface DrawnCounts {
  sends: number;
  resends: number;
  acks: number;
  drops: number;
  timeouts: number;
}

export interface Frame {
  arrows: Arrow[];
  drops: Point[];
  timers: TimerMark[];
  /** What is at least partly inside the window. */
  drawn: DrawnCounts;
  /** Events in the window left out by MAX_LAID_OUT. */
  leftOut: number;
}

/**
 * Lays out the events with absolute index < `limit` (replay: those up to the cursor) that touch the window.
 * Starts half a window early, so an ACK in view finds the send it answers.
 */
export function layoutFrame(events: TimelineReader, limit: number, vp: Viewport): Frame {
  const end = Math.min(limit, events.end, events.lowerBound(vp.t1 + 1e-6));
  let begin = Math.max(events.start, events.lowerBound(vp.t0 - (vp.t1 - vp.t0) / 2));
  const leftOut = Math.max(0, end - begin - MAX_LAID_OUT);
  begin += leftOut;
  const yS = laneY(0, vp.receivers);
  const arrows: Arrow[] = [];
  const drops: Point[] = [];
  const timers: TimerMark[] = [];
  // Per receiver: the latest transmission not yet answered, with its sequence number.
  const pending = new Map<number, { arrow: Arrow; seq: number }>();
  const { slant, minSlant, dropGap } = GEOMETRY;
  for (let i = begin; i < end; i++) {
    const kind = events.kind(i);
    const seq = events.seq(i);
    const r = events.receiver(i);
    const x = timeToX(events.t(i), vp);
    const yR = laneY(r + 1, vp.receivers);
    const open = pending.get(r);
    const answers = open !== undefined && open.seq === seq;
    if (kind === TimelineKind.send || kind === TimelineKind.resend) {
      const arrow: Arrow = {
        kind: kind === TimelineKind.send ? 'send' : 'resend',
        x1: x,
        y1: yS,
        x2: x + slant,
        y2: yR,
        lost: false,
      };
      arrows.push(arrow);
      pending.set(r, { arrow, seq });
    } else if (kind === TimelineKind.ack) {
      let from = x - slant;
      if (answers) {
        // The receiver ACKs on arrival: the V's bottom sits halfway between send and ACK.
        open.arrow.x2 = Math.max(open.arrow.x1 + minSlant, (open.arrow.x1 + x) / 2);
        from = open.arrow.x2;
        pending.delete(r);
      }
      arrows.push({ kind: 'ack', x1: from, y1: yR, x2: Math.max(x, from + minSlant), y2: yS, lost: false });
    } else if (kind === TimelineKind.drop) {
      if (answers) {
        const a = open.arrow;
        const reach = Math.max(a.x1 + minSlant, x);
        const along = (yR - dropGap - a.y1) / (yR - a.y1);
        a.lost = true;
        a.x2 = a.x1 + (reach - a.x1) * along;
        a.y2 = yR - dropGap;
        drops.push({ x: a.x2, y: a.y2 });
        pending.delete(r);
      } else {
        drops.push({ x, y: yR - dropGap });
      }
    } else if (kind === TimelineKind.timeout) {
      timers.push({ x, y1: yS, y2: yR });
    }
  }
  const left = vp.gutter;
  const right = vp.width - GEOMETRY.right;
  const inView = (a: number, b: number): boolean => Math.max(a, b) >= left && Math.min(a, b) <= right;
  const shownArrows = arrows.filter((a) => inView(a.x1, a.x2));
  const shownDrops = drops.filter((p) => inView(p.x, p.x));
  const shownTimers = timers.filter((m) => inView(m.x, m.x));
  return {
    arrows: shownArrows,
    drops: shownDrops,
    timers: shownTimers,
    drawn: {
      sends: shownArrows.filter((a) => a.kind === 'send').length,
      resends: shownArrows.filter((a) => a.kind === 'resend').length,
      acks: shownArrows.filter((a) => a.kind === 'ack').length,
      drops: shownDrops.length,
      timeouts: shownTimers.length,
    },
    leftOut,
  };
}

/** Round tick times for the axis: about `count` of them, at 1, 2 or 5 times a power of ten ms. */
export function timeTicks(t0: number, t1: number, count: number): number[] {
  const span = t1 - t0;
  if (!(span > 0) || count < 1) return [];
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1 + 1e-9; t += step) ticks.push(Number(t.toFixed(6)));
  return ticks;
}

/** "850 ms", "1.25 s", "2:05": an axis label fitting the tick step. */
export function formatTick(t: number, step: number): string {
  if (step < 1) return `${t.toFixed(Math.min(3, Math.ceil(-Math.log10(step))))} ms`;
  if (step < 1000 && t < 1000) return `${Math.round(t)} ms`;
  const decimals = step >= 1000 ? 0 : Math.min(3, Math.ceil(-Math.log10(step / 1000)));
  if (t >= 60_000 && step >= 1000) {
    const s = Math.round(t / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }
  return `${(t / 1000).toFixed(decimals)} s`;
}
