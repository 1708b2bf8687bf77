import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { NOTE_FADES_MS } from '../../src/renderer/components/common/useFadingNote';
import { App } from '../../src/renderer/App';
import { CompletedFiles } from '../../src/renderer/components/receive/CompletedFiles';
import { ReceivedEarlier } from '../../src/renderer/components/receive/ReceivedEarlier';
import { ReceiverAggregator } from '../../src/shared/live/receiverView';
import { installFakeApi } from './fakeApi';
import { resetAfterEach } from './setup';

resetAfterEach();

describe('receive mode', () => {
  it('takes a size limit as people write one, says what it means, and refuses what is no size', async () => {
    const api = installFakeApi({ mode: 'receive', saveFolder: '/home/me/inbox' });
    api.answers['receive:start'] = () => ({
      address: '0.0.0.0',
      port: 7735,
      seed: 1,
      announcedAs: null,
      code: null,
    });
    render(<App />);
    const field = await screen.findByLabelText('Largest file to accept');
    const start = screen.getByRole('button', { name: 'Start listening' }) as HTMLButtonElement;
    expect(screen.getByText('As 500M or 2G. Empty: any file that fits on the disk.')).toBeTruthy();
    fireEvent.change(field, { target: { value: '5OOM' } });
    expect(screen.getByRole('alert').textContent).toBe(
      'the size limit must be a size such as 500M or 2G, got "5OOM"',
    );
    expect(start.disabled).toBe(true);
    fireEvent.change(field, { target: { value: '500M' } });
    expect(screen.getByText('A larger file is refused before any data comes (500.0 MiB).')).toBeTruthy();
    await waitFor(() =>
      expect(api.calls).toContainEqual({ channel: 'settings:update', payload: { maxFileBytes: 500 << 20 } }),
    );
    fireEvent.click(start);
    await waitFor(() =>
      expect(api.calls.find((c) => c.channel === 'receive:start')?.payload).toMatchObject({
        maxBytes: 500 << 20,
      }),
    );
  });

  it('shows a stored size limit as it is: 100 B, not 1 B (only zeros after the point are left out)', async () => {
    for (const [bytes, shown] of [
      [100, '100 B'],
      [1000, '1000 B'],
      [100 << 20, '100 MiB'],
      [3 << 29, '1.5 GiB'],
      [1 << 10, '1 KiB'],
      // Not a round size: "1.18 MiB" would read back as another limit than the one enforced.
      [1_234_567, '1234567'],
    ] as const) {
      installFakeApi({ mode: 'receive', saveFolder: '/home/me/inbox', maxFileBytes: bytes });
      const { unmount } = render(<App />);
      const field = (await screen.findByLabelText('Largest file to accept')) as HTMLInputElement;
      expect(field.value).toBe(shown);
      unmount();
    }
  });

  it('with "Let in only a sender with a session code": shows the code large and copyable, and what it rejected', async () => {
    const api = installFakeApi({ mode: 'receive', saveFolder: '/home/me/inbox' });
    api.answers['receive:start'] = () => ({
      address: '0.0.0.0',
      port: 7735,
      seed: 42,
      announcedAs: null,
      code: '7K3M-Q9XD-2HFA',
    });
    render(<App />);
    // Without a code, the form says how course senders (who offer nothing) are asked about, or that they are not.
    expect((await screen.findByTestId('course-senders-hint')).textContent).toMatch(
      /Course senders .* are asked about by their address/,
    );
    fireEvent.click(await screen.findByLabelText('Accept files without asking'));
    expect(screen.getByTestId('course-senders-hint').textContent).toMatch(/Course senders .* are taken too/);
    fireEvent.click(screen.getByLabelText('Accept files without asking'));
    fireEvent.click(await screen.findByLabelText(/Let in only a sender with a session code/));
    expect(screen.queryByTestId('course-senders-hint')).toBeNull();
    // The room's code may be typed in; something that is not one keeps Start disabled.
    const start = screen.getByRole('button', { name: 'Start listening' }) as HTMLButtonElement;
    fireEvent.change(screen.getByLabelText('Session code'), { target: { value: '7K3M' } });
    expect(screen.getByRole('alert').textContent).toMatch(/^a session code is 12 letters and digits/);
    expect(start.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Session code'), { target: { value: '7k3m-q9xd-2hfa' } });
    fireEvent.click(start);
    await waitFor(() =>
      expect(api.calls.find((c) => c.channel === 'receive:start')?.payload).toMatchObject({
        requireCode: true,
        code: '7k3m-q9xd-2hfa',
      }),
    );
    const agg = new ReceiverAggregator();
    agg.apply({
      type: 'listening',
      t: 0,
      address: '0.0.0.0',
      port: 7735,
      profile: 'standard',
      p: 0,
      sealed: true,
    });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    expect((await screen.findByTestId('session-code')).textContent).toBe('7K3M-Q9XD-2HFA');
    expect(screen.getByText(', spelled 7 K 3 M Q 9 X D 2 H F A')).toBeTruthy();
    expect(screen.getByTestId('counter-forged').textContent).toBe('0');
    fireEvent.click(screen.getByRole('button', { name: 'Copy the session code' }));
    await waitFor(() =>
      expect(api.calls).toContainEqual({ channel: 'summary:copy', payload: { text: '7K3M-Q9XD-2HFA' } }),
    );
    expect(screen.getByTestId('counter-unproven').textContent).toBe('0');
    // A sender with another code: its first two datagrams count as forged until the third says whose they are.
    for (const why of ['forged', 'forged', 'forged', 'replayed', 'unproven', 'unsealed'] as const)
      agg.apply({ type: 'rejected', t: 1, why, from: '10.0.0.9:4000' });
    agg.apply({ type: 'rejected', t: 1, why: 'wrong-code', from: '10.0.0.9:4000', recounted: 2 });
    agg.apply({ type: 'rejected', t: 1, why: 'wrong-code', from: '10.0.0.9:4000' });
    agg.apply({ type: 'wrong-code', t: 1, from: '10.0.0.9:4000' });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    expect(screen.getByTestId('counter-forged').textContent).toBe('1');
    expect(screen.getByTestId('counter-wrong-code').textContent).toBe('4');
    expect(screen.getByTestId('counter-unsealed').textContent).toBe('1');
    expect(screen.getByTestId('counter-replayed').textContent).toBe('1');
    expect(screen.getByTestId('counter-unproven').textContent).toBe('1');
    // Every transfer under a code has one such: held, not lost, and not said as a fault.
    const held = screen.getByTestId('counter-unproven').parentElement!;
    expect(held.querySelector('dt')!.textContent).toBe("Held for the sender's proof");
    expect(held.title).toMatch(/^A transfer's first datagram waits until its sender answers/);
    expect(
      screen.getByText('Wrong code: 10.0.0.9:4000 sent packets that do not open with this code (dropped)'),
    ).toBeTruthy();
    // Senders that will never get a file here, and why: each said in Receive mode as p2mpserver says it.
    agg.apply({ type: 'other-numbering', t: 2, from: '10.0.0.7:5000', seq: 0, first: 1 });
    agg.apply({ type: 'other-checksum', t: 2, from: '10.0.0.5:5000', dialect: 'le' });
    agg.apply({ type: 'empty-course-file', t: 2, from: '10.0.0.6:5000' });
    agg.apply({ type: 'leftovers', t: 2, names: ['report.pdf.part'], bytes: 2048 });
    agg.apply({
      type: 'unaccepted-data',
      t: 2,
      from: '10.0.0.8:5000',
      id: 'o-1',
      name: 'big.iso',
      declined: 'too large',
    });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    expect(
      await screen.findByText(
        '10.0.0.7:5000 sent segment 0, but transfers here start at segment 1 (not ACKed): was its sender set to ' +
          'number its segments from 0 (dialect seq0 or bytes)?',
      ),
    ).toBeTruthy();
    expect(
      screen.getByText(
        '10.0.0.5:5000 sends segments whose checksum is right only in dialect le (dropped as corrupt): was its ' +
          'sender set to that dialect?',
      ),
    ).toBeTruthy();
    expect(
      screen.getByText(
        '10.0.0.8:5000 sends data, but its offer of big.iso was declined (too large): ignored until it offers a ' +
          'file that is accepted',
      ),
    ).toBeTruthy();
    expect(
      screen.getByText(
        '10.0.0.6:5000 sent an empty file in course mode (an end marker with nothing before it): ACKed, not saved ' +
          '(a receiver serving transfer after transfer keeps no empty file that was not offered)',
      ),
    ).toBeTruthy();
    expect(
      screen.getByText(
        'An unfinished file from a transfer that never ended is here: report.pdf.part (2.00 KiB; partial data, ' +
          'never complete): delete it once no receiver is writing to it',
      ),
    ).toBeTruthy();
  });

  it('needs a folder from the dialog, listens, moves p live, and shows counters and files', async () => {
    const api = installFakeApi({ mode: 'receive', p: 0.1 });
    api.answers['folder:choose'] = () => '/home/me/inbox';
    api.answers['net:addresses'] = () => [
      { address: '192.168.1.23', family: 4, interface: 'eth0', internal: false },
    ];
    api.answers['receive:start'] = () => ({
      address: '0.0.0.0',
      port: 7735,
      seed: 42,
      announcedAs: 'lab-pc-07',
    });
    render(<App />);
    const start = (await screen.findByRole('button', { name: 'Start listening' })) as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    // Greyed out, and why: nothing says where files go yet; the addresses are where senders will reach it.
    expect(screen.getByText('Choose a folder to save into first.')).toBeTruthy();
    expect(
      await screen.findByRole('heading', { name: 'Once listening, senders reach this machine at' }),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Choose folder…' }));
    await waitFor(() => expect(screen.getByTestId('save-folder').textContent).toBe('/home/me/inbox'));
    expect(screen.queryByText('Choose a folder to save into first.')).toBeNull();
    fireEvent.click(start);
    await waitFor(() => expect(start.disabled).toBe(true));
    expect(api.calls.find((c) => c.channel === 'receive:start')!.payload).toEqual({
      port: 7735,
      bind: '0.0.0.0',
      p: 0.1,
      seed: null,
      profile: 'standard',
      announce: true,
      name: null,
      autoAccept: false,
      requireCode: false,
      dialect: 'standard',
    });

    const agg = new ReceiverAggregator();
    agg.apply({ type: 'listening', t: 0, address: '0.0.0.0', port: 7735, profile: 'standard', p: 0.1 });
    agg.apply({ type: 'transfer-start', t: 1, from: '10.0.0.1:5000', path: '/home/me/inbox/r.bin' });
    agg.apply({ type: 'packet', t: 2, seq: 1, outcome: 'written', bytes: 500, from: '10.0.0.1:5000' });
    agg.apply({ type: 'packet', t: 3, seq: 2, outcome: 'dropped', bytes: 508, from: '10.0.0.1:5000' });
    // A course sender's segment 1 while its user decides: not taken, and not said to be another sender's.
    agg.apply({ type: 'packet', t: 4, seq: 1, outcome: 'foreign', bytes: 500, from: '10.0.0.2:5000' });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    // 0.0.0.0 is no address anyone can send to: the port, on the addresses listed.
    expect(screen.getByText(/Listening on port 7735 of every address below \(seed 42\)/)).toBeTruthy();
    // The course's own end marker: nothing said about silence.
    expect(screen.getByText(/^Listening on port 7735/).textContent).toMatch(/receiving from 10\.0\.0\.1$/);
    expect(screen.getByRole('heading', { name: 'Senders reach this machine at' })).toBeTruthy();
    expect(screen.getByTestId('counter-dropped').textContent).toBe('1');
    expect(screen.getByTestId('counter-received').textContent).toBe('3');
    // Each mark's tooltip in the legend's words, not the program's ("foreign", "out-of-order").
    expect(screen.getByTitle('seq 2: dropped by p')).toBeTruthy();
    expect(screen.getByTitle('seq 1: not taken (another sender’s, or not accepted yet)')).toBeTruthy();

    fireEvent.change(screen.getByLabelText(/Loss probability p/), { target: { value: '0.35' } });
    await waitFor(() =>
      expect(api.calls).toContainEqual({ channel: 'receive:set-loss', payload: { p: 0.35 } }),
    );

    agg.apply({
      type: 'complete',
      t: 9,
      file: {
        path: '/home/me/inbox/r.bin',
        bytes: 500,
        sha256: 'cd'.repeat(32),
        durationMs: 8,
        from: 'x',
        endedBy: 'marker',
        verified: true,
      },
    });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    expect(screen.getByText(`SHA-256 ${'cd'.repeat(32)}`)).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Show in folder' }));
    await waitFor(() =>
      expect(api.calls).toContainEqual({ channel: 'file:show', payload: { path: '/home/me/inbox/r.bin' } }),
    );
    // A sender without an end marker (the reference client): kept, and marked so.
    agg.apply({
      type: 'complete',
      t: 10,
      file: {
        path: '/home/me/inbox/ref.bin',
        bytes: 700,
        sha256: 'ef'.repeat(32),
        durationMs: 8,
        from: 'y',
        endedBy: 'idle',
        verified: false,
      },
    });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    expect(screen.getByRole('note').textContent).toMatch(
      /^⚠ Unverified: its sender sent no end marker, so it may be incomplete: it holds what arrived/,
    );

    // Switching modes does not forget the session main is running.
    fireEvent.click(screen.getByRole('tab', { name: 'Send' }));
    fireEvent.click(screen.getByRole('tab', { name: 'Receive' }));
    expect((screen.getByRole('button', { name: 'Start listening' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(api.calls.some((c) => c.channel === 'receive:stop')).toBe(true));
    await waitFor(() =>
      expect((screen.getByRole('button', { name: 'Start listening' }) as HTMLButtonElement).disabled).toBe(
        false,
      ),
    );
  });

  it('shows why listening failed', async () => {
    const api = installFakeApi({ mode: 'receive', saveFolder: '/inbox' });
    api.answers['receive:start'] = () => {
      throw new Error('cannot listen on 0.0.0.0:7735: the port is already in use');
    };
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Start listening' }));
    expect(await screen.findByText('cannot listen on 0.0.0.0:7735: the port is already in use')).toBeTruthy();
  });
});

describe("this machine's addresses", () => {
  it('shows the LAN addresses with the port, large and copyable, and loopback only when there is nothing else', async () => {
    const api = installFakeApi({ mode: 'receive', port: 7736 });
    api.answers['net:addresses'] = () => [
      { address: '192.168.1.20', family: 4, interface: 'eth0', internal: false },
      { address: '2001:db8::7', family: 6, interface: 'eth0', internal: false },
      { address: '127.0.0.1', family: 4, interface: 'lo', internal: true },
    ];
    render(<App />);
    const section = await screen.findByRole('region', { name: 'This machine' });
    const shown = (): (string | null)[] => [...section.querySelectorAll('code')].map((c) => c.textContent);
    // Bound to 0.0.0.0 (the default), it listens on IPv4 only: an IPv6 address read out to a class reached nothing.
    expect(shown()).toEqual(['192.168.1.20:7736']);
    fireEvent.change(screen.getByLabelText('Bind address'), { target: { value: '::' } });
    await waitFor(() => expect(shown()).toEqual(['192.168.1.20:7736', '[2001:db8::7]:7736']));
    fireEvent.change(screen.getByLabelText('Bind address'), { target: { value: '0.0.0.0' } });
    await waitFor(() => expect(shown()).toEqual(['192.168.1.20:7736']));
    fireEvent.click(screen.getByRole('button', { name: 'Copy 192.168.1.20:7736' }));
    await waitFor(() =>
      expect(api.calls).toContainEqual({ channel: 'summary:copy', payload: { text: '192.168.1.20:7736' } }),
    );
    expect(await screen.findByText('Copied 192.168.1.20:7736')).toBeTruthy();
    // A confirmation, not news: it goes by itself.
    await waitFor(() => expect(screen.queryByText('Copied 192.168.1.20:7736')).toBeNull(), {
      timeout: NOTE_FADES_MS + 30_000, // gone within seconds; the margin is for a loaded machine
    });
    // Bound to one address, that is the only one a sender can use.
    fireEvent.change(screen.getByLabelText('Bind address'), { target: { value: '192.168.1.20' } });
    await waitFor(() =>
      expect([...section.querySelectorAll('code')].map((c) => c.textContent)).toEqual(['192.168.1.20:7736']),
    );
    // One that is not this machine's (a typo) is never shown as where senders reach it.
    fireEvent.change(screen.getByLabelText('Bind address'), { target: { value: '10.99.99.99' } });
    await waitFor(() => expect(section.querySelectorAll('code')).toHaveLength(0));
    expect(screen.getByTestId('bind-not-here').textContent).toBe(
      '10.99.99.99 is not an address of this machine: senders cannot reach it there.',
    );
  });
});

describe('received files', () => {
  it("names a file's sender by its host: the port the system picked for that transfer is only on hover", async () => {
    const api = installFakeApi({ mode: 'receive' });
    const sha256 = 'ab'.repeat(32);
    render(
      <CompletedFiles
        files={[
          {
            path: '/in/a.bin',
            bytes: 10,
            sha256,
            durationMs: 50,
            from: '10.0.0.7:57519',
            endedBy: 'marker',
            verified: true,
          },
          {
            path: '/in/b.bin',
            bytes: 10,
            sha256,
            durationMs: 50,
            from: 'fe80::1:40000',
            endedBy: 'marker',
            verified: true,
          },
        ]}
      />,
    );
    const from = screen.getAllByText(/^from /);
    expect(from.map((e) => [e.textContent, e.title])).toEqual([
      ['from fe80::1', 'fe80::1:40000'],
      ['from 10.0.0.7', '10.0.0.7:57519'],
    ]);
    api.answers['receive:history'] = () => [
      {
        name: 'a.bin',
        path: '/in/a.bin',
        bytes: 10,
        sha256,
        from: '10.0.0.7:57519',
        at: '2026-12-06T10:00:00Z',
        verified: true,
        checked: true,
      },
    ];
    render(<ReceivedEarlier completed={1} />);
    fireEvent.click(screen.getByText('Received files history'));
    const row = within(await screen.findByRole('list', { name: 'Received files history' })).getByRole(
      'listitem',
    );
    expect(row.textContent).toMatch(/^a\.bin 10 B from 10\.0\.0\.7, /);
    expect(row.title).toBe(`/in/a.bin\nfrom 10.0.0.7:57519\nSHA-256 ${sha256}`);
  });

  it('says, while a sender without an end marker sends (dialect eof-none), what silence does', async () => {
    const api = installFakeApi({ mode: 'receive', dialect: 'seq0,eof-none' });
    api.answers['folder:choose'] = () => '/home/me/inbox';
    api.answers['receive:start'] = () => ({ address: '127.0.0.5', port: 7735, seed: 1, announcedAs: null });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Choose folder…' }));
    await waitFor(() => expect(screen.getByTestId('save-folder').textContent).toBe('/home/me/inbox'));
    fireEvent.click(screen.getByRole('button', { name: 'Start listening' }));
    await waitFor(() => expect(api.calls.some((c) => c.channel === 'receive:start')).toBe(true));
    const agg = new ReceiverAggregator();
    // As the receiver says it (protocol/silence.ts), whatever Send mode's dialect field says meanwhile.
    const silence = 'no end marker in this dialect: kept after 10 s without a packet';
    agg.apply({
      type: 'listening',
      t: 0,
      address: '127.0.0.5',
      port: 7735,
      profile: 'standard',
      p: 0,
      silence,
    });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    expect(screen.getByText(/^Listening on 127\.0\.0\.5:7735/).textContent).not.toMatch(/end marker/);
    // One of ours, offered and accepted, ends with its end marker: nothing to say.
    agg.apply({
      type: 'transfer-start',
      t: 1,
      from: '10.0.0.2:5000',
      path: '/home/me/inbox/o.bin',
      offered: true,
    });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    await waitFor(() =>
      expect(screen.getByText(/^Listening on 127\.0\.0\.5:7735/).textContent).toMatch(
        /receiving from 10\.0\.0\.2$/,
      ),
    );
    agg.apply({
      type: 'complete',
      t: 2,
      file: {
        path: '/home/me/inbox/o.bin',
        bytes: 1,
        sha256: 'ab'.repeat(32),
        durationMs: 1,
        from: '10.0.0.2:5000',
        endedBy: 'marker',
        verified: true,
      },
    });
    agg.apply({ type: 'transfer-start', t: 3, from: '10.0.0.1:5000', path: '/home/me/inbox/r.bin' });
    api.push({ senders: {}, receivers: { receive: agg.take() } });
    await waitFor(() =>
      expect(screen.getByText(/^Listening on 127\.0\.0\.5:7735/).textContent).toMatch(
        /receiving from 10\.0\.0\.1 \(no end marker in this dialect: kept after 10 s without a packet\)$/,
      ),
    );
  });
});
