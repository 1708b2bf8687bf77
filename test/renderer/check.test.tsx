// The Check an implementation screen with main stood in: what it asks for, and how it shows a report.
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/App';
import { RULE_IDS, type CheckReport, type ClientReport } from '../../src/shared/check/rules';
import type { CheckOutcome, CheckStarted } from '../../src/shared/contract';
import { installFakeApi } from './fakeApi';
import { resetAfterEach } from './setup';

resetAfterEach();

const receiverReport: CheckReport = {
  target: '127.0.0.1:7735',
  dialect: {
    format: 'binary',
    order: 'big',
    coverage: 'header-and-payload',
    base: 1,
    unit: 'segment',
    ack: 'next',
    eof: 'empty',
  },
  verdicts: RULE_IDS.map((id) =>
    id === 'bad-checksum'
      ? { id, status: 'fails', detail: 'ACKs corrupted data: seq 4 with a bad checksum got ACK 5' }
      : id === 'ack-meaning'
        ? { id, status: 'differs', detail: 'ACKs next-expected' }
        : { id, status: 'pass', detail: 'fine' },
  ),
};

describe('Check an implementation', () => {
  it('checks a receiver at the address typed and shows its report with the --dialect to copy', async () => {
    const api = installFakeApi({ mode: 'check' });
    const started: CheckStarted = { kind: 'receiver', addresses: ['127.0.0.1'], port: 7735 };
    const outcome: CheckOutcome = { kind: 'receiver', report: receiverReport, evidence: [] };
    api.answers['check:start'] = () => started;
    api.answers['check:result'] = () => outcome;
    render(<App />);
    const address = await screen.findByLabelText('Receiver address');
    fireEvent.change(address, { target: { value: 'lab-pc-2' } });
    expect((screen.getByRole('button', { name: 'Start check' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('alert').textContent).toMatch(/enter the receiver's address as numbers/);
    fireEvent.change(address, { target: { value: '127.0.0.1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
    expect(await screen.findByText('Result: 1 course rule fails: bad checksum ignored')).toBeTruthy();
    expect(api.calls).toContainEqual({
      channel: 'check:start',
      payload: { kind: 'receiver', host: '127.0.0.1', port: 7735 },
    });
    const row = document.querySelector('[data-rule="bad-checksum"]')!;
    expect(row.querySelector('.badge-fails')!.textContent).toBe('fails');
    expect(row.textContent).toMatch(
      /ACKs corrupted data.*Course: checksum error: "the receiver does nothing"/,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Copy --dialect ack-next' }));
    await waitFor(() =>
      expect(api.calls).toContainEqual({ channel: 'summary:copy', payload: { text: '--dialect ack-next' } }),
    );
    expect(screen.getByText('No datagram was exchanged.')).toBeTruthy();
  });

  it('says under the dialect that a receiver answers slower than the wait, and the --timeout that suits it', async () => {
    const api = installFakeApi({ mode: 'check' });
    const slow = { ...receiverReport, slow: { answerMs: 450, timeoutMs: 300, waitMs: 900 } };
    api.answers['check:start'] = () => ({ kind: 'receiver', addresses: ['127.0.0.1'], port: 7735 });
    api.answers['check:result'] = () => ({ kind: 'receiver', report: slow, evidence: [] });
    render(<App />);
    fireEvent.change(await screen.findByLabelText('Receiver address'), { target: { value: '127.0.0.1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
    expect(
      await screen.findByText(
        // The app has no --timeout to give: the check adapted, and says so.
        "Slow: it answers up to 450 ms after a probe, later than the check's 0.3 s wait for a reply; late ACKs " +
          'were matched to their own probes and the check waited 0.9 s from then on',
      ),
    ).toBeTruthy();
  });

  it('says so when no sender came to the receivers it played', async () => {
    const api = installFakeApi({ mode: 'check' });
    const silent: ClientReport = {
      receivers: ['127.0.0.2', '127.0.0.3'],
      port: 7736,
      silent: true,
      verdicts: [],
      evidence: [],
    };
    api.answers['check:start'] = () => ({
      kind: 'sender',
      addresses: ['127.0.0.2', '127.0.0.3'],
      port: 7736,
      waitMs: 60_000,
      quietMs: 3_000,
    });
    api.answers['check:result'] = () => ({ kind: 'sender', report: silent });
    render(<App />);
    fireEvent.click(await screen.findByLabelText('A sender: this app plays its receivers'));
    fireEvent.change(screen.getByLabelText('Port the receivers listen on'), { target: { value: '7736' } });
    fireEvent.change(screen.getByLabelText('Receivers'), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
    expect(
      await screen.findByText(
        'No sender was heard on 127.0.0.2 127.0.0.3 port 7736 within 60 s: nothing was checked.',
      ),
    ).toBeTruthy();
    expect(api.calls).toContainEqual({
      channel: 'check:start',
      payload: { kind: 'sender', port: 7736, receivers: 2 },
    });
  });

  // The evidence's legend named losses "mid-way in the simulated network", "a packet in flight (at a teaching
  // pace)" and the demo's network: a check has neither, and a teacher reading it to a class had to explain them away.
  it("the evidence's legend names only what a check draws", async () => {
    const api = installFakeApi({ mode: 'check' });
    const evidence = [
      {
        t: 1,
        dir: 'to-receiver' as const,
        receiver: 0,
        seq: 1,
        what: 'segment, 100 bytes',
        mark: 'send' as const,
      },
      { t: 2, dir: 'to-sender' as const, receiver: 0, seq: 1, what: 'ACK 1', mark: 'ack' as const },
    ];
    api.answers['check:start'] = () => ({ kind: 'receiver', addresses: ['127.0.0.1'], port: 7735 });
    api.answers['check:result'] = () => ({ kind: 'receiver', report: receiverReport, evidence });
    render(<App />);
    fireEvent.change(await screen.findByLabelText('Receiver address'), { target: { value: '127.0.0.1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
    await screen.findByText('Result: 1 course rule fails: bad checksum ignored');
    const legend = document.querySelector('.timeline-legend')!.textContent!;
    expect(legend).toContain('data packet, labelled with its number');
    expect(legend).not.toMatch(/simulated network|teaching pace|fast retransmission|Selective Repeat/);
  });
  it('passes the file picked for each kind of check, and none once cleared', async () => {
    const api = installFakeApi({ mode: 'check' });
    const output = { path: '/home/st/rx/out.txt', name: 'out.txt', size: 0, sha256: 'e3'.repeat(32) };
    const sent = { path: '/home/st/tx/big.bin', name: 'big.bin', size: 4096, sha256: 'ab'.repeat(32) };
    let chosen = output;
    api.answers['file:choose'] = () => chosen;
    api.answers['check:start'] = () => new Promise(() => undefined);
    render(<App />);
    const picked = (name: string) =>
      screen.getByRole('group', { name }).querySelector('[aria-label="Chosen file"] dd')?.textContent;
    await screen.findByLabelText('Receiver address');
    fireEvent.click(screen.getByRole('button', { name: 'Choose file…' }));
    await waitFor(() => expect(picked('Its output file (optional)')).toBe('out.txt'));
    // The sender's check has a file of its own: the receiver's output is not what a sender sends.
    fireEvent.click(screen.getByLabelText(/A sender/));
    expect(picked('The file your sender sends (optional)')).toBeUndefined();
    chosen = sent;
    fireEvent.click(screen.getByRole('button', { name: 'Choose file…' }));
    await waitFor(() => expect(picked('The file your sender sends (optional)')).toBe('big.bin'));
    fireEvent.click(screen.getByLabelText(/A receiver/));
    expect(picked('Its output file (optional)')).toBe('out.txt');
    fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
    await waitFor(() =>
      expect(api.calls).toContainEqual({
        channel: 'check:start',
        payload: { kind: 'receiver', host: '127.0.0.1', port: 7735, file: '/home/st/rx/out.txt' },
      }),
    );
  });

  it('checks without a file once the chosen one is cleared', async () => {
    const api = installFakeApi({ mode: 'check' });
    api.answers['file:choose'] = () => ({ path: '/tmp/out.txt', name: 'out.txt', size: 0, sha256: '' });
    api.answers['check:start'] = () => new Promise(() => undefined);
    render(<App />);
    await screen.findByLabelText('Receiver address');
    fireEvent.click(screen.getByRole('button', { name: 'Choose file…' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Clear' }));
    expect(screen.queryByRole('button', { name: 'Clear' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Start check' }));
    await waitFor(() =>
      expect(api.calls).toContainEqual({
        channel: 'check:start',
        payload: { kind: 'receiver', host: '127.0.0.1', port: 7735 },
      }),
    );
  });
});
