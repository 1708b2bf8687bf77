// Our receiver with a sender that is not ours: the reference client's habits (a new source port for every
// segment, no end marker), both profiles, loss on, several receivers, DEFAULT timeouts on a virtual clock.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProfileName } from '../../src/shared/protocol/segment.js';
import { sha256, startReceivers, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { referenceSend } from '../helpers/referenceSender.js';
import { virtualClock } from '../../src/shared/simulation/virtualClock.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

describe.each<ProfileName>(['standard', 'seed-text'])('%s profile', (profile) => {
  it('3 receivers at p = 0.2 get the file byte-identical, marked unverified (no end marker)', async () => {
    const clock = virtualClock();
    const input = dir.file('in.bin');
    writeRandomFile(input, 30_000);
    // onIdle 'complete' is the seed-text default; a standard receiver is told the sender has no marker.
    const receivers = await startReceivers(3, dir.path, {
      p: 0.2,
      profile,
      timers: clock,
      onIdle: 'complete',
    });
    let sent: Awaited<ReturnType<typeof referenceSend>> | undefined;
    void referenceSend({
      file: input,
      receivers: receivers.map((r) => r.address),
      mss: 500,
      profile,
      timers: clock,
    }).then((r) => (sent = r));
    const results: Awaited<(typeof receivers)[number]['done']>[] = [];
    receivers.forEach((r, i) => void r.done.then((x) => (results[i] = x)));
    // The sender's part, then the receivers' 10 s idle timeout: they end only because the sender went quiet.
    expect(await clock.run(() => sent !== undefined && results.filter(Boolean).length === 3, 60_000)).toBe(
      true,
    );
    for (const [i, result] of results.entries()) {
      expect(result.ok).toBe(true);
      expect(result.files).toMatchObject([{ endedBy: 'idle', verified: false, bytes: 30_000 }]);
      expect(readFileSync(dir.file(`out-${i}.bin`)).equals(readFileSync(input))).toBe(true);
      expect(sha256(dir.file(`out-${i}.bin`))).toBe(sha256(input));
      // The segments really came from many source ports (the OS may reuse a closed one), and none was taken
      // for a foreign host.
      expect(new Set(sent!.ports[i]).size).toBeGreaterThan(sent!.ports[i]!.length / 2);
      expect(result.counters.foreign).toBe(0);
      expect(result.counters.dropped).toBeGreaterThan(0);
    }
  });
});
