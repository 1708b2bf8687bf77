import { describe, expect, it } from 'vitest';
import { Coalescer, FLUSH_INTERVAL_MS } from '../../src/shared/live/coalescer.js';
import { ReceiverAggregator } from '../../src/shared/live/receiverView.js';
import { Ring } from '../../src/shared/live/ring.js';
import {
  LANE_LENGTH,
  MAX_TIMELINE_PER_BATCH,
  MAX_TIMEOUTS_PER_BATCH,
  SenderAggregator,
} from '../../src/shared/live/senderView.js';
import type { Timers } from '../../src/shared/engine/timers.js';
import type { EventBatch } from '../../src/shared/contract.js';
import type { ReceiverEndpoint, SenderEvent } from '../../src/shared/events.js';
import { SessionLog } from '../../src/shared/live/sessionLog.js';
import { TIMELINE_STRIDE, TimelineKind } from '../../src/shared/live/timeline.js';

/** Manual clock: timers fire only when the test advances time. */
function fakeTimers(): Timers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let queue: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      queue.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout(id) {
      queue = queue.filter((t) => t.id !== id);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        queue.sort((a, b) => a.at - b.at);
        const next = queue[0];
        if (!next || next.at > end) break;
        queue.shift();
        now = next.at;
        next.fn();
      }
      now = end;
    },
    pending: () => queue.length,
  };
}

const endpoints: ReceiverEndpoint[] = [0, 1, 2].map((id) => ({
  id,
  label: `127.0.0.${id + 2}:7735`,
  address: `127.0.0.${id + 2}`,
  port: 7735,
}));

const start: SenderEvent = {
  type: 'start',
  t: 0,
  fileSize: 5000,
  mss: 500,
  chunks: 10,
  timeoutMs: 100,
  profile: 'standard',
  receivers: endpoints,
};

describe('Ring', () => {
  it('keeps the newest items and counts what fell out', () => {
    const ring = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.drain()).toEqual({ items: [3, 4, 5], dropped: 2 });
    expect(ring.toArray()).toEqual([]);
  });
});

describe('SenderAggregator', () => {
  it('tracks per-receiver state, counts and the lane of recent chunks', () => {
    const agg = new SenderAggregator();
    agg.apply(start);
    for (const receiver of [0, 1]) agg.apply({ type: 'send', t: 1, seq: 1, receiver, retransmission: false });
    agg.apply({ type: 'ack', t: 2, seq: 1, receiver: 0, rttMs: 0.5 });
    agg.apply({ type: 'timeout', t: 101, seq: 1, receiver: 1 });
    agg.apply({ type: 'send', t: 101, seq: 1, receiver: 1, retransmission: true });
    let { snapshot, timeouts, fresh } = agg.take();
    expect(fresh).toBe(true);
    expect(snapshot.running).toBe(true);
    const [r0, r1] = snapshot.receivers;
    expect(r0).toMatchObject({ state: 'waiting', acks: 1, timeouts: 0, lastRttMs: 0.5 });
    expect(r0!.rtt).toEqual({ min: 0.5, max: 0.5, mean: 0.5, samples: 1 });
    expect(r0!.lane).toEqual([{ seq: 1, mark: 'acked', timeouts: 0 }]);
    expect(r1).toMatchObject({ state: 'retransmitting', timeouts: 1, retransmissions: 1 });
    expect(r1!.lane).toEqual([{ seq: 1, mark: 'retransmitted', timeouts: 1 }]);
    expect(timeouts).toEqual([{ t: 101, seq: 1, receiver: 1 }]);

    agg.apply({ type: 'ack', t: 102, seq: 1, receiver: 1, rttMs: 1 });
    agg.apply({ type: 'progress', t: 102, chunksDone: 1, chunks: 10, bytesDone: 500, fileSize: 5000 });
    ({ snapshot, timeouts, fresh } = agg.take());
    expect(fresh).toBe(false);
    expect(timeouts).toEqual([]);
    expect(snapshot.chunksDone).toBe(1);
    // Karn: the ACK after a retransmission is no RTT sample, but still the last RTT seen.
    expect(snapshot.receivers[1]).toMatchObject({ state: 'waiting', rtt: null, lastRttMs: 1 });
    expect(snapshot.receivers[1]!.lane[0]).toEqual({ seq: 1, mark: 'acked', timeouts: 1 });
  });

  it('bounds the lane and marks the end-marker ACK as done', () => {
    const agg = new SenderAggregator();
    agg.apply(start);
    for (let seq = 1; seq <= 100; seq++)
      agg.apply({ type: 'send', t: seq, seq, receiver: 2, retransmission: false });
    agg.apply({ type: 'ack', t: 200, seq: 11, receiver: 2, rttMs: 1 });
    const r = agg.take().snapshot.receivers[2]!;
    expect(r.lane).toHaveLength(LANE_LENGTH);
    expect(r.lane.at(-1)!.seq).toBe(100);
    expect(r.state).toBe('done');
  });

  it('takes the final numbers from the done event and reports failures', () => {
    const agg = new SenderAggregator();
    agg.apply(start);
    agg.apply({ type: 'receiver-failed', t: 5, seq: 3, receiver: 1, reason: 'no ACK for 30.0 s' });
    expect(agg.take().snapshot.receivers[1]).toMatchObject({ state: 'failed', failure: 'no ACK for 30.0 s' });
    agg.fail('disk on fire');
    expect(agg.take().snapshot).toMatchObject({ running: false, error: 'disk on fire' });
  });
});

describe('ReceiverAggregator', () => {
  it('lists the hosts told to wait (the latest offer of each) until the transfer they waited for ends', () => {
    const agg = new ReceiverAggregator();
    agg.apply({ type: 'listening', t: 0, address: '127.0.0.2', port: 7735, profile: 'standard', p: 0 });
    agg.apply({ type: 'transfer-start', t: 0, from: '127.0.0.1:5000', path: '/r/a.bin' });
    const held = (from: string, name: string) =>
      agg.apply({ type: 'offer-held', t: 1, from, name, size: 10 });
    held('127.0.0.8', 'a.pdf');
    held('127.0.0.9', 'b.pdf');
    held('127.0.0.8', 'c.pdf');
    for (let i = 0; i < 20; i++) held(`10.0.0.${i}`, 'flood.bin');
    const { held: shown } = agg.take().snapshot;
    expect(shown).toHaveLength(8);
    expect(shown.at(-1)).toEqual({ from: '10.0.0.19', name: 'flood.bin', size: 10 });
    agg.apply({ type: 'transfer-failed', t: 2, reason: 'gone', partPath: '/r/a.bin.part', bytes: 0 });
    expect(agg.take().snapshot.held).toEqual([]);
    held('127.0.0.8', 'c.pdf');
    held('127.0.0.9', 'b.pdf');
    held('127.0.0.8', 'd.pdf');
    expect(agg.take().snapshot.held.map((h) => `${h.from} ${h.name}`)).toEqual([
      '127.0.0.9 b.pdf',
      '127.0.0.8 d.pdf',
    ]);
  });

  it('says a failed transfer left nothing behind, never that its bytes were kept', () => {
    const agg = new ReceiverAggregator();
    agg.apply({ type: 'listening', t: 0, address: '127.0.0.2', port: 7735, profile: 'standard', p: 0 });
    const failed = (reason: string, bytes: number) =>
      agg.apply({ type: 'transfer-failed', t: 1, reason, partPath: '/r/x.bin.part', bytes });
    failed('the sender went silent for 10.0 s after 3000 bytes; the partial file was removed', 3000);
    failed("stopped by the receiver's user", 204_800);
    failed('cannot open "x.bin.part": permission denied', 0);
    expect(agg.take().snapshot.failures).toEqual([
      'the sender went silent for 10.0 s after 3000 bytes; the partial file was removed',
      "stopped by the receiver's user; the 200.0 KiB received were removed",
      'cannot open "x.bin.part": permission denied',
    ]);
    // Which file, from whom: a teacher reads the note without the log.
    agg.apply({
      type: 'transfer-failed',
      t: 2,
      reason: 'the sender went silent for 10.0 s after 98500 bytes; the partial file was removed',
      from: '127.0.0.54:40123',
      path: '/home/t/Received/lecture.mp4',
      partPath: '/home/t/Received/lecture.mp4.part',
      bytes: 98_500,
    });
    expect(agg.take().snapshot.failures.at(-1)).toBe(
      'lecture.mp4 from 127.0.0.54: the sender went silent for 10.0 s after 98500 bytes; the partial file was removed',
    );
  });

  it("shows a transfer's size (offered only), the bytes received, kept ahead too, and when it is verifying", () => {
    const agg = new ReceiverAggregator();
    agg.apply({ type: 'listening', t: 0, address: '127.0.0.2', port: 7735, profile: 'standard', p: 0 });
    agg.apply({
      type: 'transfer-start',
      t: 0,
      from: '127.0.0.1:5000',
      path: '/r/a.bin',
      offered: true,
      size: 9,
    });
    expect(agg.take().snapshot.transfer).toEqual({
      from: '127.0.0.1:5000',
      path: '/r/a.bin',
      offered: true,
      size: 9,
      bytes: 0,
    });
    const packet = (seq: number, outcome: 'written' | 'out-of-order', kept?: true) =>
      agg.apply({
        type: 'packet',
        t: seq * 100,
        seq,
        outcome,
        bytes: 3,
        from: '127.0.0.1:5000',
        ...(kept ? { kept } : {}),
      });
    packet(2, 'out-of-order', true);
    packet(3, 'out-of-order'); // Go-Back-N's: discarded
    packet(1, 'written');
    const mid = agg.take().snapshot.transfer;
    expect(mid).toMatchObject({ bytes: 6 });
    expect(mid?.verifying).toBeUndefined();
    packet(3, 'written');
    agg.apply({ type: 'verifying', t: 400 });
    expect(agg.take().snapshot.transfer).toMatchObject({ bytes: 9, size: 9, verifying: true });
    // A course sender says no size.
    agg.apply({ type: 'transfer-failed', t: 500, reason: 'gone', partPath: '/r/a.bin.part', bytes: 9 });
    agg.apply({ type: 'transfer-start', t: 600, from: '127.0.0.1:6000', path: '/r/received-1' });
    expect(agg.take().snapshot.transfer).toEqual({ from: '127.0.0.1:6000', path: '/r/received-1', bytes: 0 });
  });

  it('counts outcomes, keeps recent packets bounded and completed files', () => {
    const agg = new ReceiverAggregator();
    agg.apply({ type: 'listening', t: 0, address: '127.0.0.2', port: 7735, profile: 'standard', p: 0.2 });
    agg.apply({ type: 'transfer-start', t: 0, from: '127.0.0.1:5000', path: '/tmp/x' });
    agg.apply({ type: 'packet', t: 500, seq: 1, outcome: 'written', bytes: 500, from: 'a' });
    agg.apply({ type: 'packet', t: 600, seq: 2, outcome: 'dropped', bytes: 508, from: 'a' });
    agg.apply({ type: 'packet', t: 700, seq: 1, outcome: 'duplicate', bytes: 500, from: 'a' });
    agg.apply({ type: 'packet', t: 1000, seq: 2, outcome: 'written', bytes: 500, from: 'a' });
    agg.apply({ type: 'loss-changed', t: 1000, p: 0.5 });
    const { snapshot, fresh } = agg.take();
    expect(fresh).toBe(true);
    expect(snapshot.p).toBe(0.5);
    expect(snapshot.counters).toMatchObject({
      received: 4,
      dropped: 1,
      duplicates: 1,
      bytesWritten: 1000,
      acksSent: 3,
    });
    expect(snapshot.rate).toBe(1000);
    expect(snapshot.recent.map((p) => p.outcome)).toEqual(['written', 'dropped', 'duplicate', 'written']);
    for (let i = 0; i < 200; i++)
      agg.apply({ type: 'packet', t: 1000 + i, seq: i, outcome: 'written', bytes: 1, from: 'a' });
    agg.apply({
      type: 'complete',
      t: 2000,
      file: {
        path: '/tmp/x',
        bytes: 1200,
        sha256: 'ab',
        durationMs: 2000,
        from: 'a',
        endedBy: 'marker',
        verified: true,
      },
    });
    const later = agg.take().snapshot;
    expect(later.recent.length).toBeLessThanOrEqual(64);
    expect(later.completed).toHaveLength(1);
    expect(later.transfer).toBeNull();
  });
});

describe('Coalescer', () => {
  it('emits at most one batch per 50 ms (20 Hz) whatever the event rate, each batch one message', () => {
    const timers = fakeTimers();
    const batches: { at: number; batch: EventBatch }[] = [];
    const c = new Coalescer((batch) => batches.push({ at: timers.now(), batch }), timers);
    const onSend = c.sender('send');
    const onReceive = c.receiver('receive');
    onSend(start);
    // 10,000 events a second for one second, from a sender and a receiver at once.
    for (let ms = 0; ms < 1000; ms++) {
      for (let k = 0; k < 10; k++) {
        onSend({ type: 'timeout', t: ms, seq: ms + 1, receiver: k % 3 });
        onReceive({
          type: 'packet',
          t: ms,
          seq: ms,
          outcome: k % 4 ? 'written' : 'dropped',
          bytes: 1,
          from: 'a',
        });
      }
      timers.advance(1);
    }
    timers.advance(100);
    expect(batches.length).toBeGreaterThan(15);
    expect(batches.length).toBeLessThanOrEqual(21);
    for (let i = 1; i < batches.length; i++) {
      expect(batches[i]!.at - batches[i - 1]!.at).toBeGreaterThanOrEqual(FLUSH_INTERVAL_MS);
    }
    // Both sessions ride in the same message; nothing is lost from the aggregates.
    expect(batches[1]!.batch.senders.send).toBeDefined();
    expect(batches[1]!.batch.receivers.receive).toBeDefined();
    const last = batches.at(-1)!.batch;
    const totalTimeouts = batches.reduce((n, b) => n + (b.batch.senders.send?.timeouts.length ?? 0), 0);
    const droppedTimeouts = batches.reduce((n, b) => n + (b.batch.senders.send?.timeoutsDropped ?? 0), 0);
    expect(totalTimeouts + droppedTimeouts).toBe(10_000);
    expect(batches.every((b) => (b.batch.senders.send?.timeouts.length ?? 0) <= MAX_TIMEOUTS_PER_BATCH)).toBe(
      true,
    );
    expect(last.receivers.receive!.snapshot.counters.received).toBe(10_000);
    expect(last.receivers.receive!.snapshot.counters.dropped).toBe(3_000);
  });

  it('stays silent without events and sends only the sessions that changed', () => {
    const timers = fakeTimers();
    const batches: EventBatch[] = [];
    const c = new Coalescer((batch) => batches.push(batch), timers);
    c.sender('demo');
    timers.advance(1000);
    expect(batches).toEqual([]);
    c.receiver('demo-1')({ type: 'loss-changed', t: 0, p: 0.3 });
    timers.advance(60);
    expect(batches).toHaveLength(1);
    expect(Object.keys(batches[0]!.senders)).toEqual([]);
    expect(Object.keys(batches[0]!.receivers)).toEqual(['demo-1']);
    c.receiver('demo-1')({ type: 'loss-changed', t: 0, p: 0.4 });
    c.dispose();
    timers.advance(1000);
    expect(batches).toHaveLength(1);
    expect(timers.pending()).toBe(0);
  });
});

describe('timeline stream', () => {
  const flat = (batch: { timeline: number[] }): number[][] => {
    const rows: number[][] = [];
    for (let i = 0; i < batch.timeline.length; i += TIMELINE_STRIDE)
      rows.push(batch.timeline.slice(i, i + 4));
    return rows;
  };

  it('carries sends, retransmissions, ACKs and timeouts since the last batch as [t, kind, seq, receiver]', () => {
    const agg = new SenderAggregator();
    agg.apply(start);
    agg.apply({ type: 'send', t: 1, seq: 1, receiver: 0, retransmission: false });
    agg.apply({ type: 'ack', t: 1.5, seq: 1, receiver: 0, rttMs: 0.5 });
    agg.apply({ type: 'progress', t: 1.5, chunksDone: 1, chunks: 10, bytesDone: 500, fileSize: 5000 });
    const first = agg.take();
    expect(flat(first)).toEqual([
      [1, TimelineKind.send, 1, 0],
      [1.5, TimelineKind.ack, 1, 0],
    ]);
    expect(first.timelineDropped).toBe(0);
    agg.apply({ type: 'timeout', t: 101.2345678, seq: 2, receiver: 1 });
    agg.apply({ type: 'send', t: 101.3, seq: 2, receiver: 1, retransmission: true });
    // Only what is new, times kept to the microsecond.
    expect(flat(agg.take())).toEqual([
      [101.235, TimelineKind.timeout, 2, 1],
      [101.3, TimelineKind.resend, 2, 1],
    ]);
    expect(agg.take().timeline).toEqual([]);
  });

  it('caps a batch at the newest MAX_TIMELINE_PER_BATCH events and counts the rest', () => {
    const agg = new SenderAggregator();
    agg.apply(start);
    const extra = 25;
    for (let i = 0; i < MAX_TIMELINE_PER_BATCH + extra; i++)
      agg.apply({ type: 'send', t: i, seq: i + 1, receiver: 0, retransmission: false });
    const batch = agg.take();
    expect(batch.timeline).toHaveLength(MAX_TIMELINE_PER_BATCH * TIMELINE_STRIDE);
    expect(batch.timelineDropped).toBe(extra);
    expect(batch.timeline[0]).toBe(extra); // the oldest kept
    // The recording keeps every event.
    expect(batch.snapshot.recorded).toBe(MAX_TIMELINE_PER_BATCH + extra);
  });

  it('puts a demo receiver drop on the demo timeline at the coalescer clock, in the next batch', () => {
    const timers = fakeTimers();
    const batches: EventBatch[] = [];
    const coalescer = new Coalescer((b) => batches.push(b), timers);
    const demo = coalescer.sender('demo');
    const rx1 = coalescer.receiver('demo-1');
    timers.advance(1000); // the receivers started before the sender
    demo(start);
    demo({ type: 'send', t: 0.2, seq: 1, receiver: 1, retransmission: false });
    timers.advance(1);
    rx1({ type: 'packet', t: 5000, seq: 1, outcome: 'dropped', bytes: 500, from: '127.0.0.1:1' });
    rx1({ type: 'packet', t: 5000, seq: 1, outcome: 'written', bytes: 500, from: '127.0.0.1:1' });
    timers.advance(FLUSH_INTERVAL_MS);
    const timeline = batches.flatMap((b) => b.senders.demo?.timeline ?? []);
    expect(timeline).toEqual([0.2, TimelineKind.send, 1, 1, 1, TimelineKind.drop, 1, 1]);
    expect(batches.at(-1)!.receivers['demo-1']!.snapshot.counters.dropped).toBe(1);
    coalescer.dispose();
  });

  it('keeps the session for saving: header, events, outcome', () => {
    const timers = fakeTimers();
    const coalescer = new Coalescer(() => undefined, timers);
    expect(coalescer.recording('send')).toBeNull();
    const send = coalescer.sender('send');
    send(start);
    send({ type: 'send', t: 1, seq: 1, receiver: 2, retransmission: false });
    send({ type: 'receiver-failed', t: 2, seq: 1, receiver: 2, reason: 'gone' });
    const recording = coalescer.recording('send')!;
    expect(recording.session).toMatchObject({ source: 'send', chunks: 10, mss: 500, timeoutMs: 100 });
    expect(recording.session.receivers).toHaveLength(3);
    expect(recording.events).toEqual([1, TimelineKind.send, 1, 2]);
    expect(recording.outcome).toBeNull();
    expect(recording.session.protocol).toBeUndefined(); // not known before the end
    send({
      type: 'done',
      t: 3,
      result: {
        ok: false,
        cancelled: false,
        fileSize: 5000,
        mss: 500,
        chunks: 10,
        timeoutRounds: 0,
        timeoutMs: 100,
        durationMs: 3,
        protocol: 'gbn',
        receivers: [],
      },
    });
    // Ended: the outcome, and the protocol a replay names.
    expect(coalescer.recording('send')).toMatchObject({
      session: { protocol: 'gbn' },
      outcome: { ok: false, cancelled: false, durationMs: 3 },
    });
    coalescer.dispose();
  });

  it('a transfer cancelled while its offer is out lends nothing to the last recording', () => {
    const coalescer = new Coalescer(() => undefined, fakeTimers());
    const send = coalescer.sender('send');
    send(start);
    send({ type: 'send', t: 1, seq: 1, receiver: 0, retransmission: false });
    expect(coalescer.recording('send')).not.toBeNull();
    // The next one: offered, then cancelled before any data (no 'start').
    send({ type: 'offering', t: 0, receivers: [], fileSize: 10 });
    send({
      type: 'done',
      t: 0,
      result: {
        ok: false,
        cancelled: true,
        fileSize: 10,
        mss: 500,
        chunks: 1,
        timeoutRounds: 0,
        timeoutMs: 100,
        durationMs: 0,
        receivers: [],
      },
    });
    // Before, the last transfer's events were saved with this one's "cancelled".
    expect(coalescer.recording('send')).toBeNull();
    coalescer.dispose();
  });
});

describe('SessionLog', () => {
  it('stops at its bound and says so', () => {
    const log = new SessionLog('send', 2);
    log.push(0, TimelineKind.send, 1, 0); // before a session: ignored
    log.begin(start as Extract<SenderEvent, { type: 'start' }>);
    for (let i = 0; i < 3; i++) log.push(i, TimelineKind.send, i + 1, 0);
    expect(log.recorded).toBe(2);
    expect(log.truncated).toBe(true);
    expect(log.recording()!.truncated).toBe(true);
  });
});
