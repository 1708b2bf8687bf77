// Go-Back-N from one sender to N receivers, beside stop-and-wait (sender.ts, which sets everything up and calls
// this for `protocol: 'gbn'`). It needs nothing new from a course receiver: those already drop out-of-order
// segments and ACK the last in-order one, which is a cumulative ACK.
//
// Textbook rules, per receiver r:
//   base_r = the oldest segment r has not ACKed; one timer per receiver, for base_r.
//   A new segment goes out (to every live receiver) while it lies within W of the lowest base of all live
//   receivers: a segment leaves the sender's window only when every live receiver has it.
//   ACK a from r (a >= base_r): base_r = a + 1; restart r's timer if r still has segments outstanding.
//   r's timer expires: "Timeout, sequence number = base_r", and every outstanding segment base_r..next-1 goes
//   again, to r only. Memory: the W encoded segments of the window, whatever the file size.
// Liveness is stop-and-wait's (docs/PROTOCOL.md): r fails only when base_r has gone unACKed for the receiver
// timeout since its first send, and a receiver with nothing outstanding gets its last ACKed segment again every
// keepalive period.
import type { ReceiverEndpoint, SendResult, SenderCounters, SenderEvent } from '../events.js';
import type { Pacer } from '../pacer.js';
import type { SenderCodec } from '../protocol/codec.js';
import { createRttTracker } from '../rtt.js';
import type { Timers } from '../timers.js';
import type { ChunkReader } from './chunkReader.js';
import { peerLookup, readAck, sendResult, type Tally } from './senderParts.js';
import type { Peer as UdpPeer, UdpSocket } from './udp.js';

export interface WindowContext {
  socket: UdpSocket;
  reader: ChunkReader;
  /** The dialect's numbers and bytes; the engine's own numbering is 1..chunks, then the end marker. */
  codec: SenderCodec;
  endpoints: ReceiverEndpoint[];
  size: number;
  mss: number;
  chunks: number;
  window: number;
  timeoutMs: number;
  receiverTimeoutMs: number;
  keepaliveMs: number;
  timers: Timers;
  pacer: Pacer;
  onEvent: ((e: SenderEvent) => void) | undefined;
  signal: AbortSignal | undefined;
  /** Installs the ACK handler on the socket. */
  listen(handler: (datagram: Buffer, from: UdpPeer) => void): void;
  /** Turns a failed chunk read into the error the caller rejects with. */
  readProblem(error: unknown): Error;
}

interface Outstanding {
  datagram: Buffer;
  payloadLength: number;
  /** First transmission, for RTT samples. */
  sentAt: number;
}

interface Receiver extends Tally {
  base: number;
  timer: unknown;
  /** First send of `base`, moved on by time the pacer held the transfer. */
  baseSentAt: number;
  lastSendAt: number;
  /** Highest sequence number retransmitted to it: ACKs up to it are no RTT samples (Karn). */
  resentUpTo: number;
  timeMs: number;
}

export function goBackN(ctx: WindowContext): Promise<SendResult> {
  const { socket, reader, codec, timers, pacer, onEvent, chunks, window: W } = ctx;
  const { last } = codec; // the end marker, or the last chunk in a dialect without one
  const start = timers.now();
  const now = (): number => timers.now() - start;
  const receivers: Receiver[] = ctx.endpoints.map((ep) => ({
    ep,
    base: 1,
    failure: undefined,
    timer: undefined,
    baseSentAt: 0,
    lastSendAt: 0,
    resentUpTo: 0,
    acks: 0,
    timeouts: 0,
    retransmissions: 0,
    keepalives: 0,
    rtt: createRttTracker(),
    bytes: 0,
    timeMs: 0,
  }));
  const receiverAt = peerLookup(receivers);
  const buffer = new Map<number, Outstanding>();
  const counters: SenderCounters = { received: 0, acks: 0, stale: 0, malformed: 0, foreign: 0 };
  let next = 1;
  let lastAcked: Buffer | null = null; // the newest segment every live receiver has: keepalives
  let timeoutRounds = 0;
  let keepaliveTimer: unknown;
  let waitingForPacer = false;
  let finished = false;
  let resolveResult!: (r: SendResult) => void;
  let rejectResult!: (e: Error) => void;
  const result = new Promise<SendResult>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });

  const live = (): Receiver[] => receivers.filter((r) => r.failure === undefined);
  const lowestBase = (): number => Math.min(...live().map((r) => r.base), next);

  function transmit(r: Receiver, seq: number, retransmission: boolean): void {
    const segment = buffer.get(seq)!;
    r.lastSendAt = now();
    if (seq === r.base && !retransmission) r.baseSentAt = r.lastSendAt;
    socket.send(segment.datagram, r.ep.port, r.ep.address);
    onEvent?.({ type: 'send', t: r.lastSendAt, seq, receiver: r.ep.id, retransmission });
  }

  function arm(r: Receiver): void {
    timers.clearTimeout(r.timer);
    r.timer =
      r.base < next && r.failure === undefined
        ? timers.setTimeout(() => onTimeout(r), ctx.timeoutMs)
        : undefined;
  }

  /** Sends new segments while the window has room, asking the pacer before each. */
  function fill(): void {
    if (finished || waitingForPacer || next > last || next >= lowestBase() + W) return;
    if (next > chunks && codec.endAfterAll && lowestBase() <= chunks) return;
    waitingForPacer = true;
    const asked = now();
    pacer.waitTurn(() => {
      waitingForPacer = false;
      if (finished) return;
      const held = now() - asked;
      if (held > 0) for (const r of receivers) r.baseSentAt += held;
      let payload: Buffer;
      try {
        payload = next <= chunks ? Buffer.from(reader.chunk(next)) : Buffer.alloc(0);
      } catch (error) {
        return finish(true, ctx.readProblem(error));
      }
      const seq = next++;
      buffer.set(seq, {
        datagram: codec.segment(seq, payload),
        payloadLength: payload.length,
        sentAt: now(),
      });
      for (const r of live()) {
        transmit(r, seq, false);
        if (r.timer === undefined) arm(r);
      }
      fill();
    });
  }

  function fail(r: Receiver, reason: string): void {
    r.failure = reason;
    r.timeMs = now();
    timers.clearTimeout(r.timer);
    onEvent?.({ type: 'receiver-failed', t: now(), seq: r.base, receiver: r.ep.id, reason });
    progress();
  }

  function onTimeout(r: Receiver): void {
    r.timer = undefined;
    if (finished || r.failure !== undefined) return;
    timeoutRounds++;
    const t = now();
    if (ctx.receiverTimeoutMs > 0 && t - r.baseSentAt >= ctx.receiverTimeoutMs) {
      return fail(
        r,
        `no ACK for sequence number ${r.base} within ${(ctx.receiverTimeoutMs / 1000).toFixed(1)} s of sending it`,
      );
    }
    r.timeouts++;
    onEvent?.({ type: 'timeout', t, seq: r.base, receiver: r.ep.id });
    // Go back N: everything outstanding, to this receiver only.
    for (let seq = r.base; seq < next; seq++) {
      r.retransmissions++;
      transmit(r, seq, true);
    }
    r.resentUpTo = next - 1;
    arm(r);
  }

  /** The window slid or a receiver left: free what everyone has, report progress, send more, or finish. */
  function progress(): void {
    const lowest = lowestBase();
    for (const seq of buffer.keys())
      if (seq < lowest) {
        lastAcked = buffer.get(seq)!.datagram;
        buffer.delete(seq);
      }
    const done = Math.min(lowest - 1, chunks);
    onEvent?.({
      type: 'progress',
      t: now(),
      chunksDone: done,
      chunks,
      bytesDone: Math.min(done * ctx.mss, ctx.size),
      fileSize: ctx.size,
    });
    if (live().every((r) => r.base > last)) return finish(false);
    fill();
  }

  function onMessage(message: Buffer, from: UdpPeer): void {
    if (finished) return;
    const ack = readAck(message, from, receiverAt, codec, counters);
    if (ack === null) return;
    const { peer: r, acked } = ack;
    if (r.failure === undefined && acked === 0 && r.base > 1 && r.base <= last) {
      counters.stale++;
      return fail(r, `receiver restarted: it acknowledged 0 while at sequence number ${r.base}`);
    }
    if (r.failure !== undefined || acked < r.base || acked >= next) {
      counters.stale++; // a duplicate ACK (GBN just waits for its timer), or from a receiver given up on
      return;
    }
    counters.acks++;
    const t = now();
    for (let seq = r.base; seq <= acked; seq++) {
      r.acks++;
      r.bytes += buffer.get(seq)?.payloadLength ?? 0;
    }
    if (acked > r.resentUpTo) {
      const sample = t - buffer.get(acked)!.sentAt;
      r.rtt.add(sample);
      onEvent?.({ type: 'ack', t, seq: acked, receiver: r.ep.id, rttMs: sample });
    } else onEvent?.({ type: 'ack', t, seq: acked, receiver: r.ep.id, rttMs: t - r.lastSendAt });
    r.base = acked + 1;
    // The receiver timeout counts from the new base's first send (now, if it has not gone out yet).
    r.baseSentAt = buffer.get(r.base)?.sentAt ?? t;
    r.timeMs = t;
    arm(r);
    progress();
  }

  function keepAlive(): void {
    const t = now();
    for (const r of live()) {
      // Waiting with nothing outstanding (others hold the window, or the pace is held), and not done.
      if (r.base < next || r.base > last || t - r.lastSendAt < ctx.keepaliveMs || lastAcked === null)
        continue;
      r.lastSendAt = t;
      r.keepalives++;
      socket.send(lastAcked, r.ep.port, r.ep.address);
    }
    keepaliveTimer = timers.setTimeout(keepAlive, ctx.keepaliveMs);
  }

  function finish(cancel: boolean, error?: Error): void {
    if (finished) return;
    finished = true;
    for (const r of receivers) timers.clearTimeout(r.timer);
    timers.clearTimeout(keepaliveTimer);
    pacer.dispose();
    ctx.signal?.removeEventListener('abort', onAbort);
    socket.close();
    reader.close();
    if (error) return rejectResult(error);
    const done = sendResult(cancel, receivers, {
      fileSize: ctx.size,
      mss: ctx.mss,
      chunks,
      timeoutRounds,
      timeoutMs: ctx.timeoutMs,
      durationMs: now(),
      counters: { ...counters },
    });
    onEvent?.({ type: 'done', t: done.durationMs, result: done });
    resolveResult(done);
  }

  const onAbort = (): void => finish(true);
  ctx.listen(onMessage);
  if (ctx.signal?.aborted) {
    finish(true);
    return result;
  }
  ctx.signal?.addEventListener('abort', onAbort);
  onEvent?.({
    type: 'start',
    t: 0,
    fileSize: ctx.size,
    mss: ctx.mss,
    chunks,
    timeoutMs: ctx.timeoutMs,
    profile: codec.profile.name,
    receivers: ctx.endpoints,
  });
  if (ctx.keepaliveMs > 0) keepaliveTimer = timers.setTimeout(keepAlive, ctx.keepaliveMs);
  // Nothing at all to send (an empty file in a dialect without an end marker): done at once.
  if (last === 0) finish(false);
  else fill();
  return result;
}
