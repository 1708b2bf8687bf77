// Go-Back-N from one sender to N receivers, beside stop-and-wait, as a pure machine (inputs and actions:
// sending.ts). It needs nothing new from a course receiver: those already drop out-of-order segments and ACK the
// last in-order one, which is a cumulative ACK.
//
// Textbook rules, per receiver r:
//   base_r = the oldest segment r has not ACKed; one timer per receiver, for base_r.
//   A new segment goes out (to every live receiver) while it lies within W of the lowest base of all live
//   receivers: a segment leaves the sender's window only when every live receiver has it.
//   ACK a from r (a >= base_r): base_r = a + 1; restart r's timer if r still has segments outstanding.
//   ACK a < base_r: a duplicate, or a late one overtaken by a newer ACK (the network reorders): ignored. Even an
//   ACK 0 says nothing more (a receiver ACKs 0 for every segment that arrives before segment 1).
//   r's timer expires: "Timeout, sequence number = base_r", and every outstanding segment base_r..next-1 goes
//   again, to r only.
// Liveness is stop-and-wait's (docs/PROTOCOL.md): r fails only when base_r has gone unACKed for the receiver
// timeout since its first send (a receiver that restarted ACKs 0 forever and ends there), and a receiver with
// nothing outstanding gets the newest segment every receiver has again every keepalive period.
import type { SenderCounters, SenderEvent } from '../events.js';
import { addRtt } from '../rtt.js';
import {
  newTally,
  payloadLength,
  sendResult,
  silentReason,
  stepping,
  type Rules,
  type SenderAction,
  type SenderConfig,
  type SenderInput,
  type SenderMachine,
  type Step,
  type Tally,
} from './sending.js';

interface Receiver extends Tally {
  base: number;
  /** Its timer is armed. */
  armed: boolean;
  /** First send of `base`, moved on by time the pacer held the transfer. */
  baseSentAt: number;
  lastSendAt: number;
  /** Highest sequence number retransmitted to it: ACKs up to it are no RTT samples (Karn). */
  resentUpTo: number;
}

export interface GoBackNState {
  readonly config: SenderConfig;
  readonly receivers: readonly Receiver[];
  readonly counters: SenderCounters;
  /** The next new segment. */
  readonly next: number;
  /** The window: segments low..next-1 are outstanding, firstSentAt[seq - low] their first sends. */
  readonly low: number;
  readonly firstSentAt: readonly number[];
  /** The newest segment every live receiver has (0: none): keepalives. */
  readonly allHave: number;
  readonly timeoutRounds: number;
  /** When the pacer was asked for the next new segment; null when it is not asked. */
  readonly askedAt: number | null;
  readonly finished: boolean;
}

export const goBackN: SenderMachine<GoBackNState> = {
  start: (config) => ({
    config,
    receivers: config.endpoints.map((_, i) => ({
      ...newTally(config, i),
      base: 1,
      armed: false,
      baseSentAt: 0,
      lastSendAt: 0,
      resentUpTo: 0,
    })),
    counters: { ...config.counters },
    next: 1,
    low: 1,
    firstSentAt: [],
    allHave: 0,
    timeoutRounds: 0,
    askedAt: null,
    finished: false,
  }),
  step,
  kept: (state) => (state.allHave > 0 ? state.allHave : state.low),
};

type Draft = { -readonly [K in keyof GoBackNState]: GoBackNState[K] } & { receivers: Receiver[] };

function step(state: GoBackNState, input: SenderInput, now: number): Step<GoBackNState> {
  return stepping(state, input, (s: Draft, actions) => rules(s, actions, now));
}

function rules(s: Draft, actions: SenderAction[], now: number): Rules {
  const { config } = s;
  const W = config.window;

  const emit = (event: SenderEvent): void => void actions.push({ type: 'event', event });
  const live = (r: Receiver): boolean => r.failure === undefined;
  const lowestBase = (): number =>
    s.receivers.reduce((low, r) => (live(r) ? Math.min(low, r.base) : low), s.next);
  const sentAt = (seq: number): number => s.firstSentAt[seq - s.low]!;

  const finish = (cancelled: boolean): void => {
    s.finished = true;
    actions.push({ type: 'finish', result: sendResult(config, s, cancelled, now) });
  };

  const transmit = (i: number, seq: number, retransmission: boolean): void => {
    const r = s.receivers[i]!;
    r.lastSendAt = now;
    if (seq === r.base && !retransmission) r.baseSentAt = now;
    actions.push({ type: 'transmit', seq, receiver: i, retransmission });
  };

  /** r's timer runs while it has segments outstanding. */
  const arm = (i: number): void => {
    const r = s.receivers[i]!;
    const armed = r.base < s.next && live(r);
    if (armed) actions.push({ type: 'arm', timer: i, ms: config.timeoutMs });
    else if (r.armed) actions.push({ type: 'clear', timer: i });
    r.armed = armed;
  };

  /** New segments while the window has room, asking the pacer before each. */
  const fill = (): void => {
    if (s.askedAt !== null || s.next > config.last || s.next >= lowestBase() + W) return;
    if (s.next > config.chunks && config.endAfterAll && lowestBase() <= config.chunks) return;
    s.askedAt = now;
    actions.push({ type: 'wait-turn' });
  };

  const sendNew = (): void => {
    const seq = s.next++;
    s.firstSentAt = [...s.firstSentAt, now];
    s.receivers.forEach((r, i) => {
      if (!live(r)) return;
      transmit(i, seq, false);
      if (!r.armed) arm(i);
    });
    fill();
  };

  const fail = (i: number, reason: string): void => {
    const r = s.receivers[i]!;
    r.failure = reason;
    r.timeMs = now;
    if (r.armed) actions.push({ type: 'clear', timer: i });
    r.armed = false;
    emit({ type: 'receiver-failed', t: now, seq: r.base, receiver: i, reason });
    progress();
  };

  // Go back N: everything outstanding, to this receiver only.
  const onTimeout = (i: number): void => {
    const r = s.receivers[i]!;
    r.armed = false;
    if (!live(r)) return;
    s.timeoutRounds++;
    if (config.receiverTimeoutMs > 0 && now - r.baseSentAt >= config.receiverTimeoutMs)
      return fail(i, silentReason(r.base, config.receiverTimeoutMs));
    r.timeouts++;
    emit({ type: 'timeout', t: now, seq: r.base, receiver: i });
    for (let seq = r.base; seq < s.next; seq++) {
      r.retransmissions++;
      transmit(i, seq, true);
    }
    r.resentUpTo = s.next - 1;
    arm(i);
  };

  /** The window slid or a receiver left: free what everyone has, report progress, send more, or finish. */
  const progress = (): void => {
    const lowest = lowestBase();
    if (lowest > s.low) {
      s.allHave = lowest - 1;
      s.firstSentAt = s.firstSentAt.slice(lowest - s.low);
      s.low = lowest;
    }
    const done = Math.min(lowest - 1, config.chunks);
    emit({
      type: 'progress',
      t: now,
      chunksDone: done,
      chunks: config.chunks,
      bytesDone: Math.min(done * config.mss, config.size),
      fileSize: config.size,
    });
    if (s.receivers.every((r) => !live(r) || r.base > config.last)) return finish(false);
    fill();
  };

  const onAck = (i: number, acked: number): void => {
    const r = s.receivers[i]!;
    if (!live(r) || acked < r.base || acked >= s.next) {
      s.counters.stale++; // a duplicate or late ACK (GBN just waits for its timer), or from a receiver given up on
      return;
    }
    s.counters.acks++;
    for (let seq = r.base; seq <= acked; seq++) {
      r.acks++;
      r.bytes += payloadLength(config, seq);
    }
    if (acked > r.resentUpTo) {
      const sample = now - sentAt(acked);
      r.rtt = addRtt(r.rtt, sample);
      emit({ type: 'ack', t: now, seq: acked, receiver: i, rttMs: sample });
    } else emit({ type: 'ack', t: now, seq: acked, receiver: i, rttMs: now - r.lastSendAt });
    r.base = acked + 1;
    // The receiver timeout counts from the new base's first send (now, if it has not gone out yet).
    r.baseSentAt = r.base < s.next ? sentAt(r.base) : now;
    r.timeMs = now;
    arm(i);
    progress();
  };

  const keepAlive = (): void => {
    s.receivers.forEach((r, i) => {
      // Waiting with nothing outstanding (others hold the window, or the pace is held), and not done.
      if (!live(r) || r.base < s.next || r.base > config.last) return;
      if (now - r.lastSendAt < config.keepaliveMs || s.allHave === 0) return;
      r.lastSendAt = now;
      r.keepalives++;
      actions.push({ type: 'keepalive', seq: s.allHave, receiver: i });
    });
    actions.push({ type: 'arm', timer: 'keepalive', ms: config.keepaliveMs });
  };

  return {
    // Nothing at all to send (an empty file in a dialect without an end marker): done at once.
    start: () => (config.last === 0 ? finish(false) : fill()),
    ack: onAck,
    refused: fail,
    timer: (timer) =>
      timer === 'keepalive' ? keepAlive() : timer === 'round' ? undefined : onTimeout(timer),
    turn: () => {
      if (s.askedAt === null) return;
      const held = now - s.askedAt;
      s.askedAt = null;
      if (held > 0) for (const r of s.receivers) r.baseSentAt += held;
      sendNew();
    },
    finish,
  };
}
