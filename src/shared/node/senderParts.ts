// The sender shell's reading of its socket: which receiver a datagram came from, and what it says in the engine's
// terms (src/shared/engine/sending.ts), for the protocol machine to count and act on.
import type { ReceiverEndpoint } from '../events.js';
import type { SenderInput } from '../engine/sending.js';
import { decodeAnswer, OFFER_SEQ } from '../offer/message.js';
import type { SenderCodec } from '../protocol/codec.js';
import type { Peer as UdpPeer } from './udp.js';

/** Where a datagram came from, among the receivers: looked up by source port, then address. */
export interface PeerLookup {
  /** The receiver at that address and port: no string built per ACK on the hot path. */
  at(from: UdpPeer): number | undefined;
  /** The receivers at that port (any address). */
  atPort(port: number): readonly number[] | undefined;
}

export function peerLookup(endpoints: readonly ReceiverEndpoint[]): PeerLookup {
  const byPort = new Map<number, ReceiverEndpoint[]>();
  for (const ep of endpoints) byPort.set(ep.port, [...(byPort.get(ep.port) ?? []), ep]);
  const ids = new Map([...byPort].map(([port, at]) => [port, at.map((ep) => ep.id)]));
  return {
    at: (from) => byPort.get(from.port)?.find((ep) => ep.address === from.address)?.id,
    atPort: (port) => ids.get(port),
  };
}

/**
 * A datagram from no receiver. One that reads as an ACK from a receiver's port at another address may be that
 * receiver answering from an address the sender did not send to (bound to every address of a machine with
 * several): the machine says what it makes of it. Never taken as an ACK: anyone can send from any port.
 */
function foreign(message: Buffer, from: UdpPeer, lookup: PeerLookup, codec: SenderCodec): SenderInput {
  const receivers = lookup.atPort(from.port);
  if (receivers === undefined) return { type: 'noise', kind: 'foreign' };
  const decoded = codec.profile.decode(message);
  if (!decoded.ok || decoded.segment.kind !== 'ack') return { type: 'noise', kind: 'foreign' };
  return { type: 'noise', kind: 'foreign', elsewhere: { receivers, from: `${from.address}:${from.port}` } };
}

/**
 * An ACK of a receiver that checksums them, without its checksum. Except a course ACK of 0 (middle field zero): a
 * receiver of ours that lost its state (restarted) has no offer and ACKs as a course one; the machine reports it
 * restarted. A corrupted ACK that reads 0 keeps its checksum.
 */
const unsummed = (datagram: Buffer, acked: number, codec: SenderCodec): boolean =>
  !codec.profile.ackSummed(datagram) &&
  !(acked === 0 && datagram.length === 8 && datagram[4] === 0 && datagram[5] === 0);

/**
 * Reads a datagram as an ACK from a known receiver (its address and port), in the engine's numbers (from a receiver
 * that agreed to SACK, `sack[receiver]`: a cumulative ACK with its bitmap), or as that receiver refusing the file
 * or naming it (one of ours, answering the offer `offerId`); anything else is noise: from elsewhere (foreign), not
 * an ACK (malformed), or numbered like no segment (stale). A course receiver's binary ACK has no checksum (its middle field is
 * ignored); one whose accept said so (`summed[receiver]`) checksums every ACK, and one that does not match is
 * malformed: a corrupted duplicate ACK could otherwise read as the end marker's, which says "verified".
 */
export function readAck(
  message: Buffer,
  from: UdpPeer,
  lookup: PeerLookup,
  codec: SenderCodec,
  sack: readonly boolean[],
  summed: readonly boolean[],
  offerId: string,
): SenderInput {
  const receiver = lookup.at(from);
  if (receiver === undefined) return foreign(message, from, lookup, codec);
  // A receiver that agreed to SACK: its ACKs are cumulative, with a bitmap of what it has beyond.
  const sacked = sack[receiver] ? codec.profile.decodeSack(message) : undefined;
  if (sacked !== undefined) {
    const acked = codec.numbering.acked(sacked.seq);
    if (acked === undefined) return { type: 'noise', kind: 'stale', receiver };
    if (summed[receiver] === true && unsummed(message, acked, codec))
      return { type: 'noise', kind: 'malformed', receiver };
    return { type: 'ack', receiver, acked, ...(sacked.bitmap.length > 0 ? { bitmap: sacked.bitmap } : {}) };
  }
  const decoded = codec.profile.decode(message);
  if (!decoded.ok && decoded.seq === OFFER_SEQ) {
    // An answer to another offer (stale, or forged by someone who did not see this one) is no answer: malformed.
    const read = decodeAnswer(message, codec.profile.name);
    const answer = read?.id === offerId ? read : undefined;
    if (answer?.answer === 'decline') return { type: 'refused', receiver, reason: answer.reason };
    if (answer?.answer === 'kept') return { type: 'kept', receiver, name: answer.name };
  }
  if (!decoded.ok || decoded.segment.kind !== 'ack') return { type: 'noise', kind: 'malformed', receiver };
  const acked = codec.numbering.acked(decoded.segment.seq);
  if (acked === undefined) return { type: 'noise', kind: 'stale', receiver };
  if (summed[receiver] === true && unsummed(message, acked, codec))
    return { type: 'noise', kind: 'malformed', receiver };
  return { type: 'ack', receiver, acked };
}
