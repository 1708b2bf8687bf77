// The receiver's rules on the pure machine, in virtual time with the default timings (10 s idle, 1 s linger, 3 s
// stale): no socket, no file, no wall clock. Datagrams are the course's standard wire bytes.
import { expect, it } from 'vitest';
import { standard } from '../../src/shared/protocol/standard.js';
import { acks, driveReceiver, receivingConfig, SENDER } from './drive.js';

const data = (seq: number, text: string): Buffer => standard.encodeData(seq, Buffer.from(text));
const marker = (seq: number): Buffer => standard.encodeData(seq, Buffer.alloc(0));
const outcomes = (actions: ReturnType<ReturnType<typeof driveReceiver>['input']>) =>
  actions.flatMap((a) => (a.type === 'event' && a.event.type === 'packet' ? [a.event.outcome] : []));

it('writes the next segment in order, then ACKs it; discards an out-of-order one and re-ACKs the last in order', () => {
  const receiver = driveReceiver();
  const first = receiver.datagram(data(1, 'one '), 0);
  expect(first.map((a) => a.type)).toContain('write');
  expect(first.findIndex((a) => a.type === 'write')).toBeLessThan(first.findIndex((a) => a.type === 'ack'));
  expect(acks(first)).toEqual([1]);
  const ahead = receiver.datagram(data(3, 'three '), 1);
  expect(ahead.some((a) => a.type === 'write')).toBe(false);
  expect(acks(ahead)).toEqual([1]);
  expect(outcomes(ahead)).toEqual(['out-of-order']);
  expect(acks(receiver.datagram(data(2, 'two '), 2))).toEqual([2]);
  expect(receiver.written.toString()).toBe('one two ');
  expect(receiver.state.counters).toMatchObject({ outOfOrder: 1, acksSent: 3, bytesWritten: 8 });
});

it('a duplicate is written once and ACKed again', () => {
  const receiver = driveReceiver();
  receiver.datagram(data(1, 'one '), 0);
  receiver.datagram(data(2, 'two '), 1);
  const again = receiver.datagram(data(1, 'one '), 2);
  expect(again.some((a) => a.type === 'write')).toBe(false);
  expect(acks(again)).toEqual([2]);
  expect(outcomes(again)).toEqual(['duplicate']);
  expect(receiver.written.toString()).toBe('one two ');
  expect(receiver.state.counters.duplicates).toBe(1);
});

it('a lost datagram (p) or a bad checksum gets no ACK at all', () => {
  const receiver = driveReceiver();
  expect(receiver.datagram(data(1, 'one '), 0, SENDER, true).filter((a) => a.type !== 'event')).toEqual([]);
  const corrupted = data(1, 'one ');
  corrupted[corrupted.length - 1]! ^= 1;
  expect(acks(receiver.datagram(corrupted, 1))).toEqual([]);
  expect(receiver.state.counters).toMatchObject({ dropped: 1, corrupt: 1, acksSent: 0 });
});

it('never ACKs what it could not write: the transfer fails and its .part file goes', () => {
  const receiver = driveReceiver();
  receiver.datagram(data(1, 'one '), 0);
  receiver.failNextWrite('cannot write "/out-0.bin.part": no space left on the disk');
  const failed = receiver.datagram(data(2, 'two '), 1);
  expect(acks(failed)).toEqual([]);
  expect(failed.map((a) => a.type)).toContain('abandon');
  expect(failed).toContainEqual(expect.objectContaining({ type: 'finish', ok: false }));
});

it('the end marker keeps the file, then it is ACKed; its retransmissions are re-ACKed until 1 s of quiet', () => {
  const receiver = driveReceiver();
  receiver.datagram(data(1, 'whole'), 0);
  const end = receiver.datagram(marker(2), 10);
  const types = end.map((a) => a.type);
  expect(types.indexOf('commit')).toBeLessThan(types.indexOf('ack'));
  expect(acks(end)).toEqual([2]);
  expect(receiver.timerAt).toBe(1010);
  expect(acks(receiver.datagram(marker(2), 500))).toEqual([2]); // its ACK was lost: the sender sent it again
  expect(receiver.timerAt).toBe(1010); // the timer reads the last packet's time when it fires
  const linger = receiver.input({ type: 'timer' }, 1010);
  expect(linger).toContainEqual({ type: 'arm', ms: 490 });
  expect(receiver.input({ type: 'timer' }, 1500)).toContainEqual({ type: 'finish', ok: true });
  expect(receiver.state.files).toMatchObject([{ bytes: 5, endedBy: 'marker', verified: true }]);
});

it('a sender silent for 10 s: the transfer fails (standard profile) and nothing is kept', () => {
  const receiver = driveReceiver();
  receiver.datagram(data(1, 'one '), 0);
  receiver.datagram(data(2, 'two '), 100);
  expect(receiver.timerAt).toBe(10_000);
  const early = receiver.input({ type: 'timer' }, 10_000);
  expect(early).toContainEqual({ type: 'arm', ms: 100 });
  const silent = receiver.input({ type: 'timer' }, 10_100);
  expect(silent).toContainEqual({
    type: 'event',
    event: expect.objectContaining({
      type: 'transfer-failed',
      reason: 'the sender went silent for 10.0 s after 8 bytes; the partial file was removed',
    }),
  });
  expect(receiver.state.files).toEqual([]);
});

it('another host is foreign while the transfer is alive, and takes over with its segment 1 after 3 s of silence', () => {
  const receiver = driveReceiver(receivingConfig({ keepListening: true }));
  const other = { address: '127.0.0.9', port: 6000 };
  receiver.datagram(data(1, 'one '), 0);
  const early = receiver.datagram(data(1, 'EVIL'), 2_999, other);
  expect(outcomes(early)).toEqual(['foreign']);
  expect(acks(early)).toEqual([]);
  const later = receiver.datagram(data(1, 'new '), 3_000, other);
  expect(later).toContainEqual({
    type: 'event',
    event: expect.objectContaining({
      type: 'transfer-failed',
      reason: 'abandoned: its sender was silent for 3.0 s and 127.0.0.9:6000 started a new transfer',
    }),
  });
  expect(acks(later)).toEqual([1]);
  expect(receiver.written.toString()).toBe('new ');
});
