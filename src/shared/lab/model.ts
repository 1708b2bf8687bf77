// The analytic model of stop-and-wait to n receivers (performance-facts.md), and a Monte-Carlo check of it.
// Pure: no node: imports, so the renderer can draw the model curve itself.
//
// A segment goes to every receiver; each receiver drops each copy independently with probability p, so receiver i
// needs a geometric number of tries G_i, and the round count of the segment is R = max_i G_i. With
//   P(R > k) = 1 - (1 - p^k)^n
// E[R] = sum_{k>=0} P(R > k) and E[R^2] = sum_{k>=0} (2k + 1) P(R > k), which give Var[R].
// A transfer of S segments costs S loss-free rounds plus one timeout (T + delta) per extra try:
//   delay = S x roundTime + (sum_s (R_s - 1)) x (T + delta),
// so E[delay] = S x roundTime + S x (E[R] - 1) x (T + delta) and sd[delay] = sqrt(S) x sd[R] x (T + delta).
// The spread is over loss patterns only: the loss-free round time is taken as fixed.
import type { RandomSource } from '../network/random.js';

/** How late a Node timer fires on this kind of machine (performance-facts.md: 0.3-0.5 ms). */
export const DEFAULT_TIMER_LATE_MS = 0.4;

/** Terms below this no longer change a double-precision sum of values >= 1. */
const EPSILON = 1e-16;
const MAX_TERMS = 100_000;

/** P(R > k) for the max of n geometric tries with failure probability p. */
export function roundsTail(n: number, p: number, k: number): number {
  if (k === 0) return 1;
  // 1 - (1 - x)^n loses precision for tiny x; -expm1(n log1p(-x)) does not.
  return -Math.expm1(n * Math.log1p(-(p ** k)));
}

function checkRoundsInput(n: number, p: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a whole number >= 1, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be between 0 and 1, got ${p}`);
}

export interface RoundsMoments {
  /** E[R]: mean number of rounds (tries) one segment needs. */
  mean: number;
  /** Var[R]. */
  variance: number;
  sd: number;
}

/** Mean and variance of R = max of n geometric tries, from the tail series summed until it stops changing. */
export function roundsMoments(n: number, p: number): RoundsMoments {
  checkRoundsInput(n, p);
  if (p === 1) return { mean: Infinity, variance: Infinity, sd: Infinity };
  let mean = 0;
  let second = 0;
  for (let k = 0; k < MAX_TERMS; k++) {
    const tail = roundsTail(n, p, k);
    mean += tail;
    second += (2 * k + 1) * tail;
    if ((2 * k + 1) * tail < EPSILON * second) break;
  }
  const variance = Math.max(0, second - mean * mean);
  return { mean, variance, sd: Math.sqrt(variance) };
}

/** E[R] = sum_{k>=0} (1 - (1 - p^k)^n). */
export function expectedRounds(n: number, p: number): number {
  return roundsMoments(n, p).mean;
}

/** Stop-and-wait rounds of a file: one per chunk, plus the engine's end marker, which is lost like any segment. */
export function segmentsOf(fileSize: number, mss: number, endMarker = true): number {
  return Math.ceil(fileSize / mss) + (endMarker ? 1 : 0);
}

export interface DelayModelInput {
  /** Lossy stop-and-wait rounds: chunks (plus 1 for the end marker, see segmentsOf). */
  segments: number;
  n: number;
  p: number;
  timeoutMs: number;
  /** Measured cost of one loss-free round (send to n, n ACKs back). */
  roundTimeMs: number;
  timerLateMs?: number;
}

export interface DelayModel {
  /** E[R] per segment. */
  expectedRounds: number;
  /** Expected timer expiries in the whole transfer: segments x (E[R] - 1). */
  expectedTimeouts: number;
  /** sd of the timer expiries over loss patterns. */
  timeoutsSd: number;
  expectedMs: number;
  /** sd of the delay over loss patterns. */
  sdMs: number;
}

export function delayModel(input: DelayModelInput): DelayModel {
  const { segments, n, p, timeoutMs, roundTimeMs } = input;
  const late = input.timerLateMs ?? DEFAULT_TIMER_LATE_MS;
  const r = roundsMoments(n, p);
  const perTimeout = timeoutMs + late;
  const expectedTimeouts = segments * (r.mean - 1);
  const timeoutsSd = Math.sqrt(segments) * r.sd;
  return {
    expectedRounds: r.mean,
    expectedTimeouts,
    timeoutsSd,
    expectedMs: segments * roundTimeMs + expectedTimeouts * perTimeout,
    sdMs: timeoutsSd * perTimeout,
  };
}

/** Tries until one copy gets through to one receiver: geometric on 1, 2, ... */
function geometricTries(p: number, random: RandomSource): number {
  let tries = 1;
  while (random() < p) tries++;
  return tries;
}

/** One segment: rounds until all n receivers have it, each losing every copy with probability p. */
export function simulateRounds(n: number, p: number, random: RandomSource): number {
  let rounds = 0;
  for (let i = 0; i < n; i++) rounds = Math.max(rounds, geometricTries(p, random));
  return rounds;
}

export interface MonteCarloEstimate {
  samples: number;
  mean: number;
  /** Sample sd of R. */
  sd: number;
  /** sd of the mean: sd / sqrt(samples). */
  standardError: number;
}

/** Estimates E[R] and sd[R] from `samples` simulated segments; seed it (seededRandom) to repeat a run. */
export function monteCarloRounds(
  n: number,
  p: number,
  samples: number,
  random: RandomSource,
): MonteCarloEstimate {
  checkRoundsInput(n, p);
  if (p === 1) throw new RangeError('p = 1: no segment ever gets through');
  if (!Number.isInteger(samples) || samples < 2)
    throw new RangeError(`samples must be a whole number >= 2, got ${samples}`);
  // Welford's update: stable for millions of samples.
  let mean = 0;
  let m2 = 0;
  for (let i = 1; i <= samples; i++) {
    const r = simulateRounds(n, p, random);
    const delta = r - mean;
    mean += delta / i;
    m2 += delta * (r - mean);
  }
  const sd = Math.sqrt(m2 / (samples - 1));
  return { samples, mean, sd, standardError: sd / Math.sqrt(samples) };
}
