// Teaching pace: the sender asks the pacer before every transmission round (a new chunk, or the resend after a
// timeout). At full speed the answer is immediate and costs one call; slow motion spaces rounds out; step mode
// waits for a click per round; pause holds the next round until resume. Switchable during a transfer.

export type PaceMode = { kind: 'full' } | { kind: 'slow'; roundsPerSecond: number } | { kind: 'step' };

export interface Pacer {
  /** Called by the sender; `go` runs the round now or later. Only one round waits at a time. */
  waitTurn(go: () => void): void;
  setMode(mode: PaceMode): void;
  readonly mode: PaceMode;
  /** In step mode: let one round go; a click before the round is ready is kept for it (one at most). */
  step(): void;
  /** A round is held, waiting for a click, the slow-motion gap or resume. */
  readonly waiting: boolean;
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Drops a waiting round (the transfer ended). */
  dispose(): void;
}

export function createPacer(initial: PaceMode = { kind: 'full' }): Pacer {
  let mode = initial;
  let paused = false;
  let waiting: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastRoundAt = -Infinity;
  let stepCredit = false;

  const release = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const go = waiting;
    waiting = null;
    lastRoundAt = performance.now();
    go?.();
  };

  // Decides what to do with the waiting round under the current mode.
  const schedule = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (waiting === null || paused) return;
    if (mode.kind === 'step') {
      if (stepCredit) {
        stepCredit = false;
        release();
      }
      return;
    }
    if (mode.kind === 'full') return release();
    const gap = 1000 / mode.roundsPerSecond - (performance.now() - lastRoundAt);
    if (gap <= 0) release();
    else timer = setTimeout(release, gap);
  };

  return {
    waitTurn(go) {
      if (mode.kind === 'full' && !paused) return go(); // the hot path: no timer, no allocation
      waiting = go;
      schedule();
    },
    setMode(next) {
      if (next.kind === 'slow' && !(next.roundsPerSecond > 0))
        throw new RangeError('slow motion needs a positive number of rounds per second');
      mode = next;
      stepCredit = false;
      schedule();
    },
    get mode() {
      return mode;
    },
    step() {
      if (mode.kind !== 'step' || paused) return;
      if (waiting === null) stepCredit = true;
      else release();
    },
    get waiting() {
      return waiting !== null;
    },
    pause() {
      paused = true;
      schedule();
    },
    resume() {
      paused = false;
      schedule();
    },
    get paused() {
      return paused;
    },
    dispose() {
      clearTimeout(timer);
      waiting = null;
    },
  };
}
