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

export function virtualClock(): VirtualClock {
  let now = 0;
  let nextId = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  /** Runs the earliest timer due by `end` (the first set, among equals); false when there is none. */
  const runEarliest = (end: number): boolean => {
    let first: [number, { at: number; fn: () => void }] | undefined;
    for (const entry of due) if (entry[1].at <= end && (!first || entry[1].at < first[1].at)) first = entry;
    if (!first) return false;
    due.delete(first[0]);
    now = first[1].at;
    first[1].fn();
    return true;
  };
  const clock: VirtualClock = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++nextId;
      due.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (handle) => void due.delete(handle as number),
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
