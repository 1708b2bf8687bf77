// The receiver's rules on the pure machine, in virtual time with the default timings (10 s idle, 1 s linger, 3 s
// stale): no socket, no file, no wall clock. Datagrams are the course's standard wire bytes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Offer } from '../../src/shared/offer/message.js';
import { standard } from '../../src/shared/protocol/standard.js';
import type { Address } from '../../src/shared/engine/receiving.js';
import { unverifiedNote } from '../../src/shared/events.js';
import { acks, answeredOffer, driveReceiver, receivingConfig, SENDER } from './drive.js';

const data = (seq: number, text: string): Buffer => standard.encodeData(seq, Buffer.from(text));
const marker = (seq: number): Buffer => standard.encodeData(seq, Buffer.alloc(0));
/** An offer of `content` from SENDER's host: stop-and-wait, or what `terms` say. */
const offerOf = (id: string, content: string, terms: Partial<Offer> = {}): Offer => ({
  id,
  name: 'f.txt',
  size: content.length,
  sha256: createHash('sha256').update(content).digest('hex'),
  mss: 4,
  protocol: 'saw',
  profile: 'standard',
  ...terms,
});

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

it('never ACKs a segment 0 before its transfer: the ACK 0 would read as its ACK to a sender numbering from 0', () => {
  // A sender of dialect seq0 (or bytes) at a receiver that numbers from 1: before, segment 0 was ACKed 0 as a
  // duplicate, the sender took that for its ACK and went on, and the file lacked its first segment.
  const receiver = driveReceiver();
  const zero = receiver.datagram(data(0, 'zero'), 0);
  expect(acks(zero)).toEqual([]);
  expect(zero.some((a) => a.type === 'open' || a.type === 'write')).toBe(false);
  expect(outcomes(zero)).toEqual(['out-of-order']);
  expect(zero).toContainEqual({
    type: 'event',
    event: { type: 'other-numbering', t: 0, from: `${SENDER.address}:${SENDER.port}`, seq: 0, first: 1 },
  });
  expect(receiver.state.counters).toMatchObject({ outOfOrder: 1, acksSent: 0 });
  // A sender of the course's numbering on that host (3 s after its last segment 0) opens its transfer with
  // segment 1, as the course says.
  expect(acks(receiver.datagram(data(1, 'one '), 3_000))).toEqual([1]);
  expect(acks(receiver.datagram(data(2, 'two '), 3_001))).toEqual([2]);
});

it('a windowed sender numbering from 0 opens nothing: its segment 1 is its second, even when its 0 is lost', () => {
  // Go-Back-N sends segments 0..3 at once: ACK 1 for its segment 1 would read as covering segment 0 too.
  for (const lost of [false, true]) {
    const receiver = driveReceiver();
    const all = [0, 1, 2, 3].flatMap((seq) =>
      receiver.datagram(data(seq, `s${seq} `), seq, SENDER, seq === 0 && lost),
    );
    expect(acks(all)).toEqual([]);
    expect(all.some((a) => a.type === 'open' || a.type === 'write')).toBe(false);
    const told = all.flatMap((a) =>
      a.type === 'event' && a.event.type === 'other-numbering' ? [a.event] : [],
    );
    expect(told.map((e) => [e.seq, e.first])).toEqual(Array(lost ? 3 : 4).fill([0, 1]));
    // The same host, 3 s after its last segment 0 (a sender started again, numbering from 1): its segment 1 opens.
    expect(acks(receiver.datagram(data(1, 'one '), 3_000))).toEqual([1]);
  }
});

describe('a sender numbering from 0 where another transfer stands (the default timings)', () => {
  const B = { address: '127.0.0.9', port: 6000 };
  const zeroToThree = (receiver: ReturnType<typeof driveReceiver>, at: number, from: Address) =>
    [0, 1, 2, 3].flatMap((seq) => receiver.datagram(data(seq, `s${seq} `), at + seq, from));

  it('takes over no stale transfer: its segment 0, foreign then, still holds its segment 1 off', () => {
    const receiver = driveReceiver(receivingConfig({ keepListening: true }));
    receiver.datagram(data(1, 'A1 '), 0);
    receiver.datagram(data(2, 'A2 '), 1); // A goes silent: stale after 3 s
    const all = [3_100, 3_200, 3_300].flatMap((at) => zeroToThree(receiver, at, B));
    expect(acks(all)).toEqual([]);
    expect(all.some((a) => a.type === 'open')).toBe(false);
  });

  it('is not answered by a finished transfer lingering on its host: no ACK 2 to read as covering its 0..2', () => {
    const receiver = driveReceiver(receivingConfig({ keepListening: true }));
    receiver.datagram(data(1, 'one '), 0);
    receiver.datagram(marker(2), 1); // kept; it lingers 1 s to re-ACK the marker
    const next = { address: SENDER.address, port: 5001 };
    const all = zeroToThree(receiver, 100, next);
    expect(acks(all)).toEqual([]);
    expect(all.some((a) => a.type === 'open')).toBe(false);
    // The finished transfer's file stays kept.
    expect(receiver.state.files.map((f) => f.bytes)).toEqual([4]);
  });

  it('holds off the socket that sent segment 0, not another sender on its machine (a lab PC, a NAT)', () => {
    const receiver = driveReceiver();
    receiver.datagram(data(0, 'zero'), 0); // SENDER, 127.0.0.1:5000
    expect(acks(receiver.datagram(data(1, 'one '), 1))).toEqual([]);
    expect(acks(receiver.datagram(data(1, 'one '), 2, { address: SENDER.address, port: 5001 }))).toEqual([1]);
  });

  it('a forged segment 0 holds off no accepted offer (offered transfers number from 1)', () => {
    const offer = offerOf('o-1', 'one ');
    const receiver = driveReceiver(receivingConfig(), answeredOffer(offer));
    receiver.datagram(data(0, 'forged'), 0);
    expect(acks(receiver.datagram(data(1, 'one '), 1))).toEqual([1]);
  });
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
      reason:
        'the sender went silent for 10.0 s after 8 bytes, with no end marker; the partial file was removed',
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

it('a stranger cannot hold the receiver with a segment 1 and then anything every 2 s: not past segment 1 in 3 s, it is stale', () => {
  const receiver = driveReceiver(receivingConfig({ keepListening: true }));
  const stranger = { address: '127.0.0.9', port: 6000 };
  const real = { address: '127.0.0.7', port: 7000 };
  receiver.datagram(data(1, 'EVIL'), 0, stranger);
  receiver.datagram(data(7, 'x'), 1_000, stranger);
  receiver.datagram(data(7, 'x'), 2_900, stranger);
  expect(outcomes(receiver.datagram(data(1, 'real'), 2_950, real))).toEqual(['foreign']);
  const taken = receiver.datagram(data(1, 'real'), 3_000, real);
  expect(acks(taken)).toEqual([1]);
  expect(receiver.written.toString()).toBe('real');
});

it('another host\'s offer gets "wait" while a finished transfer lingers (its segment 1 would be foreign), then is answered', () => {
  const receiver = driveReceiver(receivingConfig({ keepListening: true }));
  const other = { address: '127.0.0.9', port: 6000 };
  const offer: Offer = {
    id: '0123456789abcdef',
    name: 'next.txt',
    size: 4,
    sha256: createHash('sha256').update('next').digest('hex'),
    mss: 4,
    protocol: 'saw',
    profile: 'standard',
  };
  const answer = (at: number) =>
    receiver.input({ type: 'offer', offer, from: other }, at).find((a) => a.type === 'answer-offer');
  receiver.datagram(data(1, 'whole'), 0);
  receiver.datagram(marker(2), 10);
  expect(receiver.state.transfer?.completed).toBe(true);
  // Lingering: accepted now, the new sender's segment 1 would be foreign until the linger ends.
  expect(answer(500)).toMatchObject({ busy: true });
  expect(outcomes(receiver.datagram(data(1, 'next'), 600, other))).toEqual(['foreign']);
  receiver.input({ type: 'timer' }, 1010); // the linger ends: the receiver listens for the next transfer
  expect(receiver.state.transfer).toBeNull();
  expect(answer(1100)).toMatchObject({ busy: false });
});

it('Selective Repeat, agreed through the offer: keeps segments ahead within the window, ACKs each, writes in order, verifies', () => {
  const content = 'one two three four ';
  const offer: Offer = {
    id: '0123456789abcdef',
    name: 'f.txt',
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    mss: 6,
    protocol: 'sr',
    window: 4,
    profile: 'standard',
  };
  const receiver = driveReceiver(receivingConfig(), answeredOffer(offer));
  // Segments 1 and 2 lost: 3 opens the transfer, is kept and ACKed with its own number; so is 2.
  const three = receiver.datagram(data(3, 'three '), 0);
  expect(three.some((a) => a.type === 'write')).toBe(false);
  expect(acks(three)).toEqual([3]);
  expect(acks(receiver.datagram(data(2, 'two '), 1))).toEqual([2]);
  // Beyond the window (1 + 4): the course's rule, ACK of the last in order (none yet): it is not kept.
  expect(acks(receiver.datagram(data(5, 'x'), 2))).toEqual([0]);
  // Segment 1 at last: 1, 2 and 3 are written in order; only 1 is ACKed now (2 and 3 were).
  const one = receiver.datagram(data(1, 'one '), 3);
  expect(one.filter((a) => a.type === 'write')).toHaveLength(3);
  expect(acks(one)).toEqual([1]);
  expect(receiver.written.toString()).toBe('one two three ');
  // The end marker ahead of order, even within the window, is not taken (its ACK will say the file is kept).
  expect(acks(receiver.datagram(marker(5), 3))).toEqual([3]);
  // A duplicate is ACKed with its own number, not the last in order.
  expect(acks(receiver.datagram(data(2, 'two '), 4))).toEqual([2]);
  expect(acks(receiver.datagram(data(4, 'four '), 5))).toEqual([4]);
  // The end marker in order: SHA-256 checked against the offer, kept, then ACKed.
  const end = receiver.datagram(marker(5), 6);
  expect(end.map((a) => a.type)).toEqual(expect.arrayContaining(['digest', 'commit']));
  expect(acks(end)).toEqual([5]);
  expect(receiver.written.toString()).toBe(content);
  expect(receiver.state.counters).toMatchObject({
    outOfOrder: 4,
    duplicates: 1,
    acksSent: 8,
    bytesWritten: 19,
  });
});

it("an offered transfer says the offer's size as it starts, each segment kept ahead, and that it verifies before keeping", () => {
  const content = 'one two three ';
  const offer = offerOf('0123456789abcdef', content, { mss: 6, protocol: 'sr', window: 4 });
  const receiver = driveReceiver(receivingConfig(), answeredOffer(offer));
  const events = [
    ...receiver.datagram(data(2, 'two '), 0),
    ...receiver.datagram(data(1, 'one '), 1),
    ...receiver.datagram(data(3, 'three '), 2),
    ...receiver.datagram(marker(4), 3),
  ].flatMap((a) => (a.type === 'event' ? [a.event] : []));
  expect(events[0]).toMatchObject({ type: 'transfer-start', offered: true, size: content.length });
  expect(
    events.filter((e) => e.type === 'packet' && e.kept).map((e) => e.type === 'packet' && e.seq),
  ).toEqual([2]);
  expect(events.slice(-2).map((e) => e.type)).toEqual(['verifying', 'complete']);
});

it('Selective Repeat: the same content with the wrong SHA-256 is not kept, and the sender is told', () => {
  const offer: Offer = {
    id: '0123456789abcdef',
    name: 'f.txt',
    size: 8,
    sha256: '0'.repeat(64),
    mss: 4,
    protocol: 'sr',
    window: 4,
    profile: 'standard',
  };
  const receiver = driveReceiver(receivingConfig(), answeredOffer(offer));
  receiver.datagram(data(2, 'two '), 0);
  receiver.datagram(data(1, 'one '), 1);
  const end = receiver.datagram(marker(3), 2);
  expect(acks(end)).toEqual([]);
  expect(end).toContainEqual(expect.objectContaining({ type: 'decline' }));
  expect(end.map((a) => a.type)).toContain('abandon');
});

it('Selective Repeat: a new accepted transfer from the same host ends the last one lingering, even if its segment 1 is lost', () => {
  const offer = (id: string, content: string) => offerOf(id, content, { protocol: 'sr', window: 4 });
  const first = offer('0123456789abcdef', 'one two ');
  const receiver = driveReceiver(receivingConfig({ keepListening: true }), answeredOffer(first));
  receiver.datagram(data(1, 'one '), 0);
  receiver.datagram(data(2, 'two '), 1);
  expect(acks(receiver.datagram(marker(3), 2))).toEqual([3]);
  expect(receiver.state.transfer?.completed).toBe(true);
  // The next sender (a new socket: another port) had its offer accepted; its segment 1 is lost, 2 arrives.
  const next: Address = { address: SENDER.address, port: SENDER.port + 1 };
  const second = receiver.input(
    {
      type: 'datagram',
      from: next,
      length: 12,
      decoded: standard.decode(data(2, 'TWO ')),
      offered: answeredOffer(offer('fedcba9876543210', 'ONE TWO ')),
      lost: () => false,
    },
    3,
  );
  // Kept for the new transfer and ACKed as its own, not re-ACKed by the old one.
  expect(acks(second)).toEqual([2]);
  expect(second.map((a) => a.type)).toContain('open');
  expect(receiver.state.transferIndex).toBe(1);
  expect(receiver.state.transfer?.completed).toBe(false);
});

it('a file kept for want of an end marker (onIdle complete) took until its last datagram, not until the silence was noticed', () => {
  const receiver = driveReceiver(receivingConfig({ onIdle: 'complete' }));
  receiver.datagram(data(1, 'one '), 0);
  receiver.datagram(data(2, 'two '), 250);
  receiver.input({ type: 'timer' }, 10_000);
  receiver.input({ type: 'timer' }, 10_250);
  expect(receiver.state.files).toMatchObject([
    { endedBy: 'idle', verified: false, bytes: 8, durationMs: 250 },
  ]);
});

// Without an end marker (the reference client, --dialect eof-none: onIdle complete), silence ends a transfer.
// A review across real processes found three ways it lost files the sender believed delivered.
describe('transfers that end by silence (no end marker)', () => {
  const silence = () => driveReceiver(receivingConfig({ onIdle: 'complete', keepListening: true }));

  it('keeps a one-segment file (a first "hello"), where a lone segment 1 is otherwise a stray passed over', () => {
    const receiver = silence();
    receiver.datagram(data(1, 'hello'), 0);
    receiver.input({ type: 'timer' }, 10_000);
    expect(receiver.state.files).toMatchObject([{ endedBy: 'idle', bytes: 5 }]);
    const strict = driveReceiver(receivingConfig({ keepListening: true }));
    strict.datagram(data(1, 'hello'), 0);
    strict.input({ type: 'timer' }, 10_000);
    expect(strict.state.files).toEqual([]);
  });

  it("keeps a finished transfer when another host's segment 1 takes over after 3 s, not abandons it", () => {
    const receiver = silence();
    const other = { address: '127.0.0.9', port: 6000 };
    receiver.datagram(data(1, 'one '), 0);
    receiver.datagram(data(2, 'two '), 100);
    const taken = receiver.datagram(data(1, 'new '), 3_100, other);
    expect(acks(taken)).toEqual([]); // answered once the file is kept: its sender repeats it in T
    expect(receiver.state.files).toMatchObject([{ endedBy: 'idle', bytes: 8 }]);
    expect(acks(receiver.datagram(data(1, 'new '), 3_200, other))).toEqual([1]);
  });

  it("takes the same host's next file from a new port once the last one has not moved for 1 s", () => {
    const receiver = silence();
    receiver.datagram(data(1, 'one '), 0);
    receiver.datagram(data(2, 'two '), 100);
    const next = { ...SENDER, port: SENDER.port + 1 };
    // Within the second: a copy of segment 1 (a network's duplicate) is a duplicate, ACKed with the last in order.
    expect(acks(receiver.datagram(data(1, 'one '), 600, next))).toEqual([2]);
    expect(acks(receiver.datagram(data(1, 'new '), 900, next))).toEqual([2]);
    // After it: the next file's segment 1, retried every T, opens it (the last one kept as it stood).
    expect(acks(receiver.datagram(data(1, 'new '), 1_100, next))).toEqual([]);
    expect(receiver.state.files).toMatchObject([{ endedBy: 'idle', bytes: 8 }]);
    expect(acks(receiver.datagram(data(1, 'new '), 1_200, next))).toEqual([1]);
    expect(acks(receiver.datagram(data(2, 'more'), 1_300, next))).toEqual([2]);
    // The same file again (its segment 1 is the last one's first) opens only after the stale time, 3 s.
    const again = { ...SENDER, port: SENDER.port + 2 };
    expect(acks(receiver.datagram(data(1, 'new '), 4_200, again))).toEqual([2]);
    expect(acks(receiver.datagram(data(1, 'new '), 4_300, again))).toEqual([]);
    expect(receiver.state.files).toHaveLength(2);
  });

  it("a file ended by the host's next one took until its last segment, not until that next one's segment 1", () => {
    const receiver = silence();
    receiver.datagram(data(1, 'one '), 0);
    receiver.datagram(data(2, 'two '), 100);
    // The next sender's segment 1, retried every T from a new port until the last file is kept (1 s unmoved).
    const next = { ...SENDER, port: SENDER.port + 1 };
    for (const at of [600, 700, 800, 900, 1_000, 1_100]) receiver.datagram(data(1, 'new '), at, next);
    expect(receiver.state.files).toMatchObject([{ endedBy: 'idle', bytes: 8, durationMs: 100 }]);
  });

  it('Ctrl-C while the sender is silent keeps what arrived, unverified, as the silence would have, and says it was stopped', () => {
    // The reference server never exits, so its users stop it once the sender is done: that must not lose the file.
    const receiver = driveReceiver(receivingConfig({ onIdle: 'complete' }));
    receiver.datagram(data(1, 'one '), 0);
    receiver.datagram(data(2, 'two '), 100);
    const stop = receiver.input({ type: 'stop' }, 2_000);
    expect(stop.map((a) => a.type)).not.toContain('abandon');
    expect(receiver.state.files).toMatchObject([
      { endedBy: 'stopped', verified: false, bytes: 8, durationMs: 100 },
    ]);
    expect(unverifiedNote(receiver.state.files[0]!)).toBe(
      'unverified: this receiver was stopped before any end marker came, so it may be incomplete',
    );
    expect(stop).toContainEqual({ type: 'finish', ok: true });
    // A sender that sends an end marker: stopped before it came, the file is not whole.
    const strict = driveReceiver(receivingConfig());
    strict.datagram(data(1, 'one '), 0);
    strict.datagram(data(2, 'two '), 100);
    expect(strict.input({ type: 'stop' }, 2_000).map((a) => a.type)).toContain('abandon');
    expect(strict.state.files).toEqual([]);
  });
});

/** A datagram from `address` while the host's offer entry says `offer`, accepted, came from `offerPort`. */
const from = (bytes: Buffer, address: Address, offer: Offer, offerPort = address.port) => ({
  type: 'datagram' as const,
  from: address,
  length: bytes.length,
  decoded: standard.decode(bytes),
  offered: { offer, accepted: true, port: offerPort, heardAt: 0 },
  lost: () => false,
});

it("an accepted offer holds the host's other ports off until it goes stale: then one may be a course sender", () => {
  const offer = offerOf('0123456789abcdef', 'one two ');
  const receiver = driveReceiver(receivingConfig(), answeredOffer(offer));
  const course: Address = { address: SENDER.address, port: SENDER.port + 7 };
  const fromCourse = (bytes: Buffer) => from(bytes, course, offer, SENDER.port);
  // While its sender may still come (accepted at 0, its data due): another port's segment 1 is not taken.
  expect(acks(receiver.input(fromCourse(data(1, 'EVIL')), 100))).toEqual([]);
  expect(receiver.state.counters.foreign).toBe(1);
  // Nor a minute on, while its sender still offers it once a second (others' users deciding): heard at 59.5 s.
  const refreshed = {
    ...fromCourse(data(1, 'EVIL')),
    offered: { offer, accepted: true, port: SENDER.port, heardAt: 59_500 },
  };
  expect(acks(receiver.input(refreshed, 60_000))).toEqual([]);
  expect(receiver.state.counters.foreign).toBe(2);
  // Its sender gone for the stale time (3 s, its last offer at 0) without sending a segment: the other port is a
  // course sender of the host, its transfer opened as a course one (not verified against the dead offer).
  const opened = receiver.input(fromCourse(data(1, 'one ')), 63_000);
  expect(acks(opened)).toEqual([1]);
  expect(opened).toContainEqual({ type: 'open', index: 0, host: SENDER.address });
  receiver.input(fromCourse(data(2, 'two ')), 63_001);
  expect(acks(receiver.input(fromCourse(marker(3)), 63_002))).toEqual([3]);
  expect(receiver.state.files).toMatchObject([{ bytes: 8, verified: true }]);
  expect(receiver.state.files[0]!.offeredName).toBeUndefined();
});

it('a sender that starts over (Ctrl-C, the same command: a new offer accepted, a new port) replaces its unfinished transfer once that has been silent 1 s', () => {
  const first = offerOf('0123456789abcdef', 'one two ');
  const receiver = driveReceiver(receivingConfig(), answeredOffer(first));
  receiver.datagram(data(1, 'one '), 0);
  const restarted: Address = { address: SENDER.address, port: SENDER.port + 1 };
  // Another port of the host under the first offer (made from SENDER's port) is not its sender: not taken, not
  // ACKed, no new transfer.
  expect(acks(receiver.input(from(data(1, 'one '), restarted, first, SENDER.port), 1))).toEqual([]);
  expect(receiver.state.counters.foreign).toBe(1);
  expect(receiver.state.transferIndex).toBe(0);
  // A new offer, accepted: its segment 1 opens the new transfer, and the old one is given up without using up
  // this one-file session (the receiver goes on: it does not finish).
  const again = offerOf('fedcba9876543210', 'ONE TWO ');
  // While the old transfer is alive (heard from less than 1 s ago), a second sender's offer on that host ends
  // nothing, and its segment is not the live transfer's.
  const early = receiver.input(from(data(1, 'ONE '), restarted, again), 900);
  expect(early.map((a) => a.type)).not.toContain('abandon');
  expect(acks(early)).toEqual([]);
  // Silent for 1 s (the old sender was stopped): the new one replaces it.
  const step = receiver.input(from(data(1, 'ONE '), restarted, again), 1_900);
  expect(step).toContainEqual({
    type: 'event',
    event: expect.objectContaining({
      type: 'transfer-failed',
      reason: 'abandoned: 127.0.0.1:5001 started over with a new offer',
    }),
  });
  expect(step.map((a) => a.type)).toEqual(expect.arrayContaining(['abandon', 'open']));
  expect(step.map((a) => a.type)).not.toContain('finish');
  // The old sender is gone: it is not told anything.
  expect(step.map((a) => a.type)).not.toContain('decline');
  expect(acks(step)).toEqual([1]);
  receiver.input(from(data(2, 'TWO '), restarted, again), 1_901);
  expect(acks(receiver.input(from(marker(3), restarted, again), 1_902))).toEqual([3]);
  expect(receiver.state.files).toMatchObject([{ bytes: 8, verified: true, offeredName: 'f.txt' }]);
  expect(receiver.written.toString()).toBe('ONE TWO ');
});

it('tells the sender of an offered transfer the name its file was kept under, before each ACK of the end marker', () => {
  const offer = offerOf('0123456789abcdef', 'one two ');
  const receiver = driveReceiver(receivingConfig(), answeredOffer(offer));
  receiver.datagram(data(1, 'one '), 0);
  receiver.datagram(data(2, 'two '), 1);
  // The offered name was taken in its folder.
  receiver.keepNextAs('f (2).txt');
  const told = { type: 'kept-as', id: offer.id, name: 'f (2).txt', to: SENDER };
  const end = receiver.datagram(marker(3), 2);
  expect(end.filter((a) => a.type === 'kept-as' || a.type === 'ack')).toEqual([
    told,
    { type: 'ack', wire: 3, to: SENDER, summed: true },
  ]);
  // Its ACK was lost: the marker again, the name again before the ACK.
  const again = receiver.datagram(marker(3), 300);
  expect(again.filter((a) => a.type === 'kept-as' || a.type === 'ack').map((a) => a.type)).toEqual([
    'kept-as',
    'ack',
  ]);
  // Copies of the marker in a flood (from anyone on the sender's host) draw their ACK, the name at most every 100 ms.
  const flood = Array.from({ length: 75 }, (_, i) => receiver.datagram(marker(3), 301 + i * 4));
  expect(flood.flat().filter((a) => a.type === 'ack')).toHaveLength(75);
  expect(flood.flat().filter((a) => a.type === 'kept-as')).toHaveLength(2); // at 401 and 501 (till 597)
  expect(receiver.state.files).toMatchObject([{ path: '/received/f (2).txt', offeredName: 'f.txt' }]);
  // Kept under the offered name: nothing to say. A course transfer has no offer to say it of.
  const named = driveReceiver(receivingConfig(), answeredOffer(offer));
  named.datagram(data(1, 'one '), 0);
  named.datagram(data(2, 'two '), 1);
  expect(named.datagram(marker(3), 2).map((a) => a.type)).not.toContain('kept-as');
  const course = driveReceiver();
  course.datagram(data(1, 'one '), 0);
  expect(course.datagram(marker(2), 1).map((a) => a.type)).not.toContain('kept-as');
  // Nor a name that differs only in its Unicode form (the receiver keeps NFC): it reads as the offered one.
  const decomposed = offerOf('0123456789abcdef', 'one two ', { name: 'Cafe\u0301.txt' });
  const nfc = driveReceiver(receivingConfig(), answeredOffer(decomposed));
  nfc.datagram(data(1, 'one '), 0);
  nfc.datagram(data(2, 'two '), 1);
  nfc.keepNextAs('Caf\u00e9.txt');
  expect(nfc.datagram(marker(3), 2).map((a) => a.type)).not.toContain('kept-as');
});

it('Selective Repeat, with and without SACK: a retransmitted end marker is re-ACKed after the kept name too', () => {
  // Its first ACK and the name before it were lost: the re-ACK is the sender's last chance to learn the name.
  const sr = { protocol: 'sr' as const, window: 4 };
  for (const terms of [sr, { ...sr, sack: { every: 2, delayMs: 50 } }]) {
    const offer = offerOf('0123456789abcdef', 'one two ', terms);
    const receiver = driveReceiver(receivingConfig(), answeredOffer(offer));
    receiver.datagram(data(1, 'one '), 0);
    receiver.datagram(data(2, 'two '), 1);
    receiver.keepNextAs('f (2).txt');
    receiver.datagram(marker(3), 2);
    const told = { type: 'kept-as', id: offer.id, name: 'f (2).txt', to: SENDER };
    const answered = (actions: ReturnType<typeof receiver.datagram>) =>
      actions
        .filter((a) => a.type === 'kept-as' || a.type === 'ack')
        .map((a) => (a.type === 'ack' ? a.wire : a));
    expect(answered(receiver.datagram(marker(3), 300)), JSON.stringify(terms)).toEqual([told, 3]);
    // A copy of a data segment is ACKed with its own number without SACK (not the marker's: no name), with SACK
    // cumulatively (the marker's: the name first).
    expect(answered(receiver.datagram(data(2, 'two '), 400)), JSON.stringify(terms)).toEqual(
      'sack' in terms ? [told, 3] : [2],
    );
  }
});

it('tells the sender of an offered transfer at once why it failed here, so it stops waiting for this receiver', () => {
  const offer = offerOf('0123456789abcdef', 'one two ');
  const diskFull = 'stopped before the disk is full (32.0 MiB free); the partial file was removed';
  const full = driveReceiver(receivingConfig(), answeredOffer(offer));
  full.datagram(data(1, 'one '), 0);
  full.failNextWrite(diskFull);
  expect(full.datagram(data(2, 'two '), 1)).toContainEqual({
    type: 'decline',
    id: offer.id,
    reason: diskFull,
    to: SENDER,
  });
  // Its user stopped it.
  const stopped = driveReceiver(receivingConfig(), answeredOffer(offer));
  stopped.datagram(data(1, 'one '), 0);
  expect(stopped.input({ type: 'stop' }, 1)).toContainEqual({
    type: 'decline',
    id: offer.id,
    reason: "stopped by the receiver's user",
    to: SENDER,
  });
  // The first write already failed: told where that segment came from.
  const first = driveReceiver(receivingConfig(), answeredOffer(offer));
  first.failNextWrite(diskFull);
  expect(first.datagram(data(1, 'one '), 0)).toContainEqual(
    expect.objectContaining({ type: 'decline', to: SENDER }),
  );
  // Selective Repeat, stopped before any segment in order (1 lost, 2 kept ahead): told too.
  const ahead = driveReceiver(
    receivingConfig(),
    answeredOffer(offerOf('0123456789abcdef', 'one two ', { protocol: 'sr', window: 4 })),
  );
  ahead.datagram(data(2, 'two '), 0);
  expect(ahead.input({ type: 'stop' }, 1)).toContainEqual(
    expect.objectContaining({ type: 'decline', reason: "stopped by the receiver's user", to: SENDER }),
  );
  // A silent sender is gone, and a course sender cannot read a decline: neither is told.
  const silent = driveReceiver(receivingConfig(), answeredOffer(offer));
  silent.datagram(data(1, 'one '), 0);
  silent.datagram(data(2, 'two '), 1);
  expect(silent.input({ type: 'timer' }, 10_001).map((a) => a.type)).not.toContain('decline');
  const course = driveReceiver();
  course.datagram(data(1, 'one '), 0);
  course.failNextWrite(diskFull);
  expect(course.datagram(data(2, 'two '), 1).map((a) => a.type)).not.toContain('decline');
});

// A host whose offer was declined (or is still being decided) gets no transfer, whatever it sends: a course send
// from it (--no-offer after a decline) is ignored, and the rules say so, or the receiver looks deaf.
it("data from a host whose offer was declined is ignored and said, with the offer's name and the reason", () => {
  const offer = offerOf('o-1', 'too big');
  const declined = driveReceiver(
    receivingConfig(),
    answeredOffer(offer, { accepted: false, declined: 'too large' }),
  );
  const sent = declined.datagram(data(1, 'one '), 0);
  expect(acks(sent)).toEqual([]);
  expect(sent.some((a) => a.type === 'open')).toBe(false);
  expect(outcomes(sent)).toEqual(['foreign']);
  expect(sent).toContainEqual({
    type: 'event',
    event: {
      type: 'unaccepted-data',
      t: 0,
      from: '127.0.0.1:5000',
      id: 'o-1',
      name: 'f.txt',
      declined: 'too large',
    },
  });
  const deciding = driveReceiver(receivingConfig(), answeredOffer(offer, { accepted: false }));
  expect(deciding.datagram(data(1, 'one '), 0)).toContainEqual({
    type: 'event',
    event: { type: 'unaccepted-data', t: 0, from: '127.0.0.1:5000', id: 'o-1', name: 'f.txt' },
  });
});

// What a receiver says goes to its user's terminal (p2mpserver) and screen: an offered name is the sender's to
// choose, escape sequences and all, and must never reach them as it came.
it('names an offer in what it says as it would save it: no escape sequence, bidi override or line break', () => {
  const hostile = 'a\u001b[31mRED\u001b]0;pwned\u0007\u202Etxt.exe\u009b2J\nfake line';
  const shown = (events: ReturnType<ReturnType<typeof driveReceiver>['input']>): string[] =>
    events.flatMap((a) => (a.type === 'event' && a.event.type === 'unaccepted-data' ? [a.event.name] : []));
  const offer = offerOf('o-1', 'too big', { name: hostile });
  const declined = driveReceiver(
    receivingConfig(),
    answeredOffer(offer, { accepted: false, declined: 'too large' }),
  );
  expect(shown(declined.datagram(data(1, 'one '), 0))).toEqual(['a[31mRED]0;pwnedtxt.exe2Jfake line']);
  // Kept: the name it was offered under, as the app shows it ("offered as ..."), printable too.
  const kept = offerOf('0123456789abcdef', 'one two ', { name: hostile });
  const receiver = driveReceiver(receivingConfig(), answeredOffer(kept));
  receiver.datagram(data(1, 'one '), 0);
  receiver.datagram(data(2, 'two '), 1);
  receiver.datagram(marker(3), 2);
  expect(receiver.state.files).toMatchObject([
    { offeredName: 'a [31mRED ]0;pwned  txt.exe 2J fake line', verified: true },
  ]);
});

it("ends an offered transfer at once when its sender's user cancels it, and nothing else does", () => {
  const offer = offerOf('0123456789abcdef', 'one two ');
  const cancel = (id: string, from: Address = SENDER) => ({ type: 'cancel' as const, id, from });
  const receiver = driveReceiver(receivingConfig(), answeredOffer(offer));
  receiver.datagram(data(1, 'one '), 0);
  // Another id, or the right one from another host (it has not seen this transfer's offer): nothing.
  expect(receiver.input(cancel('fedcba9876543210'), 1)).toEqual([]);
  expect(receiver.input(cancel(offer.id, { address: '127.0.0.9', port: 5000 }), 2)).toEqual([]);
  // Its own, from any port of its host: the .part goes now (not after 10 s of silence), and nobody is told.
  const cancelled = receiver.input(cancel(offer.id, { address: SENDER.address, port: 6123 }), 3);
  expect(cancelled).toContainEqual({ type: 'abandon' });
  expect(cancelled).toContainEqual({
    type: 'event',
    event: expect.objectContaining({
      type: 'transfer-failed',
      reason: "its sender's user cancelled the transfer; the partial file was removed (still listening)",
    }),
  });
  expect(cancelled.map((a) => a.type)).not.toContain('decline');
  expect(receiver.state.transfer).toBeNull();
  expect(receiver.state.files).toEqual([]);
  // Not a one-file session's file: the sender's next try is taken, as after a sender started over.
  expect(cancelled.map((a) => a.type)).not.toContain('finish');
  expect(acks(receiver.datagram(data(1, 'one '), 10))).toEqual([1]);

  // Its sender gave up because its file could not be read: said so, not that its user cancelled.
  const unreadable = driveReceiver(receivingConfig(), answeredOffer(offer));
  unreadable.datagram(data(1, 'one '), 0);
  expect(unreadable.input({ ...cancel(offer.id), unreadable: true }, 1)).toContainEqual({
    type: 'event',
    event: expect.objectContaining({
      type: 'transfer-failed',
      reason: 'its sender could not read its file any more; the partial file was removed (still listening)',
    }),
  });

  // Once the end marker is in, the file is kept whatever comes after it.
  const done = driveReceiver(receivingConfig(), answeredOffer(offer));
  done.datagram(data(1, 'one '), 0);
  done.datagram(data(2, 'two '), 1);
  done.datagram(data(3, ''), 2);
  expect(done.input(cancel(offer.id), 3)).toEqual([]);
  expect(done.state.files).toHaveLength(1);
  // A course transfer has no offer to cancel.
  const course = driveReceiver();
  course.datagram(data(1, 'one '), 0);
  expect(course.input(cancel(offer.id), 1)).toEqual([]);
});
