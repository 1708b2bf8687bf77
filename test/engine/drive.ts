// Drivers for the engine's pure machines in virtual time, with no socket, timer or file: a sender machine's
// timers are due times the test jumps to, its pacer answers at once (full speed); a receiver machine's file
// operations succeed in memory unless the test says otherwise. The timings are the engine's defaults.
import { createHash } from 'node:crypto';
import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_WINDOW } from '../../src/shared/limits.js';
import { emptyCounters } from '../../src/shared/events.js';
import { STANDARD_DIALECT } from '../../src/shared/protocol/dialect.js';
import { standard } from '../../src/shared/protocol/standard.js';
import { DEFAULT_LINGER_MS, DEFAULT_STALE_MS } from '../../src/shared/node/receiver.js';
import {
  receive,
  startReceiving,
  type Address,
  type OfferAnswered,
  type ReceiverAction,
  type ReceiverInput,
  type ReceivingConfig,
  type ReceivingState,
} from '../../src/shared/engine/receiving.js';
import { DEFAULT_MIN_RTO_MS } from '../../src/shared/engine/rto.js';
import type { SendResult, SenderEvent } from '../../src/shared/events.js';
import type { Offer } from '../../src/shared/offer/message.js';
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
    protocol: 'saw',
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
  /** Jumps to the earliest armed timer (or held turn) and fires it; null when none is armed. */
  fire(): { timer: TimerKey | 'turn'; at: number; actions: SenderAction[] } | null;
  /** When the earliest armed timer (or held turn) is due; Infinity when none is. */
  readonly nextTimerAt: number;
  readonly now: number;
  readonly state: S;
  readonly result: SendResult | undefined;
}

/**
 * `holdTurns`: the pacer, as a teacher's pause: when a turn asked for at `askedAt` is given (at once by default,
 * full speed). A held turn is given by fire() when its time comes, like a timer.
 */
export function driveSender<S>(
  machine: SenderMachine<S>,
  config: SenderConfig,
  holdTurns: (askedAt: number) => number = (askedAt) => askedAt,
): SenderDriver<S> {
  let state = machine.start(config);
  let now = 0;
  let result: SendResult | undefined;
  const due = new Map<TimerKey | 'turn', number>();
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
        if (action.type === 'wait-turn') {
          const givenAt = holdTurns(now);
          if (givenAt <= now) queue.push({ type: 'turn' });
          else due.set('turn', givenAt);
        }
        if (action.type === 'finish') result = action.result;
      }
    }
    return actions;
  };
  return {
    input,
    fire() {
      const [timer, at] = [...due].reduce<[TimerKey | 'turn', number] | [null, number]>(
        (best, entry) => (entry[1] < best[1] ? entry : best),
        [null, Infinity],
      );
      if (timer === null) return null;
      due.delete(timer);
      return {
        timer,
        at,
        actions: input(timer === 'turn' ? { type: 'turn' } : { type: 'timer', timer }, at),
      };
    },
    get nextTimerAt() {
      return Math.min(...due.values());
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

/** The receiver's defaults for the course's standard profile (an idle transfer fails). */
export function receivingConfig(more: Partial<ReceivingConfig> = {}): ReceivingConfig {
  return {
    numbering: STANDARD_DIALECT,
    idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
    onIdle: 'fail',
    lingerMs: DEFAULT_LINGER_MS,
    staleMs: DEFAULT_STALE_MS,
    maxBytes: Infinity,
    keepListening: false,
    ...more,
  };
}

export interface ReceiverDriver {
  /** A datagram from `from` (the sender, 127.0.0.1:5000, by default), lost when `lost` says so. */
  datagram(bytes: Buffer, at: number, from?: Address, lost?: boolean): ReceiverAction[];
  input(input: ReceiverInput, at: number): ReceiverAction[];
  /** What was written to the .part file, in order. */
  readonly written: Buffer;
  /** When the transfer's timer is due, if armed. */
  readonly timerAt: number | undefined;
  /** When the delayed-ACK timer (SACK) is due, if armed. */
  readonly ackTimerAt: number | undefined;
  readonly state: ReceivingState;
  /** The next write fails with this reason. */
  failNextWrite(reason: string): void;
  /** The next file is kept under this name (say, the offered one was taken), not under the offered one. */
  keepNextAs(name: string): void;
}

export const SENDER: Address = { address: '127.0.0.1', port: 5000 };

/** The answer to `offer` from SENDER, as the receiver's shell passes it with each datagram (offered at time 0). */
export const answeredOffer = (
  offer: Offer,
  answer: { accepted: boolean; declined?: string } = { accepted: true },
): OfferAnswered => ({ offer, ...answer, port: SENDER.port, heardAt: 0 });

/**
 * A receiver machine whose file operations succeed in memory (one file at a time); `offered`: what the sender's
 * offer came to (none: a course sender).
 */
export function driveReceiver(
  config: ReceivingConfig = receivingConfig(),
  offered?: OfferAnswered,
): ReceiverDriver {
  let state = startReceiving(config, emptyCounters());
  let pieces: Buffer[] = [];
  let timerAt: number | undefined;
  let ackTimerAt: number | undefined;
  let writeFailure: string | undefined;
  let keepAs: string | undefined;
  const result = (action: ReceiverAction): ReceiverInput | null => {
    switch (action.type) {
      case 'open':
        pieces = [];
        return {
          type: 'opened',
          path: `/out-${action.index}.bin`,
          partPath: `/out-${action.index}.bin.part`,
        };
      case 'write': {
        if (writeFailure !== undefined) {
          const reason = writeFailure;
          writeFailure = undefined;
          return { type: 'write-failed', reason };
        }
        pieces.push(Buffer.from(action.payload));
        return { type: 'written' };
      }
      case 'digest':
        return { type: 'digested', sha256: createHash('sha256').update(Buffer.concat(pieces)).digest('hex') };
      case 'commit': {
        // As into a folder: under the offered name, unless told otherwise.
        const name = keepAs ?? action.offer?.name ?? 'out-0.bin';
        keepAs = undefined;
        return {
          type: 'committed',
          path: `/received/${name}`,
          sha256: 'x',
          ...(action.offer ? { named: true as const } : {}),
        };
      }
      default:
        return null;
    }
  };
  const input = (first: ReceiverInput, at: number): ReceiverAction[] => {
    const actions: ReceiverAction[] = [];
    if (first.type === 'ack-timer') ackTimerAt = undefined; // it fired
    for (let next: ReceiverInput | null = first; next !== null;) {
      const step = receive(state, next, at);
      state = step.state;
      next = null;
      for (const action of step.actions) {
        actions.push(action);
        if (action.type === 'arm') timerAt = at + action.ms;
        if (action.type === 'clear') timerAt = undefined;
        if (action.type === 'arm-ack') ackTimerAt = at + action.ms;
        next = result(action) ?? next;
      }
    }
    return actions;
  };
  return {
    input,
    datagram: (bytes, at, from = SENDER, lost = false) =>
      input(
        {
          type: 'datagram',
          from,
          length: bytes.length,
          decoded: standard.decode(bytes),
          offered,
          lost: () => lost,
        },
        at,
      ),
    get written() {
      return Buffer.concat(pieces);
    },
    get timerAt() {
      return timerAt;
    },
    get ackTimerAt() {
      return ackTimerAt;
    },
    get state() {
      return state;
    },
    failNextWrite(reason) {
      writeFailure = reason;
    },
    keepNextAs(name) {
      keepAs = name;
    },
  };
}

/** The ACKs among `actions`, as wire numbers. */
export const acks = (actions: ReceiverAction[]): number[] =>
  actions.flatMap((a) => (a.type === 'ack' ? [a.wire] : []));
