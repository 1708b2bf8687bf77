// What p2mpcheck speaks to a receiver: the one segment codec (protocol/wire.ts) and the one numbering
// (protocol/numbering.ts) the engine uses, seen the probes' way: segments counted from k = 0, each `length`
// bytes long. Renderer-safe.
import type { Dialect as ProtocolDialect } from '../protocol/dialect.js';
import { senderNumbering } from '../protocol/numbering.js';
import { TYPE_ACK } from '../protocol/segment.js';
import { ENCODINGS, readSegment, type Encoding } from '../protocol/wire.js';

export {
  checksumOf,
  encodeSegment,
  HEADER,
  largestPayload,
  spell,
  type Encoding,
  type Format,
} from '../protocol/wire.js';
export type { ByteOrder, Coverage } from '../protocol/dialect.js';

/**
 * The encodings p2mpcheck tries on a peer, most common first: binary in both byte orders and checksum coverages,
 * then the reference implementation's seed-text.
 */
export const CANDIDATE_ENCODINGS: readonly Encoding[] = ENCODINGS.filter(
  (e) => e.format === 'binary' || (e.order === 'big' && e.coverage === 'header-and-payload'),
);

/** Everything p2mpcheck learns about a receiver: its encoding and the protocol dialect it speaks. */
export interface Dialect extends ProtocolDialect, Encoding {
  /** Its end of file was not tested (it stopped first, or a failed rule made the test meaningless): `eof` says nothing. */
  eofUnknown?: true;
  /** What its checksum covers was not told (it ACKs any checksum, or no dialect matched): `coverage` says nothing. */
  coverageUnknown?: true;
}

export interface Ack {
  seq: number;
  middle: number;
}

/** An ACK header read in the encoding (type 0xAAAA reads the same in both byte orders), or undefined. */
export function decodeAck(datagram: Uint8Array, encoding: Encoding): Ack | undefined {
  const read = readSegment(encoding, datagram);
  if (!read.ok || read.fields.type !== TYPE_ACK || read.fields.payload.length !== 0) return undefined;
  return { seq: read.fields.seq, middle: read.fields.checksum };
}

type Numbered = Pick<Dialect, 'base' | 'unit' | 'ack'>;

/** Sequence number of the k-th segment (k from 0), every segment `length` bytes long. */
export const seqOf = (dialect: Numbered, k: number, length: number): number =>
  senderNumbering(dialect, length).seq(k + 1);

/** The ACK a receiver of this dialect sends once it has the k-th segment in order (k = -1: nothing yet). */
export const ackOf = (dialect: Numbered, k: number, length: number): number =>
  senderNumbering(dialect, length).ack(k + 1);

/** Which segment an ACK says the receiver has in order (-1: nothing yet), or undefined when none gives it. */
export function indexOfAck(dialect: Numbered, ack: number, length: number): number | undefined {
  const a = senderNumbering(dialect, length).acked(ack);
  return a === undefined ? undefined : a - 1;
}
