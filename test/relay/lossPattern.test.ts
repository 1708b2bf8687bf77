// The Compare view's seeded loss pattern: a pure function of (seed, receiver, direction, seq, attempt), so the
// order and number of other datagrams never change a decision; p = 0 never loses, p = 1 always; the rate is p.
import { describe, expect, it } from 'vitest';
import {
  patternDraw,
  patternFor,
  patternLoses,
  type LossPattern,
} from '../../src/shared/network/lossPattern.js';

const pattern: LossPattern = { seed: 7, p: { forward: 0.2, backward: 0.05 } };

describe('loss pattern', () => {
  it('decides each datagram by its own coordinates, whatever came before it', () => {
    const a = patternFor(pattern, 1);
    const b = patternFor(pattern, 1);
    // Lane b sends segments 1..50 once, then again; lane a sends each twice in a row (a different order).
    const first: boolean[] = [];
    const second: boolean[] = [];
    for (let seq = 1; seq <= 50; seq++) first.push(b('forward', seq));
    for (let seq = 1; seq <= 50; seq++) second.push(b('forward', seq));
    for (let seq = 1; seq <= 50; seq++) {
      b('backward', seq); // ACKs in between change nothing
      expect(a('forward', seq)).toBe(first[seq - 1]);
      expect(a('forward', seq)).toBe(second[seq - 1]);
      expect(first[seq - 1]).toBe(patternLoses(pattern, 1, 'forward', seq, 1));
    }
  });

  it('differs by seed, receiver, direction, seq and attempt, and loses at rate p', () => {
    const draws = new Set([
      patternDraw(7, 1, 'forward', 3, 1),
      patternDraw(8, 1, 'forward', 3, 1),
      patternDraw(7, 2, 'forward', 3, 1),
      patternDraw(7, 1, 'backward', 3, 1),
      patternDraw(7, 1, 'forward', 4, 1),
      patternDraw(7, 1, 'forward', 3, 2),
    ]);
    expect(draws.size).toBe(6);
    let lost = 0;
    const n = 20_000;
    for (let seq = 1; seq <= n; seq++) if (patternLoses(pattern, 0, 'forward', seq, 1)) lost++;
    expect(lost / n).toBeGreaterThan(0.18);
    expect(lost / n).toBeLessThan(0.22);
    const never = { seed: 7, p: { forward: 0, backward: 1 } };
    for (let seq = 0; seq < 1000; seq++) {
      expect(patternLoses(never, 0, 'forward', seq, 1)).toBe(false);
      expect(patternLoses(never, 0, 'backward', seq, 1)).toBe(true);
    }
  });
});
