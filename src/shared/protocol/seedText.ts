// Profile "seed-text": the reference implementation's format. Every bit travels as one ASCII character
// '0' (0x30) or '1' (0x31), most significant bit first: 32 chars seq, 16 chars checksum, 16 chars type, then
// 8 chars per payload byte. Its ACK carries a real checksum over seq and type. Its quirk, kept on purpose so
// we interoperate: with an odd number of payload bytes, the last byte is left out of the checksum.
import { complement, headerSum, onesComplementSum } from './checksum.js';
import { MAX_MSS } from '../limits.js';
import { TYPE_ACK, TYPE_DATA, type Decoded, type WireProfile } from './segment.js';

const ZERO = 0x30;
const ONE = 0x31;
const HEADER = 64;

function writeBits(buf: Buffer, offset: number, value: number, bits: number): void {
  for (let i = 0; i < bits; i++) buf[offset + i] = Math.floor(value / 2 ** (bits - 1 - i)) % 2 ? ONE : ZERO;
}

/** Reads `bits` characters as a number, or -1 if any is not '0' or '1'. */
function readBits(buf: Buffer, offset: number, bits: number): number {
  let value = 0;
  for (let i = 0; i < bits; i++) {
    const c = buf[offset + i];
    if (c !== ZERO && c !== ONE) return -1;
    value = value * 2 + (c - ZERO);
  }
  return value;
}

export function dataChecksum(seq: number, payload: Uint8Array): number {
  return complement(onesComplementSum(payload.subarray(0, payload.length & ~1), headerSum(seq, TYPE_DATA)));
}

export function ackChecksum(seq: number): number {
  return complement(headerSum(seq, TYPE_ACK));
}

function encodeHeader(buf: Buffer, seq: number, checksum: number, type: number): void {
  writeBits(buf, 0, seq, 32);
  writeBits(buf, 32, checksum, 16);
  writeBits(buf, 48, type, 16);
}

export function encodeData(seq: number, payload: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(HEADER + payload.length * 8);
  encodeHeader(buf, seq, dataChecksum(seq, payload), TYPE_DATA);
  let o = HEADER;
  for (const byte of payload) {
    for (let bit = 7; bit >= 0; bit--) buf[o++] = (byte >> bit) & 1 ? ONE : ZERO;
  }
  return buf;
}

export function encodeAck(seq: number): Buffer {
  const buf = Buffer.allocUnsafe(HEADER);
  encodeHeader(buf, seq, ackChecksum(seq), TYPE_ACK);
  return buf;
}

export function decode(datagram: Buffer): Decoded {
  if (datagram.length < HEADER) return { ok: false, reason: 'too-short' };
  const seq = readBits(datagram, 0, 32);
  const checksum = readBits(datagram, 32, 16);
  const type = readBits(datagram, 48, 16);
  if (seq < 0 || checksum < 0 || type < 0) return { ok: false, reason: 'bad-encoding' };
  if ((datagram.length - HEADER) % 8 !== 0) return { ok: false, reason: 'bad-length', seq };
  if (type === TYPE_ACK) {
    if (datagram.length !== HEADER) return { ok: false, reason: 'bad-length', seq };
    // Unlike binary ACKs, every seed-text ACK (the reference's and ours) carries a real checksum: check it, so a
    // corrupted ACK cannot pass for the ACK of another chunk.
    if (checksum !== ackChecksum(seq)) return { ok: false, reason: 'bad-checksum', seq };
    return { ok: true, segment: { kind: 'ack', seq, checksum } };
  }
  if (type !== TYPE_DATA) return { ok: false, reason: 'bad-type', seq };
  const payload = Buffer.allocUnsafe((datagram.length - HEADER) / 8);
  for (let i = 0; i < payload.length; i++) {
    const byte = readBits(datagram, HEADER + i * 8, 8);
    if (byte < 0) return { ok: false, reason: 'bad-encoding', seq };
    payload[i] = byte;
  }
  if (dataChecksum(seq, payload) !== checksum) return { ok: false, reason: 'bad-checksum', seq };
  return { ok: true, segment: { kind: 'data', seq, checksum, payload } };
}

export const seedText: WireProfile = {
  name: 'seed-text',
  maxMss: MAX_MSS['seed-text'],
  encodeData,
  encodeAck,
  dataLength: (payloadLength) => HEADER + payloadLength * 8,
  decode,
};

/** The reference receiver reads at most 16,384 bytes per datagram, so it takes MSS up to this. */
export const REFERENCE_RECEIVER_MAX_MSS = Math.floor((16_384 - HEADER) / 8);
