// The P2MP-FTP receiver's rules as a pure machine (sans-I/O): the shell (src/shared/node/receiver.ts) feeds it
// every datagram, already decoded, its timer's expiry and the results of the file operations it asked for, and
// does what it says. For every datagram, in this order:
//   0. from a course sender the user has not let in (the app asks first) -> counted as foreign, ignored;
//   1. from another host than the sender being served -> counted as foreign, ignored; unless that transfer has
//      gone silent (staleMs) and this is a new sender's segment 1: then the old transfer is abandoned for it.
//      A course transfer belongs to its sender's address, not its port: the reference client sends every
//      segment from a new socket, and each ACK goes back to the port its segment came from. An offered one
//      belongs to its sender's socket (fromAnotherSocket): another port of the host is counted as foreign;
//   2. a data segment -> simulated loss first: dropped with probability p, nothing else happens;
//   3. bad checksum -> counted, ignored (no ACK); not a data segment -> counted as malformed, ignored;
//   4. the next expected sequence number -> written, then ACKed (never ACKed if the write failed, or if it would
//      pass the size limit or fill the disk); an empty one is the end marker: the file is kept (fsynced, renamed
//      from .part) and the marker ACKed;
//   5. anything else (out of order, or a duplicate, which is never written twice) -> ACK of the last in-order
//      sequence number; except, with no transfer open, one numbered below where transfers start (a sender
//      numbering from 0 at a receiver numbering from 1): never ACKed, reported (other-numbering);
//   5'. unless the sender's offer asked for Selective Repeat and we agreed (docs/PROTOCOL.md): then a data segment
//      ahead within the window is kept in memory (written once the ones before it are) and ACKed with its own
//      number, and a duplicate too is ACKed with its own number. The end marker is taken only in order (its ACK
//      says the file is kept): ahead, and beyond the window, rule 5 holds.
//   5''. and if the offer also asked for SACK and we agreed: every ACK is cumulative with a bitmap of the segments
//      kept ahead (protocol/sack.ts), and a data segment's ACK may wait to be shared (see sackAnswer).
// A transfer that fails removes its .part file; one that ends by silence is kept, "unverified".
// Sequence numbers are the dialect's (protocol/numbering.ts): the transfer's cursor knows the wire number expected
// next and the ACK to send. A dialect's end signal (a FIN carries no number and so stands for the number
// expected) is the end marker; in eof-none the sender has none and the transfer ends by silence.
// An accepted offer (src/shared/offer/) names the file and makes the transfer verified: the end marker is ACKed
// only once the content's size and SHA-256 match the offer's; otherwise nothing is kept and the sender is told why.
import type { CompletedFile, PacketOutcome, ReceiverCounters, ReceiverEvent } from '../events.js';
import { fileNameOf, formatBytes, replaceInvisible } from '../format.js';
import { safeFileName } from '../offer/fileName.js';
import type { Offer, SackTerms } from '../offer/message.js';
import { ackAt, advance, firstCursor, type Cursor, type Numbering } from '../protocol/numbering.js';
import { sackBitmap } from '../protocol/sack.js';
import type { Decoded } from '../protocol/segment.js';
import type { IdleAction } from '../protocol/silence.js';
import { EMPTY } from '../protocol/wire.js';

export interface Address {
  address: string;
  port: number;
}

export interface ReceivingConfig {
  numbering: Numbering;
  /** A transfer with no packet for this long ends (see onIdle). 0 never. */
  idleTimeoutMs: number;
  /** What a silent sender means: keep what arrived as the file, or fail. */
  onIdle: IdleAction;
  /** After the end marker, re-ACK its retransmissions until the sender has been quiet this long. */
  lingerMs: number;
  /** A transfer whose sender has sent nothing for this long yields to another host's segment 1. */
  staleMs: number;
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** After a transfer, serve new ones instead of finishing. */
  keepListening: boolean;
}

interface Transfer {
  /** The sender's address: the transfer follows it whatever source port a segment comes from. */
  host: string;
  /** Address and port of its first segment, as shown to the user. */
  from: string;
  /** Source port of the last in-order segment (for a finished transfer: of its end marker); until one, of the
   * segment that opened it (Selective Repeat may open with one ahead of order). */
  port: number;
  /** When a datagram last came from `port`. */
  portHeardAt?: number;
  path: string;
  partPath: string;
  /** Bytes written to the .part file. */
  bytes: number;
  /** Where it stands: segments taken in order (and ACKed), the wire numbers last taken and expected next. */
  cursor: Cursor;
  startedAt: number;
  lastPacketAt: number;
  /** When it last took a segment in order. */
  progressAt?: number;
  /** A copy of its first segment's payload: a segment 1 that differs opens the host's next transfer. */
  first?: Uint8Array;
  /** Set once the file is kept: the transfer only re-ACKs until the sender goes quiet. */
  completed: boolean;
  /** The accepted offer: the file is verified against it. Absent: course mode. */
  offer?: Offer;
  /** Kept under another name than the offered one (taken, or made safe): its sender is told before each end ACK. */
  keptAs?: string;
  /** When the sender was last told it (once per KEPT_TOLD_MS at most). */
  keptToldAt?: number;
  /** Selective Repeat, agreed through the offer: the window, and the data segments kept ahead of `cursor`. */
  window?: number;
  /** Changed in place, as the whole state (see receive): a copy per segment kept cost O(W) under loss. */
  ahead?: Map<number, Taking>;
  /** SACK, agreed through the offer (Selective Repeat only): its terms, and the ACK it owes. */
  sack?: SackTerms;
  /** SACK: data segments taken since the last ACK, and when the delayed-ACK timer says to ACK them. */
  unacked?: number;
  ackDueAt?: number | null;
  /** SACK: where the owed ACK goes (the port of the last segment). */
  ackTo?: Address;
  /** SACK: a segment filled a gap; its ACK goes once the kept segments after it are written too. */
  filled?: Address;
}

/** The in-order segment being taken while the shell does the file operation asked for. */
interface Taking {
  payload: Uint8Array;
  seq: number;
  end: boolean;
  peer: Address;
  from: string;
  /** Kept ahead of order (Selective Repeat): ACKed and reported when it arrived. */
  early?: boolean;
}

/** A file operation asked of the shell, and what its result continues. */
type Pending =
  | {
      op: 'open';
      taking: Taking;
      at: number;
      offer: Offer | undefined;
      window: number | undefined;
      sack: SackTerms | undefined;
    }
  | { op: 'write'; taking: Taking }
  | { op: 'digest' | 'commit'; endedBy: CompletedFile['endedBy']; marker?: Address };

export interface ReceivingState {
  readonly config: ReceivingConfig;
  readonly transfer: Readonly<Transfer> | null;
  /** Transfers begun or refused so far: names the next destination. */
  readonly transferIndex: number;
  readonly counters: ReceiverCounters;
  readonly files: readonly CompletedFile[];
  /** The user asked to stop: end with the current transfer. */
  readonly stopping: boolean;
  readonly stopped: boolean;
  readonly pending: Pending | null;
  /** The delayed-ACK timer is armed (it is left to fire: cheaper than clearing it at every ACK). */
  readonly ackTimerArmed: boolean;
  /**
   * Senders ("address:port") that sent a segment numbered below where transfers start (numbering from 0, or by
   * bytes), and when they last did: their segment 1 is their second, and opens no transfer while they keep at it
   * (a windowed one sends both at once, and the ACK 1 would read as covering its segment 0). By socket, not host:
   * another sender on that machine (a lab PC, a NAT) is not held off, nor a real one by a forgery from another
   * port. Changed in place; bounded.
   */
  readonly belowFirst: Map<string, number>;
}

/**
 * What an offer from the datagram's host came to, as far as the shell's answer goes. Accepted with protocol 'sr':
 * we agreed to Selective Repeat with the offer's window.
 */
export interface OfferAnswered {
  offer: Offer;
  accepted: boolean;
  /** The port its offer came from: an offered transfer is taken from that socket only (fromAnotherSocket). */
  port: number;
  /** When its sender last sent it (or it was answered): gone stale, it holds no other port of the host off. */
  heardAt: number;
  /** Why it was declined; absent while its user decides. */
  declined?: string;
}

/** The window of Selective Repeat, if the accepted offer asked for it (our receiver always agrees). */
const agreedWindow = (offered: OfferAnswered | undefined): number | undefined =>
  offered?.accepted && offered.offer.protocol === 'sr' ? offered.offer.window : undefined;

/** The SACK terms, if the accepted Selective Repeat offer asked for them (our receiver always agrees). */
const agreedSack = (offered: OfferAnswered | undefined): SackTerms | undefined =>
  offered?.accepted && offered.offer.protocol === 'sr' ? offered.offer.sack : undefined;

export type ReceiverInput =
  /** `lost`: the simulated loss p, drawn only when the rules get there (its seeded sequence replays exactly). */
  | {
      type: 'datagram';
      from: Address;
      length: number;
      decoded: Decoded;
      offered: OfferAnswered | undefined;
      lost: () => boolean;
      /** A course sender the user has not let in (asked about, or turned away): counted, and ignored as foreign. */
      held?: true;
    }
  | { type: 'offer'; offer: Offer; from: Address }
  /** The sender of offer `id` stopped: its user cancelled, or (`unreadable`) its file could not be read. */
  | { type: 'cancel'; id: string; from: Address; unreadable?: true }
  | { type: 'timer' }
  /** The delayed-ACK timer (SACK) expired. */
  | { type: 'ack-timer' }
  | { type: 'stop' }
  // The results of the file operations asked for.
  | { type: 'opened'; path: string; partPath: string }
  | { type: 'open-failed'; reason: string; partPath: string }
  | { type: 'written' }
  | { type: 'write-failed'; reason: string }
  /** The shell writes taken chunks in one go before an ACK covers them: that write failed (the ACK was not sent). */
  | { type: 'flush-failed'; reason: string }
  | { type: 'digested'; sha256: string }
  /** `named`: into a folder, named after the offer (its sender is told a name other than the offered one). */
  | { type: 'committed'; path: string; sha256: string; named?: true }
  | { type: 'commit-failed'; reason: string };

export type ReceiverAction =
  /**
   * `bitmap`: a SACK (protocol/sack.ts), the segments kept beyond `wire`; absent: the course ACK. `summed`: the
   * ACK of an offered transfer, which carries its checksum so that a corrupted one is never taken for another.
   */
  | { type: 'ack'; wire: number; to: Address; bitmap?: Uint8Array; summed?: true }
  /** Answer an offer: "wait" when busy with another host's transfer, else the shell decides (size, space, user). */
  | { type: 'answer-offer'; offer: Offer; to: Address; busy: boolean }
  /** Tell the sender of a verified transfer why its file was not kept. */
  | { type: 'decline'; id: string; reason: string; to: Address }
  /** Tell the sender of a verified transfer the name its file was kept under (not the offered one). */
  | { type: 'kept-as'; id: string; name: string; to: Address }
  | { type: 'arm'; ms: number }
  | { type: 'clear' }
  /** (Re)arm the delayed-ACK timer: one expiry, `ms` from now (answered by an 'ack-timer' input). */
  | { type: 'arm-ack'; ms: number }
  | { type: 'event'; event: ReceiverEvent }
  // File operations; those with a result end the step, and the shell feeds the result back at once.
  /** Open the .part file of transfer `index` (under the offered name, if any); result: opened or open-failed. */
  | { type: 'open'; index: number; host: string; offer?: Offer }
  /** Result: written or write-failed (the disk's reserve is the shell's to check). */
  | { type: 'write'; payload: Uint8Array }
  /** SHA-256 of what was written; result: digested. */
  | { type: 'digest' }
  /** Keep the file (fsync, rename, under the offered name if any); result: committed or commit-failed. */
  | { type: 'commit'; offer?: Offer }
  /** Remove the current .part file. */
  | { type: 'abandon' }
  /** The session is over: release everything. */
  | { type: 'finish'; ok: boolean; failure?: string };

export interface ReceivingStep {
  state: ReceivingState;
  actions: ReceiverAction[];
}

export function startReceiving(config: ReceivingConfig, counters: ReceiverCounters): ReceivingState {
  return {
    config,
    transfer: null,
    transferIndex: 0,
    counters,
    files: [],
    stopping: false,
    stopped: false,
    pending: null,
    ackTimerArmed: false,
    belowFirst: new Map(),
  };
}

/** Busy with another host's transfer that has not gone stale: that host's offer is answered "wait". */
export function isBusy(state: ReceivingState, host: string, now: number): boolean {
  const t = state.transfer;
  // A finished transfer that lingers to re-ACK its end marker counts: until it ends, another host's segment 1
  // would be foreign, so an offer accepted now would only earn its sender timeouts.
  return t !== null && t.host !== host && !isStale(state.config, t, now);
}

/**
 * Silent for staleMs, or not past segment 1 after staleMs: another host may take over. Progress, not traffic,
 * decides the second: a stranger's segment 1 followed by anything at all every few seconds once kept the
 * receiver for ever.
 */
function isStale(config: ReceivingConfig, t: Readonly<Transfer>, now: number): boolean {
  return (
    now - t.lastPacketAt >= config.staleMs || (t.cursor.taken <= 1 && now - t.startedAt >= config.staleMs)
  );
}

type Draft = { -readonly [K in keyof ReceivingState]: ReceivingState[K] } & { transfer: Transfer | null };

/** A step in progress: the state it changes, the actions so far, the time. */
interface C {
  s: Draft;
  actions: ReceiverAction[];
  now: number;
  config: ReceivingConfig;
  /** Where every transfer starts: `fresh.next` is the first segment's number. */
  fresh: Cursor;
}

function emit(c: C, event: ReceiverEvent): void {
  c.actions.push({ type: 'event', event });
}

function packet(
  c: C,
  outcome: PacketOutcome,
  from: string,
  seq: number | undefined,
  bytes: number,
  kept = false,
): void {
  emit(c, {
    type: 'packet',
    t: c.now,
    ...(seq !== undefined ? { seq } : {}),
    outcome,
    bytes,
    from,
    ...(kept ? { kept: true as const } : {}),
  });
}

/**
 * An offered transfer's ACKs carry their checksum (docs/PROTOCOL.md, "Offer and verification"): the course's binary
 * ACK has none, and a bit flipped in a duplicate ACK could make it the end marker's, which says "verified".
 */
const summed = (t: Transfer | null): { summed?: true } => (t?.offer ? { summed: true } : {});

/**
 * A re-ACK of the end marker tells the kept name again at most this often: every copy of the marker (any 8 bytes
 * from the sender's host) would otherwise draw 82 more bytes at it for as long as they keep the transfer lingering.
 */
export const KEPT_TOLD_MS = 100;

/** Before the end marker's ACK, which ends the sender's wait: the name goes first (again with a later re-ACK). */
function tellKept(c: C, t: Transfer | null, to: Address): void {
  if (!t?.completed || t.keptAs === undefined) return;
  if (t.keptToldAt !== undefined && c.now - t.keptToldAt < KEPT_TOLD_MS) return;
  t.keptToldAt = c.now;
  c.actions.push({ type: 'kept-as', id: t.offer!.id, name: t.keptAs, to });
}

function ack(c: C, cursor: Cursor, to: Address): void {
  const { s, actions, config } = c;
  const t = s.transfer;
  tellKept(c, t, to);
  if (t?.sack !== undefined) return sendSack(c, t, to);
  actions.push({ type: 'ack', wire: ackAt(config.numbering, cursor), to, ...summed(t) });
  s.counters.acksSent++;
}

/** SACK: where the transfer stands, the segments kept ahead in the bitmap; nothing is owed any more. */
function sendSack(c: C, t: Transfer, to: Address): void {
  const wire = ackAt(c.config.numbering, t.cursor);
  c.actions.push({ type: 'ack', wire, to, bitmap: sackBitmap(wire, t.ahead?.keys() ?? []), ...summed(t) });
  c.s.counters.acksSent++;
  t.unacked = 0;
  t.ackDueAt = null;
}

/**
 * SACK's rule for a data segment just taken (written in order, or kept ahead): its ACK goes at once when it tells
 * the sender something it must not wait for (`urgent`: a gap appeared, or was filled), or when it is the k-th
 * segment owed; otherwise it is deferred, and the delayed-ACK timer sends it after `delayMs` at the latest.
 */
function sackAnswer(c: C, t: Transfer, sack: SackTerms, to: Address, urgent: boolean): void {
  const { s, now } = c;
  t.ackTo = to;
  if (urgent || (t.unacked ?? 0) + 1 >= sack.every) return sendSack(c, t, to);
  t.unacked = (t.unacked ?? 0) + 1;
  s.counters.acksDeferred = (s.counters.acksDeferred ?? 0) + 1;
  if (t.ackDueAt !== null && t.ackDueAt !== undefined) return;
  t.ackDueAt = now + sack.delayMs;
  if (s.ackTimerArmed) return; // it fires earlier, and re-arms for the rest
  s.ackTimerArmed = true;
  c.actions.push({ type: 'arm-ack', ms: sack.delayMs });
}

function onAckTimer(c: C): void {
  const { s, now } = c;
  s.ackTimerArmed = false;
  const t = s.transfer;
  if (t === null || t.completed || t.ackDueAt === null || t.ackDueAt === undefined) return;
  if (now < t.ackDueAt) {
    s.ackTimerArmed = true;
    return void c.actions.push({ type: 'arm-ack', ms: t.ackDueAt - now });
  }
  catchUp(c, t, t.ackTo!);
}

/** SACK: the ACK owed for deferred segments alone (not for the datagram at hand). */
function catchUp(c: C, t: Transfer, to: Address): void {
  c.s.counters.acksForDeferred = (c.s.counters.acksForDeferred ?? 0) + 1;
  sendSack(c, t, to);
}

function finish(c: C, failure?: string): void {
  const { s, actions } = c;
  s.stopped = true;
  actions.push(
    { type: 'clear' },
    { type: 'finish', ok: failure === undefined, ...(failure ? { failure } : {}) },
  );
}

/** The transfer is over, one way or another: serve the next one or finish. */
function endTransfer(c: C, failure?: string): void {
  const { s, actions, config } = c;
  s.transfer = null;
  s.transferIndex++;
  actions.push({ type: 'clear' });
  if (!config.keepListening || s.stopping) finish(c, failure);
}

/** Why a transfer its sender's user cancelled ended. */
export const CANCELLED =
  "its sender's user cancelled the transfer; the partial file was removed (still listening)";
/** Why a transfer ended whose sender could not read its file any more (it shrank): nobody cancelled it. */
export const UNREADABLE =
  'its sender could not read its file any more; the partial file was removed (still listening)';

/**
 * Ends the transfer without a file and removes its .part. `passOver`: the transfer does not use up a one-file
 * session or its file name: a stray (never past segment 1), or one abandoned for a new sender. The sender of an
 * offered transfer is told why at once (a decline: it stops waiting for this receiver), unless it is gone
 * (`tell: false`, or passed over) or no segment of it arrived yet (`to` names where the first one came from).
 */
function fail(
  c: C,
  reason: string,
  {
    passOver = false,
    tell = true,
    to,
    silentCourse = false,
  }: { passOver?: boolean; tell?: boolean; to?: Address; silentCourse?: boolean } = {},
): void {
  const { s, actions, now } = c;
  const t = s.transfer!;
  actions.push({ type: 'abandon' });
  if (t.offer && tell && !passOver)
    actions.push({ type: 'decline', id: t.offer.id, reason, to: to ?? { address: t.host, port: t.port } });
  emit(c, {
    type: 'transfer-failed',
    t: now,
    reason,
    from: t.from,
    path: t.path,
    partPath: t.partPath,
    bytes: t.bytes,
    ...(silentCourse ? { silentCourse } : {}),
  });
  if (!passOver) return endTransfer(c, reason);
  s.transfer = null;
  actions.push({ type: 'clear' });
}

// One timer for the transfer: idle detection while receiving, the linger window after the end marker.
function armTimer(c: C): void {
  const { s, actions, now, config } = c;
  const t = s.transfer;
  const limit = t === null ? 0 : t.completed ? config.lingerMs : config.idleTimeoutMs;
  if (t === null || limit <= 0) return void actions.push({ type: 'clear' });
  actions.push({ type: 'arm', ms: Math.max(1, limit - (now - t.lastPacketAt)) });
}

function onTimer(c: C): void {
  const { s, now, config } = c;
  const t = s.transfer;
  if (t === null) return;
  const limit = t.completed ? config.lingerMs : config.idleTimeoutMs;
  if (now - t.lastPacketAt < limit) return armTimer(c);
  if (t.completed) return endTransfer(c);
  const silent = `the sender went silent for ${(limit / 1000).toFixed(1)} s`;
  // Where silence ends a transfer, a one-segment file ends so too (a student's first "hello" from the reference
  // client); elsewhere a lone segment 1 is a stray, passed over without using up a one-file receiver.
  if (endsBySilence(config, t, 1)) keep(c, 'idle');
  else if (t.cursor.taken <= 1)
    fail(c, `${silent} after its first segment; the partial file was removed`, { passOver: true });
  else
    fail(c, `${silent} after ${t.bytes} bytes, with no end marker; the partial file was removed`, {
      tell: false,
      silentCourse: t.offer === undefined,
    });
}

/** The file is whole (the end marker, or silence): verify it against the offer, then have it kept. */
function keep(c: C, endedBy: CompletedFile['endedBy'], marker?: Address): void {
  const { s, actions } = c;
  const t = s.transfer!;
  const next = { endedBy, ...(marker ? { marker } : {}) };
  if (t.offer === undefined) return commit(c, next);
  if (t.bytes !== t.offer.size)
    return notKept(
      c,
      `the file is not the one offered: ${t.bytes} bytes arrived, ${t.offer.size} were offered; nothing was kept`,
      marker,
    );
  s.pending = { op: 'digest', ...next };
  emit(c, { type: 'verifying', t: c.now });
  actions.push({ type: 'digest' });
}

function commit(c: C, { endedBy, marker }: { endedBy: CompletedFile['endedBy']; marker?: Address }): void {
  const { s, actions } = c;
  s.pending = { op: 'commit', endedBy, ...(marker ? { marker } : {}) };
  const offer = s.transfer!.offer;
  actions.push({ type: 'commit', ...(offer ? { offer } : {}) });
}

function notKept(c: C, problem: string, marker: Address | undefined): void {
  c.s.counters.corrupt++; // end to end: the content failed the offer's check
  // Ended by silence (no marker): its sender is gone.
  fail(c, problem, marker ? { to: marker } : { tell: false });
}

function kept(
  c: C,
  { path, sha256, named }: Extract<ReceiverInput, { type: 'committed' }>,
  endedBy: CompletedFile['endedBy'],
  marker?: Address,
): void {
  const { s, now } = c;
  const t = s.transfer!;
  const file: CompletedFile = {
    path,
    bytes: t.bytes,
    sha256,
    // Kept for want of an end marker: the transfer ended with the last segment it took, not when the silence was
    // noticed (nor with the retries of the host's next file, which end it: see nextBySilence).
    durationMs: (endedBy === 'marker' ? now : (t.progressAt ?? t.startedAt)) - t.startedAt,
    from: t.from,
    endedBy,
    verified: endedBy === 'marker',
    // Shown as it came (the app: "offered as ..."), but for what must never reach a screen: its sender chose it.
    ...(t.offer ? { offeredName: replaceInvisible(t.offer.name, ' ') } : {}),
  };
  s.files = [...s.files, file];
  t.completed = true;
  // A name the receiver's user gave is theirs; one made from the offer is what its sender asked for.
  const name = fileNameOf(path);
  // Not a name that only differs in its Unicode form (kept NFC): it would read as the offered one, and puzzle.
  if (named && t.offer !== undefined && name !== t.offer.name.normalize('NFC')) t.keptAs = name;
  emit(c, { type: 'complete', t: now, file });
  if (endedBy !== 'marker') return endTransfer(c);
  // The end marker is ACKed only now that the file is kept; its retransmissions are re-ACKed while it lingers.
  ack(c, t.cursor, marker!);
  armTimer(c);
}

/**
 * Whether silence ends this transfer with its file kept (a sender without an end marker: the reference
 * implementation, --dialect eof-none, --on-idle complete), once it has taken at least `least` segments.
 */
const endsBySilence = (config: ReceivingConfig, t: Readonly<Transfer>, least: number): boolean =>
  config.onIdle === 'complete' && t.offer === undefined && !t.completed && t.cursor.taken >= least;

/** Another host's segment 1 replaces a transfer that has gone stale (see isStale); not one numbering from 0. */
function mayTakeOver(c: C, t: Transfer, decoded: Decoded, from: string): boolean {
  const { now, config, fresh } = c;
  return (
    isStale(config, t, now) &&
    decoded.ok &&
    decoded.segment.kind !== 'ack' &&
    decoded.segment.seq === fresh.next &&
    !numbersBelowFirst(c, from)
  );
}

function onDatagram(c: C, input: Extract<ReceiverInput, { type: 'datagram' }>): void {
  const { s, actions, now, fresh } = c;
  const { from: peer, decoded, length } = input;
  const offered = offerFor(c, input);
  s.counters.received++;
  const from = `${peer.address}:${peer.port}`;
  if (input.held) {
    s.counters.foreign++;
    return packet(c, 'foreign', from, decoded.ok ? decoded.segment.seq : undefined, length);
  }
  // Noted first, whatever becomes of it (foreign to another host's transfer, dropped by the simulated loss): the
  // rule guards against a wrong file, and a segment 0 unseen must not let the same sender's segment 1 open one.
  if (numberedBelow(c, input, offered)) noteBelowFirst(c, from);
  if (s.transfer !== null && peer.address !== s.transfer.host) {
    if (!mayTakeOver(c, s.transfer, decoded, from)) {
      s.counters.foreign++;
      return packet(c, 'foreign', from, undefined, length);
    }
    const silentS = ((now - s.transfer.lastPacketAt) / 1000).toFixed(1);
    const why = `abandoned: its sender was silent for ${silentS} s and ${from} started a new transfer`;
    if (s.transfer.completed) endTransfer(c);
    else if (endsBySilence(c.config, s.transfer, 2)) return endedBySilence(c, from, length);
    else fail(c, why, { passOver: true });
  }
  if (fromAnotherSocket(c, peer, offered)) {
    s.counters.foreign++;
    return packet(c, 'foreign', from, undefined, length);
  }
  const isData = decoded.ok ? decoded.segment.kind !== 'ack' : decoded.reason === 'bad-checksum';
  const wireSeq = decoded.ok ? decoded.segment.seq : decoded.seq;
  if (!isData) {
    s.counters.malformed++;
    return packet(c, 'malformed', from, wireSeq, length);
  }
  // How long the transfer's own sender (its socket's port) has been silent (see restarts): a new sender on that host
  // keeps lastPacketAt fresh, so it cannot be the measure.
  const quietMs = s.transfer === null ? 0 : now - (s.transfer.portHeardAt ?? s.transfer.startedAt);
  if (s.transfer !== null) {
    s.transfer.lastPacketAt = now;
    if (peer.port === s.transfer.port) s.transfer.portHeardAt = now;
  }
  if (input.lost()) {
    s.counters.dropped++;
    return packet(c, 'dropped', from, wireSeq, length);
  }
  if (!decoded.ok || decoded.segment.kind === 'ack') {
    s.counters.corrupt++;
    return packet(c, 'corrupt', from, decoded.ok ? undefined : decoded.seq, length);
  }
  const segment = decoded.segment;
  const { seq } = segment;
  const payload = segment.kind === 'data' ? segment.payload : EMPTY;
  // A FIN stands at the number a transfer under way expects (and starts none).
  const at =
    segment.kind === 'end' && !segment.numbered && s.transfer?.completed === false
      ? s.transfer.cursor.next
      : seq;
  // A finished transfer lingers to re-ACK its marker; a first segment from a new port of the same host is that
  // host's next transfer (the marker's retransmissions come from the port that sent it), and so is any segment
  // from a new port once that host has a new offer accepted (a transfer's own offer is forgotten when it opens):
  // with Selective Repeat its first segment to arrive may be any in the window, which the old one must not ACK.
  const next = peer.port !== s.transfer?.port && (at === fresh.next || offered?.accepted === true);
  if (s.transfer?.completed && next) endTransfer(c);
  // A new offer of this host's accepted while its transfer is unfinished, and a segment from another port: its
  // sender started over (Ctrl-C, then the same command). The old transfer would take the new one's segments for
  // its own duplicates until it went silent, and fail both.
  else if (
    s.transfer !== null &&
    peer.port !== s.transfer.port &&
    quietMs >= RESTART_QUIET_MS &&
    restarts(s.transfer, offered)
  )
    fail(c, `abandoned: ${from} started over with a new offer`, { passOver: true });
  // Without an end marker, the host's next transfer opens with a segment 1 while this one still waits out its
  // silence, and every retry of it would keep this one alive for ever. This one had moved past segment 1, and
  // nothing has moved it on for a while: it ended; its file is kept, and the retry after opens the next.
  else if (s.transfer !== null && at === fresh.next && nextBySilence(c, s.transfer, payload))
    return endedBySilence(c, from, length);
  if (s.stopped) return;
  const taking: Taking = { payload, seq, end: payload.length === 0, peer, from };
  // Selective Repeat: the first segment to arrive may be any within the window.
  const window = agreedWindow(offered);
  const opens =
    at === fresh.next || (window !== undefined && !taking.end && at > fresh.next && at < fresh.next + window);
  // An end marker that would open a course transfer (an empty file) where one transfer follows another: ACKed (its
  // sender is done), nothing saved. Saved, every such datagram from a fresh port, stray or forged, would leave an
  // empty file behind: a flood of them, a folder of thousands. A receiver for one file still writes its empty file.
  if (s.transfer === null && taking.end && at === fresh.next && !offered && c.config.keepListening) {
    ack(c, advance(c.config.numbering, fresh, 0, true), peer);
    packet(c, 'empty', from, seq, 0);
    // Said (once per try of the host): its sender says done, and nothing here showed why no file came.
    return emit(c, { type: 'empty-course-file', t: now, from });
  }
  // A host numbering from 0 gets nothing while it keeps at it: no transfer, not even the ACK 0 that its other
  // segments would earn (it would read as its segment 0's).
  if (s.transfer === null && !offered?.accepted && numbersBelowFirst(c, from))
    return belowFirst(c, taking, at);
  if (s.transfer === null && opens) {
    // A host that offered a file gets to send only what was accepted: not while its user decides, not after
    // a decline.
    if (offered && !offered.accepted) {
      s.counters.foreign++;
      packet(c, 'foreign', from, seq, payload.length);
      const { offer, declined } = offered;
      // A course send from that host too (--no-offer after a decline): said, or it looks like nobody listens.
      return emit(c, {
        type: 'unaccepted-data',
        t: now,
        from,
        id: offer.id,
        // As it would be saved (as every other event names an offer): its sender chose it, escape sequences and all.
        name: safeFileName(offer.name),
        ...(declined !== undefined ? { declined } : {}),
      });
    }
    const offer = offered?.offer;
    s.pending = { op: 'open', taking, at, offer, window, sack: agreedSack(offered) };
    actions.push({ type: 'open', index: s.transferIndex, host: peer.address, ...(offer ? { offer } : {}) });
    return;
  }
  take(c, taking, at);
}

/**
 * A segment 1 from the host of a transfer that ends by silence and has moved past it: the host's next transfer
 * once nothing has moved this one on for a second and the segment is not its first one again, or after the
 * stale time even if it is (the same file sent again; a network's copy of segment 1 is never that late).
 */
function nextBySilence(c: C, t: Transfer, payload: Uint8Array): boolean {
  if (!endsBySilence(c.config, t, 2)) return false;
  const stalled = c.now - (t.progressAt ?? t.startedAt);
  const first = t.first;
  const again = first?.length === payload.length && payload.every((byte, i) => byte === first[i]);
  return stalled >= (again ? c.config.staleMs : RESTART_QUIET_MS);
}

/**
 * A transfer that ends by silence, ended by the next transfer's first segment instead: kept, and that segment
 * left unanswered (its sender sends it again in T, once the file is kept).
 */
function endedBySilence(c: C, from: string, length: number): void {
  keep(c, 'idle');
  c.s.counters.foreign++;
  packet(c, 'foreign', from, c.fresh.next, length);
}

/**
 * A transfer is given up for its host's new offer only once it has been silent this long: a sender that started
 * over was stopped first, while a second sender on the same host (or a spoofed offer) must not end a live one.
 */
const RESTART_QUIET_MS = 1_000;

/**
 * An offered transfer belongs to its sender's socket, not only to its host: ours sends the offer and every segment
 * from one port (a relay, one upstream socket per client). Another port of that host is someone else (a second
 * sender there, or a stranger), whose segments would otherwise be written into the file, or open it before its
 * sender's. Only the course's transfers follow a host across ports (the reference client's fresh socket per
 * segment). A new offer accepted from the new port is its sender started over (restarts, below).
 */
function fromAnotherSocket(c: C, peer: Address, offered: OfferAnswered | undefined): boolean {
  // (Before the transfer opens, `offered` is already none for another port once the offer went stale: offerFor.)
  const t = c.s.transfer;
  if (t === null) return offered?.accepted === true && peer.port !== offered.port;
  if (t.offer === undefined || t.completed || peer.port === t.port) return false;
  // Its sender started over, its old socket quiet for a while: the new socket's transfer replaces this one.
  const quietMs = c.now - (t.portHeardAt ?? t.startedAt);
  return !(restarts(t, offered) && peer.port === offered!.port && quietMs >= RESTART_QUIET_MS);
}

/**
 * The host's offer as it bears on this datagram. Before any transfer of it opens, an offer accepted but silent for
 * the stale time (its sender gave up, or was stopped: ours offers again once a second until its data starts,
 * offerPhase.ts) is not another port's: that port may be a course sender of the host, whose segments would
 * otherwise be held off, or opened as the dead offer's transfer and failed against it.
 */
function offerFor(c: C, input: Extract<ReceiverInput, { type: 'datagram' }>): OfferAnswered | undefined {
  const { offered, from } = input;
  if (offered === undefined || c.s.transfer !== null || from.port === offered.port) return offered;
  return c.now - offered.heardAt >= c.config.staleMs ? undefined : offered;
}

/** A new offer, accepted, from the host of an unfinished transfer (not a copy of the offer that started it). */
const restarts = (t: Transfer, offered: OfferAnswered | undefined): boolean =>
  !t.completed && offered?.accepted === true && offered.offer.id !== t.offer?.id;

/**
 * Selective Repeat's receiver rule for a segment out of order: one already taken, or a data segment ahead within
 * the window (kept), is ACKed with its own number (in the course dialect, which offers need, a segment's ACK
 * carries its own number). False: the course's rule applies.
 */
function takeSelective(c: C, t: Transfer, taking: Taking, at: number): boolean {
  const { s } = c;
  const { cursor, window, ahead } = t;
  const behind = at < cursor.next;
  if (window === undefined || ahead === undefined) return false;
  if (!behind && (t.completed || taking.end || at >= cursor.next + window)) return false;
  const kept = !behind && !ahead.has(at);
  if (kept) {
    ahead.set(at, { ...taking, early: true });
    s.counters.outOfOrder++;
  } else s.counters.duplicates++;
  packet(c, kept ? 'out-of-order' : 'duplicate', taking.from, taking.seq, taking.payload.length, kept);
  // A finished transfer re-ACKs its marker here, not in ack(): the name goes first there too (with SACK every ACK
  // now covers the marker; without, only the marker's own).
  if (t.completed && (t.sack !== undefined || at === ackAt(c.config.numbering, cursor)))
    tellKept(c, t, taking.peer);
  // SACK: a gap appears when the segment before this one is missing too; a duplicate says an ACK was lost.
  if (t.sack !== undefined) {
    const gap = at - 1 >= t.cursor.next && !ahead.has(at - 1);
    sackAnswer(c, t, t.sack, taking.peer, !kept || gap);
    return true;
  }
  c.actions.push({ type: 'ack', wire: at, to: taking.peer, ...summed(t) });
  s.counters.acksSent++;
  return true;
}

const MAX_BELOW_FIRST = 64;

function noteBelowFirst(c: C, from: string): void {
  const senders = c.s.belowFirst;
  senders.delete(from); // kept in the order last seen: the first is the one to forget
  if (senders.size >= MAX_BELOW_FIRST) senders.delete(senders.keys().next().value!);
  senders.set(from, c.now);
}

/**
 * A data segment numbered below where transfers start, from a host with no transfer of its own under way here
 * (one inside it is a stray copy), and not of an accepted offer (offered transfers number from 1: a forged segment
 * 0 must not hold one off).
 */
function numberedBelow(
  c: C,
  input: Extract<ReceiverInput, { type: 'datagram' }>,
  offered: OfferAnswered | undefined,
): boolean {
  const { decoded, from } = input;
  const t = c.s.transfer;
  return (
    decoded.ok &&
    decoded.segment.kind === 'data' &&
    decoded.segment.seq < c.fresh.next &&
    offered?.accepted !== true &&
    (t === null || t.host !== from.address || t.completed)
  );
}

/** The sender ("address:port") sent a segment below the first within the stale time: it numbers from 0, still. */
function numbersBelowFirst(c: C, from: string): boolean {
  const at = c.s.belowFirst.get(from);
  return at !== undefined && c.now - at < c.config.staleMs;
}

/**
 * A segment of a sender numbering below where transfers start (segment 0 here, which numbers from 1; or its
 * segment 1, its second): not ACKed, nothing opened. ACK 0 ("nothing yet") would read as its segment 0's ACK, ACK
 * 1 as covering it, and the file would lack its first segment while both sides said done.
 */
function belowFirst(c: C, taking: Taking, at: number): void {
  c.s.counters.outOfOrder++;
  packet(c, 'out-of-order', taking.from, taking.seq, taking.payload.length);
  // Its segment 1 says what its segment 0 (noted, maybe lost on the way) said.
  const first = c.fresh.next;
  emit(c, { type: 'other-numbering', t: c.now, from: taking.from, seq: Math.min(at, first - 1), first });
}

/** The segment numbered `at`: the next in order is written (then ACKed); any other is only ACKed. */
function take(c: C, taking: Taking, at: number): void {
  const { s, actions, config, fresh } = c;
  const t = s.transfer;
  const cursor = t?.cursor ?? fresh;
  const { payload } = taking;
  // No transfer, or a finished one lingering for its own sender's port: another sender, numbering from 0.
  if (at < fresh.next && (t === null || (t.completed && taking.peer.port !== t.port)))
    return belowFirst(c, taking, at);
  if (t !== null && at !== cursor.next && takeSelective(c, t, taking, at)) return;
  if (t === null || t.completed || at !== cursor.next) {
    const behind = at < cursor.next;
    if (behind) s.counters.duplicates++;
    else s.counters.outOfOrder++;
    packet(c, behind ? 'duplicate' : 'out-of-order', taking.from, taking.seq, payload.length);
    return ack(c, cursor, taking.peer);
  }
  if (t.offer && t.bytes + payload.length > t.offer.size)
    return fail(c, `more data arrived than the ${t.offer.size} bytes offered; the partial file was removed`);
  if (t.bytes + payload.length > config.maxBytes)
    return fail(
      c,
      `the file is larger than this receiver accepts (${formatBytes(config.maxBytes)}); the partial file was removed`,
    );
  s.pending = { op: 'write', taking };
  actions.push({ type: 'write', payload });
}

function written(c: C, taking: Taking): void {
  const { s, config } = c;
  const t = s.transfer!;
  // SACK: the end marker is ACKed once the file is checked and kept (fsync of a large file takes a while); what
  // it follows is ACKed now, before the cursor passes the marker, or the sender would time all of it out.
  if (taking.end && t.sack !== undefined && (t.unacked ?? 0) > 0) catchUp(c, t, taking.peer);
  t.cursor = advance(config.numbering, t.cursor, taking.payload.length, taking.end);
  t.port = taking.peer.port;
  t.portHeardAt = c.now;
  t.progressAt = c.now;
  if (t.cursor.taken === 1) t.first = Uint8Array.from(taking.payload);
  t.bytes += taking.payload.length;
  s.counters.bytesWritten += taking.payload.length;
  // A segment kept ahead was reported and ACKed when it arrived.
  if (!taking.early) packet(c, 'written', taking.from, taking.seq, taking.payload.length);
  if (taking.end) return keep(c, 'marker', taking.peer);
  // Selective Repeat: the segment kept ahead that is now next in order is written too.
  const next = t.ahead?.get(t.cursor.next);
  // SACK: a segment that fills a gap is ACKed as soon as the kept ones after it are written (the sender's window
  // waits for it), so its ACK says all of them in order.
  if (!taking.early && t.sack !== undefined) {
    if (next === undefined) sackAnswer(c, t, t.sack, taking.peer, false);
    else t.filled = taking.peer;
  } else if (!taking.early) ack(c, t.cursor, taking.peer);
  if (next === undefined) {
    if (t.filled !== undefined && t.sack !== undefined) sackAnswer(c, t, t.sack, t.filled, true);
    t.filled = undefined;
    return;
  }
  t.ahead!.delete(t.cursor.next);
  take(c, next, t.cursor.next);
}

/**
 * One step of the receiver. It takes the state over and changes it in place (a copy per datagram was most of a
 * round's cost): the caller keeps only the state the step returns.
 */
export function receive(state: ReceivingState, input: ReceiverInput, now: number): ReceivingStep {
  const actions: ReceiverAction[] = [];
  if (state.stopped) return { state, actions };
  const s = state as Draft;
  const c: C = { s, actions, now, config: s.config, fresh: firstCursor(s.config.numbering) };
  const pending = s.pending;
  s.pending = null;
  switch (input.type) {
    case 'datagram':
      onDatagram(c, input);
      break;
    case 'offer':
      s.counters.received++;
      s.counters.offers++;
      actions.push({
        type: 'answer-offer',
        offer: input.offer,
        to: input.from,
        busy: isBusy(s, input.from.address, now),
      });
      break;
    case 'timer':
      onTimer(c);
      break;
    case 'ack-timer':
      onAckTimer(c);
      break;
    case 'cancel': {
      const t = s.transfer;
      // Only the transfer's own sender, by its offer's id (off the path, nobody has seen it); once the end marker
      // is in, the file is verified and kept in the same step (the shell answers each file operation at once), and
      // a cancel comes too late to matter.
      if (t === null || t.completed || t.offer?.id !== input.id || t.host !== input.from.address) break;
      // Not told: it is gone. Its .part goes now, not after the idle timeout; and, as for a sender started over,
      // a one-file session is not used up: its user may well run it again at once.
      fail(c, input.unreadable ? UNREADABLE : CANCELLED, { tell: false, passOver: true });
      break;
    }
    case 'stop':
      s.stopping = true;
      if (s.transfer === null || s.transfer.completed) finish(c);
      // Silence ends this transfer, and a stop ends the silence early: the reference server never exits, so its
      // users stop it once their sender is done (a script at once). What arrived is kept, unverified, as the idle
      // timeout keeps it, and said to be stopped (its sender may have been still at it).
      else if (endsBySilence(s.config, s.transfer, 1)) keep(c, 'stopped');
      else fail(c, "stopped by the receiver's user");
      break;
    case 'opened': {
      if (pending?.op !== 'open') break;
      const { taking } = pending;
      emit(c, {
        type: 'transfer-start',
        t: now,
        from: taking.from,
        path: input.path,
        ...(pending.offer ? { offered: true as const, size: pending.offer.size } : {}),
      });
      s.transfer = {
        host: taking.peer.address,
        from: taking.from,
        port: taking.peer.port,
        path: input.path,
        partPath: input.partPath,
        bytes: 0,
        cursor: c.fresh,
        startedAt: now,
        lastPacketAt: now,
        completed: false,
        ...(pending.offer ? { offer: pending.offer } : {}),
        ...(pending.window !== undefined ? { window: pending.window, ahead: new Map() } : {}),
        ...(pending.sack !== undefined ? { sack: pending.sack, unacked: 0, ackDueAt: null } : {}),
      };
      armTimer(c);
      take(c, taking, pending.at);
      break;
    }
    case 'open-failed':
      if (pending?.op !== 'open') break;
      if (pending.offer)
        actions.push({
          type: 'decline',
          id: pending.offer.id,
          reason: input.reason,
          to: pending.taking.peer,
        });
      emit(c, { type: 'transfer-failed', t: now, reason: input.reason, partPath: input.partPath, bytes: 0 });
      endTransfer(c, input.reason);
      break;
    case 'written':
      if (pending?.op === 'write') written(c, pending.taking);
      break;
    case 'write-failed':
      if (pending?.op === 'write') fail(c, input.reason, { to: pending.taking.peer });
      break;
    case 'flush-failed':
      if (s.transfer !== null && !s.transfer.completed) fail(c, input.reason);
      break;
    case 'digested':
      if (pending?.op !== 'digest') break;
      if (input.sha256 !== s.transfer!.offer!.sha256)
        notKept(
          c,
          `the file is not the one offered: its SHA-256 does not match the offer's; nothing was kept`,
          pending.marker,
        );
      else commit(c, pending);
      break;
    case 'committed':
      if (pending?.op === 'commit') kept(c, input, pending.endedBy, pending.marker);
      break;
    case 'commit-failed':
      if (pending?.op === 'commit') fail(c, input.reason);
      break;
  }
  return { state: s, actions };
}
