// What stop-and-wait (sender.ts) and Go-Back-N (goBackN.ts) share once their rules are done: reading an ACK off
// the socket, and the result a user sees (one row per receiver).
import type { ReceiverEndpoint, ReceiverSummary, SendResult, SenderCounters } from '../events.js';
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
}

/** ACKs are matched by source port, then address: no string built per ACK on the hot path. */
export function peerLookup<P extends { ep: ReceiverEndpoint }>(peers: P[]): (from: UdpPeer) => P | undefined {
  const byPort = new Map<number, P[]>();
  for (const peer of peers) byPort.set(peer.ep.port, [...(byPort.get(peer.ep.port) ?? []), peer]);
  return (from) => byPort.get(from.port)?.find((peer) => peer.ep.address === from.address);
}

/**
 * Counts a datagram that reached the sender and reads it as an ACK from a known receiver (its address and port;
 * the middle field is ignored), in the engine's numbers; null when it is not one (counted as foreign or
 * malformed) or when its number matches no segment of the transfer (stale).
 */
export function readAck<P extends { ep: ReceiverEndpoint }>(
  message: Buffer,
  from: UdpPeer,
  peerAt: (from: UdpPeer) => P | undefined,
  codec: SenderCodec,
  counters: SenderCounters,
): { peer: P; acked: number } | null {
  counters.received++;
  const peer = peerAt(from);
  if (peer === undefined) {
    counters.foreign++;
    return null;
  }
  const decoded = codec.profile.decode(message);
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
