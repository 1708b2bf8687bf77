// The time column's labels: each round's send time beside it, to as many decimals as the stretch of time in view
// calls for, and never the same text twice. Loopback rounds a fraction of a millisecond apart are drawn far apart
// (the diagram stretches time where events crowd), so at a fixed millisecond three of them read "1.899 s".
import { formatTime, type RoundMark } from './layout';

export interface Tick {
  y: number;
  text: string;
}

/** Resolutions, as powers of ten of a millisecond: a tenth of one at the finest, whole seconds at the coarsest. */
const FINEST = -1;
const COARSEST = 3;

/** The power of ten of the "nice" step (1, 2 or 5 × 10^k ms) at least `ms`. */
function resolutionOf(ms: number): number {
  const k = Math.floor(Math.log10(ms));
  return Math.min(COARSEST, Math.max(FINEST, ms > 5 * 10 ** k ? k + 1 : k));
}

/**
 * The labels for the rounds between `top` and `bottom` (px), each at least `rowPx` below the one above. Their
 * precision: that of a step of time that, if the column were linear, would put the labels one row apart; coarser
 * while the widest is wider than `room` (up to the millisecond the column is sized for). A round whose label reads
 * as the one above it is left unlabelled.
 */
export function axisTicks(
  rounds: RoundMark[],
  top: number,
  bottom: number,
  rowPx: number,
  room: number,
  width: (text: string) => number,
): Tick[] {
  const place = (resolution?: number): Tick[] => {
    const ticks: Tick[] = [];
    let free = top;
    for (const { y, t } of rounds) {
      if (y < free || y > bottom) continue;
      const text = formatTime(t, resolution);
      if (text === ticks[ticks.length - 1]?.text) continue;
      free = y + rowPx;
      ticks.push({ y, text });
    }
    return ticks;
  };
  // A lone label as the column has always written it (tenths of a millisecond below a second, else milliseconds);
  // more to the precision of the time they span.
  const inView = rounds.filter(({ y }) => y >= top && y <= bottom);
  // The time drawn between them (long waits drawn short count as drawn): what a row of the column stands for.
  const span = (inView[inView.length - 1]?.shown ?? 0) - (inView[0]?.shown ?? 0);
  if (!(span > 0)) return place();
  let k = resolutionOf((span * rowPx) / Math.max(1, bottom - top));
  let ticks = place(10 ** k);
  while (k < 0 && ticks.some((tick) => width(tick.text) > room)) ticks = place(10 ** ++k);
  return ticks;
}
