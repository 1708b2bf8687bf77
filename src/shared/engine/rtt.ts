import type { RttStats } from '../events.js';

/** Running min / sum / max of round-trip times: a small value, in constant memory. */
export interface RttSum {
  readonly min: number;
  readonly max: number;
  readonly sum: number;
  readonly samples: number;
}

export const NO_RTT: RttSum = { min: Infinity, max: 0, sum: 0, samples: 0 };

export const addRtt = (r: RttSum, ms: number): RttSum => ({
  min: Math.min(r.min, ms),
  max: Math.max(r.max, ms),
  sum: r.sum + ms,
  samples: r.samples + 1,
});

export const rttStats = (r: RttSum): RttStats | null =>
  r.samples === 0 ? null : { min: r.min, mean: r.sum / r.samples, max: r.max, samples: r.samples };
