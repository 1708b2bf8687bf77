// The timeline's controls against the fake bridge: teaching pace reaches main on the right channels, and a
// recording opens in replay mode (or its error is shown).
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/App';
import { useAppStore } from '../../src/renderer/store/appStore';
import type { Recording } from '../../src/shared/live/recording';
import { TimelineKind as K } from '../../src/shared/live/timeline';
import { midTransfer } from './batches';
import { installFakeApi } from './fakeApi';
import { resetAfterEach } from './setup';

resetAfterEach();

describe('timeline', () => {
  it('switches the teaching pace before and during a demo, and steps one round per click', async () => {
    const api = installFakeApi();
    render(<App />);
    fireEvent.click(await screen.findByLabelText('Step'));
    const paceCalls = () => api.calls.filter((c) => c.channel === 'pace:set').map((c) => c.payload);
    await waitFor(() =>
      expect(paceCalls()).toEqual([{ source: 'demo', pace: { mode: { kind: 'step' }, paused: false } }]),
    );
    const next = () => screen.getByRole('button', { name: 'Next round' }) as HTMLButtonElement;
    expect(next().disabled).toBe(true); // nothing running yet

    api.push({ senders: { demo: midTransfer() }, receivers: {} });
    expect(next().disabled).toBe(false);
    fireEvent.click(next());
    await waitFor(() =>
      expect(api.calls).toContainEqual({ channel: 'pace:step', payload: { source: 'demo' } }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(next().disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Slow motion'));
    await waitFor(() =>
      expect(paceCalls().at(-1)).toEqual({
        source: 'demo',
        pace: { mode: { kind: 'slow', roundsPerSecond: 1 }, paused: true },
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(paceCalls().at(-1)).toMatchObject({ pace: { paused: false } }));
    // In slow motion Next round does what its keys do: it switches to step (it looked disabled there).
    expect(next().disabled).toBe(false);
    expect(next().title).toBe('Switches to step mode: each round then waits for Next round');
    fireEvent.click(next());
    await waitFor(() =>
      expect(paceCalls().at(-1)).toEqual({ source: 'demo', pace: { mode: { kind: 'step' }, paused: false } }),
    );
    fireEvent.click(screen.getByLabelText('Slow motion'));
    // The diagram's words: 12 first sends, 3 retransmissions, 9 ACKs, 3 timeouts.
    await waitFor(() =>
      expect(screen.getByTestId('timeline-totals').textContent).toMatch(
        /^15 data packets \(3 retransmissions\), 9 ACKs, 0 drops, 3 timeouts in \d+ transmission rounds, over 0\.50 s\.$/,
      ),
    );
  });

  it("a window protocol's live diagram leaves out the rounds it cannot count (a go-back is one of the sender's)", async () => {
    const api = installFakeApi();
    render(<App />);
    api.push({ senders: { demo: midTransfer('gbn') }, receivers: {} });
    await waitFor(() =>
      expect(screen.getByTestId('timeline-totals').textContent).toBe(
        '15 data packets (3 retransmissions), 9 ACKs, 0 drops, 3 timeouts, over 0.50 s.',
      ),
    );
    // The same session by stop-and-wait: one round per chunk sent, or resent, to the receivers that need it.
    api.push({ senders: { demo: midTransfer('saw') }, receivers: {} });
    await waitFor(() =>
      expect(screen.getByTestId('timeline-totals').textContent).toMatch(
        /^15 data packets \(3 retransmissions\), 9 ACKs, 0 drops, 3 timeouts in \d+ transmission rounds, over 0\.50 s\.$/,
      ),
    );
  });

  it("a window protocol's state line tells its sender window, live and in its replay, and the band is drawn", async () => {
    const api = installFakeApi();
    render(<App />);
    // Segments 1-3 ACKed by everyone, 4 still owed by gamma (its timer expired at 500 ms).
    api.push({ senders: { demo: midTransfer('gbn', 4) }, receivers: {} });
    // The line on screen (the same words are read out once, from a hidden copy).
    const line = () => screen.getByTestId('timeline-current').firstElementChild!.textContent;
    await waitFor(() => expect(line()).toBe('Window 4–7 (W = 4): 4 sent, awaiting ACKs · 5–7 usable'));
    expect(Number(screen.getByTestId('timeline-canvas').dataset['windowRows'])).toBeGreaterThan(0);

    // Replayed: the window at the cursor, its spans read off the recording's sends and ACKs.
    cleanup();
    const replayApi = installFakeApi({ mode: 'replay' });
    replayApi.answers['recording:open'] = (): Recording => ({
      session: {
        source: 'demo',
        fileSize: 1000,
        mss: 500,
        chunks: 2,
        timeoutMs: 100,
        profile: 'standard',
        receivers: [{ id: 0, label: 'alpha:7735', address: '127.0.0.2', port: 7735 }],
        protocol: 'gbn',
        window: 2,
      },
      outcome: { ok: true, cancelled: false, durationMs: 130 },
      truncated: false,
      // prettier-ignore
      events: [0, K.send, 1, 0, 0, K.send, 2, 0, 5, K.drop, 1, 0, 6, K.ack, 0, 0, 100, K.timeout, 1, 0,
        100, K.resend, 1, 0, 100, K.resend, 2, 0, 101, K.ack, 2, 0, 101, K.send, 3, 0, 102, K.ack, 3, 0],
    });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Open recording…' }));
    await waitFor(() => expect(line()).toBe('Window (W = 2) empty: every segment ACKed by every receiver'));
    fireEvent.change(screen.getByLabelText('Position'), { target: { value: '50' } });
    await waitFor(() => expect(line()).toBe('Window 1–2 (W = 2): 1–2 sent, awaiting ACKs'));
    fireEvent.change(screen.getByLabelText('Position'), { target: { value: '101' } });
    await waitFor(() => expect(line()).toBe('Window 3 (W = 2): 3 sent, awaiting ACKs'));
  });

  it("explains Selective Repeat's marks in a replay of Selective Repeat only, and in its presenter mode; the network's losses where it lost something", async () => {
    const api = installFakeApi({ mode: 'replay' });
    const session: Recording['session'] = {
      source: 'send',
      fileSize: 500,
      mss: 500,
      chunks: 1,
      timeoutMs: 100,
      profile: 'standard',
      receivers: [{ id: 0, label: '127.0.0.2:7735', address: '127.0.0.2', port: 7735 }],
    };
    render(<App />);
    const legend = (): string => document.querySelector('.timeline-legend')?.textContent ?? '';
    for (const protocol of ['saw', 'sr'] as const) {
      // Selective Repeat's recording lost its first ACK in the simulated network (the demo with it on).
      const lost = protocol === 'sr';
      api.answers['recording:open'] = (): Recording => ({
        session: { ...session, protocol, ...(protocol === 'sr' ? { window: 4 } : {}) },
        outcome: { ok: true, cancelled: false, durationMs: 20 },
        truncated: false,
        events: lost
          ? [0, K.send, 1, 0, 5, K.netAckLoss, 1, 0, 100, K.resend, 1, 0, 110, K.ack, 1, 0]
          : [0, K.send, 1, 0, 10, K.ack, 1, 0],
      });
      fireEvent.click(await screen.findByRole('button', { name: 'Open recording…' }));
      await waitFor(() => expect(legend()).toContain('retransmission timer'));
      expect(legend().includes('fast retransmission')).toBe(protocol === 'sr');
      expect(legend().includes('one per segment')).toBe(protocol === 'sr');
      expect(legend().includes('lost mid-way in the simulated network')).toBe(lost);
      fireEvent.keyDown(document.body, { key: 'p' });
      await screen.findByTestId('presenter');
      expect(legend().includes('fast retransmission')).toBe(protocol === 'sr');
      expect(legend().includes('lost mid-way in the simulated network')).toBe(lost);
      fireEvent.keyDown(document.body, { key: 'Escape' });
    }
  });

  it('opens a recording in replay mode, or says why it cannot', async () => {
    const api = installFakeApi({ mode: 'replay' });
    const recording: Recording = {
      session: {
        source: 'demo',
        fileSize: 500,
        mss: 500,
        chunks: 1,
        timeoutMs: 100,
        profile: 'standard',
        receivers: [{ id: 0, label: 'alpha:7735', address: '127.0.0.2', port: 7735 }],
      },
      outcome: { ok: true, cancelled: false, durationMs: 120 },
      truncated: false,
      events: [0, K.send, 1, 0, 5, K.drop, 1, 0, 100, K.timeout, 1, 0, 100, K.resend, 1, 0, 101, K.ack, 1, 0],
    };
    api.answers['recording:open'] = () => {
      throw new Error('cannot open /x.p2mptl: not a P2MP-FTP timeline recording');
    };
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Open recording…' }));
    expect(await screen.findByText('cannot open /x.p2mptl: not a P2MP-FTP timeline recording')).toBeTruthy();

    api.answers['recording:open'] = () => ({
      ...recording,
      session: { ...recording.session, protocol: 'gbn' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Open recording…' }));
    await waitFor(() =>
      expect(screen.getByTestId('timeline-totals').textContent).toBe(
        // Go-Back-N: the diagram cannot count the sender's rounds (a go-back is one), so it leaves them out.
        '2 data packets (1 retransmission), 1 ACK, 1 drop, 1 timeout, over 0.10 s.',
      ),
    );
    expect(screen.getByText('alpha:7735')).toBeTruthy();
    expect(screen.getByText('Go-Back-N')).toBeTruthy(); // the protocol it was sent with
    // Nor stop-and-wait's state line: one segment, one timer and who owes its ACK are not a window's state (a
    // Selective Repeat demo read "Segment 1 · timer stopped · every ACK in" with segments 5 to 8 still owed).
    expect(screen.getByTestId('timeline-current').textContent).toBe('');
    // A replay draws every arrow whole: its legend tells of flights past, none "really flying as long as drawn".
    const legend = document.querySelector('.timeline-legend')!.textContent!;
    expect(legend).toContain('Flights took microseconds on loopback');
    expect(legend).not.toContain('really flies');
    // Selective Repeat's marks are explained only where they can be drawn (its recordings).
    expect(legend).not.toContain('fast retransmission');
    expect(legend).not.toContain('one per segment');
    fireEvent.change(screen.getByLabelText('Position'), { target: { value: '50' } });
    await waitFor(
      () => expect(screen.getByTestId('timeline-totals').dataset['events']).toBe('2'), // send and drop
    );
    // One event at a time, both ways: the timeout and the resend share a time, so they are one step.
    const events = () => screen.getByTestId('timeline-totals').dataset['events'];
    const time = () => screen.getByText(/ \/ 0\.12 s$/).textContent;
    const next = screen.getByRole('button', { name: 'Next event ▶' });
    const previous = screen.getByRole('button', { name: '◀ Previous event' });
    fireEvent.click(next);
    await waitFor(() => expect(events()).toBe('4'));
    expect(time()).toBe('0.10 / 0.12 s');
    fireEvent.click(next);
    await waitFor(() => expect(events()).toBe('5'));
    expect(time()).toBe('0.10 / 0.12 s'); // the ACK at 101 ms
    fireEvent.click(next);
    await waitFor(() => expect(time()).toBe('0.12 / 0.12 s')); // the end
    expect((next as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(previous);
    await waitFor(() => expect(events()).toBe('5'));
    for (const [count, left] of [
      ['4', '0.10'],
      ['2', '0.01'],
      ['1', '0.00'],
    ] as const) {
      fireEvent.click(previous);
      await waitFor(() => expect(events()).toBe(count));
      expect(time()).toBe(`${left} / 0.12 s`);
    }
    fireEvent.click(previous); // before the first event: 0
    await waitFor(() => expect((previous as HTMLButtonElement).disabled).toBe(true));
    // From the keyboard or a presenter clicker: PageDown and PageUp step, B plays; not while typing in a field.
    fireEvent.keyDown(document.body, { key: 'PageDown' });
    await waitFor(() => expect(time()).toBe('0.01 / 0.12 s'));
    fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    await waitFor(() => expect(time()).toBe('0.10 / 0.12 s'));
    fireEvent.keyDown(document.body, { key: 'PageUp' });
    await waitFor(() => expect(time()).toBe('0.01 / 0.12 s'));
    fireEvent.keyDown(screen.getByLabelText('Speed'), { key: 'PageDown' });
    expect(time()).toBe('0.01 / 0.12 s');
    fireEvent.keyDown(document.body, { key: 'b' });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy());
    fireEvent.keyDown(document.body, { key: 'B' });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Play' })).toBeTruthy());

    // Scrolled back in a long recording, then another opened: the view follows its cursor again, not the
    // stretch of time scrolled to in the first (the second's diagram was empty).
    const long: Recording = {
      ...recording,
      outcome: { ok: true, cancelled: false, durationMs: 10_000 },
      events: Array.from({ length: 100 }, (_, i) => [i * 100, K.send, i + 1, 0]).flat(),
    };
    api.answers['recording:open'] = () => long;
    fireEvent.click(screen.getByRole('button', { name: 'Open recording…' }));
    await waitFor(() => expect(screen.getByTestId('timeline-totals').dataset['events']).toBe('100'));
    const follow = () => screen.getByRole('button', { name: 'Follow cursor' }).getAttribute('aria-pressed');
    fireEvent.keyDown(screen.getByTestId('timeline-canvas'), { key: 'Home' });
    await waitFor(() => expect(follow()).toBe('false'));
    api.answers['recording:open'] = () => recording;
    fireEvent.click(screen.getByRole('button', { name: 'Open recording…' }));
    await waitFor(() => expect(screen.getByTestId('timeline-totals').dataset['events']).toBe('5'));
    expect(follow()).toBe('true');
    // Stop-and-wait's recording tells it, at its end: the segment, its timer stopped, every ACK in.
    expect(screen.getByTestId('timeline-current').textContent).toMatch(
      /^Segment 1 · timer stopped · every ACK in/,
    );
    // Before its first segment (the same transfer, its offer taking 5 ms): said so, not a blank line.
    const offered = { ...recording, events: recording.events.map((v, i) => (i % 4 === 0 ? v + 5 : v)) };
    api.answers['recording:open'] = () => offered;
    fireEvent.click(screen.getByRole('button', { name: 'Open recording…' }));
    await waitFor(() => expect(screen.getByTestId('timeline-totals').dataset['events']).toBe('5'));
    fireEvent.change(screen.getByLabelText('Position'), { target: { value: '0' } });
    await waitFor(() => expect(screen.getByTestId('timeline-totals').dataset['events']).toBe('0'));
    await waitFor(() =>
      expect(screen.getByTestId('timeline-current').firstElementChild!.textContent).toBe('Nothing sent yet'),
    );

    // Playing, into its presenter mode and out: it plays on; leaving the Replay tab pauses it (coming back to it
    // later, it does not run off by itself). The long one: 40 s of playing at 0.25x, it is not over by itself.
    api.answers['recording:open'] = () => long;
    fireEvent.click(screen.getByRole('button', { name: 'Open recording…' }));
    await waitFor(() => expect(screen.getByTestId('timeline-totals').dataset['events']).toBe('100'));
    fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    await waitFor(() => expect(useAppStore.getState().replayPlaying).toBe(true));
    fireEvent.keyDown(document.body, { key: 'p' });
    await screen.findByTestId('presenter');
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await screen.findByRole('button', { name: 'Open recording…' });
    expect(useAppStore.getState().replayPlaying).toBe(true);
    fireEvent.click(screen.getByRole('tab', { name: 'Local demo' }));
    await waitFor(() => expect(useAppStore.getState().replayPlaying).toBe(false));
  });
});
