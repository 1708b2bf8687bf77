// Reporting a host once per try, bounded: what a flood of sources gets, and what a real host gets after it.
import { describe, expect, it } from 'vitest';
import { hostTries } from '../../src/shared/session/hostTries.js';

describe('a host reported once per try', () => {
  it('again only after it has been quiet for quietMs', () => {
    const tries = hostTries(10_000, 4);
    expect([tries('a', 0), tries('a', 1_000), tries('a', 10_999), tries('a', 30_000)]).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });

  it('past its bound: new hosts never, or (evict) the one heard from least recently once it is quiet', () => {
    const capped = hostTries(10_000, 2);
    expect(['a', 'b', 'c', 'c'].map((host) => capped(host, 0))).toEqual([true, true, false, false]);
    const evicting = hostTries(10_000, 2, true);
    expect(['a', 'b', 'a', 'c'].map((host) => evicting(host, 0))).toEqual([true, true, false, false]);
    // Both still asking: c waits. Once b (heard from least recently) has been quiet 10 s, c takes its place, and
    // b's next datagram is a new try; a, asking all along, stays known.
    expect(evicting('a', 9_000)).toBe(false);
    expect(evicting('c', 10_000)).toBe(true);
    expect(evicting('a', 10_001)).toBe(false);
    expect(evicting('b', 20_002)).toBe(true);
  });
});
