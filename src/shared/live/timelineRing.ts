// A fixed-capacity ring of timeline events in one Float64Array: O(1) push, the oldest event falls out when
// full. Used by the coalescer (events since the last flush) and by the renderer (the live window).
// Events keep absolute indices (0 = the first ever pushed), so views can track positions across evictions.
import { TIMELINE_STRIDE, type TimelineEvents } from './timeline.js';

export class TimelineRing {
  private readonly data: Float64Array;
  /** Absolute index of the oldest event held. */
  private first = 0;
  /** Absolute index one past the newest event. */
  private next = 0;

  constructor(readonly capacity: number) {
    this.data = new Float64Array(capacity * TIMELINE_STRIDE);
  }

  /** Absolute index of the oldest event still held. */
  get start(): number {
    return this.first;
  }

  /** Absolute index one past the newest event. */
  get end(): number {
    return this.next;
  }

  get size(): number {
    return this.next - this.first;
  }

  push(t: number, kind: number, seq: number, receiver: number): void {
    const at = (this.next % this.capacity) * TIMELINE_STRIDE;
    this.data[at] = t;
    this.data[at + 1] = kind;
    this.data[at + 2] = seq;
    this.data[at + 3] = receiver;
    this.next++;
    if (this.next - this.first > this.capacity) this.first++;
  }

  /** Appends flat events (stride 4). */
  pushAll(events: TimelineEvents): void {
    for (let i = 0; i + 3 < events.length; i += TIMELINE_STRIDE)
      this.push(events[i]!, events[i + 1]!, events[i + 2]!, events[i + 3]!);
  }

  // Field readers by absolute index; the caller keeps start <= index < end.
  t(index: number): number {
    return this.data[(index % this.capacity) * TIMELINE_STRIDE]!;
  }
  kind(index: number): number {
    return this.data[(index % this.capacity) * TIMELINE_STRIDE + 1]!;
  }
  seq(index: number): number {
    return this.data[(index % this.capacity) * TIMELINE_STRIDE + 2]!;
  }
  receiver(index: number): number {
    return this.data[(index % this.capacity) * TIMELINE_STRIDE + 3]!;
  }

  /** First absolute index whose t is >= `t` (events are in time order). */
  lowerBound(t: number): number {
    let lo = this.first;
    let hi = this.next;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Everything held, flat and oldest first; then empty. Returns how many fell out since the last drain. */
  drain(): { events: TimelineEvents; dropped: number } {
    const events: TimelineEvents = [];
    for (let i = this.first; i < this.next; i++)
      events.push(this.t(i), this.kind(i), this.seq(i), this.receiver(i));
    const dropped = this.first;
    this.first = 0;
    this.next = 0;
    return { events, dropped };
  }
}
