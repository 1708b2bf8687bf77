// The .part file syncs its data to the disk in the background as it grows, so the fsync before the rename (which
// the end marker's ACK waits for) has little left to write, however large the file and however slow the disk.
import { describe, expect, it } from 'vitest';
import { nodeFileOps, openPartFile, SYNC_BYTES, type FileOps } from '../../src/shared/node/partFile.js';

/** File operations that write nowhere and record what was asked; background syncs end when the test says. */
function recordingOps() {
  const calls: string[] = [];
  let written = 0;
  const syncsRunning: ((error: Error | null) => void)[] = [];
  const ops: FileOps = {
    ...nodeFileOps,
    openSync: () => 42,
    writeSync: (_fd, _data, _offset, length) => {
      written += length;
      return length;
    },
    fdatasync: (_fd, done) => {
      calls.push(`background sync at ${written / 2 ** 20} MiB`);
      syncsRunning.push(done);
    },
    fsyncSync: () => void calls.push(`fsync at ${written / 2 ** 20} MiB`),
    closeSync: () => void calls.push('close'),
    renameSync: () => void calls.push('rename'),
    unlinkSync: () => void calls.push('unlink'),
  };
  return { ops, calls, endSync: (error: Error | null = null) => syncsRunning.shift()!(error) };
}

const MiB = new Uint8Array(1 << 20);

function writeMiB(file: ReturnType<typeof openPartFile>, count: number): void {
  for (let i = 0; i < count; i++) {
    file.write(MiB);
    file.flush();
  }
}

describe('the .part file', () => {
  it('syncs every 64 MiB in the background, one sync at a time, and fsyncs before the rename', () => {
    const { ops, calls, endSync } = recordingOps();
    const file = openPartFile('/nowhere/big.bin', ops);
    expect(SYNC_BYTES).toBe(64 << 20);
    writeMiB(file, 63);
    expect(calls).toEqual([]);
    writeMiB(file, 1);
    expect(calls).toEqual(['background sync at 64 MiB']);
    writeMiB(file, 30);
    endSync();
    writeMiB(file, 40); // 64 MiB since the first one started
    expect(calls).toEqual(['background sync at 64 MiB', 'background sync at 128 MiB']);
    endSync();
    writeMiB(file, 10);
    file.commit();
    expect(calls).toEqual([
      'background sync at 64 MiB',
      'background sync at 128 MiB',
      'fsync at 144 MiB',
      'close',
      'rename',
    ]);
  });

  it('waits for a disk slower than the network: never more than 128 MiB left unsynced', () => {
    const { ops, calls } = recordingOps();
    const file = openPartFile('/nowhere/big.bin', ops);
    // The first background sync never ends: the disk cannot keep up, and the next 64 MiB wait for it.
    writeMiB(file, 64 + 63);
    expect(calls).toEqual(['background sync at 64 MiB']);
    writeMiB(file, 1);
    expect(calls).toEqual(['background sync at 64 MiB', 'fsync at 128 MiB']);
    writeMiB(file, 64);
    expect(calls).toEqual(['background sync at 64 MiB', 'fsync at 128 MiB', 'fsync at 192 MiB']);
  });

  it('fails on an error of a background sync, which the fsync at the end would no longer report', () => {
    const { ops, calls, endSync } = recordingOps();
    const file = openPartFile('/nowhere/big.bin', ops);
    writeMiB(file, 64);
    endSync(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    // The next write fails, and so would the commit: nothing is renamed into place.
    expect(() => writeMiB(file, 1)).toThrow(/EIO/);
    expect(() => file.commit()).toThrow(/EIO/);
    file.abandon();
    expect(calls).toEqual(['background sync at 64 MiB', 'close', 'unlink']);
  });
});
