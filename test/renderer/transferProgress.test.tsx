// The progress line of a send: how long it has taken and how long it will, in the teacher's time. Through the
// demo's network at a teaching pace the engine's clock runs slower than the wall's (so a 100 ms timeout can be
// watched): a teacher read "Elapsed 0:01, ETA 0:19" nine seconds into a transfer with a hundred rounds to go.
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { TransferProgress } from '../../src/renderer/components/transfer/TransferProgress';
import { timeLeftMs } from '../../src/renderer/format';
import { FULL_PACE, type PaceState, type SenderSnapshot } from '../../src/shared/contract';
import type { SenderEvent } from '../../src/shared/events';
import { SenderAggregator } from '../../src/shared/live/senderView';
import { demoClockRate } from '../../src/shared/network/flights';
import { endpoints, startOfTen } from './batches';
import { resetAfterEach } from './setup';

const slow: PaceState = { mode: { kind: 'slow', roundsPerSecond: 2 }, paused: false };

/** 4 of 10 chunks done in 6 rounds (chunk 3 resent twice), `t` ms on the engine's clock. */
function fourDone(t: number) {
  const agg = new SenderAggregator();
  const events: SenderEvent[] = [startOfTen()];
  let round = 0;
  for (let seq = 1; seq <= 4; seq++)
    for (let copy = 0; copy < (seq === 3 ? 3 : 1); copy++) {
      round++;
      for (const r of endpoints)
        events.push({ type: 'send', t, seq, receiver: r.id, retransmission: copy > 0, round });
    }
  events.push({ type: 'progress', t, chunksDone: 4, chunks: 10, bytesDone: 2000, fileSize: 5000 });
  events.forEach((e) => agg.apply(e));
  return agg.take().snapshot;
}

describe('time left of a send', () => {
  resetAfterEach();

  it('counts the transmission rounds the engine numbers', () => {
    expect(fourDone(400).rounds).toBe(6);
  });

  it('at full speed: the rest at the rate so far', () => {
    expect(timeLeftMs(fourDone(400), FULL_PACE)).toBe(600);
  });

  it('in slow motion: the rounds to come (as many per chunk as so far) at its rounds per second', () => {
    // 7 rounds' worth left (6 chunks and the end marker) at 1.5 rounds per chunk, 2 rounds a second.
    expect(timeLeftMs(fourDone(400), slow)).toBe(5250);
  });

  it('in step mode and in a pause: none (the teacher sets it)', () => {
    expect(timeLeftMs(fourDone(400), { mode: { kind: 'step' }, paused: false })).toBeNull();
    expect(timeLeftMs(fourDone(400), { ...slow, paused: true })).toBeNull();
  });

  it("on the demo's slowed clock: the elapsed time and the rate say whose clock they are on, the ETA is the wall's", () => {
    const rate = demoClockRate(slow.mode, 100);
    expect(rate).toBeLessThan(1);
    // Nine seconds of watching: 9 s on the wall, a fraction of that on the demo's clock.
    render(<TransferProgress snapshot={fourDone(9000 * rate)} pace={slow} clockRate={rate} />);
    const term = screen.getByText('Elapsed, demo clock');
    expect(term.closest('div')!.title).toMatch(
      /^On the demo's clock, which runs \d+ times slower than yours/,
    );
    expect(screen.getByText('Throughput, demo clock')).toBeTruthy();
    const eta = screen.getByText('ETA').nextElementSibling!;
    expect(eta.textContent).toBe('0:05');
  });

  // A teacher switched to full speed after a minute of slow motion: "Elapsed 0:02", unqualified, beside a class's
  // minute. The time is still the demo's clock's: it stays said, until a new transfer starts.
  it('switched to full speed after the slowed clock: still on the demo clock, until a new transfer', () => {
    const rate = demoClockRate(slow.mode, 100);
    const { rerender } = render(
      <TransferProgress snapshot={fourDone(9000 * rate)} pace={slow} clockRate={rate} />,
    );
    expect(screen.getByText('Elapsed, demo clock')).toBeTruthy();
    rerender(<TransferProgress snapshot={fourDone(9000 * rate + 400)} pace={FULL_PACE} clockRate={1} />);
    const term = screen.getByText('Elapsed, demo clock');
    expect(term.closest('div')!.title).toMatch(/^On the demo's clock, which ran slower than yours/);
    expect(screen.getByText('Throughput, demo clock')).toBeTruthy();
    rerender(<TransferProgress snapshot={fourDone(300)} pace={FULL_PACE} clockRate={1} />);
    expect(screen.getByText('Elapsed')).toBeTruthy();
    expect(screen.queryByText(/demo clock/)).toBeNull();
  });

  it('at full speed, or without the demo network: the plain words', () => {
    render(<TransferProgress snapshot={fourDone(400)} pace={FULL_PACE} clockRate={1} />);
    expect(screen.getByText('Elapsed')).toBeTruthy();
    expect(screen.queryByText(/demo clock/)).toBeNull();
  });
});

describe('time left of a send in slow motion, round by round', () => {
  resetAfterEach();

  it('never rises while a clean transfer goes on (the round in the air is not counted twice)', () => {
    const agg = new SenderAggregator();
    agg.apply(startOfTen());
    const left: number[] = [];
    const read = (): void => void left.push(timeLeftMs(agg.take().snapshot, slow)!);
    for (let seq = 1; seq <= 10; seq++) {
      const t = seq * 500;
      for (const r of endpoints)
        agg.apply({ type: 'send', t, seq, receiver: r.id, retransmission: false, round: seq });
      read(); // round `seq` in the air
      for (const r of endpoints) agg.apply({ type: 'ack', t: t + 300, seq, receiver: r.id, rttMs: 300 });
      agg.apply({
        type: 'progress',
        t: t + 300,
        chunksDone: seq,
        chunks: 10,
        bytesDone: seq * 500,
        fileSize: 5000,
      });
      read(); // round `seq` landed, the next to come
    }
    for (let i = 1; i < left.length; i++) expect(left[i]).toBeLessThanOrEqual(left[i - 1]!);
    // With chunk 4 landed: chunks 5 to 10 and the end marker to go, one round each, 2 a second.
    expect(left[7]).toBe(3500);
  });
});

describe('time left of a send after a pace change', () => {
  resetAfterEach();

  /** A send of 1,000 chunks of 1,000 bytes, `chunksDone` of them done at `t` ms. */
  const at = (t: number, chunksDone: number): SenderSnapshot => ({
    ...fourDone(0),
    chunks: 1000,
    fileSize: 1_000_000,
    chunksDone,
    bytesDone: chunksDone * 1000,
    t,
    sent: chunksDone,
    rounds: chunksDone,
  });
  const eta = (): string => screen.getByText('ETA').nextElementSibling!.textContent!;

  it('at full speed after slow motion and a long step: at the rate since, not the average with the slow part', () => {
    const step: PaceState = { mode: { kind: 'step' }, paused: false };
    // 20 rounds in slow motion (10 s), then a minute's talk in step mode.
    const { rerender } = render(<TransferProgress snapshot={at(10_000, 20)} pace={slow} clockRate={1} />);
    rerender(<TransferProgress snapshot={at(70_000, 20)} pace={step} clockRate={1} />);
    rerender(<TransferProgress snapshot={at(70_000, 20)} pace={FULL_PACE} clockRate={1} />);
    // Then 1,000 chunks a second.
    rerender(<TransferProgress snapshot={at(70_100, 120)} pace={FULL_PACE} clockRate={1} />);
    rerender(<TransferProgress snapshot={at(70_200, 220)} pace={FULL_PACE} clockRate={1} />);
    // 780 chunks to go: 0.78 s, not the 4:08 that 220 chunks in 70.2 s would say.
    expect(eta()).toBe('0:01');
  });
});

describe('time left of a send in slow motion, between rounds', () => {
  resetAfterEach();

  /** 10 chunks, `sent` of them sent, one round each: at 0.2 rounds a second a round takes 5 s. */
  const sentOf = (sent: number): SenderSnapshot => ({
    ...fourDone(0),
    chunksDone: sent - 1,
    sent,
    rounds: sent,
    t: sent * 5000,
  });
  const slowest: PaceState = { mode: { kind: 'slow', roundsPerSecond: 0.2 }, paused: false };
  const eta = (): string => screen.getByText('ETA').nextElementSibling!.textContent!;

  it('counts down each second, never past one round below the last figure, and takes the next figure as it comes', () => {
    vi.useFakeTimers();
    try {
      // 7 segments to go (6 chunks and the end marker) at 5 s a round: 35 s.
      const { rerender } = render(<TransferProgress snapshot={sentOf(4)} pace={slowest} clockRate={1} />);
      expect(eta()).toBe('0:35');
      act(() => void vi.advanceTimersByTime(1000));
      expect(eta()).toBe('0:34');
      act(() => void vi.advanceTimersByTime(3000));
      expect(eta()).toBe('0:31');
      // The round takes longer than its 5 s (a timeout): the figure waits at one round below, not lower.
      act(() => void vi.advanceTimersByTime(10_000));
      expect(eta()).toBe('0:30');
      // The next round's event gives the figure again, and the count starts from it.
      rerender(<TransferProgress snapshot={sentOf(5)} pace={slowest} clockRate={1} />);
      expect(eta()).toBe('0:30');
      act(() => void vi.advanceTimersByTime(2000));
      expect(eta()).toBe('0:28');
      // Paused: no figure, and nothing counts.
      rerender(<TransferProgress snapshot={sentOf(5)} pace={{ ...slowest, paused: true }} clockRate={1} />);
      act(() => void vi.advanceTimersByTime(2000));
      expect(eta()).toBe('–');
    } finally {
      vi.useRealTimers();
    }
  });
});
