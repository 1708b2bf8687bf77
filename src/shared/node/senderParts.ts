// What stop-and-wait (sender.ts) and Go-Back-N (goBackN.ts) share once their rules are done: reading an ACK off
// the socket, and the result a user sees (one row per receiver).
import type { ReceiverEndpoint, ReceiverSummary, SendResult, SenderCounters } from '../events.js';
import { decodeAnswer, OFFER_SEQ } from '../offer/message.js';
import type { OfferState } from '../offer/offerPhase.js';
import type { SenderCodec } from '../protocol/codec.js';
import type { RttTracker } from '../rtt.js';
import type { Peer as UdpPeer } from './udp.js';

/** What either protocol keeps per receiver for the summary. */
export interface Tally {
  ep: ReceiverEndpoint;
  failure: string | undefined;
  acks: number;
  timeouts: number;
  retransmissions: number;
  keepalives: number;
  rtt: RttTracker;
  bytes: number;
  timeMs: number;
  /** 'verified': it accepted the offer and checks the SHA-256 before keeping the file; 'course': it cannot. */
  mode: 'verified' | 'course';
  /** Offers sent to it before the data. */
  offers: number;
}

/** Why a receiver gets nothing, by what the offer made of it. */
const OFFER_FAILURES: Partial<Record<OfferState['kind'], string>> = {
  'wrong-code': 'wrong code: it cannot open our datagrams (it was given another session code)',
  silent: 'no answer sealed with the session code (is it our receiver, started with the same code?)',
};

/** What the offer made of a receiver (no state: no offer was made): its mode, or why it gets nothing. */
export function offerOutcome(
  state: OfferState | undefined,
  offers = 0,
): Pick<Tally, 'mode' | 'failure' | 'offers'> {
  if (state?.kind === 'declined') return { mode: 'verified', failure: `declined: ${state.reason}`, offers };
  const failure = state && OFFER_FAILURES[state.kind];
  if (failure) return { mode: 'verified', failure, offers };
  return { mode: state?.kind === 'accepted' ? 'verified' : 'course', failure: undefined, offers };
}

/** ACKs are matched by source port, then address: no string built per ACK on the hot path. */
export function peerLookup<P extends { ep: ReceiverEndpoint }>(peers: P[]): (from: UdpPeer) => P | undefined {
  const byPort = new Map<number, P[]>();
  for (const peer of peers) byPort.set(peer.ep.port, [...(byPort.get(peer.ep.port) ?? []), peer]);
  return (from) => byPort.get(from.port)?.find((peer) => peer.ep.address === from.address);
}

/**
 * Counts a datagram that reached the sender and reads it as an ACK from a known receiver (its address and port;
 * the middle field is ignored), in the engine's numbers, or as that receiver refusing the file (one of ours
 * whose check of the file failed); null when it is neither (counted as foreign or malformed) or when its number
 * matches no segment of the transfer (stale).
 */
export function readAck<P extends { ep: ReceiverEndpoint; mode: Tally['mode'] }>(
  message: Buffer,
  from: UdpPeer,
  peerAt: (from: UdpPeer) => P | undefined,
  codec: SenderCodec,
  counters: SenderCounters,
): { peer: P; acked: number } | { peer: P; refused: string } | null {
  counters.received++;
  const peer = peerAt(from);
  if (peer === undefined) {
    counters.foreign++;
    return null;
  }
  const decoded = codec.profile.decode(message);
  if (!decoded.ok && decoded.seq === OFFER_SEQ && peer.mode === 'verified') {
    const answer = decodeAnswer(message, codec.profile.name);
    if (answer?.answer === 'decline') {
      counters.answers = (counters.answers ?? 0) + 1;
      return { peer, refused: answer.reason };
    }
  }
  if (!decoded.ok || decoded.segment.kind !== 'ack') {
    counters.malformed++;
    return null;
  }
  const acked = codec.numbering.acked(decoded.segment.seq);
  if (acked === undefined) {
    counters.stale++;
    return null;
  }
  return { peer, acked };
}

export function receiverSummary(t: Tally, cancelled: boolean): ReceiverSummary {
  const failure = t.failure ?? (cancelled ? 'cancelled' : undefined);
  return {
    receiver: t.ep,
    state: failure === undefined ? 'done' : 'failed',
    ...(failure !== undefined ? { failure } : {}),
    acks: t.acks,
    timeouts: t.timeouts,
    retransmissions: t.retransmissions,
    keepalives: t.keepalives,
    rtt: t.rtt.stats(),
    bytes: t.bytes,
    timeMs: t.timeMs,
    mode: t.mode,
    offers: t.offers,
  };
}

export function sendResult(
  cancelled: boolean,
  tallies: Tally[],
  fields: Omit<SendResult, 'ok' | 'cancelled' | 'receivers'>,
): SendResult {
  const receivers = tallies.map((t) => receiverSummary(t, cancelled));
  return { ok: !cancelled && receivers.every((r) => r.state === 'done'), cancelled, ...fields, receivers };
}
