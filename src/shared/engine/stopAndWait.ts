// Stop-and-wait from one sender to N receivers, the course's protocol, as a pure machine (inputs and actions:
// sending.ts). The retransmission rule, as the assignment states it:
//   Round k: segment k goes to every live receiver, and one timer is armed for the round.
//   The ACK that is the last one missing clears the timer, and segment k + 1 goes out at once.
//   When the timer fires, segment k goes again, but only to the receivers that have not ACKed it, and the timer
//   is armed again.
// After the last chunk the end marker goes out the same way (in a dialect without one, the transfer ends there).
//
// Liveness (docs/PROTOCOL.md): a receiver is given up on only when it has not ACKed the current segment within
// receiverTimeoutMs of that segment's first send to it, not counting time the teacher held the pace. And no
// receiver is left in silence while it waits, whatever the wait (a dead peer, a pause): every keepaliveMs
// without a send to it, it gets the newest segment it has already ACKed again. A course receiver answers that
// duplicate with the same ACK, and its idle timer sees a live sender. A receiver that ACKs 0 after the first
// round lost its state (restarted): its file cannot be whole, it is given up on at once.
import type { SenderCounters, SenderEvent } from '../events.js';
import { addRtt } from '../rtt.js';
import { initialRto, rtoBackoff, rtoSample, type RtoState } from '../rto.js';
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
  /** It has ACKed the current segment. */
  acked: boolean;
  /** The current segment was sent to it more than once: its ACK is no RTT sample (Karn's rule). */
  resent: boolean;
  /** Last transmission of the current segment to it: RTT samples. */
  sentAt: number;
  /** Last datagram of any kind sent to it: keepalives. */
  lastSendAt: number;
  /** First transmission of the current segment, moved on by time the pacer held a round. */
  firstSentAt: number;
}

export interface StopAndWaitState {
  readonly config: SenderConfig;
  readonly receivers: readonly Receiver[];
  readonly counters: SenderCounters;
  /** One estimator for the round timer: every receiver's samples feed it (a round waits for the slowest). */
  readonly rto: RtoState;
  /** The current round's segment: sent, or waiting for the pacer. */
  readonly seq: number;
  /** The segment last sent (0: none yet), and the one before it: what a receiver owing `sent` has ACKed last. */
  readonly sent: number;
  readonly previous: number;
  /** Receivers that still owe an ACK of `sent`. */
  readonly pending: number;
  readonly bytesDone: number;
  readonly timeoutRounds: number;
  /** The round asked of the pacer, and when; null when none waits. */
  readonly turn: { round: 'send' | 'resend'; seq: number; askedAt: number } | null;
  readonly finished: boolean;
}

export const stopAndWait: SenderMachine<StopAndWaitState> = {
  start: (config) => ({
    config,
    receivers: config.endpoints.map((_, i) => ({
      ...newTally(config, i),
      acked: false,
      resent: false,
      sentAt: 0,
      lastSendAt: 0,
      firstSentAt: 0,
    })),
    counters: { ...config.counters },
    rto: initialRto(config.timeoutMs),
    seq: 0,
    sent: 0,
    previous: 0,
    pending: 0,
    bytesDone: 0,
    timeoutRounds: 0,
    turn: null,
    finished: false,
  }),
  step,
  kept: (state) => Math.max(1, state.previous),
};

type Draft = { -readonly [K in keyof StopAndWaitState]: StopAndWaitState[K] } & { receivers: Receiver[] };

function step(state: StopAndWaitState, input: SenderInput, now: number): Step<StopAndWaitState> {
  return stepping(state, input, (s: Draft, actions) => rules(s, actions, now));
}

function rules(s: Draft, actions: SenderAction[], now: number): Rules {
  const { config } = s;
  const adaptive = config.rto === 'adaptive';

  const emit = (event: SenderEvent): void => void actions.push({ type: 'event', event });

  const finish = (cancelled: boolean): void => {
    s.finished = true;
    actions.push({ type: 'finish', result: sendResult(config, s, cancelled, now) });
  };

  const transmit = (i: number, retransmission: boolean): void => {
    const r = s.receivers[i]!;
    r.sentAt = now;
    r.lastSendAt = now;
    if (!retransmission) r.firstSentAt = now;
    actions.push({ type: 'transmit', seq: s.sent, receiver: i, retransmission });
  };

  const fail = (i: number, reason: string): void => {
    const r = s.receivers[i]!;
    r.failure = reason;
    r.timeMs = now;
    if (!r.acked) s.pending--;
    emit({ type: 'receiver-failed', t: now, seq: s.seq, receiver: i, reason });
  };

  /** Rounds go when the pacer allows (slow motion, step, pause); held time is not held against a receiver. */
  const paced = (round: 'send' | 'resend'): void => {
    s.turn = { round, seq: s.seq, askedAt: now };
    actions.push({ type: 'wait-turn' });
  };

  const nextSegment = (): void => {
    s.seq++;
    if (s.seq > config.last) return finish(false);
    paced('send');
  };

  // Round k: segment k to every live receiver, one timer for the round.
  const sendSegment = (): void => {
    s.previous = s.sent;
    s.sent = s.seq;
    s.pending = 0;
    s.receivers.forEach((r, i) => {
      if (r.failure !== undefined) return;
      r.acked = false;
      r.resent = false;
      s.pending++;
      transmit(i, false);
    });
    if (s.pending === 0) return finish(false);
    actions.push({ type: 'arm', timer: 'round', ms: s.rto.rto });
  };

  const roundComplete = (): void => {
    actions.push({ type: 'clear', timer: 'round' });
    if (s.seq <= config.chunks) {
      s.bytesDone += payloadLength(config, s.seq);
      emit({
        type: 'progress',
        t: now,
        chunksDone: s.seq,
        chunks: config.chunks,
        bytesDone: s.bytesDone,
        fileSize: config.size,
      });
    }
    nextSegment();
  };

  const onTimeout = (): void => {
    s.timeoutRounds++;
    if (adaptive) s.rto = rtoBackoff(s.rto, config.minRtoMs);
    s.receivers.forEach((r, i) => {
      if (r.acked || r.failure !== undefined) return;
      if (config.receiverTimeoutMs > 0 && now - r.firstSentAt >= config.receiverTimeoutMs)
        return fail(i, silentReason(s.seq, config.receiverTimeoutMs));
      r.timeouts++;
      emit({ type: 'timeout', t: now, seq: s.seq, receiver: i });
    });
    if (s.pending === 0) return roundComplete();
    paced('resend');
  };

  // The retransmission rule: only to the receivers that have not ACKed.
  const resend = (): void => {
    s.receivers.forEach((r, i) => {
      if (r.acked || r.failure !== undefined) return;
      r.retransmissions++;
      r.resent = true;
      transmit(i, true);
    });
    actions.push({ type: 'arm', timer: 'round', ms: s.rto.rto });
  };

  /**
   * It has ACKed the end marker (or the last chunk, in a dialect without one): it has the whole file and needs
   * nothing more. A repeated marker could even start a new transfer there (an empty file's is segment 1).
   */
  const finishedWith = (r: Receiver): boolean => s.seq === config.last && r.acked;

  // Every receiver that has had no send for keepaliveMs gets the newest segment it has ACKed once more.
  const keepAlive = (): void => {
    s.receivers.forEach((r, i) => {
      if (r.failure !== undefined || now - r.lastSendAt < config.keepaliveMs || finishedWith(r)) return;
      const repeat = r.acked ? s.sent : s.previous;
      if (repeat === 0) return; // nothing ACKed yet: no transfer to keep alive
      r.lastSendAt = now;
      r.keepalives++;
      actions.push({ type: 'keepalive', seq: repeat, receiver: i });
    });
    actions.push({ type: 'arm', timer: 'keepalive', ms: config.keepaliveMs });
  };

  /** An ACK that leaves the round owing nothing completes it. */
  const failOwing = (i: number, reason: string): void => {
    const owed = !s.receivers[i]!.acked;
    fail(i, reason);
    if (owed && s.pending === 0) roundComplete();
  };

  const onAck = (i: number, acked: number): void => {
    const r = s.receivers[i]!;
    if (r.failure === undefined && acked === 0 && s.seq > 1 && !finishedWith(r)) {
      // A receiver only ACKs 0 before it has segment 1: it lost its state and its file cannot be whole.
      s.counters.stale++;
      return failOwing(i, `receiver restarted: it acknowledged 0 while at sequence number ${s.seq}`);
    }
    if (r.failure !== undefined || acked !== s.seq || r.acked) {
      s.counters.stale++; // stale or duplicate ACK, or from a receiver given up on: the timer handles the rest
      return;
    }
    s.counters.acks++;
    const sample = now - r.sentAt;
    r.acked = true;
    r.acks++;
    r.bytes += payloadLength(config, s.seq);
    r.timeMs = now;
    if (!r.resent) {
      r.rtt = addRtt(r.rtt, sample);
      if (adaptive) s.rto = rtoSample(s.rto, sample, config.minRtoMs);
    }
    emit({ type: 'ack', t: now, seq: s.seq, receiver: i, rttMs: sample });
    if (--s.pending === 0) roundComplete();
  };

  return {
    start: nextSegment,
    ack: onAck,
    refused: failOwing,
    timer: (timer) => (timer === 'keepalive' ? keepAlive() : onTimeout()),
    turn: () => {
      const turn = s.turn;
      s.turn = null;
      // A round for a segment that is no longer current is skipped.
      if (turn === null || turn.seq !== s.seq) return;
      const held = now - turn.askedAt;
      if (held > 0) for (const r of s.receivers) r.firstSentAt += held;
      if (turn.round === 'send') sendSegment();
      else resend();
    },
    finish,
  };
}
