// The dialects receivers speak, as a small pure codec for p2mpcheck's probes: the course's 8-byte header
// (seq u32 | checksum u16 | type u16) in binary in either byte order or spelled in ASCII bits (seed-text), the
// checksum over seq+type+payload or over the payload only, sequence numbers from 0 or 1 counting segments or
// bytes, ACKs carrying the number received or the next one expected. Probes carry even-length payloads, so
// seed-text's odd-byte checksum quirk never matters here. Renderer-safe: Uint8Array and DataView only.
import { complement, headerSum, onesComplementSum } from '../protocol/checksum.js';
import { TYPE_ACK } from '../protocol/segment.js';
import { MAX_MSS } from '../limits.js';

export const HEADER = 8;

export type ByteOrder = 'big' | 'little';
export type Coverage = 'header-and-payload' | 'payload';
/** Bytes as they are, or seed-text (the reference implementation's): every bit an ASCII '0' or '1', MSB first. */
export type Format = 'binary' | 'seed-text';

/** What decides whether a receiver can read a segment at all. */
export interface Encoding {
  format: Format;
  order: ByteOrder;
  coverage: Coverage;
}

/** Everything p2mpcheck learns about how a receiver numbers and ACKs segments. */
export interface Dialect extends Encoding {
  base: 0 | 1;
  unit: 'segment' | 'byte';
  ack: 'received' | 'next';
}

export function checksumOf(coverage: Coverage, seq: number, type: number, payload: Uint8Array): number {
  return complement(onesComplementSum(payload, coverage === 'payload' ? 0 : headerSum(seq, type)));
}

const ZERO = 0x30; // '0'

/** Binary bytes in the encoding's format: as they are, or spelled bit by bit as seed-text does. */
export function spell(encoding: Encoding, bytes: Uint8Array): Uint8Array {
  if (encoding.format === 'binary') return bytes;
  const text = new Uint8Array(bytes.length * 8);
  for (let i = 0; i < text.length; i++) text[i] = ZERO + ((bytes[i >> 3]! >> (7 - (i & 7))) & 1);
  return text;
}

/** The bytes a seed-text datagram spells, or undefined when it is not whole bytes of '0' and '1'. */
function unspell(text: Uint8Array): Uint8Array | undefined {
  if (text.length % 8 !== 0) return undefined;
  const bytes = new Uint8Array(text.length / 8);
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

/** A segment; `checksum` defaults to the right one for the encoding. */
export function encodeSegment(
  encoding: Encoding,
  seq: number,
  type: number,
  payload: Uint8Array,
  checksum = checksumOf(encoding.coverage, seq, type, payload),
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

export interface Ack {
  seq: number;
  middle: number;
}

/** An ACK header read in the encoding (type 0xAAAA reads the same in both byte orders), or undefined. */
export function decodeAck(datagram: Uint8Array, encoding: Encoding): Ack | undefined {
  const bytes = encoding.format === 'binary' ? datagram : unspell(datagram);
  if (bytes?.length !== HEADER) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER);
  const little = encoding.order === 'little';
  if (view.getUint16(6, little) !== TYPE_ACK) return undefined;
  return { seq: view.getUint32(0, little), middle: view.getUint16(4, little) };
}

/** Sequence number of the k-th segment (k from 0), every segment `length` bytes long. */
export function seqOf(dialect: Dialect, k: number, length: number): number {
  return (dialect.base + k * (dialect.unit === 'byte' ? length : 1)) >>> 0;
}

/** The ACK a receiver of this dialect sends once it has the k-th segment in order (k = -1: nothing yet). */
export function ackOf(dialect: Dialect, k: number, length: number): number {
  return seqOf(dialect, dialect.ack === 'next' ? k + 1 : k, length);
}

/** Which segment an ACK says the receiver has in order, or undefined when no segment gives that ACK. */
export function indexOfAck(dialect: Dialect, ack: number, length: number): number | undefined {
  const step = dialect.unit === 'byte' ? length : 1;
  // `| 0`: "nothing yet" from a receiver counting from 0 is ACK -1, sent as 0xFFFFFFFF.
  const offset = (ack | 0) - dialect.base - (dialect.ack === 'next' ? step : 0);
  return offset % step === 0 && offset >= -step ? offset / step : undefined;
}
