// The bytes of one segment in every format course implementations use: the course's 8-byte header
// (seq u32 | checksum u16 | type u16) then the payload, in binary in either byte order, or spelled in ASCII bits
// as the reference implementation does (seed-text), with the checksum over seq+type+payload or the payload only.
// The one codec behind both wire profiles, every dialect and p2mpcheck's probes. Pure and renderer-safe
// (typed arrays only); decoding never throws.
import { complement, headerSum, onesComplementSum } from './checksum.js';
import type { ByteOrder, Coverage } from './dialect.js';
import { MAX_MSS, type ProfileName } from '../limits.js';
import { TYPE_ACK, TYPE_DATA, type Rejection } from './segment.js';

export const HEADER = 8;
/** No payload: ACKs, end signals, some probes. */
export const EMPTY = new Uint8Array(0);

/**
 * Room for the bytes of one datagram, every byte of which the caller writes. Carved out of a shared 64 KiB slab,
 * as Node's Buffer pool does: a typed array of its own costs a zeroed allocation outside the heap (3 us for a
 * 1,408-byte segment here, most of its encoding). A slice is never handed out twice, so a datagram still queued
 * or kept for retransmission never changes.
 */
function allocate(length: number): Uint8Array {
  if (length > SLAB_BYTES >> 3) return new Uint8Array(length);
  if (slabUsed + length > slab.length) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  const bytes = slab.subarray(slabUsed, slabUsed + length);
  slabUsed += (length + 7) & ~7; // the next slice starts 8-byte aligned (the checksum reads 32-bit words)
  return bytes;
}
const SLAB_BYTES = 64 << 10;
let slab = new Uint8Array(0);
let slabUsed = 0;

// Header fields in either byte order, without a DataView per datagram: a 32-bit field is two 16-bit halves, the
// low one first in little-endian.
function writeUint16(bytes: Uint8Array, at: number, value: number, little: boolean): void {
  bytes[at + (little ? 0 : 1)] = value & 0xff;
  bytes[at + (little ? 1 : 0)] = (value >>> 8) & 0xff;
}
function writeUint32(bytes: Uint8Array, at: number, value: number, little: boolean): void {
  writeUint16(bytes, at + (little ? 0 : 2), value & 0xffff, little);
  writeUint16(bytes, at + (little ? 2 : 0), value >>> 16, little);
}
const readUint16 = (bytes: Uint8Array, at: number, little: boolean): number =>
  little ? bytes[at]! | (bytes[at + 1]! << 8) : (bytes[at]! << 8) | bytes[at + 1]!;
const readUint32 = (bytes: Uint8Array, at: number, little: boolean): number =>
  readUint16(bytes, at + (little ? 0 : 2), little) +
  readUint16(bytes, at + (little ? 2 : 0), little) * 0x10000;

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

/**
 * Every encoding a peer may speak, the course's first: binary then seed-text, each in both byte orders and
 * both checksum coverages.
 */
export const ENCODINGS: readonly Encoding[] = (['binary', 'seed-text'] as const).flatMap((format) =>
  (['big', 'little'] as const).flatMap((order) =>
    (['header-and-payload', 'payload'] as const).map((coverage): Encoding => ({ format, order, coverage })),
  ),
);

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
  const text = allocate(bytes.length * 8);
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
  const bytes = allocate(HEADER + payload.length);
  const little = encoding.order === 'little';
  writeUint32(bytes, 0, seq, little);
  writeUint16(bytes, 4, checksum, little);
  writeUint16(bytes, 6, type, little);
  bytes.set(payload, HEADER);
  return spell(encoding, bytes);
}

/** The ACK checksum seed-text carries (over seq and type); binary ACKs carry zeros, as the course says. */
export const ackChecksum = (seq: number): number => complement(headerSum(seq, TYPE_ACK));

/** An ACK; `summed`: with its checksum in binary too (our receivers, in an offered transfer). */
export function encodeAck(encoding: Encoding, seq: number, summed = false): Uint8Array {
  const middle = encoding.format === 'seed-text' || summed ? ackChecksum(seq) : 0;
  return encodeSegment(encoding, seq, TYPE_ACK, EMPTY, middle);
}

/** Whether an ACK (with or without a SACK bitmap) carries the right checksum: the one it was encoded with. */
export function ackSummed(encoding: Encoding, datagram: Uint8Array): boolean {
  const read = readSegment(encoding, datagram);
  if (!read.ok || read.fields.type !== TYPE_ACK) return false;
  const { seq, checksum, payload } = read.fields;
  return (
    checksum === (payload.length === 0 ? ackChecksum(seq) : checksumOf(encoding, seq, TYPE_ACK, payload))
  );
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
  const little = encoding.order === 'little';
  const seq = readUint32(header, 0, little);
  if (datagram.length % unit !== 0) return { ok: false, reason: 'bad-length', seq };
  const payload = unit === 1 ? datagram.subarray(HEADER) : unspell(datagram.subarray(HEADER * unit));
  if (!payload) return { ok: false, reason: 'bad-encoding', seq };
  return {
    ok: true,
    fields: { seq, checksum: readUint16(header, 4, little), type: readUint16(header, 6, little), payload },
  };
}

/** Whether a receiver speaking `encoding` would take the datagram as a data segment with a good checksum. */
export function readsAsData(encoding: Encoding, datagram: Uint8Array): boolean {
  const read = readSegment(encoding, datagram);
  if (!read.ok) return false;
  const { seq, checksum, type, payload } = read.fields;
  return type === TYPE_DATA && checksum === checksumOf(encoding, seq, type, payload);
}

/** The FIN end-of-file signal some implementations send: a header of all ones. */
export const isFin = (fields: Fields): boolean =>
  fields.seq === 0xffff_ffff &&
  fields.checksum === 0xffff &&
  fields.type === 0xffff &&
  !fields.payload.length;

export const encodeFin = (encoding: Encoding): Uint8Array =>
  spell(encoding, new Uint8Array(HEADER).fill(0xff));
