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
//   again, to r only, on the pacer's next turn (at once at full speed; a click in step mode, as every round),
//   unless an ACK moved base_r and restarted its timer meanwhile.
//   The timer runs for T (the course's), or with the adaptive RTO for r's own RTO (rto.ts): learned from ACKs of
//   segments sent once (Karn's rule), doubled on each of r's timeouts until its next ACK of new data.
// Liveness is stop-and-wait's (docs/PROTOCOL.md): r fails only when base_r has gone unACKed for the receiver
// timeout since its first send (a receiver that restarted ACKs 0 forever and ends there), and a receiver with
// nothing outstanding gets the newest segment every receiver has again every keepalive period.
import type { SenderCounters } from '../events.js';
import { initialRto, rtoAcked, rtoBackoff, type RtoState } from './rto.js';
import { addRtt } from './rtt.js';
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

interface Receiver extends Tally {
  base: number;
  /** Its timer is armed. */
  armed: boolean;
  /** First send of `base`, moved on by time the pacer held the transfer. */
  baseSentAt: number;
  lastSendAt: number;
  /** Highest sequence number retransmitted to it: ACKs up to it are no RTT samples (Karn). */
  resentUpTo: number;
  rto: RtoState;
  /** Its timer expired: its go-back waits for the pacer's turn. */
  goBackDue: boolean;
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
  /** Transmission rounds so far: each new segment, and each go-back to one receiver. */
  readonly rounds: number;
  readonly timeoutRounds: number;
  /** When the pacer was asked for the next new segment; null when it is not asked. */
  readonly askedAt: number | null;
  readonly finished: boolean;
}

type Draft = { -readonly [K in keyof GoBackNState]: GoBackNState[K] } & { receivers: Receiver[] };
type C = Ctx<Draft>;

const live = (r: Receiver): boolean => r.failure === undefined;
const lowestBase = (s: Draft): number =>
  s.receivers.reduce((low, r) => (live(r) ? Math.min(low, r.base) : low), s.next);
const sentAt = (s: Draft, seq: number): number => s.firstSentAt[seq - s.low]!;

function transmit(c: C, i: number, seq: number, retransmission: boolean): void {
  const r = c.s.receivers[i]!;
  r.lastSendAt = c.now;
  if (seq === r.base && !retransmission) r.baseSentAt = c.now;
  c.actions.push({ type: 'transmit', seq, receiver: i, retransmission, round: c.s.rounds });
}

/** r's timer runs while it has segments outstanding. */
function arm(c: C, i: number): void {
  const r = c.s.receivers[i]!;
  const armed = r.base < c.s.next && live(r);
  if (armed) c.actions.push({ type: 'arm', timer: i, ms: r.rto.rto });
  else if (r.armed) c.actions.push({ type: 'clear', timer: i });
  r.armed = armed;
}

/** New segments while the window has room: the pacer is asked for a turn, which sends them. */
const fill = (c: C): void => askForNext(c, lowestBase(c.s));

function sendNew(c: C): void {
  const { s } = c;
  const seq = s.next++;
  s.rounds++;
  s.firstSentAt = [...s.firstSentAt, c.now];
  s.receivers.forEach((r, i) => {
    if (!live(r)) return;
    transmit(c, i, seq, false);
    if (!r.armed) arm(c, i);
  });
}

function fail(c: C, i: number, reason: string): void {
  const r = c.s.receivers[i]!;
  r.failure = reason;
  r.timeMs = c.now;
  if (r.armed) c.actions.push({ type: 'clear', timer: i });
  r.armed = false;
  emit(c, { type: 'receiver-failed', t: c.now, seq: r.base, receiver: i, reason });
  progress(c);
}

// Go back N: everything outstanding, to this receiver only.
function onTimeout(c: C, i: number): void {
  const { s, now } = c;
  const r = s.receivers[i]!;
  r.armed = false;
  if (!live(r)) return;
  s.timeoutRounds++;
  // A timeout, whether it is resent or given up on: counted and said alike (as stop-and-wait's).
  r.timeouts++;
  emit(c, timedOut(s.config, now, r.base, i, now - r.heardAt));
  if (s.config.receiverTimeoutMs > 0 && now - r.baseSentAt >= s.config.receiverTimeoutMs)
    return fail(c, i, silentReason(r.base, s.config.receiverTimeoutMs, r, s.config));
  if (s.config.rto === 'adaptive') r.rto = rtoBackoff(r.rto, s.config.minRtoMs);
  r.goBackDue = true;
  askTurn(c);
}

/** The go-back of a receiver whose timer expired, on the pacer's turn (unless its ACKs came in meanwhile). */
function goBack(c: C, i: number): void {
  const { s } = c;
  const r = s.receivers[i]!;
  r.goBackDue = false;
  if (!live(r) || r.base >= s.next) return;
  s.rounds++;
  for (let seq = r.base; seq < s.next; seq++) {
    r.retransmissions++;
    transmit(c, i, seq, true);
  }
  r.resentUpTo = s.next - 1;
  arm(c, i);
}

/** The window slid or a receiver left: free what everyone has, report progress, send more, or finish. */
function progress(c: C): void {
  const { s } = c;
  const { config } = s;
  const lowest = lowestBase(s);
  if (lowest > s.low) {
    s.allHave = lowest - 1;
    s.firstSentAt = s.firstSentAt.slice(lowest - s.low);
    s.low = lowest;
  }
  const done = Math.min(lowest - 1, config.chunks);
  emit(c, {
    type: 'progress',
    t: c.now,
    chunksDone: done,
    chunks: config.chunks,
    bytesDone: Math.min(done * config.mss, config.size),
    fileSize: config.size,
  });
  if (s.receivers.every((r) => !live(r) || r.base > config.last)) return finish(c, false);
  fill(c);
}

function onAck(c: C, i: number, acked: number): void {
  const { s, now } = c;
  const r = s.receivers[i]!;
  if (live(r) && restartedBy(r, acked, s.config.window)) {
    s.counters.stale++;
    return fail(c, i, restartReason(r));
  }
  if (!live(r) || acked < r.base || acked >= s.next) {
    s.counters.stale++; // a duplicate or late ACK (GBN just waits for its timer), or from a receiver given up on
    if (live(r)) heldBack(r, acked, r.base);
    return;
  }
  r.behind = 0;
  s.counters.acks++;
  for (let seq = r.base; seq <= acked; seq++) {
    r.acks++;
    r.bytes += payloadLength(s.config, seq);
  }
  const sample = acked > r.resentUpTo ? now - sentAt(s, acked) : null;
  if (s.config.rto === 'adaptive') r.rto = rtoAcked(r.rto, sample, s.config.minRtoMs);
  if (sample !== null) {
    r.rtt = addRtt(r.rtt, sample);
    emit(c, { type: 'ack', t: now, seq: acked, receiver: i, rttMs: sample, sample: true });
  } else emit(c, { type: 'ack', t: now, seq: acked, receiver: i, rttMs: now - r.lastSendAt, sample: false });
  r.base = acked + 1;
  // The receiver timeout counts from the new base's first send (now, if it has not gone out yet).
  r.baseSentAt = r.base < s.next ? sentAt(s, r.base) : now;
  r.timeMs = now;
  // Its timer restarts with the new base: a go-back its old timer asked for is not due any more.
  r.goBackDue = false;
  arm(c, i);
  progress(c);
}

function keepAlive(c: C): void {
  const { s, now } = c;
  s.receivers.forEach((r, i) => {
    if (!live(r)) return;
    const turn = keepaliveTurn(r, now, s.config);
    // Silent since a keepalive, even if segments have gone to it since (the window moved on without it).
    if (turn === 'silent') return fail(c, i, quietReason(s.config.receiverTimeoutMs));
    // Waiting with nothing outstanding (others hold the window, or the pace is held), and not done. It gets the
    // newest segment it has (kept: the window starts at the lowest base), even while no segment is had by every
    // receiver: one that never answered must not leave the others in silence.
    if (r.base < s.next || r.base > s.config.last || r.base === 1) return;
    if (turn === 'send') keepalive(c, r, i, r.base - 1);
  });
  if (!s.finished) rearmKeepalives(c, s.config, s.receivers);
}

function onTurn(c: C): void {
  const { s } = c;
  if (s.askedAt === null) return;
  const held = c.now - s.askedAt;
  s.askedAt = null;
  if (held > 0) for (const r of s.receivers) r.baseSentAt += held;
  s.receivers.forEach((r, i) => r.goBackDue && goBack(c, i));
  // A turn sends every new segment the window has room for: at a teaching pace a window leaves together, as at
  // full speed, not one segment a round (which, with each ACK back before the next, looked like stop-and-wait).
  while (hasRoom(s, lowestBase(s))) sendNew(c);
  fill(c);
}

const rules: Rules<Draft> = {
  // Nothing at all to send (an empty file in a dialect without an end marker), or nobody the offer did not leave
  // out (declined, wrong session code): done at once.
  start: (c) => (c.s.config.last === 0 || !c.s.receivers.some(live) ? finish(c, false) : fill(c)),
  ack: onAck,
  giveUp: fail,
  timer: (c, timer) => (typeof timer === 'number' ? onTimeout(c, timer) : keepAlive(c)),
  turn: onTurn,
  finish: (c, cancelled) => finish(c, cancelled, (i) => c.s.receivers[i]!.base > c.s.config.last),
};

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
      goBackDue: false,
      rto: initialRto(config.timeoutMs),
    })),
    counters: { ...config.counters },
    next: 1,
    low: 1,
    firstSentAt: [],
    allHave: 0,
    rounds: 0,
    timeoutRounds: 0,
    askedAt: null,
    finished: false,
  }),
  step: (state, input, now) => stepping(state, input, now, rules),
  kept: (state) => (state.allHave > 0 ? state.allHave : state.low),
};
