// The P2MP-FTP receiver. For every datagram, in this order:
//   1. from another host than the sender being served -> counted as foreign, ignored; unless that transfer has
//      gone silent (staleMs) and this is a new sender's segment 1: then the old transfer is abandoned for it.
//      A transfer belongs to its sender's address, not its port: the reference client sends every segment
//      from a new socket, and each ACK goes back to the port its segment came from;
//   2. a data segment -> simulated loss first: dropped with probability p, nothing else happens;
//   3. bad checksum -> counted, ignored (no ACK); not a data segment -> counted as malformed, ignored;
//   4. the next expected sequence number -> written synchronously, then ACKed (never ACKed if the write failed,
//      or if it would pass the size limit or fill the disk); an empty one is the end marker: the file is
//      fsynced, renamed from .part and the marker ACKed;
//   5. anything else -> ACK of the last in-order sequence number.
// A transfer that fails removes its .part file; one that ends by silence is "complete, unverified".
// Sequence numbers are the dialect's (protocol/numbering.ts): the transfer's cursor knows the wire number expected
// next (a byte offset, in dialect bytes) and the ACK to send. A dialect's end signal (a header of type 0x0000, a
// FIN, which carries no number and so stands for the number expected) is the end marker; in eof-none the sender
// has none and the transfer ends by silence.
// Our senders offer the file first (src/shared/offer/): name, size and SHA-256. An accepted offer names the file
// and the transfer is verified: the end marker is ACKed only once the content's SHA-256 matches the offer's;
// otherwise nothing is kept and the sender is told why.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import {
  emptyCounters,
  type CompletedFile,
  type PacketOutcome,
  type ReceiverCounters,
  type ReceiverEvent,
} from '../events.js';
import { portProblem } from '../limits.js';
import { createLossModel, lossProbabilityProblem } from '../lossModel.js';
import { wireProfile } from '../protocol/codec.js';
import { dialectProblem, isStandardDialect, STANDARD_DIALECT, type Dialect } from '../protocol/dialect.js';
import { ackAt, advance, firstCursor, type Cursor } from '../protocol/numbering.js';
import type { ProfileName } from '../protocol/segment.js';
import { EMPTY } from '../protocol/wire.js';
import { randomSeed, seededRandom } from '../random.js';
import { systemTimers, type Timers } from '../timers.js';
import { formatBytes } from '../format.js';
import { numberedName, safeFileName } from '../offer/fileName.js';
import { decodeOffer, encodeAnswer, hasOfferSeq, type Answer, type Offer } from '../offer/message.js';
import { nodeUdp, type Peer, type Udp } from './udp.js';
import { codeProblem, normalizeCode } from '../session/code.js';
import type { DeriveMaster } from './sessionCrypto.js';
import { receiverSession } from './sessionUdp.js';
import { nodeFileOps, openPartFile, writeProblem, type FileOps, type PartFile } from './partFile.js';

export type IdleAction = 'complete' | 'fail';

export interface ReceiveOptions {
  port: number;
  bind?: string;
  /** Path of the file to write for the n-th transfer (0-based) when it is not saved under an offered name. */
  destination: (transferIndex: number) => string;
  /**
   * Save offered files in this folder under the name their sender offered, made safe (src/shared/offer/
   * fileName.ts); a name already taken becomes "name (2).ext". Absent: every file goes to `destination`.
   */
  folder?: string;
  /** Whether to take an offered file that fits (a person's answer); absent: accept it. */
  decide?: (offer: OfferRequest) => Promise<boolean>;
  p: number;
  seed?: number;
  profile?: ProfileName;
  /** How the sender numbers, checksums and ends segments; the course's own by default. */
  dialect?: Dialect;
  /** A transfer with no packet for this long ends (see onIdle). 0 never. */
  idleTimeoutMs?: number;
  /**
   * What a silent sender means: 'complete' keeps what arrived as the file (senders without an end marker, like the
   * reference one); 'fail' leaves only the .part file. Default: 'complete' for seed-text and dialect eof-none,
   * 'fail' otherwise.
   */
  onIdle?: IdleAction;
  /** After a transfer, keep serving new ones instead of finishing. */
  keepListening?: boolean;
  /** After the end marker, keep re-ACKing its retransmissions until the sender has been quiet this long. */
  lingerMs?: number;
  /** A transfer whose sender has sent nothing for this long yields to another host's segment 1. */
  staleMs?: number;
  /** Largest file accepted, in bytes; a transfer that would pass it fails before writing (no ACK). */
  maxBytes?: number;
  /** Free space always left on the disk: a transfer that would eat into it fails before writing. */
  reserveBytes?: number;
  timers?: Timers;
  /** The network: real UDP by default, the simulator's in tests. */
  udp?: Udp;
  /**
   * This receiver's session code: only senders started with it get in, every datagram sealed (authenticated and
   * encrypted); anything else is dropped and counted. Absent: the course protocol, exactly.
   */
  code?: string;
  /** The code's key derivation: scrypt by default; tests in virtual time pass one that does not wait. */
  sessionKdf?: DeriveMaster;
  onEvent?: (event: ReceiverEvent) => void;
  fileOps?: FileOps;
}

/** An offer as the receiver's user sees it. */
export interface OfferRequest {
  from: string;
  /** The sending machine's name, as it says (shown, never trusted). */
  sender?: string;
  name: string;
  size: number;
  sha256: string;
}

/** What this receiver answered to an offer from a host. */
interface OfferEntry {
  offer: Offer;
  answer: Answer;
  at: number;
}

/** What a sender without the session code is told when it offers a file. */
export const NEEDS_CODE = 'this receiver lets in only a sender with its session code (--code)';

/** Offers remembered at once (one per sender host): bounded against a flood of forged offers. */
const MAX_OFFERS = 16;
/** An answered offer is forgotten after this long without its transfer: the sender gave up or went away. */
const OFFER_TTL_MS = 90_000;

export interface ReceiveResult {
  ok: boolean;
  files: CompletedFile[];
  failure?: string;
  counters: ReceiverCounters;
}

export interface ReceiverSession {
  address: { address: string; port: number };
  seed: number;
  setLossProbability(p: number): void;
  counters(): ReceiverCounters;
  stop(): Promise<void>;
  done: Promise<ReceiveResult>;
}

export const DEFAULT_PORT = 7735;
export const DEFAULT_IDLE_TIMEOUT_MS = 10_000;
const DEFAULT_LINGER_MS = 1_000;
export const DEFAULT_STALE_MS = 3_000;
export const DEFAULT_RESERVE_BYTES = 32 << 20;

interface Transfer {
  /** The sender's address: the transfer follows it whatever source port a segment comes from. */
  host: string;
  /** Address and port of its first segment, as shown to the user. */
  from: string;
  /** Source port of the last in-order segment (for a finished transfer: of its end marker). */
  port: number;
  /** Its sender has sent nothing but segment 1 so far (a stray, or a stranger repeating it). */
  onlyFirst: boolean;
  /** Bytes that may still be written before free space is checked again. */
  budget: number;
  file: PartFile;
  /** Where it stands: segments taken in order (and ACKed), the wire numbers last taken and expected next. */
  cursor: Cursor;
  startedAt: number;
  lastPacketAt: number;
  /** Set once the file is complete: the transfer only re-ACKs until the sender goes quiet. */
  completed: boolean;
  /** The accepted offer: the file is verified against it. Absent: course mode. */
  offer?: Offer;
}

/** Checks that the receiver may write `path`, before anything is bound or written. */
export function destinationProblem(path: string): string | null {
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
      return `cannot write "${path}": it is a folder`;
    const folder = dirname(path);
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory())
      return `cannot write "${path}": folder "${folder}" does not exist`;
    accessSync(folder, constants.W_OK);
    return null;
  } catch (error) {
    return writeProblem(error, path);
  }
}

export async function startReceiver(options: ReceiveOptions): Promise<ReceiverSession> {
  const dialect = options.dialect ?? STANDARD_DIALECT;
  const dialectIssue = dialectProblem(options.profile ?? 'standard', dialect);
  if (dialectIssue) throw new InputError(dialectIssue);
  const profile = wireProfile(options.profile ?? 'standard', dialect);
  // Offers are ours, in the course dialect: a receiver told to speak another dialect is talking to someone else's.
  const offersSpoken = isStandardDialect(dialect);
  /** Where every transfer starts: `fresh.next` is the first segment's number. */
  const fresh = firstCursor(dialect);
  const portIssue = portProblem(options.port, true);
  if (portIssue) throw new InputError(portIssue);
  const code = options.code === undefined ? null : normalizeCode(options.code);
  const codeIssue =
    options.code === undefined
      ? null
      : (codeProblem(options.code) ??
        (offersSpoken ? null : 'a session code works between our sender and receiver only: drop --dialect'));
  if (codeIssue) throw new InputError(codeIssue);
  const pIssue = lossProbabilityProblem(options.p);
  if (pIssue) throw new InputError(pIssue);
  const firstPath = options.destination(0);
  const pathIssue = destinationProblem(firstPath);
  if (pathIssue) throw new InputError(pathIssue);
  const seed = options.seed ?? randomSeed();
  const loss = createLossModel(options.p, seededRandom(seed));
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const onIdle: IdleAction =
    options.onIdle ?? (profile.name === 'seed-text' || dialect.eof === 'none' ? 'complete' : 'fail');
  const lingerMs = options.lingerMs ?? DEFAULT_LINGER_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const maxBytes = options.maxBytes ?? Infinity;
  const reserveBytes = options.reserveBytes ?? DEFAULT_RESERVE_BYTES;
  const timers = options.timers ?? systemTimers;
  const fileOps = options.fileOps ?? nodeFileOps;
  const bind = options.bind ?? '0.0.0.0';
  const onEvent = options.onEvent;

  const start = timers.now();
  const now = (): number => timers.now() - start;
  const counters = emptyCounters();
  if (code !== null) Object.assign(counters, { forged: 0, replayed: 0 });
  const plain = options.udp ?? nodeUdp;
  const udp =
    code === null
      ? plain
      : receiverSession(plain, { code, ...(options.sessionKdf ? { derive: options.sessionKdf } : {}) });
  // Datagrams go to onMessage, declared below with the receiver's rules.
  const socket = await udp({
    address: bind,
    port: options.port,
    family: bind.includes(':') ? 6 : 4,
    onMessage: (datagram, from) => onMessage(datagram, from),
    // Never counted as received: they never reach the receiver's rules.
    onRejected: ({ why, from, first, plain }) => {
      if (why === 'replayed') counters.replayed = (counters.replayed ?? 0) + 1;
      else counters.forged = (counters.forged ?? 0) + 1;
      const source = `${from.address}:${from.port}`;
      onEvent?.({ type: 'rejected', t: now(), why, from: source });
      if (first && (why === 'wrong-code' || why === 'unsealed'))
        onEvent?.({ type: why, t: now(), from: source });
      // One of our senders without the code: told why in its own protocol (no more than it could learn anyway).
      const offer =
        plain && hasOfferSeq(plain.datagram, profile.name) && decodeOffer(plain.datagram, profile.name);
      if (offer)
        plain.answer(encodeAnswer(profile.name, { id: offer.id, answer: 'decline', reason: NEEDS_CODE }));
    },
  });

  const files: CompletedFile[] = [];
  let transfer: Transfer | null = null;
  const offers = new Map<string, OfferEntry>();
  let transferIndex = 0;
  let timer: unknown;
  let stopped = false;
  let stopping = false;
  let resolveDone!: (result: ReceiveResult) => void;
  const done = new Promise<ReceiveResult>((resolve) => (resolveDone = resolve));

  function packet(outcome: PacketOutcome, from: string, seq: number | undefined, bytes: number): void {
    onEvent?.({ type: 'packet', t: now(), ...(seq !== undefined ? { seq } : {}), outcome, bytes, from });
  }

  function ack(cursor: Cursor, rinfo: Peer): void {
    socket.send(profile.encodeAck(ackAt(dialect, cursor)), rinfo.port, rinfo.address);
    counters.acksSent++;
  }

  function finish(failure?: string): void {
    if (stopped) return;
    stopped = true;
    timers.clearTimeout(timer);
    socket.close();
    onEvent?.({ type: 'stopped', t: now(), counters: { ...counters } });
    resolveDone({
      ok: failure === undefined,
      files,
      ...(failure ? { failure } : {}),
      counters: { ...counters },
    });
  }

  /** The transfer is over, one way or another: serve the next one or finish. */
  function endTransfer(failure?: string): void {
    transfer = null;
    transferIndex++;
    timers.clearTimeout(timer);
    if (!options.keepListening || stopping) finish(failure);
  }

  /**
   * Ends the transfer without a file and removes its .part. `passOver`: the transfer does not use up a one-file
   * session or its file name: a stray (never past segment 1), or one abandoned for a new sender.
   */
  function fail(reason: string, passOver = false): void {
    const current = transfer!;
    current.file.abandon();
    onEvent?.({
      type: 'transfer-failed',
      t: now(),
      reason,
      partPath: current.file.partPath,
      bytes: current.file.bytes,
    });
    if (!passOver) return endTransfer(reason);
    transfer = null;
    timers.clearTimeout(timer);
  }

  /** The offered content arrived whole and unchanged: the SHA-256 check before anything is renamed. */
  function verifyProblem(current: Transfer): string | null {
    const offer = current.offer;
    if (!offer) return null;
    if (current.file.bytes !== offer.size)
      return `the file is not the one offered: ${current.file.bytes} bytes arrived, ${offer.size} were offered; nothing was kept`;
    if (current.file.digest() !== offer.sha256)
      return `the file is not the one offered: its SHA-256 does not match the offer's; nothing was kept`;
    return null;
  }

  /** Renames the .part: over the destination (course mode), or never over an existing file (an offered name). */
  function commit(current: Transfer): { sha256: string; path: string } {
    const folder = options.folder;
    if (!current.offer || folder === undefined)
      return { sha256: current.file.commit(), path: current.file.path };
    const name = safeFileName(current.offer.name);
    for (let taken = 1; ; taken++) {
      const path = taken === 1 ? current.file.path : join(folder, numberedName(name, taken));
      try {
        return { sha256: current.file.commit({ replace: false, to: path }), path };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || taken >= 1000) throw error;
      }
    }
  }

  function complete(endedBy: CompletedFile['endedBy'], marker?: Peer): boolean {
    const current = transfer!;
    const problem = verifyProblem(current);
    if (problem !== null) {
      counters.corrupt++; // end to end: the content failed the offer's SHA-256
      if (marker && current.offer)
        socket.send(
          encodeAnswer(profile.name, { id: current.offer.id, answer: 'decline', reason: problem }),
          marker.port,
          marker.address,
        );
      fail(problem);
      return false;
    }
    let sha256: string;
    let path: string;
    try {
      ({ sha256, path } = commit(current));
    } catch (error) {
      fail(writeProblem(error, current.file.partPath));
      return false;
    }
    const file: CompletedFile = {
      path,
      bytes: current.file.bytes,
      sha256,
      durationMs: now() - current.startedAt,
      from: current.from,
      endedBy,
      verified: endedBy === 'marker',
      ...(current.offer ? { offeredName: current.offer.name } : {}),
    };
    files.push(file);
    current.completed = true;
    onEvent?.({ type: 'complete', t: now(), file });
    return true;
  }

  // One timer for the transfer: idle detection while receiving, the linger window after the end marker.
  function armTimer(): void {
    timers.clearTimeout(timer);
    const current = transfer;
    if (current === null) return;
    const limit = current.completed ? lingerMs : idleTimeoutMs;
    if (limit <= 0) return;
    timer = timers.setTimeout(
      () => {
        if (transfer !== current) return;
        if (now() - current.lastPacketAt < limit) return armTimer();
        if (current.completed) return endTransfer();
        const silent = `the sender went silent for ${(limit / 1000).toFixed(1)} s`;
        if (current.cursor.taken <= 1)
          fail(`${silent} after its first segment; the partial file was removed`, true);
        else if (onIdle === 'complete' && !current.offer) {
          if (complete('idle')) endTransfer();
        } else fail(`${silent} after ${current.file.bytes} bytes; the partial file was removed`);
      },
      Math.max(1, limit - (now() - current.lastPacketAt)),
    );
  }

  function begin(host: string, from: string, offer: Offer | undefined): Transfer | null {
    const path =
      offer && options.folder !== undefined
        ? freeName(options.folder, safeFileName(offer.name))
        : options.destination(transferIndex);
    const problem = destinationProblem(path);
    let file: PartFile;
    try {
      if (problem) throw new Error(problem);
      file = openPartFile(path, fileOps);
    } catch (error) {
      const reason = problem ?? writeProblem(error, `${path}.part`);
      onEvent?.({ type: 'transfer-failed', t: now(), reason, partPath: `${path}.part`, bytes: 0 });
      endTransfer(reason);
      return null;
    }
    const t = now();
    onEvent?.({ type: 'transfer-start', t, from, path });
    return {
      host,
      from,
      port: 0,
      onlyFirst: true,
      budget: 0,
      file,
      cursor: fresh,
      startedAt: t,
      lastPacketAt: t,
      completed: false,
      ...(offer ? { offer } : {}),
    };
  }

  /** The first of "name", "name (2)", ... not taken yet in the destination. */
  function freeName(folder: string, name: string): string {
    for (let taken = 1; ; taken++) {
      const path = join(folder, numberedName(name, taken));
      if (taken >= 1000 || !fileOps.existsSync(path)) return path;
    }
  }

  /** Why an offered file cannot be taken, checked before anything is written; null: it fits. */
  function offerProblem(offer: Offer): string | null {
    if (offer.size > maxBytes)
      return `the file (${formatBytes(offer.size)}) is larger than this receiver accepts (${formatBytes(maxBytes)})`;
    let free: number;
    try {
      free = fileOps.freeBytes(options.folder ?? dirname(options.destination(transferIndex)));
    } catch {
      return null;
    }
    return offer.size > free - reserveBytes
      ? `not enough free space: the file needs ${formatBytes(offer.size)}, ${formatBytes(Math.max(0, free - reserveBytes))} may be used`
      : null;
  }

  /** An offer (no simulated loss: it is not course data): answer it, asking the user when there is one. */
  function onOffer(offer: Offer, rinfo: Peer): void {
    counters.offers++;
    const t = now();
    for (const [host, entry] of offers) if (t - entry.at > OFFER_TTL_MS) offers.delete(host);
    // Busy with another host's transfer: "wait" (the sender asks again every second) until it ends or goes
    // stale, as its segment 1 would; nothing is decided yet.
    const current = transfer;
    if (current !== null && !current.completed && current.host !== rinfo.address && !isStale(current)) {
      socket.send(encodeAnswer(profile.name, { id: offer.id, answer: 'wait' }), rinfo.port, rinfo.address);
      return;
    }
    let entry = offers.get(rinfo.address);
    if (entry?.offer.id !== offer.id) {
      const problem = offerProblem(offer);
      const asking = problem === null && options.decide !== undefined;
      const answer: Answer = problem
        ? { id: offer.id, answer: 'decline', reason: problem }
        : { id: offer.id, answer: asking ? 'wait' : 'accept' };
      const made: OfferEntry = { offer, answer, at: t };
      entry = made;
      if (!offers.has(rinfo.address) && offers.size >= MAX_OFFERS) offers.delete(offers.keys().next().value!);
      offers.set(rinfo.address, made);
      if (asking)
        options.decide!({
          from: rinfo.address,
          ...(offer.sender ? { sender: offer.sender } : {}),
          name: safeFileName(offer.name),
          size: offer.size,
          sha256: offer.sha256,
        }).then(
          (yes) => {
            made.at = now();
            made.answer = yes
              ? { id: offer.id, answer: 'accept' }
              : { id: offer.id, answer: 'decline', reason: "the receiver's user declined the file" };
          },
          () => (made.answer = { id: offer.id, answer: 'decline', reason: 'no decision could be made' }),
        );
    }
    socket.send(encodeAnswer(profile.name, entry.answer), rinfo.port, rinfo.address);
  }

  /** Why `length` more bytes may not be written: over the size limit, or into the disk's reserve. */
  function spaceProblem(current: Transfer, length: number): string | null {
    if (current.file.bytes + length > maxBytes)
      return `the file is larger than this receiver accepts (${formatBytes(maxBytes)}); the partial file was removed`;
    if (length <= current.budget) return null;
    let free: number;
    try {
      free = fileOps.freeBytes(dirname(current.file.partPath));
    } catch {
      return null; // no way to tell (exotic file system): the write itself will report a full disk
    }
    // Checked again after every few MiB: one statfs per chunk would cost more than the write.
    current.budget = Math.min(free - reserveBytes, 4 << 20);
    if (length <= current.budget) return null;
    return `stopped before the disk is full (${formatBytes(Math.max(0, free))} free); the partial file was removed`;
  }

  /**
   * Another host's segment 1 replaces a transfer that has gone silent for staleMs, or whose sender has sent
   * nothing but segment 1 for staleMs: so neither one stray datagram nor a stranger repeating segment 1 locks the
   * receiver out of the real sender, while a real transfer that has moved on (even if a flood delays its segment
   * 2) is never taken. (Two real senders aimed at one receiver at once would take turns at segment 1.)
   */
  function mayTakeOver(current: Transfer, message: Buffer): boolean {
    if (!isStale(current)) return false;
    const decoded = profile.decode(message);
    return decoded.ok && decoded.segment.kind !== 'ack' && decoded.segment.seq === fresh.next;
  }

  /** Silent for staleMs, or its sender has sent nothing but segment 1 for staleMs: another host may take over. */
  function isStale(current: Transfer): boolean {
    const t = now();
    return t - current.lastPacketAt >= staleMs || (current.onlyFirst && t - current.startedAt >= staleMs);
  }

  function onMessage(message: Buffer, rinfo: Peer): void {
    counters.received++;
    if (offersSpoken && hasOfferSeq(message, profile.name)) {
      const offer = decodeOffer(message, profile.name);
      if (offer) return onOffer(offer, rinfo);
    }
    const from = `${rinfo.address}:${rinfo.port}`;
    if (transfer !== null && rinfo.address !== transfer.host) {
      if (!mayTakeOver(transfer, message)) {
        counters.foreign++;
        return packet('foreign', from, undefined, message.length);
      }
      const silentS = ((now() - transfer.lastPacketAt) / 1000).toFixed(1);
      const why = `abandoned: its sender was silent for ${silentS} s and ${from} started a new transfer`;
      if (transfer.completed) endTransfer();
      else fail(why, true);
    }
    const decoded = profile.decode(message);
    const isData = decoded.ok ? decoded.segment.kind !== 'ack' : decoded.reason === 'bad-checksum';
    if (!isData) {
      counters.malformed++;
      return packet('malformed', from, decoded.ok ? decoded.segment.seq : decoded.seq, message.length);
    }
    if (transfer !== null) {
      transfer.lastPacketAt = now();
      if ((decoded.ok ? decoded.segment.seq : decoded.seq) !== fresh.next) transfer.onlyFirst = false;
    }
    if (loss.drop()) {
      counters.dropped++;
      return packet('dropped', from, decoded.ok ? decoded.segment.seq : decoded.seq, message.length);
    }
    if (!decoded.ok || decoded.segment.kind === 'ack') {
      counters.corrupt++;
      return packet('corrupt', from, decoded.ok ? undefined : decoded.seq, message.length);
    }
    const segment = decoded.segment;
    const { seq } = segment;
    const payload = segment.kind === 'data' ? segment.payload : EMPTY;
    const end = payload.length === 0;
    // A FIN stands at the number a transfer under way expects (and starts none).
    const at =
      segment.kind === 'end' && !segment.numbered && transfer?.completed === false
        ? transfer.cursor.next
        : seq;
    // A finished transfer lingers to re-ACK its marker; a first segment from a new port of the same host is that
    // host's next transfer (the marker's retransmissions come from the port that sent it).
    if (transfer?.completed && at === fresh.next && rinfo.port !== transfer.port) endTransfer();
    if (stopped) return;
    if (transfer === null && at === fresh.next) {
      // A host that offered a file gets to send only what was accepted: not while its user decides, not after
      // a decline.
      const offered = offers.get(rinfo.address);
      if (offered && offered.answer.answer !== 'accept') {
        counters.foreign++;
        return packet('foreign', from, seq, payload.length);
      }
      offers.delete(rinfo.address);
      transfer = begin(rinfo.address, from, offered?.offer);
      if (transfer === null) return;
      armTimer();
    }
    const current = transfer;
    const cursor = current?.cursor ?? fresh;
    if (current === null || current.completed || at !== cursor.next) {
      const behind = at < cursor.next;
      if (behind) counters.duplicates++;
      else counters.outOfOrder++;
      packet(behind ? 'duplicate' : 'out-of-order', from, seq, payload.length);
      return ack(cursor, rinfo);
    }
    if (current.offer && current.file.bytes + payload.length > current.offer.size)
      return fail(
        `more data arrived than the ${current.offer.size} bytes offered; the partial file was removed`,
      );
    const space = spaceProblem(current, payload.length);
    if (space !== null) return fail(space);
    try {
      current.file.write(payload);
      current.budget -= payload.length;
    } catch (error) {
      return fail(writeProblem(error, current.file.partPath));
    }
    current.cursor = advance(dialect, cursor, payload.length, end);
    current.port = rinfo.port;
    counters.bytesWritten += payload.length;
    packet('written', from, seq, payload.length);
    if (end && !complete('marker', rinfo)) return;
    ack(current.cursor, rinfo);
    if (current.completed) armTimer();
  }

  const address = socket.local;
  onEvent?.({
    type: 'listening',
    t: 0,
    address: address.address,
    port: address.port,
    profile: profile.name,
    p: loss.p,
    ...(code !== null ? { sealed: true as const } : {}),
  });

  return {
    address: { address: address.address, port: address.port },
    seed,
    setLossProbability(p) {
      const problem = lossProbabilityProblem(p);
      if (problem) throw new InputError(problem);
      loss.setP(p);
      onEvent?.({ type: 'loss-changed', t: now(), p });
    },
    counters: () => ({ ...counters }),
    async stop() {
      stopping = true;
      if (transfer !== null && !transfer.completed) fail('stopped by the user');
      else finish();
      await done;
    },
    done,
  };
}
