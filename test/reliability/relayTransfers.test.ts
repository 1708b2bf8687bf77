// Whole transfers through the impairment relay on loopback: one relay in front of each of N = 3 receivers, each
// impairment on its own, both wire profiles. Every file must arrive byte-identical, and the sender's, receivers'
// and relays' counters must tell one story: the invariants below are exact, not statistical.
//
// Notation, per receiver: S = the sender's summary for it, C = its counters, F / B = its relay's counters for the
// data (forward) and ACK (backward) direction, K = chunks + 1 (the data segments plus the end marker).
//  I1  S.acks = K: stop-and-wait completes every segment once.
//  I2  F.received = K + S.retransmissions + S.keepalives: every datagram sent for this receiver enters its relay (loopback
//      loses nothing; the sockets have large buffers and the rates are tiny).
//  I3  F.forwarded = F.received - F.dropped - F.burstDropped + F.duplicated (no rate limit, no overflow), and
//      nothing is left in flight once the receivers have lingered longer than the longest hold.
//  I4  C.received = F.forwarded, C.foreign = 0: the relay's upstream socket is the receiver's only source, and the
//      receivers linger (lingerMs) longer than any delayed or held copy, so every forwarded copy arrives.
//  I5  C.corrupt + C.malformed = F.corruptedForwarded: p = 0 at the receivers, so no corrupted copy is counted as
//      a simulated drop first, and a 1-bit flip never passes either profile's checks (standard: any single bit
//      flip changes the one's complement sum; seed-text: a flipped character is either not '0'/'1' -> malformed,
//      or a changed bit of seq/checksum/type/payload -> caught). Chunk sizes are even on purpose: seed-text leaves
//      the last byte of an odd-sized payload out of its checksum (the reference implementation's quirk, kept for
//      interoperability), so a flip there would go unnoticed.
//  I6  C.dropped = 0 (p = 0), and C.outOfOrder = 0: the sender sends k+1 only after this receiver ACKed k, which
//      it does only after writing k, so no intact copy can ever be ahead of the next expected number.
//  I7  Intact copies F.forwarded - F.corruptedForwarded = K (each segment written once) + C.duplicates.
//  I8  C.acksSent = F.forwarded - F.corruptedForwarded (one ACK per intact copy) = B.received.
//  I9  From I2, I3, I7: S.retransmissions + S.keepalives = F.dropped + F.burstDropped + F.corruptedForwarded + C.duplicates
//      - F.duplicated. Each retransmission replaces a copy lost or corrupted on the way, or else reaches the
//      receiver as a duplicate (lost or late ACKs, premature timeouts); the relay's own extra copies are the
//      duplicates no retransmission caused.
//  I10 S.timeouts = S.retransmissions (no receiver fails), and the sender's socket saw only ACKs from receivers:
//      counters.acks = N x K, malformed = foreign = 0 (ACKs are not corrupted here, see below), received =
//      acks + stale <= the ACKs the relays forwarded (some arrive after the sender has finished and closed).
//
// ACK corruption is deliberately not in this table: neither wire format checks anything in an ACK beyond its
// type (standard's middle field is zeros by the course's rules; seed-text's decoder ignores its checksum, as
// interoperable senders do), so a flipped bit can turn ACK k-1 into ACK k. The sender then moves on and that
// receiver fails (reported on both sides, its data stays in .part) - never a wrong file, but not a clean run.
import { afterAll, describe, expect, it } from 'vitest';
import type { DirectionCounters, Impairments } from '../../src/shared/network/impairments.js';
import type { ProfileName } from '../../src/shared/protocol/segment.js';
import { startRelay, type Relay } from '../../src/shared/node/relay.js';
import { send } from '../../src/shared/node/sender.js';
import type { ReceiverSession } from '../../src/shared/node/receiver.js';
import { sha256, startReceivers, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { until } from '../relay/helpers.js';

const N = 3;
const LINGER_MS = 250; // longer than any hold below (delay + jitter <= 14 ms, reorder hold 30 ms)
const dir = tempDir();
afterAll(() => dir.cleanup());

interface Case {
  name: string;
  forward: Partial<Impairments>;
  backward: Partial<Impairments>;
  timeoutMs: number;
  /** What this impairment must visibly have done, beyond the common invariants. */
  check: (r: Observed) => void;
}

interface Observed {
  F: DirectionCounters[];
  B: DirectionCounters[];
  retransmissions: number[];
  duplicates: number[];
  corrupt: number[];
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const burst = { pGoodToBad: 0.05, pBadToGood: 0.3, lossInBad: 1, lossInGood: 0 };

const CASES: Case[] = [
  {
    name: '20% loss each way',
    forward: { loss: 0.2 },
    backward: { loss: 0.2 },
    timeoutMs: 10,
    check: ({ F, B, retransmissions }) => {
      expect(sum(F.map((f) => f.dropped))).toBeGreaterThan(0);
      expect(sum(B.map((b) => b.dropped))).toBeGreaterThan(0);
      expect(sum(retransmissions)).toBeGreaterThan(0);
    },
  },
  {
    name: 'bursty loss (Gilbert-Elliott, mean burst 3.3) each way',
    forward: { burst },
    backward: { burst },
    timeoutMs: 10,
    check: ({ F, B }) => {
      expect(sum(F.map((f) => f.burstDropped))).toBeGreaterThan(0);
      expect(sum(B.map((b) => b.burstDropped))).toBeGreaterThan(0);
      expect(sum(F.map((f) => f.dropped))).toBe(0);
    },
  },
  {
    name: 'duplication of 30% each way',
    forward: { duplicate: 0.3 },
    backward: { duplicate: 0.3 },
    timeoutMs: 30,
    check: ({ F, duplicates }) => {
      // Every extra data copy the relay made is a duplicate at the receiver (plus any late-ACK retransmission).
      for (const [i, f] of F.entries()) expect(duplicates[i]).toBeGreaterThanOrEqual(f.duplicated);
      expect(sum(F.map((f) => f.duplicated))).toBeGreaterThan(0);
    },
  },
  {
    name: 'reordering of 30% each way, held longer than the timeout',
    forward: { reorder: 0.3, reorderHoldMs: 30 },
    backward: { reorder: 0.3, reorderHoldMs: 30 },
    timeoutMs: 15,
    check: ({ F, B, retransmissions, duplicates }) => {
      expect(sum(F.map((f) => f.reordered)) + sum(B.map((b) => b.reordered))).toBeGreaterThan(0);
      // Nothing is lost or copied by the relay: every retransmission is a held copy overtaken.
      expect(duplicates).toEqual(retransmissions);
      expect(sum(retransmissions)).toBeGreaterThan(0);
    },
  },
  {
    name: 'corruption of 5% of data datagrams (1 bit)',
    forward: { corrupt: 0.05 },
    backward: {},
    timeoutMs: 10,
    check: ({ F, corrupt }) => {
      expect(sum(F.map((f) => f.corruptedForwarded))).toBeGreaterThan(0);
      expect(sum(corrupt)).toBeGreaterThan(0);
    },
  },
  {
    name: 'delay 8 ms +- 6 ms each way, crossing the 15 ms timeout',
    forward: { delayMs: 8, jitterMs: 6 },
    backward: { delayMs: 8, jitterMs: 6 },
    timeoutMs: 15,
    check: ({ F, retransmissions, duplicates }) => {
      expect(sum(F.map((f) => f.delayed))).toBeGreaterThan(0);
      // No loss, no corruption, no extra copies: every retransmission was premature and is a duplicate.
      expect(duplicates).toEqual(retransmissions);
      expect(sum(retransmissions)).toBeGreaterThan(0);
    },
  },
];

const PROFILES: [ProfileName, number, number][] = [
  // profile, MSS, file size: even, so that every chunk has an even length (see I5)
  ['standard', 500, 30_000],
  ['seed-text', 250, 20_000],
];

describe.each(PROFILES)(
  '%s profile (MSS %i, %i bytes), N = 3, one relay per receiver',
  (profile, mss, size) => {
    it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const input = dir.file(`in-${profile}-${CASES.indexOf(c)}.bin`);
      writeRandomFile(input, size);
      const out = tempDir();
      const receivers: ReceiverSession[] = [];
      const relays: Relay[] = [];
      try {
        receivers.push(
          ...(await startReceivers(N, out.path, { profile, lingerMs: LINGER_MS, idleTimeoutMs: 15_000 })),
        );
        for (const [i, r] of receivers.entries())
          relays.push(
            await startRelay({
              listenPort: 0,
              targetHost: r.address.address,
              targetPort: r.address.port,
              forward: c.forward,
              backward: c.backward,
              seed: 100 + i,
            }),
          );
        const result = await send({
          file: input,
          receivers: relays.map((relay, i) => ({
            host: relay.address.address,
            port: relay.address.port,
            label: `relay-${i}`,
          })),
          mss,
          profile,
          timeoutMs: c.timeoutMs,
          receiverTimeoutMs: 15_000,
          offer: false, // the invariants below are the course protocol's; offers are tested on their own
        });
        const outcomes = await Promise.all(receivers.map((r) => r.done));
        const K = result.chunks + 1;
        expect(result.chunks).toBe(size / mss);
        // The relays' last copies (ACKs to the sender, now closed) have left once nothing is in flight.
        const settled = () =>
          relays.every((relay, i) => {
            const s = relay.stats();
            return s.inFlight === 0 && s.backward.received === outcomes[i]!.counters.acksSent;
          });
        expect(await until(settled, 3000)).toBe(true);

        expect(result.ok, JSON.stringify(result.receivers.map((r) => r.failure))).toBe(true);
        const expected = sha256(input);
        const observed: Observed = { F: [], B: [], retransmissions: [], duplicates: [], corrupt: [] };
        for (const [i, outcome] of outcomes.entries()) {
          const S = result.receivers[i]!;
          const C = outcome.counters;
          const { forward: F, backward: B } = relays[i]!.stats();
          const context = JSON.stringify({ S, C, F, B });
          expect(outcome.ok, context).toBe(true);
          expect(sha256(out.file(`out-${i}.bin`))).toBe(expected);
          expect(outcome.files[0]!.sha256).toBe(expected);
          expect(C.bytesWritten).toBe(size);
          expect(S.bytes).toBe(size);
          expect(S.acks, context).toBe(K); // I1
          expect(F.received, context).toBe(K + S.retransmissions + S.keepalives); // I2
          expect(F.rateDropped + F.overflowDropped + F.sendErrors, context).toBe(0);
          expect(F.forwarded, context).toBe(F.received - F.dropped - F.burstDropped + F.duplicated); // I3
          expect(C.received, context).toBe(F.forwarded); // I4
          expect(C.foreign).toBe(0);
          expect(C.corrupt + C.malformed, context).toBe(F.corruptedForwarded); // I5
          expect(C.dropped).toBe(0); // I6
          expect(C.outOfOrder).toBe(0);
          const intact = F.forwarded - F.corruptedForwarded;
          expect(intact, context).toBe(K + C.duplicates); // I7
          expect(C.acksSent, context).toBe(intact); // I8
          expect(B.received).toBe(C.acksSent);
          expect(B.rateDropped + B.overflowDropped).toBe(0);
          expect(S.retransmissions + S.keepalives, context).toBe(
            F.dropped + F.burstDropped + F.corruptedForwarded + C.duplicates - F.duplicated,
          ); // I9
          expect(S.timeouts).toBe(S.retransmissions); // I10
          observed.F.push(F);
          observed.B.push(B);
          observed.retransmissions.push(S.retransmissions + S.keepalives);
          observed.duplicates.push(C.duplicates);
          observed.corrupt.push(C.corrupt + C.malformed);
        }
        const sc = result.counters!; // I10, the sender's side
        expect(sc.acks).toBe(N * K);
        expect(sc.malformed + sc.foreign).toBe(0);
        expect(sc.received).toBe(sc.acks + sc.stale);
        expect(sc.received).toBeLessThanOrEqual(sum(observed.B.map((b) => b.forwarded)));
        c.check(observed);
      } finally {
        await Promise.all(receivers.map((r) => r.stop()));
        await Promise.all(relays.map((relay) => relay.close()));
        out.cleanup();
      }
    });
  },
);
