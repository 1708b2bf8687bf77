// A clock that runs at a rate of the one under it: the local demo's sender, relays and timeline run on one, so
// in slow motion and step mode a datagram can really be in flight for as long as the diagram draws it while every
// timer (the retransmission timeout included) stretches by the same factor: the protocol sees the same durations
// at every pace. Changing the rate re-anchors the clock (its time never jumps) and reschedules pending timers.
import type { Timers } from './timers.js';

export interface SlowClock extends Timers {
  /** Clock ms per ms of the clock under it: 1 runs with it, 0.1 ten times slower. */
  readonly rate: number;
  setRate(rate: number): void;
}

interface Pending {
  /** When it is due, on this clock. */
  at: number;
  fn: () => void;
  handle: unknown;
}

export function slowClock(base: Timers, initialRate = 1): SlowClock {
  const check = (rate: number): number => {
    if (!(rate > 0) || !Number.isFinite(rate))
      throw new RangeError(`a clock rate must be positive, got ${rate}`);
    return rate;
  };
  let rate = check(initialRate);
  let anchorBase = base.now();
  let anchor = 0;
  let nextId = 0;
  const pending = new Map<number, Pending>();
  const now = (): number => anchor + (base.now() - anchorBase) * rate;
  const arm = (id: number, p: Pending): void => {
    p.handle = base.setTimeout(
      () => {
        pending.delete(id);
        p.fn();
      },
      Math.max(0, (p.at - now()) / rate),
    );
  };
  return {
    now,
    get rate() {
      return rate;
    },
    setRate(next) {
      check(next);
      if (next === rate) return;
      anchor = now();
      anchorBase = base.now();
      rate = next;
      for (const [id, p] of pending) {
        base.clearTimeout(p.handle);
        arm(id, p);
      }
    },
    setTimeout(fn, ms) {
      const id = ++nextId;
      const p: Pending = { at: now() + Math.max(0, ms), fn, handle: undefined };
      pending.set(id, p);
      arm(id, p);
      return id;
    },
    clearTimeout(handle) {
      const p = pending.get(handle as number);
      if (!p) return;
      base.clearTimeout(p.handle);
      pending.delete(handle as number);
    },
  };
}
