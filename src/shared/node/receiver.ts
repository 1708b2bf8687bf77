// The P2MP-FTP receiver's I/O shell: checks the input, binds the socket, and runs the receiver's machine
// (src/shared/engine/receiving.ts, where the rules are) over it, the timer and the files: it decodes each
// datagram, draws the simulated loss when the rules ask, opens, writes, checks and renames the .part file, and
// answers our senders' offers (src/shared/offer/): name, size and SHA-256, with the user's say when there is one.
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import {
  emptyCounters,
  type CompletedFile,
  type PendingOffer,
  type ReceiverCounters,
  type ReceiverEvent,
} from '../events.js';
import { DEFAULT_IDLE_TIMEOUT_MS, portProblem } from '../limits.js';
import { createLossModel, lossProbabilityProblem } from '../network/lossModel.js';
import { wireProfile } from '../protocol/codec.js';
import {
  dialectProblem,
  formatDialect,
  isStandardDialect,
  STANDARD_DIALECT,
  type Dialect,
} from '../protocol/dialect.js';
import { firstCursor } from '../protocol/numbering.js';
import type { ProfileName } from '../protocol/segment.js';
import { randomSeed, seededRandom } from '../network/random.js';
import { systemTimers, type Timers } from '../engine/timers.js';
import { fileNameOf, formatBytes, hostOf } from '../format.js';
import { numberedName, safeFileName } from '../offer/fileName.js';
import { unfinishedFiles } from './leftovers.js';
import {
  decodeCancel,
  decodeOffer,
  encodeAnswer,
  hasOfferSeq,
  type Answer,
  type Cancel,
  type Offer,
} from '../offer/message.js';
import { nodeUdp, type Peer, type Udp } from './udp.js';
import { codeProblem, normalizeCode } from '../session/code.js';
import { hostTries } from '../session/hostTries.js';
import { countRejection, noSessionRejections } from '../session/rejections.js';
import type { StretchCode } from './sessionCrypto.js';
import { noCodeNotice, receiverSession } from './sessionUdp.js';
import { groupInterface, groupListener } from './multicastUdp.js';
import {
  isBusy,
  receive,
  startReceiving,
  type ReceiverAction,
  type ReceiverInput,
} from '../engine/receiving.js';
import {
  nodeFileOps,
  openPartFile,
  partPathOf,
  whyNotWritten,
  writeProblem,
  type FileOps,
  type PartFile,
} from './partFile.js';
import { proveWritable } from './outputFolder.js';
import { checksumEvidence } from './checksumEvidence.js';
import { defaultIdleAction, silenceNote, type IdleAction } from '../protocol/silence.js';

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
  /**
   * Whether to take an offered file that fits (a person's answer); absent: accept it. `withdrawn` aborts when the
   * question no longer stands (its host offered another file, the offer went stale or was pushed out by others,
   * the receiver stopped): the asker takes it down, so questions waiting at once never exceed MAX_OFFERS.
   */
  decide?: (offer: OfferRequest, withdrawn: AbortSignal) => Promise<boolean>;
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
  /** The code's stretch: scrypt (once per code and process) by default; tests in virtual time pass one that does not wait. */
  sessionKdf?: StretchCode;
  /**
   * Join the multicast group a Selective Repeat offer names (multicastUdp.ts). Default: on with real UDP, off
   * with `udp` given (a simulated network has no groups).
   */
  multicast?: boolean;
  onEvent?: (event: ReceiverEvent) => void;
  fileOps?: FileOps;
}

/** An offer as the receiver's user sees it (the app adds the id of its question). */
export type OfferRequest = Omit<PendingOffer, 'id'>;

/** A course sender the user is asked about, let in or turned away: the answer stands while it keeps sending. */
interface CourseEntry {
  admitted: boolean | null;
  /** When it last sent. */
  at: number;
  /**
   * Its segments 1 (the ones that open a transfer), which it repeats every T whatever T is: a windowed sender's
   * other segments come back to back, and say nothing of T.
   */
  asks: Repeats;
  asking?: AbortController;
}

/** A question's sender asking again and again: when it last asked, and the longest gap seen (-1: asked once). */
interface Repeats {
  lastAt: number;
  gap: number;
}

/** The sender asked again at `t`: the gap between its repeats is learnt. */
function askedAgain(r: Repeats, t: number): void {
  r.gap = Math.max(r.gap, t - r.lastAt);
  r.lastAt = t;
}

/** What this receiver answered to an offer from a host. */
interface OfferEntry {
  offer: Offer;
  answer: Answer;
  /** The port it came from: its transfer is taken from there only (receiving.ts, fromAnotherSocket). */
  port: number;
  at: number;
  /** Its sender sending it again (ours ask every second while a person decides). */
  asks: Repeats;
  /** The offer's multicast group: being joined, or whether it was. */
  joined?: 'joining' | boolean;
  /** While the user is asked: aborted when the question no longer stands. */
  asking?: AbortController;
}

/**
 * Accepting an offer: with Selective Repeat offered, we agree to it (receiving.ts buffers within its window); with
 * its group joined, we say so; and that our ACKs carry their checksum (receiving.ts, `summed`).
 */
const accepting = (offer: Offer, joined = false): Answer => ({
  id: offer.id,
  answer: 'accept',
  ...(offer.protocol === 'sr' ? { protocol: 'sr' as const } : {}),
  ...(offer.protocol === 'sr' && joined ? { multicast: true as const } : {}),
  ...(offer.protocol === 'sr' && offer.sack ? { sack: true as const } : {}),
  summed: true,
});

/**
 * What the sender is told of a failure here: file names, never this machine's folders (a quoted path, as in
 * `cannot write "/home/ana/Received/x.part"`, or an error's 'open /x/y', becomes its last part).
 */
export const withoutFolders = (reason: string): string =>
  reason.replace(/(["'])([^"']*[\\/][^"']*)\1/g, (_, quote: string, path: string) => {
    return `${quote}${fileNameOf(path)}${quote}`;
  });

/** A host told something once (another profile, numbering, data not earned) is told again after this long quiet. */
const TOLD_QUIET_MS = 10_000;
/** What a sender without the session code is told when it offers a file: the app's user or p2mpclient's. */
export const NEEDS_CODE =
  "this receiver lets in only a sender with its session code (Send mode's Session code field, or p2mpclient --code)";
/** Without a code: a sender with one is reported again once it has been quiet this long (a new try). */
const SEALED_QUIET_MS = 10_000;
/** Without a code: "no code" notices, to whoever asks, are at least this far apart. */
const NO_CODE_GAP_MS = 50;

/** Offers remembered at once (one per sender host): bounded against a flood of forged offers. */
const MAX_OFFERS = 16;
/** A host told to wait is said again to the user once it has not asked for this long (a new try). */
const HELD_QUIET_MS = 10_000;
/** Hosts told to wait are said to the user at most this often, whichever host asks. */
const HELD_GAP_MS = 1_000;
/** An answered offer is forgotten after this long without its transfer: the sender gave up or went away. */
const OFFER_TTL_MS = 90_000;
/**
 * A question on the user's screen is withdrawn once its sender has not asked for this long: it gave up (60 s
 * without a decision), or was stopped. Ours ask again every second, a course sender repeats its segment every T.
 */
export const QUESTION_QUIET_MS = 5_000;
/** The reason a question is withdrawn with when its sender stopped asking (not when the receiver forgets it). */
export const SENDER_STOPPED = 'its sender stopped asking';

/** A question asked once and not again: its sender stopped, or repeats itself slowly (a T of several seconds). */
const ASKED_ONCE_QUIET_MS = 3 * QUESTION_QUIET_MS;

/**
 * Whether a question's sender has stopped asking by `t`: quiet for QUESTION_QUIET_MS, or for 3 of its own gaps
 * between repeats when they are longer (a long T); asked once, its gap unknown: for ASKED_ONCE_QUIET_MS.
 */
const stoppedAsking = ({ lastAt, gap }: Repeats, t: number): boolean =>
  t - lastAt >= (gap < 0 ? ASKED_ONCE_QUIET_MS : Math.max(QUESTION_QUIET_MS, 3 * gap));
/** Course senders asked about at once (a lab has one; spoofed sources cannot fill the screen with questions). */
const MAX_COURSE_QUESTIONS = 4;

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
export const DEFAULT_LINGER_MS = 1_000;
export const DEFAULT_STALE_MS = 3_000;
export const DEFAULT_RESERVE_BYTES = 32 << 20;

/** How a student's sender may checksum otherwise: the other byte order, the other coverage, or both. */
const otherOrder = (d: Dialect): Partial<Dialect> => ({ order: d.order === 'big' ? 'little' : 'big' });
const otherCoverage = (d: Dialect): Partial<Dialect> => ({
  coverage: d.coverage === 'payload' ? 'header-and-payload' : 'payload',
});
const CHECKSUM_VARIANTS = [
  otherOrder,
  otherCoverage,
  (d: Dialect) => ({ ...otherOrder(d), ...otherCoverage(d) }),
];

/**
 * Checks that the receiver may write `path`, before anything is bound or written; `folder` when the user named a
 * folder to save into (then `path` is a name in it the user never gave).
 */
export function destinationProblem(
  path: string,
  fileOps: FileOps = nodeFileOps,
  folder?: string,
): string | null {
  try {
    const there = statSync(path, { throwIfNoEntry: false });
    if (there?.isDirectory()) return `cannot write "${path}": it is a folder`;
    // The received file replaces what is there: never a device or a pipe (sudo p2mpserver 7735 /dev/null 0).
    if (there !== undefined && !there.isFile())
      return `cannot write "${path}": it is a device, a pipe or a socket, not a file (the received file would replace it)`;
    const folder = dirname(path);
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory())
      return `cannot write "${path}": folder "${folder}" does not exist`;
    // Made as the longest name the transfer's file takes, its partial file's: a name the file system cannot take
    // is said now, not when the first segment comes.
    proveWritable(folder, fileOps, partPathOf(path, 1));
    return null;
  } catch (error) {
    // Into a folder, the user named the folder, not the file: say it of the folder.
    const where = folder === undefined ? `cannot write "${path}"` : `cannot save into folder "${folder}"`;
    // The folder is there, yet a file in it "does not exist": a file system that takes no files (/proc).
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return `${where}: the file system there takes no new files`;
    // The name may fit alone: say what made it too long.
    if ((error as NodeJS.ErrnoException).code === 'ENAMETOOLONG')
      return `${where}: ${whyNotWritten(error)} (with the ".<random>.part" of its partial file: 18 characters more)`;
    return `${where}: ${whyNotWritten(error)}`;
  }
}

export async function startReceiver(options: ReceiveOptions): Promise<ReceiverSession> {
  const dialect = options.dialect ?? STANDARD_DIALECT;
  const dialectIssue = dialectProblem(options.profile ?? 'standard', dialect);
  if (dialectIssue) throw new InputError(dialectIssue);
  const profile = wireProfile(options.profile ?? 'standard', dialect);
  // Offers are ours, in the course dialect: a receiver told to speak another dialect is talking to someone else's.
  const offersSpoken = isStandardDialect(dialect);
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
  const pathIssue = destinationProblem(firstPath, options.fileOps, options.folder);
  if (pathIssue) throw new InputError(pathIssue);
  const seed = options.seed ?? randomSeed();
  const loss = createLossModel(options.p, seededRandom(seed));
  const maxBytes = options.maxBytes ?? Infinity;
  const reserveBytes = options.reserveBytes ?? DEFAULT_RESERVE_BYTES;
  const timers = options.timers ?? systemTimers;
  const fileOps = options.fileOps ?? nodeFileOps;
  const bind = options.bind ?? '0.0.0.0';
  const onEvent = options.onEvent;
  // Looked for before any transfer of this session can make one: a .part here now is from one that never ended.
  const leftovers = unfinishedFiles(
    options.folder !== undefined ? { folder: options.folder } : { file: firstPath },
  );

  const start = timers.now();
  const now = (): number => timers.now() - start;
  // What the session layer dropped never reaches the machine: counted here, joined to its counters when shown.
  const rejected = code === null ? null : noSessionRejections();
  const allCounters = (): ReceiverCounters => ({ ...state.counters, ...rejected });
  // Below the session layer: what arrives on the group opens like what arrives on the unicast socket.
  const listener =
    (options.multicast ?? options.udp === undefined) ? groupListener(options.udp ?? nodeUdp) : null;
  const plain = listener?.udp ?? options.udp ?? nodeUdp;
  const udp =
    code === null
      ? plain
      : receiverSession(plain, { code, ...(options.sessionKdf ? { stretch: options.sessionKdf } : {}) });
  // Datagrams go to onMessage, declared below with the receiver's rules.
  const socket = await udp({
    address: bind,
    port: options.port,
    family: bind.includes(':') ? 6 : 4,
    onMessage: (datagram, from) => onMessage(datagram, from),
    // Never counted as received: they never reach the receiver's rules.
    onRejected: ({ why, from, first, plain, recounted }) => {
      // Notices and strays concern senders: a receiver's layer never reports them.
      if (why === 'no-code' || why === 'elsewhere') return;
      if (rejected) countRejection(rejected, why, recounted);
      const source = `${from.address}:${from.port}`;
      onEvent?.({ type: 'rejected', t: now(), why, from: source, ...(recounted ? { recounted } : {}) });
      if (first && (why === 'wrong-code' || why === 'unsealed'))
        onEvent?.({ type: why, t: now(), from: source });
      // One of our senders without the code: told why in its own protocol (no more than it could learn anyway).
      const offer =
        plain && hasOfferSeq(plain.datagram, profile.name) && decodeOffer(plain.datagram, profile.name);
      if (offer)
        plain.answer(encodeAnswer(profile.name, { id: offer.id, answer: 'decline', reason: NEEDS_CODE }));
    },
  });

  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const onIdle = options.onIdle ?? defaultIdleAction(profile.name, dialect);
  let state = startReceiving(
    {
      numbering: dialect,
      idleTimeoutMs,
      onIdle,
      lingerMs: options.lingerMs ?? DEFAULT_LINGER_MS,
      staleMs: options.staleMs ?? DEFAULT_STALE_MS,
      maxBytes,
      keepListening: options.keepListening ?? false,
    },
    emptyCounters(),
  );
  const offers = new Map<string, OfferEntry>();
  // Hosts told to wait (busy) are said to this receiver's user once per try (they ask again every second), and
  // one a second at most across hosts: offers cost a forger nothing, and must not flood the user's screen.
  const heldTry = hostTries(HELD_QUIET_MS, MAX_OFFERS, true);
  let heldSaidAt = -Infinity;
  const courseSenders = new Map<string, CourseEntry>();
  // Course senders whose question was withdrawn (quiet), and when their last segment 1 came.
  const courseWithdrawn = new Map<string, number>();
  /** The wire number of a transfer's first segment in this dialect. */
  const firstWire = firstCursor(dialect).next;
  /** The current transfer's .part file, and the bytes it may still take before free space is checked again. */
  let file: PartFile | null = null;
  let budget = 0;
  let timer: unknown;
  /** The delayed-ACK timer (SACK). */
  let ackTimer: unknown;
  /** The current transfer's file name in the folder, before any " (2)" (see open). */
  let fileName = '';
  /** When the group joined for an offer is left if its transfer has not started. */
  let groupTimer: unknown;
  let questionTimer: unknown;
  /** The offer of the transfer under way (open to commit or abandon). */
  let transferOffer: Offer | undefined;
  let resolveDone!: (result: ReceiveResult) => void;
  const done = new Promise<ReceiveResult>((resolve) => (resolveDone = resolve));

  /** Why the data an ACK was about to cover could not be written (then the ACK is not sent). */
  let flushFailure: string | null = null;

  /**
   * One input to the machine; the results of the file operations it asks for go back to it at once, and a write
   * that failed when an ACK was due goes back before anything else.
   */
  function run(first: ReceiverInput): void {
    for (let input: ReceiverInput | null = first; input !== null;) {
      const out = receive(state, input, now());
      state = out.state;
      input = null;
      for (const action of out.actions) input = perform(action) ?? input;
      if (flushFailure !== null) input = { type: 'flush-failed', reason: flushFailure };
      flushFailure = null;
    }
  }

  /** Chunks taken are written before a course ACK says they arrived: true when they were (or none waited). */
  function flushed(): boolean {
    if (file === null || flushFailure !== null) return flushFailure === null;
    try {
      file.flush();
      return true;
    } catch (error) {
      flushFailure = writeProblem(error, file.partPath);
      return false;
    }
  }

  function perform(action: ReceiverAction): ReceiverInput | null {
    switch (action.type) {
      case 'ack':
        // A SACK covers data taken, written a block at a time: a write that fails later fails the transfer and
        // declines it, and only the end marker's ACK (after the commit) says the file is whole (PROTOCOL.md).
        if (!action.bitmap && !flushed()) return null;
        socket.send(
          action.bitmap
            ? profile.encodeSack({ seq: action.wire, bitmap: action.bitmap }, action.summed)
            : profile.encodeAck(action.wire, action.summed),
          action.to.port,
          action.to.address,
        );
        return null;
      case 'answer-offer':
        answerOffer(action.offer, action.to, action.busy);
        return null;
      case 'decline':
        socket.send(
          encodeAnswer(profile.name, {
            id: action.id,
            answer: 'decline',
            reason: withoutFolders(action.reason),
          }),
          action.to.port,
          action.to.address,
        );
        return null;
      case 'kept-as':
        socket.send(
          encodeAnswer(profile.name, { id: action.id, answer: 'kept', name: action.name }),
          action.to.port,
          action.to.address,
        );
        return null;
      case 'arm':
        timers.clearTimeout(timer);
        timer = timers.setTimeout(() => run({ type: 'timer' }), action.ms);
        return null;
      case 'clear':
        timers.clearTimeout(timer);
        return null;
      case 'arm-ack':
        ackTimer = timers.setTimeout(() => run({ type: 'ack-timer' }), action.ms);
        return null;
      case 'event':
        if (onceEach(action.event)) onEvent?.(action.event);
        return null;
      case 'open':
        return open(action.index, action.host, action.offer);
      case 'write':
        return write(action.payload);
      case 'digest':
        // What waits is written first: a write that fails then fails the transfer (flush-failed).
        return flushed() ? { type: 'digested', sha256: file!.digest() } : null;
      case 'commit':
        leaveGroup();
        return commit(file!, action.offer !== undefined);
      case 'abandon':
        leaveGroup();
        file?.abandon();
        file = null;
        return null;
      case 'finish': {
        timers.clearTimeout(timer);
        timers.clearTimeout(ackTimer);
        timers.clearTimeout(groupTimer);
        timers.clearTimeout(questionTimer);
        socket.close();
        const counters = allCounters();
        onEvent?.({ type: 'stopped', t: now(), counters });
        resolveDone({
          ok: action.ok,
          files: [...state.files],
          ...(action.failure !== undefined ? { failure: action.failure } : {}),
          counters,
        });
        return null;
      }
    }
  }

  function open(index: number, host: string, offer: Offer | undefined): ReceiverInput {
    offers.get(host)?.asking?.abort(); // data came without the answer: the question is moot
    offers.delete(host);
    // Into a folder, a file never replaces another: the offered name, or the course transfer's numbered one
    // (received-N.bin), made free with " (2)" and so on.
    fileName = offer ? safeFileName(offer.name) : basename(options.destination(index));
    transferOffer = offer;
    const path =
      options.folder !== undefined ? freeName(options.folder, fileName) : options.destination(index);
    const problem = destinationProblem(path, fileOps);
    try {
      if (problem) throw new Error(problem);
      file = openPartFile(path, fileOps);
    } catch (error) {
      return {
        type: 'open-failed',
        reason: problem ?? writeProblem(error, `${path}.part`),
        partPath: `${path}.part`,
      };
    }
    budget = 0;
    return { type: 'opened', path, partPath: file.partPath };
  }

  function write(payload: Uint8Array): ReceiverInput {
    const current = file!;
    const space = spaceProblem(current, payload.length);
    if (space !== null) return { type: 'write-failed', reason: space };
    try {
      current.write(payload);
      budget -= payload.length;
    } catch (error) {
      return { type: 'write-failed', reason: writeProblem(error, current.partPath) };
    }
    return { type: 'written' };
  }

  /**
   * The transfer is over: its group is left. Only its own: a new offer of the same host (its sender started over)
   * may have joined another, which the next transfer needs.
   */
  function leaveGroup(): void {
    if (transferOffer?.group) listener?.leave(transferOffer.group);
    transferOffer = undefined;
  }

  /**
   * Renames the .part: over the file the user named, or, into a folder, never over an existing file (`offered`:
   * its name made from the offer's).
   */
  function commit(current: PartFile, offered: boolean): ReceiverInput {
    const folder = options.folder;
    try {
      if (folder === undefined) return { type: 'committed', sha256: current.commit(), path: current.path };
      for (let taken = 1; ; taken++) {
        const path = taken === 1 ? current.path : join(folder, numberedName(fileName, taken));
        try {
          const sha256 = current.commit({ replace: false, to: path });
          return { type: 'committed', sha256, path, ...(offered ? { named: true as const } : {}) };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || taken >= 1000) throw error;
        }
      }
    } catch (error) {
      // An fsync, a rename or a link: the file that could not be saved is the one the user will look for.
      return { type: 'commit-failed', reason: `cannot save "${current.path}": ${whyNotWritten(error)}` };
    }
  }

  /** The first of "name", "name (2)", ... not taken yet in the destination. */
  function freeName(folder: string, name: string): string {
    for (let taken = 1; ; taken++) {
      const path = join(folder, numberedName(name, taken));
      if (taken >= 1000 || !fileOps.nameTaken(path)) return path;
    }
  }

  /** Why an offered file cannot be taken, checked before anything is written; null: it fits. */
  function offerProblem(offer: Offer): string | null {
    if (offer.size > maxBytes)
      return `the file (${formatBytes(offer.size)}) is larger than this receiver accepts (${formatBytes(maxBytes)})`;
    let free: number;
    try {
      free = fileOps.freeBytes(options.folder ?? dirname(options.destination(state.transferIndex)));
    } catch {
      return null;
    }
    return offer.size > free - reserveBytes
      ? `not enough free space: the file needs ${formatBytes(offer.size)}, ${formatBytes(Math.max(0, free - reserveBytes))} may be used`
      : null;
  }

  /** Answers an offer (no simulated loss: it is not course data), asking the user when there is one. */
  function answerOffer(offer: Offer, rinfo: Peer, busy: boolean): void {
    const t = now();
    for (const [host, entry] of offers) if (t - entry.at > OFFER_TTL_MS) forget(host);
    // Busy with another host's transfer: "wait" (the sender asks again every second) until it ends or goes
    // stale, as its segment 1 would; nothing is decided yet.
    if (busy) {
      socket.send(encodeAnswer(profile.name, { id: offer.id, answer: 'wait' }), rinfo.port, rinfo.address);
      // A question on screen for this offer still stands: its sender is asking.
      const standing = offers.get(rinfo.address);
      if (standing?.offer.id === offer.id) askedAgain(standing.asks, t);
      // A host held back by the gap is not marked: its next try is said.
      if (t - heldSaidAt < HELD_GAP_MS || !heldTry(rinfo.address, t)) return;
      heldSaidAt = t;
      onEvent?.({
        type: 'offer-held',
        t,
        from: rinfo.address,
        name: safeFileName(offer.name),
        size: offer.size,
      });
      return;
    }
    let entry = offers.get(rinfo.address);
    if (entry?.offer.id === offer.id) askedAgain(entry.asks, t);
    else {
      const problem = offerProblem(offer);
      const asking = problem === null && options.decide !== undefined;
      const answer: Answer = problem
        ? { id: offer.id, answer: 'decline', reason: problem }
        : asking
          ? { id: offer.id, answer: 'wait' }
          : accepting(offer);
      const made: OfferEntry = { offer, answer, port: rinfo.port, at: t, asks: { lastAt: t, gap: -1 } };
      entry = made;
      // Said once per host and try: its sender stops at the decline, a forger sends a fresh id each datagram.
      if (problem && firstTold('offer-declined', rinfo.address))
        onEvent?.({
          type: 'offer-declined',
          t,
          from: rinfo.address,
          name: safeFileName(offer.name),
          size: offer.size,
          reason: problem,
        });
      if (offers.has(rinfo.address))
        forget(rinfo.address); // its earlier question no longer stands
      else if (offers.size >= MAX_OFFERS) forget(offers.keys().next().value!);
      offers.set(rinfo.address, made);
      if (asking) {
        made.asking = new AbortController();
        watchQuestions();
        const question: OfferRequest = {
          from: rinfo.address,
          ...(offer.sender ? { sender: offer.sender } : {}),
          name: safeFileName(offer.name),
          size: offer.size,
          sha256: offer.sha256,
        };
        options.decide!(question, made.asking.signal).then(
          (yes) => {
            made.asking = undefined;
            made.at = now();
            made.answer = yes
              ? accepting(offer)
              : { id: offer.id, answer: 'decline', reason: "the receiver's user declined the file" };
          },
          () => (made.answer = { id: offer.id, answer: 'decline', reason: 'no decision could be made' }),
        );
      }
    }
    if (joinFirst(entry, rinfo)) return;
    socket.send(encodeAnswer(profile.name, entry.answer), rinfo.port, rinfo.address);
  }

  /**
   * An accepted offer with a group is answered once the group is joined, or failed to be (then: unicast); the
   * sender offers again meanwhile, and the join takes a moment. True: the answer is not due yet.
   */
  function joinFirst(entry: OfferEntry, rinfo: Peer): boolean {
    const group = entry.offer.group;
    if (listener === null || group === undefined || entry.answer.answer !== 'accept') return false;
    // The offer came from another port than the group's data will (a relay or a NAT forwards it): the group
    // would bypass what is in between, so this receiver stays unicast.
    if (group.from !== undefined && group.from !== rinfo.port) return false;
    if (entry.joined !== undefined) return entry.joined === 'joining';
    entry.joined = 'joining';
    void listener.join(group, groupInterface(rinfo.address, bind)).then((joined) => {
      entry.joined = joined;
      // An offer whose transfer never starts does not keep the group's port open.
      timers.clearTimeout(groupTimer);
      if (joined)
        groupTimer = timers.setTimeout(() => {
          // Its transfer runs on the group: it stays. Otherwise the offer went nowhere, or the host offered
          // another file meanwhile (whose offer replaced this one): the group goes.
          if (transferOffer?.id === entry.offer.id) return;
          if (offers.get(rinfo.address) === entry) offers.delete(rinfo.address);
          listener.leave(group);
        }, OFFER_TTL_MS);
      entry.answer = accepting(entry.offer, joined);
      if (!state.stopped && offers.get(rinfo.address) === entry)
        socket.send(encodeAnswer(profile.name, entry.answer), rinfo.port, rinfo.address);
    });
    return true;
  }

  /**
   * Asking before taking a file: a course sender offers nothing, so it is asked about by its address alone at the
   * segment that would open its transfer, and that segment is dropped (never ACKed) until the user lets it in;
   * it repeats it every T meanwhile. Whether let in or turned away, the answer stands until it has been quiet for
   * OFFER_TTL_MS. True: the datagram goes on to the rules (which may still turn it away, as any other, and open
   * nothing with any other segment: a late duplicate, an end marker, a transfer joined midway).
   */
  function courseLetIn(from: Peer, opens: boolean): boolean {
    const t = now();
    for (const [host, entry] of courseSenders) if (t - entry.at > OFFER_TTL_MS) forgetCourse(host);
    const known = courseSenders.get(from.address);
    if (known) known.at = t;
    if (known && opens) askedAgain(known.asks, t);
    // Its transfer runs (it was let in); a segment that opens nothing; another host's transfer under way (the
    // rules turn it away, as foreign, and it is asked about once that one is over).
    if (state.transfer?.host === from.address || !opens || isBusy(state, from.address, t)) return true;
    if (known) return known.admitted === true;
    if (courseSenders.size >= MAX_COURSE_QUESTIONS) forgetCourse(leastNeeded(courseSenders));
    // Asked about before and withdrawn: its gap since then is its T (or more), not unknown.
    const before = courseWithdrawn.get(from.address);
    courseWithdrawn.delete(from.address);
    const entry: CourseEntry = {
      admitted: null,
      at: t,
      asks: { lastAt: t, gap: before === undefined ? -1 : t - before },
      asking: new AbortController(),
    };
    courseSenders.set(from.address, entry);
    watchQuestions();
    const settle = (yes: boolean): void => {
      entry.asking = undefined;
      entry.admitted = yes;
      entry.at = now();
    };
    options.decide!(
      { from: from.address, name: '', size: 0, sha256: '', course: true },
      entry.asking!.signal,
    ).then(settle, () => settle(false));
    return false;
  }

  /** Withdraws, every second while any stands, the questions whose senders stopped asking (QUESTION_QUIET_MS). */
  function watchQuestions(): void {
    if (questionTimer !== undefined) return;
    questionTimer = timers.setTimeout(() => {
      questionTimer = undefined;
      const t = now();
      let standing = false;
      for (const [host, entry] of offers)
        if (entry.asking && stoppedAsking(entry.asks, t)) forget(host, SENDER_STOPPED);
        else standing ||= entry.asking !== undefined;
      for (const [host, entry] of courseSenders)
        if (entry.asking && stoppedAsking(entry.asks, t)) {
          // Remembered a while: if it was only slow (a long T), its next segment 1 tells its T.
          if (courseWithdrawn.size >= MAX_COURSE_QUESTIONS * 4)
            courseWithdrawn.delete(courseWithdrawn.keys().next().value!);
          courseWithdrawn.set(host, entry.asks.lastAt);
          forgetCourse(host, SENDER_STOPPED);
        } else standing ||= entry.asking !== undefined;
      if (standing) watchQuestions();
    }, 1_000);
  }

  /** The course sender to forget for a new one: one already answered (a question on screen stays), the longest quiet. */
  function leastNeeded(entries: Map<string, CourseEntry>): string {
    const asking = (entry: CourseEntry): number => (entry.admitted === null ? 1 : 0);
    return [...entries].sort(([, a], [, b]) => asking(a) - asking(b) || a.at - b.at)[0]![0];
  }

  /** `why`: the abort's reason, which the app says (SENDER_STOPPED), or none (the receiver forgets it). */
  function forgetCourse(host: string, why?: string): void {
    courseSenders.get(host)?.asking?.abort(why);
    courseSenders.delete(host);
  }

  /** Forgets a host's offer, withdraws its question if the user is still asked, and leaves its group. */
  function forget(host: string, why?: string): void {
    const entry = offers.get(host);
    offers.delete(host);
    entry?.asking?.abort(why);
    if (entry?.joined !== undefined && entry.offer.group) listener?.leave(entry.offer.group);
  }

  /** Why `length` more bytes may not be written into the disk's reserve (checked after every few MiB). */
  function spaceProblem(current: PartFile, length: number): string | null {
    if (length <= budget) return null;
    let free: number;
    try {
      free = fileOps.freeBytes(dirname(current.partPath));
    } catch {
      return null; // no way to tell (exotic file system): the write itself will report a full disk
    }
    // Checked again after every few MiB: one statfs per chunk would cost more than the write.
    budget = Math.min(free - reserveBytes, 4 << 20);
    if (length <= budget) return null;
    return `stopped before the disk is full (${formatBytes(Math.max(0, free))} free); the partial file was removed`;
  }

  /** Without a code: hosts sending sealed datagrams, each reported once per try; the last "no code" notice. */
  const sealedTry = hostTries(SEALED_QUIET_MS, 64);
  let noCodeAt = -Infinity;
  /**
   * A sender with a session code, to a receiver without one: reported once per try (again after 10 s without),
   * and answered with a "no code" notice (one per 50 ms at most, whoever asks) so that it stops asking at once.
   */
  function sealedSender(notice: Uint8Array, from: Peer): void {
    const t = now();
    // Past 64 hosts, new ones are answered but not reported.
    if (sealedTry(from.address, t))
      onEvent?.({ type: 'needs-code', t, from: `${from.address}:${from.port}` });
    if (t - noCodeAt < NO_CODE_GAP_MS) return;
    noCodeAt = t;
    socket.send(notice, from.port, from.address);
  }

  /**
   * What hosts are told once per try, whatever their retransmissions (again after 10 s without; bounded against a
   * flood of sources, the one heard from least recently forgotten): that they speak another profile, number their
   * segments another way, send data their offer did not earn, or offered a file this receiver declined.
   */
  const told = new Map<string, (key: string, now: number) => boolean>();
  function firstTold(kind: string, key: string): boolean {
    let tries = told.get(kind);
    if (tries === undefined) told.set(kind, (tries = hostTries(TOLD_QUIET_MS, 64, true)));
    return tries(key, now());
  }
  /** Said once, as told above (the event for each of its datagrams comes from the rules). */
  function onceEach(event: ReceiverEvent): boolean {
    if (event.type === 'other-numbering' || event.type === 'empty-course-file')
      return firstTold(event.type, hostOf(event.from));
    if (event.type === 'unaccepted-data')
      return firstTold(event.type, `${hostOf(event.from)} ${event.id} ${event.declined ?? ''}`);
    return true;
  }
  /** The other wire profile: a datagram this profile cannot read, which it can, says how its sender was started. */
  const other = wireProfile(profile.name === 'standard' ? 'seed-text' : 'standard');
  function otherProfile(message: Buffer, from: Peer): void {
    if (!other.decode(message).ok && !hasOfferSeq(message, other.name)) return;
    if (!firstTold('other-profile', from.address)) return;
    onEvent?.({ type: 'other-profile', t: now(), from: `${from.address}:${from.port}`, profile: other.name });
  }

  /** The same dialect in the other byte order, checksum coverage, or both (the standard profile spells them). */
  const otherChecksums = (profile.name === 'standard' ? CHECKSUM_VARIANTS : []).map((change) => {
    const variant: Dialect = { ...dialect, ...change(dialect) };
    return { name: formatDialect(variant), profile: wireProfile('standard', variant) };
  });
  /**
   * Data segments whose checksum fails here but holds in one of them: say how their sender was started, once they
   * are evidence (checksumEvidence.ts: a random datagram holds in one by chance). Not from the host of the
   * transfer under way: its segments pass, and one corrupted on the way may pass in another.
   */
  const evidence = checksumEvidence(64);
  function otherChecksum(message: Buffer, from: Peer): void {
    if (state.transfer?.host === from.address) return;
    let read: { dialect: string; seq: number } | undefined;
    for (const { name, profile: other } of otherChecksums) {
      const decoded = other.decode(message);
      if (decoded.ok && decoded.segment.kind !== 'ack') {
        read = { dialect: name, seq: decoded.segment.seq };
        break;
      }
    }
    const proven = evidence(from.address, read); // junk (read undefined) ends the host's streak
    if (!proven || read === undefined || !firstTold('other-checksum', from.address)) return;
    onEvent?.({
      type: 'other-checksum',
      t: now(),
      from: `${from.address}:${from.port}`,
      dialect: read.dialect,
    });
  }

  /**
   * A sender stopped offer `id` (its user cancelled it, or its file could not be read): its transfer here ends at
   * once (the rules check it is that host's), and a question about it still on screen is taken down.
   */
  function cancel({ id, unreadable }: Cancel, rinfo: Peer): void {
    const entry = offers.get(rinfo.address);
    if (entry?.offer.id === id && transferOffer?.id !== id) forget(rinfo.address, SENDER_STOPPED);
    run({ type: 'cancel', id, from: rinfo, ...(unreadable ? { unreadable } : {}) });
  }

  function onMessage(message: Buffer, rinfo: Peer): void {
    if (state.stopped) return;
    if (offersSpoken && hasOfferSeq(message, profile.name)) {
      const offer = decodeOffer(message, profile.name);
      if (offer) return run({ type: 'offer', offer, from: rinfo });
      const cancelled = decodeCancel(message, profile.name);
      if (cancelled) return cancel(cancelled, rinfo);
    }
    const entry = offers.get(rinfo.address);
    const decoded = profile.decode(message);
    const notice = !decoded.ok && code === null ? noCodeNotice(message) : null;
    if (notice) sealedSender(notice, rinfo);
    else if (!decoded.ok) otherProfile(message, rinfo);
    if (!decoded.ok && decoded.reason === 'bad-checksum') otherChecksum(message, rinfo);
    // Asking (the app): a host with no offer is a course sender. Its transfer opens with segment 1 carrying data
    // (an end marker there is an empty file, not saved). Until it is let in, its datagrams count as foreign.
    const held =
      options.decide !== undefined &&
      entry === undefined &&
      !courseLetIn(
        rinfo,
        decoded.ok &&
          decoded.segment.kind === 'data' &&
          decoded.segment.payload.length > 0 &&
          decoded.segment.seq === firstWire,
      );
    run({
      type: 'datagram',
      from: rinfo,
      length: message.length,
      decoded,
      offered: entry && {
        offer: entry.offer,
        accepted: entry.answer.answer === 'accept',
        port: entry.port,
        heardAt: Math.max(entry.at, entry.asks.lastAt),
        ...(entry.answer.answer === 'decline' ? { declined: entry.answer.reason } : {}),
      },
      lost: () => loss.drop(),
      ...(held ? { held: true as const } : {}),
    });
  }

  const address = socket.local;
  const silence = silenceNote(profile.name, dialect, onIdle, idleTimeoutMs);
  onEvent?.({
    type: 'listening',
    t: 0,
    address: address.address,
    port: address.port,
    profile: profile.name,
    p: loss.p,
    seed,
    ...(code !== null ? { sealed: true as const } : {}),
    ...(silence !== null ? { silence } : {}),
  });
  // Told after 'listening', which starts a view afresh.
  if (leftovers.names.length > 0) onEvent?.({ type: 'leftovers', t: 0, ...leftovers });

  return {
    address: { address: address.address, port: address.port },
    seed,
    setLossProbability(p) {
      const problem = lossProbabilityProblem(p);
      if (problem) throw new InputError(problem);
      loss.setP(p);
      onEvent?.({ type: 'loss-changed', t: now(), p });
    },
    counters: allCounters,
    async stop() {
      for (const entry of offers.values()) entry.asking?.abort();
      for (const host of [...courseSenders.keys()]) forgetCourse(host);
      run({ type: 'stop' });
      await done;
    },
    done,
  };
}
