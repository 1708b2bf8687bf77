import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/App';
import { ReceiverAggregator } from '../../src/shared/live/receiverView';
import { installFakeApi } from './fakeApi';
import { resetAfterEach } from './setup';

resetAfterEach();

/** Receive mode started in the app, and the events of its receiver folded as the main process does. */
async function listening() {
  const api = installFakeApi({ mode: 'receive', saveFolder: '/home/me/inbox' });
  api.answers['receive:start'] = () => ({ address: '0.0.0.0', port: 7735, seed: 1, announcedAs: null });
  render(<App />);
  fireEvent.click(await screen.findByRole('button', { name: 'Start listening' }));
  await waitFor(() => expect(api.calls.some((c) => c.channel === 'receive:start')).toBe(true));
  const agg = new ReceiverAggregator();
  agg.apply({ type: 'listening', t: 0, address: '0.0.0.0', port: 7735, profile: 'standard', p: 0 });
  return { api, agg };
}

describe('an offered file in Receive mode', () => {
  it('shows who sends what, answers Accept or Decline, and marks the kept file verified', async () => {
    const { api, agg } = await listening();
    const sha256 = 'cd'.repeat(32);
    for (const [id, name] of [
      ['00000000000000a1', 'handout.pdf'],
      ['00000000000000b2', 'other.zip'],
    ] as const)
      agg.apply({
        type: 'offer',
        t: 1,
        offer: { id, from: '10.0.0.7', sender: 'lab-pc-07', name, size: 4_200_000, sha256 },
      });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    const first = screen.getByRole('group', { name: 'Offer of handout.pdf' });
    expect(first.textContent).toContain('10.0.0.7 (lab-pc-07) wants to send handout.pdf, 4.01 MiB');
    fireEvent.click(screen.getAllByRole('button', { name: 'Accept' })[0]!);
    fireEvent.click(screen.getAllByRole('button', { name: 'Decline' })[1]!);
    await waitFor(() =>
      expect(api.calls.filter((c) => c.channel === 'receive:answer').map((c) => c.payload)).toEqual([
        { id: '00000000000000a1', accept: true },
        { id: '00000000000000b2', accept: false },
      ]),
    );
    agg.apply({ type: 'offer-settled', t: 2, id: '00000000000000a1', accepted: true });
    agg.apply({ type: 'offer-settled', t: 2, id: '00000000000000b2', accepted: false });
    agg.apply({
      type: 'complete',
      t: 9,
      file: {
        path: '/home/me/inbox/handout.pdf',
        bytes: 4_200_000,
        sha256,
        durationMs: 900,
        from: '10.0.0.7:4000',
        endedBy: 'marker',
        verified: true,
        offeredName: 'handout.pdf',
      },
    });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    expect(screen.queryByRole('group', { name: /^Offer of/ })).toBeNull();
    expect(screen.getByText('✓ Verified: its SHA-256 matches the one the sender offered')).toBeTruthy();
  });
});

describe('a course sender in Receive mode (it offers nothing)', () => {
  it('is asked about by its address, with no name, size or checksum to show', async () => {
    const { api, agg } = await listening();
    agg.apply({
      type: 'offer',
      t: 1,
      offer: { id: '00000000000000c3', from: '10.0.0.9', name: '', size: 0, sha256: '', course: true },
    });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    const prompt = screen.getByRole('group', { name: 'Course sender 10.0.0.9' });
    expect(prompt.textContent).toBe(
      '10.0.0.9 is sending a file with the course protocol: no name, size or checksum to show. Taken, it is ' +
        'saved as received-…; the answer stands while this address keeps sending.AcceptDecline',
    );
    expect(prompt.querySelector('.hash')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Accept' }));
    await waitFor(() =>
      expect(api.calls.filter((c) => c.channel === 'receive:answer').map((c) => c.payload)).toEqual([
        { id: '00000000000000c3', accept: true },
      ]),
    );
  });
});

describe('an offer refused up front in Receive mode', () => {
  it('says what was declined, from whom and why (over the size limit)', async () => {
    const { api, agg } = await listening();
    agg.apply({
      type: 'offer-declined',
      t: 1,
      from: '10.0.0.7',
      name: 'movie.mkv',
      size: 3 * 2 ** 30,
      reason: 'the file (3.00 GiB) is larger than this receiver accepts (1.00 GiB)',
    });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    expect(
      screen.getByText(
        'Declined movie.mkv (3.00 GiB) from 10.0.0.7: the file (3.00 GiB) is larger than this receiver accepts (1.00 GiB)',
      ),
    ).toBeTruthy();
  });
});

describe('the received files history', () => {
  it('lists files from earlier runs when opened: name, size, sender, time, how it was checked', async () => {
    const api = installFakeApi({ mode: 'receive' });
    api.answers['receive:history'] = () => [
      {
        name: 'handout.pdf',
        path: '/home/me/inbox/handout.pdf',
        bytes: 2048,
        sha256: 'ab'.repeat(32),
        from: '10.0.0.7:4000',
        at: '2026-12-01T10:00:00.000Z',
        verified: true,
        checked: true,
      },
      {
        name: 'handout (2).pdf',
        path: '/home/me/inbox/handout (2).pdf',
        bytes: 2048,
        sha256: 'ab'.repeat(32),
        from: '10.0.0.9:4000',
        at: '2026-12-01T09:30:00.000Z',
        verified: true,
        checked: true,
        offeredAs: 'handout.pdf',
      },
      {
        name: 'ref.bin',
        path: '/home/me/inbox/ref.bin',
        bytes: 10,
        sha256: 'cd'.repeat(32),
        from: '10.0.0.8:5000',
        at: '2026-11-30T09:00:00.000Z',
        verified: false,
        checked: false,
      },
    ];
    render(<App />);
    fireEvent.click(await screen.findByText('Received files history'));
    const list = await screen.findByRole('list', { name: 'Received files history' });
    const items = [...list.querySelectorAll('li')].map((li) => li.textContent);
    expect(items[0]).toMatch(/^handout\.pdf 2\.00 KiB from 10\.0\.0\.7, .+, verified \(SHA-256\)$/);
    expect(items[1]).toMatch(
      /^handout \(2\)\.pdf \(offered as “handout\.pdf”\) 2\.00 KiB from 10\.0\.0\.9, .+, verified \(SHA-256\)$/,
    );
    expect(items[2]).toMatch(/^ref\.bin 10 B from 10\.0\.0\.8, .+, unverified \(no end marker\)$/);
  });
});

describe('answering offers from the keyboard', () => {
  it('takes the focus from Stop to a new question itself (not its Accept), which says what is asked', async () => {
    const { api, agg } = await listening();
    const stop = screen.getByRole('button', { name: 'Stop' });
    await waitFor(() => expect((stop as HTMLButtonElement).disabled).toBe(false));
    stop.focus();
    agg.apply({
      type: 'offer',
      t: 1,
      offer: { id: '00000000000000a1', from: '10.0.0.7', name: 'a.pdf', size: 10, sha256: 'ab'.repeat(32) },
    });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    const prompt = screen.getByRole('group', { name: 'Offer of a.pdf' });
    await waitFor(() => expect(document.activeElement).toBe(prompt));
    expect(document.getElementById(prompt.getAttribute('aria-describedby')!)?.textContent).toBe(
      '10.0.0.7 wants to send a.pdf, 10 B',
    );
    // Accept and Decline are the next tab stops.
    expect([...prompt.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Accept', 'Decline']);
    // A second question waits its turn: the focus stays on the first.
    agg.apply({
      type: 'offer',
      t: 2,
      offer: { id: '00000000000000b2', from: '10.0.0.8', name: 'b.pdf', size: 10, sha256: 'ab'.repeat(32) },
    });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    await screen.findByRole('group', { name: 'Offer of b.pdf' });
    expect(document.activeElement).toBe(prompt);
  });

  it('leaves the focus on a slider or field in use when a question comes (its keys are not an answer)', async () => {
    const { api, agg } = await listening();
    const slider = screen.getAllByRole('slider')[0]!;
    slider.focus();
    agg.apply({
      type: 'offer',
      t: 1,
      offer: { id: '00000000000000a1', from: '10.0.0.7', name: 'a.pdf', size: 10, sha256: 'ab'.repeat(32) },
    });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    await screen.findByRole('group', { name: 'Offer of a.pdf' });
    expect(document.activeElement).toBe(slider);
  });

  it('moves focus to the next question once one is answered, then to the status line, never to the page top', async () => {
    const { api, agg } = await listening();
    for (const [id, name] of [
      ['00000000000000a1', 'a.pdf'],
      ['00000000000000b2', 'b.pdf'],
    ] as const)
      agg.apply({
        type: 'offer',
        t: 1,
        offer: { id, from: '10.0.0.7', name, size: 10, sha256: 'ab'.repeat(32) },
      });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    const answerFocused = async (id: string): Promise<void> => {
      fireEvent.click(document.activeElement!);
      await waitFor(() =>
        expect(api.calls.some((c) => (c.payload as { id?: string })?.id === id)).toBe(true),
      );
      // The prompt goes: its button, and the focus with it.
      (document.activeElement as HTMLElement).blur();
      agg.apply({ type: 'offer-settled', t: 2, id, accepted: true });
      api.push({ senders: {}, receivers: { receive: agg.take() } });
    };
    screen.getAllByRole('button', { name: 'Accept' })[0]!.focus();
    await answerFocused('00000000000000a1');
    // On the question, not on its Accept: an Enter meant for the answered one takes no file.
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('group', { name: 'Offer of b.pdf' })),
    );
    screen.getByRole('button', { name: 'Accept' }).focus();
    await answerFocused('00000000000000b2');
    await waitFor(() => expect(document.activeElement?.getAttribute('role')).toBe('status'));
  });
});

describe('the rate between transfers', () => {
  it("is labelled as the last transfer's once none is going on", async () => {
    const { api, agg } = await listening();
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    expect(await screen.findByText('Rate of the last transfer')).toBeTruthy();
    agg.apply({ type: 'transfer-start', t: 1, from: '10.0.0.7:4000', path: '/home/me/inbox/a.bin' });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    // One rate on screen, the transfer's own, beside its file.
    const incoming = await screen.findByRole('region', { name: 'Incoming file' });
    expect(screen.getAllByText('Rate')).toEqual([within(incoming).getByText('Rate')]);
    expect(screen.queryByText('Rate of the last transfer')).toBeNull();
  });
});

describe('the notes of Receive mode', () => {
  it('shows the newest first, and Clear hides those shown until a new one comes', async () => {
    const { api, agg } = await listening();
    const declined = (name: string): void =>
      agg.apply({ type: 'offer-declined', t: 1, from: '10.0.0.9', name, size: 10, reason: 'too large' });
    declined('old.bin');
    declined('new.bin');
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    const notes = async (): Promise<string[]> =>
      (await screen.findByRole('region', { name: 'Notes' })).querySelectorAll('p').length > 0
        ? [...screen.getByRole('region', { name: 'Notes' }).querySelectorAll('p')].map((p) => p.textContent!)
        : [];
    expect(await notes()).toEqual([
      'Declined new.bin (10 B) from 10.0.0.9: too large',
      'Declined old.bin (10 B) from 10.0.0.9: too large',
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Clear these 2 notes' }));
    expect(screen.queryByRole('region', { name: 'Notes' })).toBeNull();
    // Another mode and back: what was cleared stays cleared.
    fireEvent.click(screen.getByRole('tab', { name: 'Send' }));
    fireEvent.click(await screen.findByRole('tab', { name: 'Receive' }));
    await screen.findByRole('button', { name: 'Stop' });
    expect(screen.queryByRole('region', { name: 'Notes' })).toBeNull();
    declined('later.bin');
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    expect(await notes()).toEqual(['Declined later.bin (10 B) from 10.0.0.9: too large']);
    // Listening again: the new session's notes all show, however many there are (Clear was of the last one's).
    agg.apply({ type: 'listening', t: 0, address: '0.0.0.0', port: 7735, profile: 'standard', p: 0 });
    for (const name of ['a.bin', 'b.bin', 'c.bin']) declined(name);
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    await waitFor(async () => expect(await notes()).toHaveLength(3));
  });
});

describe('a question its sender withdraws', () => {
  it('is taken down with a note, and focus on it goes to the status line', async () => {
    const { api, agg } = await listening();
    agg.apply({
      type: 'offer',
      t: 1,
      offer: {
        id: '00000000000000c3',
        from: '10.0.0.7',
        name: 'quiz.pdf',
        size: 10,
        sha256: 'ab'.repeat(32),
      },
    });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    screen.getByRole('button', { name: 'Accept' }).focus();
    // As in Chromium, the removed button takes the focus with it.
    (document.activeElement as HTMLElement).blur();
    agg.apply({ type: 'offer-settled', t: 7, id: '00000000000000c3', accepted: false, withdrawn: true });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    expect(
      await screen.findByText(
        '10.0.0.7 stopped offering quiz.pdf before it was answered (its sender gave up or was stopped)',
      ),
    ).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Offer of quiz.pdf' })).toBeNull();
    await waitFor(() => expect(document.activeElement?.getAttribute('role')).toBe('status'));
  });
});
