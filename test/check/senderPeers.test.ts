// The test senders themselves, before p2mpcheck client is judged against them: the correct one moves a file to
// our receiver byte-identical in the standard dialect, from a fresh source port per datagram.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startReceivers, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { sendAsPeer } from './senderPeers.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

describe('sender peers', () => {
  it('sends a file byte-identical to our receivers in the standard dialect', async () => {
    const data = writeRandomFile(dir.file('in.bin'), 2_345);
    const receivers = await startReceivers(2, dir.path);
    try {
      const result = await sendAsPeer({
        data,
        receivers: receivers.map((r) => r.address),
        mss: 500,
        giveUpMs: 20_000,
      });
      expect(result.outcome).toBe('done');
      // 5 chunks and the end marker, numbered from 1, each to both receivers.
      expect(new Set(result.sends.map((s) => `${s.receiver}:${s.seq}:${s.what}`))).toEqual(
        new Set([0, 1].flatMap((i) => [1, 2, 3, 4, 5].map((seq) => `${i}:${seq}:data`).concat(`${i}:6:end`))),
      );
      for (const [i, receiver] of receivers.entries()) {
        const done = await receiver.done;
        expect(done.files[0]?.endedBy).toBe('marker');
        expect(readFileSync(dir.file(`out-${i}.bin`)).equals(data)).toBe(true);
      }
    } finally {
      await Promise.all(receivers.map((r) => r.stop()));
    }
  });
});
