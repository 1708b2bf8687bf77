// Selective Repeat from one sender to N receivers, beside stop-and-wait and Go-Back-N, as a pure machine (inputs
// and actions: sending.ts). It needs receivers that buffer out-of-order segments within the window and ACK each
// segment individually: ours agree to it through the offer (docs/PROTOCOL.md, "Selective Repeat"). A receiver
// that did not agree (a course receiver, --no-offer, an older receiver of ours) ACKs cumulatively, and gets
// Go-Back-N from this same machine: the summary says so for it.
//
// Textbook rules, per receiver r:
//   base_r = the oldest segment r does not have; every segment sent to r and not yet ACKed by it has its own
//   timer (one OS timer per receiver stands for them all: it is armed for the earliest deadline).
//   A new segment goes out (to every live receiver) while it lies within W of the lowest base of all live
//   receivers: a segment leaves the sender's buffer only when every live receiver has it.
//   ACK k from r: r has segment k (Go-Back-N fallback: r has 1..k). base_r moves past what r has.
//   SACK k + bitmap from r (it agreed to SACK through the offer): r has 1..k and the segments the bitmap names;
//   an ACK that claims a segment not sent yet is forged or garbled, and ignored. r may hold an ACK for the
//   delayed-ACK time D, so each of its timers runs for RTO + D. A segment r lacks while segments sent to r after
//   its last copy, the same way, have arrived (`lost`) goes again at once, to r only, at most MAX_FAST times
//   (fastRetransmit); its timer stays behind.
//   The retransmission rule, when the timer of segment k for r expires:
//     Selective Repeat: "Timeout, sequence number = k", and segment k alone goes again, to r only.
//     Go-Back-N (r did not agree): "Timeout, sequence number = base_r", and base_r..next-1 go again, to r only.
//   Either on the pacer's next turn (at once at full speed; a click in step mode, as every round), as what is
//   still expired then.
// Liveness is the others' (docs/PROTOCOL.md): r fails only when base_r has gone unACKed for the receiver timeout
// since its first send, not counting time the pacer held the transfer (a receiver that restarted has lost the
// agreement and its file: it ACKs 0 to everything and ends there), and a receiver with nothing outstanding gets
// the newest segment every receiver has again every keepalive period.
import type { SenderCounters } from '../events.js';
import { highestSacked, sacked } from '../protocol/sack.js';
import { addRtt } from './rtt.js';
import { initialRto, rtoAcked, rtoBackoff, type RtoState } from './rto.js';
import {
  askForNext,
  askTurn,
  hasRoom,
  emit,
  finish,
  keepalive,
  keepaliveTurn,
  newTally,
  payloadLength,
  quietReason,
  rearmKeepalives,
  restartedBy,
  restartReason,
  silentReason,
  heldBack,
  stepping,
  timedOut,
  type Ctx,
  type Rules,
  type SenderConfig,
  type SenderMachine,
  type Tally,
} from './sending.js';

/** A segment sent to a receiver and not ACKed by it yet (changed in place, as the whole state: sending.ts). */
interface Outstanding {
  readonly seq: number;
  /** Its last send (RTT samples) and when its timer expires. */
  sentAt: number;
  due: number;
  /** Its first send, on the transfer's clock (which stops while the pacer holds it): the receiver timeout. */
  firstSent: number;
  /** Sent more than once: its ACK is no RTT sample (Karn's rule). */
  resent: boolean;
  /** Where its last copy stands among all transmissions to this receiver (Receiver.sends): see `lost`. */
  serial: number;
  /** Times fastRetransmit sent it (at most MAX_FAST). */
  fasts: number;
  /** The deadline (`due`) whose expiry a timeout event reported; any other: its current timer's is not yet. */
  announced: number;
}

interface Receiver extends Tally {
  /** Its outstanding segments, by increasing sequence number. */
  out: Outstanding[];
  /** When its timer is armed to fire; null when it is not. */
  armedAt: number | null;
  lastSendAt: number;
  rto: RtoState;
  /** Its timer expired: the resend waits for the pacer's turn. */
  resendDue: boolean;
  /** SACK agreed: the time it may hold an ACK (added to every timer of its segments); 0 otherwise. */
  ackDelayMs: number;
  /** Transmissions to it so far; the newest segment known to have arrived by its first copy (first copies go to
   * every live receiver in sequence order), and the serial of the newest copy known to have arrived. */
  sends: number;
  firstDelivered: number;
  copyDelivered: number;
}

export interface SelectiveRepeatState {
  readonly config: SenderConfig;
  readonly receivers: readonly Receiver[];
  readonly counters: SenderCounters;
  /** The next new segment. */
  readonly next: number;
  /** The lowest base of the live receivers: segments below it have left the buffer. */
  readonly low: number;
  /** Time the pacer held the transfer so far: the transfer's clock is now - held. */
  readonly held: number;
  /** Transmission rounds so far: each new segment, and each timer expiry that resends. */
  readonly rounds: number;
  readonly timeoutRounds: number;
  /** When the pacer was asked for the next new segment; null when it is not asked. */
  readonly askedAt: number | null;
  readonly finished: boolean;
}

type Draft = { -readonly [K in keyof SelectiveRepeatState]: SelectiveRepeatState[K] } & {
  receivers: Receiver[];
};
type C = Ctx<Draft>;

/** Why a receiver gets Go-Back-N in a Selective Repeat transfer, as the summary says it. */
export const FALLBACK = {
  course: 'course mode, Go-Back-N: it cannot take Selective Repeat',
  /** No offer went out (--no-offer, a dialect): it was never asked, whatever it can take. */
  unoffered: 'course mode, Go-Back-N: Selective Repeat is agreed through the offer, and none was sent',
  verified: 'Go-Back-N: it did not agree to Selective Repeat (an older receiver)',
} as const;

const fallbackOf = (tally: Tally): string =>
  FALLBACK[tally.mode === 'course' && tally.offers === 0 ? 'unoffered' : tally.mode];

const live = (r: Receiver): boolean => r.failure === undefined;
const base = (s: Draft, r: Receiver): number => r.out[0]?.seq ?? s.next;
const lowestBase = (s: Draft): number =>
  s.receivers.reduce((low, r) => (live(r) ? Math.min(low, base(s, r)) : low), s.next);
const clock = (c: C): number => c.now - c.s.held;

/**
 * Sends segment seq to receiver i (`fast`: a fast retransmission, which views tell from a timer's); returns the
 * transmission's serial among all to that receiver.
 */
function transmit(c: C, i: number, seq: number, retransmission: boolean, fast = false): number {
  const r = c.s.receivers[i]!;
  r.lastSendAt = c.now;
  const action = { type: 'transmit', seq, receiver: i, retransmission, round: c.s.rounds } as const;
  c.actions.push(fast ? { ...action, fast: true } : action);
  return ++r.sends;
}

function arm(c: C, i: number, at: number): void {
  c.s.receivers[i]!.armedAt = at;
  c.actions.push({ type: 'arm', timer: i, ms: Math.max(1, at - c.now) });
}

function disarm(c: C, i: number): void {
  const r = c.s.receivers[i]!;
  if (r.armedAt !== null) c.actions.push({ type: 'clear', timer: i });
  r.armedAt = null;
}

/** New segments while the window has room, asking the pacer before each. */
const fill = (c: C): void => askForNext(c, c.s.low);

function sendNew(c: C): void {
  const { s, now } = c;
  const seq = s.next++;
  s.rounds++;
  s.receivers.forEach((r, i) => {
    if (!live(r)) return;
    const due = now + r.rto.rto + r.ackDelayMs;
    const serial = transmit(c, i, seq, false);
    r.out.push({
      seq,
      sentAt: now,
      due,
      firstSent: clock(c),
      resent: false,
      serial,
      fasts: 0,
      announced: -1,
    });
    // Its timer already runs for an earlier deadline; an idle one starts with this segment's.
    if (r.armedAt === null) arm(c, i, due);
  });
}

function fail(c: C, i: number, reason: string): void {
  const r = c.s.receivers[i]!;
  emit(c, { type: 'receiver-failed', t: c.now, seq: base(c.s, r), receiver: i, reason });
  r.failure = reason;
  r.timeMs = c.now;
  r.out = [];
  disarm(c, i);
  slide(c);
}

// The retransmission rule (see the top of this file): only the expired segments (Selective Repeat), or all that
// are outstanding (Go-Back-N), to this receiver only; then its timer for the earliest deadline left.
function onTimeout(c: C, i: number): void {
  const { s, now } = c;
  const { config } = s;
  const r = s.receivers[i]!;
  r.armedAt = null;
  const oldest = r.out[0];
  if (!live(r) || oldest === undefined) return;
  if (config.receiverTimeoutMs > 0 && clock(c) - oldest.firstSent >= config.receiverTimeoutMs)
    return fail(c, i, silentReason(oldest.seq, config.receiverTimeoutMs, r, config));
  const expired = expiredOf(r, now);
  if (expired.length > 0) {
    s.timeoutRounds++;
    if (config.rto === 'adaptive') r.rto = rtoBackoff(r.rto, config.minRtoMs);
    announce(c, i, expired);
    // Resent on the pacer's turn, as every round is (a click in step mode); no timer runs until then.
    r.resendDue = true;
    return askTurn(c);
  }
  arm(c, i, nextDeadline(r));
}

/** What a timer expiry resends: every segment whose timer ran out (Selective Repeat), or all from the base. */
const expiredOf = (r: Receiver, now: number): Outstanding[] =>
  r.selective ? r.out.filter((o) => o.due <= now) : r.out[0] && r.out[0].due <= now ? r.out : [];

/**
 * A timeout event for each timer among `expired` not yet reported (Selective Repeat's, one per segment; Go-Back-N's
 * one, its base's), so that no copy is resent without the expiry that sent it being seen.
 */
function announce(c: C, i: number, expired: readonly Outstanding[]): void {
  const { s, now } = c;
  const r = s.receivers[i]!;
  for (const o of r.selective ? expired : expired.slice(0, 1)) {
    if (o.announced === o.due) continue;
    o.announced = o.due;
    r.timeouts++;
    emit(c, timedOut(s.config, now, o.seq, i, now - r.heardAt));
  }
}

/** The resend after r's timer expired, on the pacer's turn: what is still expired then (ACKs may have come). */
function resend(c: C, i: number): void {
  const { s, now } = c;
  const r = s.receivers[i]!;
  r.resendDue = false;
  if (!live(r)) return;
  const expired = expiredOf(r, now);
  if (expired.length > 0) {
    // Timers that ran out while the resend waited for the pacer (a teaching pace): reported now, as the first was.
    announce(c, i, expired);
    s.rounds++;
    const due = now + r.rto.rto + r.ackDelayMs;
    for (const o of expired) {
      r.retransmissions++;
      o.serial = transmit(c, i, o.seq, true);
      o.sentAt = now;
      o.due = due;
      o.resent = true;
    }
  }
  if (r.out.length > 0) arm(c, i, nextDeadline(r));
}

/** When r's timer must fire next: its earliest segment timer (Selective Repeat), or its base's (Go-Back-N). */
const nextDeadline = (r: Receiver): number =>
  r.selective ? Math.min(...r.out.map((o) => o.due)) : r.out[0]!.due;

/** The window slid or a receiver left: free what everyone has, report progress, send more, or finish. */
function slide(c: C): void {
  const { s } = c;
  const { config } = s;
  const lowest = lowestBase(s);
  if (lowest > s.low) {
    s.low = lowest;
    const done = Math.min(lowest - 1, config.chunks);
    emit(c, {
      type: 'progress',
      t: c.now,
      chunksDone: done,
      chunks: config.chunks,
      bytesDone: Math.min(done * config.mss, config.size),
      fileSize: config.size,
    });
  }
  if (s.receivers.every((r) => !live(r) || (r.out.length === 0 && s.next > config.last)))
    return finish(c, false);
  fill(c);
}

/** What an ACK says r has, taken out of its outstanding segments: segment `acked` (Selective Repeat), 1..acked
 * and the bitmap's (SACK), or everything up to it (Go-Back-N). */
function acknowledged(r: Receiver, acked: number, bitmap: Uint8Array | undefined): Outstanding[] {
  if (r.sack) {
    // In place, and only up to the highest segment it names: with W = 256 most of out_r lies beyond.
    const out = r.out;
    const top = bitmap ? highestSacked(acked, bitmap) : acked;
    const have: Outstanding[] = [];
    let kept = 0;
    let k = 0;
    for (; k < out.length && out[k]!.seq <= top; k++) {
      const o = out[k]!;
      if (o.seq <= acked || (bitmap !== undefined && sacked(acked, bitmap, o.seq))) have.push(o);
      else out[kept++] = o;
    }
    if (kept < k) {
      for (; k < out.length; k++) out[kept++] = out[k]!;
      out.length = kept;
    }
    return have;
  }
  if (r.selective) {
    const at = r.out.findIndex((o) => o.seq === acked);
    return at < 0 ? [] : r.out.splice(at, 1);
  }
  const upTo = r.out.findIndex((o) => o.seq > acked);
  return r.out.splice(0, upTo < 0 ? r.out.length : upTo);
}

/**
 * Segments received beyond a missing one before it is taken for lost. Loss, not reordering, is what leaves such a
 * hole on a path that keeps order; one that reorders costs a needless copy now and then, never a wrong file.
 */
export const FAST_AFTER = 3;

/** Fast retransmissions of one segment at most: a copy lost again after that waits for its timer. */
export const MAX_FAST = 2;

/**
 * Whether segment o, which r still lacks, was lost. First copies go out in sequence order by one way (the
 * multicast group, or unicast), copies to r alone by unicast; the receiver reads a group and its unicast socket
 * in turns, so a copy and the first copies sent around it overtake each other by any amount when it lags (found
 * at W = 256): each is judged by its own kind. A first copy: FAST_AFTER first copies sent after it have arrived.
 * A copy: a copy sent at least FAST_AFTER transmissions after it has arrived (copies are sparse, one per loss:
 * waiting for FAST_AFTER of them let the window fill first).
 */
const lost = (r: Receiver, o: Outstanding): boolean =>
  o.resent ? o.serial + FAST_AFTER <= r.copyDelivered : o.seq + FAST_AFTER <= r.firstDelivered;

/**
 * What an ACK's newly covered segment o says arrived. A segment sent twice may have arrived by its older copy:
 * one ACKed sooner after its last copy than any round trip r has shown cannot be that copy (RACK, RFC 8985
 * section 6.2), and says nothing of the copies sent after it; without a sample yet, no copy counts.
 */
function delivered(r: Receiver, o: Outstanding, now: number): void {
  if (!o.resent) r.firstDelivered = Math.max(r.firstDelivered, o.seq);
  else if (now - o.sentAt >= r.rtt.min) r.copyDelivered = Math.max(r.copyDelivered, o.serial);
}

/**
 * SACK's fast retransmission: a segment r still lacks once segments of its kind sent to r after its last copy
 * have arrived (`lost`) goes again at once, to r only, one transmission round for all, instead of
 * waiting for its timer (RTO + D from now, which stays behind it); so does a lost copy, as in RACK (RFC 8985),
 * MAX_FAST times in all. No more copies go than the ACK took segments out of flight (`budget`, packet
 * conservation): a forged or garbled SACK cannot make the sender pour out its window.
 */
function fastRetransmit(c: C, i: number, budget: number): void {
  const { s, now } = c;
  const r = s.receivers[i]!;
  let round = false;
  for (const o of r.out) {
    if (budget === 0) break;
    if (o.fasts >= MAX_FAST || !lost(r, o)) continue;
    if (!round) s.rounds++;
    round = true;
    budget--;
    o.fasts++;
    o.resent = true;
    o.sentAt = now;
    o.due = now + r.rto.rto + r.ackDelayMs;
    r.retransmissions++;
    o.serial = transmit(c, i, o.seq, true, true);
  }
}

/** A SACK that claims a segment not sent yet: forged or garbled (ours never does), so it frees nothing. */
const claimsUnsent = (s: Draft, acked: number, bitmap: Uint8Array | undefined): boolean =>
  (bitmap === undefined ? acked : highestSacked(acked, bitmap)) >= s.next;

function onAck(c: C, i: number, acked: number, bitmap: Uint8Array | undefined): void {
  const { s, now } = c;
  const r = s.receivers[i]!;
  if (live(r) && restartedBy(r, acked, s.config.window)) {
    s.counters.stale++;
    return fail(c, i, restartReason(r));
  }
  const have = live(r) && !(r.sack && claimsUnsent(s, acked, bitmap)) ? acknowledged(r, acked, bitmap) : [];
  if (have.length === 0) {
    s.counters.stale++; // a duplicate or late ACK (its timer sees to the rest), or from a receiver given up on
    if (live(r) && !r.selective && r.out[0]) heldBack(r, acked, r.out[0].seq);
    return;
  }
  r.behind = 0;
  s.counters.acks++;
  for (const o of have) {
    r.acks++;
    r.bytes += payloadLength(s.config, o.seq);
    delivered(r, o, now);
  }
  const newest = have[have.length - 1]!;
  const rttMs = now - newest.sentAt;
  const sample = !have.some((o) => o.resent);
  if (sample) r.rtt = addRtt(r.rtt, rttMs);
  if (s.config.rto === 'adaptive') r.rto = rtoAcked(r.rto, sample ? rttMs : null, s.config.minRtoMs);
  // Go-Back-N's one timer, for the base, restarts when the base moves.
  const oldest = r.out[0];
  if (!r.selective && oldest) oldest.due = now + r.rto.rto;
  // A SACK may cover many segments: views learn each one (Selective Repeat's ACKs say which segments arrived, in
  // any order), the RTT sample being the newest's.
  if (r.sack)
    for (const o of have)
      emit(c, {
        type: 'ack',
        t: now,
        seq: o.seq,
        receiver: i,
        rttMs: now - o.sentAt,
        sample: sample && o === newest,
      });
  else emit(c, { type: 'ack', t: now, seq: acked, receiver: i, rttMs, sample });
  if (r.sack) fastRetransmit(c, i, have.length);
  r.timeMs = now;
  if (r.out.length === 0) disarm(c, i);
  slide(c);
}

function keepAlive(c: C): void {
  const { s, now } = c;
  s.receivers.forEach((r, i) => {
    if (!live(r)) return;
    const turn = keepaliveTurn(r, now, s.config);
    // Silent since a keepalive, even if segments have gone to it since (the window moved on without it).
    if (turn === 'silent') return fail(c, i, quietReason(s.config.receiverTimeoutMs));
    // Waiting with nothing outstanding (others hold the window, or the pace is held), and not done. It gets the
    // newest segment sent, which it has (kept: the window starts at the lowest base), even while no segment is
    // had by every receiver: one that never answered must not leave the others in silence.
    if (r.out.length > 0 || s.next > s.config.last || s.next === 1) return;
    if (turn === 'send') keepalive(c, r, i, s.next - 1);
  });
  if (!s.finished) rearmKeepalives(c, s.config, s.receivers);
}

function onTurn(c: C): void {
  const { s } = c;
  if (s.askedAt === null) return;
  s.held += c.now - s.askedAt;
  s.askedAt = null;
  s.receivers.forEach((r, i) => r.resendDue && resend(c, i));
  // Every new segment the window has room for, as Go-Back-N's turn (goBackN.ts onTurn).
  while (hasRoom(s, s.low)) sendNew(c);
  fill(c);
}

const rules: Rules<Draft> = {
  // Nothing at all to send (an empty file in a dialect without an end marker): done at once; so is a transfer
  // whose every receiver the offer left out (slide finishes it).
  start: (c) => (c.s.config.last === 0 ? finish(c, false) : slide(c)),
  ack: onAck,
  giveUp: fail,
  timer: (c, timer) => (typeof timer === 'number' ? onTimeout(c, timer) : keepAlive(c)),
  turn: onTurn,
  // Done: every segment sent (the end marker too) and none outstanding to it.
  finish: (c, cancelled) =>
    finish(c, cancelled, (i) => c.s.receivers[i]!.out.length === 0 && c.s.next > c.s.config.last),
};

export const selectiveRepeat: SenderMachine<SelectiveRepeatState> = {
  start: (config) => ({
    config,
    receivers: config.endpoints.map((_, i) => {
      const tally = newTally(config, i);
      const fallback = tally.selective || tally.failure !== undefined ? {} : { fallback: fallbackOf(tally) };
      return {
        ...tally,
        ...fallback,
        out: [],
        armedAt: null,
        lastSendAt: 0,
        rto: initialRto(config.timeoutMs),
        // SACK only as offered: an answer that claims it unasked changes nothing.
        sack: tally.sack === true && config.sack !== undefined,
        resendDue: false,
        ackDelayMs: tally.sack && config.sack ? config.sack.delayMs : 0,
        sends: 0,
        firstDelivered: 0,
        copyDelivered: 0,
      };
    }),
    counters: { ...config.counters },
    next: 1,
    low: 1,
    held: 0,
    rounds: 0,
    timeoutRounds: 0,
    askedAt: null,
    finished: false,
  }),
  step: (state, input, now) => stepping(state, input, now, rules),
  kept: (state) => Math.max(1, state.low - 1),
};
