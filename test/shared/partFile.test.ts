// The .part file syncs its data to the disk in the background as it grows, so the fsync before the rename (which
// the end marker's ACK waits for) has little left to write, however large the file and however slow the disk.
import { describe, expect, it } from 'vitest';
import { nodeFileOps, openPartFile, SYNC_BYTES, type FileOps } from '../../src/shared/node/partFile.js';

/** File operations that write nowhere and record what was asked, with the background syncs left to finish by hand. */
function recordingOps() {
  const calls: string[] = [];
  let written = 0;
  const syncsDone: (() => void)[] = [];
  const ops: FileOps = {
    ...nodeFileOps,
    openSync: () => 42,
    writeSync: (_fd, _data, _offset, length) => {
      written += length;
      return length;
    },
    fdatasync: (_fd, done) => {
      calls.push(`fdatasync at ${written / 2 ** 20} MiB`);
      syncsDone.push(done);
    },
    fsyncSync: () => void calls.push(`fsync at ${written / 2 ** 20} MiB`),
    closeSync: () => void calls.push('close'),
    renameSync: () => void calls.push('rename'),
  };
  return { ops, calls, finishSync: () => syncsDone.shift()!() };
}

describe('the .part file', () => {
  it('syncs every 64 MiB in the background, one sync at a time, and fsyncs before the rename', () => {
    const { ops, calls, finishSync } = recordingOps();
    const file = openPartFile('/nowhere/big.bin', ops);
    const chunk = new Uint8Array(1 << 20);
    const write = (mebibytes: number): void => {
      for (let i = 0; i < mebibytes; i++) {
        file.write(chunk);
        file.flush();
      }
    };
    expect(SYNC_BYTES).toBe(64 << 20);
    write(63);
    expect(calls).toEqual([]);
    write(1);
    expect(calls).toEqual(['fdatasync at 64 MiB']);
    // Still running at 128 MiB: no second one on top of it.
    write(64);
    expect(calls).toEqual(['fdatasync at 64 MiB']);
    finishSync();
    write(1);
    expect(calls).toEqual(['fdatasync at 64 MiB', 'fdatasync at 129 MiB']);
    finishSync();
    write(10);
    file.commit();
    expect(calls).toEqual([
      'fdatasync at 64 MiB',
      'fdatasync at 129 MiB',
      'fsync at 139 MiB',
      'close',
      'rename',
    ]);
  });
});
