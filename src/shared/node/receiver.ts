// The P2MP-FTP receiver. For every datagram, in this order:
//   1. from another source than the sender being served -> counted as foreign, ignored;
//   2. a data segment -> simulated loss first: dropped with probability p, nothing else happens;
//   3. bad checksum -> counted, ignored (no ACK); not a data segment -> counted as malformed, ignored;
//   4. the next expected sequence number -> written synchronously, then ACKed (never ACKed if the write failed);
//      an empty one is the end marker: the file is fsynced, renamed from .part and the marker ACKed;
//   5. anything else -> ACK of the last in-order sequence number.
import { createSocket, type RemoteInfo } from 'node:dgram';
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
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
import { getProfile } from '../protocol/profiles.js';
import type { ProfileName } from '../protocol/segment.js';
import { randomSeed, seededRandom } from '../random.js';
import { nodeFileOps, openPartFile, writeProblem, type FileOps, type PartFile } from './partFile.js';

export type IdleAction = 'complete' | 'fail';

export interface ReceiveOptions {
  port: number;
  bind?: string;
  /** Path of the file to write for the n-th transfer (0-based). */
  destination: (transferIndex: number) => string;
  p: number;
  seed?: number;
  profile?: ProfileName;
  /** A transfer with no packet for this long ends (see onIdle). 0 never. */
  idleTimeoutMs?: number;
  /**
   * What a silent sender means: 'complete' keeps what arrived as the file (senders without an end marker, like the
   * reference one); 'fail' leaves only the .part file. Default: 'complete' for seed-text, 'fail' for standard.
   */
  onIdle?: IdleAction;
  /** After a transfer, keep serving new ones instead of finishing. */
  keepListening?: boolean;
  /** After the end marker, keep re-ACKing its retransmissions until the sender has been quiet this long. */
  lingerMs?: number;
  onEvent?: (event: ReceiverEvent) => void;
  fileOps?: FileOps;
}

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

interface Transfer {
  from: string;
  file: PartFile;
  /** Last sequence number written (and ACKed). */
  last: number;
  startedAt: number;
  lastPacketAt: number;
  /** Set once the file is complete: the transfer only re-ACKs until the sender goes quiet. */
  completed: boolean;
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
  const profile = getProfile(options.profile ?? 'standard');
  const portIssue = portProblem(options.port, true);
  if (portIssue) throw new InputError(portIssue);
  const pIssue = lossProbabilityProblem(options.p);
  if (pIssue) throw new InputError(pIssue);
  const firstPath = options.destination(0);
  const pathIssue = destinationProblem(firstPath);
  if (pathIssue) throw new InputError(pathIssue);
  const seed = options.seed ?? randomSeed();
  const loss = createLossModel(options.p, seededRandom(seed));
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const onIdle: IdleAction = options.onIdle ?? (profile.name === 'seed-text' ? 'complete' : 'fail');
  const lingerMs = options.lingerMs ?? DEFAULT_LINGER_MS;
  const fileOps = options.fileOps ?? nodeFileOps;
  const bind = options.bind ?? '0.0.0.0';
  const onEvent = options.onEvent;

  const socket = createSocket({ type: bind.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 1 << 22 });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.close();
      const why =
        error.code === 'EADDRINUSE'
          ? 'the port is already in use'
          : error.code === 'EADDRNOTAVAIL'
            ? 'no such local address'
            : error.code === 'EACCES'
              ? 'permission denied'
              : (error.code ?? error.message);
      reject(new InputError(`cannot listen on ${bind}:${options.port}: ${why}`));
    });
    socket.bind({ port: options.port, address: bind }, resolve);
  });
  socket.on('error', () => undefined); // an ACK that cannot be sent is just lost; the sender retransmits

  const start = performance.now();
  const now = (): number => performance.now() - start;
  const counters = emptyCounters();
  const files: CompletedFile[] = [];
  let transfer: Transfer | null = null;
  let transferIndex = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let stopping = false;
  let resolveDone!: (result: ReceiveResult) => void;
  const done = new Promise<ReceiveResult>((resolve) => (resolveDone = resolve));

  function packet(outcome: PacketOutcome, from: string, seq: number | undefined, bytes: number): void {
    onEvent?.({ type: 'packet', t: now(), ...(seq !== undefined ? { seq } : {}), outcome, bytes, from });
  }

  function ack(seq: number, rinfo: RemoteInfo): void {
    socket.send(profile.encodeAck(seq), rinfo.port, rinfo.address);
    counters.acksSent++;
  }

  function finish(failure?: string): void {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
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
    clearTimeout(timer);
    if (!options.keepListening || stopping) finish(failure);
  }

  function fail(reason: string): void {
    const current = transfer!;
    current.file.abandon();
    onEvent?.({
      type: 'transfer-failed',
      t: now(),
      reason,
      partPath: current.file.partPath,
      bytes: current.file.bytes,
    });
    endTransfer(reason);
  }

  function complete(endedBy: CompletedFile['endedBy']): boolean {
    const current = transfer!;
    let sha256: string;
    try {
      sha256 = current.file.commit();
    } catch (error) {
      fail(writeProblem(error, current.file.partPath));
      return false;
    }
    const file: CompletedFile = {
      path: current.file.path,
      bytes: current.file.bytes,
      sha256,
      durationMs: now() - current.startedAt,
      from: current.from,
      endedBy,
    };
    files.push(file);
    current.completed = true;
    onEvent?.({ type: 'complete', t: now(), file });
    return true;
  }

  // One timer for the transfer: idle detection while receiving, the linger window after the end marker.
  function armTimer(): void {
    clearTimeout(timer);
    const current = transfer;
    if (current === null) return;
    const limit = current.completed ? lingerMs : idleTimeoutMs;
    if (limit <= 0) return;
    timer = setTimeout(
      () => {
        if (transfer !== current) return;
        if (now() - current.lastPacketAt < limit) return armTimer();
        if (current.completed) return endTransfer();
        const silent = `the sender went silent for ${(limit / 1000).toFixed(1)} s`;
        if (onIdle === 'complete') {
          if (complete('idle')) endTransfer();
        } else
          fail(
            `${silent} after ${current.file.bytes} bytes; partial data kept in "${current.file.partPath}"`,
          );
      },
      Math.max(1, limit - (now() - current.lastPacketAt)),
    );
  }

  function begin(from: string): Transfer | null {
    const path = options.destination(transferIndex);
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
    return { from, file, last: 0, startedAt: t, lastPacketAt: t, completed: false };
  }

  function onMessage(message: Buffer, rinfo: RemoteInfo): void {
    counters.received++;
    const from = `${rinfo.address}:${rinfo.port}`;
    if (transfer !== null && from !== transfer.from) {
      counters.foreign++;
      return packet('foreign', from, undefined, message.length);
    }
    const decoded = profile.decode(message);
    const isData = decoded.ok ? decoded.segment.kind === 'data' : decoded.reason === 'bad-checksum';
    if (!isData) {
      counters.malformed++;
      return packet('malformed', from, decoded.ok ? decoded.segment.seq : decoded.seq, message.length);
    }
    if (transfer !== null) transfer.lastPacketAt = now();
    if (loss.drop()) {
      counters.dropped++;
      return packet('dropped', from, decoded.ok ? decoded.segment.seq : decoded.seq, message.length);
    }
    if (!decoded.ok || decoded.segment.kind !== 'data') {
      counters.corrupt++;
      return packet('corrupt', from, decoded.ok ? undefined : decoded.seq, message.length);
    }
    const { seq, payload } = decoded.segment;
    if (transfer === null && seq === 1) {
      transfer = begin(from);
      if (transfer === null) return;
      armTimer();
    }
    const current = transfer;
    const last = current?.last ?? 0;
    if (current === null || current.completed || seq !== last + 1) {
      if (seq <= last) counters.duplicates++;
      else counters.outOfOrder++;
      packet(seq <= last ? 'duplicate' : 'out-of-order', from, seq, payload.length);
      return ack(last, rinfo);
    }
    try {
      current.file.write(payload);
    } catch (error) {
      return fail(writeProblem(error, current.file.partPath));
    }
    current.last = seq;
    counters.bytesWritten += payload.length;
    packet('written', from, seq, payload.length);
    if (payload.length === 0 && !complete('marker')) return;
    ack(seq, rinfo);
    if (current.completed) armTimer();
  }

  socket.on('message', onMessage);
  const address = socket.address();
  onEvent?.({
    type: 'listening',
    t: 0,
    address: address.address,
    port: address.port,
    profile: profile.name,
    p: loss.p,
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
