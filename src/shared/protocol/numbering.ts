// Sequence numbers on the wire and in the engine. The engine numbers a transfer's segments 1..chunks and its end
// marker chunks + 1, and an ACK a says "I have 1..a in order" (0: nothing yet). A dialect puts other numbers on
// the wire: from 0 instead of 1, byte offsets instead of segment counts, the next number expected instead of the
// one received. In byte units the end marker takes one number, as TCP's FIN does, so that its ACK differs from
// the last chunk's. All 32-bit, modulo 2^32. Pure and renderer-safe.
import type { Dialect } from './dialect.js';

export type Numbering = Pick<Dialect, 'base' | 'unit' | 'ack'>;

const u32 = (n: number): number => n >>> 0;

/**
 * The sender's side, which knows every segment's length: `mss` bytes each but the last, `size` in all
 * (Infinity: an endless stream of mss-byte segments, as p2mpcheck's probes).
 */
export interface SenderNumbering {
  /** Wire sequence number of segment k (k >= 1; chunks + 1 is the end marker). */
  seq(k: number): number;
  /** The wire ACK of a receiver that has 1..a in order. */
  ack(a: number): number;
  /** Which a a wire ACK says the receiver has in order; undefined when no a gives that ACK. */
  acked(wire: number): number | undefined;
  /** The largest number on the wire, not wrapped, when segments up to `last` go out: it must fit 32 bits. */
  highest(last: number): number;
}

export function senderNumbering(n: Numbering, mss: number, size = Infinity): SenderNumbering {
  const chunks = Math.ceil(size / mss);
  /** Where segment k starts: a byte offset, or k - 1. */
  const offset = (k: number): number =>
    n.unit === 'segment' ? k - 1 : k <= chunks ? (k - 1) * mss : size + (k - 1 - chunks);
  /** The k whose offset is o, or undefined. */
  const segmentAt = (o: number): number | undefined => {
    if (n.unit === 'segment') return o + 1;
    if (o < size) return o % mss === 0 ? o / mss + 1 : undefined;
    return o - size + chunks + 1;
  };
  const seq = (k: number): number => u32(n.base + offset(k));
  const nextOf = (a: number): number => (n.ack === 'next' ? a + 1 : a);
  // "Nothing yet" from a receiver that ACKs the number received is the number before its first: base - 1.
  const ack = (a: number): number => (nextOf(a) === 0 ? u32(n.base - 1) : seq(nextOf(a)));
  return {
    seq,
    ack,
    highest: (last) => n.base + offset(nextOf(last)),
    acked(wire) {
      if (n.ack === 'received' && wire === u32(n.base - 1)) return 0;
      const k = segmentAt(u32(wire - n.base));
      const a = k === undefined ? undefined : n.ack === 'next' ? k - 1 : k;
      return a !== undefined && a >= 0 && ack(a) === wire ? a : undefined;
    },
  };
}

/**
 * The receiver's side, which cannot know segment lengths before they arrive: where the transfer stands, as a
 * small value that each in-order segment moves on.
 */
export interface Cursor {
  /** Segments (with the end marker) taken in order: the engine's last in-order number. */
  taken: number;
  /** Wire sequence number of the last one taken (base - 1 before the first). */
  last: number;
  /** Wire sequence number expected next. */
  next: number;
}

export const firstCursor = (n: Numbering): Cursor => ({ taken: 0, last: u32(n.base - 1), next: n.base });

/** The cursor once the expected segment of `length` bytes (or the end marker) is taken. */
export function advance(n: Numbering, cursor: Cursor, length: number, end: boolean): Cursor {
  const step = n.unit === 'segment' ? 1 : end ? 1 : length;
  return { taken: cursor.taken + 1, last: cursor.next, next: u32(cursor.next + step) };
}

/** The ACK the receiver sends where it stands. */
export const ackAt = (n: Numbering, cursor: Cursor): number => (n.ack === 'next' ? cursor.next : cursor.last);

/** A wire number already taken: before `next` (modulo 2^32, looking back at most half the space). */
export const isBehind = (cursor: Cursor, seq: number): boolean => u32(cursor.next - seq - 1) < 0x8000_0000;
