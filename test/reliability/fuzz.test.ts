// Bounded fuzzing of the receiver and of the sender's socket with random and mutated datagrams (see hostile.ts):
// lengths 0..65507, truncated headers, wrong types, wrong checksums, huge and zero sequence numbers, the other
// profile's encoding, and valid-looking segments from foreign sources mid-transfer. Nothing may crash, the data
// written must stay byte-identical, and every hostile datagram must land in the counter an oracle predicts.
//
// The oracle decodes each datagram with the profile's own decoder (pure, tested in codec.test.ts) and applies the
// documented rules. Hostile input from the peer's own address and port that is a *valid* protocol message with
// the meaning "here is the next segment" (a data segment numbered last + 1 to a receiver) or "I have it" (an
// ACK of the current number, or ACK 0 = "I restarted", to the sender) is not sent: from that address it is,
// by the protocol, the truth, and no checksum can tell a forgery (for instance a payload whose trailing zero
// bytes were cut off keeps its checksum). Those are counted as skipped and printed. From any other source every
// datagram is sent, valid or not, and must be ignored.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { getProfile } from '../../src/shared/protocol/profiles.js';
import type { ProfileName } from '../../src/shared/protocol/segment.js';
import { send } from '../../src/shared/node/sender.js';
import { sha256, startReceivers, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { createHostile, type Kind } from './hostile.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

async function udp(address: string): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 1 << 22, sendBufferSize: 1 << 22 });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return socket;
}

const close = (socket: Socket): Promise<void> => new Promise((resolve) => socket.close(() => resolve()));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const PROFILES: [ProfileName, number, number][] = [
  // profile, MSS, file size
  ['standard', 1000, 120_000],
  ['seed-text', 400, 48_000],
];
const PER_ROUND = 320; // hostile datagrams from the sender's own address per segment
const FOREIGN_PER_ROUND = 120; // from two foreign addresses per segment

describe.each(PROFILES)('%s profile', (profileName, mss, size) => {
  const profile = getProfile(profileName);

  it('receiver: hostile datagrams from the sender and from strangers change nothing', async () => {
    const started = performance.now();
    const input = dir.file(`recv-${profileName}.bin`);
    const content = writeRandomFile(input, size);
    const out = tempDir();
    const [receiver] = await startReceivers(1, out.path, { profile: profileName, lingerMs: 50 }, 20);
    const target = receiver!.address;
    // The "sender": a raw socket that runs stop-and-wait by hand and mixes hostile datagrams into its stream.
    const sender = await udp('127.0.0.1');
    const strangers = [await udp('127.0.0.21'), await udp('127.0.0.22')];
    const repliesToStrangers: Buffer[] = [];
    for (const s of strangers) s.on('message', (m) => repliesToStrangers.push(m));
    let awaited = -1;
    let onAck: (() => void) | null = null;
    sender.on('message', (m) => {
      const d = profile.decode(m);
      if (d.ok && d.segment.kind === 'ack' && d.segment.seq === awaited) onAck?.();
    });
    const hostile = createHostile(profileName, 0xf022 + mss, mss);
    const expected = { malformed: 0, corrupt: 0, duplicates: 0, outOfOrder: 0, foreign: 0 };
    const kinds = new Map<Kind, number>();
    let sent = 0;
    let skipped = 0;
    let resends = 0;
    const emit = (socket: Socket, data: Buffer): void => {
      socket.send(data, target.port, target.address);
      sent++;
    };
    try {
      const chunks = Math.ceil(size / mss);
      for (let seq = 1; seq <= chunks + 1; seq++) {
        const last = seq - 1;
        for (let i = 0; i < PER_ROUND; i++) {
          const { kind, data } = hostile.next(seq);
          const d = profile.decode(data);
          const isData = d.ok ? d.segment.kind === 'data' : d.reason === 'bad-checksum';
          // Not the valid next segment (it would be taken), nor, before the transfer, a valid segment 0: that is
          // what a sender numbering from 0 sends, and the receiver holds that sender off for 3 s (receiving.ts,
          // belowFirst; test/engine/receiving.test.ts).
          const numberedBelow = last === 0 && d.ok && d.segment.kind === 'data' && d.segment.seq === 0;
          if ((d.ok && d.segment.kind === 'data' && d.segment.seq === last + 1) || numberedBelow) {
            skipped++;
            continue;
          }
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          if (!isData) expected.malformed++;
          else if (!d.ok) expected.corrupt++;
          else if (d.segment.seq <= last) expected.duplicates++;
          else expected.outOfOrder++;
          emit(sender, data);
        }
        // Strangers only once a transfer is under way: before it, a valid segment 1 from them would start one.
        if (seq > 1)
          for (let i = 0; i < FOREIGN_PER_ROUND; i++) {
            const { data } =
              i % 4 === 0
                ? {
                    data: profile.encodeData(
                      seq,
                      hostile.random() < 0.5 ? Buffer.alloc(0) : Buffer.from('EVIL'),
                    ),
                  }
                : hostile.next(seq);
            emit(strangers[i % 2]!, data);
            expected.foreign++;
          }
        // Then the real segment, until its ACK arrives.
        const chunk = content.subarray((seq - 1) * mss, Math.min(seq * mss, size));
        const datagram = profile.encodeData(seq, chunk);
        awaited = seq;
        for (let attempt = 0; ; attempt++) {
          const acked = new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), 2000);
            onAck = () => {
              clearTimeout(timer);
              resolve(true);
            };
          });
          emit(sender, datagram);
          if (attempt > 0) resends++;
          if (await acked) break;
          expect(attempt, `no ACK for segment ${seq}`).toBeLessThan(3);
        }
        onAck = null;
      }
      const result = await receiver!.done;
      const elapsed = performance.now() - started;
      const c = result.counters;
      console.log(
        `fuzz receiver (${profileName}): ${sent} datagrams to the receiver (${sent - (chunks + 1) - resends - expected.foreign} ` +
          `hostile from the sender's address, ${expected.foreign} from 2 foreign addresses, ${chunks + 1} real ` +
          `segments; ${skipped} valid next segments skipped) in ${(elapsed / 1000).toFixed(2)} s; ` +
          `kinds ${JSON.stringify(Object.fromEntries(kinds))}`,
      );
      expect(result.ok, result.failure).toBe(true);
      expect(readFileSync(out.file('out-0.bin')).equals(content)).toBe(true);
      expect(result.files[0]!.sha256).toBe(sha256(input));
      expect(c.received).toBe(sent);
      expect(c).toMatchObject({
        dropped: 0,
        malformed: expected.malformed,
        corrupt: expected.corrupt,
        // A resend of a segment already written (its ACK was slow) is a duplicate too.
        duplicates: expected.duplicates + resends,
        outOfOrder: expected.outOfOrder,
        foreign: expected.foreign,
        bytesWritten: size,
        acksSent: chunks + 1 + expected.duplicates + resends + expected.outOfOrder,
      });
      expect(expected.malformed).toBeGreaterThan(0);
      expect(expected.corrupt).toBeGreaterThan(0);
      expect(expected.duplicates + expected.outOfOrder).toBeGreaterThan(0);
      expect(repliesToStrangers).toEqual([]);
      expect(elapsed).toBeLessThan(15_000);
    } finally {
      await receiver!.stop();
      await Promise.all([sender, ...strangers].map(close));
      out.cleanup();
    }
  });

  it("sender's socket: hostile datagrams from a receiver's address and from strangers change nothing", async () => {
    const started = performance.now();
    const input = dir.file(`send-${profileName}.bin`);
    const content = writeRandomFile(input, size);
    const out = tempDir();
    const [real] = await startReceivers(1, out.path, { profile: profileName, lingerMs: 50 }, 23);
    // A receiver played by hand: it keeps what it gets in memory and, before each ACK, sends hostile datagrams
    // to the sender's port from its own address and port; a stranger does the same from another address.
    const pretend = await udp('127.0.0.24');
    const stranger = await udp('127.0.0.25');
    const hostile = createHostile(profileName, 0x5e4d + mss, mss);
    const chunks = Math.ceil(size / mss);
    const received: Buffer[] = [];
    const expected = { malformed: 0, stale: 0, foreign: 0 };
    let last = 0;
    let hostileSent = 0;
    let skipped = 0;
    let duplicateData = 0;
    const onData = (message: Buffer, from: RemoteInfo): void => {
      const d = profile.decode(message);
      if (!d.ok || d.segment.kind !== 'data') return;
      const seq = d.segment.seq;
      if (seq !== last + 1) {
        duplicateData++; // a retransmission: ACK it again, no fuzz (the sender may have moved on)
        pretend.send(profile.encodeAck(last), from.port, from.address);
        return;
      }
      received.push(Buffer.from(d.segment.payload));
      last = seq;
      // The sender is at `seq` until this receiver's ACK below arrives.
      for (let i = 0; i < PER_ROUND; i++) {
        const { data } = hostile.next(seq);
        const h = profile.decode(data);
        const isAck = h.ok && h.segment.kind === 'ack';
        // Three rules act on an ACK from a receiver's address: of the current segment (taken), of 0 (it restarted),
        // of the next one, not sent yet (it speaks ack-next: three in a row give it up). Only the rest is noise.
        if (isAck && (h.segment.seq === seq || h.segment.seq === 0 || h.segment.seq === seq + 1)) {
          skipped++;
          continue;
        }
        if (isAck) expected.stale++;
        else expected.malformed++;
        pretend.send(data, from.port, from.address);
        hostileSent++;
      }
      // Valid-looking ACKs of the current and other numbers, and anything else, from a stranger: all foreign.
      // Not in the last round: the sender closes its socket as soon as the last ACK arrives.
      if (seq <= chunks)
        for (let i = 0; i < FOREIGN_PER_ROUND; i++) {
          const data = i % 3 === 0 ? profile.encodeAck(i % 2 ? seq : 0) : hostile.next(seq).data;
          stranger.send(data, from.port, from.address);
          expected.foreign++;
          hostileSent++;
        }
      pretend.send(profile.encodeAck(seq), from.port, from.address);
    };
    pretend.on('message', onData);
    try {
      const result = await send({
        file: input,
        receivers: [
          { host: real!.address.address, port: real!.address.port, label: 'real' },
          { host: '127.0.0.24', port: pretend.address().port, label: 'pretend' },
        ],
        mss,
        profile: profileName,
        timeoutMs: 1000, // long: a retransmission would only blur the exact counts (it is accounted for anyway)
        receiverTimeoutMs: 20_000,
        offer: false, // the course protocol's own datagrams, counted exactly
      });
      const outcome = await real!.done;
      const elapsed = performance.now() - started;
      console.log(
        `fuzz sender (${profileName}): ${hostileSent} hostile datagrams to the sender's socket ` +
          `(${hostileSent - expected.foreign} from a receiver's address, ${expected.foreign} from a stranger; ` +
          `${skipped} valid current ACKs skipped) in ${(elapsed / 1000).toFixed(2)} s`,
      );
      expect(result.ok, JSON.stringify(result.receivers.map((r) => r.failure))).toBe(true);
      expect(outcome.ok).toBe(true);
      expect(sha256(out.file('out-0.bin'))).toBe(sha256(input));
      expect(Buffer.concat(received).equals(content)).toBe(true);
      const K = chunks + 1;
      const retransmissions = result.receivers.reduce((a, r) => a + r.retransmissions, 0);
      const c = result.counters!;
      expect(c.acks).toBe(2 * K);
      expect(c.foreign).toBe(expected.foreign);
      expect(c.malformed).toBe(expected.malformed);
      // Each retransmission can draw one more (stale) ACK from a receiver that already had the segment.
      expect(c.stale).toBeGreaterThanOrEqual(expected.stale);
      expect(c.stale).toBeLessThanOrEqual(expected.stale + retransmissions + duplicateData);
      expect(c.received).toBe(c.acks + c.stale + c.malformed + c.foreign);
      expect(result.receivers.map((r) => r.acks)).toEqual([K, K]);
      expect(elapsed).toBeLessThan(15_000);
    } finally {
      await real!.stop();
      await sleep(10);
      await Promise.all([pretend, stranger].map(close));
      out.cleanup();
    }
  });
});
