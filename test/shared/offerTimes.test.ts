// What the live view is told of the waits it explains: how long a silent receiver is offered the file before the
// data starts (the offering event), and how long a receiver without an ACK is waited for (the start event).
import { describe, expect, it } from 'vitest';
import { stopAndWait } from '../../src/shared/engine/stopAndWait.js';
import { SenderAggregator } from '../../src/shared/live/senderView.js';
import { DEFAULT_OFFER_TRIES } from '../../src/shared/offer/offerPhase.js';
import { driveSender, eventsOf, senderConfig } from '../engine/drive.js';
import { endpoints, startOfTen } from '../renderer/batches.js';

describe('the waits in the snapshot', () => {
  it('offering: the transfer to come and the offers a silent receiver gets, T apart', () => {
    const aggregator = new SenderAggregator();
    aggregator.apply({
      type: 'offering',
      t: 0,
      receivers: endpoints,
      fileSize: 5000,
      mss: 500,
      chunks: 10,
      timeoutMs: 250,
      tries: DEFAULT_OFFER_TRIES,
    });
    expect(aggregator.take().snapshot).toMatchObject({
      offering: true,
      chunks: 10,
      mss: 500,
      timeoutMs: 250,
      offerTries: DEFAULT_OFFER_TRIES,
    });
  });

  it('with a session code: how long a silent receiver is asked', () => {
    const aggregator = new SenderAggregator();
    aggregator.apply({
      type: 'offering',
      t: 0,
      receivers: endpoints,
      fileSize: 1,
      tries: 5,
      sealedMs: 10_000,
    });
    expect(aggregator.take().snapshot.offerSealedMs).toBe(10_000);
  });

  it('the start: the receiver timeout, said by the engine', () => {
    const sender = driveSender(stopAndWait, senderConfig(2, 2500, 1000, { receiverTimeoutMs: 30_000 }));
    const [start] = eventsOf(sender.input({ type: 'start' }), 'start');
    expect(start!.receiverTimeoutMs).toBe(30_000);
    const aggregator = new SenderAggregator();
    aggregator.apply({ ...startOfTen(), receiverTimeoutMs: 30_000 });
    expect(aggregator.take().snapshot.receiverTimeoutMs).toBe(30_000);
  });
});
