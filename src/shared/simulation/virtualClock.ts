// A virtual clock for the engine's Timers: time moves only when told, so rules measured in seconds (the 30 s
// receiver timeout, 10 s idle, 1 s keepalive, a 60 s pause) run with their default values in a fraction of a
// second. Over real sockets, `run` interleaves small steps of virtual time with real I/O; over the simulated
// network (network.ts) everything is a timer, and `next` jumps from one event to the next.
import type { Timers } from '../engine/timers.js';

export interface VirtualClock extends Timers {
  /** Runs every timer due within `ms`, in order, and moves the clock on. */
  advance(ms: number): void;
  /** Jumps to the earliest timer and runs it; false when none is left. */
  next(): boolean;
  /**
   * Advances in `stepMs` steps, letting real sockets deliver between steps, until `done()` or `limitMs` of
   * virtual time; returns whether done() held. Bounded in real time too: at most limitMs/stepMs steps.
   */
  run(done: () => boolean, limitMs: number, stepMs?: number): Promise<boolean>;
}

/** Enough turns for a datagram out, its handling, and the answer back (send and receive take a turn each). */
const IO_TURNS = 8;
/** The longest real wait, per step, for file operations in flight (a hash, an open) to finish. */
const FILE_WAIT_MS = 5_000;

/**
 * File operations in flight in this thread. They run on libuv's thread pool, which a busy machine can hold back
 * for any number of event-loop turns: virtual time must not move on while one is pending, or a 30 s timeout can
 * expire during a hash of 50 bytes.
 */
const fileOpsPending = (): boolean =>
  globalThis.process?.getActiveResourcesInfo?.().some((name) => name.startsWith('FSReq')) ?? false;

async function settleRealIo(): Promise<void> {
  for (let turn = 0; turn < IO_TURNS; turn++) await new Promise((resolve) => setImmediate(resolve));
  const until = performance.now() + FILE_WAIT_MS;
  while (fileOpsPending() && performance.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 1));
}

interface Timer {
  at: number;
  id: number;
  fn: () => void;
}

/** Earlier first; among equals, the first set. */
const before = (a: Timer, b: Timer): boolean => a.at < b.at || (a.at === b.at && a.id < b.id);

export function virtualClock(): VirtualClock {
  let now = 0;
  let nextId = 0;
  /** Timers not run or cleared yet, by id. */
  const live = new Map<number, Timer>();
  /**
   * A binary min-heap of timers (cleared ones are skipped when they come up): every datagram in flight on the
   * simulated network is a timer, so finding the earliest must not cost a scan of them all.
   */
  let heap: Timer[] = [];
  const push = (timer: Timer): void => {
    let i = heap.push(timer) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): void => {
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    for (let i = 0; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
      if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  };
  /** Runs the earliest timer due by `end` (the first set, among equals); false when there is none. */
  const runEarliest = (end: number): boolean => {
    while (heap.length > 0) {
      const first = heap[0]!;
      if (live.get(first.id) !== first) {
        pop(); // cleared
        continue;
      }
      if (first.at > end) return false;
      pop();
      live.delete(first.id);
      now = first.at;
      first.fn();
      return true;
    }
    return false;
  };
  const clock: VirtualClock = {
    now: () => now,
    setTimeout(fn, ms) {
      // As Node does, a delay that is not a number runs as soon as possible (NaN would break the heap's order).
      const timer = { at: now + (ms > 0 ? ms : 0), id: ++nextId, fn };
      live.set(timer.id, timer);
      push(timer);
      return timer.id;
    },
    clearTimeout(handle) {
      live.delete(handle as number);
      // Cleared timers wait in the heap until they come up: rebuilt when they outnumber the live ones (a sorted
      // array is a heap), so re-arming a timer at every ACK keeps memory bounded.
      if (heap.length > 2 * live.size + 64) heap = [...live.values()].sort((a, b) => (before(a, b) ? -1 : 1));
    },
    advance(ms) {
      const end = now + ms;
      while (runEarliest(end));
      now = end;
    },
    next: () => runEarliest(Infinity),
    async run(done, limitMs, stepMs = 20) {
      for (let t = 0; t < limitMs; t += stepMs) {
        if (done()) return true;
        clock.advance(stepMs);
        // Event-loop turns, not wall time, for the datagrams just sent to arrive and be answered: loopback
        // delivery is immediate in the kernel, and each turn polls every socket once, however loaded the machine.
        // File operations are waited for until they finish.
        await settleRealIo();
      }
      return done();
    },
  };
  return clock;
}
