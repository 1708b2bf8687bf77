// The binary dialects student receivers speak, as a small pure codec for p2mpcheck's probes: the course's 8-byte
// header (seq u32 | checksum u16 | type u16) in either byte order, the checksum over seq+type+payload or over the
// payload only, sequence numbers from 0 or 1 counting segments or bytes, ACKs carrying the number received or the
// next one expected. Renderer-safe: Uint8Array and DataView only.
import { complement, headerSum, onesComplementSum } from '../protocol/checksum.js';
import { TYPE_ACK } from '../protocol/segment.js';

export const HEADER = 8;

export type ByteOrder = 'big' | 'little';
export type Coverage = 'header-and-payload' | 'payload';

/** What decides whether a receiver can read a segment at all. */
export interface Encoding {
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
  return bytes;
}

export interface Ack {
  seq: number;
  middle: number;
}

/** An 8-byte ACK read in `order` (its type 0xAAAA reads the same in both), or undefined for anything else. */
export function decodeAck(datagram: Uint8Array, order: ByteOrder): Ack | undefined {
  if (datagram.length !== HEADER) return undefined;
  const view = new DataView(datagram.buffer, datagram.byteOffset, HEADER);
  const little = order === 'little';
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
