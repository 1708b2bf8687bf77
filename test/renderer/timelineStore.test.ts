import { describe, expect, it } from 'vitest';
import { applyBatch, LIVE_TIMELINE_CAPACITY } from '../../src/renderer/store/applyBatch';
import { createAppStore, useAppStore } from '../../src/renderer/store/appStore';
import { liveFeed, replayFeed } from '../../src/renderer/timeline/feeds';
import { SenderAggregator } from '../../src/shared/live/senderView';
import type { SenderBatch } from '../../src/shared/contract';
import { encodeRecording, decodeRecording } from '../../src/shared/live/recording';
import { TimelineKind as K } from '../../src/shared/live/timeline';
import { applySpans, emptySpans, windowAt } from '../../src/renderer/timeline/senderWindow';
import { midTransfer, startOfTen } from './batches';

describe('live timeline in the store', () => {
  it('appends each batch to a bounded ring, counts everything and what the coalescer left out', () => {
    const first = midTransfer();
    let state = applyBatch({ senders: {}, receivers: {} }, { senders: { send: first }, receivers: {} });
    const firstView = state.senders.send!.timeline;
    const firstCount = firstView.tally.totals.events;
    expect(firstCount).toBe(first.timeline.length / 4);
    const events = Array.from({ length: LIVE_TIMELINE_CAPACITY }, (_, i) => [
      600 + i,
      K.send,
      5 + i,
      0,
    ]).flat();
    const next: SenderBatch = { ...first, fresh: false, timeline: events, timelineDropped: 12 };
    state = applyBatch(state, { senders: { send: next }, receivers: {} });
    const view = state.senders.send!.timeline;
    expect(view).not.toBe(firstView); // a new object per batch: transient subscribers see a change
    expect(view.ring.size).toBe(LIVE_TIMELINE_CAPACITY);
    expect(view.tally.totals.events).toBe(firstCount + LIVE_TIMELINE_CAPACITY);
    expect(view.notShown).toBe(12);
    state = applyBatch(state, { senders: { send: { ...first, fresh: true } }, receivers: {} });
    expect(state.senders.send!.timeline.tally.totals.events).toBe(firstCount);
    expect(state.senders.send!.timeline.notShown).toBe(0);
  });

  it("a long window protocol's session keeps its sender window's spans to what the ring holds, and tells the same window", () => {
    // Go-Back-N to one receiver, W = 4: segment k sent at k ms, ACKed at k + 0.5, in batches of 500 segments.
    const segments = 60_000;
    const reference = emptySpans();
    let state: ReturnType<typeof applyBatch> = { senders: {}, receivers: {} };
    for (let k0 = 1; k0 <= segments; k0 += 500) {
      const timeline: number[] = [];
      const spans: number[] = [];
      for (let k = k0; k < k0 + 500; k++) {
        timeline.push(k, K.send, k, 0, k + 0.5, K.ack, k, 0);
        spans.push(k, k, -1, k, k, k + 0.5);
      }
      applySpans(reference, spans);
      const batch: SenderBatch = {
        ...midTransfer('gbn'),
        fresh: k0 === 1,
        timeline,
        timelineDropped: 0,
        spans,
      };
      state = applyBatch(state, { senders: { demo: batch }, receivers: {} });
    }
    const { spans, timeline } = state.senders.demo!;
    // The ring holds the last 10,000 segments' events; the table about as many (not 60,000: 16 bytes each).
    expect(timeline.ring.size).toBe(LIVE_TIMELINE_CAPACITY);
    expect(spans.from.length).toBeLessThan(LIVE_TIMELINE_CAPACITY);
    expect(spans.first).toBeGreaterThan(segments - LIVE_TIMELINE_CAPACITY);
    // At every moment the diagram can still show, the window it tells is the one the whole table tells.
    for (let t = timeline.ring.t(timeline.ring.start); t <= segments + 1; t += 97.25)
      expect(windowAt(spans, t, 4, segments + 1)).toEqual(windowAt(reference, t, 4, segments + 1));
  });

  // Its ACKs are cumulative (Go-Back-N's): the diagram stops its timers of every segment up to the one it ACKs.
  it("tells the diagram a Selective Repeat transfer's receivers in course mode, live and in its replay", () => {
    const aggregator = new SenderAggregator();
    aggregator.apply({ ...startOfTen('sr', 4), cumulative: [1] });
    aggregator.apply({ type: 'send', t: 1, seq: 1, receiver: 0, retransmission: false });
    const store = useAppStore.getState();
    store.applyBatch({ senders: { send: aggregator.take() }, receivers: {} });
    store.flushBatches();
    expect(liveFeed('send').read()).toMatchObject({ segmentTimers: true, cumulative: [1] });
    store.openReplay(aggregator.recording()!);
    expect(replayFeed.read()).toMatchObject({ segmentTimers: true, cumulative: [1] });
  });

  it('opens a recording for replay with the cursor at the end', () => {
    const store = createAppStore();
    const recording = decodeRecording(
      encodeRecording({
        session: {
          source: 'send',
          fileSize: 10,
          mss: 10,
          chunks: 1,
          timeoutMs: 100,
          profile: 'standard',
          receivers: [{ id: 0, label: 'a', address: '127.0.0.2', port: 1 }],
        },
        outcome: { ok: true, cancelled: false, durationMs: 5 },
        truncated: false,
        events: [1, K.send, 1, 0, 2, K.ack, 1, 0],
      }),
    );
    store.getState().openReplay(recording);
    const { replay, replayCursor } = store.getState();
    expect([replay!.ring.size, replay!.duration, replayCursor]).toEqual([2, 5, 5]);
    store.getState().setReplayCursor(99);
    expect(store.getState().replayCursor).toBe(5);
    store.getState().setReplayCursor(-1);
    expect(store.getState().replayCursor).toBe(0);
  });
});
