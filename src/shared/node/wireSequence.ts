// The sequence number a datagram carries, read with a session's wire profile: what lets the demo's relays say
// which packet they lost and lose the one a teacher picked. Data segments travel forward (sender to receiver),
// ACKs backward; anything else, or a datagram that fails its checks, carries no number.
import { Buffer } from 'node:buffer';
import type { Direction } from '../network/impairments.js';
import { getProfile } from '../protocol/profiles.js';
import type { ProfileName } from '../protocol/segment.js';

export function sequenceReader(
  profile: ProfileName,
): (direction: Direction, datagram: Uint8Array) => number | null {
  const wire = getProfile(profile);
  return (direction, datagram) => {
    const bytes = Buffer.isBuffer(datagram)
      ? datagram
      : Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength);
    const decoded = wire.decode(bytes);
    if (!decoded.ok) return null;
    return decoded.segment.kind === (direction === 'forward' ? 'data' : 'ack') ? decoded.segment.seq : null;
  };
}
