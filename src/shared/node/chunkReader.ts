// Reads the file in large synchronous blocks and hands out one chunk at a time, so the sender never awaits
// a read per chunk and memory stays at one block whatever the file size.
import { closeSync, readSync } from 'node:fs';

const BLOCK_TARGET = 1 << 20;

export interface ChunkReader {
  /** Payload of chunk `seq` (1-based), valid until the next call. Calls must go in increasing order. */
  chunk(seq: number): Buffer;
  close(): void;
}

export function createChunkReader(fd: number, size: number, mss: number): ChunkReader {
  const chunksPerBlock = Math.max(1, Math.floor(BLOCK_TARGET / mss));
  const block = Buffer.allocUnsafe(Math.min(chunksPerBlock * mss, Math.max(size, 1)));
  let blockStart = -1; // file offset of block[0]
  let blockLength = 0;

  function load(offset: number): void {
    const length = Math.min(block.length, size - offset);
    let filled = 0;
    while (filled < length) {
      const n = readSync(fd, block, filled, length - filled, offset + filled);
      if (n === 0)
        throw new Error(
          `it shrank while it was being sent (it ends at byte ${offset + filled}, not ${size})`,
        );
      filled += n;
    }
    blockStart = offset;
    blockLength = length;
  }

  return {
    chunk(seq) {
      const offset = (seq - 1) * mss;
      const end = Math.min(offset + mss, size);
      if (offset < blockStart || end > blockStart + blockLength) load(offset);
      return block.subarray(offset - blockStart, end - blockStart);
    },
    close: () => closeSync(fd),
  };
}
