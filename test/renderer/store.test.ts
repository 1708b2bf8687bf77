import { describe, expect, it, vi } from 'vitest';
import { applyBatch, TIMEOUT_LOG_LIMIT } from '../../src/renderer/store/applyBatch';
import { createAppStore, PUBLISH_MS } from '../../src/renderer/store/appStore';
import type { SenderBatch } from '../../src/shared/contract';
import { midTransfer } from './batches';

describe('applyBatch', () => {
  it('keeps the latest snapshot and appends timeouts to a bounded log', () => {
    const first = midTransfer();
    let state = applyBatch({ senders: {}, receivers: {} }, { senders: { send: first }, receivers: {} });
    expect(state.senders.send!.timeoutLog).toHaveLength(3);
    const many: SenderBatch = {
      ...first,
      fresh: false,
      timeouts: Array.from({ length: TIMEOUT_LOG_LIMIT }, (_, i) => ({ t: i, seq: i, receiver: 0 })),
      timeoutsDropped: 7,
    };
    state = applyBatch(state, { senders: { send: many }, receivers: {} });
    expect(state.senders.send!.timeoutLog).toHaveLength(TIMEOUT_LOG_LIMIT);
    expect(state.senders.send!.timeoutLog.at(-1)!.seq).toBe(TIMEOUT_LOG_LIMIT - 1);
    expect(state.senders.send!.timeoutsDropped).toBe(7 + 3);
    // A fresh session starts a new log.
    state = applyBatch(state, { senders: { send: { ...first, timeouts: [], fresh: true } }, receivers: {} });
    expect(state.senders.send!.timeoutLog).toEqual([]);
    expect(state.senders.send!.timeoutsDropped).toBe(0);
  });

  it('leaves sessions absent from the batch untouched', () => {
    const demo = applyBatch(
      { senders: {}, receivers: {} },
      { senders: { demo: midTransfer() }, receivers: {} },
    );
    const next = applyBatch(demo, { senders: { send: midTransfer() }, receivers: {} });
    expect(next.senders.demo).toBe(demo.senders.demo);
  });
});

describe('store', () => {
  it('applies one batch with exactly one store update', () => {
    const store = createAppStore();
    let updates = 0;
    store.subscribe(() => updates++);
    store.getState().applyBatch({ senders: { send: midTransfer(), demo: midTransfer() }, receivers: {} });
    expect(updates).toBe(1);
    expect(store.getState().senders.send!.snapshot.chunksDone).toBe(3);
  });

  it('publishes at most every PUBLISH_MS, and less often while a publish costs more than a quarter of that', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'performance'] });
    try {
      const store = createAppStore();
      let renderMs = 0;
      const published: number[] = [];
      // A render (and the frame that shows it) costing renderMs of the clock.
      store.subscribe(() => {
        published.push(performance.now());
        vi.advanceTimersByTime(renderMs);
      });
      const batch = () => store.getState().applyBatch({ senders: { send: midTransfer() }, receivers: {} });
      /** Sends a batch every 50 ms for `ms`. */
      const feed = (ms: number): void => {
        for (let t = 0; t < ms; t += 50) {
          batch();
          vi.advanceTimersByTime(50);
        }
      };
      feed(1000);
      const gaps = (from: number) => published.slice(from + 1).map((t, i) => t - published[from + i]!);
      // Cheap renders: one publish per PUBLISH_MS.
      expect(gaps(0).every((g) => g >= PUBLISH_MS && g < PUBLISH_MS + 60)).toBe(true);
      // A render of 150 ms (plus the frame it shows in): from the first one measured on, about 4 x 160 ms
      // between publishes, at most a second.
      renderMs = 150;
      const slow = published.length;
      feed(4000);
      const slowGaps = gaps(slow).slice(1);
      expect(slowGaps.length).toBeGreaterThan(2);
      expect(slowGaps.every((g) => g >= 4 * 150 && g <= 1000 + 60)).toBe(true);
      // Cheap again: back to PUBLISH_MS (from the second publish on, the first one's cost measured).
      renderMs = 0;
      feed(2000);
      expect(gaps(published.length - 4).every((g) => g < PUBLISH_MS + 60)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets demo receivers when a new demo starts', () => {
    const store = createAppStore();
    store.setState({ receivers: { receive: {} as never, 'demo-0': {} as never, 'demo-5': {} as never } });
    store.getState().clearDemo();
    expect(Object.keys(store.getState().receivers)).toEqual(['receive']);
  });
});
