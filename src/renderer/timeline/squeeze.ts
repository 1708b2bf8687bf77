// Long waits drawn short. In step mode the clock runs on while the class talks between two clicks; so it does in
// a pause, or while people accept an offer. Drawn to scale, one such wait fills the plot and each round shows
// alone. So every stretch without an event longer than twice `keep` that ends with the sender sending (the
// sender waited: on a click, a pause, an answer) is drawn `keep` long, as a break (the real length written
// beside it). A wait that ends with a timeout or an arrival is the protocol's own (a backed-off timer, a long
// round trip) and stays to scale. The diagram's height follows this "shown" time, while every time written (the
// time column, a tooltip, an RTT) stays the real one. Pure and incremental: each frame scans only new events.
import { isTransmission } from '../../shared/live/timeline';
import type { TimelineReader } from './layout';

/** The shown length of a long wait: at least this, or two retransmission timeouts when they are longer. */
export const KEEP_MIN_MS = 200;

export const keepOf = (timeoutMs: number): number => Math.max(KEEP_MIN_MS, 2 * timeoutMs);

export class Squeeze {
  /** Each squeezed gap: the real times of the events before and after it, the ms cut up to its end, and the
   *  shown time of its end. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly cuts: number[] = [];
  private readonly shownEnds: number[] = [];
  /** Absolute index of the next event to scan, and the time of the last one scanned. */
  private scanned = 0;
  private lastT = NaN;

  constructor(readonly keep: number) {}

  /** Takes in the events not scanned yet (those that fell out of the ring unseen are skipped). */
  update(events: Pick<TimelineReader, 'start' | 'end' | 't' | 'kind'>): this {
    for (let i = Math.max(this.scanned, events.start); i < events.end; i++) {
      const t = events.t(i);
      if (t - this.lastT > 2 * this.keep && isTransmission(events.kind(i))) {
        const cut = (this.cuts[this.cuts.length - 1] ?? 0) + (t - this.lastT - this.keep);
        this.starts.push(this.lastT);
        this.ends.push(t);
        this.cuts.push(cut);
        this.shownEnds.push(t - cut);
      }
      this.lastT = t;
    }
    this.scanned = Math.max(this.scanned, events.end);
    return this;
  }

  /** The shown time of real time `t` (never decreasing with it). */
  shown(t: number): number {
    const k = countBelow(this.starts, t) - 1;
    if (k < 0) return t;
    if (t >= this.ends[k]!) return t - this.cuts[k]!;
    // Inside a gap: its first `keep` ms as they are, the rest at one point.
    return Math.min(t, this.starts[k]! + this.keep) - (this.cuts[k - 1] ?? 0);
  }

  /** The earliest real time shown at `d` or later. */
  real(d: number): number {
    // From where gap k is shown to end on, real = shown + cuts[k].
    const k = countBelow(this.shownEnds, d, true) - 1;
    return k < 0 ? d : d + this.cuts[k]!;
  }

  /** Whether a squeezed wait lies between two consecutive events at `from` and `to` (their exact times). */
  isBreak(from: number, to: number): boolean {
    const k = countBelow(this.ends, to, true) - 1;
    return k >= 0 && this.ends[k] === to && this.starts[k] === from;
  }
}

/** How many values of an ascending array are below `t` (or at it, with `orAt`). */
function countBelow(values: number[], t: number, orAt = false): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < t || (orAt && values[mid] === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One squeeze per event source (a session's ring, a recording's), made again when the timeout changes. */
const squeezes = new WeakMap<object, Squeeze>();

export function squeezeOf(events: TimelineReader, timeoutMs: number): Squeeze {
  const keep = keepOf(timeoutMs);
  let squeeze = squeezes.get(events);
  if (squeeze?.keep !== keep) {
    squeeze = new Squeeze(keep);
    squeezes.set(events, squeeze);
  }
  return squeeze.update(events);
}
