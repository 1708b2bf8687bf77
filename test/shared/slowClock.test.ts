// The slowed clock on a virtual clock: time and timers stretch by the rate, and a rate change mid-way keeps the
// time continuous and moves the pending timers to the new pace.
import { describe, expect, it } from 'vitest';
import { virtualClock } from '../../src/shared/simulation/virtualClock.js';
import { slowClock } from '../../src/shared/engine/slowClock.js';

describe('slowClock', () => {
  it('runs at its rate, and a timer fires after its time on the slowed clock', () => {
    const base = virtualClock();
    const clock = slowClock(base, 0.1);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(base.now()), 100);
    base.advance(500);
    expect(clock.now()).toBeCloseTo(50);
    expect(fired).toEqual([]);
    base.advance(500);
    expect(fired).toEqual([1000]); // 100 ms at a tenth of the speed
  });

  it('keeps its time continuous and reschedules pending timers when the rate changes', () => {
    const base = virtualClock();
    const clock = slowClock(base, 0.1);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`a@${base.now()}`), 100);
    const cleared = clock.setTimeout(() => fired.push('cleared'), 60);
    base.advance(400); // 40 ms of clock time gone, 60 left
    clock.clearTimeout(cleared);
    clock.setRate(1);
    expect(clock.now()).toBeCloseTo(40);
    base.advance(59);
    expect(fired).toEqual([]);
    base.advance(1);
    expect(fired).toEqual(['a@460']);
    expect(clock.rate).toBe(1);
    expect(() => clock.setRate(0)).toThrow(RangeError);
  });
});
