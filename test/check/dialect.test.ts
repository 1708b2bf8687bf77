// p2mpcheck's pure parts: the dialect codec against the standard profile and by hand, ACK arithmetic per dialect,
// the loss interval, the written-once judgement and the printed report.
import { describe, expect, it } from 'vitest';
import {
  decodeAck,
  encodeSegment,
  indexOfAck,
  seqOf,
  whyNotAck,
  type Dialect,
} from '../../src/shared/check/dialect.js';
import {
  estimateLoss,
  judgeWritten,
  renderReport,
  RULE_IDS,
  type CheckReport,
  type FileSeen,
} from '../../src/shared/check/rules.js';
import { TYPE_DATA } from '../../src/shared/protocol/segment.js';
import { seedText } from '../../src/shared/protocol/seedText.js';
import { standard } from '../../src/shared/protocol/standard.js';
import { ackChecksum } from '../../src/shared/protocol/wire.js';

const abc = Uint8Array.from(Buffer.from('abc'));
const course: Dialect = {
  format: 'binary',
  order: 'big',
  coverage: 'header-and-payload',
  base: 1,
  unit: 'segment',
  ack: 'received',
  eof: 'empty',
};

describe('dialect codec', () => {
  it('encodes the course dialect exactly as the standard profile (docs/PROTOCOL.md example)', () => {
    const bytes = encodeSegment(course, 1, TYPE_DATA, abc);
    expect(Buffer.from(bytes).toString('hex')).toBe('00000001e6465555616263');
    expect(Buffer.from(bytes)).toEqual(standard.encodeData(1, abc));
  });

  it('writes little-endian fields and a payload-only checksum', () => {
    const bytes = encodeSegment(
      { format: 'binary', order: 'little', coverage: 'payload' },
      1,
      TYPE_DATA,
      abc,
    );
    // Payload words 0x6162 + 0x6300 = 0xc462, complement 0x3b9d, written low byte first.
    expect(Buffer.from(bytes).toString('hex')).toBe('010000009d3b5555616263');
  });

  it('reads an ACK in either byte order, and nothing else', () => {
    const ack = Buffer.from('00000002 0000 aaaa'.replace(/ /g, ''), 'hex');
    expect(decodeAck(ack, course)).toEqual({ seq: 2, middle: 0 });
    expect(decodeAck(ack, { ...course, order: 'little' })).toEqual({ seq: 0x02000000, middle: 0 });
    expect(decodeAck(ack.subarray(0, 7), course)).toBeUndefined();
    expect(decodeAck(Buffer.from('0000000200005555', 'hex'), course)).toBeUndefined();
  });

  it('tells why a reply is no ACK: its bytes by field, and the field that is wrong', () => {
    const reply = (hex: string) => Buffer.from(hex.replace(/ /g, ''), 'hex');
    expect(whyNotAck(reply('00000001 0000 5555'), course)).toBe(
      "an 8-byte reply 00000001 0000 5555: bytes 6-7 (type) hold 0x5555, an ACK's type is 0xAAAA",
    );
    expect(whyNotAck(reply('00000001 aaaa 0000'), course)).toBe(
      'an 8-byte reply 00000001 aaaa 0000: bytes 4-5 hold 0xaaaa and 6-7 hold 0x0000: the middle and type fields ' +
        'swapped?',
    );
    expect(whyNotAck(reply('00000001 0000 aaaa 00000000'), course)).toBe(
      'a 12-byte reply 00000001 0000 aaaa 00000000: an ACK is 8 bytes, this one has 4 more after its header',
    );
    expect(whyNotAck(reply('000000 01'), course)).toBe(
      'a 4-byte reply 00000001: an ACK is 8 bytes (sequence number, 16 zero bits, type 0xAAAA)',
    );
    expect(whyNotAck(reply('00'.repeat(18)), course)).toMatch(
      /^an 18-byte reply 00000000 0000 0000 00000000 00000000 \.\.\.: bytes 6-7/,
    );
    expect(whyNotAck(Buffer.from('hello'), { ...course, format: 'seed-text' })).toBe(
      "a 5-byte reply, not an ACK spelled in ASCII bits (an ACK is 64 characters, each '0' or '1')",
    );
  });

  it('spells seed-text exactly as the seed-text profile, and reads its ACKs', () => {
    const text: Dialect = { ...course, format: 'seed-text' };
    // Odd length: the codec leaves the last byte out of the checksum, as the reference (and the profile) do.
    expect(Buffer.from(encodeSegment(text, 7, TYPE_DATA, abc))).toEqual(seedText.encodeData(7, abc));
    expect(decodeAck(seedText.encodeAck(5), text)).toEqual({ seq: 5, middle: ackChecksum(5) });
    expect(decodeAck(seedText.encodeAck(5).fill(0x32, 3, 4), text)).toBeUndefined();
  });

  it('maps ACKs to segments in every numbering', () => {
    const bytesNext: Dialect = { ...course, base: 0, unit: 'byte', ack: 'next' };
    expect(seqOf(bytesNext, 2, 100)).toBe(200);
    expect(indexOfAck(bytesNext, 300, 100)).toBe(2);
    expect(indexOfAck(bytesNext, 250, 100)).toBeUndefined();
    // Nothing in order yet from a receiver counting from 0: ACK -1, sent as 0xFFFFFFFF.
    expect(indexOfAck({ ...course, base: 0 }, 0xffffffff, 100)).toBe(-1);
    expect(indexOfAck(course, 0, 100)).toBe(-1);
  });
});

describe('verdict helpers', () => {
  it('gives a 95% Wilson interval that stays inside [0, 1]', () => {
    const none = estimateLoss(0, 100);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.037, 3);
    const some = estimateLoss(20, 100);
    expect(some.low).toBeCloseTo(0.133, 3);
    expect(some.high).toBeCloseTo(0.289, 3);
    expect(estimateLoss(10, 10).high).toBe(1);
  });

  it('prints the rules a receiver that never got going left untested as one line', () => {
    const report: CheckReport = {
      target: 'h:1',
      verdicts: RULE_IDS.map((id) =>
        id === 'in-order'
          ? { id, status: 'fails', detail: 'seq 1 got an 8-byte reply' }
          : { id, status: 'untested', detail: 'not tested: the receiver never ACKed a first segment' },
      ),
    };
    const lines = renderReport(report).split('\n');
    expect(lines.filter((line) => line.startsWith('untested'))).toEqual([
      'untested the 13 other rules                          not tested: the receiver never ACKed a first segment',
    ]);
    expect(lines).toContain('fails    in-order data ACKed                         seq 1 got an 8-byte reply');
  });

  it('judges "written once" from the receiver\'s file: the bytes ACKed in order, no more, and no fewer once it ended', () => {
    const report: CheckReport = {
      target: 'h:1',
      ackedBytes: 300,
      verdicts: [
        { id: 'duplicate', status: 'pass', detail: 'a second copy of seq 2 got ACK 2; not visible' },
      ],
    };
    const sent = [0, 1, 2].map((k) => Uint8Array.from({ length: 100 }, (_, i) => (k * 31 + i) & 0xff));
    const whole = Buffer.concat(sent);
    const judge = (content: Uint8Array | string, r: CheckReport = report, seen: FileSeen = {}) =>
      judgeWritten(r, 'f', content, sent, seen).verdicts[0]!;
    expect(judge(whole)).toMatchObject({ status: 'pass', detail: expect.stringMatching(/written once/) });
    // A segment written again; the checker's out-of-order segment written; a header written with each payload.
    expect(judge(Buffer.concat([whole, sent[2]!]))).toMatchObject({
      status: 'fails',
      detail: expect.stringMatching(/written more than once/),
    });
    expect(judge(Buffer.concat([whole, Buffer.alloc(64, 7)]))).toMatchObject({
      status: 'fails',
      detail: expect.stringMatching(
        /f holds 64 bytes more than the 300 ACKed in order: it wrote data it should have discarded/,
      ),
    });
    // (The first payload starts with a 0 byte, as the header does: they part at byte 1.)
    expect(judge(Buffer.concat([Buffer.alloc(8), whole]))).toMatchObject({
      status: 'fails',
      detail: expect.stringMatching(
        /f differs from the data sent from byte 1 on \(it holds 308 bytes, 300 were ACKed in order\)/,
      ),
    });
    // Shorter: maybe still in its buffers while it runs; once it has ended, it ACKed data it never wrote.
    expect(judge(whole.subarray(0, 200))).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/only 200/),
    });
    expect(judge(new Uint8Array(0), { ...report, ended: true })).toMatchObject({
      status: 'fails',
      detail: expect.stringMatching(
        /f holds only 0 of the 300 bytes ACKed in order, and the receiver has ended: it ACKs data it does not write/,
      ),
    });
    // The segment sent ahead of time was seen written (that rule failed), and the duplicate not: the file differs
    // from there on, and the duplicate is not charged for it.
    const ahead = Buffer.concat([sent[0]!, sent[2]!, sent[1]!, sent[2]!]);
    expect(judge(ahead, report, { outOfOrder: true, duplicate: false })).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/; written once: the duplicate left f as it was \(the file holds data/),
    });
    expect(judge(ahead).status).toBe('fails');
    // Not read: why, as the file system said (one it may not read was said not to exist).
    expect(judge('does not exist').detail).toMatch(/; f does not exist: written once not observed$/);
    expect(judge('cannot be read (permission denied)').detail).toMatch(
      /; f cannot be read \(permission denied\): written once not observed$/,
    );
  });
});
