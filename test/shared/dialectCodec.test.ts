// The dialect layer on its own: exact wire bytes per token (the examples of docs/PROTOCOL.md), the sender's and
// the receiver's numbering agreeing in every dialect, decoders that never throw on hostile bytes, and whole
// transfers in random dialects in the simulator (virtual time) with both protocols.
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { senderCodec, wireProfile } from '../../src/shared/protocol/codec.js';
import {
  DIALECT_TOKENS,
  dialectProblem,
  parseDialect,
  type Dialect,
} from '../../src/shared/protocol/dialect.js';
import { ackAt, advance, firstCursor, senderNumbering } from '../../src/shared/protocol/numbering.js';
import type { ProfileName } from '../../src/shared/protocol/segment.js';
import { PROTOCOLS } from '../../src/shared/limits.js';
import { NO_IMPAIRMENTS } from '../../src/shared/network/impairments.js';
import { seededRandom } from '../../src/shared/network/random.js';
import { simulateTransfer } from '../../src/shared/simulation/simulate.js';
import { tempDir } from '../helpers/loopback.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

const dialect = (text: string): Dialect => parseDialect(text) as Dialect;
const hex = (b: Buffer): string => b.toString('hex');

/** A dialect the profile can speak: any set of tokens with at most one end of file. */
const dialects = (profile: ProfileName): fc.Arbitrary<Dialect> =>
  fc
    .subarray(DIALECT_TOKENS)
    .filter((tokens) => tokens.filter((t) => t.startsWith('eof-')).length <= 1)
    .map((tokens) => dialect(tokens.length ? tokens.join(',') : 'standard'))
    .filter((d) => dialectProblem(profile, d) === null);

describe('wire bytes per token: a file "abcdef" in MSS 3 (segments "abc", "def", then the end)', () => {
  // [token, segment 1, segment 2, end signal (null: none), ACK of segment 1, ACK of the end (or of segment 2)]
  const cases: [string, string, string, string | null, string, string][] = [
    [
      'standard',
      '00000001e6465555616263',
      '00000002e0425555646566',
      '00000003aaa75555',
      '000000010000aaaa',
      '000000030000aaaa',
    ],
    [
      'le',
      '0100000046e65555616263',
      '0200000042e05555646566',
      '03000000a7aa5555',
      '010000000000aaaa',
      '030000000000aaaa',
    ],
    [
      'sum-payload',
      '000000013b9d5555616263',
      '00000002359a5555646566',
      '00000003ffff5555',
      '000000010000aaaa',
      '000000030000aaaa',
    ],
    [
      'seq0',
      '00000000e6475555616263',
      '00000001e0435555646566',
      '00000002aaa85555',
      '000000000000aaaa',
      '000000020000aaaa',
    ],
    [
      'bytes',
      '00000001e6465555616263',
      '00000004e0405555646566',
      '00000007aaa35555',
      '000000010000aaaa',
      '000000070000aaaa',
    ],
    [
      'ack-next',
      '00000001e6465555616263',
      '00000002e0425555646566',
      '00000003aaa75555',
      '000000020000aaaa',
      '000000040000aaaa',
    ],
    [
      'eof-none',
      '00000001e6465555616263',
      '00000002e0425555646566',
      null,
      '000000010000aaaa',
      '000000020000aaaa',
    ],
    [
      'eof-type0',
      '00000001e6465555616263',
      '00000002e0425555646566',
      '00000003fffc0000',
      '000000010000aaaa',
      '000000030000aaaa',
    ],
    [
      'eof-fin',
      '00000001e6465555616263',
      '00000002e0425555646566',
      'ffffffffffffffff',
      '000000010000aaaa',
      '000000030000aaaa',
    ],
  ];
  it.each(cases)('%s', (name, first, second, end, ack1, ackLast) => {
    const codec = senderCodec('standard', dialect(name), 3, 6);
    expect(hex(codec.segment(1, Buffer.from('abc')))).toBe(first);
    expect(hex(codec.segment(2, Buffer.from('def')))).toBe(second);
    expect(codec.last).toBe(end === null ? 2 : 3);
    if (end !== null) expect(hex(codec.segment(3, Buffer.alloc(0)))).toBe(end);
    expect(hex(codec.profile.encodeAck(codec.numbering.ack(1)))).toBe(ack1);
    expect(hex(codec.profile.encodeAck(codec.numbering.ack(codec.last)))).toBe(ackLast);
    // And the receiver side reads them back: the data, then the end signal as an end.
    expect(codec.profile.decode(Buffer.from(second, 'hex'))).toMatchObject({
      ok: true,
      segment: { kind: 'data' },
    });
    if (end !== null) expect(codec.profile.decode(Buffer.from(end, 'hex')).ok).toBe(true);
  });

  it('reads an end signal only in its own dialect, and an empty data segment only where it is the end', () => {
    const fin = Buffer.alloc(8, 0xff);
    const type0 = Buffer.from('00000003fffc0000', 'hex');
    const empty = Buffer.from('00000003aaa75555', 'hex');
    expect(wireProfile('standard', dialect('eof-fin')).decode(fin)).toMatchObject({
      ok: true,
      segment: { kind: 'end', numbered: false },
    });
    expect(wireProfile('standard', dialect('eof-type0')).decode(type0)).toMatchObject({
      ok: true,
      segment: { kind: 'end', seq: 3, numbered: true },
    });
    expect(wireProfile('standard').decode(fin)).toMatchObject({ ok: false, reason: 'bad-type' });
    expect(wireProfile('standard').decode(type0)).toMatchObject({ ok: false, reason: 'bad-type' });
    expect(wireProfile('standard', dialect('eof-fin')).decode(empty)).toMatchObject({
      ok: false,
      reason: 'bad-length',
    });
    // A type-0 header must carry its checksum like any segment.
    expect(
      wireProfile('standard', dialect('eof-type0')).decode(Buffer.from('00000003fffd0000', 'hex')),
    ).toMatchObject({
      ok: false,
      reason: 'bad-checksum',
    });
  });

  it('speaks seed-text in the numbering and end-of-file dialects, and refuses le and sum-payload there', () => {
    const codec = senderCodec('seed-text', dialect('seq0,eof-type0'), 3, 6);
    expect(wireProfile('seed-text').decode(codec.segment(1, Buffer.from('abc')))).toMatchObject({
      ok: true,
      segment: { kind: 'data', seq: 0 },
    });
    expect(codec.profile.decode(codec.segment(3, Buffer.alloc(0)))).toMatchObject({
      ok: true,
      segment: { kind: 'end', seq: 2 },
    });
    expect(dialectProblem('seed-text', dialect('le'))).toMatch(/standard profile only/);
    expect(dialectProblem('seed-text', dialect('sum-payload,seq0'))).toMatch(/standard profile only/);
    expect(dialectProblem('standard', dialect('le,sum-payload'))).toBeNull();
  });
});

describe('numbering', () => {
  it('maps byte offsets both ways, the end marker taking one number', () => {
    const next = senderNumbering(dialect('seq0,bytes,ack-next'), 500, 1234);
    expect([1, 2, 3, 4].map(next.seq)).toEqual([0, 500, 1000, 1234]);
    expect([0, 1, 3, 4].map(next.ack)).toEqual([0, 500, 1234, 1235]);
    expect([0, 500, 1234, 1235].map(next.acked)).toEqual([0, 1, 3, 4]);
    expect(next.acked(250)).toBeUndefined();
    const received = senderNumbering(dialect('bytes'), 500, 1234);
    // Nothing yet: the number before the first, 0.
    expect([0, 1, 4].map(received.ack)).toEqual([0, 1, 1235]);
    expect(received.acked(0)).toBe(0);
    // From 0, "nothing yet" is -1 on 32 bits.
    expect(senderNumbering(dialect('seq0'), 500, 1234).acked(0xffff_ffff)).toBe(0);
  });

  it("the sender's numbers and ACKs are the receiver's, in every dialect and file size", () => {
    fc.assert(
      fc.property(
        dialects('standard'),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 0, max: 3000 }),
        (d, mss, size) => {
          const chunks = Math.ceil(size / mss);
          const sender = senderNumbering(d, mss, size);
          let cursor = firstCursor(d);
          const disagree: number[] = sender.acked(ackAt(d, cursor)) === 0 ? [] : [0];
          for (let k = 1; k <= chunks + 1; k++) {
            const at = cursor.next;
            const end = k > chunks;
            cursor = advance(d, cursor, end ? 0 : Math.min(mss, size - (k - 1) * mss), end);
            const ack = ackAt(d, cursor);
            if (at !== sender.seq(k) || ack !== sender.ack(k) || sender.acked(ack) !== k) disagree.push(k);
          }
          expect(disagree).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a file whose numbers would pass 32 bits', () => {
    // From 1, the end marker's number is 1 + size; its next-expected ACK one more.
    expect(senderCodec('standard', dialect('bytes'), 65_000, 2 ** 32 - 1).problem).toMatch(/dialect bytes/);
    expect(senderCodec('standard', dialect('bytes'), 65_000, 2 ** 32 - 2).problem).toBeNull();
    expect(senderCodec('standard', dialect('bytes,ack-next'), 65_000, 2 ** 32 - 2).problem).toMatch(/bytes/);
    expect(senderCodec('standard', dialect('standard'), 1, 2 ** 32 - 1).problem).toMatch(/32-bit/);
  });
});

describe.each<ProfileName>(['standard', 'seed-text'])('%s decoders in every dialect, fuzzed', (profile) => {
  it('never throw on random bytes or on mutated segments, and read back every segment they write', () => {
    fc.assert(
      fc.property(
        dialects(profile),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: 0xffff_ffff }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (d, bytes, seq, at, value) => {
          const codec = wireProfile(profile, d);
          expect(typeof codec.decode(Buffer.from(bytes)).ok).toBe('boolean');
          const data = codec.encodeData(seq, bytes);
          if (bytes.length > 0 || d.eof === 'empty')
            expect(codec.decode(data)).toMatchObject({ ok: true, segment: { kind: 'data', seq } });
          for (const datagram of [data, codec.encodeEnd(seq), codec.encodeAck(seq)]) {
            datagram[at % datagram.length] = value;
            const decoded = codec.decode(datagram);
            // An end of file is only ever one of the dialect's own.
            if (decoded.ok && decoded.segment.kind === 'end') expect(['type0', 'fin']).toContain(d.eof);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('a flipped bit in any dialect whose checksum covers the header', () => {
  it('never passes for a segment: every single-bit error is caught (RFC 1071), in data and end signals', () => {
    fc.assert(
      fc.property(
        dialects('standard').filter((d) => d.coverage === 'header-and-payload'),
        fc.integer({ min: 0, max: 0xffff_fffe }),
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.nat(),
        (d, seq, payload, at) => {
          const codec = wireProfile('standard', d);
          const flips = [
            codec.encodeData(seq, payload),
            ...(d.eof === 'type0' ? [codec.encodeEnd(seq)] : []),
          ];
          for (const datagram of flips) {
            const bit = at % (datagram.length * 8);
            datagram[bit >> 3]! ^= 1 << (bit & 7);
            const decoded = codec.decode(datagram);
            expect(decoded.ok && decoded.segment.kind !== 'ack').toBe(false);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('whole transfers in random dialects, in the simulator', () => {
  it('Go-Back-N holds a FIN, which carries no number, until every receiver has every chunk', async () => {
    const data = Buffer.from(Array.from({ length: 400 }, (_, i) => i & 0xff));
    const input = dir.file('fin.bin');
    writeFileSync(input, data);
    for (const seed of [1, 2, 3]) {
      const outcome = await simulateTransfer(
        {
          seed,
          profile: 'standard',
          dialect: dialect('eof-fin'),
          protocol: 'gbn',
          window: 8,
          mss: 10,
          loss: [0.3, 0.3],
          forward: NO_IMPAIRMENTS,
          backward: NO_IMPAIRMENTS,
        },
        input,
        dir.path,
      );
      for (const r of outcome.receivers) expect(r.file?.equals(data)).toBe(true);
    }
  });

  it('every receiver ends byte-identical; verified only with an end signal', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<ProfileName>('standard', 'seed-text').chain((profile) =>
          fc.record({
            profile: fc.constant(profile),
            dialect: dialects(profile),
            protocol: fc.constantFrom(...PROTOCOLS),
            seed: fc.integer({ min: 0, max: 0xffff_ffff }),
            mss: fc.integer({ min: 1, max: 400 }),
            size: fc.integer({ min: 1, max: 3000 }),
            loss: fc.array(fc.double({ min: 0, max: 0.3, noNaN: true }), { minLength: 1, maxLength: 3 }),
          }),
        ),
        async ({ size, ...s }) => {
          const random = seededRandom(s.seed);
          const data = Buffer.from(Array.from({ length: size }, () => Math.floor(random() * 256)));
          const input = dir.file(`in-${runs++}.bin`);
          writeFileSync(input, data);
          // Duplicated, delayed datagrams both ways, loss at the receivers. No reordering: Go-Back-N takes a late
          // ACK 0 for a restarted receiver (with or without a dialect), which test/simulation does not exercise.
          const link = { ...NO_IMPAIRMENTS, duplicate: 0.1, delayMs: 5 };
          // Flipped bits in data where the checksum catches every one: not with sum-payload (the header is
          // unprotected, that dialect's weakness) nor in seed-text (its odd last byte is outside the checksum).
          const caught = s.profile === 'standard' && s.dialect.coverage === 'header-and-payload';
          const forward = caught ? { ...link, corrupt: 0.1, corruptBits: 1 } : link;
          const outcome = await simulateTransfer(
            { ...s, window: 4, forward, backward: link },
            input,
            dir.path,
          );
          expect(outcome.sent.ok).toBe(true);
          for (const r of outcome.receivers) {
            expect(r.file?.equals(data)).toBe(true);
            expect(r.result.files).toMatchObject([{ verified: s.dialect.eof !== 'none' }]);
          }
        },
      ),
      { seed: 13, numRuns: 60 },
    );
  });
});
