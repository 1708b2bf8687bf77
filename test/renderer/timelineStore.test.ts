import { describe, expect, it } from 'vitest';
import { applyBatch, LIVE_TIMELINE_CAPACITY } from '../../src/renderer/store/applyBatch';
import { createAppStore } from '../../src/renderer/store/appStore';
import type { SenderBatch } from '../../src/shared/contract';
import { encodeRecording, decodeRecording } from '../../src/shared/live/recording';
import { TimelineKind as K } from '../../src/shared/live/timeline';
import { midTransfer } from './batches';

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
