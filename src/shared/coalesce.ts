// Coalesces engine events for the app: thousands of events a second become at most one EventBatch per
// flush interval (50 ms = 20 Hz), so the renderer does one store update per batch whatever the packet rate.
// Each session keeps aggregates plus bounded rings of recent activity; a batch carries snapshots plus the
// compact timeline events since the last batch (bounded), never the raw events. A sender session also keeps its
// full timeline for "Save recording" (SessionLog). In the local demo the receivers' drops by p, and the
// datagrams the simulated network's relays lose, join the demo sender's timeline. Pure: the clock and timers are injected, so tests drive it with fake time.
import type {
  CompareBatch,
  EventBatch,
  LabBatch,
  LaneCell,
  PacketMark,
  ReceiverBatch,
  ReceiverLive,
  ReceiverSnapshot,
  ReceiverSource,
  SenderBatch,
  SenderSnapshot,
  SenderSource,
  TimeoutEntry,
} from './contract.js';
import { emptyCounters, type ReceiverEvent, type SenderEvent } from './events.js';
import type { RelayEvent, RelayStats } from './impairments.js';
import type { Recording } from './recording.js';
import { SessionLog } from './sessionLog.js';
import { TimelineKind, timelineKindOf } from './timeline.js';
import { TimelineRing } from './timelineRing.js';
import type { Timers } from './timers.js';

export const FLUSH_INTERVAL_MS = 50;
/** Chunks shown per receiver lane. */
export const LANE_LENGTH = 60;
/** Timeouts carried by one batch; at 100 ms per timeout round a batch rarely holds more than a few. */
export const MAX_TIMEOUTS_PER_BATCH = 500;
/** Timeline events carried by one batch (the newest): 60,000 a second at 20 Hz, about 100 KB per batch. */
export const MAX_TIMELINE_PER_BATCH = 3000;
export const RECENT_PACKETS = 64;
export const MAX_COMPLETED = 50;
export const MAX_FAILURES = 20;

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

/** The lane cell of chunk `seq`: stop-and-wait only ever touches the newest one. */
function currentCell(lane: Ring<LaneCell>, seq: number): LaneCell | undefined {
  const cell = lane.newest();
  return cell?.seq === seq ? cell : undefined;
}

interface LiveReceiver extends Omit<ReceiverLive, 'lane'> {
  lane: Ring<LaneCell>;
  rttSum: number;
}

export class SenderAggregator {
  private snapshot: SenderSnapshot = emptySender();
  private receivers: LiveReceiver[] = [];
  private timeouts = new Ring<TimeoutEntry>(MAX_TIMEOUTS_PER_BATCH);
  private timeline = new TimelineRing(MAX_TIMELINE_PER_BATCH);
  private readonly log: SessionLog;
  /** clock() at the session's t = 0, to place events timed by other clocks (the demo receivers' drops). */
  /** What each receiver answered to the offer, which comes before the transfer's 'start'. */
  private offers = new Map<number, Extract<SenderEvent, { type: 'offer' }>>();
  private origin = 0;
  private lastT = 0;
  private fresh = false;

  /** `clock`: the coalescer's time in ms, used only for drops reported by in-process receivers. */
  constructor(
    source: SenderSource = 'send',
    private readonly clock: () => number = () => 0,
  ) {
    this.log = new SessionLog(source);
  }

  apply(e: SenderEvent): void {
    const s = this.snapshot;
    s.t = e.t;
    const kind = timelineKindOf(e);
    if (kind !== null && 'seq' in e) this.record(e.t, kind, e.seq, e.receiver);
    switch (e.type) {
      case 'start':
        this.origin = this.clock() - e.t;
        this.lastT = e.t;
        this.timeline.drain();
        this.log.begin(e);
        this.snapshot = {
          ...emptySender(),
          running: true,
          fileSize: e.fileSize,
          mss: e.mss,
          chunks: e.chunks,
          timeoutMs: e.timeoutMs,
          profile: e.profile,
          t: e.t,
        };
        this.receivers = e.receivers.map((receiver) => ({
          receiver,
          ...offerView(this.offers.get(receiver.id)),
          acks: 0,
          timeouts: 0,
          retransmissions: 0,
          lastRttMs: null,
          rtt: null,
          rttSum: 0,
          lane: new Ring<LaneCell>(LANE_LENGTH),
        }));
        this.offers.clear();
        this.timeouts.drain();
        this.fresh = true;
        return;
      case 'offer':
        this.offers.set(e.receiver, e);
        return;
      case 'send': {
        const r = this.receivers[e.receiver];
        if (!r) return;
        const cell = currentCell(r.lane, e.seq);
        if (e.retransmission) {
          r.retransmissions++;
          r.state = 'retransmitting';
          if (cell) cell.mark = 'retransmitted';
          else r.lane.push({ seq: e.seq, mark: 'retransmitted', timeouts: 0 });
        } else if (!cell) {
          r.lane.push({ seq: e.seq, mark: 'sent', timeouts: 0 });
        }
        return;
      }
      case 'ack': {
        const r = this.receivers[e.receiver];
        if (!r) return;
        r.acks++;
        r.lastRttMs = e.rttMs;
        const cell = currentCell(r.lane, e.seq);
        // Karn: an ACK after a retransmission cannot say which copy it answers, so it is no RTT sample. The
        // engine says so on the event; recordings made before it did are judged by the lane.
        if (e.sample ?? cell?.mark === 'sent') addRtt(r, e.rttMs);
        // ACKs are cumulative: everything up to e.seq has arrived. Older cells were ACKed before (stop-and-wait),
        // so the walk from the newest end stops at the first one already marked: O(1) per ACK, not O(lane).
        r.lane.visitNewestFirst((c) => {
          if (c.seq > e.seq) return true;
          if (c.mark === 'acked') return false;
          c.mark = 'acked';
          return true;
        });
        if (r.state !== 'failed') r.state = e.seq > s.chunks ? 'done' : 'waiting';
        return;
      }
      case 'timeout': {
        const r = this.receivers[e.receiver];
        if (!r) return;
        r.timeouts++;
        if (r.state !== 'failed') r.state = 'retransmitting';
        const cell = currentCell(r.lane, e.seq);
        if (cell) {
          cell.mark = 'timeout';
          cell.timeouts++;
        }
        this.timeouts.push({ t: e.t, seq: e.seq, receiver: e.receiver });
        return;
      }
      case 'receiver-failed': {
        const r = this.receivers[e.receiver];
        if (!r) return;
        r.state = 'failed';
        r.failure = e.reason;
        return;
      }
      case 'progress':
        s.chunksDone = e.chunksDone;
        s.chunks = e.chunks;
        s.bytesDone = e.bytesDone;
        s.fileSize = e.fileSize;
        return;
      case 'done':
        s.running = false;
        s.result = e.result;
        this.log.finish(e.result);
        for (const summary of e.result.receivers) {
          const r = this.receivers[summary.receiver.id];
          if (!r) continue;
          r.state = summary.state;
          r.failure = summary.failure ?? null;
          r.acks = summary.acks;
          r.timeouts = summary.timeouts;
          r.retransmissions = summary.retransmissions;
          r.rtt = summary.rtt;
        }
        if (e.result.ok) {
          s.chunksDone = e.result.chunks;
          s.bytesDone = e.result.fileSize;
        }
        return;
    }
  }

  /**
   * A loss the sender cannot see, just now: receiver `receiver` dropped chunk `seq` by its p (kind drop), or the
   * simulated network lost it or its ACK (netLoss, netAckLoss).
   */
  lost(kind: TimelineKind, receiver: number, seq: number): void {
    if (!this.snapshot.running || !this.receivers[receiver]) return;
    this.record(this.clock() - this.origin, kind, seq, receiver);
  }

  recording(): Recording | null {
    return this.log.recording();
  }

  // Times are kept to the microsecond and never go backwards (a drop is timed by another clock than the sender).
  private record(t: number, kind: number, seq: number, receiver: number): void {
    const at = Math.max(this.lastT, Math.round(t * 1000) / 1000);
    this.lastT = at;
    this.timeline.push(at, kind, seq, receiver);
    this.log.push(at, kind, seq, receiver);
  }

  /** A failure outside the event stream (the send promise rejected). */
  fail(message: string): void {
    this.snapshot.running = false;
    this.snapshot.error = message;
  }

  take(): SenderBatch {
    const { items, dropped } = this.timeouts.drain();
    const timeline = this.timeline.drain();
    const batch: SenderBatch = {
      snapshot: {
        ...this.snapshot,
        recorded: this.log.recorded,
        recordingTruncated: this.log.truncated,
        receivers: this.receivers.map(({ lane, rttSum: _sum, ...rest }) => ({
          ...rest,
          lane: lane.toArray().map((c) => ({ ...c })),
        })),
      },
      timeouts: items,
      timeoutsDropped: dropped,
      timeline: timeline.events,
      timelineDropped: timeline.dropped,
      fresh: this.fresh,
    };
    this.fresh = false;
    return batch;
  }
}

/** A receiver's state, mode and failure as its answer to the offer left them (null: no offer was made). */
function offerView(
  offer: Extract<SenderEvent, { type: 'offer' }> | undefined,
): Pick<LiveReceiver, 'state' | 'mode' | 'failure'> {
  if (!offer) return { state: 'waiting', mode: null, failure: null };
  if (offer.state === 'declined')
    return { state: 'failed', mode: 'verified', failure: `declined: ${offer.reason ?? 'no reason given'}` };
  if (offer.state === 'wrong-code' || offer.state === 'silent')
    return { state: 'failed', mode: 'verified', failure: offer.reason ?? offer.state };
  return { state: 'waiting', mode: offer.state === 'accepted' ? 'verified' : 'course', failure: null };
}

function addRtt(r: LiveReceiver, ms: number): void {
  const prev = r.rtt;
  const samples = (prev?.samples ?? 0) + 1;
  r.rttSum += ms;
  r.rtt = {
    min: prev ? Math.min(prev.min, ms) : ms,
    max: prev ? Math.max(prev.max, ms) : ms,
    mean: r.rttSum / samples,
    samples,
  };
}

function emptySender(): SenderSnapshot {
  return {
    running: false,
    fileSize: 0,
    mss: 0,
    chunks: 0,
    chunksDone: 0,
    bytesDone: 0,
    timeoutMs: 0,
    profile: '',
    t: 0,
    receivers: [],
    result: null,
    error: null,
    recorded: 0,
    recordingTruncated: false,
  };
}

export class ReceiverAggregator {
  private snapshot: ReceiverSnapshot = emptyReceiver(0);
  private recent = new Ring<PacketMark>(RECENT_PACKETS);
  private completed = new Ring<ReceiverSnapshot['completed'][number]>(MAX_COMPLETED);
  private failures = new Ring<string>(MAX_FAILURES);
  private transferStart = 0;
  private transferBytes = 0;
  private fresh = false;
  /** The counters of the relay in front of this receiver (local demo with a network), read at each flush. */
  relayStats: (() => RelayStats) | null = null;

  apply(e: ReceiverEvent): void {
    const s = this.snapshot;
    s.t = e.t;
    switch (e.type) {
      case 'listening':
        this.snapshot = emptyReceiver(e.p);
        if (e.sealed) Object.assign(this.snapshot.counters, { forged: 0, replayed: 0 });
        this.snapshot.listening = { address: e.address, port: e.port, profile: e.profile };
        this.snapshot.t = e.t;
        this.recent = new Ring<PacketMark>(RECENT_PACKETS);
        this.completed = new Ring(MAX_COMPLETED);
        this.failures = new Ring<string>(MAX_FAILURES);
        this.fresh = true;
        return;
      case 'transfer-start':
        s.transfer = { from: e.from, path: e.path };
        this.transferStart = e.t;
        this.transferBytes = 0;
        return;
      case 'packet':
        this.countPacket(e.outcome, e.bytes, e.t);
        this.recent.push({ seq: e.seq ?? null, outcome: e.outcome });
        return;
      case 'loss-changed':
        s.p = e.p;
        return;
      case 'offer':
        s.offers = [...s.offers, e.offer];
        return;
      case 'offer-settled':
        s.offers = s.offers.filter((o) => o.id !== e.id);
        return;
      case 'complete':
        this.completed.push(e.file);
        s.transfer = null;
        return;
      case 'rejected':
        if (e.why === 'replayed') s.counters.replayed = (s.counters.replayed ?? 0) + 1;
        else s.counters.forged = (s.counters.forged ?? 0) + 1;
        return;
      case 'wrong-code':
        this.failures.push(`wrong code: ${e.from} sent packets that do not open with this code (dropped)`);
        return;
      case 'unsealed':
        this.failures.push(
          `${e.from} sent packets without the session code (dropped): give its sender the code`,
        );
        return;
      case 'transfer-failed':
        this.failures.push(`${e.reason} (${e.bytes} bytes kept in ${e.partPath})`);
        s.transfer = null;
        return;
      case 'stopped':
        s.counters = { ...e.counters };
        s.listening = null;
        s.transfer = null;
        return;
    }
  }

  private countPacket(outcome: PacketMark['outcome'], bytes: number, t: number): void {
    const c = this.snapshot.counters;
    c.received++;
    switch (outcome) {
      case 'written':
        c.bytesWritten += bytes;
        c.acksSent++;
        this.transferBytes += bytes;
        break;
      case 'dropped':
        c.dropped++;
        break;
      case 'corrupt':
        c.corrupt++;
        break;
      case 'malformed':
        c.malformed++;
        break;
      case 'duplicate':
        c.duplicates++;
        c.acksSent++;
        break;
      case 'out-of-order':
        c.outOfOrder++;
        c.acksSent++;
        break;
      case 'foreign':
        c.foreign++;
        break;
    }
    const seconds = (t - this.transferStart) / 1000;
    this.snapshot.rate = seconds > 0 ? this.transferBytes / seconds : 0;
  }

  take(): ReceiverBatch {
    const batch: ReceiverBatch = {
      snapshot: {
        ...this.snapshot,
        counters: { ...this.snapshot.counters },
        recent: this.recent.toArray(),
        completed: this.completed.toArray(),
        failures: this.failures.toArray(),
        relay: this.relayStats?.() ?? null,
      },
      fresh: this.fresh,
    };
    this.fresh = false;
    return batch;
  }
}

function emptyReceiver(p: number): ReceiverSnapshot {
  return {
    listening: null,
    p,
    counters: emptyCounters(),
    rate: 0,
    transfer: null,
    completed: [],
    offers: [],
    failures: [],
    recent: [],
    t: 0,
    relay: null,
  };
}

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
