// The P2MP-FTP sender's I/O shell: checks the input, opens the file and the socket, offers the file, then runs
// the protocol's machine (src/shared/engine/: stop-and-wait, the course's, by default; Go-Back-N; Selective
// Repeat) over the socket, the timers, the pacer and the file. The rules (retransmission, liveness, keepalives)
// are the machines'; this file only does what they say. The engine numbers chunks 1..chunks and the end marker
// chunks + 1 whatever the dialect; the codec (protocol/codec.ts) puts the dialect's numbers and bytes on the wire.
import { closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { InputError, readProblem, TransferError, whyNotRead } from '../errors.js';
import {
  DEFAULT_WINDOW,
  isWindowed,
  mssProblem,
  timeoutProblem,
  windowProblem,
  type Protocol,
} from '../limits.js';
import type { ReceiverEndpoint, SendResult, SenderCounters, SenderEvent } from '../events.js';
import { senderCodec, type SenderCodec } from '../protocol/codec.js';
import { dialectProblem, isStandardDialect, STANDARD_DIALECT, type Dialect } from '../protocol/dialect.js';
import type { ProfileName } from '../protocol/segment.js';
import { createChunkReader, type ChunkReader } from './chunkReader.js';
import { resolveReceivers, type ReceiverSpec } from './endpoints.js';
import { createPacer, type Pacer } from '../engine/pacer.js';
import { systemTimers, type Timers } from '../engine/timers.js';
import { DEFAULT_MIN_RTO_MS, type RtoMode } from '../engine/rto.js';
import { EMPTY } from '../protocol/wire.js';
import { nodeUdp, type Peer as UdpPeer, type Udp, type UdpSocket } from './udp.js';
import { peerLookup, readAck } from './senderParts.js';
import { goBackN } from '../engine/goBackN.js';
import { selectiveRepeat } from '../engine/selectiveRepeat.js';
import { stopAndWait } from '../engine/stopAndWait.js';
import {
  offerOutcome,
  type SenderAction,
  type SenderConfig,
  type SenderInput,
  type SenderMachine,
  type TimerKey,
} from '../engine/sending.js';
import { hashFile, newOfferId, offerFile, type OfferResult } from './offering.js';
import { encodeCancel, type SackTerms } from '../offer/message.js';
import {
  DEFAULT_DECIDE_MS,
  DEFAULT_OFFER_TRIES,
  DEFAULT_SEALED_MS,
  type OfferRules,
} from '../offer/offerPhase.js';
import { codeProblem, normalizeCode } from '../session/code.js';
import type { StretchCode } from './sessionCrypto.js';
import { senderSession } from './sessionUdp.js';
import {
  groupInterface,
  multicastSender,
  randomGroup,
  type Group,
  type MulticastSender,
} from './multicastUdp.js';

export type { ReceiverSpec } from './endpoints.js';

export interface SendOptions {
  file: string;
  receivers: ReceiverSpec[];
  mss: number;
  profile?: ProfileName;
  /** How segments are numbered, checksummed and ended on the wire; the course's own by default. */
  dialect?: Dialect;
  /** Retransmission timeout in ms (the course's 0.1 s). */
  timeoutMs?: number;
  /**
   * 'saw': stop-and-wait, the course's protocol (default); 'gbn': Go-Back-N with a window of `window` segments;
   * 'sr': Selective Repeat, to receivers that agree to it through the offer (Go-Back-N to the others).
   */
  protocol?: Protocol;
  window?: number;
  /** 'fixed' (the course's T, default) or 'adaptive' (RFC 6298, starting from T, never below minRtoMs). */
  rto?: RtoMode;
  minRtoMs?: number;
  /**
   * A receiver that has not ACKed the current segment this long after its first send (time held by the pacer
   * not counted) is marked failed; 0 waits forever, as the seed does.
   */
  receiverTimeoutMs?: number;
  /** A waiting receiver gets a repeat of a segment it has ACKed after this long without a send; 0 never. */
  keepaliveMs?: number;
  timers?: Timers;
  /** Local address to send from. */
  bind?: string;
  onEvent?: (event: SenderEvent) => void;
  signal?: AbortSignal;
  /** Teaching pace (slow motion, step, pause); full speed when absent. */
  pacer?: Pacer;
  /** The network: real UDP by default, the simulator's in tests. */
  udp?: Udp;
  /**
   * Offer the file first (name, size, SHA-256): receivers that are ours accept or decline it and verify it end
   * to end; the others ("course mode") get the plain course protocol. Default true; false: course protocol only.
   */
  offer?: boolean;
  /** The offered name; the file's own name by default. */
  name?: string;
  /** How long a receiver's user may take to accept (default 60 s). */
  decideMs?: number;
  /**
   * The receiver's session code: every datagram is sealed (authenticated and encrypted) and only our receivers
   * started with the same code take part. Absent: the course protocol, exactly.
   */
  code?: string;
  /** The code's stretch: scrypt (once per code and process) by default; tests in virtual time pass one that does not wait. */
  sessionKdf?: StretchCode;
  /**
   * Selective Repeat: send each segment once to a multicast group the receivers of ours join through the offer
   * (multicastUdp.ts). Default: on with real UDP, off with `udp` given (a simulated network has no groups).
   */
  multicast?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 100;
export const DEFAULT_RECEIVER_TIMEOUT_MS = 30_000;
export const DEFAULT_KEEPALIVE_MS = 1_000;
/** SACK (Selective Repeat): an ACK every k = min(16, W / 4) segments at most... */
export const MAX_SACK_EVERY = 16;
/**
 * ...and after 2 ms without one at the latest: long enough for k segments to arrive at full speed, short enough that
 * the last segments and a lost one are reported at once; the sender's timers run D longer for such receivers.
 */
export const DEFAULT_SACK_DELAY_MS = 2;

/** The SACK terms a Selective Repeat sender offers for window W. */
export const sackTerms = (window: number): SackTerms => ({
  every: Math.max(1, Math.min(MAX_SACK_EVERY, Math.floor(window / 4))),
  delayMs: DEFAULT_SACK_DELAY_MS,
});

/** A session code needs our receivers: they answer the offer, in the course dialect. */
function codeOptionsProblem(options: SendOptions): string | null {
  if (options.code === undefined) return null;
  if (options.offer === false)
    return 'a session code needs the offer (our receivers answer it): drop --no-offer';
  if (!isStandardDialect(options.dialect ?? STANDARD_DIALECT))
    return 'a session code works with our receivers only, which speak the course dialect: drop --dialect';
  return codeProblem(options.code);
}

function checkOptions(options: SendOptions): { timeoutMs: number; receiverTimeoutMs: number } {
  const problem =
    mssProblem(options.mss, options.profile ?? 'standard', options.code !== undefined) ??
    dialectProblem(options.profile ?? 'standard', options.dialect ?? STANDARD_DIALECT) ??
    timeoutProblem(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) ??
    codeOptionsProblem(options);
  if (problem) throw new InputError(problem);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const receiverTimeoutMs = options.receiverTimeoutMs ?? DEFAULT_RECEIVER_TIMEOUT_MS;
  if (!Number.isFinite(receiverTimeoutMs) || receiverTimeoutMs < 0)
    throw new InputError(`receiver timeout must be 0 (wait forever) or more, got ${receiverTimeoutMs} ms`);
  return { timeoutMs, receiverTimeoutMs };
}

// Non-blocking where the platform has it: opening a FIFO (or a device) for reading would otherwise wait for a
// writer, blocking the process (and the app's main process) beyond the reach of Ctrl-C.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function openFile(file: string): { fd: number; size: number } {
  let fd: number;
  try {
    if (!statSync(file).isFile()) throw new InputError(`cannot read file "${file}": not a regular file`);
    fd = openSync(file, OPEN_FLAGS);
  } catch (error) {
    throw error instanceof InputError ? error : readProblem(file, error);
  }
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw new InputError(`cannot read file "${file}": not a regular file`);
  }
  return { fd, size: stat.size };
}

const kdf = (options: SendOptions): { stretch?: StretchCode } =>
  options.sessionKdf ? { stretch: options.sessionKdf } : {};

/** Sends one file to every receiver. Rejects with InputError before anything is sent if the input is bad. */
export async function send(options: SendOptions): Promise<SendResult> {
  const { timeoutMs, receiverTimeoutMs } = checkOptions(options);
  const { mss } = options;
  const protocol = options.protocol ?? 'saw';
  const window = options.window ?? DEFAULT_WINDOW;
  const windowIssue = isWindowed(protocol) ? windowProblem(window) : null;
  if (windowIssue) throw new InputError(windowIssue);
  const sack = sackTerms(window);
  const { fd, size } = openFile(options.file);
  const reader = createChunkReader(fd, size, mss);
  const chunks = Math.ceil(size / mss);
  const codec = senderCodec(options.profile ?? 'standard', options.dialect ?? STANDARD_DIALECT, mss, size);
  let endpoints: ReceiverEndpoint[];
  let socket: UdpSocket;
  // ACKs go to the transfer's handler once it exists; nothing can arrive before the first send.
  let deliver: (datagram: Buffer, from: UdpPeer) => void = () => undefined;
  const counters: SenderCounters = { received: 0, answers: 0, acks: 0, stale: 0, malformed: 0, foreign: 0 };
  const code = options.code === undefined ? null : normalizeCode(options.code);
  // What the session layer dropped never reaches the machines: counted here, joined to the result at the end.
  const rejected = code === null ? null : { forged: 0, replayed: 0 };
  // With a code: the receivers' challenges its layer answered, by "address:port".
  const proofs = code === null ? null : new Map<string, number>();
  const proofsTo = ({ address, port }: UdpPeer): number => proofs?.get(`${address}:${port}`) ?? 0;
  // "Wrong code" notices, and challenges from a receiver's port at an address never sent to (it answers from
  // another address of its machine), matter while the offer is out; afterwards nothing is offered to them.
  let session: (from: UdpPeer, why: 'wrong-code' | 'no-code' | 'elsewhere') => void = () => undefined;
  const plain = options.udp ?? nodeUdp;
  // Below the session layer: the one sealed copy of a segment is what goes to the group.
  const multicast =
    protocol === 'sr' && (options.multicast ?? options.udp === undefined) ? multicastSender(plain) : null;
  const udp =
    code === null
      ? (multicast?.udp ?? plain)
      : senderSession(multicast?.udp ?? plain, { code, ...kdf(options) });
  let group: Group | null = null;
  // Offers are ours, in the course dialect: a sender told to speak another dialect talks to someone else's code.
  const offering = options.offer !== false && isStandardDialect(options.dialect ?? STANDARD_DIALECT);
  // The file's SHA-256 is computed while the socket opens (with a session code, while the code is stretched).
  const sha256 = offering && codec.problem === null ? hashFile(fd, size) : null;
  sha256?.catch(() => undefined); // its error, if any, is the offer's (below)
  try {
    if (codec.problem !== null) throw new InputError(codec.problem);
    endpoints = await resolveReceivers(options.receivers);
    const family = isIP(endpoints[0]!.address) === 6 ? 6 : 4;
    // One socket speaks one family: say so, not the socket's "not a usable address".
    const bindFamily = options.bind === undefined ? 0 : isIP(options.bind);
    if (bindFamily !== 0 && bindFamily !== family)
      throw new InputError(
        `--bind ${options.bind} is IPv${bindFamily} and the servers are IPv${family}: give an address of the same family`,
      );
    const groupVia = groupInterface(endpoints[0]!.address, options.bind);
    // A group for one receiver would save nothing: it would get every datagram alone.
    if (multicast && family === 4 && endpoints.length > 1) group = randomGroup();
    socket = await udp({
      port: 0,
      family,
      ...(group && groupVia !== undefined ? { multicastInterface: groupVia } : {}),
      onMessage: (datagram, from) => deliver(datagram, from),
      onRejected: ({ why, from }) => {
        if (why === 'wrong-code' || why === 'no-code' || why === 'elsewhere') session(from, why);
        else if (rejected) rejected[why === 'replayed' ? 'replayed' : 'forged']++;
      },
      onProof: ({ address, port }) => {
        const at = `${address}:${port}`;
        proofs?.set(at, (proofs.get(at) ?? 0) + 1);
      },
      purpose: 'send from',
      ...(options.bind !== undefined ? { address: options.bind } : {}),
    });
  } catch (error) {
    await sha256?.catch(() => undefined); // it reads the file: closed only once it is done
    reader.close();
    throw error;
  }
  // Before any data: who is ours (accepts or declines, verifies end to end), who speaks the course protocol only.
  let offered: OfferResult | null = null;
  const offerId = newOfferId();
  const offerStartedAt = (options.timers ?? systemTimers).now();
  if (sha256 !== null) {
    const rules: OfferRules = {
      intervalMs: timeoutMs,
      tries: DEFAULT_OFFER_TRIES,
      decideMs: options.decideMs ?? DEFAULT_DECIDE_MS,
      // Long enough for a wrong code's notices to arrive however long T is.
      ...(code !== null ? { sealedMs: Math.max(DEFAULT_SEALED_MS, 10 * timeoutMs) } : {}),
    };
    const { tries, sealedMs } = rules;
    options.onEvent?.({
      type: 'offering',
      t: 0,
      receivers: endpoints,
      fileSize: size,
      mss,
      chunks,
      timeoutMs,
      tries,
      ...(sealedMs !== undefined ? { sealedMs } : {}),
    });
    try {
      offered = await offerFile({
        socket,
        endpoints,
        profile: codec.profile.name,
        offer: {
          id: offerId,
          name: options.name ?? basename(options.file),
          size,
          sha256: await sha256,
          mss,
          protocol,
          ...(protocol === 'sr' ? { window, sack } : {}),
          // The port the group's data will come from: a receiver whose offer came from another (a relay, a NAT
          // in between) stays unicast, or the group would pass it by.
          ...(group ? { group: { ...group, from: socket.local.port } } : {}),
          profile: codec.profile.name,
          sender: hostname(),
        },
        rules,
        timers: options.timers ?? systemTimers,
        listen: (handler) => (deliver = handler),
        listenSession: (handler) => (session = handler),
        counters,
        onState: (receiver, state) => {
          // Declined: the receiver's own reason; any other failure the offer made: what the user is told.
          const failure = offerOutcome(state, 0, proofsTo(endpoints[receiver]!)).failure;
          options.onEvent?.({
            type: 'offer',
            t: 0,
            receiver,
            state: state.kind,
            ...(state.kind === 'declined'
              ? { reason: state.reason }
              : failure !== undefined
                ? { reason: failure }
                : {}),
          });
        },
        signal: options.signal,
      });
    } catch (error) {
      socket.close();
      reader.close();
      throw readProblem(options.file, error);
    }
    session = () => undefined;
  }
  // Those that joined the group get their data there from now on, if they are two at least (one alone would be
  // sent every datagram by unicast, and then reported as one the group did not reach).
  const joined = endpoints.flatMap((ep, i) => {
    const state = offered?.states[i];
    return state?.kind === 'accepted' && state.multicast ? [i] : [];
  });
  const members = joined.length > 1 ? joined : [];
  if (group && multicast && members.length > 0)
    multicast.use(
      group,
      members.map((i) => endpoints[i]!),
    );
  const config: SenderConfig = {
    protocol,
    endpoints,
    size,
    mss,
    chunks,
    last: codec.last,
    endAfterAll: codec.endAfterAll,
    profile: codec.profile.name,
    timeoutMs,
    receiverTimeoutMs,
    keepaliveMs: options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS,
    rto: options.rto ?? 'fixed',
    minRtoMs: options.minRtoMs ?? DEFAULT_MIN_RTO_MS,
    window,
    ...(protocol === 'sr' ? { sack } : {}),
    outcomes: endpoints.map((ep, i) => offerOutcome(offered?.states[i], offered?.sent[i], proofsTo(ep))),
    counters,
    ...(offered ? { offerMs: (options.timers ?? systemTimers).now() - offerStartedAt } : {}),
    wire: (seq) => codec.numbering.seq(seq),
  };
  const io: Io = {
    socket,
    reader,
    codec,
    timers: options.timers ?? systemTimers,
    pacer: options.pacer ?? createPacer(),
    onEvent: options.onEvent,
    signal: options.signal,
    listen: (handler) => (deliver = handler),
    readProblem: (error) =>
      new TransferError(`cannot read file "${options.file}" any more: ${whyNotRead(error)}`),
    rejected,
    proofsTo,
    multicast: multicast && members.length > 0 ? { layer: multicast, members } : null,
    offerId,
    // Cancelled while its user decided (or before it answered): its question comes down at once.
    asked: endpoints.map((_, i) => offered?.states[i]?.kind === 'cancelled'),
  };
  if (protocol === 'sr') return drive(selectiveRepeat, config, io);
  return protocol === 'gbn' ? drive(goBackN, config, io) : drive(stopAndWait, config, io);
}

/** What the shell runs a machine over. */
interface Io {
  socket: UdpSocket;
  reader: ChunkReader;
  /** The dialect's numbers and bytes; the engine's own numbering is 1..chunks, then the end marker. */
  codec: SenderCodec;
  timers: Timers;
  pacer: Pacer;
  onEvent: ((event: SenderEvent) => void) | undefined;
  signal: AbortSignal | undefined;
  /** Installs the ACK handler on the socket. */
  listen(handler: (datagram: Buffer, from: UdpPeer) => void): void;
  /** Turns a failed chunk read into the error the caller rejects with. */
  readProblem(error: unknown): Error;
  /** With a session code: what its layer dropped so far (live). */
  rejected: { forged: number; replayed: number } | null;
  /** With a session code: the challenges of a receiver (its address and port) answered so far (live). */
  proofsTo: (receiver: UdpPeer) => number;
  /** Multicast in use: its layer and the receivers (indexes) that joined the group. */
  multicast: { layer: MulticastSender; members: number[] } | null;
  /** The offer's id: a receiver's answer at the end (decline, kept) must name it. */
  offerId: string;
  /** Receivers the offer was still out to when the user cancelled (by index). */
  asked: boolean[];
}

/** With a session code: what its layer dropped, and the challenges it answered per receiver. */
function withSession(
  result: SendResult,
  rejected: NonNullable<Io['rejected']>,
  proofsTo: (receiver: UdpPeer) => number,
): SendResult {
  return {
    ...result,
    counters: { ...result.counters!, ...rejected },
    receivers: result.receivers.map((r) => ({
      ...r,
      proofs: proofsTo(r.receiver),
    })),
  };
}

/** Which members got their data from the group, which were sent it by unicast once the group did not reach them. */
function withMulticast(result: SendResult, multicast: Io['multicast']): SendResult {
  if (multicast === null) return result;
  const { layer, members } = multicast;
  return {
    ...result,
    receivers: result.receivers.map((r) => {
      if (!members.includes(r.receiver.id)) return r;
      return { ...r, multicast: layer.fellBack(r.receiver) ? ('unicast' as const) : ('group' as const) };
    }),
  };
}

/**
 * The I/O shell of a sender machine: feeds it what happens (ACKs read off the socket, timer expiries, the
 * pacer's turns, a cancel) one input at a time, and does what it says, in order.
 */
function drive<S>(machine: SenderMachine<S>, config: SenderConfig, io: Io): Promise<SendResult> {
  const { socket, reader, codec, timers, pacer, onEvent } = io;
  const start = timers.now();
  const now = (): number => timers.now() - start;
  const lookup = peerLookup(config.endpoints);
  // Receivers whose ACKs are SACKs: they agreed to the terms this transfer offered.
  const sack = config.outcomes.map((o) => o.sack === true && config.sack !== undefined);
  // Receivers whose accept said their ACKs carry a checksum: they must.
  const summed = config.outcomes.map((o) => o.summed === true && o.failure === undefined);
  /** Encoded segments the machine may still send: a chunk is read (in increasing order) once, when first sent. */
  const segments = new Map<number, Buffer>();
  /** Segments below this are forgotten: one step forgets what the machine let go of since the last. */
  let forgotten = 1;
  const handles = new Map<TimerKey, unknown>();
  const queue: SenderInput[] = [];
  let state = machine.start(config);
  let running = false;
  let ended = false;
  let resolveResult!: (result: SendResult) => void;
  let rejectResult!: (error: Error) => void;
  const result = new Promise<SendResult>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });

  /** Inputs that arrive while a step's actions run (the pacer answering at once, a cancel) wait their turn. */
  function feed(input: SenderInput): void {
    queue.push(input);
    if (running) return;
    running = true;
    try {
      for (let next = queue.shift(); next !== undefined && !ended; next = queue.shift()) {
        const out = machine.step(state, next, now());
        state = out.state;
        for (const action of out.actions) if (!ended) perform(action);
        for (const kept = machine.kept(state); forgotten < kept; forgotten++) segments.delete(forgotten);
      }
    } finally {
      running = false;
      queue.length = 0;
    }
  }

  function segment(seq: number): Buffer | null {
    let datagram = segments.get(seq);
    if (datagram === undefined) {
      try {
        datagram = codec.segment(seq, seq <= config.chunks ? reader.chunk(seq) : EMPTY);
      } catch (error) {
        // The file changed under us (it shrank, a disk error): stop cleanly and reject, the caller reports it.
        end(null, io.readProblem(error));
        return null;
      }
      segments.set(seq, datagram);
    }
    return datagram;
  }

  function perform(action: SenderAction): void {
    switch (action.type) {
      case 'transmit':
      case 'keepalive': {
        const datagram = segment(action.seq);
        if (datagram === null) return;
        const to = config.endpoints[action.receiver]!;
        socket.send(datagram, to.port, to.address);
        if (action.type === 'transmit')
          onEvent?.({
            type: 'send',
            t: now(),
            seq: action.seq,
            receiver: action.receiver,
            retransmission: action.retransmission,
            round: action.round,
            ...(action.fast ? { fast: true } : {}),
          });
        return;
      }
      case 'arm': {
        const { timer } = action;
        timers.clearTimeout(handles.get(timer));
        handles.set(
          timer,
          timers.setTimeout(() => {
            handles.delete(timer);
            feed({ type: 'timer', timer });
          }, action.ms),
        );
        return;
      }
      case 'clear':
        timers.clearTimeout(handles.get(action.timer));
        handles.delete(action.timer);
        return;
      case 'wait-turn':
        return pacer.waitTurn(() => feed({ type: 'turn' }));
      case 'event':
        return onEvent?.(action.event);
      case 'finish':
        return end(action.result);
    }
  }

  /**
   * A transfer cancelled, or given up because its file could not be read (`done` null: so the receivers say, not
   * that its user cancelled), tells each receiver that accepted its offer and has not got the file, so that it
   * removes its .part now rather than after its idle timeout, and each the offer was still out to, so that a
   * question about it on its user's screen comes down. Once: a lost cancel costs only that wait.
   */
  function tellCancelled(done: SendResult | null): void {
    if (done !== null && !done.cancelled) return;
    const cancel = { id: io.offerId, ...(done === null ? { unreadable: true as const } : {}) };
    config.outcomes.forEach((outcome, i) => {
      if (outcome.mode !== 'verified' || (outcome.failure !== undefined && !io.asked[i])) return;
      if (done?.receivers[i]?.state === 'done') return;
      const to = config.endpoints[i]!;
      // A copy each: one datagram sent to every member would go to the multicast group, which some may not hear.
      socket.send(encodeCancel(codec.profile.name, cancel), to.port, to.address);
    });
  }

  /** Releases everything; then resolves with the result, or rejects with `error` (the file could not be read). */
  function end(done: SendResult | null, error?: Error): void {
    ended = true;
    for (const handle of handles.values()) timers.clearTimeout(handle);
    pacer.dispose();
    io.signal?.removeEventListener('abort', onAbort);
    tellCancelled(done);
    socket.close();
    reader.close();
    if (error) return rejectResult(error);
    const sealed = io.rejected ? withSession(done!, io.rejected, io.proofsTo) : done!;
    const whole = withMulticast(sealed, io.multicast);
    onEvent?.({ type: 'done', t: whole.durationMs, result: whole });
    resolveResult(whole);
  }

  const onAbort = (): void => feed({ type: 'cancel' });
  io.listen((message, from) => {
    if (!ended) feed(readAck(message, from, lookup, codec, sack, summed, io.offerId));
  });
  if (io.signal?.aborted) {
    feed({ type: 'cancel' });
    return result;
  }
  io.signal?.addEventListener('abort', onAbort);
  feed({ type: 'start' });
  return result;
}
