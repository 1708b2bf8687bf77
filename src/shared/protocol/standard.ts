// Profile "standard": the course's binary format. 8-byte big-endian header seq u32 | checksum u16 | type u16,
// then the raw payload. The checksum covers seq, type and payload (not itself); an ACK is seq, 0x0000, 0xAAAA.
import { complement, headerSum, onesComplementSum } from './checksum.js';
import { MAX_MSS } from '../limits.js';
import { TYPE_ACK, TYPE_DATA, type Decoded, type WireProfile } from './segment.js';

const HEADER = 8;

export function dataChecksum(seq: number, payload: Uint8Array): number {
  return complement(onesComplementSum(payload, headerSum(seq, TYPE_DATA)));
}

export function encodeData(seq: number, payload: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(HEADER + payload.length);
  buf.writeUInt32BE(seq, 0);
  buf.writeUInt16BE(dataChecksum(seq, payload), 4);
  buf.writeUInt16BE(TYPE_DATA, 6);
  buf.set(payload, HEADER);
  return buf;
}

export function encodeAck(seq: number): Buffer {
  const buf = Buffer.alloc(HEADER);
  buf.writeUInt32BE(seq, 0);
  buf.writeUInt16BE(TYPE_ACK, 6);
  return buf;
}

export function decode(datagram: Buffer): Decoded {
  if (datagram.length < HEADER) return { ok: false, reason: 'too-short' };
  const seq = datagram.readUInt32BE(0);
  const checksum = datagram.readUInt16BE(4);
  const type = datagram.readUInt16BE(6);
  if (type === TYPE_ACK) {
    if (datagram.length !== HEADER) return { ok: false, reason: 'bad-length', seq };
    // The middle field of an ACK is ignored: implementations fill it with zeros or a checksum.
    return { ok: true, segment: { kind: 'ack', seq, checksum } };
  }
  if (type !== TYPE_DATA) return { ok: false, reason: 'bad-type', seq };
  const payload = datagram.subarray(HEADER);
  if (dataChecksum(seq, payload) !== checksum) return { ok: false, reason: 'bad-checksum', seq };
  return { ok: true, segment: { kind: 'data', seq, checksum, payload } };
}

export const standard: WireProfile = {
  name: 'standard',
  maxMss: MAX_MSS.standard,
  encodeData,
  encodeAck,
  dataLength: (payloadLength) => HEADER + payloadLength,
  decode,
};
