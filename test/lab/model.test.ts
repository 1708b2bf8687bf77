// The analytic model of stop-and-wait: the table in performance-facts.md, closed forms, and a Monte-Carlo check.
import { describe, expect, it } from 'vitest';
import {
  delayModel,
  expectedRounds,
  monteCarloRounds,
  roundsMoments,
  roundsTail,
  segmentsOf,
  simulateRounds,
} from '../../src/shared/lab/model.js';
import { seededRandom } from '../../src/shared/network/random.js';

describe('E[R] for the max of n geometric tries', () => {
  it('matches the table in performance-facts.md (MSS 500, p 0.05)', () => {
    const table = [1.0526, 1.1028, 1.1505, 1.196, 1.2393];
    table.forEach((value, i) => expect(expectedRounds(i + 1, 0.05)).toBeCloseTo(value, 4));
  });

  it('matches the closed forms for one and two receivers', () => {
    for (const p of [0.01, 0.05, 0.3, 0.9]) {
      const q = 1 - p;
      expect(roundsMoments(1, p).mean).toBeCloseTo(1 / q, 10);
      expect(roundsMoments(1, p).variance).toBeCloseTo(p / q ** 2, 8);
      // max of two: E = 2/(1-p) - 1/(1-p^2)
      expect(expectedRounds(2, p)).toBeCloseTo(2 / q - 1 / (1 - p * p), 10);
    }
  });

  it('is 1 with no loss, infinite with certain loss, and refuses nonsense', () => {
    expect(roundsMoments(4, 0)).toEqual({ mean: 1, variance: 0, sd: 0 });
    expect(expectedRounds(3, 1)).toBe(Infinity);
    expect(() => expectedRounds(0, 0.1)).toThrow(RangeError);
    expect(() => expectedRounds(2, 1.5)).toThrow(RangeError);
    expect(() => expectedRounds(2, Number.NaN)).toThrow(RangeError);
  });

  it('has a tail P(R > k) that starts at 1 and falls', () => {
    expect(roundsTail(3, 0.05, 0)).toBe(1);
    expect(roundsTail(3, 0.05, 1)).toBeCloseTo(1 - 0.95 ** 3, 12);
    expect(roundsTail(3, 0.05, 2)).toBeLessThan(roundsTail(3, 0.05, 1));
    // tiny p^k: no cancellation to 0
    expect(roundsTail(5, 1e-6, 3)).toBeCloseTo(5e-18, 25);
  });
});

describe('the delay model', () => {
  it('gives the expected time and spread of performance-facts.md (1 MiB, T = 0.1 s)', () => {
    const chunks = Math.ceil((1 << 20) / 500);
    const expected = [11.2, 21.88, 32.01, 41.68, 50.86];
    const sd = [1.08, 1.48, 1.75, 1.95, 2.11];
    // Round times of the table "Floors at p = 0" (separate processes; 2 and 4 interpolated).
    const roundTimeMs = [0.047, 0.089, 0.131, 0.162, 0.193];
    for (let n = 1; n <= 5; n++) {
      const model = delayModel({
        segments: chunks,
        n,
        p: 0.05,
        timeoutMs: 100,
        roundTimeMs: roundTimeMs[n - 1]!,
      });
      expect(Math.abs(model.expectedMs / 1000 - expected[n - 1]!)).toBeLessThan(0.1);
      expect(model.sdMs / 1000).toBeCloseTo(sd[n - 1]!, 2);
      expect(model.expectedTimeouts).toBeCloseTo(chunks * (expectedRounds(n, 0.05) - 1), 9);
    }
  });

  it('counts the end marker as one more lossy round', () => {
    expect(segmentsOf(1000, 500)).toBe(3);
    expect(segmentsOf(1001, 500)).toBe(4);
    expect(segmentsOf(1000, 500, false)).toBe(2);
  });
});

describe('Monte-Carlo estimate of rounds per segment', () => {
  it('agrees with the series for n = 1..5 at several p, within 4 standard errors', () => {
    const random = seededRandom(573);
    for (const p of [0.01, 0.05, 0.1, 0.3, 0.5]) {
      for (let n = 1; n <= 5; n++) {
        const exact = roundsMoments(n, p);
        const estimate = monteCarloRounds(n, p, 100_000, random);
        expect(Math.abs(estimate.mean - exact.mean), `n=${n} p=${p}`).toBeLessThan(
          4 * estimate.standardError,
        );
        // sd of the sample sd is about sd/sqrt(2N) for these light tails; 5% is many of those.
        expect(estimate.sd / exact.sd, `sd n=${n} p=${p}`).toBeGreaterThan(0.95);
        expect(estimate.sd / exact.sd, `sd n=${n} p=${p}`).toBeLessThan(1.05);
      }
    }
  });

  it('repeats exactly with the same seed', () => {
    const a = monteCarloRounds(3, 0.1, 1000, seededRandom(9));
    const b = monteCarloRounds(3, 0.1, 1000, seededRandom(9));
    expect(a).toEqual(b);
    const draws = Array.from({ length: 50 }, () => simulateRounds(2, 0.5, seededRandom(1)));
    expect(new Set(draws).size).toBe(1);
  });

  it('refuses p = 1 and too few samples', () => {
    expect(() => monteCarloRounds(1, 1, 10, Math.random)).toThrow(RangeError);
    expect(() => monteCarloRounds(1, 0.1, 1, Math.random)).toThrow(RangeError);
  });
});
