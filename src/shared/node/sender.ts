// The P2MP-FTP sender: stop-and-wait to N receivers over one UDP socket.
//
// Retransmission rule: chunk k goes to every live receiver and one timer is armed for the round. The ACK handler
// that takes the last missing ACK clears the timer and sends chunk k+1 at once. When the timer fires, chunk k is
// sent again only to the receivers that have not ACKed it, and the timer is armed again. After the last chunk an
// empty data segment (the end marker) goes out the same way, so receivers know the file is complete.
// The engine numbers chunks 1..chunks and the end marker chunks + 1 whatever the dialect; its codec
// (protocol/codec.ts) puts the dialect's numbers and bytes on the wire, and sends no end marker in eof-none.
//
// Liveness (docs/PROTOCOL.md): a receiver is given up on only when it has not ACKed the current segment within
// receiverTimeoutMs of that segment's first send to it, not counting time the teacher held the pace. And no
// receiver is left in silence while it waits, whatever the wait (a dead peer, a pause): every keepaliveMs
// without a send to it, it gets the newest segment it has already ACKed again. A course receiver answers that
// duplicate with the same ACK, and its idle timer sees a live sender.
import { closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { DEFAULT_WINDOW, mssProblem, timeoutProblem, windowProblem, type Protocol } from '../limits.js';
import type { ReceiverEndpoint, SendResult, SenderCounters, SenderEvent } from '../events.js';
import { senderCodec } from '../protocol/codec.js';
import { dialectProblem, isStandardDialect, STANDARD_DIALECT, type Dialect } from '../protocol/dialect.js';
import type { ProfileName } from '../protocol/segment.js';
import { createChunkReader, type ChunkReader } from './chunkReader.js';
import { resolveReceivers, type ReceiverSpec } from './endpoints.js';
import { createRttTracker } from '../rtt.js';
import { createPacer, type Pacer } from '../pacer.js';
import { systemTimers, type Timers } from '../timers.js';
import { DEFAULT_MIN_RTO_MS, initialRto, rtoBackoff, rtoSample, type RtoMode } from '../rto.js';
import { nodeUdp, type Peer as UdpPeer, type Udp, type UdpSocket } from './udp.js';
import { goBackN } from './goBackN.js';
import { offerOutcome, peerLookup, readAck, sendResult, type Tally } from './senderParts.js';
import { hashFile, newOfferId, offerFile, type OfferResult } from './offering.js';
import { DEFAULT_DECIDE_MS, DEFAULT_OFFER_TRIES, DEFAULT_SEALED_MS } from '../offer/offerPhase.js';
import { codeProblem, normalizeCode } from '../session/code.js';
import type { DeriveMaster } from './sessionCrypto.js';
import { senderSession } from './sessionUdp.js';

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
  /** 'saw': stop-and-wait, the course's protocol (default); 'gbn': Go-Back-N with a window of `window` segments. */
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
  /** The code's key derivation: scrypt by default; tests in virtual time pass one that does not wait. */
  sessionKdf?: DeriveMaster;
}

export const DEFAULT_TIMEOUT_MS = 100;
export const DEFAULT_RECEIVER_TIMEOUT_MS = 30_000;
export const DEFAULT_KEEPALIVE_MS = 1_000;

interface Peer extends Tally {
  acked: boolean;
  /** The current chunk was sent to it more than once: its ACK is no RTT sample (Karn's rule). */
  resent: boolean;
  /** Last transmission of the current segment to it: RTT samples. */
  sentAt: number;
  /** Last datagram of any kind sent to it: keepalives. */
  lastSendAt: number;
  /** First transmission of the current segment, moved on by time the pacer held a round. */
  firstSentAt: number;
}

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

function readProblem(file: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
  return new InputError(`cannot read file "${file}": ${why ?? (error as Error).message}`);
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

const kdf = (options: SendOptions): { derive?: DeriveMaster } =>
  options.sessionKdf ? { derive: options.sessionKdf } : {};

/** Sends one file to every receiver. Rejects with InputError before anything is sent if the input is bad. */
export async function send(options: SendOptions): Promise<SendResult> {
  const { timeoutMs, receiverTimeoutMs } = checkOptions(options);
  const { mss } = options;
  const { fd, size } = openFile(options.file);
  const reader = createChunkReader(fd, size, mss);
  const chunks = Math.ceil(size / mss);
  const codec = senderCodec(options.profile ?? 'standard', options.dialect ?? STANDARD_DIALECT, mss, size);
  const { profile } = codec;
  let endpoints: ReceiverEndpoint[];
  let socket: UdpSocket;
  // ACKs go to the transfer's handler once it exists; nothing can arrive before the first send.
  let deliver: (datagram: Buffer, from: UdpPeer) => void = () => undefined;
  const counters: SenderCounters = { received: 0, answers: 0, acks: 0, stale: 0, malformed: 0, foreign: 0 };
  const code = options.code === undefined ? null : normalizeCode(options.code);
  if (code !== null) Object.assign(counters, { forged: 0, replayed: 0 });
  // "Wrong code" notices matter while the offer is out; afterwards they are just more unauthenticated datagrams.
  let wrongCode: (from: UdpPeer) => void = () => undefined;
  const plain = options.udp ?? nodeUdp;
  const udp = code === null ? plain : senderSession(plain, { code, ...kdf(options) });
  try {
    if (codec.problem !== null) throw new InputError(codec.problem);
    endpoints = await resolveReceivers(options.receivers);
    socket = await udp({
      port: 0,
      family: isIP(endpoints[0]!.address) === 6 ? 6 : 4,
      onMessage: (datagram, from) => deliver(datagram, from),
      onRejected: ({ why, from }) => {
        if (why === 'wrong-code') wrongCode(from);
        else if (why === 'replayed') counters.replayed = (counters.replayed ?? 0) + 1;
        else counters.forged = (counters.forged ?? 0) + 1;
      },
      purpose: 'send from',
      ...(options.bind !== undefined ? { address: options.bind } : {}),
    });
  } catch (error) {
    reader.close();
    throw error;
  }
  // Before any data: who is ours (accepts or declines, verifies end to end), who speaks the course protocol only.
  let offered: OfferResult | null = null;
  // Offers are ours, in the course dialect: a sender told to speak another dialect talks to someone else's code.
  if (options.offer !== false && isStandardDialect(options.dialect ?? STANDARD_DIALECT)) {
    try {
      offered = await offerFile({
        socket,
        endpoints,
        profile: codec.profile.name,
        offer: {
          id: newOfferId(),
          name: options.name ?? basename(options.file),
          size,
          sha256: await hashFile(fd, size),
          mss,
          protocol: options.protocol ?? 'saw',
          profile: codec.profile.name,
          sender: hostname(),
        },
        rules: {
          intervalMs: timeoutMs,
          tries: DEFAULT_OFFER_TRIES,
          decideMs: options.decideMs ?? DEFAULT_DECIDE_MS,
          // Long enough for a wrong code's notices to arrive however long T is.
          ...(code !== null ? { sealedMs: Math.max(DEFAULT_SEALED_MS, 10 * timeoutMs) } : {}),
        },
        timers: options.timers ?? systemTimers,
        listen: (handler) => (deliver = handler),
        listenWrongCode: (handler) => (wrongCode = handler),
        counters,
        onState: (receiver, state) =>
          options.onEvent?.({
            type: 'offer',
            t: 0,
            receiver,
            state: state.kind,
            ...(state.kind === 'declined'
              ? { reason: state.reason }
              : state.kind === 'wrong-code' || state.kind === 'silent'
                ? { reason: offerOutcome(state).failure! }
                : {}),
          }),
        signal: options.signal,
      });
    } catch (error) {
      socket.close();
      reader.close();
      throw readProblem(options.file, error);
    }
    wrongCode = () => undefined;
  }
  const outcomes = endpoints.map((_, i) => offerOutcome(offered?.states[i], offered?.sent[i]));
  if (options.protocol === 'gbn') {
    const window = options.window ?? DEFAULT_WINDOW;
    const problem = windowProblem(window);
    if (problem) {
      socket.close();
      reader.close();
      throw new InputError(problem);
    }
    return goBackN({
      socket,
      reader,
      codec,
      endpoints,
      size,
      mss,
      chunks,
      window,
      timeoutMs,
      receiverTimeoutMs,
      keepaliveMs: options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS,
      timers: options.timers ?? systemTimers,
      pacer: options.pacer ?? createPacer(),
      onEvent: options.onEvent,
      signal: options.signal,
      listen: (handler) => (deliver = handler),
      readProblem: (error) => readProblem(options.file, error),
      outcomes,
      counters,
    });
  }
  return run(socket, reader);

  function run(socket: UdpSocket, reader: ChunkReader): Promise<SendResult> {
    const onEvent = options.onEvent;
    const pacer = options.pacer ?? createPacer();
    const timers = options.timers ?? systemTimers;
    const keepaliveMs = options.keepaliveMs ?? DEFAULT_KEEPALIVE_MS;
    const adaptive = options.rto === 'adaptive';
    const minRtoMs = options.minRtoMs ?? DEFAULT_MIN_RTO_MS;
    // One estimator for the round timer: every receiver's samples feed it (a round waits for the slowest).
    let rto = initialRto(timeoutMs);
    const start = timers.now();
    const now = (): number => timers.now() - start;
    const peers: Peer[] = endpoints.map((ep, i) => ({
      ep,
      ...outcomes[i]!,
      acked: false,
      resent: false,
      sentAt: 0,
      lastSendAt: 0,
      firstSentAt: 0,
      acks: 0,
      timeouts: 0,
      retransmissions: 0,
      keepalives: 0,
      rtt: createRttTracker(),
      bytes: 0,
      timeMs: 0,
    }));
    const peerAt = peerLookup(peers);
    let seq = 0;
    let datagram: Buffer = Buffer.alloc(0);
    /** The segment before the current one: what a receiver still owing the current one has ACKed last. */
    let previous: Buffer | null = null;
    let payloadLength = 0;
    let pending = 0;
    let timeoutRounds = 0;

    let bytesDone = 0;
    let timer: unknown;
    let keepaliveTimer: unknown;
    let finished = false;
    let resolveResult!: (result: SendResult) => void;
    let rejectResult!: (error: Error) => void;
    const result = new Promise<SendResult>((resolve, reject) => {
      resolveResult = resolve;
      rejectResult = reject;
    });

    function transmit(peer: Peer, retransmission: boolean): void {
      peer.sentAt = now();
      peer.lastSendAt = peer.sentAt;
      if (!retransmission) peer.firstSentAt = peer.sentAt;
      socket.send(datagram, peer.ep.port, peer.ep.address);
      onEvent?.({ type: 'send', t: now(), seq, receiver: peer.ep.id, retransmission });
    }

    function fail(peer: Peer, reason: string): void {
      peer.failure = reason;
      peer.timeMs = now();
      if (!peer.acked) pending--;
      onEvent?.({ type: 'receiver-failed', t: now(), seq, receiver: peer.ep.id, reason });
    }

    /**
     * Runs a transmission round when the pacer allows. Time spent waiting (step mode, pause) does not count
     * against a receiver's timeout; a round for a chunk that is no longer current is skipped.
     */
    function paced(round: () => void): void {
      const asked = now();
      const forSeq = seq;
      pacer.waitTurn(() => {
        if (finished || seq !== forSeq) return;
        const waited = now() - asked;
        if (waited > 0) for (const peer of peers) peer.firstSentAt += waited;
        round();
      });
    }

    function nextSegment(): void {
      seq++;
      if (seq > codec.last) return finish(false);
      paced(sendSegment);
    }

    function sendSegment(): void {
      let payload: Buffer;
      try {
        payload = seq <= chunks ? reader.chunk(seq) : Buffer.alloc(0);
      } catch (error) {
        // The file changed under us (it shrank, a disk error): stop cleanly and reject, the caller reports it.
        return finish(true, readProblem(options.file, error));
      }
      payloadLength = payload.length;
      if (seq > 1) previous = datagram;
      datagram = codec.segment(seq, payload);
      pending = 0;
      for (const peer of peers) {
        if (peer.failure !== undefined) continue;
        peer.acked = false;
        peer.resent = false;
        pending++;
        transmit(peer, false);
      }
      if (pending === 0) return finish(false);
      timer = timers.setTimeout(onTimeout, rto.rto);
    }

    // Every receiver that has had no send for keepaliveMs gets the newest segment it has ACKed once more.
    /**
     * It has ACKed the end marker (or the last chunk, in a dialect without one): it has the whole file and needs
     * nothing more (it lingers, then ends or serves the next sender). A repeated marker could even start a new
     * transfer there (an empty file's is segment 1).
     */
    const finishedWith = (peer: Peer): boolean => seq === codec.last && peer.acked;

    function keepAlive(): void {
      const t = now();
      for (const peer of peers) {
        if (peer.failure !== undefined || t - peer.lastSendAt < keepaliveMs || finishedWith(peer)) continue;
        const repeat = peer.acked ? datagram : previous;
        if (repeat === null || repeat.length === 0) continue; // nothing ACKed yet: no transfer to keep alive
        peer.lastSendAt = t;
        peer.keepalives++;
        socket.send(repeat, peer.ep.port, peer.ep.address);
      }
      keepaliveTimer = timers.setTimeout(keepAlive, keepaliveMs);
    }

    function roundComplete(): void {
      timers.clearTimeout(timer);
      if (seq <= chunks) {
        bytesDone += payloadLength;
        onEvent?.({ type: 'progress', t: now(), chunksDone: seq, chunks, bytesDone, fileSize: size });
      }
      nextSegment();
    }

    function onTimeout(): void {
      timeoutRounds++;
      if (adaptive) rto = rtoBackoff(rto, minRtoMs);
      const t = now();
      for (const peer of peers) {
        if (peer.acked || peer.failure !== undefined) continue;
        if (receiverTimeoutMs > 0 && t - peer.firstSentAt >= receiverTimeoutMs) {
          fail(
            peer,
            `no ACK for sequence number ${seq} within ${(receiverTimeoutMs / 1000).toFixed(1)} s of sending it`,
          );
          continue;
        }
        peer.timeouts++;
        onEvent?.({ type: 'timeout', t, seq, receiver: peer.ep.id });
      }
      if (pending === 0) return roundComplete();
      paced(resend);
    }

    // Only to the receivers that have not ACKed: the retransmission rule.
    function resend(): void {
      for (const peer of peers) {
        if (peer.acked || peer.failure !== undefined) continue;
        peer.retransmissions++;
        peer.resent = true;
        transmit(peer, true);
      }
      timer = timers.setTimeout(onTimeout, rto.rto);
    }

    function onMessage(message: Buffer, rinfo: UdpPeer): void {
      if (finished) return;
      const ack = readAck(message, rinfo, peerAt, codec, counters);
      if (ack === null) return;
      if ('refused' in ack) {
        // One of ours found the file is not what was offered (its SHA-256 check failed): it keeps nothing.
        const owed = !ack.peer.acked;
        if (ack.peer.failure === undefined) fail(ack.peer, ack.refused);
        if (owed && pending === 0) roundComplete();
        return;
      }
      const { peer, acked } = ack;
      if (peer.failure === undefined && acked === 0 && seq > 1 && !finishedWith(peer)) {
        // A receiver only ACKs 0 before it has chunk 1: it lost its state (restarted) and its file cannot be whole.
        counters.stale++;
        // Only a receiver still owing the current chunk can complete the round by failing (between rounds, e.g.
        // while the pacer waits, every peer has acked and the next round is already on its way).
        const owed = !peer.acked;
        fail(peer, `receiver restarted: it acknowledged 0 while at sequence number ${seq}`);
        if (owed && pending === 0) roundComplete();
        return;
      }
      if (peer.failure !== undefined || acked !== seq || peer.acked) {
        counters.stale++; // stale or duplicate ACK, or from a receiver given up on: the timer handles the rest
        return;
      }
      counters.acks++;
      const t = now();
      const sample = t - peer.sentAt;
      peer.acked = true;
      peer.acks++;
      peer.bytes += payloadLength;
      peer.timeMs = t;
      if (!peer.resent) {
        peer.rtt.add(sample);
        if (adaptive) rto = rtoSample(rto, sample, minRtoMs);
      }
      onEvent?.({ type: 'ack', t, seq, receiver: peer.ep.id, rttMs: sample });
      if (--pending === 0) roundComplete();
    }

    /** Ends the transfer: resolves with the result, or rejects with `error` (the file could not be read). */
    function finish(cancel: boolean, error?: Error): void {
      if (finished) return;
      finished = true;
      timers.clearTimeout(timer);
      timers.clearTimeout(keepaliveTimer);
      pacer.dispose();
      options.signal?.removeEventListener('abort', onAbort);
      socket.close();
      reader.close();
      if (error) return rejectResult(error);
      const done = sendResult(cancel, peers, {
        fileSize: size,
        mss,
        chunks,
        timeoutRounds,
        timeoutMs,
        durationMs: now(),
        counters: { ...counters },
      });
      onEvent?.({ type: 'done', t: done.durationMs, result: done });
      resolveResult(done);
    }

    const onAbort = (): void => finish(true);
    deliver = onMessage;
    if (options.signal?.aborted) {
      finish(true);
      return result;
    }
    options.signal?.addEventListener('abort', onAbort);
    onEvent?.({
      type: 'start',
      t: 0,
      fileSize: size,
      mss,
      chunks,
      timeoutMs,
      profile: profile.name,
      receivers: endpoints,
    });
    if (keepaliveMs > 0) keepaliveTimer = timers.setTimeout(keepAlive, keepaliveMs);
    nextSegment();
    return result;
  }
}
