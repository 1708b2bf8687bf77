import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/App';
import { SenderAggregator } from '../../src/shared/live/senderView';
import { endpoints, midTransfer, startOfTen } from './batches';
import { installFakeApi } from './fakeApi';
import { resetAfterEach } from './setup';

resetAfterEach();

const file = { path: '/data/lecture.pdf', name: 'lecture.pdf', size: 123456, sha256: 'ab'.repeat(32) };

async function openSend() {
  const api = installFakeApi({ mode: 'send' });
  api.answers['file:choose'] = () => file;
  render(<App />);
  await screen.findByRole('heading', { name: 'Send a file' });
  return api;
}

/** Send mode with a file chosen and one receiver added: Start is enabled. */
async function openSendReady() {
  const api = await openSend();
  fireEvent.click(screen.getByRole('button', { name: 'Choose file…' }));
  await screen.findByText('lecture.pdf');
  fireEvent.change(screen.getByLabelText('New receiver'), { target: { value: '127.0.0.2' } });
  fireEvent.click(screen.getByRole('button', { name: 'Add' }));
  return api;
}

describe('send mode', () => {
  it('shows the chosen file with size and SHA-256', async () => {
    await openSend();
    fireEvent.click(screen.getByRole('button', { name: 'Choose file…' }));
    expect(await screen.findByText('lecture.pdf')).toBeTruthy();
    expect(screen.getByText('ab'.repeat(32))).toBeTruthy();
    expect(screen.getByText(/123,456 bytes/)).toBeTruthy();
  });

  it('takes a file dropped on the picker', async () => {
    const api = await openSend();
    api.answers['file:inspect'] = (payload) => ({
      ...file,
      path: (payload as { path: string }).path,
      name: 'file.bin',
    });
    const zone = screen.getByText('or drop a file here').parentElement!;
    fireEvent.drop(zone, { dataTransfer: { files: [new File(['x'], 'file.bin')] } });
    expect(await screen.findByText('file.bin')).toBeTruthy();
    expect(api.calls).toContainEqual({ channel: 'file:inspect', payload: { path: '/dropped/file.bin' } });
  });

  it('validates receivers inline; adds, edits and removes them', async () => {
    await openSend();
    const input = screen.getByLabelText('New receiver');
    fireEvent.change(input, { target: { value: 'lab_pc!' } });
    expect(screen.getByRole('alert').textContent).toBe('"lab_pc!" is not a valid host name or IPv4 address');
    expect((screen.getByRole('button', { name: 'Add' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(input, { target: { value: '10.0.0.7:9000' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect((screen.getByLabelText('Receiver 1') as HTMLInputElement).value).toBe('10.0.0.7:9000');
    fireEvent.change(screen.getByLabelText('Receiver 1'), { target: { value: '10.0.0.7:99999' } });
    expect(screen.getByText(/^port must be a whole number from 1 to 65535/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove receiver 1' }));
    expect(screen.queryByLabelText('Receiver 1')).toBeNull();
  });

  // A tester typed "pc-3:7736 p" and pressed Enter: a second receiver named "p" was added without a word.
  it('refuses a stray word after a host:port, with one line saying how to mean it', async () => {
    await openSend();
    const input = screen.getByLabelText('New receiver');
    fireEvent.change(input, { target: { value: 'pc-3:7736 p' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.queryByLabelText('Receiver 1')).toBeNull();
    expect(screen.getByRole('alert').textContent).toBe(
      '"p" follows pc-3:7736 with no port: give it one (p:7736), or put a comma between them to add it on port 7735',
    );
    fireEvent.change(input, { target: { value: 'pc-3:7736' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect((screen.getByLabelText('Receiver 1') as HTMLInputElement).value).toBe('pc-3:7736');
    expect(screen.queryByLabelText('Receiver 2')).toBeNull();
  });

  it('keeps the keyboard in the list as receivers are removed, and in the field once none is left', async () => {
    await openSend();
    const input = screen.getByLabelText('New receiver');
    fireEvent.change(input, { target: { value: '127.0.0.2-5' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    // The last row's Remove goes with its row: the focus moves to the one above (it fell to the page's top).
    const last = screen.getByRole('button', { name: 'Remove receiver 4' });
    last.focus();
    fireEvent.click(last);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove receiver 3' }));
    const all = screen.getByRole('button', { name: 'Remove all' });
    all.focus();
    fireEvent.click(all);
    expect(document.activeElement).toBe(input);
  });

  it('adds a pasted list with a range at once, and names the entry that is wrong', async () => {
    await openSend();
    const input = screen.getByLabelText('New receiver');
    fireEvent.change(input, { target: { value: '127.0.0.2-4, lab-pc-3:7736\n10.0.0.9:99999' } });
    expect(screen.getByRole('alert').textContent).toMatch(/^10\.0\.0\.9:99999: /);
    fireEvent.change(input, { target: { value: '127.0.0.2-4, lab-pc-3:7736' } });
    const add = screen.getByRole('button', { name: 'Add 4' });
    add.focus();
    fireEvent.click(add);
    expect(
      [1, 2, 3, 4].map((i) => (screen.getByLabelText(`Receiver ${i}`) as HTMLInputElement).value),
    ).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4', 'lab-pc-3:7736']);
    // The button greys out: the keyboard is back in the field, for the next ones (it fell to the page's top).
    expect(document.activeElement).toBe(input);
  });

  // A lab review pasted "127.0.0.2-30, 127.0.0.31, 127.0.0.3": all 30 plus 127.0.0.3 again were listed, and Start
  // refused the list ("127.0.0.3 is listed twice") where p2mpclient sends the file once.
  it('adds each receiver of an overlapping paste once, also one listed already under another spelling', async () => {
    await openSend();
    const input = screen.getByLabelText('New receiver');
    fireEvent.change(input, { target: { value: 'LAB-PC-1:7735' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    fireEvent.change(input, { target: { value: '127.0.0.2-4, 127.0.0.3\nlab-pc-1, 127.0.0.4:7735' } });
    expect(screen.getByTestId('draft-repeats').textContent).toBe(
      '3 entries are listed already or twice: each receiver gets the file once.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Add 3' }));
    expect(screen.getAllByLabelText(/^Receiver \d+$/).map((i) => (i as HTMLInputElement).value)).toEqual([
      'LAB-PC-1:7735',
      '127.0.0.2',
      '127.0.0.3',
      '127.0.0.4',
    ]);
    fireEvent.change(input, { target: { value: '127.0.0.3' } });
    expect(screen.getByTestId('draft-repeats').textContent).toBe('Listed already.');
    expect((screen.getByRole('button', { name: 'Add' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('loads a file of hosts into the new-receiver field, comments and ranges as p2mpclient --hosts reads them', async () => {
    await openSend();
    const picker = screen.getByLabelText('File of hosts');
    const room = new File(
      ['# Room 2.14\n127.0.0.2-29   # the benches\n\nteacher-pc:7736, 127.0.0.30\n'],
      'room.txt',
      {
        type: 'text/plain',
      },
    );
    fireEvent.change(picker, { target: { files: [room] } });
    const add = await screen.findByRole('button', { name: 'Add 30' });
    const field = screen.getByLabelText<HTMLTextAreaElement>('New receiver');
    expect(field.value).toContain('# Room 2.14');
    // All four lines in view (and the caret's after the last), to be read before they are added (one row showed
    // the comment alone)...
    expect(field.getAttribute('rows')).toBe('5');
    fireEvent.click(add);
    // ...and one row again once it is empty.
    expect(field.getAttribute('rows')).toBe('1');
    const listed = screen.getAllByLabelText(/^Receiver \d+$/).map((i) => (i as HTMLInputElement).value);
    expect(listed).toHaveLength(30);
    expect(listed.slice(-2)).toEqual(['teacher-pc:7736', '127.0.0.30']);
    // Not a file of hosts: too large, said at once, nothing loaded.
    const big = new File(['x'.repeat(300 * 1024)], 'image.iso');
    fireEvent.change(picker, { target: { files: [big] } });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'image.iso is 300.0 KiB: a file of hosts is at most 256.0 KiB',
    );
    expect((screen.getByLabelText('New receiver') as HTMLTextAreaElement).value).toBe('');
  });

  // A review pasted a lab of 30: every row listed in the form pushed Start 1,700 px down, and a bad entry's
  // message named it twice.
  it('keeps a lab of 30 in a scrolling box with a count and Remove all; a paste with bad entries says how many', async () => {
    await openSend();
    const input = screen.getByLabelText('New receiver');
    fireEvent.change(input, { target: { value: '127.0.0.2-31, foo..bar, 127.0.0.300' } });
    expect(screen.getByRole('alert').textContent).toBe(
      '2 of 32 entries are not receivers; the first: "foo..bar" is not a valid host name or IPv4 address',
    );
    fireEvent.change(input, { target: { value: 'foo..bar' } });
    expect(screen.getByRole('alert').textContent).toBe('"foo..bar" is not a valid host name or IPv4 address');
    fireEvent.change(input, { target: { value: '127.0.0.2-31' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add 30' }));
    expect(screen.getAllByLabelText(/^Receiver \d+$/)).toHaveLength(30);
    expect(screen.getByLabelText('Receiver 30').closest('ul')!.classList.contains('long')).toBe(true);
    expect(screen.getByText('30 receivers')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove all' }));
    expect(screen.queryAllByLabelText(/^Receiver \d+$/)).toHaveLength(0);
  });

  it('starts with the chosen file, receivers and options, and shows main errors', async () => {
    const api = await openSend();
    fireEvent.click(screen.getByRole('button', { name: 'Choose file…' }));
    await screen.findByText('lecture.pdf');
    const start = screen.getByRole('button', { name: 'Start' }) as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('New receiver'), { target: { value: '127.0.0.2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    fireEvent.change(screen.getByLabelText('MSS (bytes)'), { target: { value: '1000' } });
    api.answers['send:start'] = () => {
      throw new Error('unknown host "127.0.0.2"');
    };
    fireEvent.click(start);
    expect(await screen.findByText('unknown host "127.0.0.2"')).toBeTruthy();
    expect(api.calls.find((c) => c.channel === 'send:start')!.payload).toEqual({
      file: '/data/lecture.pdf',
      receivers: ['127.0.0.2'],
      mss: 1000,
      timeoutMs: 100,
      profile: 'standard',
      dialect: 'standard',
      protocol: 'saw',
      window: 8,
    });
  });

  it('sends the names of receivers added from the network with them, and shows each beside its entry', async () => {
    const api = await openSend();
    const announced = (n: number) => ({
      id: `00000000000000${10 + n}`,
      name: `Lab PC ${n}`,
      address: `127.0.1.${n}`,
      addresses: [`127.0.1.${n}`],
      port: 7735,
      profile: 'standard',
      code: false,
      busy: false,
      seenAt: 0,
      source: `127.0.1.${n}`,
    });
    api.answers['net:discover'] = () => [announced(9), announced(10)];
    fireEvent.click(screen.getByRole('button', { name: 'Choose file…' }));
    await screen.findByText('lecture.pdf');
    fireEvent.change(screen.getByLabelText('New receiver'), { target: { value: '127.0.0.2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    fireEvent.click(await screen.findByLabelText('Select all 2'));
    const addFound = screen.getByRole('button', { name: 'Add 2 receivers' });
    addFound.focus();
    fireEvent.click(addFound);
    // It greys out: the keyboard stays by the list it added from, not at the page's top.
    expect(document.activeElement).toBe(screen.getByRole('list', { name: 'Receivers on this network' }));
    const names = screen.getAllByText(/^Lab PC \d+$/, { selector: '.receiver-name' });
    expect(names.map((e) => e.textContent)).toEqual(['Lab PC 9', 'Lab PC 10']);
    // Cut short where the row is narrow: the whole name on hover.
    expect(names.map((e) => e.title)).toEqual(['Lab PC 9', 'Lab PC 10']);
    // Every one added: the box beside "All 2 added" is ticked, as each row's is, not left empty beside it.
    const all = screen.getByLabelText<HTMLInputElement>('All 2 added');
    expect([all.checked, all.disabled]).toEqual([true, true]);
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(api.calls.some((c) => c.channel === 'send:start')).toBe(true));
    expect(api.calls.find((c) => c.channel === 'send:start')!.payload).toMatchObject({
      receivers: ['127.0.0.2', '127.0.1.9', '127.0.1.10'],
      names: [null, 'Lab PC 9', 'Lab PC 10'],
    });
  });

  it("speaks the receivers' dialect: a preset or tokens typed, checked against the profile", async () => {
    const api = await openSendReady();
    const field = screen.getByLabelText('Dialect');
    fireEvent.change(field, { target: { value: 'seq0,seq2' } });
    expect(screen.getByRole('alert').textContent).toMatch(/^unknown dialect "seq2": use standard or /);
    fireEvent.change(field, { target: { value: 'ACK-next, seq0' } });
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.change(screen.getByLabelText('Profile'), { target: { value: 'seed-text' } });
    fireEvent.change(field, { target: { value: 'le' } });
    expect(screen.getByRole('alert').textContent).toMatch(
      /le and sum-payload apply to the standard profile only/,
    );
    fireEvent.change(field, { target: { value: 'seq0,ack-next' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(api.calls.some((c) => c.channel === 'send:start')).toBe(true));
    // The canonical spelling, as p2mpcheck prints it.
    expect(api.calls.find((c) => c.channel === 'send:start')!.payload).toMatchObject({
      profile: 'seed-text',
      dialect: 'seq0,ack-next',
    });
  });

  it("takes the receivers' session code as people type it, refusing what cannot be one", async () => {
    const api = await openSendReady();
    const start = screen.getByRole('button', { name: 'Start' }) as HTMLButtonElement;
    const field = screen.getByLabelText('Session code');
    fireEvent.change(field, { target: { value: '7K3M-Q9XD' } });
    expect(screen.getByRole('alert').textContent).toMatch(/^a session code is 12 letters and digits/);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(start.disabled).toBe(true);
    // New code: one for the room, to read out. (Before Start: once the transfer runs, the form is locked, and
    // whether its state has arrived when the button is clicked was a race.)
    fireEvent.click(screen.getByRole('button', { name: 'New code' }));
    expect((field as HTMLInputElement).value).toMatch(
      /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/,
    );
    expect(field.getAttribute('aria-invalid')).toBe('false');
    fireEvent.change(field, { target: { value: '7k3m q9xd 2hfa' } });
    expect(start.disabled).toBe(false);
    fireEvent.click(start);
    await waitFor(() => expect(api.calls.some((c) => c.channel === 'send:start')).toBe(true));
    expect(api.calls.find((c) => c.channel === 'send:start')!.payload).toMatchObject({
      code: '7k3m q9xd 2hfa',
    });
  });

  it.each([
    ['gbn', 'Go-Back-N'],
    ['sr', 'Selective Repeat'],
  ])('offers %s (%s) with its window, which stop-and-wait does not need', async (protocol, name) => {
    const api = await openSendReady();
    expect(screen.queryByLabelText(/Window/)).toBeNull();
    const select = screen.getByLabelText('Protocol');
    expect(within(select).getByRole('option', { name })).toBeTruthy();
    fireEvent.change(select, { target: { value: protocol } });
    fireEvent.change(screen.getByLabelText(/Window/), { target: { value: '0' } });
    expect(screen.getByText('window must be a whole number from 1 to 1024, got 0')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Window/), { target: { value: '16' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(api.calls.some((c) => c.channel === 'send:start')).toBe(true));
    expect(api.calls.find((c) => c.channel === 'send:start')!.payload).toMatchObject({
      protocol,
      window: 16,
    });
  });

  it('offers multicast for Selective Repeat only, on by default; off, the start request says so', async () => {
    const api = await openSendReady();
    const select = screen.getByLabelText('Protocol');
    fireEvent.change(select, { target: { value: 'gbn' } });
    expect(screen.queryByRole('checkbox', { name: 'Multicast' })).toBeNull();
    fireEvent.change(select, { target: { value: 'sr' } });
    const box = screen.getByRole('checkbox', { name: 'Multicast' }) as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(box.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(box.getAttribute('aria-describedby')!)!.textContent).toBe(
      'Each new segment goes once to a group our receivers join; off: one copy per receiver.',
    );
    fireEvent.click(box);
    await waitFor(() => expect(box.checked).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(api.calls.some((c) => c.channel === 'send:start')).toBe(true));
    expect(api.calls.find((c) => c.channel === 'send:start')!.payload).toMatchObject({
      protocol: 'sr',
      multicast: false,
    });
  });

  it('shows live progress, per-receiver rows, lanes and a searchable timeout log', async () => {
    const api = await openSend();
    api.push({ senders: { send: midTransfer() }, receivers: {} });
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('30');
    // Stop-and-wait: the legend explains no Selective Repeat mark, none of which can be drawn.
    const legend = () => document.querySelector('.timeline-legend')!.textContent!;
    expect(legend()).not.toMatch(/fast retransmission|Selective Repeat/);
    fireEvent.change(screen.getByLabelText('Protocol'), { target: { value: 'sr' } });
    await waitFor(() => expect(legend()).toMatch(/fast retransmission.*Selective Repeat: one per segment/));
    expect(screen.getByTestId('chunks').textContent).toBe('3 / 10');
    const beta = screen.getByTestId('receiver-row-1');
    expect(within(beta).getByText(/waiting/)).toBeTruthy();
    expect(within(beta).getByTestId('timeouts').textContent).toBe('2');
    expect(within(screen.getByTestId('receiver-row-2')).getByText(/retransmitting/)).toBeTruthy();
    // The RTT heading's explanation names its figures in the order the cells show them.
    expect(screen.getByRole('columnheader', { name: 'RTT ms, mean / last' }).getAttribute('title')).toBe(
      'Mean round-trip time of first-transmission ACKs / round-trip time of the last ACK',
    );
    const lane = screen.getByRole('list', { name: 'Recent chunks for beta:7735' });
    expect(within(lane).getByTitle('chunk 3: acked after 2 timeouts')).toBeTruthy();
    expect(within(lane).getByTitle('chunk 4: sent')).toBeTruthy();
    const gammaLane = screen.getByRole('list', { name: 'Recent chunks for gamma:7735' });
    expect(within(gammaLane).getByTitle('chunk 4: retransmitted after 1 timeout')).toBeTruthy();

    expect(screen.getAllByText(/Timeout, sequence number = 3/)).toHaveLength(2);
    expect(screen.getByText(/Timeout log/).textContent).toContain('(3)');
    fireEvent.change(screen.getByLabelText('Search timeouts'), { target: { value: 'gamma' } });
    await waitFor(() => expect(screen.getAllByText(/Timeout, sequence number/)).toHaveLength(1));
    fireEvent.change(screen.getByLabelText('Search timeouts'), { target: { value: 'delta' } });
    await waitFor(() => expect(screen.getByText('No match')).toBeTruthy());
    fireEvent.change(screen.getByLabelText('Search timeouts'), { target: { value: '3' } });
    await waitFor(() => expect(screen.getAllByText(/Timeout, sequence number = 3/)).toHaveLength(2));
  });

  // A dialect numbering from 0 (the Dialect field): the log says the wire's number, as the receiver's own lines
  // and the failure reasons do, not the engine's.
  it("logs a timeout by the segment's number on the wire", async () => {
    const api = await openSend();
    const agg = new SenderAggregator();
    agg.apply(startOfTen());
    agg.apply({ type: 'timeout', t: 100, seq: 1, wire: 0, receiver: 0 });
    api.push({ senders: { send: agg.take() }, receivers: {} });
    expect(await screen.findByText(/Timeout, sequence number = 0/)).toBeTruthy();
    expect(screen.queryByText(/Timeout, sequence number = 1/)).toBeNull();
  });

  it('marks the receivers that did not answer the offer "course mode, unverified", and only those', async () => {
    const api = await openSend();
    const agg = new SenderAggregator();
    agg.apply({ type: 'offer', t: 0, receiver: 0, state: 'accepted' });
    agg.apply({ type: 'offer', t: 0, receiver: 1, state: 'course' });
    agg.apply({ type: 'offer', t: 0, receiver: 2, state: 'declined', reason: 'busy' });
    agg.apply(startOfTen());
    api.push({ senders: { send: agg.take() }, receivers: {} });
    const row = (label: string) => screen.getByRole('rowheader', { name: new RegExp(`^${label}`) });
    expect(row('alpha').textContent).toBe('alpha:7735');
    expect(row('beta').textContent).toBe('beta:7735course mode, unverified');
    expect(row('gamma').textContent).toBe('gamma:7735declined: busy');
  });

  it('shows a copyable, savable summary when done, naming a receiver that got Go-Back-N instead of Selective Repeat, and the name one kept the file under', async () => {
    const api = await openSend();
    const why = 'course mode, Go-Back-N: it cannot take Selective Repeat';
    const agg = new SenderAggregator();
    agg.apply({
      type: 'start',
      t: 0,
      fileSize: 500,
      mss: 500,
      chunks: 1,
      timeoutMs: 100,
      profile: 'standard',
      receivers: endpoints,
    });
    agg.apply({
      type: 'done',
      t: 1234,
      result: {
        ok: true,
        cancelled: false,
        fileSize: 500,
        mss: 500,
        chunks: 1,
        timeoutRounds: 0,
        timeoutMs: 100,
        durationMs: 1234,
        receivers: endpoints.map((receiver) => ({
          receiver,
          state: 'done' as const,
          acks: 2,
          timeouts: 0,
          retransmissions: 0,
          keepalives: 0,
          rtt: { min: 0.1, mean: 0.2, max: 0.3, samples: 2 },
          bytes: 500,
          timeMs: 1200,
          ...(receiver.id === 1 ? { fallback: why } : { multicast: receiver.id === 0 ? 'group' : 'unicast' }),
          // The offered name was taken there.
          ...(receiver.id === 2 ? { keptAs: 'report (2).pdf' } : {}),
        })),
      },
    });
    api.push({ senders: { send: agg.take() }, receivers: {} });
    expect(screen.getAllByText('✓')).toHaveLength(3);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    const row = (label: string) => screen.getByRole('rowheader', { name: new RegExp(`^${label}`) });
    expect(row('alpha').textContent).toBe('alpha:7735multicast');
    expect(row('beta').textContent).toBe('beta:7735Go-Back-N, not Selective Repeat');
    expect(row('gamma').textContent).toBe(
      'gamma:7735kept as report (2).pdfunicast: the group did not get through',
    );
    expect(within(row('beta')).getByTitle(why)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    await screen.findByText('Copied');
    const copied = api.calls.find((c) => c.channel === 'summary:copy')!.payload as { text: string };
    expect(copied.text).toContain('P2MP-FTP transfer complete');
    expect(copied.text).toMatch(/^gamma:7735 {2}done {6}2 {9}0 {16}0 {10}0\.200 {6}1\.20$/m);
    api.answers['summary:save'] = () => '/home/me/summary.txt';
    fireEvent.click(screen.getByRole('button', { name: 'Save…' }));
    expect(await screen.findByText('Saved to /home/me/summary.txt')).toBeTruthy();
  });
});
