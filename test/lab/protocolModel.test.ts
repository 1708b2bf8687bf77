// The protocol studies' expectations: known values, and a cross-check against the real sender and receivers in
// the deterministic simulator (seeded, virtual time), for every protocol in PROTOCOLS.
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW, PROTOCOLS, type Protocol } from '../../src/shared/limits.js';
import { expectedRounds } from '../../src/shared/lab/model.js';
import {
  expectedSegmentRounds,
  expectedTransmissions,
  hasDelayModel,
  isWindowed,
  protocolName,
  roundTripLoss,
  transmissionsLabel,
} from '../../src/shared/lab/protocolModel.js';
import { NO_IMPAIRMENTS } from '../../src/shared/network/impairments.js';
import { seededRandom } from '../../src/shared/network/random.js';
import { simulateTransfer, type Scenario } from '../../src/shared/simulation/simulate.js';
import { tempDir } from '../helpers/loopback.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

describe('the expectations', () => {
  it('take the round-trip loss from independent losses per direction', () => {
    expect(roundTripLoss(0.1, 0.1)).toBeCloseTo(0.19, 12);
    expect(roundTripLoss(0.05)).toBe(0.05);
    expect(roundTripLoss(0, 0)).toBe(0);
    expect(roundTripLoss(1, 0.3)).toBe(1);
    expect(() => roundTripLoss(1.2)).toThrow(RangeError);
    expect(() => roundTripLoss(0.1, Number.NaN)).toThrow(RangeError);
  });

  it('give stop-and-wait 1/(1-q) per receiver and its E[R] from model.ts', () => {
    expect(expectedTransmissions('saw', 0.05, 1)).toBeCloseTo(1.0526316, 6);
    expect(expectedTransmissions('saw', 0.2, 64)).toBeCloseTo(1.25, 12);
    // performance-facts.md: E[R] at p 0.05 for n = 1..5.
    [1.0526, 1.1028, 1.1505, 1.196, 1.2393].forEach((value, i) =>
      expect(expectedSegmentRounds('saw', i + 1, 0.05)).toBeCloseTo(value, 4),
    );
    expect(expectedSegmentRounds('saw', 3, 0.19)).toBe(expectedRounds(3, 0.19));
  });

  it("give Go-Back-N the full-window 1 + Wq/(1-q), stop-and-wait's at W = 1, and no per-segment rounds", () => {
    expect(expectedTransmissions('gbn', 0.05, 8)).toBeCloseTo(1 + 0.4 / 0.95, 12);
    expect(expectedTransmissions('gbn', 0.1, 4)).toBeCloseTo(1.4444444, 6);
    expect(expectedTransmissions('gbn', 0.2, 1)).toBeCloseTo(expectedTransmissions('saw', 0.2, 1), 12);
    expect(expectedSegmentRounds('gbn', 3, 0.05)).toBeNull();
  });

  it('give Selective Repeat no rounds per segment: a timer per receiver, and fast retransmission, share none', () => {
    expect(expectedSegmentRounds('sr', 3, 0.1)).toBeNull();
    expect(transmissionsLabel('sr')).toBe('expected 1/(1−q)');
  });

  it('hold for every protocol: 1 without loss, infinite at certain loss, a name and a formula', () => {
    for (const protocol of PROTOCOLS) {
      expect(expectedTransmissions(protocol, 0, DEFAULT_WINDOW)).toBe(1);
      expect(expectedTransmissions(protocol, 1, DEFAULT_WINDOW)).toBe(Infinity);
      expect(expectedTransmissions(protocol, 0.1, 16)).toBeGreaterThan(1);
      expect(protocolName(protocol)).toMatch(/^[A-Z]/);
      expect(transmissionsLabel(protocol)).toMatch(/^(expected|upper estimate) .*q/);
      expect(() => expectedTransmissions(protocol, 0.1, 0)).toThrow(RangeError);
      expect(() => expectedTransmissions(protocol, -0.1, 4)).toThrow(RangeError);
    }
    expect(PROTOCOLS.filter(hasDelayModel)).toEqual(['saw']);
    expect(isWindowed('saw')).toBe(false);
  });
});

/** Our real sender and receivers in virtual time: transmissions per segment and receiver, and rounds. */
async function simulate(protocol: Protocol, scenario: Partial<Scenario> & { loss: number[] }, seed: number) {
  const mss = 50;
  const segments = 1500;
  const random = seededRandom(seed);
  const input = dir.file(`in-${protocol}-${seed}.bin`);
  // One byte short of `segments` full chunks, so the file has `segments - 1` chunks and the end marker.
  writeFileSync(input, Buffer.from(Array.from({ length: (segments - 1) * mss }, () => random() * 256)));
  const outcome = await simulateTransfer(
    {
      seed,
      profile: 'standard',
      mss,
      forward: NO_IMPAIRMENTS,
      backward: NO_IMPAIRMENTS,
      protocol,
      window: scenario.window ?? 1,
      ...scenario,
    },
    input,
    dir.path,
  );
  expect(outcome.sent.ok).toBe(true);
  expect(outcome.sent.chunks + 1).toBe(segments);
  const n = scenario.loss.length;
  const retransmissions = outcome.sent.receivers.reduce((sum, r) => sum + r.retransmissions, 0);
  return {
    transmissions: 1 + retransmissions / (n * segments),
    rounds: 1 + outcome.sent.timeoutRounds / segments,
  };
}

describe('the expectations against the real machines in the simulator', () => {
  // 1500 segments: the standard error of a per-receiver mean at q 0.1 is about 0.006 for a protocol that
  // resends one segment per loss (x 1/sqrt(3) over 3 receivers), about 0.03 for Go-Back-N at W 4, whose every
  // loss costs W; 4 of them allowed.
  const window = (protocol: Protocol): number => (isWindowed(protocol) ? 4 : 1);
  const error = (protocol: Protocol): number => (protocol === 'gbn' ? 0.03 : 0.006);

  it.each(PROTOCOLS.map((protocol) => [protocol]))(
    '%s: transmissions per segment to one receiver at p 0.1 (data only, as in the lab)',
    async (protocol) => {
      const { transmissions } = await simulate(protocol, { loss: [0.1], window: window(protocol) }, 11);
      const expected = expectedTransmissions(protocol, 0.1, window(protocol));
      expect(Math.abs(transmissions - expected)).toBeLessThan(4 * error(protocol));
    },
  );

  it.each(PROTOCOLS.map((protocol) => [protocol]))(
    '%s: transmissions per segment and receiver to 3 receivers at p 0.1',
    async (protocol) => {
      const { transmissions } = await simulate(
        protocol,
        { loss: [0.1, 0.1, 0.1], window: window(protocol) },
        13,
      );
      const expected = expectedTransmissions(protocol, 0.1, window(protocol));
      // Go-Back-N's figure is for a full window: with several receivers the one that lost a segment is often
      // not the one holding the window back, and then fewer than W are outstanding to it when its timer fires.
      if (protocol === 'gbn') {
        expect(transmissions).toBeLessThan(expected);
        expect(transmissions).toBeGreaterThan(expectedTransmissions(protocol, 0.1, 1));
      } else expect(Math.abs(transmissions - expected)).toBeLessThan(4 * error(protocol));
    },
  );

  it('stop-and-wait with loss p in each direction: 1/(1-q) per receiver and E[max] rounds, q = 1-(1-p)^2', async () => {
    const p = 0.05;
    const impaired = { ...NO_IMPAIRMENTS, loss: p };
    const { transmissions, rounds } = await simulate(
      'saw',
      { loss: [0, 0, 0], forward: impaired, backward: impaired },
      12,
    );
    const q = roundTripLoss(p, p);
    expect(Math.abs(transmissions - expectedTransmissions('saw', q, 1))).toBeLessThan(4 * 0.006);
    // sd[R] at n 3, q 0.0975 is about 0.39: over 1500 segments the mean's error is about 0.01.
    expect(Math.abs(rounds - expectedSegmentRounds('saw', 3, q)!)).toBeLessThan(4 * 0.01);
  });
});
