// Receive mode while a file comes in: its name, size, bytes so far, percentage and rate, and never "100%" before
// the file is checked and kept.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/App';
import { ReceiverAggregator } from '../../src/shared/live/receiverView';
import { installFakeApi } from './fakeApi';
import { resetAfterEach } from './setup';

resetAfterEach();

const FROM = '10.0.0.7:4000';

/** Receive mode listening, its receiver's events folded as the main process does, each fold shown. */
async function listening() {
  const api = installFakeApi({ mode: 'receive', saveFolder: '/home/me/inbox' });
  api.answers['receive:start'] = () => ({ address: '0.0.0.0', port: 7735, seed: 1, announcedAs: null });
  render(<App />);
  fireEvent.click(await screen.findByRole('button', { name: 'Start listening' }));
  await waitFor(() => expect(api.calls.some((c) => c.channel === 'receive:start')).toBe(true));
  const agg = new ReceiverAggregator();
  agg.apply({ type: 'listening', t: 0, address: '0.0.0.0', port: 7735, profile: 'standard', p: 0.3 });
  const show = (): void => api.push({ senders: {}, receivers: { receive: agg.take() } });
  const written = (t: number, bytes: number): void =>
    agg.apply({ type: 'packet', t, seq: t, outcome: 'written', bytes, from: FROM });
  return { agg, show, written };
}

const incoming = (): HTMLElement => screen.getByRole('region', { name: 'Incoming file' });

describe('the file coming in', () => {
  it('shows the name it is saved as, its size, bytes so far, percentage and rate; "verifying", never 100%, before it is kept', async () => {
    const { agg, show, written } = await listening();
    agg.apply({
      type: 'transfer-start',
      t: 0,
      from: FROM,
      path: '/home/me/inbox/lab handout.pdf',
      offered: true,
      size: 400_000,
    });
    written(10_000, 120_000);
    show();
    const region = await screen.findByRole('region', { name: 'Incoming file' });
    expect(within(region).getByRole('heading').textContent).toBe('Receiving lab handout.pdf');
    const bar = within(region).getByRole('progressbar', { name: 'Receiving lab handout.pdf' });
    expect(bar.getAttribute('aria-valuenow')).toBe('30');
    expect(region.textContent).toContain('30.0%');
    expect(screen.getByTestId('incoming-bytes').textContent).toBe('117.2 KiB of 390.6 KiB');
    // 12,000 bytes a second.
    expect(region.textContent).toContain('Rate96.0 kbit/s');

    // Every byte in, the end marker not yet: short of 100%.
    written(20_000, 280_000);
    show();
    await waitFor(() =>
      expect(screen.getByTestId('incoming-bytes').textContent).toBe('390.6 KiB of 390.6 KiB'),
    );
    expect(incoming().textContent).toContain('99.9%');
    expect(incoming().textContent).not.toContain('100');
    expect(within(incoming()).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('99');

    agg.apply({ type: 'verifying', t: 20_001 });
    show();
    await waitFor(() =>
      expect(incoming().textContent).toContain(
        'All of it received: verifying its SHA-256 against the offer before keeping it.',
      ),
    );
    expect(incoming().textContent).not.toContain('100');

    agg.apply({
      type: 'complete',
      t: 20_050,
      file: {
        path: '/home/me/inbox/lab handout.pdf',
        bytes: 400_000,
        sha256: 'ab'.repeat(32),
        durationMs: 20_050,
        from: FROM,
        endedBy: 'marker',
        verified: true,
        offeredName: 'lab handout.pdf',
      },
    });
    show();
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Incoming file' })).toBeNull());
    expect(screen.getByText('✓ Verified: its SHA-256 matches the one the sender offered')).toBeTruthy();
  });

  it('from a course sender, which sends no size: bytes and rate, no percentage, and says the size is unknown', async () => {
    const { agg, show, written } = await listening();
    agg.apply({ type: 'transfer-start', t: 0, from: FROM, path: '/home/me/inbox/received-1' });
    written(2_000, 50_000);
    show();
    const region = await screen.findByRole('region', { name: 'Incoming file' });
    expect(within(region).getByRole('heading').textContent).toBe('Receiving received-1');
    expect(within(region).queryByRole('progressbar')).toBeNull();
    expect(region.textContent).not.toContain('%');
    expect(screen.getByTestId('incoming-bytes').textContent).toBe('48.8 KiB');
    expect(region.textContent).toContain('Rate200.0 kbit/s');
    expect(region.textContent).toContain('Size unknown: a course sender does not say how large its file is.');
  });
});
