// The live view with a lab of 30, fed batches as main's coalescer builds them: the summary line, compact rows,
// filter and sort, and the summary read out only when a receiver finishes or fails.
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/renderer/App';
import { SenderAggregator } from '../../src/shared/live/senderView';
import type { ReceiverEndpoint, SenderEvent } from '../../src/shared/events';
import { installFakeApi, type FakeApi } from './fakeApi';
import { resetAfterEach } from './setup';

resetAfterEach();
afterEach(() => vi.useRealTimers());

const CHUNKS = 4;
const lab: ReceiverEndpoint[] = Array.from({ length: 30 }, (_, id) => ({
  id,
  label: `lab-pc-${String(id + 1).padStart(2, '0')}`,
  address: `127.0.0.${id + 2}`,
  port: 7735,
}));
/** lab-pc-06 lost two copies of chunk 2; lab-pc-10 and lab-pc-13 are stuck on chunk 3; lab-pc-21 fails. */
const SLOW = 5;
const STUCK = [9, 12];
const FAILS = 20;

/** A 4-chunk transfer to the lab, in two batches: up to chunk 3, then the rest (end marker = chunk 5). */
function transfer(): { agg: SenderAggregator; rest: () => void } {
  const agg = new SenderAggregator();
  const apply = (e: SenderEvent): void => agg.apply(e);
  apply({
    type: 'start',
    t: 0,
    fileSize: 2000,
    mss: 500,
    chunks: CHUNKS,
    timeoutMs: 100,
    profile: 'standard',
    receivers: lab,
  });
  const round = (seq: number, who: ReceiverEndpoint[]): void => {
    for (const r of who) {
      const t = seq * 1000;
      apply({ type: 'send', t, seq, receiver: r.id, retransmission: false });
      const losses =
        (r.id === SLOW && seq === 2 ? 2 : 0) + (STUCK.includes(r.id) && seq === 3 ? 1 + r.id : 0);
      for (let k = 1; k <= losses; k++) {
        apply({ type: 'timeout', t: t + k * 100, seq, receiver: r.id });
        apply({ type: 'send', t: t + k * 100, seq, receiver: r.id, retransmission: true });
      }
      // Stuck ones get no ACK for chunk 3; RTTs differ per receiver (lab-pc-30 is the slowest).
      if (!(STUCK.includes(r.id) && seq >= 3))
        apply({ type: 'ack', t: t + 1, seq, receiver: r.id, rttMs: 1 + r.id });
    }
  };
  for (let seq = 1; seq <= 3; seq++) round(seq, lab);
  return {
    agg,
    rest: () => {
      apply({ type: 'receiver-failed', t: 4000, seq: 4, receiver: FAILS, reason: 'no ACK after 10 tries' });
      for (let seq = 4; seq <= CHUNKS + 1; seq++)
        round(
          seq,
          lab.filter((r) => r.id !== FAILS && !STUCK.includes(r.id)),
        );
    },
  };
}

async function openWithLab(): Promise<{
  api: FakeApi;
  agg: SenderAggregator;
  rest: () => void;
  push: () => void;
}> {
  const api = installFakeApi({ mode: 'send' });
  render(<App />);
  await screen.findByRole('heading', { name: 'Send a file' });
  const { agg, rest } = transfer();
  return { api, agg, rest, push: () => api.push({ senders: { send: agg.take() }, receivers: {} }) };
}

const line = (): string => screen.getByTestId('receiver-summary').textContent ?? '';
const rowLabels = (): string[] =>
  screen
    .queryAllByTestId(/^receiver-row-/)
    .map((row) => within(row).getByRole('rowheader').firstChild!.textContent!);

describe('30 receivers', () => {
  it('shows a summary line and one compact row per receiver, without lanes', async () => {
    const { rest, push } = await openWithLab();
    push();
    // Every part while receivers are still going, zeros too: the line keeps its shape as they come and go.
    expect(line()).toBe('0/30 done, 2 retransmitting, 0 failed, 28 waiting');
    expect(screen.queryByRole('button', { name: '0 failed' })).toBeNull();
    rest();
    push();
    expect(line()).toBe('27/30 done, 2 retransmitting, 1 failed, 0 waiting');
    expect(rowLabels()).toEqual(lab.map((r) => r.label));
    expect(screen.queryAllByRole('list', { name: /^Recent chunks/ })).toHaveLength(0);
    const failed = screen.getByTestId(`receiver-row-${FAILS}`);
    // Its failure in full on a line of its own under the row (in the row, it was cut: "no ACK aft…").
    expect(
      within(screen.getByTestId(`receiver-notes-${FAILS}`)).getByText('no ACK after 10 tries'),
    ).toBeTruthy();
    // Its name with where it is, and its title with why it failed too.
    expect(within(failed).getByRole('rowheader').textContent).toMatch(/^lab-pc-21 \(127\.0\.0\.\d+:\d+\)$/);
    expect(within(failed).getByRole('rowheader').title).toMatch(
      /^lab-pc-21 \(127\.0\.0\.\d+:\d+\): no ACK after 10 tries$/,
    );
    // Progress replaces the lane: chunks ACKed of 4.
    expect(within(failed).getByTitle('3 of 4 chunks').textContent).toBe('75%');
    expect(within(screen.getByTestId('receiver-row-0')).getByTitle('4 of 4 chunks').textContent).toBe('100%');
    expect(screen.getByRole('region', { name: 'Receivers (scrolls)' }).tabIndex).toBe(0);
  });

  it('filters by state and by name or address', async () => {
    const { rest, push } = await openWithLab();
    rest();
    push();
    const show = (value: string) => fireEvent.change(screen.getByLabelText('Show'), { target: { value } });
    show('failed');
    expect(rowLabels()).toEqual(['lab-pc-21']);
    expect(screen.getByTestId('receivers-shown').textContent).toBe('1 of 30 shown');
    show('retransmitting');
    expect(rowLabels()).toEqual(['lab-pc-10', 'lab-pc-13']);
    show('not-done');
    expect(rowLabels()).toEqual(['lab-pc-10', 'lab-pc-13', 'lab-pc-21']);
    fireEvent.change(screen.getByLabelText('Find'), { target: { value: '127.0.0.14' } });
    expect(rowLabels()).toEqual(['lab-pc-13']);
    show('all');
    fireEvent.change(screen.getByLabelText('Find'), { target: { value: 'PC-0' } });
    expect(rowLabels()).toEqual(lab.slice(0, 9).map((r) => r.label));
    fireEvent.change(screen.getByLabelText('Find'), { target: { value: 'room 9' } });
    expect(rowLabels()).toEqual([]);
    expect(screen.getByText('None of the 30 receivers match the filter.')).toBeTruthy();
  });

  it('shows just the failed or retransmitting receivers when the summary line says how many (a long list hides them)', async () => {
    const { rest, push } = await openWithLab();
    rest();
    push();
    fireEvent.click(screen.getByRole('button', { name: '1 failed' }));
    expect(rowLabels()).toEqual(['lab-pc-21']);
    expect((screen.getByLabelText('Show') as HTMLSelectElement).value).toBe('failed');
    fireEvent.click(screen.getByRole('button', { name: '2 retransmitting' }));
    expect(rowLabels()).toEqual(['lab-pc-10', 'lab-pc-13']);
    expect(line()).toBe('27/30 done, 2 retransmitting, 1 failed, 0 waiting');
  });

  it('presenter mode counts a failed receiver where the class sees it, and only once one has failed', async () => {
    const { rest, push } = await openWithLab();
    push();
    fireEvent.click(screen.getByRole('button', { name: 'Presenter mode' }));
    const counters = screen.getByTestId('presenter').querySelector<HTMLElement>('dl.presenter-counters')!;
    expect(within(counters).queryByText('Failed')).toBeNull();
    rest();
    push();
    expect(within(counters).getByText('Failed').nextElementSibling!.textContent).toBe('1');
    expect(within(counters).getByText('Receivers done').nextElementSibling!.textContent).toBe('27 / 30');
  });

  it('sorts by state, progress, retransmissions and RTT, ties in list order', async () => {
    const { rest, push } = await openWithLab();
    rest();
    push();
    const sort = (value: string) => fireEvent.change(screen.getByLabelText('Sort by'), { target: { value } });
    const others = lab.filter((r) => ![FAILS, ...STUCK].includes(r.id)).map((r) => r.label);
    sort('state');
    expect(rowLabels()).toEqual(['lab-pc-21', 'lab-pc-10', 'lab-pc-13', ...others]);
    sort('progress');
    // Stuck at 2 of 4, then the failed one at 3, then the done ones.
    expect(rowLabels()).toEqual(['lab-pc-10', 'lab-pc-13', 'lab-pc-21', ...others]);
    sort('retransmissions');
    expect(rowLabels().slice(0, 3)).toEqual(['lab-pc-13', 'lab-pc-10', 'lab-pc-06']);
    expect(screen.getAllByTestId('retransmissions').map((c) => Number(c.textContent))).toEqual([
      13,
      10,
      2,
      ...Array<number>(27).fill(0),
    ]);
    sort('rtt');
    expect(rowLabels().slice(0, 3)).toEqual(['lab-pc-30', 'lab-pc-29', 'lab-pc-28']);
    sort('list');
    expect(rowLabels()).toEqual(lab.map((r) => r.label));
    // The choice stays while the user looks at another mode.
    sort('retransmissions');
    fireEvent.click(screen.getByRole('tab', { name: 'Receive' }));
    fireEvent.click(screen.getByRole('tab', { name: 'Send' }));
    expect((screen.getByLabelText('Sort by') as HTMLSelectElement).value).toBe('retransmissions');
  });

  it('reads the summary out when receivers finish or fail, not at every retransmission', async () => {
    const { agg, push, rest } = await openWithLab();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    push();
    const said = (): string => screen.getByTestId('receiver-summary-announced').textContent ?? '';
    // One more receiver retransmitting: the line changes, nothing is read.
    agg.apply({ type: 'timeout', t: 3500, seq: 4, receiver: 0 });
    agg.apply({ type: 'send', t: 3500, seq: 4, receiver: 0, retransmission: true });
    push();
    expect(line()).toBe('0/30 done, 3 retransmitting, 0 failed, 27 waiting');
    act(() => void vi.advanceTimersByTime(5000));
    expect(said()).toBe('');
    rest();
    push();
    act(() => void vi.advanceTimersByTime(999));
    expect(said()).toBe('');
    act(() => void vi.advanceTimersByTime(1));
    expect(said()).toBe('27/30 done, 2 retransmitting, 1 failed');
  });
});
