// A bounded ring of the newest items: what the live view keeps of a stream that never ends.

/** Keeps the newest `capacity` items. */
export class Ring<T> {
  private items: T[] = [];
  dropped = 0;
  constructor(private readonly capacity: number) {}
  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) {
      this.items.shift();
      this.dropped++;
    }
  }
  newest(): T | undefined {
    return this.items[this.items.length - 1];
  }
  /** Visits items newest first until `visit` returns false. */
  visitNewestFirst(visit: (item: T) => boolean): void {
    for (let i = this.items.length - 1; i >= 0; i--) if (!visit(this.items[i] as T)) return;
  }
  toArray(): T[] {
    return [...this.items];
  }
  /** Empties the ring, returning what it held and how many fell out since the last drain. */
  drain(): { items: T[]; dropped: number } {
    const out = { items: this.items, dropped: this.dropped };
    this.items = [];
    this.dropped = 0;
    return out;
  }
}
