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

const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
/** Bytes in hex, grouped as an ACK's fields (sequence number, middle field, type), then the next 8 at most. */
function fields(bytes: Uint8Array): string {
  const group = (from: number, to: number): string =>
    Array.from(bytes.subarray(from, to), (b) => b.toString(16).padStart(2, '0')).join('');
  return [group(0, 4), group(4, 6), group(6, 8), group(8, 12), group(12, 16)]
    .filter(Boolean)
    .join(' ')
    .concat(bytes.length > 16 ? ' ...' : '');
}

/**
 * What a reply that decodeAck does not take holds, and which field makes it no ACK: its length, its type, or the
 * middle and type fields swapped (a struct packed in the wrong order).
 */
export function whyNotAck(reply: Uint8Array, encoding: Encoding): string {
  // "an 8-byte", "an 11-byte", "a 12-byte".
  const size = `${/^(8|1[18](\d{3})*$)/.test(String(reply.length)) ? 'an' : 'a'} ${reply.length}-byte reply`;
  const read = readSegment(encoding, reply);
  if (encoding.format === 'seed-text') {
    if (!read.ok)
      return `${size}, not an ACK spelled in ASCII bits (an ACK is 64 characters, each '0' or '1')`;
    const { type, payload } = read.fields;
    return type !== TYPE_ACK
      ? `${size} spelling type ${hex(type)}: an ACK's type is 0xAAAA`
      : `${size}: an ACK spelled in ASCII bits is 64 characters, this one has ${payload.length * 8} more`;
  }
  const shown = `${size} ${fields(reply)}`;
  if (!read.ok) return `${shown}: an ACK is 8 bytes (sequence number, 16 zero bits, type 0xAAAA)`;
  const { checksum: middle, type, payload } = read.fields;
  if (type !== TYPE_ACK && middle === TYPE_ACK)
    return `${shown}: bytes 4-5 hold ${hex(middle)} and 6-7 hold ${hex(type)}: the middle and type fields swapped?`;
  if (type !== TYPE_ACK)
    return (
      `${shown}: bytes 6-7 (type) hold ${hex(type)}, an ACK's type is 0xAAAA` +
      (payload.length ? `, and an ACK is 8 bytes` : '')
    );
  return `${shown}: an ACK is 8 bytes, this one has ${payload.length} more after its header`;
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
