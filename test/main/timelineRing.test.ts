import { describe, expect, it } from 'vitest';
import { TimelineRing } from '../../src/shared/live/timelineRing.js';

describe('TimelineRing', () => {
  it('keeps the newest events under absolute indices and finds times by binary search', () => {
    const ring = new TimelineRing(3);
    for (let i = 0; i < 5; i++) ring.push(i * 10, i % 5, i + 1, i % 2);
    expect([ring.start, ring.end, ring.size]).toEqual([2, 5, 3]);
    expect([ring.t(2), ring.kind(3), ring.seq(4), ring.receiver(3)]).toEqual([20, 3, 5, 1]);
    expect(ring.lowerBound(0)).toBe(2); // evicted times are before the start
    expect(ring.lowerBound(25)).toBe(3);
    expect(ring.lowerBound(40)).toBe(4);
    expect(ring.lowerBound(99)).toBe(5);
  });

  it('drains flat, oldest first, with the count that fell out', () => {
    const ring = new TimelineRing(2);
    ring.pushAll([1, 0, 1, 0, 2, 2, 1, 0, 3, 3, 2, 1]);
    expect(ring.drain()).toEqual({ events: [2, 2, 1, 0, 3, 3, 2, 1], dropped: 1 });
    expect(ring.drain()).toEqual({ events: [], dropped: 0 });
  });
});
