// A table keyed by an id that sits in every datagram (a transfer's salt, a party id), found where it sits: no
// string and no view is made per datagram. Random ids spread evenly, so 30 of their bits (a small integer, V8's
// fastest Map key) pick a bucket, and the whole id decides; ids that share those bits stand in one bucket.
import { bytesAt } from './envelope.js';

interface Entry<T> {
  id: Uint8Array;
  value: T;
}

const keyOf = (bytes: Uint8Array, at: number): number =>
  ((bytes[at]! << 22) | (bytes[at + 1]! << 14) | (bytes[at + 2]! << 6) | (bytes[at + 3]! >> 2)) & 0x3fff_ffff;

export class IdTable<T> {
  private readonly buckets = new Map<number, Entry<T>[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The value of the id at `at` in `datagram` (which holds at least the id's length from there). */
  find(datagram: Uint8Array, at: number): T | undefined {
    const bucket = this.buckets.get(keyOf(datagram, at));
    if (bucket === undefined) return undefined;
    for (const entry of bucket) if (bytesAt(datagram, at, entry.id)) return entry.value;
    return undefined;
  }

  /** Adds an id not in the table (copied: it may be a view of a datagram). */
  add(id: Uint8Array, value: T): void {
    const key = keyOf(id, 0);
    const entry = { id: Uint8Array.from(id), value };
    const bucket = this.buckets.get(key);
    if (bucket === undefined) this.buckets.set(key, [entry]);
    else bucket.push(entry);
    this.count++;
  }

  /** Removes the entry holding `value`. */
  delete(value: T): void {
    for (const [key, bucket] of this.buckets) {
      const at = bucket.findIndex((entry) => entry.value === value);
      if (at < 0) continue;
      bucket.splice(at, 1);
      if (bucket.length === 0) this.buckets.delete(key);
      this.count--;
      return;
    }
  }

  /** Values from the longest held (by bucket) to the newest. */
  *values(): IterableIterator<T> {
    for (const bucket of this.buckets.values()) for (const entry of bucket) yield entry.value;
  }
}
