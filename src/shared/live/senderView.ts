// A sender session as the app shows it: engine events folded into one snapshot (counters, per-receiver lanes,
// timeouts) plus the compact timeline events since the last batch, all bounded whatever the packet rate. In the
// local demo the receivers' drops by p, and the datagrams the relays lose, join the demo sender's timeline.
import type {
  LaneCell,
  ReceiverLive,
  SenderBatch,
  SenderSnapshot,
  SenderSource,
  TimeoutEntry,
} from '../contract.js';
import { type ReceiverEndpoint, type SenderEvent } from '../events.js';
import type { Recording } from './recording.js';
import { SessionLog } from './sessionLog.js';
import { TimelineKind, timelineKindOf } from './timeline.js';
import { TimelineRing } from './timelineRing.js';
import { OutstandingSpans } from './outstanding.js';
import { Ring } from './ring.js';

/** Chunks shown per receiver lane. */
export const LANE_LENGTH = 60;
/** Timeouts carried by one batch; at 100 ms per timeout round a batch rarely holds more than a few. */
export const MAX_TIMEOUTS_PER_BATCH = 500;
/** Timeline events carried by one batch (the newest): 60,000 a second at 20 Hz, about 100 KB per batch. */
export const MAX_TIMELINE_PER_BATCH = 3000;

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
  /**
   * The sender window over time, drawn beside the sender's line: a windowed protocol's, or every one's when
   * `everyWindow` (Compare draws stop-and-wait's window of one too). Every span reaches the view.
   */
  private spans = new OutstandingSpans();
  private windowed = false;
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
    private readonly everyWindow = false,
  ) {
    this.log = new SessionLog(source);
  }

  apply(e: SenderEvent): void {
    const s = this.snapshot;
    s.t = e.t;
    const kind = timelineKindOf(e);
    if (kind !== null && 'seq' in e) this.record(e.t, kind, e.seq, e.receiver);
    if (e.type === 'start') this.windowed = this.everyWindow || e.window !== undefined;
    if (this.windowed || e.type === 'start') {
      // On the timeline's clock: a span must close at its ACK's time as drawn, not the fraction of a microsecond
      // before it that the engine had (the state line, held before an ACK still drawn in the air, would count it).
      this.spans.apply(e, e.type === 'start' ? e.t : this.timeOf(e.t));
    }
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
          ...(e.protocol !== undefined ? { protocol: e.protocol } : {}),
          ...(e.window !== undefined ? { window: e.window } : {}),
          ...(e.cumulative !== undefined ? { cumulative: e.cumulative } : {}),
          ...(e.receiverTimeoutMs !== undefined ? { receiverTimeoutMs: e.receiverTimeoutMs } : {}),
          t: e.t,
        };
        this.receivers = e.receivers.map((receiver) => ({
          ...liveReceiver(receiver),
          ...offerView(this.offers.get(receiver.id)),
        }));
        this.offers.clear();
        this.timeouts.drain();
        this.fresh = true;
        return;
      case 'offering':
        // Cancelled before its data, this transfer must not lend its outcome to the last one's recording.
        this.log.reset();
        this.timeline.drain();
        // Nor its window: 'start' says this one's protocol and receivers.
        this.spans.begin('saw', 0, 1);
        this.snapshot = {
          ...emptySender(),
          running: true,
          offering: true,
          fileSize: e.fileSize,
          mss: e.mss ?? 0,
          chunks: e.chunks ?? 0,
          timeoutMs: e.timeoutMs ?? 0,
          ...(e.tries !== undefined ? { offerTries: e.tries } : {}),
          ...(e.sealedMs !== undefined ? { offerSealedMs: e.sealedMs } : {}),
          t: e.t,
        };
        this.offers.clear();
        this.receivers = e.receivers.map((receiver) => ({
          ...liveReceiver(receiver),
          ...offerView(undefined),
          offer: 'asking',
        }));
        this.fresh = true;
        return;
      case 'offer': {
        this.offers.set(e.receiver, e);
        const r = this.snapshot.offering ? this.receivers[e.receiver] : undefined;
        if (!r) return;
        Object.assign(r, offerView(e));
        if (e.state === 'asking' || e.state === 'deciding' || e.state === 'accepted') r.offer = e.state;
        // No answer to any offer: a course receiver, or nothing there at all (only its ACKs will tell); with a
        // code, a receiver given up on.
        else if (e.state === 'course' || e.state === 'silent') r.offer = 'silent';
        // It answered no: declined, another code or none, from another address (its failure says which).
        else if (e.state !== 'cancelled') r.offer = 'refused';
        else delete r.offer;
        return;
      }
      case 'send': {
        if (e.round !== undefined && e.round > (s.rounds ?? 0)) s.rounds = e.round;
        if (e.seq > (s.sent ?? 0)) s.sent = e.seq;
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
        // The log says the number on the wire, as the failure reasons and the receivers' own lines do.
        this.timeouts.push({ t: e.t, seq: e.wire ?? e.seq, receiver: e.receiver });
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
        // Ended during the offer (cancelled): no question stands any more.
        delete s.offering;
        s.result = e.result;
        this.log.finish(e.result);
        for (const summary of e.result.receivers) {
          const r = this.receivers[summary.receiver.id];
          if (!r) continue;
          delete r.offer;
          r.state = summary.state;
          r.failure = summary.failure ?? null;
          r.acks = summary.acks;
          r.timeouts = summary.timeouts;
          r.retransmissions = summary.retransmissions;
          r.rtt = summary.rtt;
          if (summary.fallback !== undefined) r.fallback = summary.fallback;
          if (summary.keptAs !== undefined) r.keptAs = summary.keptAs;
          if (summary.multicast !== undefined) r.multicast = summary.multicast;
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
  private timeOf(t: number): number {
    return Math.max(this.lastT, Math.round(t * 1000) / 1000);
  }

  private record(t: number, kind: number, seq: number, receiver: number): void {
    const at = this.timeOf(t);
    this.lastT = at;
    this.timeline.push(at, kind, seq, receiver);
    this.log.push(at, kind, seq, receiver);
  }

  /** A failure outside the event stream (the send promise rejected). */
  fail(message: string): void {
    this.snapshot.running = false;
    delete this.snapshot.offering;
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
      spans: this.spans.drain(),
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
  if (
    offer.state === 'wrong-code' ||
    offer.state === 'no-code' ||
    offer.state === 'silent' ||
    offer.state === 'elsewhere' ||
    offer.state === 'cancelled'
  )
    return { state: 'failed', mode: 'verified', failure: offer.reason ?? offer.state };
  // No answer yet (or its user deciding): its mode is not known until the offer phase is over.
  const mode = offer.state === 'accepted' ? 'verified' : offer.state === 'course' ? 'course' : null;
  return { state: 'waiting', mode, failure: null };
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

/** A receiver's row before anything happened to it. */
const liveReceiver = (receiver: ReceiverEndpoint): LiveReceiver => ({
  receiver,
  state: 'waiting',
  mode: null,
  failure: null,
  acks: 0,
  timeouts: 0,
  retransmissions: 0,
  lastRttMs: null,
  rtt: null,
  rttSum: 0,
  lane: new Ring<LaneCell>(LANE_LENGTH),
});

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
