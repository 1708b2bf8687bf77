// Whole transfers over real UDP sockets on loopback: every received file must be byte-identical, and the
// sender's and receivers' counters must tell the same story.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProfileName } from '../../src/shared/protocol/segment.js';
import { send } from '../../src/shared/node/sender.js';
import { FLUSH_BYTES, nodeFileOps, type FileOps } from '../../src/shared/node/partFile.js';
import { receiverCountersAddUp } from '../../src/shared/simulation/simulate.js';
import { sha256, specsOf, startReceivers, tempDir, writeRandomFile } from '../helpers/loopback.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

async function transfer(
  profile: ProfileName,
  n: number,
  p: number,
  size: number,
  mss: number,
  timeoutMs = 10,
  /** Looks at the received files before they are cleaned up. */
  inspect?: (out: ReturnType<typeof tempDir>) => void,
) {
  const input = dir.file(`in-${profile}-${n}-${p}-${size}.bin`);
  writeRandomFile(input, size);
  const out = tempDir();
  const receivers = await startReceivers(n, out.path, { p, profile });
  try {
    const result = await send({ file: input, receivers: specsOf(receivers), mss, profile, timeoutMs });
    const outcomes = await Promise.all(receivers.map((r) => r.done));
    expect(result.ok).toBe(true);
    const expected = sha256(input);
    for (const [i, outcome] of outcomes.entries()) {
      expect(outcome.ok).toBe(true);
      expect(outcome.files).toHaveLength(1);
      expect(sha256(out.file(`out-${i}.bin`))).toBe(expected);
      expect(outcome.files[0]!.sha256).toBe(expected);
      const summary = result.receivers[i]!;
      // (That every extra datagram sent is a drop or a duplicate at the receiver is checked exactly in the
      // simulator, test/simulation: over real sockets a loaded machine can end a receiver's linger before a
      // late retransmission is read.)
      expect(summary.acks).toBe(result.chunks + 1);
      expect(summary.bytes).toBe(size);
      if (p === 0) expect(outcome.counters.dropped).toBe(0);
    }
    inspect?.(out);
    return { result, outcomes };
  } finally {
    await Promise.all(receivers.map((r) => r.stop()));
    out.cleanup();
  }
}

describe.each<[ProfileName, number]>([
  ['standard', 100],
  ['seed-text', 64],
])('%s profile, MSS %i', (profile, mss) => {
  const sizes = [0, 1, 777, 4 * mss];
  for (const n of [1, 2, 3, 4, 5])
    for (const p of [0, 0.1, 0.3])
      it(`N = ${n}, p = ${p}: files of ${sizes.join(', ')} bytes arrive byte-identical`, async () => {
        for (const size of sizes) await transfer(profile, n, p, size, mss);
      });

  it('1 MiB of random bytes, N = 3, p = 0', async () => {
    const { result } = await transfer(profile, 3, 0, 1 << 20, 500, 100);
    expect(result.chunks).toBe(Math.ceil((1 << 20) / 500));
  });
});

it('1 MiB of random bytes, N = 3, p = 0.1, standard profile', async () => {
  const { result, outcomes } = await transfer('standard', 3, 0.1, 1 << 20, 1000, 5);
  const dropped = outcomes.reduce((sum, o) => sum + o.counters.dropped, 0);
  // p = 0.1 of ~1.1 x 3 x 1050 data packets: far from 0 and far from half.
  expect(dropped).toBeGreaterThan(200);
  expect(dropped).toBeLessThan(600);
  expect(result.timeoutRounds).toBeGreaterThan(0);
});

it('an empty file ends as an empty file, not a missing one', async () => {
  const { outcomes } = await transfer('standard', 2, 0, 0, 500, 100, (out) => {
    for (const i of [0, 1]) expect(readFileSync(out.file(`out-${i}.bin`)).length).toBe(0);
  });
  for (const o of outcomes) expect(o.files).toMatchObject([{ bytes: 0, verified: true, endedBy: 'marker' }]);
});

it('Selective Repeat with SACK, N = 3, p = 0.05, W = 64, both profiles: byte-identical, each segment ACKed once, ACKs shared', async () => {
  for (const profile of ['standard', 'seed-text'] as const) {
    const size = 300_000;
    const input = dir.file(`in-sack-${profile}.bin`);
    writeRandomFile(input, size);
    const out = tempDir();
    const receivers = await startReceivers(3, out.path, { p: 0.05, profile });
    try {
      const result = await send({
        file: input,
        receivers: specsOf(receivers),
        mss: 1000,
        profile,
        protocol: 'sr',
        window: 64,
        multicast: false,
      });
      const outcomes = await Promise.all(receivers.map((r) => r.done));
      expect(result.ok).toBe(true);
      for (const [i, outcome] of outcomes.entries()) {
        expect(sha256(out.file(`out-${i}.bin`))).toBe(sha256(input));
        expect(outcome.files[0]!.verified).toBe(true);
        // Every segment counted once at the sender, however many a SACK covered.
        expect(result.receivers[i]!.acks).toBe(result.chunks + 1);
        const c = outcome.counters;
        expect(c.dropped).toBeGreaterThan(0);
        // The receiver agreed to SACK: segments waited to share an ACK, and the counters still add up.
        expect(c.acksDeferred).toBeGreaterThan(0);
        expect(receiverCountersAddUp(c)).toBe(true);
      }
    } finally {
      await Promise.all(receivers.map((r) => r.stop()));
      out.cleanup();
    }
  }
});

it('Selective Repeat with SACK: chunks are written a block at a time; when a write fails, the sender is told why at once and nothing is kept', async () => {
  const input = dir.file('in-sack-full.bin');
  writeRandomFile(input, 600 * 1000);
  const out = tempDir();
  let writes = 0;
  const sizes: number[] = [];
  // The disk fills at the second write: the first block fits, the next one does not.
  const fullDisk: FileOps = {
    ...nodeFileOps,
    writeSync: (fd, buf, off, len) => {
      if (++writes > 1) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      sizes.push(len);
      return nodeFileOps.writeSync(fd, buf, off, len);
    },
  };
  const [receiver] = await startReceivers(1, out.path, { fileOps: fullDisk });
  try {
    const result = await send({
      file: input,
      receivers: specsOf([receiver!]),
      mss: 1000,
      protocol: 'sr',
      window: 64,
      multicast: false,
    });
    const outcome = await receiver!.done;
    expect(result.ok).toBe(false);
    expect(outcome.failure).toMatch(/disk full/);
    // The receiver's decline reached the sender: its reason, not a silence of 30 s.
    expect(result.receivers[0]!.failure).toMatch(/disk full/);
    // One write of whole chunks filling the 256 KiB block (not one per ACK), and the .part removed.
    expect(sizes).toEqual([Math.floor(FLUSH_BYTES / 1000) * 1000]);
    expect(readdirSync(out.path)).toEqual([]);
  } finally {
    await receiver!.stop();
    out.cleanup();
  }
});
