// The clock and timers the engine and the live view run on. The system ones by default; tests pass a virtual
// clock so that rules measured in seconds or minutes (timeouts, keepalives, idle, pauses) run with their real
// default values in milliseconds of test time.

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The platform clock and timers (Node and browsers alike). */
export const systemTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
