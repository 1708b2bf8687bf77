// The I/O shell of the offer phase (rules: src/shared/offer/offerPhase.ts): hash the file, send the offer to
// every receiver over the transfer's own socket, and collect the answers until every receiver has settled.
import { randomBytes, createHash } from 'node:crypto';
import { read, readSync } from 'node:fs';
import type { ReceiverEndpoint, SenderCounters } from '../events.js';
import { decodeAnswer, encodeOffer, type Offer } from '../offer/message.js';
import {
  answered,
  answeredElsewhere,
  isSettled,
  noticedWrongCode,
  startOffers,
  tick,
  type OfferRules,
  type OfferState,
} from '../offer/offerPhase.js';
import type { ProfileName } from '../limits.js';
import type { Timers } from '../engine/timers.js';
import { peerLookup } from './senderParts.js';
import type { Peer as UdpPeer, UdpSocket } from './udp.js';

/** Up to this size a file is read and hashed at once: the thread pool's round trip would cost more. */
const HASH_AT_ONCE = 64 * 1024;

/** SHA-256 of the whole file behind `fd`; a larger file in 1 MiB pieces without blocking the event loop. */
export async function hashFile(fd: number, size: number): Promise<string> {
  const hash = createHash('sha256');
  const piece = Buffer.allocUnsafe(Math.min(size, 1 << 20) || 1);
  const readPiece = (position: number, length: number): number | Promise<number> =>
    size <= HASH_AT_ONCE
      ? readSync(fd, piece, 0, length, position)
      : new Promise<number>((resolve, reject) =>
          read(fd, piece, 0, length, position, (error, bytes) => (error ? reject(error) : resolve(bytes))),
        );
  for (let position = 0; position < size;) {
    const n = await readPiece(position, Math.min(piece.length, size - position));
    if (n === 0) throw new Error('the file shrank while it was read');
    hash.update(piece.subarray(0, n));
    position += n;
  }
  return hash.digest('hex');
}

export const newOfferId = (): string => randomBytes(8).toString('hex');

export interface OfferContext {
  socket: UdpSocket;
  endpoints: ReceiverEndpoint[];
  profile: ProfileName;
  offer: Offer;
  rules: OfferRules;
  timers: Timers;
  /** Counts what reaches the socket meanwhile: answers, or malformed and foreign datagrams. */
  counters: SenderCounters;
  /** Installs the handler of datagrams arriving on the socket. */
  listen(handler: (datagram: Buffer, from: UdpPeer) => void): void;
  /**
   * Installs the handler of what the session code's layer says of a receiver (session code only): "wrong code" and
   * "no code" notices, and challenges sealed under our salt from an address we never sent to ('elsewhere').
   */
  listenSession?(handler: (from: UdpPeer, why: 'wrong-code' | 'no-code' | 'elsewhere') => void): void;
  /** Each receiver's state as it changes (the live view shows who is deciding, who is in course mode). */
  onState?: (receiver: number, state: OfferState) => void;
  signal?: AbortSignal | undefined;
}

export interface OfferResult {
  /** What each receiver turned out to be. */
  states: OfferState[];
  /** Offers sent to each (counted like every other datagram sent to it). */
  sent: number[];
}

/** Offers the file to every receiver; resolves with what each one turned out to be. */
export function offerFile(c: OfferContext): Promise<OfferResult> {
  const datagram = encodeOffer(c.profile, c.offer);
  const start = c.timers.now();
  const now = (): number => c.timers.now() - start;
  const lastSentAt = c.endpoints.map(() => 0);
  const sent = c.endpoints.map(() => 0);
  const sendTo = (receivers: number[]): void => {
    for (const i of receivers) {
      lastSentAt[i] = now();
      sent[i]!++;
      c.socket.send(datagram, c.endpoints[i]!.port, c.endpoints[i]!.address);
    }
  };
  return new Promise((resolve) => {
    let states: OfferState[];
    let timer: unknown;
    const update = (next: OfferState[]): void => {
      next.forEach((s, i) => {
        if (s !== states[i]) c.onState?.(i, s);
      });
      states = next;
      if (!states.every(isSettled)) return;
      c.timers.clearTimeout(timer);
      c.signal?.removeEventListener('abort', onAbort);
      resolve({ states, sent });
    };
    const onAbort = (): void => update(states.map((s) => (isSettled(s) ? s : { kind: 'cancelled' })));
    const onTick = (): void => {
      const next = tick(states, now(), c.rules, lastSentAt);
      sendTo(next.send);
      timer = c.timers.setTimeout(onTick, c.rules.intervalMs);
      update(next.states);
    };
    const lookup = peerLookup(c.endpoints);
    const receiverAt = (from: UdpPeer): number => lookup.at(from) ?? -1;
    // From the port of receivers at another address: one of them answering from another address of its machine.
    const elsewhere = (from: UdpPeer): void =>
      update(answeredElsewhere(states, lookup.atPort(from.port) ?? [], `${from.address}:${from.port}`));
    c.listenSession?.((from, why) => {
      if (why === 'elsewhere') return elsewhere(from);
      const i = receiverAt(from);
      if (i >= 0) update(noticedWrongCode(states, i, why));
    });
    c.listen((message, from) => {
      c.counters.received++;
      const i = receiverAt(from);
      const answer = decodeAnswer(message, c.profile);
      if (i < 0) {
        c.counters.foreign++;
        if (answer?.id === c.offer.id) elsewhere(from);
        return;
      }
      // 'kept' ends a transfer: never an answer to an offer.
      if (answer?.id !== c.offer.id || answer.answer === 'kept') return void c.counters.malformed++;
      c.counters.answers = (c.counters.answers ?? 0) + 1;
      update(answered(states, i, answer, now()));
    });
    const first = startOffers(c.endpoints.length);
    states = first.states;
    first.states.forEach((s, i) => c.onState?.(i, s));
    if (c.signal?.aborted) return onAbort();
    c.signal?.addEventListener('abort', onAbort);
    sendTo(first.send);
    timer = c.timers.setTimeout(onTick, c.rules.intervalMs);
    if (c.endpoints.length === 0) update(states);
  });
}
