import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/App';
import { ReceiverAggregator } from '../../src/shared/live/receiverView';
import { SenderAggregator } from '../../src/shared/live/senderView';
import { endpoints } from './batches';
import { installFakeApi } from './fakeApi';
import { resetAfterEach } from './setup';

resetAfterEach();

/** The demo started from its form (with the simulated network's relays when given), its sender started: the sender. */
async function startedDemo(relays = false) {
  const api = installFakeApi();
  api.answers['demo:start'] = () => ({
    file: { path: '/tmp/p2mp-sample.txt', name: 'p2mp-sample.txt', size: 500, sha256: 'ef'.repeat(32) },
    receivers: [],
    ...(relays
      ? { relays: [0, 1, 2].map((i) => ({ address: `127.0.1.${i + 2}`, port: 7735, seed: 9 + i })) }
      : {}),
  });
  render(<App />);
  fireEvent.click(await screen.findByRole('button', { name: 'Start demo' }));
  await screen.findByText(/Sending p2mp-sample.txt/);
  const sender = new SenderAggregator();
  const start = { type: 'start', t: 0, fileSize: 500, mss: 500, chunks: 1, timeoutMs: 100 } as const;
  sender.apply({ ...start, profile: 'standard', receivers: endpoints });
  return { api, sender };
}

describe('local demo mode', () => {
  it('starts 1-8 receivers, each with its own p, sending the bundled sample', async () => {
    const api = installFakeApi();
    api.answers['demo:start'] = () => ({
      file: { path: '/tmp/p2mp-sample.txt', name: 'p2mp-sample.txt', size: 204800, sha256: 'ef'.repeat(32) },
      receivers: [],
    });
    render(<App />);
    const count = await screen.findByLabelText('Receivers');
    expect(screen.getAllByRole('slider')).toHaveLength(3);
    fireEvent.change(count, { target: { value: '9' } });
    expect(screen.getByText('1 to 8 receivers')).toBeTruthy();
    // While the field shows a value it refused, Start would run another: it waits, and says why.
    const startDemo = screen.getByRole('button', { name: 'Start demo' }) as HTMLButtonElement;
    expect(startDemo.disabled).toBe(true);
    expect(screen.getByText('Correct the value marked above first.')).toBeTruthy();
    fireEvent.change(count, { target: { value: '5' } });
    expect(startDemo.disabled).toBe(false);
    expect(screen.queryByText('Correct the value marked above first.')).toBeNull();
    expect(screen.getAllByRole('slider')).toHaveLength(5);
    fireEvent.change(screen.getByLabelText(/p for receiver 5/), { target: { value: '0.5' } });

    fireEvent.click(screen.getByRole('button', { name: 'Start demo' }));
    expect(await screen.findByText(/Sending p2mp-sample.txt/)).toBeTruthy();
    expect(api.calls.find((c) => c.channel === 'demo:start')!.payload).toEqual({
      file: null,
      loss: [0.05, 0.1, 0.2, 0.2, 0.5],
      mss: 500,
      timeoutMs: 100,
      profile: 'standard',
      protocol: 'saw',
      window: 8,
      port: 7735,
    });
    fireEvent.change(screen.getByLabelText(/p for receiver 2/), { target: { value: '0.3' } });
    await waitFor(() =>
      expect(api.calls).toContainEqual({ channel: 'demo:set-loss', payload: { index: 1, p: 0.3 } }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(api.calls.some((c) => c.channel === 'demo:stop')).toBe(true));
  });

  it('needs a file when not using the sample', async () => {
    installFakeApi();
    render(<App />);
    fireEvent.click(await screen.findByLabelText(/A file of my own/));
    expect((screen.getByRole('button', { name: 'Start demo' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Choose file…' })).toBeTruthy();
  });

  it('says "Sent" once the transfer is done, and a receiver that stopped is "stopped", not "not started"', async () => {
    const { api, sender } = await startedDemo();
    const summary = {
      acks: 2,
      timeouts: 0,
      retransmissions: 0,
      keepalives: 0,
      rtt: null,
      bytes: 500,
      timeMs: 9,
    };
    const receivers = endpoints.map((receiver) => ({ receiver, state: 'done' as const, ...summary }));
    const result = { ok: true, cancelled: false, fileSize: 500, mss: 500, chunks: 1, timeoutRounds: 0 };
    sender.apply({ type: 'done', t: 10, result: { ...result, timeoutMs: 100, durationMs: 10, receivers } });
    const receiver = new ReceiverAggregator();
    receiver.apply({ type: 'listening', t: 0, address: '127.0.0.2', port: 7735, p: 0, profile: 'standard' });
    api.push({ senders: { demo: sender.take() }, receivers: { 'demo-0': receiver.take() } });
    expect(await screen.findByText(/^Sent p2mp-sample.txt/)).toBeTruthy();
    // Without the simulated network nothing is lost mid-way: the legend does not name such losses.
    expect(screen.getByText(/a packet in flight/)).toBeTruthy();
    expect(screen.queryByText(/lost mid-way in the simulated network/)).toBeNull();
    expect(screen.getByTestId('demo-receiver-0').textContent).toContain('127.0.0.2:7735');
    receiver.apply({ type: 'stopped', t: 20, counters: receiver.take().snapshot.counters });
    api.push({ senders: {}, receivers: { 'demo-0': receiver.take() } });
    // Stopped, its address still told (the cards stop one by one: none loses what the others still show), and
    // its state line says so ("receiving" no more).
    const card = screen.getByTestId('demo-receiver-0');
    await waitFor(() => expect(card.querySelector('.card-state')!.textContent).toBe('stopped'));
    expect(card.querySelector('.address')!.textContent).toBe('127.0.0.2:7735');
    expect(screen.getByTestId('demo-receiver-1').textContent).toContain('not started');
  });

  it('names losses in the simulated network in the legend only when the demo runs with it', async () => {
    const { api, sender } = await startedDemo(true);
    api.push({ senders: { demo: sender.take() }, receivers: {} });
    expect(await screen.findByText(/lost mid-way in the simulated network/)).toBeTruthy();
  });

  // A teacher in step mode clicked a packet of the demo started with its defaults: nothing happened, and nothing
  // said that click to lose needs the simulated network.
  it('at a teaching pace without the simulated network, says that click to lose needs it', async () => {
    const { api, sender } = await startedDemo();
    api.push({ senders: { demo: sender.take() }, receivers: {} });
    await screen.findByTestId('timeline-canvas');
    const needs = /^Click to lose needs the simulated network/;
    expect(screen.queryByText(needs)).toBeNull(); // at full speed there is nothing to click
    fireEvent.click(screen.getByLabelText('Step'));
    expect(await screen.findByText(needs)).toBeTruthy();
    expect(screen.queryByText(/^Click to lose: click a packet/)).toBeNull();
  });
});
