// Selective Repeat's SACK (docs/PROTOCOL.md, "Selective Repeat ACK"): its bytes, the receiver's rules for when
// to ACK (the k-th segment, a gap, a filled gap, a duplicate, the delayed-ACK timer) and the sender's reading of
// it (everything covered, RTT samples, timers of RTO + D, the fast retransmission, hostile bitmaps), on the pure
// machines in virtual time with the defaults a sender offers (sackTerms: k = min(16, W / 4), D = 2 ms).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_FAST, selectiveRepeat } from '../../src/shared/engine/selectiveRepeat.js';
import type { Outcome } from '../../src/shared/engine/sending.js';
import { DEFAULT_TIMEOUT_MS, sackTerms } from '../../src/shared/node/sender.js';
import type { Offer } from '../../src/shared/offer/message.js';
import { seedText } from '../../src/shared/protocol/seedText.js';
import { highestSacked, sackBitmap, sacked } from '../../src/shared/protocol/sack.js';
import { standard } from '../../src/shared/protocol/standard.js';
import type { ReceiverAction } from '../../src/shared/engine/receiving.js';
import {
  answeredOffer,
  driveReceiver,
  driveSender,
  eventsOf,
  receivingConfig,
  senderConfig,
  transmissions,
} from './drive.js';

/** Retransmissions among the actions (new segments a sliding window lets go are not). */
const resends = (actions: Parameters<typeof transmissions>[0]) => transmissions(actions).filter((t) => t[2]);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('the SACK on the wire', () => {
  it('is the course ACK header, then the bitmap of what arrived beyond it; with none, the course ACK exactly', () => {
    // Segments 4 and 5 arrived beyond 2: bits 1 and 2 (segment 2 + 1 + i), two bytes (even length).
    const bitmap = sackBitmap(2, [4, 5]);
    expect(hex(bitmap)).toBe('6000');
    // Checksum: RFC 1071 over 0000 0002 aaaa 6000 = 0x10aac, folded 0x0aad, complemented f552.
    expect(hex(standard.encodeSack({ seq: 2, bitmap }))).toBe('00000002' + 'f552' + 'aaaa' + '6000');
    expect(standard.encodeSack({ seq: 5, bitmap: new Uint8Array(0) })).toEqual(standard.encodeAck(5));
    const read = (sack: { seq: number; bitmap: Uint8Array } | undefined) =>
      sack && [sack.seq, hex(sack.bitmap)];
    expect(read(standard.decodeSack(standard.encodeSack({ seq: 2, bitmap })))).toEqual([2, '6000']);
    expect(read(standard.decodeSack(standard.encodeAck(7)))).toEqual([7, '']);
    // Segment 2 + 1 + 16 (bit 16) needs a third byte: padded to four.
    expect(hex(sackBitmap(2, [19]))).toBe('00008000');
    // A window of 1024: at most 128 bytes, the last bit segment seq + 1024.
    expect(sackBitmap(0, [1024]).length).toBe(128);
    expect(highestSacked(0, sackBitmap(0, [1024]))).toBe(1024);
    // In seed-text, spelled bit by bit like every segment, with the same checksum.
    const spelled = seedText.encodeSack({ seq: 2, bitmap });
    expect(spelled.length).toBe(80);
    expect(read(seedText.decodeSack(spelled))).toEqual([2, '6000']);
  });

  it('refuses what it cannot be: a bitmap of odd length or over 128 bytes, a wrong checksum, data', () => {
    const sack = standard.encodeSack({ seq: 2, bitmap: sackBitmap(2, [4, 5]) });
    const flipped = Buffer.from(sack);
    flipped[8]! ^= 0x01;
    expect(standard.decodeSack(flipped)).toBeUndefined();
    const odd = Buffer.concat([standard.encodeAck(2), Buffer.from([0x40])]);
    expect(standard.decodeSack(odd)).toBeUndefined();
    const long = standard.encodeSack({ seq: 2, bitmap: new Uint8Array(130).fill(1) });
    expect(standard.decodeSack(long)).toBeUndefined();
    expect(standard.decodeSack(standard.encodeData(2, Buffer.from('ab')))).toBeUndefined();
    expect(standard.decodeSack(Buffer.alloc(3))).toBeUndefined();
    // The course decoder still reads an ACK with a payload as no ACK: course receivers never see one anyway.
    expect(standard.decode(sack)).toMatchObject({ ok: false, reason: 'bad-length' });
  });

  it('bitmaps of any bytes never claim a segment outside them', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.uint8Array({ maxLength: 128 }),
        fc.integer({ min: -5, max: 1100 }),
        (cum, bitmap, i) => {
          const seq = cum + 1 + i;
          expect(sacked(cum, bitmap, seq)).toBe(
            i >= 0 && i < bitmap.length * 8 && ((bitmap[i >> 3]! << (i & 7)) & 0x80) !== 0,
          );
          const highest = highestSacked(cum, bitmap);
          expect(highest).toBeGreaterThanOrEqual(cum);
          expect(highest).toBeLessThanOrEqual(cum + bitmap.length * 8);
          if (sacked(cum, bitmap, seq)) expect(seq).toBeLessThanOrEqual(highest);
        },
      ),
    );
  });
});

/** An accepted Selective Repeat offer with the default SACK terms of window W, for `content`. */
const offered = (content: string, window = 64, mss = 4) => {
  const offer: Offer = {
    id: '0123456789abcdef',
    name: 'f.txt',
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    mss,
    protocol: 'sr',
    window,
    sack: sackTerms(window),
    profile: 'standard',
  };
  return answeredOffer(offer);
};
const data = (seq: number, text: string): Buffer => standard.encodeData(seq, Buffer.from(text));
const marker = (seq: number): Buffer => standard.encodeData(seq, Buffer.alloc(0));
/** The ACKs among `actions`, as [cumulative, bitmap in hex]. */
const sacks = (actions: ReceiverAction[]): [number, string][] =>
  actions.flatMap((a) => (a.type === 'ack' ? [[a.wire, hex(a.bitmap ?? new Uint8Array(0))]] : []));

describe('our receiver, SACK agreed (k = 16, D = 2 ms with W = 64)', () => {
  it('ACKs every 16th segment in order, the rest after the delayed-ACK timer or when the end marker arrives', () => {
    const content = 'abcd'.repeat(20);
    const receiver = driveReceiver(receivingConfig(), offered(content));
    for (let k = 1; k <= 15; k++) expect(sacks(receiver.datagram(data(k, 'abcd'), 0))).toEqual([]);
    expect(receiver.ackTimerAt).toBe(2);
    expect(sacks(receiver.datagram(data(16, 'abcd'), 0))).toEqual([[16, '']]);
    for (let k = 17; k <= 19; k++) expect(sacks(receiver.datagram(data(k, 'abcd'), 1))).toEqual([]);
    // The timer armed at 0 fires at 2, early for the segments owed since 1: it waits for 3.
    expect(sacks(receiver.input({ type: 'ack-timer' }, 2))).toEqual([]);
    expect(receiver.ackTimerAt).toBe(3);
    expect(sacks(receiver.input({ type: 'ack-timer' }, 3))).toEqual([[19, '']]);
    expect(receiver.ackTimerAt).toBeUndefined();
    // Nothing owed: the timer is not armed again until a segment is.
    receiver.datagram(data(20, 'abcd'), 10);
    expect(receiver.ackTimerAt).toBe(12);
    // The end marker: 20, owed, is ACKed before the file's check (an fsync may outlast the sender's RTO); the
    // marker once the file is kept.
    const end = receiver.datagram(marker(21), 11);
    expect(sacks(end)).toEqual([
      [20, ''],
      [21, ''],
    ]);
    const kinds = end.map((a) => a.type);
    expect(kinds.indexOf('ack')).toBeLessThan(kinds.indexOf('digest'));
    expect(kinds.lastIndexOf('ack')).toBeGreaterThan(kinds.indexOf('commit'));
    expect(receiver.written.toString()).toBe(content);
    // 21 datagrams: 16 and the marker answered at once, the 19 others deferred; two ACKs for deferred ones alone
    // (the timer's, and 20's before the marker's check).
    expect(receiver.state.counters).toMatchObject({
      received: 21,
      acksSent: 4,
      acksDeferred: 19,
      acksForDeferred: 2,
    });
  });

  it('ACKs at once when a gap appears, when it is filled, and for a duplicate; with the bitmap of what is kept', () => {
    const receiver = driveReceiver(receivingConfig(), offered('abcd'.repeat(10)));
    expect(sacks(receiver.datagram(data(1, 'abcd'), 0))).toEqual([]);
    expect(sacks(receiver.datagram(data(2, 'abcd'), 0))).toEqual([]);
    // 3 lost: 4 opens a gap, ACKed at once: 1..2, and 4 (bit 1).
    expect(sacks(receiver.datagram(data(4, 'abcd'), 0))).toEqual([[2, '4000']]);
    // 5 follows 4: no new gap, owed.
    expect(sacks(receiver.datagram(data(5, 'abcd'), 0))).toEqual([]);
    // 6 lost too, 7 opens a second gap.
    expect(sacks(receiver.datagram(data(7, 'abcd'), 0))).toEqual([[2, '6800']]);
    // A duplicate: its ACK was lost, say so at once.
    expect(sacks(receiver.datagram(data(4, 'abcd'), 1))).toEqual([[2, '6800']]);
    // 3 fills the first gap: written with 4 and 5 after it, then ACKed at once: 1..5, and 7 (bit 1).
    const filled = receiver.datagram(data(3, 'abcd'), 2);
    expect(sacks(filled)).toEqual([[5, '4000']]);
    expect(filled.filter((a) => a.type === 'write')).toHaveLength(3);
    const kinds = filled.map((a) => a.type);
    expect(kinds.indexOf('ack')).toBeGreaterThan(kinds.lastIndexOf('write'));
    expect(receiver.written.length).toBe(20);
    // Never an ACK for what was not written or kept: a write that fails is not ACKed.
    receiver.failNextWrite('disk full');
    expect(sacks(receiver.datagram(data(6, 'abcd'), 3))).toEqual([]);
  });

  it('a receiver without the terms in the offer ACKs each segment with its own number, as before', () => {
    const { offer } = offered('abcd'.repeat(3), 8);
    const { sack: _sack, ...plain } = offer;
    const receiver = driveReceiver(receivingConfig(), answeredOffer(plain));
    expect(sacks(receiver.datagram(data(2, 'abcd'), 0))).toEqual([[2, '']]);
    expect(sacks(receiver.datagram(data(1, 'abcd'), 1))).toEqual([[1, '']]);
    expect(receiver.ackTimerAt).toBeUndefined();
  });
});

const sacking: Outcome = { mode: 'verified', failure: undefined, offers: 1, selective: true, sack: true };
/** A Selective Repeat transfer of `chunks` 100-byte chunks, window W, to `receivers` of ours that agreed to SACK. */
const sackConfig = (chunks: number, window: number, receivers = 1, more = {}) =>
  senderConfig(receivers, chunks * 100, 100, {
    window,
    sack: sackTerms(window),
    outcomes: Array<Outcome>(receivers).fill(sacking),
    ...more,
  });

describe('the Selective Repeat sender, with receivers that agreed to SACK', () => {
  it('takes a SACK for every segment it covers, samples the RTT of the newest, and runs timers RTO + D', () => {
    const sender = driveSender(selectiveRepeat, sackConfig(100, 16));
    const first = sender.input({ type: 'start' });
    expect(transmissions(first)).toHaveLength(16);
    // The timer of segment 1: T + D.
    expect(first).toContainEqual({ type: 'arm', timer: 0, ms: DEFAULT_TIMEOUT_MS + 2 });
    // 1..4 in order, 6 and 7 beyond (5 lost): one ACK frees 6 segments.
    const bitmap = sackBitmap(4, [6, 7]);
    const acked = sender.input({ type: 'ack', receiver: 0, acked: 4, bitmap }, 3);
    // One 'ack' event per segment it covers (views show which arrived), the newest's the RTT sample.
    expect(eventsOf(acked, 'ack').map((e) => [e.seq, e.rttMs, e.sample])).toEqual([
      [1, 3, false],
      [2, 3, false],
      [3, 3, false],
      [4, 3, false],
      [6, 3, false],
      [7, 3, true],
    ]);
    // The window slid to base 5: up to 20 may go, and did (17..20).
    expect(transmissions(acked)).toEqual([17, 18, 19, 20].map((k) => [k, 0, false]));
    expect(sender.state.receivers[0]!.out.map((o) => o.seq)).toEqual([
      5,
      ...Array.from({ length: 13 }, (_, i) => 8 + i),
    ]);
    expect(sender.state.receivers[0]!.acks).toBe(6);
  });

  it('resends a segment reported missing behind 3 later ones at once, once; its ACK is no RTT sample', () => {
    const sender = driveSender(selectiveRepeat, sackConfig(100, 16));
    sender.input({ type: 'start' });
    // 5 missing, 6 and 7 beyond: two later ones, no more than reordering.
    expect(
      resends(sender.input({ type: 'ack', receiver: 0, acked: 4, bitmap: sackBitmap(4, [6, 7]) }, 3)),
    ).toEqual([]);
    // 8 too: three later ones, 5 was lost: sent again now, to that receiver, no 'timeout'.
    const fast = sender.input({ type: 'ack', receiver: 0, acked: 4, bitmap: sackBitmap(4, [6, 7, 8]) }, 4);
    expect(resends(fast)).toEqual([[5, 0, true]]);
    expect(eventsOf(fast, 'timeout')).toEqual([]);
    // Said to be fast, for views to tell it from a timer's (selectiveRepeat.test.ts: a timer's is not).
    expect(fast.filter((a) => a.type === 'transmit')).toMatchObject([{ seq: 5, fast: true }]);
    // More SACKs showing 5 missing do not send it again: all they report was sent before its new copy.
    expect(
      resends(sender.input({ type: 'ack', receiver: 0, acked: 4, bitmap: sackBitmap(4, [6, 7, 8, 9]) }, 5)),
    ).toEqual([]);
    const filled = sender.input({ type: 'ack', receiver: 0, acked: 9 }, 6);
    // 1..9 leaves only 5 newly covered (6..9 were in the bitmaps); sent twice, it is no RTT sample.
    expect(eventsOf(filled, 'ack').map((e) => [e.seq, e.sample])).toEqual([[5, false]]);
    expect(sender.state.receivers[0]!).toMatchObject({ retransmissions: 1, timeouts: 0 });
  });

  it('resends a lost copy again once a copy sent 3 transmissions after it has arrived, never before, never for first copies', () => {
    const sender = driveSender(selectiveRepeat, sackConfig(100, 16));
    sender.input({ type: 'start' }); // 1..16
    const range = (from: number, to: number): number[] =>
      Array.from({ length: to - from + 1 }, (_, k) => from + k);
    const sack = (acked: number, kept: number[], at: number) =>
      sender.input({ type: 'ack', receiver: 0, acked, bitmap: sackBitmap(acked, kept) }, at);
    // 3 lost: the window slides to 18 (17 and 18 go), then 3 goes again.
    expect(resends(sack(2, [4, 5, 6], 1))).toEqual([[3, 0, true]]);
    // 9..12 lost too (13..16 beyond them): they go again; 3's copy is younger than anything reported.
    expect(resends(sack(2, [...range(4, 8), ...range(13, 16)], 2))).toEqual(
      [9, 10, 11, 12].map((k) => [k, 0, true]),
    );
    // The copies of 3, 10 and 11 arrived, not 9's: 11's went 2 transmissions after it, not yet. The window slides
    // to 24.
    const slid = sack(8, [10, 11, ...range(13, 16)], 3);
    expect(transmissions(slid)).toEqual(range(19, 24).map((k) => [k, 0, false]));
    expect(resends(slid)).toEqual([]);
    // 17..24 arrived, first copies sent after 9's copy: they come by another way (the multicast group, which the
    // receiver reads in turns with its unicast socket), so they say nothing about it.
    expect(resends(sack(8, [10, 11, ...range(13, 24)], 4))).toEqual([]);
    // 12's copy arrived, sent 3 transmissions after 9's: it was lost, and goes again, without a timer's expiry.
    const again = sack(8, range(10, 24), 5);
    expect(resends(again)).toEqual([[9, 0, true]]);
    expect(eventsOf(again, 'timeout')).toEqual([]);
    expect(sender.state.receivers[0]!).toMatchObject({ retransmissions: 6, timeouts: 0 });
  });

  it('judges a first copy by the first copies sent after it only, never by copies sent in between', () => {
    const sender = driveSender(selectiveRepeat, sackConfig(100, 16));
    sender.input({ type: 'start' }, 0); // 1..16
    const range = (from: number, to: number): number[] =>
      Array.from({ length: to - from + 1 }, (_, k) => from + k);
    // 3 and 4 lost: both go again; the window slides to 18 (17 and 18 go).
    const first = sender.input({ type: 'ack', receiver: 0, acked: 2, bitmap: sackBitmap(2, [5, 6, 7]) }, 1);
    expect(resends(first).map(([k]) => k)).toEqual([3, 4]);
    // 5..15 and 17 arrived, not 16: one first copy after it (17), not three, whatever the copies between.
    const later = sackBitmap(2, [...range(5, 15), 17]);
    expect(resends(sender.input({ type: 'ack', receiver: 0, acked: 2, bitmap: later }, 2))).toEqual([]);
  });

  it('at a teaching pace, a timer that ran out while the resend waited for the pacer is reported before its copy goes', () => {
    // The pacer gives each turn a second after it is asked (slow motion at 1 round a second), T = 100 ms.
    const sender = driveSender(selectiveRepeat, sackConfig(100, 16), (askedAt) => askedAt + 1000);
    const actions = [...sender.input({ type: 'start' })];
    /** Fires timers (keepalives among them) up to the next `timer`'s, at `at`. */
    const fire = (timer: string, at: number): void => {
      for (let k = 0; k < 10; k++) {
        const fired = sender.fire()!;
        actions.push(...fired.actions);
        if (String(fired.timer) === timer) return void expect(fired.at).toBe(at);
      }
      throw new Error(`no ${timer} timer`);
    };
    fire('turn', 1000); // the first turn: 1..16, their timers due at 1102
    // 5 missing behind three later ones: sent again at once, its timer due 10 ms after the others'.
    actions.push(
      ...sender.input({ type: 'ack', receiver: 0, acked: 4, bitmap: sackBitmap(4, [6, 7, 8]) }, 1010),
    );
    fire('0', 1102); // 9..16 expire, reported; their resend waits for the turn, and 5's timer runs out meanwhile
    fire('turn', 2010); // 5 and 9..16 sent again
    expect(resends(actions).filter(([seq]) => seq === 5)).toHaveLength(2);
    // Every copy a timer sent (not the fast one) follows a timeout naming its segment, since its previous copy.
    const owed = new Set<number>();
    for (const a of actions) {
      if (a.type === 'event' && a.event.type === 'timeout') owed.add(a.event.seq);
      if (a.type !== 'transmit' || !a.retransmission || a.fast) continue;
      expect(owed.has(a.seq), `segment ${a.seq} resent with no timeout`).toBe(true);
      owed.delete(a.seq);
    }
    expect(sender.state.receivers[0]!.timeouts).toBe(9);
  });

  it('no more fast copies than the ACK took segments out of flight, and at most MAX_FAST per segment: forged SACKs cannot pour out the window', () => {
    const sender = driveSender(selectiveRepeat, sackConfig(1000, 64));
    sender.input({ type: 'start' }, 0); // 1..64
    sender.input({ type: 'ack', receiver: 0, acked: 1 }, 1); // an RTT sample (1 ms); the window slides to 65
    expect(sender.fire()!.at).toBe(DEFAULT_TIMEOUT_MS + 2); // 2..65 time out: 64 copies
    const out = (): { seq: number; serial: number; fasts: number }[] =>
      sender.state.receivers[0]!.out as unknown as { seq: number; serial: number; fasts: number }[];
    let copies = 0;
    let sacks = 0;
    for (let t = 200; out().length > 4 && t < 400; t++, sacks++) {
      // Each names only the segment whose copy went last: on the old rule, every other copy was then "lost".
      const newest = out().reduce((a, b) => (b.serial > a.serial ? b : a));
      copies += resends(
        sender.input({ type: 'ack', receiver: 0, acked: 1, bitmap: sackBitmap(1, [newest.seq]) }, t),
      ).length;
    }
    expect(copies).toBeLessThanOrEqual(sacks);
    expect(Math.max(...out().map((o) => o.fasts))).toBeLessThanOrEqual(MAX_FAST);
  });

  it('a segment sent twice and ACKed sooner after its copy than any round trip arrived by its older copy: no copy after it is taken for lost', () => {
    const sender = driveSender(selectiveRepeat, sackConfig(100, 16));
    sender.input({ type: 'start' }, 0); // 1..16
    sender.input({ type: 'ack', receiver: 0, acked: 1 }, 10); // RTT 10 ms; 17 goes
    // 2 lost (3..5 beyond): its copy goes at 11.
    const fast = sender.input({ type: 'ack', receiver: 0, acked: 1, bitmap: sackBitmap(1, [3, 4, 5]) }, 11);
    expect(resends(fast)).toEqual([[2, 0, true]]);
    // The timers: 6..16 go again at 102, 17 at 112, 2 at 113 (its copy's T + D).
    let fired = sender.fire()!;
    for (let n = 0; n < 5 && !resends(fired.actions).some(([k]) => k === 2); n++) fired = sender.fire()!;
    expect(fired.at).toBe(113);
    // At 114 the ACK covers 2: 1 ms after its last copy, less than any round trip: an earlier copy arrived. The
    // copies sent before that last one are on their way, not lost.
    expect(resends(sender.input({ type: 'ack', receiver: 0, acked: 5 }, 114))).toEqual([]);
  });

  it('a SACK that claims a segment not sent yet is ignored whole; hostile bitmaps never crash nor pass the bounds', () => {
    const sender = driveSender(selectiveRepeat, sackConfig(100, 16));
    sender.input({ type: 'start' });
    const before = sender.state.receivers[0]!.out.length;
    for (const forged of [
      { acked: 16 + 1 },
      { acked: 4, bitmap: sackBitmap(4, [17]) },
      { acked: 0xffff_ffff },
    ]) {
      sender.input({ type: 'ack', receiver: 0, ...forged }, 1);
      expect(sender.state.receivers[0]!.out.length).toBe(before);
    }
    expect(sender.state.counters.stale).toBe(3);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ acked: fc.nat(300), bitmap: fc.uint8Array({ maxLength: 128 }), at: fc.nat(50) }),
          { maxLength: 40 },
        ),
        (acks) => {
          const s = driveSender(selectiveRepeat, sackConfig(200, 32, 2));
          s.input({ type: 'start' });
          let now = 0;
          for (const { acked, bitmap, at } of acks) {
            now += at;
            s.input({ type: 'ack', receiver: acked % 2, acked, bitmap }, now);
            const { next, low, receivers } = s.state;
            // Nothing beyond what was sent, the window never past W, and no segment freed that a receiver lacks.
            expect(next - low).toBeLessThanOrEqual(32);
            for (const r of receivers) for (const o of r.out) expect(o.seq).toBeLessThan(next);
            expect(receivers.every((r) => r.out.every((o) => o.seq >= low))).toBe(true);
          }
        },
      ),
      { seed: 10, numRuns: 100 },
    );
  });

  it('a receiver that did not agree to SACK is read per segment, as before', () => {
    const sender = driveSender(
      selectiveRepeat,
      sackConfig(100, 16, 1, {
        outcomes: [{ mode: 'verified', failure: undefined, offers: 1, selective: true }],
      }),
    );
    const first = sender.input({ type: 'start' });
    expect(first).toContainEqual({ type: 'arm', timer: 0, ms: DEFAULT_TIMEOUT_MS });
    sender.input({ type: 'ack', receiver: 0, acked: 4 }, 3);
    expect(sender.state.receivers[0]!.out.map((o) => o.seq)[0]).toBe(1);
  });
});
