// What the sender machines (stop-and-wait: stopAndWait.ts, Go-Back-N: goBackN.ts, Selective Repeat:
// selectiveRepeat.ts) take and give, and what they share: the per-receiver tally, counting what reached the
// socket, and the result a user sees. Pure and sans-I/O: a machine never touches a socket, a timer or a file; the
// shell (src/shared/node/sender.ts) does what its actions say and feeds it what happens. Segments are the
// engine's numbers: 1..chunks, then the end marker.
import type {
  ReceiverEndpoint,
  ReceiverSummary,
  SendResult,
  SenderCounters,
  SenderEvent,
} from '../events.js';
import type { SackTerms } from '../offer/message.js';
import { ELSEWHERE_ANSWERS, type OfferState } from '../offer/offerPhase.js';
import { NO_RTT, rttStats, type RttSum } from './rtt.js';
import type { RtoMode } from './rto.js';
import { isWindowed, type Protocol } from '../limits.js';
import { hostOf } from '../format.js';

/** Everything a sender machine needs to know about the transfer, fixed before it starts. */
export interface SenderConfig {
  /** Which machine runs it (the result says so: a timeout means something else in each). */
  protocol: Protocol;
  endpoints: readonly ReceiverEndpoint[];
  size: number;
  mss: number;
  chunks: number;
  /** The last segment: the end marker (chunks + 1), or the last chunk in a dialect without one. */
  last: number;
  /** The end signal carries no number (a FIN): it may go out only once every receiver has every chunk. */
  endAfterAll: boolean;
  profile: string;
  timeoutMs: number;
  /** 0: wait forever. */
  receiverTimeoutMs: number;
  /** 0: never. */
  keepaliveMs: number;
  rto: RtoMode;
  minRtoMs: number;
  /** The window of Go-Back-N and Selective Repeat, in segments. */
  window: number;
  /** Selective Repeat: the SACK terms offered; receivers that agreed (Outcome.sack) ACK on them. */
  sack?: SackTerms;
  /** What the offer made of each receiver (by index): its mode, or the refusal that leaves it out. */
  outcomes: readonly Outcome[];
  /** What reached the socket before the data (the offer phase's answers and noise). */
  counters: SenderCounters;
  /** How long the offer phase took, before the machine started (absent: no offer). */
  offerMs?: number;
  /**
   * Segment k's number on the wire, in the sender's dialect (numbered from 0, by bytes): what its failure reasons
   * say, as its timeout lines and the receiver's own lines do. Absent: k.
   */
  wire?: (seq: number) => number;
}

/** Segment `seq` as the wire numbers it (SenderConfig.wire). */
export const wireSeq = (config: SenderConfig, seq: number): number => config.wire?.(seq) ?? seq;

/**
 * Receiver `receiver`'s timeout of segment `seq` at `t`, nothing heard from it for `quietMs`; with the segment's
 * number on the wire where the dialect numbers it otherwise.
 */
export function timedOut(
  config: SenderConfig,
  t: number,
  seq: number,
  receiver: number,
  quietMs: number,
): SenderEvent {
  const wire = wireSeq(config, seq);
  return { type: 'timeout', t, seq, ...(wire === seq ? {} : { wire }), receiver, quietMs };
}

/**
 * A timer of the machine: the round's (stop-and-wait), a receiver's (Go-Back-N, Selective Repeat: by index),
 * the keepalives.
 */
export type TimerKey = 'round' | 'keepalive' | number;

/** An ACK from the port of `receivers` at `from`, an address none of them has ("address:port"). */
export interface Elsewhere {
  receivers: readonly number[];
  from: string;
}

export type SenderInput =
  | { type: 'start' }
  /**
   * An ACK from receiver `receiver`: it has segments 1..acked in order; or, from a receiver that agreed to
   * Selective Repeat, it has segment `acked`; or, from one that agreed to SACK too, it has 1..acked and the
   * segments `bitmap` names beyond (protocol/sack.ts; absent: none).
   */
  | { type: 'ack'; receiver: number; acked: number; bitmap?: Uint8Array }
  /** One of ours found the file is not what was offered (its SHA-256 check failed): it keeps nothing. */
  | { type: 'refused'; receiver: number; reason: string }
  /** One of ours kept the file under another name than the offered one (taken there, or made safe). */
  | { type: 'kept'; receiver: number; name: string }
  /**
   * A datagram that is no ACK of a receiver: from elsewhere, unreadable, or numbered like no segment. `elsewhere`:
   * an ACK from the port of these receivers (all of them at that port) at an address none of them has.
   */
  /** `receiver`: it came from that receiver's address and port (it answers, but not as this sender reads ACKs). */
  | { type: 'noise'; kind: 'foreign' | 'malformed' | 'stale'; receiver?: number; elsewhere?: Elsewhere }
  | { type: 'timer'; timer: TimerKey }
  /** The pacer let the round asked for go. */
  | { type: 'turn' }
  | { type: 'cancel' };

export type SenderAction =
  /**
   * Segment `seq` to receiver `receiver`, in transmission round `round`; the shell reports it as a 'send' event.
   * `fast`: a retransmission before its timer expired (Selective Repeat's fast retransmission).
   */
  | { type: 'transmit'; seq: number; receiver: number; retransmission: boolean; round: number; fast?: true }
  /** Segment `seq`, already ACKed, again to a receiver that has waited keepaliveMs without a send. */
  | { type: 'keepalive'; seq: number; receiver: number }
  /** (Re)arms the timer: one expiry, `ms` from now. */
  | { type: 'arm'; timer: TimerKey; ms: number }
  | { type: 'clear'; timer: TimerKey }
  /** Ask the pacer for the next round's turn (answered by a 'turn' input). */
  | { type: 'wait-turn' }
  | { type: 'event'; event: SenderEvent }
  /** The transfer is over: release everything, then report `result` (the 'done' event). */
  | { type: 'finish'; result: SendResult };

export interface Step<S> {
  state: S;
  actions: SenderAction[];
}

export interface SenderMachine<S> {
  start(config: SenderConfig): S;
  /** Takes `state` over (it may change in place): keep only the state the step returns. */
  step(state: S, input: SenderInput, now: number): Step<S>;
  /** No segment below this is sent again: the shell may forget their bytes. */
  kept(state: S): number;
}

/** What either protocol keeps per receiver for the summary. */
export interface Tally {
  failure: string | undefined;
  acks: number;
  timeouts: number;
  retransmissions: number;
  keepalives: number;
  rtt: RttSum;
  bytes: number;
  timeMs: number;
  /** 'verified': it accepted the offer and checks the SHA-256 before keeping the file; 'course': it cannot. */
  mode: 'verified' | 'course';
  /** Offers sent to it before the data. */
  offers: number;
  /** It agreed through the offer to Selective Repeat: it buffers within the window and ACKs each segment. */
  selective?: boolean;
  /** It agreed to SACK too: its ACKs are cumulative with a bitmap, on the offered terms. */
  sack?: boolean;
  /** Its accept said that it checksums every ACK: one that does not match is dropped. */
  summed?: boolean;
  /** The name it kept the file under, when not the offered one. */
  keptAs?: string;
  /** Why it gets Go-Back-N in a Selective Repeat transfer. */
  fallback?: string;
  /** The first keepalive sent to it since it last ACKed anything; null when it has answered (keepaliveTurn). */
  probedSince: number | null;
  /** The segment the last keepalive to it carried: an ACK of that number answers it. */
  probeSeq: number;
  /** It re-ACKs a duplicate: it is ours, or it has answered a keepalive. Only such a receiver's silence counts. */
  answers: boolean;
  /** When an ACK of any kind (a duplicate too) last came from it. */
  heardAt: number;
  /** Datagrams from its address and port: ACKs of a number other than 0, and what this sender could not read as one. */
  answered: number;
  /** Its ACKs 0 ("nothing yet"): what a course receiver says when it has no transfer (it ended it, or refused it). */
  nothing: number;
  /** ACKs 0 in a row since it last ACKed anything else (restartedBy). */
  zeros: number;
  /** Cumulative ACKs of the segment just before the one it owes, since it last ACKed a new one (heldBack). */
  behind: number;
  /**
   * ACKs from its port at another address, while it has not ACKed from its own (null once it has: any later ones
   * are someone else's): its machine answering from another of its addresses (answeredFromElsewhere).
   */
  elsewhere: number | null;
}

/** What the offer phase made of a receiver. */
export type Outcome = Pick<Tally, 'mode' | 'failure' | 'offers' | 'selective' | 'sack' | 'summed'>;

/** Why a receiver gets nothing, by what the offer made of it (session code). */
const OFFER_FAILURES: Partial<Record<OfferState['kind'], string>> = {
  'wrong-code': 'wrong code: it cannot open our datagrams (it was given another session code)',
  'no-code':
    'it has no session code: start it with --code and the same code (or Receive mode with the code), or send without one',
  silent:
    'no answer sealed with the session code: is that machine on and reachable, and its receiver listening with ' +
    'this code and the same wire profile (p2mpserver --code and --profile, or Receive mode)?',
  cancelled: 'cancelled',
};

/** How answersFrom starts: such a receiver did answer (a report must not ask whether it is there). */
export const ANSWERS_FROM = 'it answers from ';

/** Why a receiver that answers only from another address of its machine gets nothing (engine and offer alike). */
export const answersFrom = (from: string): string =>
  `${ANSWERS_FROM}${from}, another address of its machine (a receiver listening on every address answers ` +
  `from the one its system picks): bind it to the address you send to ` +
  `(p2mpserver --bind, Receive mode's bind address), or send to ${hostOf(from)}`;

/**
 * A silent receiver that did challenge us (so it has the code) and was sent our proofs: what never came back is
 * the answer to the offer, which only our datagrams reaching it would bring.
 */
const provenButSilent = (proofs: number): string =>
  `it has the session code (it challenged us and was sent ${proofs} ${proofs === 1 ? 'proof' : 'proofs'}) ` +
  'but never answered the offer: our datagrams are lost on the way to it (its p, or the network)';

/**
 * What the offer made of a receiver (no state: no offer was made): its mode, or why it gets nothing. `proofs`:
 * the challenges of its that a session code's layer answered.
 */
export function offerOutcome(state: OfferState | undefined, offers = 0, proofs = 0): Outcome {
  if (state?.kind === 'declined') return { mode: 'verified', failure: `declined: ${state.reason}`, offers };
  if (state?.kind === 'elsewhere') return { mode: 'verified', failure: answersFrom(state.from), offers };
  if (state?.kind === 'silent' && proofs > 0)
    return { mode: 'verified', failure: provenButSilent(proofs), offers };
  const failure = state && OFFER_FAILURES[state.kind];
  if (failure) return { mode: 'verified', failure, offers };
  if (state?.kind !== 'accepted') return { mode: 'course', failure: undefined, offers };
  return {
    mode: 'verified',
    failure: undefined,
    offers,
    ...(state.selective ? { selective: true } : {}),
    ...(state.selective && state.sack ? { sack: true } : {}),
    ...(state.summed ? { summed: true } : {}),
  };
}

/** Receiver i before the first send. */
export function newTally(config: SenderConfig, i: number): Tally {
  return {
    ...config.outcomes[i]!,
    acks: 0,
    timeouts: 0,
    retransmissions: 0,
    keepalives: 0,
    rtt: NO_RTT,
    bytes: 0,
    timeMs: 0,
    probedSince: null,
    probeSeq: 0,
    answers: config.outcomes[i]!.mode === 'verified',
    heardAt: 0,
    answered: 0,
    nothing: 0,
    zeros: 0,
    behind: 0,
    elsewhere: 0,
  };
}

/** Payload bytes of segment `seq`: mss, less for the last chunk, none for the end marker. */
export const payloadLength = (config: SenderConfig, seq: number): number =>
  seq > config.chunks ? 0 : Math.min(config.mss, config.size - (seq - 1) * config.mss);

/** A step in progress: the state it changes, the actions so far, and the time. */
export interface Ctx<D> {
  s: D;
  actions: SenderAction[];
  now: number;
}

/** What a protocol does with each input; what both do alike (counting, starting, cancelling) is `stepping`'s. */
export interface Rules<D> {
  /** After the 'start' event. */
  start(c: Ctx<D>): void;
  ack(c: Ctx<D>, receiver: number, acked: number, bitmap: Uint8Array | undefined): void;
  /** Gives up on a receiver not given up on yet: it refused the file, or it answers from another address. */
  giveUp(c: Ctx<D>, receiver: number, reason: string): void;
  timer(c: Ctx<D>, timer: TimerKey): void;
  turn(c: Ctx<D>): void;
  finish(c: Ctx<D>, cancelled: boolean): void;
}

interface MachineState {
  readonly config: SenderConfig;
  readonly receivers: readonly Tally[];
  readonly counters: SenderCounters;
  readonly finished: boolean;
}

/**
 * One step of a sender machine. The step takes the state over and changes it in place: copying it for every ACK
 * cost more than the rest of a stop-and-wait round, so the caller keeps only the state a step returns. A finished
 * machine takes no more input.
 */
export function stepping<S extends MachineState, D>(
  state: S,
  input: SenderInput,
  now: number,
  rules: Rules<D>,
): Step<S> {
  const actions: SenderAction[] = [];
  const s = state;
  if (s.finished) return { state: s, actions };
  const c: Ctx<D> = { s: s as unknown as D, actions, now };
  if (!counted(s.counters, input, s.receivers)) {
    if (input.type === 'noise' && input.receiver !== undefined) s.receivers[input.receiver]!.answered++;
    if (input.type === 'noise' && input.elsewhere)
      answeredFromElsewhere(c, s.receivers, input.elsewhere, rules);
    return { state: s, actions };
  }
  switch (input.type) {
    case 'start':
      actions.push(...started(s.config));
      rules.start(c);
      break;
    case 'ack':
      heard(s.receivers[input.receiver]!, input.acked, now);
      rules.ack(c, input.receiver, input.acked, input.bitmap);
      break;
    case 'refused':
      if (s.receivers[input.receiver]!.failure === undefined) rules.giveUp(c, input.receiver, input.reason);
      break;
    case 'kept':
      s.receivers[input.receiver]!.keptAs = input.name;
      break;
    case 'timer':
      rules.timer(c, input.timer);
      break;
    case 'turn':
      rules.turn(c);
      break;
    case 'cancel':
      rules.finish(c, true);
      break;
  }
  return { state: s, actions };
}

/** Ends the transfer: the result as it stands now. */
export function finish(
  c: Ctx<{
    config: SenderConfig;
    receivers: readonly Tally[];
    counters: SenderCounters;
    timeoutRounds: number;
    finished: boolean;
  }>,
  cancelled: boolean,
  /** Whether receiver i has the whole file (its end marker ACKed): a cancel then leaves it done. */
  done: (i: number) => boolean = () => false,
): void {
  c.s.finished = true;
  c.actions.push({ type: 'finish', result: sendResult(c.s.config, c.s, cancelled, c.now, done) });
}

export const emit = <D>(c: Ctx<D>, event: SenderEvent): void => void c.actions.push({ type: 'event', event });

/**
 * An ACK from the port of `elsewhere.receivers` at an address none of them has: one of them (bound to every
 * address of a machine with several) answering from the one its system picks, which its ACKs can never be taken
 * from (anyone can send from any port). Counted for the one that has not ACKed from its own address, when only one
 * has not; ELSEWHERE_ANSWERS of them and it is given up on at once, with the fix, not a receiver timeout later.
 */
function answeredFromElsewhere<D>(
  c: Ctx<D>,
  receivers: readonly Tally[],
  { receivers: at, from }: Elsewhere,
  rules: Rules<D>,
): void {
  const unheard = at.filter((i) => receivers[i]!.failure === undefined && receivers[i]!.elsewhere !== null);
  if (unheard.length !== 1) return; // none, or several it could stand for
  const i = unheard[0]!;
  const r = receivers[i]!;
  r.elsewhere = r.elsewhere! + 1;
  if (r.elsewhere >= ELSEWHERE_ANSWERS) rules.giveUp(c, i, answersFrom(from));
}

/**
 * Counts a datagram that reached the socket (every input from it), and says whether it is an ACK, a refusal or a
 * kept name the machine should act on: noise, and answers from a course receiver (which cannot give them), are
 * only counted.
 */
function counted(counters: SenderCounters, input: SenderInput, receivers: readonly Tally[]): boolean {
  if (input.type !== 'ack' && input.type !== 'refused' && input.type !== 'kept' && input.type !== 'noise')
    return true;
  counters.received++;
  if (input.type === 'noise') counters[input.kind]++;
  else if (input.type === 'refused' || input.type === 'kept') {
    if (receivers[input.receiver]!.mode !== 'verified') {
      counters.malformed++;
      return false;
    }
    counters.answers = (counters.answers ?? 0) + 1;
  }
  return input.type !== 'noise';
}

/**
 * The windowed protocols' sending rule: the next new segment may go once the pacer allows, while it lies within
 * W of `lowest` (the lowest base of the live receivers); an end signal that carries no number (a FIN) only once
 * every receiver has every chunk.
 */
export function askForNext(
  c: Ctx<{ config: SenderConfig; next: number; askedAt: number | null }>,
  lowest: number,
): void {
  if (hasRoom(c.s, lowest)) askTurn(c);
}

/**
 * Asks the pacer for a turn (once: a turn already asked for does it all). A windowed sender's retransmissions after
 * a timeout wait for it too, as stop-and-wait's do: in step mode a click is a round, whatever the round sends.
 */
export function askTurn(c: Ctx<{ askedAt: number | null }>): void {
  if (c.s.askedAt !== null) return;
  c.s.askedAt = c.now;
  c.actions.push({ type: 'wait-turn' });
}

/** Whether the window starting at `lowest` has room for the next new segment now. */
export function hasRoom(s: { config: SenderConfig; next: number }, lowest: number): boolean {
  const { config } = s;
  if (s.next > config.last || s.next >= lowest + config.window) return false;
  return !(s.next > config.chunks && config.endAfterAll && lowest <= config.chunks);
}

// Keepalives, the same in every protocol. A receiver that waits (others hold the round or the window, or the
// pace is held) gets the newest segment it has ACKed again every keepaliveMs. One that answers such duplicates
// (ours all do, as the reference does) and then stops answering is dead although it owes no data: it is probed
// every T from then on and given up on after receiverTimeoutMs without an answer, so receivers that die in turn
// while the transfer waits on the first are failed about together, not a receiver timeout apart.

/** What a waiting receiver gets at a keepalive tick: a keepalive, nothing yet, or given up on as silent. */
export function keepaliveTurn(
  r: Tally & { lastSendAt: number },
  now: number,
  config: SenderConfig,
): 'send' | 'wait' | 'silent' {
  const probing = r.answers && r.probedSince !== null;
  if (probing && config.receiverTimeoutMs > 0 && now - r.probedSince! >= config.receiverTimeoutMs)
    return 'silent';
  return now - r.lastSendAt >= (probing ? config.timeoutMs : config.keepaliveMs) ? 'send' : 'wait';
}

/** A keepalive to receiver i: counted, and the probe that the receiver's next ACK answers. */
export function keepalive(c: Ctx<unknown>, r: Tally & { lastSendAt: number }, i: number, seq: number): void {
  r.lastSendAt = c.now;
  r.keepalives++;
  r.probedSince ??= c.now;
  r.probeSeq = seq;
  c.actions.push({ type: 'keepalive', seq, receiver: i });
}

/**
 * The keepalive timer again: every T while a receiver that answers has left a keepalive of an earlier tick
 * unanswered, else every keepaliveMs.
 */
export function rearmKeepalives(c: Ctx<unknown>, config: SenderConfig, receivers: readonly Tally[]): void {
  const probing = receivers.some(
    (r) => r.failure === undefined && r.answers && r.probedSince !== null && r.probedSince < c.now,
  );
  c.actions.push({
    type: 'arm',
    timer: 'keepalive',
    ms: probing ? Math.min(config.timeoutMs, config.keepaliveMs) : config.keepaliveMs,
  });
}

/**
 * Any ACK shows the receiver alive. Only one of the keepalive's own number shows that it answers duplicates (a
 * course receiver may ACK new data and ignore them).
 */
function heard(r: Tally, acked: number, now: number): void {
  r.heardAt = now;
  if (acked === 0) r.nothing++;
  else r.answered++;
  r.elsewhere = null;
  if (r.probedSince === null) return;
  r.probedSince = null;
  if (acked === r.probeSeq) r.answers = true;
}

/**
 * The windowed protocols' restart rule, for an ACK `acked` from r. A receiver ACKs 0 only to segments that reach it
 * before segment 1, so once it has ACKed a segment only an old ACK 0 overtaken on the way can say 0: a few windows
 * of them at most. A receiver that restarted (it lost the transfer) says 0 to every segment: more than 2W + 2 ACKs
 * 0 in a row after one that said more, and it is given up on at once, not a receiver timeout later.
 */
export function restartedBy(r: Tally, acked: number, window: number): boolean {
  if (acked !== 0) r.zeros = 0;
  else if (r.acks > 0) r.zeros++;
  return r.zeros > 2 * window + 2;
}

/**
 * A cumulative ACK `acked` from r (Go-Back-N, or Selective Repeat's fallback to it) while it owes `owed`: one of the
 * segment before says again that it has everything up to there. A receiver whose copies of `owed` are all lost says
 * so to each later segment until a copy arrives; one that ACKs the segment it expects next (ack-next) says so
 * forever once a segment is lost, for it already had its ACK of `owed` taken as the segment's.
 */
export function heldBack(r: Tally, acked: number, owed: number): void {
  if (acked > 0 && acked === owed - 1) r.behind++;
}

/**
 * What an ACK 0 after others says: the receiver has no transfer any more. A course receiver says so alike when it
 * restarted and when it ended the transfer itself (a size limit, a full disk, a write error): ACK 0 is all it has.
 */
export const LOST_TRANSFER =
  'receiver restarted or ended the transfer (its own output says why: a size limit, a full disk)';

/** Why a receiver that restarted is given up on (restartedBy). */
export const restartReason = (r: Tally): string =>
  `${LOST_TRANSFER}: it acknowledged 0 to ${r.zeros} segments in a row after it had acknowledged ${r.acks}`;

/** The reason given for a waiting receiver that stopped answering keepalives. */
export const quietReason = (receiverTimeoutMs: number): string =>
  `no ACK for ${(receiverTimeoutMs / 1000).toFixed(1)} s since a keepalive it did not answer (it went silent while it waited for others)`;

/**
 * The reason given for a receiver that has not ACKed `seq` within the receiver timeout. One that answered all
 * along, yet never with an ACK of a segment sent, is not silent: it is busy with another sender of this host
 * (whose ACKs it sends to every port of the host), or it speaks another way (a student's receiver that ACKs the
 * next number expected, numbers from 0, writes its fields little-endian; the other wire profile). One
 * that ACKed every data segment and never the end marker likely takes none.
 */
export function silentReason(seq: number, receiverTimeoutMs: number, r: Tally, config: SenderConfig): string {
  const silent =
    `no ACK for sequence number ${wireSeq(config, seq)} within ${(receiverTimeoutMs / 1000).toFixed(1)} s of ` +
    'sending it';
  // Every data segment ACKed, the end marker never: a receiver that takes none (it ends by silence). Not one of
  // ours that answered the offer: it takes the marker (its ACK or decline was lost, or it died), and a --dialect
  // would only turn the offer off.
  if (seq > config.chunks && r.acks >= config.chunks && r.acks > 0 && r.mode !== 'verified')
    return (
      `${silent}, the end marker, though it ACKed all ${config.chunks} data segments: does it take no end ` +
      `marker (a receiver that ends by silence)? Try --dialect eof-none; p2mpcheck server tells`
    );
  if (unread(r))
    return (
      `${silent}, though it answered ${r.answered} times: never with an ACK of a segment sent. Is it busy with ` +
      `another transfer from this host (a course receiver takes every port of a host for one sender)? Or does ` +
      `it speak another --dialect (seq0, ack-next, le, ...) or --profile? p2mpcheck server tells which`
    );
  // It answers, and only that it has everything before `seq`: every copy of `seq` lost, or ACKs a number ahead.
  if (r.behind >= HELD_BACK_HINT)
    return (
      `${silent}, though it answered ${r.behind} times that it has everything up to ${wireSeq(config, seq - 1)}: ` +
      `either no copy of ${wireSeq(config, seq)} reached it, or it ACKs the segment it expects next (then its ` +
      `ACK ${wireSeq(config, seq - 1)} means "send ${wireSeq(config, seq - 1)}", not "have it": try --dialect ` +
      `ack-next). p2mpcheck server tells which`
    );
  // It answers, and has nothing: it refused the transfer, or ended it at once.
  if (r.acks === 0 && r.nothing > 0)
    return (
      `${silent}, though it answered ${r.nothing} times "nothing received" (ACK 0): it took no segment (its own ` +
      `output says why: a size limit, a full disk, data it did not accept)`
    );
  return silent;
}

/** ACKs of the segment before the one owed (heldBack) that earn a failure the ack-next hint. */
const HELD_BACK_HINT = 3;

/**
 * It answered, and never with an ACK this sender could read as one of a segment it sent. Not one of ours that
 * answered the offer: the offer proved it speaks this dialect (a late copy of its answer reads as malformed).
 */
const unread = (r: Tally): boolean => r.acks === 0 && r.answered > 0 && r.mode !== 'verified';

/** How every transfer starts, whatever the protocol: the 'start' event, and the keepalive timer. */
function started(config: SenderConfig): SenderAction[] {
  // (As selectiveRepeat.ts falls back: a receiver refused at the offer gets nothing at all.)
  const cumulative =
    config.protocol === 'sr'
      ? config.outcomes.flatMap((o, i) => (o.selective || o.failure !== undefined ? [] : [i]))
      : [];
  const event: SenderEvent = {
    type: 'start',
    t: 0,
    fileSize: config.size,
    mss: config.mss,
    chunks: config.chunks,
    timeoutMs: config.timeoutMs,
    receiverTimeoutMs: config.receiverTimeoutMs,
    profile: config.profile,
    receivers: [...config.endpoints],
    protocol: config.protocol,
    ...(isWindowed(config.protocol) ? { window: config.window } : {}),
    ...(cumulative.length > 0 ? { cumulative } : {}),
  };
  const keepalive: SenderAction[] =
    config.keepaliveMs > 0 ? [{ type: 'arm', timer: 'keepalive', ms: config.keepaliveMs }] : [];
  return [{ type: 'event', event }, ...keepalive];
}

/** Receiver `ep`'s part of the result at `now` (a cancel at `now` ends those still in the transfer). */
function receiverSummary(ep: ReceiverEndpoint, t: Tally, cancelled: boolean, now: number): ReceiverSummary {
  const failure = t.failure ?? (cancelled ? 'cancelled' : undefined);
  return {
    receiver: ep,
    state: failure === undefined ? 'done' : 'failed',
    ...(failure !== undefined ? { failure } : {}),
    acks: t.acks,
    timeouts: t.timeouts,
    retransmissions: t.retransmissions,
    keepalives: t.keepalives,
    rtt: rttStats(t.rtt),
    bytes: t.bytes,
    // Its failure's time: one that never answered said 0.000 s, where the transfer ran for seconds.
    timeMs: t.failure === undefined && cancelled ? now : t.timeMs,
    mode: t.mode,
    offers: t.offers,
    ...(t.fallback !== undefined ? { fallback: t.fallback } : {}),
    ...(unread(t) ? { unread: t.answered } : {}),
    ...(t.keptAs !== undefined ? { keptAs: t.keptAs } : {}),
  };
}

/** The transfer's result at `now`. */
export function sendResult(
  config: SenderConfig,
  state: { receivers: readonly Tally[]; counters: SenderCounters; timeoutRounds: number },
  cancelled: boolean,
  now: number,
  done: (i: number) => boolean = () => false,
): SendResult {
  // A cancel ends the receivers still in the transfer, not those that have the whole file (a Send cancelled while
  // absent hosts held it read "0/2 got the whole file" beside one that had it, verified and kept).
  const receivers = state.receivers.map((t, i) =>
    receiverSummary(config.endpoints[i]!, t, cancelled && !done(i), now),
  );
  return {
    ok: !cancelled && receivers.every((r) => r.state === 'done'),
    cancelled,
    fileSize: config.size,
    mss: config.mss,
    chunks: config.chunks,
    timeoutRounds: state.timeoutRounds,
    timeoutMs: config.timeoutMs,
    protocol: config.protocol,
    rto: config.rto,
    ...(config.offerMs !== undefined ? { offerMs: config.offerMs } : {}),
    durationMs: now,
    counters: { ...state.counters },
    receivers,
  };
}
