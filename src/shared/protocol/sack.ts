// Selective Repeat's less chatty ACK (docs/PROTOCOL.md, "Selective Repeat ACK"), agreed through the offer: the
// course ACK's header, whose sequence number says "I have every segment up to here", then a bitmap of the segments
// received beyond it: bit i (byte i >> 3, most significant bit first) stands for segment seq + 1 + i. Bit 0 is
// always clear (the receiver lacks seq + 1, or seq would be larger). The bitmap has an even length (seed-text's
// checksum leaves an odd last byte out) of at most 128 bytes (a window of 1024), trailing zero bytes trimmed in
// pairs; with no bit set it is left out, and the datagram is the course ACK byte for byte. A non-empty bitmap is
// covered by the data checksum (RFC 1071 over seq, type and bitmap). Pure and renderer-safe; decoding never throws.
import { MAX_WINDOW } from '../limits.js';
import { TYPE_ACK } from './segment.js';
import {
  ackChecksum,
  checksumOf,
  EMPTY,
  encodeAck,
  encodeSegment,
  readSegment,
  type Encoding,
} from './wire.js';

/** The longest bitmap: one bit per segment a window can hold ahead of the cumulative ACK. */
export const MAX_SACK_BYTES = MAX_WINDOW / 8;

export interface Sack {
  /** The cumulative ACK, on the wire: the last segment received in order. */
  seq: number;
  /** Bit i: segment seq + 1 + i was received too. Empty: none beyond seq. */
  bitmap: Uint8Array;
}

/** The bitmap of `held` (segment numbers, each above `cumulative` + 1 and within MAX_SACK_BYTES * 8 of it). */
export function sackBitmap(cumulative: number, held: Iterable<number>): Uint8Array {
  const seqs = [...held]; // read twice: an iterator (a map's keys) would be used up by the first pass
  let highest = -1;
  for (const seq of seqs) highest = Math.max(highest, seq - cumulative - 1);
  if (highest < 0) return EMPTY;
  const length = Math.min(MAX_SACK_BYTES, ((highest >> 4) + 1) * 2);
  const bitmap = new Uint8Array(length);
  for (const seq of seqs) {
    const i = seq - cumulative - 1;
    if (i >= 0 && i >> 3 < length) bitmap[i >> 3]! |= 0x80 >> (i & 7);
  }
  return bitmap;
}

/** Whether the bitmap says segment `seq` (beyond `cumulative`) was received; false outside it. */
export function sacked(cumulative: number, bitmap: Uint8Array, seq: number): boolean {
  const i = seq - cumulative - 1;
  return i >= 0 && i >> 3 < bitmap.length && (bitmap[i >> 3]! & (0x80 >> (i & 7))) !== 0;
}

/** The highest segment a SACK says was received: its bitmap's last set bit, or the cumulative ACK. */
export function highestSacked(cumulative: number, bitmap: Uint8Array): number {
  for (let byte = bitmap.length - 1; byte >= 0; byte--) {
    // Most significant bit first: the byte's last segment is its lowest set bit.
    const lowest = bitmap[byte]! & -bitmap[byte]!;
    if (lowest !== 0) return cumulative + 1 + byte * 8 + Math.clz32(lowest) - 24;
  }
  return cumulative;
}

/** `summed`: an empty bitmap's ACK with its checksum (a bitmap is always covered). */
export function encodeSack(encoding: Encoding, sack: Sack, summed = false): Uint8Array {
  return sack.bitmap.length === 0
    ? encodeAck(encoding, sack.seq, summed)
    : encodeSegment(encoding, sack.seq, TYPE_ACK, sack.bitmap);
}

/**
 * A datagram as a SACK, or undefined: not an ACK, a bitmap of odd length or longer than MAX_SACK_BYTES, a checksum
 * that does not match (seed-text ACKs always carry one; binary ones only with a bitmap).
 */
export function decodeSack(encoding: Encoding, datagram: Uint8Array): Sack | undefined {
  const read = readSegment(encoding, datagram);
  if (!read.ok) return undefined;
  const { seq, checksum, type, payload } = read.fields;
  if (type !== TYPE_ACK) return undefined;
  if (payload.length === 0)
    return encoding.format === 'seed-text' && checksum !== ackChecksum(seq)
      ? undefined
      : { seq, bitmap: EMPTY };
  if (payload.length % 2 !== 0 || payload.length > MAX_SACK_BYTES) return undefined;
  if (checksum !== checksumOf(encoding, seq, TYPE_ACK, payload)) return undefined;
  return { seq, bitmap: payload };
}
