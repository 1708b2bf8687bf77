import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/App';
import {
  activePreset,
  CLEAN_NETWORK,
  NETWORK_PRESETS,
} from '../../src/renderer/components/demo/networkPresets';
import { ReceiverAggregator } from '../../src/shared/live/receiverView';
import type { DemoNetwork } from '../../src/shared/contract';
import { impairmentProblems, zeroCounters, type RelayStats } from '../../src/shared/network/impairments';
import { installFakeApi } from './fakeApi';
import { resetAfterEach } from './setup';

resetAfterEach();

const sample = {
  path: '/tmp/p2mp-sample.txt',
  name: 'p2mp-sample.txt',
  size: 204800,
  sha256: 'ef'.repeat(32),
};

describe('demo network presets', () => {
  it.each([50, 100, 1000])('are valid impairments and recognised as active (timeout %i ms)', (timeoutMs) => {
    for (const preset of NETWORK_PRESETS) {
      const made = preset.make(timeoutMs);
      expect(impairmentProblems(made.forward)).toEqual([]);
      expect(impairmentProblems(made.backward)).toEqual([]);
      expect(activePreset({ ...CLEAN_NETWORK, ...made }, timeoutMs)?.id).toBe(preset.id);
    }
    // The slow link's round trip is longer than the timeout on average.
    const slow = NETWORK_PRESETS.find((p) => p.id === 'slow')!.make(timeoutMs);
    expect(slow.forward.delayMs + slow.backward.delayMs).toBeGreaterThan(timeoutMs);
  });
});

describe('local demo with the simulated network', () => {
  it('one click on a preset enables it; the demo starts with it; changes apply live', async () => {
    const api = installFakeApi();
    api.answers['demo:start'] = () => ({
      file: sample,
      receivers: [0, 1, 2].map((i) => ({ address: `127.0.0.${i + 2}`, port: 7735 })),
      relays: [0, 1, 2].map((i) => ({ address: `127.0.1.${i + 2}`, port: 7735, seed: 9 + i })),
    });
    render(<App />);
    const panel = await screen.findByTestId('network-panel');
    const enabled = within(panel).getByLabelText(/Simulate a network/) as HTMLInputElement;
    expect(enabled.checked).toBe(false);
    fireEvent.click(within(panel).getByRole('button', { name: 'Corrupting link' }));
    expect(enabled.checked).toBe(true);
    expect(within(panel).getByRole('button', { name: 'Corrupting link' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(within(panel).getByText(/fails the checksum/)).toBeTruthy();
    expect((within(panel).getByLabelText(/Corruption \(data/) as HTMLInputElement).value).toBe('0.05');

    fireEvent.click(screen.getByRole('button', { name: 'Start demo' }));
    expect(await screen.findByText(/through the simulated network/)).toBeTruthy();
    const payload = api.calls.find((c) => c.channel === 'demo:start')!.payload as { network: DemoNetwork };
    expect(payload.network.forward.corrupt).toBe(0.05);
    expect(payload.network.backward.corrupt).toBe(0);
    expect(payload.network.seed).toBeNull();
    // The receivers' cards say which relay stands in front of them.
    expect(screen.getByText('via relay 127.0.1.3:7735')).toBeTruthy();

    // Live: the ACK direction's duplication, changed while the demo runs, goes to main at once.
    api.push({
      senders: {
        demo: {
          snapshot: {
            running: true,
            fileSize: 1,
            mss: 500,
            chunks: 1,
            chunksDone: 0,
            bytesDone: 0,
            timeoutMs: 100,
            profile: 'standard',
            t: 0,
            receivers: [],
            result: null,
            error: null,
            recorded: 0,
            recordingTruncated: false,
          },
          timeouts: [],
          timeoutsDropped: 0,
          timeline: [],
          timelineDropped: 0,
          spans: [],
          fresh: true,
        },
      },
      receivers: {},
    });
    fireEvent.click(within(panel).getByLabelText(/ACKs \(receivers → sender\)/));
    fireEvent.change(within(panel).getByLabelText(/Duplication \(ACK/), { target: { value: '0.3' } });
    await waitFor(() => {
      const live = api.calls.filter((c) => c.channel === 'demo:set-network');
      expect(live.at(-1)?.payload).toMatchObject({
        backward: { duplicate: 0.3 },
        forward: { corrupt: 0.05 },
      });
    });
    // A value the relay would refuse is shown as a problem and never sent.
    const sentBefore = api.calls.length;
    fireEvent.change(within(panel).getByLabelText(/Delay \(ACK/), { target: { value: '70000' } });
    expect(within(panel).getByText(/must be a number from 0 to 60000/)).toBeTruthy();
    expect(api.calls.slice(sentBefore).some((c) => c.channel === 'demo:set-network')).toBe(false);
  });

  // Lossy Wi-Fi: "Loss (data) 3.0 %" and, under the bursts, "about 3.3 % lost on average": the two add up (about
  // 6.2 %), which nothing said, and a class reading either figure expected half the losses it saw.
  it("says what the loss and the bursts lose together, not only the bursts' share", async () => {
    installFakeApi();
    render(<App />);
    const panel = await screen.findByTestId('network-panel');
    fireEvent.click(within(panel).getByRole('button', { name: 'Lossy Wi-Fi' }));
    expect(within(panel).getByTestId('burst-loss').textContent).toBe(
      'bursts: about 3.3 % lost on average, in bursts of about 2.5 packets; with the 3.0 % above, about 6.2 % in all',
    );
  });

  it('shows each relay next to its receiver: corrupted vs checksum failures, duplicated vs re-ACKed', async () => {
    const api = installFakeApi();
    render(<App />);
    await screen.findByTestId('network-panel');
    const agg = new ReceiverAggregator();
    const relay: RelayStats = {
      seed: 77,
      clients: 1,
      inFlight: 0,
      forward: {
        ...zeroCounters(),
        received: 60,
        forwarded: 64,
        duplicated: 6,
        corrupted: 3,
        corruptedForwarded: 3,
      },
      backward: { ...zeroCounters(), received: 57, forwarded: 57, dropped: 2 },
    };
    agg.relayStats = () => relay;
    agg.apply({ type: 'listening', t: 0, address: '127.0.0.2', port: 7735, p: 0, profile: 'standard' });
    const from = '127.0.1.2:40000';
    for (let i = 0; i < 3; i++) agg.apply({ type: 'packet', t: 1, outcome: 'corrupt', bytes: 0, from });
    for (let i = 0; i < 8; i++)
      agg.apply({ type: 'packet', t: 1, outcome: 'duplicate', seq: 1, bytes: 0, from });
    api.push({ senders: {}, receivers: { 'demo-0': agg.take() } });
    const card = screen.getByTestId('relay-counters-0');
    expect(within(card).getByText(/seed 77/)).toBeTruthy();
    expect(within(card).getByTestId('relay-corrupted').textContent).toBe('3');
    expect(within(card).getByTestId('receiver-checksum-failures').textContent).toBe(
      '3 failed the checksum ✓ every corrupted copy caught',
    );
    expect(within(card).getByTestId('relay-duplicated').textContent).toBe('6');
    expect(within(card).getByTestId('receiver-duplicates').textContent).toBe('8 duplicates re-ACKed');
    // 8 duplicates, 6 of them the relay's copies: 2 came from retransmissions that were not needed.
    expect(within(card).getByTestId('relay-resends').textContent).toMatch(/^0 retransmissions, 2 not needed/);
    expect(within(card).getByRole('table')).toBeTruthy();
  });

  it('says "1 duplicate re-ACKed", not "1 duplicates"', async () => {
    const api = installFakeApi();
    render(<App />);
    await screen.findByTestId('network-panel');
    const agg = new ReceiverAggregator();
    const relay: RelayStats = {
      seed: 1,
      clients: 1,
      inFlight: 0,
      forward: { ...zeroCounters(), received: 5, forwarded: 6, duplicated: 1 },
      backward: { ...zeroCounters(), received: 5, forwarded: 5 },
    };
    agg.relayStats = () => relay;
    agg.apply({ type: 'listening', t: 0, address: '127.0.0.2', port: 7735, p: 0, profile: 'standard' });
    agg.apply({ type: 'packet', t: 1, outcome: 'duplicate', seq: 1, bytes: 0, from: '127.0.1.2:40000' });
    api.push({ senders: {}, receivers: { 'demo-0': agg.take() } });
    const card = screen.getByTestId('relay-counters-0');
    expect(within(card).getByTestId('receiver-duplicates').textContent).toBe('1 duplicate re-ACKed');
  });
});
