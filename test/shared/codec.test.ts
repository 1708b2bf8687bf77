import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { complement, onesComplementSum } from '../../src/shared/protocol/checksum.js';
import { getProfile } from '../../src/shared/protocol/profiles.js';
import { MAX_DATAGRAM, PROFILE_NAMES } from '../../src/shared/protocol/segment.js';
import { seedText } from '../../src/shared/protocol/seedText.js';
import { standard } from '../../src/shared/protocol/standard.js';

interface VectorCase {
  name: string;
  mss: number;
  file_hex: string;
  exchange: { dir: string; datagram_hex: string; seq: number; checksum_bits: string }[];
}
const vectors = JSON.parse(readFileSync(join(__dirname, '../fixtures/seed-text.json'), 'utf8'))
  .cases as VectorCase[];

describe('RFC 1071 checksum', () => {
  it('gives the RFC check value 0x220d for 0001 f203 f4f5 f6f7', () => {
    const words = Buffer.from('0001f203f4f5f6f7', 'hex');
    expect(onesComplementSum(words)).toBe(0xddf2);
    expect(complement(onesComplementSum(words))).toBe(0x220d);
  });
  it('pads an odd trailing byte with a zero low byte', () => {
    expect(onesComplementSum(Buffer.from([0x12, 0x34, 0x56]))).toBe(0x1234 + 0x5600);
  });
  it('sums 32 bits at a time exactly as word by word, whatever the length, offset and initial value', () => {
    // The textbook loop, one big-endian 16-bit word at a time, folded at the end.
    const reference = (bytes: Uint8Array, initial: number): number => {
      let sum = initial;
      for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
      while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
      return sum;
    };
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 3000, size: 'max' }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 0x3ffff }),
        (data, offset, initial) => {
          // At every offset into a larger buffer, as a datagram's payload sits after its header.
          const buffer = new Uint8Array(offset + data.length);
          buffer.set(data, offset);
          const bytes = buffer.subarray(offset);
          expect(onesComplementSum(bytes, initial)).toBe(reference(bytes, initial));
        },
      ),
      { numRuns: 2000 },
    );
    // A full-size payload; all ones and all zeros: the sums that fold onto 0xffff and 0.
    const payload = Uint8Array.from({ length: 1400 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
    expect(onesComplementSum(payload)).toBe(reference(payload, 0));
    for (const fill of [0x00, 0xff])
      for (const length of [64, 65, 1400, 1401])
        expect(onesComplementSum(new Uint8Array(length).fill(fill))).toBe(
          reference(new Uint8Array(length).fill(fill), 0),
        );
  });
});

describe('seed-text profile against datagrams captured from the reference implementation', () => {
  for (const c of vectors) {
    const file = Buffer.from(c.file_hex, 'hex');
    for (const [i, e] of c.exchange.entries()) {
      it(`${c.name} #${i} ${e.dir} seq ${e.seq}: encodes byte for byte and decodes`, () => {
        const wire = Buffer.from(e.datagram_hex, 'hex');
        const decoded = seedText.decode(wire);
        expect(decoded.ok).toBe(true);
        if (!decoded.ok) return;
        expect(decoded.segment.seq).toBe(e.seq);
        expect(decoded.segment.checksum).toBe(parseInt(e.checksum_bits, 2));
        if (e.dir === 'sender->receiver') {
          const chunk = file.subarray((e.seq - 1) * c.mss, e.seq * c.mss);
          expect(seedText.encodeData(e.seq, chunk).equals(wire)).toBe(true);
          expect(decoded.segment.kind === 'data' && decoded.segment.payload.equals(chunk)).toBe(true);
        } else {
          expect(seedText.encodeAck(e.seq).equals(wire)).toBe(true);
          expect(decoded.segment.kind).toBe('ack');
        }
      });
    }
  }
  it('leaves the last byte of an odd payload out of the checksum, as the reference does', () => {
    const a = seedText.decode(seedText.encodeData(3, Buffer.from([1, 2, 3])));
    const b = seedText.decode(seedText.encodeData(3, Buffer.from([1, 2, 0xff])));
    expect(a.ok && b.ok && a.segment.checksum === b.segment.checksum).toBe(true);
  });
  it('checks the checksum of an ACK, so a flipped bit cannot turn ACK 2 into ACK 3', () => {
    const ack = seedText.encodeAck(2);
    ack[31] = 0x31; // seq 2 -> 3, checksum unchanged
    expect(seedText.decode(ack)).toMatchObject({ ok: false, reason: 'bad-checksum', seq: 3 });
  });
  it('rejects characters other than 0 and 1', () => {
    const wire = seedText.encodeData(1, Buffer.from('hi'));
    wire[70] = 0x32;
    expect(seedText.decode(wire)).toMatchObject({ ok: false, reason: 'bad-encoding' });
  });
});

describe('standard profile', () => {
  it('encodes the exact header: seq, RFC 1071 checksum over seq+type+payload, 0x5555', () => {
    const wire = standard.encodeData(1, Buffer.from('abc'));
    // words 0000 0001 5555 6162 6300: sum 0x119b8 folds to 0x19b9, complement 0xe646
    expect(wire.toString('hex')).toBe('00000001e6465555616263');
  });
  it('encodes an ACK as seq, 0x0000, 0xAAAA', () => {
    expect(standard.encodeAck(0x01020304).toString('hex')).toBe('010203040000aaaa');
  });
  it("our receivers' ACKs of an offered transfer carry their checksum, which a sender can check", () => {
    // words 0000 0001 aaaa: sum 0xaaab, complement 0x5554
    const summed = standard.encodeAck(1, true);
    expect(summed.toString('hex')).toBe('000000015554aaaa');
    expect(standard.ackSummed(summed)).toBe(true);
    // One bit flipped in the number: ACK 1 reads as ACK 3, and the checksum says so. A course ACK has none.
    const flipped = Buffer.from(summed);
    flipped[3]! ^= 0x02;
    expect(standard.decode(flipped)).toMatchObject({ ok: true, segment: { kind: 'ack', seq: 3 } });
    expect(standard.ackSummed(flipped)).toBe(false);
    expect(standard.ackSummed(standard.encodeAck(1))).toBe(false);
    // With a SACK bitmap the data checksum covers it either way.
    expect(standard.ackSummed(standard.encodeSack({ seq: 1, bitmap: Uint8Array.of(0x40, 0) }))).toBe(true);
  });
  it('ignores the middle field of an ACK', () => {
    const ack = Buffer.from('00000007ffffaaaa', 'hex');
    expect(standard.decode(ack)).toMatchObject({ ok: true, segment: { kind: 'ack', seq: 7 } });
  });
  it('names what is wrong with a datagram', () => {
    expect(standard.decode(Buffer.alloc(7))).toEqual({ ok: false, reason: 'too-short' });
    expect(standard.decode(Buffer.from('0000000100001234', 'hex'))).toMatchObject({ reason: 'bad-type' });
    expect(standard.decode(Buffer.from('00000001aaaaaaaa00', 'hex'))).toMatchObject({ reason: 'bad-length' });
    const flipped = standard.encodeData(9, Buffer.from('payload'));
    flipped[10]! ^= 0x01;
    expect(standard.decode(flipped)).toMatchObject({ ok: false, reason: 'bad-checksum', seq: 9 });
  });
});

describe.each(PROFILE_NAMES)('%s profile properties', (name) => {
  const profile = getProfile(name);
  it('round-trips any data segment', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.uint8Array({ maxLength: 3000 }),
        (seq, payload) => {
          const decoded = profile.decode(profile.encodeData(seq, payload));
          return (
            decoded.ok &&
            decoded.segment.kind === 'data' &&
            decoded.segment.seq === seq &&
            decoded.segment.payload.equals(Buffer.from(payload))
          );
        },
      ),
      { numRuns: 300 },
    );
  });
  it('round-trips any ACK', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seq) => {
        const decoded = profile.decode(profile.encodeAck(seq));
        return decoded.ok && decoded.segment.kind === 'ack' && decoded.segment.seq === seq;
      }),
    );
  });
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
        const decoded = profile.decode(Buffer.from(bytes));
        return typeof decoded.ok === 'boolean';
      }),
      { numRuns: 2000 },
    );
  });
  it('never throws on mutated valid datagrams', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (p, at, v) => {
          const wire = profile.encodeData(5, p);
          wire[at % wire.length] = v;
          return typeof profile.decode(wire).ok === 'boolean';
        },
      ),
      { numRuns: 2000 },
    );
  });
  it('fits a full-MSS segment in one UDP datagram, and no more', () => {
    expect(profile.dataLength(profile.maxMss)).toBeLessThanOrEqual(MAX_DATAGRAM);
    expect(profile.dataLength(profile.maxMss + 1)).toBeGreaterThan(MAX_DATAGRAM);
    expect(profile.encodeData(1, Buffer.alloc(profile.maxMss)).length).toBe(
      profile.dataLength(profile.maxMss),
    );
  });
});
