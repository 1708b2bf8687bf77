// The offer's SHA-256 of the file: a small file read at once, a larger one in pieces through the thread pool;
// both give the file's digest, and a file that is shorter than its size says is an error, not a digest.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { hashFile } from '../../src/shared/node/offering.js';
import { tempDir } from '../helpers/loopback.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

async function hashOf(data: Buffer, claimedSize = data.length): Promise<string> {
  const path = dir.file(`f-${data.length}-${claimedSize}.bin`);
  writeFileSync(path, data);
  const fd = openSync(path, 'r');
  try {
    return await hashFile(fd, claimedSize);
  } finally {
    closeSync(fd);
  }
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('hashFile', () => {
  // Empty, at once (up to 64 KiB), just past it, and several 1 MiB pieces with a short last one.
  for (const size of [0, 1, 64 * 1024, 64 * 1024 + 1, 3 * (1 << 20) + 7])
    it(`gives the SHA-256 of a ${size}-byte file`, async () => {
      const data = randomBytes(size);
      expect(await hashOf(data)).toBe(sha256(data));
    });

  for (const size of [1000, 200_000])
    it(`refuses a ${size}-byte file said to be longer (it shrank)`, async () => {
      await expect(hashOf(randomBytes(size), size + 10)).rejects.toThrow('the file shrank while it was read');
    });
});
