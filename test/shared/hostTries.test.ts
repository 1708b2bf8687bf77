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

  it('past its bound: new hosts never, or (evict) the one heard from least recently is forgotten', () => {
    const capped = hostTries(10_000, 2);
    expect(['a', 'b', 'c', 'c'].map((host) => capped(host, 0))).toEqual([true, true, false, false]);
    const evicting = hostTries(10_000, 2, true);
    expect(['a', 'b', 'a', 'c'].map((host) => evicting(host, 0))).toEqual([true, true, false, true]);
    // b was the least recently heard from: forgotten, so its next datagram is a new try; a is still known.
    expect([evicting('a', 1), evicting('b', 1)]).toEqual([false, true]);
  });
});
