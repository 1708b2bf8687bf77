// What a send to a lab with absent hosts says, phase by phase (3 receivers, the third never answers anything): when
// the data really starts, why the others sit at chunk 1, and an end that is not dressed as complete.
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TransferProgress } from '../../src/renderer/components/transfer/TransferProgress';
import { FULL_PACE, type SenderSnapshot } from '../../src/shared/contract';
import type { SenderEvent } from '../../src/shared/events';
import { SenderAggregator } from '../../src/shared/live/senderView';
import { endpoints, startOfTen } from './batches';
import { resetAfterEach } from './setup';

const offering: SenderEvent = {
  type: 'offering',
  t: 0,
  receivers: endpoints,
  fileSize: 5000,
  mss: 500,
  chunks: 10,
  timeoutMs: 1000,
  tries: 5,
};

/** The offer out, alpha and beta accepted; then, with `data`, gamma silent and chunk 1 ACKed by alpha and beta. */
function absentGamma(data: boolean, end?: 'ended'): SenderSnapshot {
  const agg = new SenderAggregator();
  const events: SenderEvent[] = [
    offering,
    { type: 'offer', t: 0, receiver: 0, state: 'accepted' },
    { type: 'offer', t: 0, receiver: 1, state: 'accepted' },
  ];
  if (data) {
    events.push({ type: 'offer', t: 0, receiver: 2, state: 'course' });
    events.push({ ...startOfTen(), receiverTimeoutMs: 30_000 });
    for (const r of endpoints)
      events.push({ type: 'send', t: 1, seq: 1, receiver: r.id, retransmission: false });
    for (const r of [0, 1]) events.push({ type: 'ack', t: 2, seq: 1, receiver: r, rttMs: 1 });
    events.push({ type: 'timeout', t: 100, seq: 1, receiver: 2 });
  }
  if (end)
    events.push(
      {
        type: 'receiver-failed',
        t: 30_000,
        seq: 1,
        receiver: 2,
        reason: 'no ACK for sequence number 1 within 30.0 s',
      },
      { type: 'progress', t: 30_100, chunksDone: 10, chunks: 10, bytesDone: 5000, fileSize: 5000 },
      {
        type: 'done',
        t: 30_100,
        result: {
          ok: false,
          cancelled: false,
          fileSize: 5000,
          mss: 500,
          chunks: 10,
          timeoutRounds: 30,
          timeoutMs: 100,
          durationMs: 30_100,
          receivers: endpoints.map((receiver) => ({
            receiver,
            state: receiver.id === 2 ? 'failed' : 'done',
            acks: 11,
            timeouts: 0,
            retransmissions: 0,
            rtt: null,
            keepalives: 0,
            bytes: receiver.id === 2 ? 0 : 5000,
            timeMs: 30_100,
            ...(receiver.id === 2 ? { failure: 'no ACK for sequence number 1 within 30.0 s' } : {}),
          })),
        },
      },
    );
  events.forEach((e) => agg.apply(e));
  return agg.take().snapshot;
}

const show = (snapshot: SenderSnapshot) =>
  render(<TransferProgress snapshot={snapshot} pace={FULL_PACE} clockRate={1} />);

describe('a send with an absent host', () => {
  resetAfterEach();

  it('the offer: the data starts once each has answered or stayed silent through 5 offers T apart', () => {
    show(absentGamma(false));
    expect(screen.getByTestId('wait-note').textContent).toBe(
      'Offering the file (4.88 KiB): 2 of 3 answered. The data starts once each has answered, or stayed silent ' +
        'through 5 offers 1 s apart: a silent one then gets the course protocol (a course receiver, or nothing ' +
        'there). Cancel stops it.',
    );
    // The bar and the figures are there already, where they stay once the data starts.
    expect(screen.getByRole('progressbar', { name: 'Transfer progress' })).toBeTruthy();
    expect(screen.getByText('Chunks to all 3')).toBeTruthy();
  });

  it('the data: who answered nothing, that the others wait for it, and for how long at most', () => {
    show(absentGamma(true));
    expect(screen.getByTestId('wait-note').textContent).toBe(
      'No answer at all yet from gamma:7735: not to the offer, not one ACK. The 2 others wait for it: ' +
        'stop-and-wait sends the next chunk only once every receiver has ACKed. It is given up on after 30 s ' +
        'without an ACK (the receiver timeout).',
    );
    // The top counts what all have ACKed (a row, its own receiver's): said beside it.
    expect(document.querySelector('.progress-text')!.textContent).toBe('0.0%');
    expect(document.querySelector('.progress-of')!.textContent).toBe('ACKed by all 3');
  });

  it('the end: 2 of 3 got the whole file, 1 did not; no "100%", no "10 / 10" said of all', () => {
    show(absentGamma(true, 'ended'));
    const row = document.querySelector('.progress-row')!;
    expect(row.textContent).toBe('2/3receivers got the whole file1 did not');
    expect(screen.getByRole('progressbar').getAttribute('aria-valuetext')).toBe(
      '2/3 receivers got the whole file, 1 did not',
    );
    expect(screen.getByText('Chunks to 2 of 3').nextElementSibling!.textContent).toBe('10 / 10');
    expect(screen.getByTestId('wait-note').textContent).toBe(
      '2 of 3 receivers got the whole file; 1 did not: gamma:7735 (their rows and the summary say why).',
    );
  });
});
