// Drivers for the engine's pure machines in virtual time, with no socket, timer or file: a sender machine's
// timers are due times the test jumps to, its pacer answers at once (full speed); a receiver machine's file
// operations succeed in memory unless the test says otherwise. The timings are the engine's defaults.
import { DEFAULT_WINDOW } from '../../src/shared/limits.js';
import { DEFAULT_MIN_RTO_MS } from '../../src/shared/rto.js';
import type { SendResult, SenderEvent } from '../../src/shared/events.js';
import {
  DEFAULT_KEEPALIVE_MS,
  DEFAULT_RECEIVER_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
} from '../../src/shared/node/sender.js';
import type {
  SenderAction,
  SenderConfig,
  SenderInput,
  SenderMachine,
  TimerKey,
} from '../../src/shared/engine/sending.js';

/** A transfer of `size` bytes in `mss`-byte chunks to `receivers` course receivers, with the default timings. */
export function senderConfig(
  receivers: number,
  size: number,
  mss: number,
  more: Partial<SenderConfig> = {},
): SenderConfig {
  const chunks = Math.ceil(size / mss);
  return {
    endpoints: Array.from({ length: receivers }, (_, id) => ({
      id,
      label: `r${id}`,
      address: `127.0.0.${id + 2}`,
      port: 7735,
    })),
    size,
    mss,
    chunks,
    last: chunks + 1,
    endAfterAll: false,
    profile: 'standard',
    timeoutMs: DEFAULT_TIMEOUT_MS,
    receiverTimeoutMs: DEFAULT_RECEIVER_TIMEOUT_MS,
    keepaliveMs: DEFAULT_KEEPALIVE_MS,
    rto: 'fixed',
    minRtoMs: DEFAULT_MIN_RTO_MS,
    window: DEFAULT_WINDOW,
    outcomes: Array.from({ length: receivers }, () => ({ mode: 'course', failure: undefined, offers: 0 })),
    counters: { received: 0, answers: 0, acks: 0, stale: 0, malformed: 0, foreign: 0 },
    ...more,
  };
}

export interface SenderDriver<S> {
  /** Feeds an input at virtual time `at` (now by default); returns every action it led to. */
  input(input: SenderInput, at?: number): SenderAction[];
  /** Jumps to the earliest armed timer and fires it; null when none is armed. */
  fire(): { timer: TimerKey; at: number; actions: SenderAction[] } | null;
  readonly now: number;
  readonly state: S;
  readonly result: SendResult | undefined;
}

export function driveSender<S>(machine: SenderMachine<S>, config: SenderConfig): SenderDriver<S> {
  let state = machine.start(config);
  let now = 0;
  let result: SendResult | undefined;
  const due = new Map<TimerKey, number>();
  const input = (first: SenderInput, at = now): SenderAction[] => {
    now = at;
    const actions: SenderAction[] = [];
    const queue = [first];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const step = machine.step(state, next, now);
      state = step.state;
      for (const action of step.actions) {
        actions.push(action);
        if (action.type === 'arm') due.set(action.timer, now + action.ms);
        if (action.type === 'clear') due.delete(action.timer);
        if (action.type === 'wait-turn') queue.push({ type: 'turn' });
        if (action.type === 'finish') result = action.result;
      }
    }
    return actions;
  };
  return {
    input,
    fire() {
      const [timer, at] = [...due].reduce<[TimerKey, number] | [null, number]>(
        (best, entry) => (entry[1] < best[1] ? entry : best),
        [null, Infinity],
      );
      if (timer === null) return null;
      due.delete(timer);
      return { timer, at, actions: input({ type: 'timer', timer }, at) };
    },
    get now() {
      return now;
    },
    get state() {
      return state;
    },
    get result() {
      return result;
    },
  };
}

/** The transmissions among `actions`, as [seq, receiver, retransmission]. */
export const transmissions = (actions: SenderAction[]): [number, number, boolean][] =>
  actions.flatMap((a) => (a.type === 'transmit' ? [[a.seq, a.receiver, a.retransmission]] : []));

/** The events of one type among `actions`. */
export function eventsOf<T extends SenderEvent['type']>(
  actions: SenderAction[],
  type: T,
): Extract<SenderEvent, { type: T }>[] {
  return actions.flatMap((a) =>
    a.type === 'event' && a.event.type === type ? [a.event as Extract<SenderEvent, { type: T }>] : [],
  );
}
