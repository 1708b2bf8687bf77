// The bytes of one segment in every format course implementations use: the course's 8-byte header
// (seq u32 | checksum u16 | type u16) then the payload, in binary in either byte order, or spelled in ASCII bits
// as the reference implementation does (seed-text), with the checksum over seq+type+payload or the payload only.
// The one codec behind both wire profiles, every dialect and p2mpcheck's probes. Pure and renderer-safe
// (Uint8Array and DataView only); decoding never throws.
import { complement, headerSum, onesComplementSum } from './checksum.js';
import type { ByteOrder, Coverage } from './dialect.js';
import { MAX_MSS, type ProfileName } from '../limits.js';
import { TYPE_ACK, type Rejection } from './segment.js';

export const HEADER = 8;
/** No payload: ACKs, end signals, some probes. */
export const EMPTY = new Uint8Array(0);

/** Bytes as they are, or seed-text (the reference implementation's): every bit an ASCII '0' or '1', MSB first. */
export type Format = 'binary' | 'seed-text';

/** What decides whether the other side can read a segment at all. */
export interface Encoding {
  format: Format;
  order: ByteOrder;
  coverage: Coverage;
}

/** The course's own: binary, big-endian, the checksum over seq+type+payload. */
export const COURSE_ENCODING: Encoding = { format: 'binary', order: 'big', coverage: 'header-and-payload' };

/** The encoding of a wire profile in a dialect (seed-text is always big-endian over seq+type+payload). */
export const encodingOf = (
  profile: ProfileName,
  dialect: Pick<Encoding, 'order' | 'coverage'>,
): Encoding => ({
  format: profile === 'standard' ? 'binary' : 'seed-text',
  order: dialect.order,
  coverage: dialect.coverage,
});

/**
 * The data checksum: RFC 1071 over seq, type and payload, or the payload only. Seed-text's quirk, kept so we
 * interoperate with the reference: with an odd number of payload bytes, the last one is left out of the sum.
 */
export function checksumOf(encoding: Encoding, seq: number, type: number, payload: Uint8Array): number {
  const summed = encoding.format === 'seed-text' ? payload.subarray(0, payload.length & ~1) : payload;
  return complement(onesComplementSum(summed, encoding.coverage === 'payload' ? 0 : headerSum(seq, type)));
}

const ZERO = 0x30; // '0'

/** Binary bytes in the encoding's format: as they are, or spelled bit by bit as seed-text does. */
export function spell(encoding: Encoding, bytes: Uint8Array): Uint8Array {
  if (encoding.format === 'binary') return bytes;
  const text = new Uint8Array(bytes.length * 8);
  for (let i = 0; i < text.length; i++) text[i] = ZERO + ((bytes[i >> 3]! >> (7 - (i & 7))) & 1);
  return text;
}

/** The bytes seed-text characters spell, or undefined when one is not '0' or '1' (length a multiple of 8). */
function unspell(text: Uint8Array): Uint8Array | undefined {
  const bytes = new Uint8Array(text.length >> 3);
  for (let i = 0; i < text.length; i++) {
    const bit = text[i]! - ZERO;
    if (bit !== 0 && bit !== 1) return undefined;
    bytes[i >> 3] = bytes[i >> 3]! | (bit << (7 - (i & 7)));
  }
  return bytes;
}

/** Largest payload whose segment fits one UDP datagram in this encoding. */
export const largestPayload = (encoding: Encoding): number =>
  MAX_MSS[encoding.format === 'binary' ? 'standard' : 'seed-text'];

/** Datagram length of a segment carrying `payloadLength` bytes. */
export const segmentLength = (encoding: Encoding, payloadLength: number): number =>
  (HEADER + payloadLength) * (encoding.format === 'binary' ? 1 : 8);

/** A segment; `checksum` defaults to the right one for the encoding. */
export function encodeSegment(
  encoding: Encoding,
  seq: number,
  type: number,
  payload: Uint8Array,
  checksum = checksumOf(encoding, seq, type, payload),
): Uint8Array {
  const bytes = new Uint8Array(HEADER + payload.length);
  const view = new DataView(bytes.buffer);
  const little = encoding.order === 'little';
  view.setUint32(0, seq, little);
  view.setUint16(4, checksum, little);
  view.setUint16(6, type, little);
  bytes.set(payload, HEADER);
  return spell(encoding, bytes);
}

/** The ACK checksum seed-text carries (over seq and type); binary ACKs carry zeros, as the course says. */
export const ackChecksum = (seq: number): number => complement(headerSum(seq, TYPE_ACK));

export function encodeAck(encoding: Encoding, seq: number): Uint8Array {
  const middle = encoding.format === 'seed-text' ? ackChecksum(seq) : 0;
  return encodeSegment(encoding, seq, TYPE_ACK, EMPTY, middle);
}

export interface Fields {
  seq: number;
  checksum: number;
  type: number;
  /** A view into the datagram (binary) or a new array (seed-text). */
  payload: Uint8Array;
}

export type Read = { ok: true; fields: Fields } | { ok: false; reason: Rejection; seq?: number };

/** The header fields and payload of a datagram in the encoding, nothing judged yet. */
export function readSegment(encoding: Encoding, datagram: Uint8Array): Read {
  const unit = encoding.format === 'binary' ? 1 : 8;
  if (datagram.length < HEADER * unit) return { ok: false, reason: 'too-short' };
  const header = unit === 1 ? datagram : unspell(datagram.subarray(0, HEADER * unit));
  if (!header) return { ok: false, reason: 'bad-encoding' };
  const view = new DataView(header.buffer, header.byteOffset, HEADER);
  const little = encoding.order === 'little';
  const seq = view.getUint32(0, little);
  if (datagram.length % unit !== 0) return { ok: false, reason: 'bad-length', seq };
  const payload = unit === 1 ? datagram.subarray(HEADER) : unspell(datagram.subarray(HEADER * unit));
  if (!payload) return { ok: false, reason: 'bad-encoding', seq };
  return {
    ok: true,
    fields: { seq, checksum: view.getUint16(4, little), type: view.getUint16(6, little), payload },
  };
}

/** The FIN end-of-file signal some implementations send: a header of all ones. */
export const isFin = (fields: Fields): boolean =>
  fields.seq === 0xffff_ffff &&
  fields.checksum === 0xffff &&
  fields.type === 0xffff &&
  !fields.payload.length;

export const encodeFin = (encoding: Encoding): Uint8Array =>
  spell(encoding, new Uint8Array(HEADER).fill(0xff));
