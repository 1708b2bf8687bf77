// The receiver's simulated loss: every arriving data packet is dropped with probability p, before any other
// check. The course says "if r <= p"; we drop when r < p so that p = 0 never drops and p = 1 always does.
import type { RandomSource } from './random.js';

export interface LossModel {
  readonly p: number;
  /** Draws once; true means: drop this packet, do nothing else. */
  drop(): boolean;
  setP(p: number): void;
}

/** A user-facing check of p; returns the problem in words, or null. */
export function lossProbabilityProblem(p: number): string | null {
  if (!Number.isFinite(p) || p < 0 || p > 1) return `loss probability p must be between 0 and 1, got ${p}`;
  return null;
}

export function createLossModel(p: number, random: RandomSource): LossModel {
  const model = {
    p,
    drop: () => random() < model.p,
    setP(next: number) {
      const problem = lossProbabilityProblem(next);
      if (problem) throw new RangeError(problem);
      model.p = next;
    },
  };
  model.setP(p);
  return model;
}
