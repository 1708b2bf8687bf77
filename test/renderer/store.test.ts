import { describe, expect, it } from 'vitest';
import { applyBatch, TIMEOUT_LOG_LIMIT } from '../../src/renderer/store/applyBatch';
import { createAppStore } from '../../src/renderer/store/appStore';
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

  it('forgets demo receivers when a new demo starts', () => {
    const store = createAppStore();
    store.setState({ receivers: { receive: {} as never, 'demo-0': {} as never, 'demo-5': {} as never } });
    store.getState().clearDemo();
    expect(Object.keys(store.getState().receivers)).toEqual(['receive']);
  });
});
