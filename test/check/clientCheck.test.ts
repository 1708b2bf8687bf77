// p2mpcheck client's judging, in process over real loopback sockets: three receivers on 127.0.0.2-4 and a test
// sender (senderPeers.ts) per dialect and per classic bug. Each report must name exactly what the sender does.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSender, type ClientCheckOptions } from '../../src/shared/check/clientChecker.js';
import { newSessionCode } from '../../src/shared/session/code.js';
import {
  renderClientReport,
  talkCommand,
  type ClientReport,
  type ClientRuleId,
} from '../../src/shared/check/rules.js';
import { formatDialect, parseDialect, type Dialect } from '../../src/shared/protocol/dialect.js';
import { TYPE_DATA } from '../../src/shared/protocol/segment.js';
import { checksumOf, COURSE_ENCODING, encodeSegment, readSegment } from '../../src/shared/protocol/wire.js';
import { receiversTransport } from '../../src/shared/node/checkTransport.js';
import { send } from '../../src/shared/node/sender.js';
import { sendAsPeer, type SenderPeerOptions } from './senderPeers.js';

const data = randomBytes(3_456); // 7 segments of 500 bytes but the last
// Shortened waits keep each check to a few seconds; the defaults run in clientCheckDefaults.test.ts.
const WAITS = { waitMs: 10_000, retransmitWaitMs: 1_000, quietMs: 1_000, withhold: 3 };

/** Runs a check on `port` with a peer sender started against its receivers. */
async function checkPeer(
  port: number,
  peer: Omit<SenderPeerOptions, 'receivers' | 'data' | 'mss'> & { mss?: number; data?: Buffer } = {},
  extra: Partial<ClientCheckOptions> = {},
): Promise<ClientReport> {
  const transport = await receiversTransport(3, port);
  try {
    const checking = checkSender(transport, { ...WAITS, receivers: transport.names, port, ...extra });
    const receivers = transport.names.map((address) => ({ address, port }));
    const sent = sendAsPeer({ data, receivers, mss: 500, giveUpMs: 15_000, ...peer });
    const [report] = await Promise.all([checking, sent]);
    return report;
  } finally {
    transport.close();
  }
}

const verdict = (report: ClientReport, id: ClientRuleId) => report.verdicts.find((v) => v.id === id)!;
const failing = (report: ClientReport) =>
  report.verdicts.filter((v) => v.status === 'fails').map((v) => v.id);

describe.concurrent('p2mpcheck client', () => {
  it('passes a correct course sender on every rule, and measures its timeout', async () => {
    const report = await checkPeer(17_960, {}, { file: { name: 'data.bin', data } });
    expect(report.verdicts.filter((v) => v.status !== 'pass')).toEqual([]);
    expect(formatDialect(report.dialect!)).toBe('standard');
    expect(verdict(report, 'file').detail).toBe('every receiver holds data.bin byte for byte (3456 bytes)');
    expect(report.timeout!.lowMs).toBeLessThanOrEqual(report.timeout!.medianMs);
    expect(report.timeout!.medianMs).toBeLessThanOrEqual(report.timeout!.highMs);
  });

  // A sender given MSS 500 that sends 499 bytes a segment passed: every segment but the last had the first's size.
  it('says the segment size it saw, and fails one that is not the MSS given (--mss)', async () => {
    const [seen, given, right, over] = await Promise.all([
      checkPeer(17_984, { mss: 499 }),
      checkPeer(17_985, { mss: 499 }, { mss: 500 }),
      checkPeer(17_986, {}, { mss: 500 }),
      checkPeer(17_992, {}, { mss: 400 }),
    ]);
    expect(verdict(seen, 'segment-size')).toMatchObject({
      status: 'pass',
      detail: '7 segments of 499 bytes but the last (462): is 499 your MSS? (--mss N checks it)',
    });
    expect(verdict(given, 'segment-size')).toMatchObject({
      status: 'fails',
      detail:
        'segment 1 (seq 1) carries 499 bytes, fewer than the MSS of 500 (--mss): only the last may carry fewer',
    });
    // More than the MSS was once worded as fewer ("only the last may carry fewer").
    expect(renderClientReport(over).split('\n')).toContain(
      `fails    ${'full segments but the last'.padEnd(44)}  segment 1 (seq 1) carries 500 bytes, more than the MSS of 400 (--mss)`,
    );
    expect(verdict(right, 'segment-size')).toMatchObject({
      status: 'pass',
      detail: '7 segments of 500 bytes but the last (456), the MSS given (--mss 500)',
    });
  });

  it("says when its timeout is not the course's 0.1 s (0.5 s here), without failing it", async () => {
    const report = await checkPeer(17_969, { timeoutMs: 500 });
    expect(failing(report)).toEqual([]);
    expect(verdict(report, 'retransmits')).toMatchObject({ status: 'differs' });
    expect(verdict(report, 'retransmits').detail).toMatch(
      /^timeout ≈ \d+ ms: median of \d+ retransmissions .*; the course's is 0\.1 s \(100 ms\)$/,
    );
    expect(report.timeout!.medianMs).toBeGreaterThanOrEqual(500);
  });

  const bugs: [string, SenderPeerOptions['bugs'], ClientRuleId, RegExp][] = [
    [
      'retransmits to every receiver',
      { retransmitsToAll: true },
      'only-unacked',
      /^retransmits to everyone: seq 3 went again to 127\.0\.0\.2 \(\d+ times\), 127\.0\.0\.3/,
    ],
    [
      'does not wait for every ACK',
      { doesNotWaitForAll: true },
      'waits-all',
      /^does not wait for every ACK: it sent seq [34] while .*127\.0\.0\.4 had not ACKed seq [23] \(a windowed sender, such as Go-Back-N, does so by design: these rules are the course's stop-and-wait\)$/,
    ],
    [
      'takes any ACK for the one it waits for',
      { ignoresAckNumber: true },
      'garbage-acks',
      /^takes garbage for an ACK: after 127\.0\.0\.2 answered seq 4 with garbage .*; an ACK moves a sender on only when it is whole, of type 0xAAAA and carries the segment's number \(it took one of: the header of type 0x1234, which carries seq 4: is the type field checked\?; the ACK cut short: is the length checked\?; ACK 1004 of a segment never sent: is the number checked\?\)$/,
    ],
    [
      'takes any header with the right number for an ACK (no type check)',
      { ignoresAckType: true },
      'garbage-acks',
      /^takes garbage for an ACK: .*the header of type 0x1234, which carries seq 4: is the type field checked\?/,
    ],
    [
      'crashes on a garbage ACK',
      { crashesOnGarbage: true },
      'garbage-acks',
      /^stopped after 127\.0\.0\.2 answered seq 4 with garbage instead of its ACK \(an empty datagram, /,
    ],
  ];
  // Ports 17961-17965: one per bug (17966 and up are taken below).
  it.each(bugs.map((b, i) => [...b, 17_961 + i] as const))(
    'names a sender that %s',
    async (_name, bugsOn, id, detail, port) => {
      const report = await checkPeer(port, { bugs: bugsOn });
      expect(failing(report)).toEqual([id]);
      expect(verdict(report, id).detail).toMatch(detail);
    },
  );

  // Within the wait (1 s here) a sender that never retransmits and one with a longer timeout look alike: both fail
  // the rule (never retransmitting is the common bug), with a line that says how to tell them apart.
  it.each([
    ['never retransmits', { bugs: { neverRetransmits: true } }, 17_966],
    ['has a 5 s timeout', { timeoutMs: 5_000 }, 17_967],
  ] as const)(
    'fails retransmission, saying how to tell a longer timeout apart, for a sender that %s',
    async (_name, peer, port) => {
      const report = await checkPeer(port, peer, { file: { name: 'data.bin', data } });
      expect(report.verdicts.filter((v) => v.status !== 'pass')).toEqual([
        {
          id: 'retransmits',
          status: 'fails',
          detail:
            'no retransmission within 1.0 s: seq 2 went once to each receiver, whose ACKs were withheld ' +
            'that long (its timeout may be longer: raise --retransmit-wait)',
        },
        {
          id: 'only-unacked',
          status: 'untested',
          detail:
            'not tested: no retransmission of seq 3 to 127.0.0.4 within 1.0 s (its timeout may be longer: raise ' +
            '--retransmit-wait)',
        },
      ]);
    },
  );

  // A student who left addresses out of the sender's command line: said plainly, and the rules judged on the
  // receivers it sent to (stop-and-wait is not blamed for a receiver it was never given).
  it.each([
    // The withholding receiver is one it sends to; how often it resends is the sender's timer's doing.
    [
      2,
      17_981,
      'pass',
      /^seq 3 went again \d+ times to 127\.0\.0\.3 only, the receiver withholding its ACK$/,
    ],
    [
      1,
      17_982,
      'untested',
      'not tested: it sent to 127.0.0.2 only (127.0.0.3, 127.0.0.4 received nothing: give the sender every ' +
        'address printed above)',
    ],
  ] as const)(
    'says which receivers got nothing from a sender given %i of 3 addresses',
    async (given, port, status, detail) => {
      const transport = await receiversTransport(3, port);
      try {
        const checking = checkSender(transport, {
          ...WAITS,
          receivers: transport.names,
          port,
          file: { name: 'data.bin', data },
        });
        const receivers = transport.names.slice(0, given).map((address) => ({ address, port }));
        const [report] = await Promise.all([
          checking,
          sendAsPeer({ data, receivers, mss: 500, giveUpMs: 15_000 }),
        ]);
        const left = transport.names.slice(given).join(', ');
        const lines = renderClientReport(report).split('\n');
        expect(lines).toContain(`${left} received nothing: give the sender every address printed above`);
        // "Every rule passes" never stands alone over a receiver it skipped (an off-by-one looks the same).
        expect(lines).toContain(
          `Result: every course rule passes (judged on the receivers it sent to: ${left} received nothing)`,
        );
        expect(failing(report)).toEqual([]);
        expect(verdict(report, 'waits-all').status).toBe('pass');
        expect(verdict(report, 'file')).toMatchObject({
          status: 'pass',
          detail: 'every receiver it sent to holds data.bin byte for byte (3456 bytes)',
        });
        expect(verdict(report, 'only-unacked')).toMatchObject({
          status,
          detail: typeof detail === 'string' ? detail : expect.stringMatching(detail),
        });
      } finally {
        transport.close();
      }
    },
  );

  it('still fails stop-and-wait for a receiver reached only after the others had the second segment', async () => {
    const port = 17_978;
    const transport = await receiversTransport(3, port);
    try {
      const checking = checkSender(transport, { ...WAITS, receivers: transport.names, port });
      const [first, second, third] = transport.names.map((address) => ({ address, port }));
      // The whole file to two receivers, then to the third.
      const sending = sendAsPeer({ data, receivers: [first!, second!], mss: 500, giveUpMs: 15_000 }).then(
        () => sendAsPeer({ data, receivers: [third!], mss: 500, giveUpMs: 15_000 }),
      );
      const [report] = await Promise.all([checking, sending]);
      expect(report.unreached).toBeUndefined();
      expect(verdict(report, 'waits-all')).toMatchObject({
        status: 'fails',
        detail:
          "does not wait for every ACK: it sent seq 2 while 127.0.0.4 had not ACKed seq 1 (a windowed sender, such as Go-Back-N, does so by design: these rules are the course's stop-and-wait)",
      });
    } finally {
      transport.close();
    }
  });

  /** Our own sender, with `options`, to `count` checking receivers on `port`: the checker's report. */
  async function checkOurSender(
    count: number,
    port: number,
    options: Partial<Parameters<typeof send>[0]>,
  ): Promise<Awaited<ReturnType<typeof checkSender>>> {
    const dir = mkdtempSync(join(tmpdir(), 'p2mp-ours-'));
    const file = join(dir, 'data.bin');
    writeFileSync(file, data);
    const transport = await receiversTransport(count, port);
    try {
      const checking = checkSender(transport, { ...WAITS, receivers: transport.names, port });
      const receivers = transport.names.map((host) => ({ host, port, label: host }));
      const sent = send({ file, receivers, mss: 500, ...options }).catch(() => null);
      const [report] = await Promise.all([checking, sent]);
      return report;
    } finally {
      transport.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('tells a student checking a windowed sender (our Go-Back-N) that not waiting is by design there', async () => {
    const report = await checkOurSender(3, 17_983, { protocol: 'gbn', window: 4, offer: false });
    expect(verdict(report, 'waits-all')).toMatchObject({
      status: 'fails',
      detail: expect.stringMatching(
        /^does not wait for every ACK: it sent seq \d+ while .* had not ACKed seq \d+ \(a windowed sender, such as Go-Back-N, does so by design: these rules are the course's stop-and-wait\)$/,
      ),
    });
  });

  it('tells a sender sealing its datagrams with a session code from one in no known format', async () => {
    const report = await checkOurSender(1, 17_988, { code: newSessionCode() });
    expect(verdict(report, 'byte-order')).toEqual(
      expect.objectContaining({
        status: 'fails',
        detail:
          'its datagrams are sealed with a session code (P2MP-FTP\'s envelope, "P2MS"): the checker reads the ' +
          'course protocol only, so check the sender without --code',
      }),
    );
  });

  it('names a sender that sends no end marker', async () => {
    const report = await checkPeer(17_968, { bugs: { noEndMarker: true } });
    expect(failing(report)).toEqual([]);
    expect(verdict(report, 'end-of-file')).toMatchObject({
      status: 'differs',
      detail: expect.stringMatching(/^no end-of-file signal/),
    });
    expect(formatDialect(report.dialect!)).toBe('eof-none');
  });

  const dialects = [
    'le',
    'sum-payload',
    'seq0',
    'bytes',
    'ack-next',
    'eof-type0',
    'eof-fin',
    'seq0,bytes,ack-next',
  ];
  it.each(dialects.map((d, i) => [d, 17_970 + i] as const))('detects the dialect %s', async (text, port) => {
    const report = await checkPeer(port, { dialect: parseDialect(text) as Dialect });
    expect(talkCommand(report.dialect!, port)).toBe(`p2mpserver ${port} FILE P --dialect ${text}`);
    expect(failing(report)).toEqual([]);
  });

  // A student sender that moves on after the first ACK, its segments reaching the receivers one after the other:
  // seq 2 reaches the first receiver before seq 1 reaches the others, which then ACK seq 2 (they were not part of
  // the withholding). It moved on with an ACK: "never retransmits: with no ACK for seq 2" blamed its timer.
  it('does not blame retransmission on a sender that moved on with one ACK, reaching the others late', async () => {
    const port = 19_895;
    const transport = await receiversTransport(3, port);
    const socket = createSocket('udp4');
    try {
      const checking = checkSender(transport, { ...WAITS, receivers: transport.names, port });
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      const acks: number[] = [];
      socket.on('message', (msg) => {
        const read = readSegment(COURSE_ENCODING, msg);
        if (read.ok && read.fields.type === 0xaaaa) acks.push(read.fields.seq);
      });
      const sendTo = (i: number, seq: number): void =>
        socket.send(
          encodeSegment(COURSE_ENCODING, seq, TYPE_DATA, data.subarray((seq - 1) * 500, seq * 500)),
          port,
          transport.names[i],
        );
      const ackOf = async (seq: number): Promise<void> => {
        for (let t = 0; t < 200 && !acks.includes(seq); t++) await new Promise((r) => setTimeout(r, 5));
      };
      sendTo(0, 1);
      await ackOf(1);
      sendTo(0, 2);
      await new Promise((r) => setTimeout(r, 50));
      for (const i of [1, 2]) sendTo(i, 1);
      for (const i of [1, 2]) sendTo(i, 2);
      await ackOf(2);
      for (let seq = 3; seq <= 7; seq++) {
        for (const i of [0, 1, 2]) sendTo(i, seq);
        await ackOf(seq);
      }
      const report = await checking;
      expect(failing(report)).toEqual(['waits-all']);
      expect(verdict(report, 'retransmits')).toEqual({
        id: 'retransmits',
        status: 'untested',
        detail:
          'not tested: it does not wait for every ACK (see that rule), so withholding ACKs brought no timeout: ' +
          'while 127.0.0.2 withheld its ACK of seq 2, the ACKs of 127.0.0.3, 127.0.0.4 (not withholding: nothing ' +
          'had reached them yet when the withholding began) moved it on to seq 3',
      });
    } finally {
      socket.close();
      transport.close();
    }
  });

  // A classic student slip: the sequence number packed big-endian, the checksum little-endian. No dialect reads
  // it, and a seq 0 (alike in both byte orders) must not pass for a little-endian dialect either.
  it.each([
    ['standard', 19_896],
    ['seq0', 19_897],
  ] as const)(
    'names a checksum in the wrong byte order (%s), with no dialect to talk to it',
    async (text, port) => {
      const report = await checkPeer(port, {
        dialect: parseDialect(text) as Dialect,
        bugs: { checksumSwapped: true },
        giveUpMs: 4_000,
      });
      expect(report.dialect).toBeUndefined();
      expect(failing(report)).toEqual(['byte-order']);
      expect(verdict(report, 'byte-order').detail).toMatch(
        /^its checksum is in the wrong byte order: seq \d carries 0x[0-9a-f]{4} in bytes 4-5, the checksum over seq\+type\+payload \(0x[0-9a-f]{4}\) with its two bytes swapped: write it high byte first \(network byte order\), as its sequence number$/,
      );
      expect(verdict(report, 'retransmits').detail).toBe(
        'not tested: its segments could not be read (see "header format and byte order")',
      );
      expect(renderClientReport(report)).not.toContain('Talk to it with');
    },
  );

  // One checksum in 256 has two equal bytes, which swapping leaves as they are: that segment reads, and the
  // receivers' ACKs move the sender on to segments that do not. It took that one segment's byte order for a dialect.
  it('names a checksum in the wrong byte order where the first segment reads anyway (two equal bytes)', async () => {
    const palindromic = Buffer.from(data);
    for (let i = 0; i < 100_000; i++) {
      const sum = checksumOf(COURSE_ENCODING, 1, TYPE_DATA, palindromic.subarray(0, 500));
      if (sum >> 8 === (sum & 0xff)) break;
      palindromic.writeUInt32BE(i, 0);
    }
    const sum = checksumOf(COURSE_ENCODING, 1, TYPE_DATA, palindromic.subarray(0, 500));
    expect(sum >> 8).toBe(sum & 0xff);
    const report = await checkPeer(17_987, {
      data: palindromic,
      bugs: { checksumSwapped: true },
      giveUpMs: 4_000,
    });
    expect(report.dialect).toBeUndefined();
    expect(failing(report)).toEqual(['byte-order']);
    expect(verdict(report, 'byte-order').detail).toMatch(
      /^its checksum is in the wrong byte order: seq 2 carries 0x[0-9a-f]{4} in bytes 4-5, .* as its sequence number$/,
    );
  });

  it('names a checksum computed wrong (no complement), with the checksum it should carry', async () => {
    const report = await checkPeer(19_898, { bugs: { checksumNotComplemented: true }, giveUpMs: 4_000 });
    expect(report.dialect).toBeUndefined();
    expect(verdict(report, 'byte-order')).toMatchObject({
      status: 'fails',
      detail: expect.stringMatching(
        /^its segments look like data \(type 0x5555, seq 1, 500 bytes of payload\) but their checksum is wrong: bytes 4-5 hold 0x[0-9a-f]{4}, where the course's checksum is 0x[0-9a-f]{4} over seq\+type\+payload or 0x[0-9a-f]{4} over the payload \(RFC 1071/,
      ),
    });
  });

  it('reads the seed-text format', async () => {
    const report = await checkPeer(17_980, {
      format: 'seed-text',
      dialect: parseDialect('eof-none') as Dialect,
    });
    expect(report.dialect).toMatchObject({ format: 'seed-text', eof: 'none' });
    expect(verdict(report, 'byte-order')).toMatchObject({
      status: 'differs',
      detail: expect.stringMatching(/^seed-text/),
    });
    expect(failing(report)).toEqual([]);
  });
});
