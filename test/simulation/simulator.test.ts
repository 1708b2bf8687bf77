// Property tests over random schedules, in virtual time on the simulated network, with the real sender (stop-and-
// wait, Go-Back-N and Selective Repeat) and receivers: whatever the loss, corruption, duplication, reordering,
// delay, dead receivers and pauses, every receiver ends byte-identical or the transfer says it failed; nothing
// unverified is ever marked verified; the counters add up; and most transfers do succeed. fast-check's seed is
// fixed, so CI tries the same schedules every run.
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_IMPAIRMENTS, type Impairments } from '../../src/shared/network/impairments.js';
import { PROTOCOLS } from '../../src/shared/limits.js';
import type { ProfileName } from '../../src/shared/protocol/segment.js';
import {
  receiverCountersAddUp,
  simulateTransfer,
  type Scenario,
} from '../../src/shared/simulation/simulate.js';
import { seededRandom } from '../../src/shared/network/random.js';
import { tempDir } from '../helpers/loopback.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

function inputFile(size: number, seed: number): { path: string; data: Buffer } {
  const random = seededRandom(seed);
  const data = Buffer.from(Array.from({ length: size }, () => Math.floor(random() * 256)));
  const path = dir.file(`in-${size}-${seed}.bin`);
  writeFileSync(path, data);
  return { path, data };
}

const probability = (max: number) => fc.double({ min: 0, max, noNaN: true });
const impairments = (profile: ProfileName, direction: 'forward' | 'backward') =>
  fc
    .record({
      loss: probability(0.3),
      duplicate: probability(0.3),
      // Corruption only where the profile's checksum catches every single-bit flip: standard data (RFC 1071),
      // ACKs of an offered transfer (ours checksum them; a course receiver's binary ACK carries none), seed-text
      // ACKs. (A seed-text data segment's odd last byte is outside its checksum: the reference format's own
      // weakness, see docs/PROTOCOL.md.)
      corrupt: profile === 'standard' || direction === 'backward' ? probability(0.2) : fc.constant(0),
      delayMs: fc.integer({ min: 0, max: 80 }),
      jitterMs: fc.integer({ min: 0, max: 60 }),
      reorder: probability(0.3),
    })
    .map((x): Impairments => ({ ...NO_IMPAIRMENTS, ...x, corruptBits: 1 }));

const scenario = fc.constantFrom<ProfileName>('standard', 'seed-text').chain((profile) =>
  fc.record({
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    profile: fc.constant(profile),
    protocol: fc.constantFrom(...PROTOCOLS),
    window: fc.integer({ min: 1, max: 16 }),
    mss: fc.integer({ min: 1, max: 600 }),
    loss: fc.array(probability(0.4), { minLength: 1, maxLength: 4 }),
    forward: impairments(profile, 'forward'),
    backward: impairments(profile, 'backward'),
    size: fc.integer({ min: 0, max: 4_000 }),
    death: fc.option(fc.record({ receiver: fc.nat(3), atMs: fc.integer({ min: 0, max: 5_000 }) })),
    pause: fc.option(
      fc.record({ atMs: fc.integer({ min: 0, max: 3_000 }), forMs: fc.integer({ min: 1, max: 120_000 }) }),
    ),
    // About half of the transfers sealed with a session code: corruption and duplicates then end as forged and
    // replayed datagrams, dropped before the protocol.
    code: fc.option(fc.constant('7K3M-Q9XD-2HFA'), { freq: 2 }),
  }),
);

describe('the simulator, over random schedules', () => {
  it('byte-identical or reported failed; verified means identical; counters add up', async () => {
    let transfers = 0;
    let sealed = 0;
    // Per protocol: schedules where every receiver stays alive, and how many of those ended ok.
    const healthy = Object.fromEntries(PROTOCOLS.map((p) => [p, { tried: 0, ok: 0 }]));
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { path, data } = inputFile(s.size, s.seed);
        const deaths = s.death && s.death.receiver < s.loss.length ? [s.death] : [];
        const { pause, code, death: _death, size: _size, ...rest } = s;
        const run: Scenario = { ...rest, deaths, ...(pause ? { pause } : {}), ...(code ? { code } : {}) };
        const outcome = await simulateTransfer(run, path, dir.path);
        transfers++;
        for (const [i, r] of outcome.receivers.entries()) {
          const summary = outcome.sent.receivers[i]!;
          const identical = r.file !== undefined && r.file.equals(data);
          const verified = r.result.files.some((f) => f.verified);
          // Safety: a file marked verified is the file that was sent.
          if (verified) expect(identical).toBe(true);
          // The sender's "done" means the receiver confirmed the whole file.
          if (summary.state === 'done') expect(verified && identical).toBe(true);
          // Liveness: a receiver that stayed alive and can hear the sender ends up with the file or is reported.
          if (!deaths.some((d) => d.receiver === i))
            expect(identical || summary.state === 'failed').toBe(true);
          // Every datagram it got is classified once, and the network delivered exactly those (with a code, some
          // never reach the protocol: forged, replayed, or held back before the sender answered the challenge).
          const c = r.result.counters;
          expect(receiverCountersAddUp(c)).toBe(true);
          const keptOut = (c.forged ?? 0) + (c.replayed ?? 0) + (c.unproven ?? 0) + (c.wrongCode ?? 0);
          expect(c.received + keptOut + (c.unsealed ?? 0)).toBe(r.forward.delivered);
          if (code === null)
            for (const kept of [c.forged, c.replayed, c.unproven, c.wrongCode, c.unsealed])
              expect(kept).toBeUndefined();
          // What the sender sent it: offers, first sends, retransmissions and keepalives (and with a code, the
          // answers to its challenges).
          expect(r.forward.sent).toBe(
            r.firstSends +
              summary.retransmissions +
              summary.keepalives +
              (summary.offers ?? 0) +
              (summary.proofs ?? 0),
          );
          if (code === null) expect(summary.proofs).toBeUndefined();
          // What it sent back: an ACK per datagram it took, an answer per offer (and with a code, its challenges,
          // and "wrong code" notices when corruption hit the first datagrams of the transfer).
          if (code === null) expect(c.acksSent + c.offers).toBe(r.backward.sent);
          else expect(r.backward.sent).toBeGreaterThanOrEqual(c.acksSent + c.offers);
        }
        const acksDelivered = outcome.receivers.reduce((a, r) => a + r.backward.delivered, 0);
        const sc = outcome.sent.counters!;
        if (code === null) expect(sc.received).toBe(acksDelivered);
        else expect(sc.received + sc.forged! + sc.replayed!).toBeLessThanOrEqual(acksDelivered);
        if (code !== null) sealed++;
        if (deaths.length === 0) {
          healthy[s.protocol]!.tried++;
          if (outcome.sent.ok) healthy[s.protocol]!.ok++;
        }
      }),
      { seed: 573, numRuns: 300 },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[simulator] ${transfers} whole transfers (${sealed} with a session code) in ${seconds.toFixed(2)} s ` +
        `(${(transfers / seconds).toFixed(0)}/s); without a dead receiver, ended ok: ` +
        PROTOCOLS.map((p) => `${p} ${healthy[p]!.ok}/${healthy[p]!.tried}`).join(', '),
    );
    expect(sealed).toBeGreaterThan(50);
    // Safety alone would pass if every transfer failed: with every receiver alive, nearly all must succeed (a
    // few may not: loss up to 0.4 at the receiver and 0.3 each way on the network can outlast 30 s of retries).
    for (const p of PROTOCOLS) {
      expect(healthy[p]!.tried).toBeGreaterThan(40);
      expect(healthy[p]!.ok).toBeGreaterThanOrEqual(0.9 * healthy[p]!.tried);
    }
  }, 600_000);
});

describe('adaptive retransmission timeout, in the simulator', () => {
  it.each(PROTOCOLS)(
    '%s: on a link slower than T it learns the RTT: far fewer needless retransmissions, same files',
    async (protocol) => {
      const { path, data } = inputFile(20_000, 7);
      // 60 +- 30 ms each way: round trips of 60-180 ms against the course's fixed 100 ms.
      const slow: Impairments = { ...NO_IMPAIRMENTS, delayMs: 60, jitterMs: 30 };
      const run = (rto: 'fixed' | 'adaptive') =>
        simulateTransfer(
          {
            seed: 11,
            profile: 'standard',
            mss: 500,
            loss: [0, 0, 0],
            forward: slow,
            backward: slow,
            rto,
            protocol,
            window: 4,
          },
          path,
          dir.path,
        );
      const fixed = await run('fixed');
      const adaptive = await run('adaptive');
      for (const outcome of [fixed, adaptive]) {
        expect(outcome.sent.ok).toBe(true);
        for (const r of outcome.receivers) expect(r.file!.equals(data)).toBe(true);
      }
      const needless = (o: typeof fixed) => o.receivers.reduce((a, r) => a + r.result.counters.duplicates, 0);
      console.log(
        `[rto] ${protocol}: duplicates at the receivers: fixed ${needless(fixed)}, adaptive ${needless(adaptive)}`,
      );
      expect(needless(fixed)).toBeGreaterThan(50);
      expect(needless(adaptive)).toBeLessThan(needless(fixed) / 4);
    },
  );
});

describe('Go-Back-N beside stop-and-wait, in the simulator', () => {
  it("under corrupted ACKs never reports a receiver done whose file is not whole (a flipped bit made a duplicate ACK the end marker's)", async () => {
    const { path, data } = inputFile(3_001, 12);
    // Go-Back-N sends the most duplicate ACKs: every other one has a bit flipped on the way back.
    const flipped: Impairments = { ...NO_IMPAIRMENTS, corrupt: 0.5, corruptBits: 1 };
    let done = 0;
    for (let seed = 0; seed < 200; seed++) {
      const outcome = await simulateTransfer(
        {
          seed,
          profile: 'standard',
          mss: 50,
          loss: [0.2, 0.2, 0.2],
          forward: NO_IMPAIRMENTS,
          backward: flipped,
          protocol: 'gbn',
          window: 8,
        },
        path,
        dir.path,
      );
      outcome.sent.receivers.forEach((r, i) => {
        if (r.state !== 'done') return;
        done++;
        expect({ seed, receiver: i, whole: outcome.receivers[i]!.file?.equals(data) }).toEqual({
          seed,
          receiver: i,
          whole: true,
        });
      });
    }
    // A corrupted ACK is dropped like a lost one: nearly every transfer still gets through.
    expect(done).toBeGreaterThan(570);
  });

  it('a duplicated sealed datagram is a replay, as on a real network: each copy is a datagram of its own', async () => {
    const { path, data } = inputFile(5_000, 11);
    // Every datagram delivered twice, both ways; nothing lost or altered.
    const twice: Impairments = { ...NO_IMPAIRMENTS, duplicate: 1 };
    const outcome = await simulateTransfer(
      {
        seed: 3,
        profile: 'standard',
        mss: 500,
        loss: [0, 0],
        forward: twice,
        backward: twice,
        code: '7K3M-Q9XD-2HFA',
      },
      path,
      dir.path,
    );
    expect(outcome.sent.ok).toBe(true);
    for (const r of outcome.receivers) {
      expect(r.file!.equals(data)).toBe(true);
      // The receiver opens each datagram in place: a copy that shared the first one's bytes would no longer
      // open, and count as forged.
      expect(r.result.counters.forged).toBe(0);
      expect(r.result.counters.replayed).toBe(r.forward.delivered / 2);
    }
    expect(outcome.sent.counters!.forged).toBe(0);
  });

  it('with a window of 8 on a 20 ms link it needs a fraction of the time, and a course receiver needs nothing new', async () => {
    const { path, data } = inputFile(50_000, 9);
    const link: Impairments = { ...NO_IMPAIRMENTS, delayMs: 20 };
    // seed-text: our receiver speaking the reference implementation's format and rules.
    const run = (protocol: 'saw' | 'gbn') =>
      simulateTransfer(
        {
          seed: 5,
          profile: 'seed-text',
          mss: 500,
          loss: [0.05, 0.05, 0.05],
          forward: link,
          backward: link,
          protocol,
          window: 8,
        },
        path,
        dir.path,
      );
    const saw = await run('saw');
    const gbn = await run('gbn');
    for (const outcome of [saw, gbn]) {
      expect(outcome.sent.ok).toBe(true);
      for (const r of outcome.receivers) expect(r.file!.equals(data)).toBe(true);
    }
    const seconds = (o: typeof saw): string => (o.sent.durationMs / 1000).toFixed(2);
    console.log(`[gbn] transfer time: stop-and-wait ${seconds(saw)} s, Go-Back-N(8) ${seconds(gbn)} s`);
    expect(gbn.sent.durationMs).toBeLessThan(saw.sent.durationMs / 3);
    // Go back N: a loss costs the whole outstanding window, to that receiver only.
    for (const r of gbn.sent.receivers) expect(r.retransmissions).toBeGreaterThanOrEqual(r.timeouts);
  });
});
