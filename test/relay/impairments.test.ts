// The pure impairment models: statistics within bounds for fixed seeds, determinism, and no surprises at the edges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/shared/errors.js';
import {
  MAX_DATAGRAM,
  NO_IMPAIRMENTS,
  admitToBucket,
  applyBitFlips,
  bernoulli,
  bitDistance,
  chooseLoss,
  MAX_CHOSEN_LOSSES,
  fullBucket,
  gilbertElliott,
  gilbertElliottMeanLoss,
  jitteredDelay,
  mergeImpairments,
  newDirectionModel,
  pickBitFlips,
  planActions,
  planDatagram,
  type BurstLoss,
  type BurstState,
  type Impairments,
} from '../../src/shared/network/impairments.js';
import { seededRandom } from '../../src/shared/network/random.js';

const imp = (patch: Partial<Impairments>): Impairments => mergeImpairments(NO_IMPAIRMENTS, patch);

describe('bernoulli', () => {
  it('drops about p of the draws for a fixed seed, and the same ones every time', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20_000 }, () => bernoulli(random, 0.2));
    };
    const a = draw(42);
    const share = a.filter(Boolean).length / a.length;
    expect(share).toBeGreaterThan(0.19);
    expect(share).toBeLessThan(0.21);
    expect(draw(42)).toEqual(a);
    expect(draw(43)).not.toEqual(a);
  });

  it('is exact at 0 and 1 and then draws nothing', () => {
    let draws = 0;
    const random = () => {
      draws++;
      return 0.5;
    };
    expect(bernoulli(random, 0)).toBe(false);
    expect(bernoulli(random, 1)).toBe(true);
    expect(draws).toBe(0);
  });
});

describe('Gilbert-Elliott burst loss', () => {
  const run = (params: BurstLoss, n: number, seed: number): boolean[] => {
    const random = seededRandom(seed);
    let state: BurstState = 'good';
    return Array.from({ length: n }, () => {
      const step = gilbertElliott(state, params, random);
      state = step.next;
      return step.lost;
    });
  };

  it('loses at the long-run rate, in bursts of mean length 1 / pBadToGood', () => {
    const params = { pGoodToBad: 0.05, pBadToGood: 0.25, lossInBad: 1, lossInGood: 0 };
    const lost = run(params, 50_000, 7);
    const rate = lost.filter(Boolean).length / lost.length;
    expect(gilbertElliottMeanLoss(params)).toBeCloseTo(0.05 / 0.3, 10);
    expect(rate).toBeGreaterThan(0.15);
    expect(rate).toBeLessThan(0.183);
    const runs: number[] = [];
    let current = 0;
    for (const l of lost) {
      if (l) current++;
      else if (current > 0) {
        runs.push(current);
        current = 0;
      }
    }
    const meanRun = runs.reduce((a, b) => a + b, 0) / runs.length;
    expect(meanRun).toBeGreaterThan(3.6);
    expect(meanRun).toBeLessThan(4.4);
    // Bursty: a loss makes the next loss far more likely than the average rate.
    let afterLoss = 0;
    let lossAfterLoss = 0;
    for (let i = 1; i < lost.length; i++)
      if (lost[i - 1]) {
        afterLoss++;
        if (lost[i]) lossAfterLoss++;
      }
    expect(lossAfterLoss / afterLoss).toBeGreaterThan(0.7);
  });

  it('honours loss in the good state and is deterministic for a seed', () => {
    const params = { pGoodToBad: 0, pBadToGood: 1, lossInBad: 1, lossInGood: 0.1 };
    const lost = run(params, 20_000, 1);
    const rate = lost.filter(Boolean).length / lost.length;
    expect(gilbertElliottMeanLoss(params)).toBe(0.1);
    expect(Math.abs(rate - 0.1)).toBeLessThan(0.01);
    expect(run(params, 20_000, 1)).toEqual(lost);
  });
});

describe('delay with jitter', () => {
  it('stays within delay ± jitter, never negative, centred on the delay', () => {
    const random = seededRandom(3);
    const draws = Array.from({ length: 10_000 }, () => jitteredDelay(random, 50, 20));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...draws)).toBeLessThanOrEqual(70);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(Math.abs(mean - 50)).toBeLessThan(0.5);
    expect(Math.min(...Array.from({ length: 1000 }, () => jitteredDelay(random, 5, 20)))).toBe(0);
    expect(jitteredDelay(random, 50, 0)).toBe(50);
  });
});

describe('bit corruption', () => {
  it('flips 1..k distinct bits inside the datagram, and never touches the original', () => {
    const random = seededRandom(11);
    const counts = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const length = 1 + Math.floor(random() * 300);
      const flips = pickBitFlips(random, length, 5);
      counts.add(flips.length);
      expect(new Set(flips).size).toBe(flips.length);
      expect(flips.every((b) => b >= 0 && b < length * 8)).toBe(true);
      const data = new Uint8Array(length).fill(0xa5);
      const out = applyBitFlips(data, flips);
      expect(bitDistance(data, out)).toBe(flips.length);
      expect(data.every((b) => b === 0xa5)).toBe(true);
    }
    expect([...counts].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('handles empty and tiny datagrams', () => {
    const random = seededRandom(1);
    expect(pickBitFlips(random, 0, 64)).toEqual([]);
    for (let i = 0; i < 100; i++) expect(pickBitFlips(random, 1, 64).length).toBeLessThanOrEqual(8);
  });
});

describe('token bucket', () => {
  it('bounds throughput to rate x time + bucket, keeps FIFO waits, and drops beyond the queue', () => {
    const limits = imp({ rateBps: 100_000, rateBurstBytes: 2000, rateQueueBytes: 20_000 });
    let bucket = fullBucket(limits, 0);
    let admitted = 0;
    let dropped = 0;
    let lastDeparture = 0;
    // Offer 1000-byte datagrams at 200 kB/s (one per 5 ms) for 10 simulated seconds.
    for (let t = 0; t < 10_000; t += 5) {
      const result = admitToBucket(bucket, limits, t, 1000);
      bucket = result.bucket;
      if (result.waitMs === null) {
        dropped++;
        continue;
      }
      admitted++;
      const departure = t + result.waitMs;
      expect(departure).toBeGreaterThanOrEqual(lastDeparture - 1e-9);
      expect(result.waitMs).toBeLessThanOrEqual(20_000 / 100 + 1e-9); // never more than the queue's worth
      lastDeparture = departure;
    }
    expect(admitted * 1000).toBeLessThanOrEqual(100_000 * (lastDeparture / 1000) + 2000 + 1000);
    expect(admitted).toBeGreaterThan(990);
    expect(admitted).toBeLessThan(1030);
    expect(dropped).toBe(2000 - admitted);
  });

  it('lets a datagram larger than the bucket through after the wait, and passes everything at rate 0', () => {
    const limits = imp({ rateBps: 10_000, rateBurstBytes: 1500 });
    const first = admitToBucket(fullBucket(limits, 0), limits, 0, MAX_DATAGRAM);
    expect(first.waitMs).toBeCloseTo(((MAX_DATAGRAM - 1500) / 10_000) * 1000, 6);
    const slow = imp({ rateBps: 1, rateQueueBytes: 1 << 30 });
    expect(admitToBucket(fullBucket(slow, 0), slow, 0, 100_000).waitMs).toBeNull(); // would wait > 60 s
    const open = admitToBucket({ tokens: -5, atMs: 0 }, NO_IMPAIRMENTS, 0, MAX_DATAGRAM);
    expect(open.waitMs).toBe(0);
  });
});

describe('mergeImpairments', () => {
  it('names the bad field and changes nothing', () => {
    const base = imp({ loss: 0.1 });
    expect(() => mergeImpairments(base, { loss: 1.5 }, 'forward')).toThrow(InputError);
    expect(() => mergeImpairments(base, { loss: 1.5 }, 'forward')).toThrow(
      /^forward\.loss must be a probability/,
    );
    expect(() => mergeImpairments(base, { delayMs: -1 })).toThrow(/delayMs/);
    expect(() => mergeImpairments(base, { corruptBits: 0 })).toThrow(/corruptBits/);
    expect(() => mergeImpairments(base, { corruptBits: 2.5 })).toThrow(/corruptBits must be an integer/);
    expect(() => mergeImpairments(base, { loss: Number.NaN })).toThrow(/loss/);
    const badBurst = { pGoodToBad: 0.1, pBadToGood: 2, lossInBad: 1, lossInGood: 0 };
    expect(() => mergeImpairments(base, { burst: badBurst })).toThrow(/burst\.pBadToGood/);
    expect(() => mergeImpairments(base, { lose: 0.1 } as Partial<Impairments>)).toThrow(/lose: unknown/);
    expect(base.loss).toBe(0.1);
    expect(mergeImpairments(base, { delayMs: 5 })).toMatchObject({ loss: 0.1, delayMs: 5 });
  });
});

describe('planDatagram', () => {
  const plans = (impairments: Impairments, seed: number, n: number) => {
    const random = seededRandom(seed);
    let model = newDirectionModel(impairments, 0);
    return Array.from({ length: n }, (_, i) => {
      const step = planDatagram(impairments, model, random, 100 + (i % 50), i);
      model = step.model;
      return step.plan;
    });
  };

  it('does what each single impairment says', () => {
    expect(plans(imp({ loss: 1 }), 1, 10).every((p) => p.verdict === 'loss')).toBe(true);
    const dup = plans(imp({ duplicate: 1 }), 1, 10);
    expect(dup.every((p) => p.copies.length === 2 && p.duplicates === 1)).toBe(true);
    const bad = plans(imp({ corrupt: 1, corruptBits: 3 }), 1, 50);
    expect(bad.every((p) => p.flips.length >= 1 && p.flips.length <= 3)).toBe(true);
    expect(planActions(bad[0]!)).toEqual(['corrupted']);
    const late = plans(imp({ delayMs: 40 }), 1, 10);
    expect(late.every((p) => p.copies[0]!.delayMs === 40)).toBe(true);
    const held = plans(imp({ reorder: 1 }), 1, 10);
    expect(held.every((p) => p.copies[0]!.holdBack)).toBe(true);
    const burst = imp({ burst: { pGoodToBad: 1, pBadToGood: 0, lossInBad: 1, lossInGood: 0 } });
    const burstPlans = plans(burst, 1, 10);
    expect(burstPlans[0]!.verdict).toBe('pass'); // starts good, then stays bad
    expect(burstPlans.slice(1).every((p) => p.verdict === 'burst')).toBe(true);
  });

  it('loses a chosen sequence number once, its next datagram only, and draws nothing for it', () => {
    const lossy = imp({ loss: 0.3, duplicate: 0.2, delayMs: 5, jitterMs: 3 });
    const run = (chosen: number[], seqs: (number | null)[]) => {
      const random = seededRandom(7);
      let model = newDirectionModel(lossy, 0);
      for (const seq of chosen) model = chooseLoss(model, seq);
      return seqs.map((seq) => {
        const step = planDatagram(lossy, model, random, 100, 0, seq);
        model = step.model;
        return step.plan;
      });
    };
    const seqs = [1, 2, 3, 3, 4, null, 5];
    // Chosen 3: its first datagram is dropped, the repeat of 3 is not; an unreadable one (null) never matches.
    const chosen = run([3, 9], seqs);
    expect(chosen[2]).toEqual({ verdict: 'chosen', flips: [], duplicates: 0, rateDropped: 0, copies: [] });
    expect(planActions(chosen[2]!)).toEqual(['chosen-dropped']);
    // No random draw for it: the others fare as they would had the chosen one never come.
    const without = run([], [1, 2, 3, 4, null, 5]);
    expect(chosen.filter((_, i) => i !== 2)).toEqual(without);
    // Chosen twice: lost twice; the choice of 9, never seen, stays pending.
    const twice = run([3, 3], seqs);
    expect(twice.map((p) => p.verdict).slice(2, 4)).toEqual(['chosen', 'chosen']);
    let model = chooseLoss(newDirectionModel(lossy, 0), 9);
    model = planDatagram(lossy, model, seededRandom(1), 10, 0, 3).model;
    expect(model.chosen).toEqual([9]);
    // Bounded: a page calling "lose" in a loop gets no more than MAX_CHOSEN_LOSSES pending (a security review).
    for (let seq = 0; seq < 10_000; seq++) model = chooseLoss(model, seq);
    expect(model.chosen).toHaveLength(MAX_CHOSEN_LOSSES);
  });

  it('is deterministic for a seed', () => {
    const all = imp({
      loss: 0.1,
      burst: { pGoodToBad: 0.05, pBadToGood: 0.5, lossInBad: 0.8, lossInGood: 0 },
      delayMs: 10,
      jitterMs: 5,
      duplicate: 0.1,
      reorder: 0.1,
      corrupt: 0.1,
      corruptBits: 4,
      rateBps: 20_000,
    });
    expect(plans(all, 99, 500)).toEqual(plans(all, 99, 500));
    expect(plans(all, 99, 500)).not.toEqual(plans(all, 100, 500));
  });

  it('never throws and keeps its invariants for any valid impairments and datagram length', () => {
    const probability = fc.double({ min: 0, max: 1, noNaN: true });
    const ms = fc.double({ min: 0, max: 1000, noNaN: true });
    const impairmentsArb = fc.record({
      loss: probability,
      burst: fc.option(
        fc.record({
          pGoodToBad: probability,
          pBadToGood: probability,
          lossInBad: probability,
          lossInGood: probability,
        }),
      ),
      delayMs: ms,
      jitterMs: ms,
      duplicate: probability,
      reorder: probability,
      reorderHoldMs: ms,
      corrupt: probability,
      corruptBits: fc.integer({ min: 1, max: 64 }),
      rateBps: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 1e9, noNaN: true })),
      rateBurstBytes: fc.integer({ min: 0, max: 100_000 }),
      rateQueueBytes: fc.integer({ min: 0, max: 100_000 }),
    });
    fc.assert(
      fc.property(
        impairmentsArb,
        fc.integer({ min: 0, max: MAX_DATAGRAM }),
        fc.integer(),
        (raw, length, seed) => {
          const impairments = mergeImpairments(NO_IMPAIRMENTS, raw);
          const random = seededRandom(seed);
          let model = newDirectionModel(impairments, 0);
          for (let t = 0; t < 5; t++) {
            const { plan, model: next } = planDatagram(impairments, model, random, length, t);
            model = next;
            if (plan.verdict !== 'pass') expect(plan.copies).toEqual([]);
            else expect(plan.copies.length + plan.rateDropped).toBe(1 + plan.duplicates);
            expect(plan.flips.every((b) => b >= 0 && b < length * 8)).toBe(true);
            expect(plan.flips.length).toBeLessThanOrEqual(impairments.corruptBits);
            for (const copy of plan.copies) {
              expect(copy.delayMs).toBeGreaterThanOrEqual(0);
              expect(copy.queueMs).toBeGreaterThanOrEqual(0);
              expect(Number.isFinite(copy.queueMs + copy.delayMs)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 300, seed: 20240573 },
    );
  });
});
