// Which segments a sender has outstanding, whatever the protocol: a segment is outstanding from its first send
// until every receiver still in the transfer has it, known from an ACK (cumulative in stop-and-wait and
// Go-Back-N: everything up to it; Selective Repeat's name one segment each and arrive out of order, but for its
// receivers in course mode, whose ACKs are Go-Back-N's), from the
// sender's progress (everything up to chunksDone is everyone's), or from a new segment sent W or more beyond it (the
// sender sends only within its window, so everyone still in the transfer had it; a safeguard for whatever a
// recording leaves unsaid). Each segment is outstanding once, so the sender window over time is one span per
// segment. Fed a live sender's events (apply), or a recording's timeline, which has sends and ACKs only (the
// methods; replay.ts tells give-ups from who a new segment's first copies left out), so the live diagram and its
// replay draw the same window. Pure.
import type { SenderEvent } from '../events.js';
import type { Protocol } from '../limits.js';

export class OutstandingSpans {
  /** Outstanding segments: their first send. In order of seq, as new segments go out in order. */
  private open = new Map<number, number>();
  /** Per outstanding segment, the receivers that ACKed that very segment (Selective Repeat). */
  private acked = new Map<number, Set<number>>();
  /** Per receiver, the highest segment it ACKed cumulatively (stop-and-wait, Go-Back-N, course mode). */
  private cumulative: number[] = [];
  /** Per receiver, whether its ACKs name one segment each (Selective Repeat's, agreed through the offer). */
  private singly: boolean[] = [];
  /** Receivers given up on: a segment no longer waits for them. */
  private failed: boolean[] = [];
  private selective = false;
  private window = 1;
  /** Segments above `done` that every receiver ACKed already (they are never outstanding again). */
  private closed = new Set<number>();
  private done = 0;
  /** Spans that changed since the last drain: seq, from, to (-1: open). */
  private changed: number[] = [];

  /** A live sender's event, at `t` (its own time unless the caller keeps another clock: the timeline's). */
  apply(e: SenderEvent, t = e.t): void {
    switch (e.type) {
      case 'start':
        return this.begin(e.protocol ?? 'saw', e.receivers.length, e.window ?? 1, e.cumulative);
      case 'send':
        return this.sent(e.seq, t);
      case 'ack':
        return this.ackedBy(e.seq, e.receiver, t);
      case 'receiver-failed':
        return this.gaveUp(e.receiver, t);
      case 'progress':
        return this.progressed(e.chunksDone, t);
      case 'done':
        return this.ended(t);
      default:
        return;
    }
  }

  /**
   * A new transfer to `receivers` receivers: whatever came before is forgotten, undrained spans too.
   * `cumulative`: Selective Repeat's receivers in course mode (by index).
   */
  begin(protocol: Protocol, receivers: number, window: number, cumulative: readonly number[] = []): void {
    this.open.clear();
    this.acked.clear();
    this.closed.clear();
    this.cumulative = Array.from({ length: receivers }, () => 0);
    this.failed = Array.from({ length: receivers }, () => false);
    this.selective = protocol === 'sr';
    this.singly = this.failed.map((_, r) => this.selective && !cumulative.includes(r));
    this.window = window;
    this.done = 0;
    this.changed = [];
  }

  sent(seq: number, t: number): void {
    if (seq <= this.done || this.open.has(seq) || this.closed.has(seq)) return;
    for (const old of this.open.keys()) {
      if (old > seq - this.window) break;
      this.close(old, t);
    }
    this.open.set(seq, t);
    this.acked.set(seq, new Set());
    this.changed.push(seq, t, -1);
  }

  ackedBy(seq: number, receiver: number, t: number): void {
    if (this.singly[receiver]) {
      this.acked.get(seq)?.add(receiver);
      if (this.open.has(seq) && this.everyone(seq)) this.close(seq, t);
      return;
    }
    if (seq <= (this.cumulative[receiver] ?? seq)) return;
    this.cumulative[receiver] = seq;
    // Beside Selective Repeat's own receivers, each segment it covers waits for theirs too.
    if (this.selective) {
      for (const old of this.open.keys()) {
        if (old > seq) break;
        if (this.everyone(old)) this.close(old, t);
      }
      return;
    }
    // Everything up to the least ACK of those still in the transfer is everyone's (a window's worth of
    // segments and of receivers per ACK would not keep up with a fast transfer).
    let least = Infinity;
    for (let r = 0; r < this.failed.length; r++)
      if (!this.failed[r]) least = Math.min(least, this.cumulative[r]!);
    for (const old of this.open.keys()) {
      if (old > least) break;
      this.close(old, t);
    }
  }

  gaveUp(receiver: number, t: number): void {
    this.failed[receiver] = true;
    this.closeEvery(t);
  }

  progressed(chunksDone: number, t: number): void {
    this.done = Math.max(this.done, chunksDone);
    for (const seq of this.open.keys()) if (seq <= this.done) this.close(seq, t);
    for (const seq of this.closed) if (seq <= this.done) this.closed.delete(seq);
  }

  /** The transfer ended: nothing is outstanding any more. */
  ended(t: number): void {
    for (const seq of this.open.keys()) this.close(seq, t);
  }

  /** The spans that changed since the last call, flat (seq, from, to); the newest state of a span wins. */
  drain(): number[] {
    const out = this.changed;
    this.changed = [];
    return out;
  }

  /** Whether every receiver still in the transfer has `seq`. */
  private everyone(seq: number): boolean {
    const by = this.acked.get(seq);
    for (let r = 0; r < this.failed.length; r++) {
      if (this.failed[r]) continue;
      if (!(this.cumulative[r]! >= seq || by?.has(r))) return false;
    }
    return true;
  }

  private closeEvery(t: number): void {
    for (const seq of this.open.keys()) if (this.everyone(seq)) this.close(seq, t);
  }

  private close(seq: number, t: number): void {
    const from = this.open.get(seq);
    if (from === undefined) return;
    this.open.delete(seq);
    this.acked.delete(seq);
    if (seq > this.done) this.closed.add(seq);
    this.changed.push(seq, from, t);
  }
}
