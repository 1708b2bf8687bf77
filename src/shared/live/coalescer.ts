// Coalesces engine events for the app: thousands of events a second become at most one EventBatch per
// flush interval (50 ms = 20 Hz), so the renderer does one store update per batch whatever the packet rate.
// Each session is folded by its view (senderView.ts, receiverView.ts); a batch carries their snapshots plus the
// compact timeline events since the last batch (bounded), never the raw events. Pure: the clock and timers are
// injected, so tests drive it with fake time.
import type { CompareBatch, EventBatch, LabBatch, ReceiverSource, SenderSource } from '../contract.js';
import { type ReceiverEvent, type SenderEvent } from '../events.js';
import type { RelayEvent, RelayStats } from '../network/impairments.js';
import type { Recording } from './recording.js';
import { TimelineKind } from './timeline.js';
import type { Timers } from '../engine/timers.js';
import { SenderAggregator } from './senderView.js';
import { ReceiverAggregator } from './receiverView.js';

export const FLUSH_INTERVAL_MS = 50;

/** Parts of a batch a session builds itself. */
type Extra = 'lab' | 'compare';

/**
 * Collects events from every session and emits one EventBatch per flush, never two within `intervalMs`.
 * A quiet period costs nothing: the timer is armed only by an event.
 */
export class Coalescer {
  private senders = new Map<SenderSource, SenderAggregator>();
  private clocks = new Map<SenderSource, () => number>();
  private receivers = new Map<ReceiverSource, ReceiverAggregator>();
  private dirtySenders = new Set<SenderSource>();
  private dirtyReceivers = new Set<ReceiverSource>();
  /** Sessions that keep their own aggregates (the lab, the comparison): taken at a flush after a change. */
  private takers: Partial<{ [K in Extra]: () => NonNullable<EventBatch[K]> }> = {};
  private dirtyExtras = new Set<Extra>();
  private timer: unknown = null;
  private lastFlush = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly emit: (batch: EventBatch) => void,
    private readonly timers: Timers,
    private readonly intervalMs = FLUSH_INTERVAL_MS,
  ) {}

  /** An onEvent callback for a sender session. */
  sender(source: SenderSource): (e: SenderEvent) => void {
    const aggregator = this.senderAggregator(source);
    return (e) => {
      aggregator.apply(e);
      this.touchSender(source);
    };
  }

  senderFailed(source: SenderSource, message: string): void {
    this.senderAggregator(source).fail(message);
    this.touchSender(source);
  }

  /** An onEvent callback for a receiver session. A local-demo receiver's drops also go to the demo timeline. */
  receiver(source: ReceiverSource): (e: ReceiverEvent) => void {
    const target = this.receiverAggregator(source);
    const demoLost = this.demoLoss(source);
    return (e) => {
      target.apply(e);
      if (e.type === 'packet' && e.outcome === 'dropped' && e.seq !== undefined)
        demoLost?.(TimelineKind.drop, e.seq);
      this.dirtyReceivers.add(source);
      this.schedule();
    };
  }

  /** For a local-demo receiver: records a loss of its packets on the demo sender's timeline; else null. */
  private demoLoss(source: ReceiverSource): ((kind: TimelineKind, seq: number) => void) | null {
    // Demo receiver i is receiver i of the demo sender: the demo sends to them in order.
    if (!source.startsWith('demo-')) return null;
    const index = Number(source.slice('demo-'.length));
    const demoSender = this.senderAggregator('demo');
    return (kind, seq) => {
      demoSender.lost(kind, index, seq);
      this.touchSender('demo');
    };
  }

  /**
   * Attaches (or with null, detaches) the relay in front of a receiver: its counters join that receiver's
   * snapshot, read at each flush, so a relay busy with thousands of datagrams still costs one batch per interval.
   * Returns the relay's onEvent callback: it marks the receiver changed, and puts each datagram the relay lost
   * whole (no copy left) and could read a sequence number from on the demo sender's timeline.
   */
  relay(source: ReceiverSource, stats: (() => RelayStats) | null): (e: RelayEvent) => void {
    this.receiverAggregator(source).relayStats = stats;
    this.dirtyReceivers.add(source);
    this.schedule();
    const demoLost = this.demoLoss(source);
    return (e) => {
      // Lost on arrival (nothing left), or picked while it flew.
      const whole = e.type === 'lost-in-flight' || (e.type === 'datagram' && e.copies === 0);
      if (whole && e.seq !== undefined)
        demoLost?.(e.direction === 'forward' ? TimelineKind.netLoss : TimelineKind.netAckLoss, e.seq);
      this.dirtyReceivers.add(source);
      this.schedule();
    };
  }

  /**
   * Attaches the lab run's state: `take` is called at a flush after a change, and returns the lab's batch (it
   * keeps its own aggregates, so a run's many events still cost one batch per interval). Returns the function
   * that marks the lab changed.
   */
  lab(take: () => LabBatch): () => void {
    return this.attach('lab', take);
  }

  /** Attaches the comparison's state, as `lab` does. */
  compare(take: () => CompareBatch): () => void {
    return this.attach('compare', take);
  }

  private attach<K extends Extra>(key: K, take: () => NonNullable<EventBatch[K]>): () => void {
    (this.takers as Record<K, () => NonNullable<EventBatch[K]>>)[key] = take;
    return () => {
      this.dirtyExtras.add(key);
      this.schedule();
    };
  }

  /** The full timeline of a sender session (current or last), or null before one started. */
  recording(source: SenderSource): Recording | null {
    return this.senders.get(source)?.recording() ?? null;
  }

  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private receiverAggregator(source: ReceiverSource): ReceiverAggregator {
    let aggregator = this.receivers.get(source);
    if (!aggregator) {
      aggregator = new ReceiverAggregator();
      this.receivers.set(source, aggregator);
    }
    return aggregator;
  }

  /** The clock a sender session runs on, when not the coalescer's (the local demo's slowed one): its losses are
   *  timed by it. */
  clockOf(source: SenderSource, now: () => number): void {
    this.clocks.set(source, now);
  }

  private senderAggregator(source: SenderSource): SenderAggregator {
    let aggregator = this.senders.get(source);
    if (!aggregator) {
      aggregator = new SenderAggregator(source, () => this.clocks.get(source)?.() ?? this.timers.now());
      this.senders.set(source, aggregator);
    }
    return aggregator;
  }

  private touchSender(source: SenderSource): void {
    this.dirtySenders.add(source);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    this.lastFlush = this.timers.now();
    const batch: EventBatch = { senders: {}, receivers: {} };
    for (const source of this.dirtySenders) batch.senders[source] = this.senders.get(source)?.take();
    for (const source of this.dirtyReceivers) batch.receivers[source] = this.receivers.get(source)?.take();
    if (this.dirtyExtras.has('lab') && this.takers.lab) batch.lab = this.takers.lab();
    if (this.dirtyExtras.has('compare') && this.takers.compare) batch.compare = this.takers.compare();
    this.dirtyExtras.clear();
    this.dirtySenders.clear();
    this.dirtyReceivers.clear();
    this.emit(batch);
  }
}
