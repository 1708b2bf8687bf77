// Event batches as main's coalescer builds them, for renderer tests.
import { SenderAggregator } from '../../src/shared/live/senderView';
import type { SenderBatch } from '../../src/shared/contract';
import type { ReceiverEndpoint, SenderEvent } from '../../src/shared/events';
import type { Protocol } from '../../src/shared/limits';

export const endpoints: ReceiverEndpoint[] = ['alpha', 'beta', 'gamma'].map((label, id) => ({
  id,
  label: `${label}:7735`,
  address: `127.0.0.${id + 2}`,
  port: 7735,
}));

/** The start of a transfer of 10 chunks of 500 bytes to the three endpoints. */
export function startOfTen(protocol?: Protocol, window?: number): Extract<SenderEvent, { type: 'start' }> {
  return {
    type: 'start',
    t: 0,
    fileSize: 5000,
    mss: 500,
    chunks: 10,
    timeoutMs: 100,
    profile: 'standard',
    receivers: endpoints,
    ...(protocol ? { protocol } : {}),
    ...(window ? { window } : {}),
  };
}

/** A sender session (stop-and-wait unless said) 3 chunks into 10: "beta" timed out twice on chunk 3, "gamma" is retransmitting chunk 4. */
export function midTransfer(protocol?: Protocol, window?: number): SenderBatch {
  const agg = new SenderAggregator();
  const events: SenderEvent[] = [startOfTen(protocol, window)];
  for (let seq = 1; seq <= 4; seq++) {
    for (const r of endpoints) {
      events.push({ type: 'send', t: seq * 10, seq, receiver: r.id, retransmission: false });
      if (seq === 3 && r.id === 1) {
        for (let k = 1; k <= 2; k++) {
          events.push({ type: 'timeout', t: seq * 10 + k * 100, seq, receiver: 1 });
          events.push({ type: 'send', t: seq * 10 + k * 100, seq, receiver: 1, retransmission: true });
        }
      }
      if (seq === 4 && r.id === 2) {
        events.push({ type: 'timeout', t: 500, seq, receiver: 2 });
        events.push({ type: 'send', t: 500, seq, receiver: 2, retransmission: true });
      }
      if (seq < 4) events.push({ type: 'ack', t: seq * 10 + 1, seq, receiver: r.id, rttMs: 0.4 });
    }
    if (seq < 4)
      events.push({
        type: 'progress',
        t: 400,
        chunksDone: seq,
        chunks: 10,
        bytesDone: seq * 500,
        fileSize: 5000,
      });
  }
  events.forEach((e) => agg.apply(e));
  return agg.take();
}
