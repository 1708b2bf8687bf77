import type { RttStats } from './events.js';

/** Running min / mean / max of round-trip times, in constant memory. */
export interface RttTracker {
  add(ms: number): void;
  stats(): RttStats | null;
}

export function createRttTracker(): RttTracker {
  let min = Infinity;
  let max = 0;
  let sum = 0;
  let samples = 0;
  return {
    add(ms) {
      if (ms < min) min = ms;
      if (ms > max) max = ms;
      sum += ms;
      samples++;
    },
    stats: () => (samples === 0 ? null : { min, mean: sum / samples, max, samples }),
  };
}
