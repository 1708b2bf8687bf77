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
import type { SenderCounters } from '../events.js';
import { addRtt } from './rtt.js';
import { initialRto, rtoAcked, rtoBackoff, type RtoState } from './rto.js';
import {
  emit,
  finish,
  LOST_TRANSFER,
  keepalive,
  keepaliveTurn,
  newTally,
  payloadLength,
  quietReason,
  rearmKeepalives,
  silentReason,
  stepping,
  timedOut,
  wireSeq,
  type Ctx,
  type Rules,
  type SenderConfig,
  type SenderMachine,
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
  /** ACKs in a row of the segment after the current one, never sent: see AHEAD_ACKS. */
  ahead: number;
}

/**
 * ACKs in a row of a segment not sent yet (the one after the current) that give a receiver up at once: no receiver
 * of the course's numbering can send one, and one that ACKs the segment it expects next (--dialect ack-next) sends
 * nothing else. Without this rule it was given up 30 s later, after a timeout line every T.
 */
export const AHEAD_ACKS = 3;

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
  /** Transmission rounds so far: round k, and each resend of it. */
  readonly rounds: number;
  readonly timeoutRounds: number;
  /** The round asked of the pacer, and when; null when none waits. */
  readonly turn: { round: 'send' | 'resend'; seq: number; askedAt: number } | null;
  readonly finished: boolean;
}

type Draft = { -readonly [K in keyof StopAndWaitState]: StopAndWaitState[K] } & { receivers: Receiver[] };
type C = Ctx<Draft>;

function transmit(c: C, i: number, retransmission: boolean): void {
  const r = c.s.receivers[i]!;
  r.sentAt = c.now;
  r.lastSendAt = c.now;
  if (!retransmission) r.firstSentAt = c.now;
  c.actions.push({ type: 'transmit', seq: c.s.sent, receiver: i, retransmission, round: c.s.rounds });
}

function fail(c: C, i: number, reason: string): void {
  const r = c.s.receivers[i]!;
  r.failure = reason;
  r.timeMs = c.now;
  if (!r.acked) c.s.pending--;
  emit(c, { type: 'receiver-failed', t: c.now, seq: c.s.seq, receiver: i, reason });
}

/** Rounds go when the pacer allows (slow motion, step, pause); held time is not held against a receiver. */
function paced(c: C, round: 'send' | 'resend'): void {
  c.s.turn = { round, seq: c.s.seq, askedAt: c.now };
  c.actions.push({ type: 'wait-turn' });
}

function nextSegment(c: C): void {
  c.s.seq++;
  if (c.s.seq > c.s.config.last) return finish(c, false);
  paced(c, 'send');
}

// Round k: segment k to every live receiver, one timer for the round.
function sendSegment(c: C): void {
  const { s } = c;
  s.previous = s.sent;
  s.sent = s.seq;
  s.pending = 0;
  s.rounds++;
  s.receivers.forEach((r, i) => {
    if (r.failure !== undefined) return;
    r.acked = false;
    r.resent = false;
    s.pending++;
    transmit(c, i, false);
  });
  if (s.pending === 0) return finish(c, false);
  c.actions.push({ type: 'arm', timer: 'round', ms: s.rto.rto });
}

function roundComplete(c: C): void {
  const { s } = c;
  c.actions.push({ type: 'clear', timer: 'round' });
  // Completed only by receivers given up on: nobody has this segment, and nothing more can be delivered.
  if (!s.receivers.some((r) => r.failure === undefined && r.acked)) return finish(c, false);
  if (s.seq <= s.config.chunks) {
    s.bytesDone += payloadLength(s.config, s.seq);
    emit(c, {
      type: 'progress',
      t: c.now,
      chunksDone: s.seq,
      chunks: s.config.chunks,
      bytesDone: s.bytesDone,
      fileSize: s.config.size,
    });
  }
  nextSegment(c);
}

function onTimeout(c: C): void {
  const { s, now } = c;
  const { config } = s;
  s.timeoutRounds++;
  if (config.rto === 'adaptive') s.rto = rtoBackoff(s.rto, config.minRtoMs);
  s.receivers.forEach((r, i) => {
    if (r.acked || r.failure !== undefined) return;
    // A timeout, whether it is resent or given up on: each expiry is one in its Timeouts, its "Timeout," line and
    // the total's timeout rounds alike (the one that gave up was missing from the first two).
    r.timeouts++;
    emit(c, timedOut(config, now, s.seq, i, now - r.heardAt));
    if (config.receiverTimeoutMs > 0 && now - r.firstSentAt >= config.receiverTimeoutMs)
      fail(c, i, silentReason(s.seq, config.receiverTimeoutMs, r, config));
  });
  if (s.pending === 0) return roundComplete(c);
  paced(c, 'resend');
}

// The retransmission rule: only to the receivers that have not ACKed.
function resend(c: C): void {
  c.s.rounds++;
  c.s.receivers.forEach((r, i) => {
    if (r.acked || r.failure !== undefined) return;
    r.retransmissions++;
    r.resent = true;
    transmit(c, i, true);
  });
  c.actions.push({ type: 'arm', timer: 'round', ms: c.s.rto.rto });
}

/**
 * It has ACKed the end marker (or the last chunk, in a dialect without one): it has the whole file and needs
 * nothing more. A repeated marker could even start a new transfer there (an empty file's is segment 1).
 */
const finishedWith = (s: Draft, r: Receiver): boolean => s.seq === s.config.last && r.acked;

// Every receiver that has had no send for keepaliveMs gets the newest segment it has ACKed once more; one that
// stopped answering them is given up on (sending.ts keepaliveTurn).
function keepAlive(c: C): void {
  const { s } = c;
  s.receivers.forEach((r, i) => {
    if (r.failure !== undefined || finishedWith(s, r)) return;
    const repeat = r.acked ? s.sent : s.previous;
    if (repeat === 0) return; // nothing ACKed yet: no transfer to keep alive
    const turn = keepaliveTurn(r, c.now, s.config);
    if (turn === 'silent') failOwing(c, i, quietReason(s.config.receiverTimeoutMs));
    else if (turn === 'send') keepalive(c, r, i, repeat);
  });
  if (!s.finished) rearmKeepalives(c, s.config, s.receivers);
}

/** A receiver that leaves the round owing nothing completes it. */
function failOwing(c: C, i: number, reason: string): void {
  const owed = !c.s.receivers[i]!.acked;
  fail(c, i, reason);
  if (owed && c.s.pending === 0) roundComplete(c);
}

function onAck(c: C, i: number, acked: number): void {
  const { s, now } = c;
  const r = s.receivers[i]!;
  if (r.failure === undefined && acked === 0 && s.seq > 1 && !finishedWith(s, r)) {
    // A receiver only ACKs 0 before it has segment 1: it lost its state and its file cannot be whole.
    s.counters.stale++;
    return failOwing(
      c,
      i,
      `${LOST_TRANSFER}: it acknowledged 0 while at sequence number ${wireSeq(s.config, s.seq)}`,
    );
  }
  if (r.failure === undefined && !r.acked && acked === s.seq + 1 && ++r.ahead >= AHEAD_ACKS) {
    s.counters.stale++;
    return failOwing(
      c,
      i,
      `it ACKed sequence number ${wireSeq(s.config, acked)} ${r.ahead} times while ${wireSeq(s.config, s.seq)} ` +
        'was the last one sent: it ACKs the segment it expects next, not the one it got. Send to it with ' +
        '--dialect ack-next (p2mpcheck server tells its dialect)',
    );
  }
  if (r.failure !== undefined || acked !== s.seq || r.acked) {
    s.counters.stale++; // stale or duplicate ACK, or from a receiver given up on: the timer handles the rest
    return;
  }
  r.ahead = 0;
  s.counters.acks++;
  const sample = now - r.sentAt;
  r.acked = true;
  r.acks++;
  r.bytes += payloadLength(s.config, s.seq);
  r.timeMs = now;
  if (!r.resent) r.rtt = addRtt(r.rtt, sample);
  if (s.config.rto === 'adaptive') s.rto = rtoAcked(s.rto, r.resent ? null : sample, s.config.minRtoMs);
  emit(c, { type: 'ack', t: now, seq: s.seq, receiver: i, rttMs: sample, sample: !r.resent });
  if (--s.pending === 0) roundComplete(c);
}

function onTurn(c: C): void {
  const { s } = c;
  const turn = s.turn;
  s.turn = null;
  // A round for a segment that is no longer current is skipped.
  if (turn === null || turn.seq !== s.seq) return;
  const held = c.now - turn.askedAt;
  if (held > 0) for (const r of s.receivers) r.firstSentAt += held;
  if (turn.round === 'send') sendSegment(c);
  else resend(c);
}

const rules: Rules<Draft> = {
  start: nextSegment,
  ack: onAck,
  giveUp: failOwing,
  timer: (c, timer) => (timer === 'keepalive' ? keepAlive(c) : onTimeout(c)),
  turn: onTurn,
  // Done: its ACK of the end marker in (every receiver moves on together).
  finish: (c, cancelled) =>
    finish(
      c,
      cancelled,
      (i) => c.s.seq > c.s.config.last || (c.s.seq === c.s.config.last && c.s.receivers[i]!.acked),
    ),
};

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
      ahead: 0,
    })),
    counters: { ...config.counters },
    rto: initialRto(config.timeoutMs),
    seq: 0,
    sent: 0,
    previous: 0,
    pending: 0,
    bytesDone: 0,
    rounds: 0,
    timeoutRounds: 0,
    turn: null,
    finished: false,
  }),
  step: (state, input, now) => stepping(state, input, now, rules),
  kept: (state) => Math.max(1, state.previous),
};
