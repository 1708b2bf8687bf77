// Which segments a sender has outstanding, read off its events whatever the protocol: a segment is outstanding
// from its first send until every live receiver has it, known from the sender's progress (everything up to
// chunksDone is everyone's) or from an ACK of that very segment by each receiver (Selective Repeat's ACKs arrive
// out of order). Each segment is outstanding once, so the sender window over time is one span per segment. Pure.
import type { SenderEvent } from '../../shared/events.js';

export class OutstandingSpans {
  /** Outstanding segments: their first send. */
  private open = new Map<number, number>();
  /** Per outstanding segment, the receivers that ACKed it. */
  private acked = new Map<number, Set<number>>();
  /** Segments above `done` that every receiver ACKed already (they are never outstanding again). */
  private closed = new Set<number>();
  private done = 0;
  private live = 0;
  /** Spans that changed since the last drain: seq, from, to (-1: open). */
  private changed: number[] = [];

  apply(e: SenderEvent): void {
    switch (e.type) {
      case 'start':
        this.open.clear();
        this.acked.clear();
        this.closed.clear();
        this.done = 0;
        this.live = e.receivers.length;
        return;
      case 'send':
        if (e.seq > this.done && !this.open.has(e.seq) && !this.closed.has(e.seq)) {
          this.open.set(e.seq, e.t);
          this.acked.set(e.seq, new Set());
          this.changed.push(e.seq, e.t, -1);
        }
        return;
      case 'ack': {
        const by = this.acked.get(e.seq);
        by?.add(e.receiver);
        if (by && by.size >= this.live) this.close(e.seq, e.t);
        return;
      }
      case 'receiver-failed':
        this.live--;
        for (const [seq, by] of this.acked) if (by.size >= this.live) this.close(seq, e.t);
        return;
      case 'progress':
        this.done = Math.max(this.done, e.chunksDone);
        for (const seq of this.open.keys()) if (seq <= this.done) this.close(seq, e.t);
        for (const seq of this.closed) if (seq <= this.done) this.closed.delete(seq);
        return;
      case 'done':
        for (const seq of this.open.keys()) this.close(seq, e.t);
        return;
      default:
        return;
    }
  }

  private close(seq: number, t: number): void {
    const from = this.open.get(seq);
    if (from === undefined) return;
    this.open.delete(seq);
    this.acked.delete(seq);
    if (seq > this.done) this.closed.add(seq);
    this.changed.push(seq, from, t);
  }

  /** The spans that changed since the last call, flat (seq, from, to); the newest state of a span wins. */
  drain(): number[] {
    const out = this.changed;
    this.changed = [];
    return out;
  }
}
