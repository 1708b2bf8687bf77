// Compare's lanes on screen: each says its sender window in words under its diagram (as the band in the diagram
// draws it), and the legend explains the band.
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/App';
import type { CompareLaneBatch } from '../../src/shared/contract';
import type { SenderEvent } from '../../src/shared/events';
import { SenderAggregator } from '../../src/shared/live/senderView';
import { endpoints, startOfTen } from './batches';
import { installFakeApi } from './fakeApi';
import { resetAfterEach } from './setup';

resetAfterEach();

/** A lane of 10 segments: W of them sent (stop-and-wait: 1) to every receiver, and segment 1 ACKed by all at 20 ms. */
function lane(protocol: 'saw' | 'gbn', window: number | null, spans: number[]): CompareLaneBatch {
  const agg = new SenderAggregator();
  const events: SenderEvent[] = [startOfTen(protocol, window ?? undefined)];
  for (let seq = 1; seq <= (window ?? 1); seq++)
    for (const r of endpoints)
      events.push({ type: 'send', t: seq, seq, receiver: r.id, retransmission: false });
  for (const r of endpoints) events.push({ type: 'ack', t: 20, seq: 1, receiver: r.id, rttMs: 19 });
  events.forEach((e) => agg.apply(e));
  return { protocol, window, sender: { ...agg.take(), spans }, result: null, error: null };
}

describe('compare mode', () => {
  it("says each lane's sender window under its diagram, and the legend explains the band", async () => {
    const api = installFakeApi({ mode: 'compare' });
    render(<App />);
    await screen.findByRole('heading', { name: 'Compare protocols' });
    // prettier-ignore
    const gbn = [1, 1, 20, 2, 2, -1, 3, 3, -1, 4, 4, -1];
    api.push({
      senders: {},
      receivers: {},
      compare: {
        fresh: true,
        running: true,
        lanes: [lane('saw', null, [1, 1, 20]), lane('gbn', 4, gbn)],
      },
    });
    const lines = await screen.findAllByText(/^Sender window/);
    expect(lines.map((l) => l.textContent)).toEqual([
      'Sender window (W = 1): segment 2: 2 usable, not sent yet',
      'Sender window (W = 4): segments 2–5: 2–4 sent, not yet ACKed by all; 5 usable, not sent yet',
    ]);
    expect(lines[1]!.dataset['slots']).toBe('outstanding outstanding outstanding usable');
    // Above each diagram, its state line: stop-and-wait's segment and timer, a windowed lane's window (it was
    // left blank beside stop-and-wait's line).
    const state = (): (string | null)[] =>
      screen.getAllByTestId('timeline-current').map((l) => l.firstElementChild!.textContent);
    await waitFor(() =>
      expect(state()).toEqual([
        'Segment 1 · timer stopped · every ACK in',
        'Window 2–5 (W = 4): 2–4 sent, awaiting ACKs · 5 usable',
      ]),
    );
    expect(screen.getByText(/sender window, left of the sender's line: W slots from its base/)).toBeTruthy();
  });

  it('sizes the lanes to the screen in projector view chosen before the first lanes came', async () => {
    const api = installFakeApi({ mode: 'compare' });
    const { container } = render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Hide settings (projector)' }));
    api.push({
      senders: {},
      receivers: {},
      compare: { fresh: true, running: true, lanes: [lane('saw', null, [1, 1, 20])] },
    });
    await screen.findAllByText(/^Sender window/);
    // Measured where the lanes start (jsdom lays nothing out: 0 px), as styles.css needs to fill the screen.
    const lanes = container.querySelector<HTMLElement>('.compare-lanes')!;
    await waitFor(() => expect(lanes.style.getPropertyValue('--lanes-top')).toBe('0px'));
    fireEvent.click(screen.getByRole('button', { name: 'Show settings' }));
    await waitFor(() => expect(lanes.style.getPropertyValue('--lanes-top')).toBe(''));
  });
});
