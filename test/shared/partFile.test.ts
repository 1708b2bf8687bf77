// The .part file syncs its data to the disk in the background as it grows, so the fsync before the rename (which
// the end marker's ACK waits for) has little left to write, however large the file and however slow the disk.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileOps, openPartFile, SYNC_BYTES, type FileOps } from '../../src/shared/node/partFile.js';
import { markFromNetwork } from '../../src/shared/node/markOfTheWeb.js';

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
  // In MiB: the tests follow the constant.
  const S = SYNC_BYTES / 2 ** 20;

  it('syncs every 8 MiB in the background, one sync at a time, and fsyncs before the rename', () => {
    const { ops, calls, endSync } = recordingOps();
    const file = openPartFile('/nowhere/big.bin', ops);
    // Little enough that the fsync at the end has little left to write (the end marker's ACK waits for it).
    expect(SYNC_BYTES).toBe(8 << 20);
    writeMiB(file, S - 1);
    expect(calls).toEqual([]);
    writeMiB(file, 1);
    expect(calls).toEqual([`background sync at ${S} MiB`]);
    writeMiB(file, S / 2);
    endSync();
    writeMiB(file, S / 2); // S MiB since the first one started
    expect(calls).toEqual([`background sync at ${S} MiB`, `background sync at ${2 * S} MiB`]);
    endSync();
    writeMiB(file, 3);
    file.commit();
    expect(calls).toEqual([
      `background sync at ${S} MiB`,
      `background sync at ${2 * S} MiB`,
      `fsync at ${2 * S + 3} MiB`,
      'close',
      'rename',
    ]);
  });

  it('waits for a disk slower than the network: never more than twice the sync interval left unsynced', () => {
    const { ops, calls } = recordingOps();
    const file = openPartFile('/nowhere/big.bin', ops);
    // The first background sync never ends: the disk cannot keep up, and the next S MiB wait for it.
    writeMiB(file, 2 * S - 1);
    expect(calls).toEqual([`background sync at ${S} MiB`]);
    writeMiB(file, 1);
    expect(calls).toEqual([`background sync at ${S} MiB`, `fsync at ${2 * S} MiB`]);
    writeMiB(file, S);
    expect(calls).toEqual([`background sync at ${S} MiB`, `fsync at ${2 * S} MiB`, `fsync at ${3 * S} MiB`]);
  });

  it('fails on an error of a background sync, which the fsync at the end would no longer report', () => {
    const { ops, calls, endSync } = recordingOps();
    const file = openPartFile('/nowhere/big.bin', ops);
    writeMiB(file, S);
    endSync(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    // The next write fails, and so would the commit: nothing is renamed into place.
    expect(() => writeMiB(file, 1)).toThrow(/EIO/);
    expect(() => file.commit()).toThrow(/EIO/);
    file.abandon();
    expect(calls).toEqual([`background sync at ${S} MiB`, 'close', 'unlink']);
  });

  it('writes what it took as it was when taken, in one write per flush, and hashes what still waits', () => {
    const writes: Buffer[] = [];
    const ops: FileOps = {
      ...recordingOps().ops,
      writeSync: (_fd, data, offset, length) => {
        writes.push(Buffer.from(data.subarray(offset, offset + length)));
        return length;
      },
    };
    const file = openPartFile('/nowhere/small.bin', ops);
    // A receiver hands over a view of a datagram whose memory may be used again once the call returns.
    const datagram = Buffer.from('first');
    file.write(datagram);
    datagram.write('XXXXX');
    file.write(Buffer.from('second'));
    file.flush();
    file.write(Buffer.from('third'));
    expect(writes.map(String)).toEqual(['firstsecond']);
    // The end marker can arrive before an ACK flushed the last chunks: the digest covers them.
    expect(file.digest()).toBe(createHash('sha256').update('firstsecondthird').digest('hex'));
    expect(writes.map(String)).toEqual(['firstsecond', 'third']);
  });

  it('fails the digest when what still waits cannot be written', () => {
    const { ops } = recordingOps();
    const file = openPartFile('/nowhere/full.bin', {
      ...ops,
      writeSync: () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    });
    file.write(Buffer.from('never on disk'));
    expect(() => file.digest()).toThrow(/ENOSPC/);
  });
});

describe('saving without replacing', () => {
  it('counts a name there in another Unicode form as taken, at the commit too (it may come between offer and commit)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'p2mp-forms-'));
    try {
      const composed = join(folder, 'caf\u00e9.txt');
      expect(nodeFileOps.nameTaken(composed)).toBe(false);
      const file = openPartFile(composed);
      file.write(Buffer.from('new'));
      // Copied in from a Mac meanwhile: the same name, decomposed.
      writeFileSync(join(folder, 'cafe\u0301.txt'), 'copied from a Mac');
      expect(nodeFileOps.nameTaken(composed)).toBe(true);
      expect(nodeFileOps.nameTaken(join(folder, 'plain.txt'))).toBe(false);
      expect(() => file.commit({ replace: false, to: composed })).toThrow(/EEXIST/);
      // Nothing renamed into place; the .part stays for a try under another name.
      expect(readdirSync(folder).sort()).toEqual(['cafe\u0301.txt', 'caf\u00e9.txt.part'].sort());
      file.abandon();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the Mark of the Web', () => {
  it('is put on the .part file as it is created (its stream stays through the rename), on Windows only', () => {
    const { ops } = recordingOps();
    const marked: string[] = [];
    openPartFile('/nowhere/report.pdf', { ...ops, markFromNetwork: (path) => void marked.push(path) });
    expect(marked).toEqual(['/nowhere/report.pdf.part']);

    const writes: string[][] = [];
    const write = (target: string, content: string): void => void writes.push([target, content]);
    markFromNetwork('C:\\inbox\\report.pdf.part', 'win32', write);
    expect(writes).toEqual([
      ['C:\\inbox\\report.pdf.part:Zone.Identifier', '[ZoneTransfer]\r\nZoneId=3\r\n'],
    ]);
    markFromNetwork('/home/me/report.pdf.part', 'linux', write);
    markFromNetwork('/Users/me/report.pdf.part', 'darwin', write);
    expect(writes).toHaveLength(1);
    // A file system without streams (FAT32, exFAT): the file is kept, unmarked.
    const noStreams = (): never => {
      throw Object.assign(new Error('EINVAL: invalid argument'), { code: 'EINVAL' });
    };
    expect(() => markFromNetwork('E:\\r.bin.part', 'win32', noStreams)).not.toThrow();
  });
});
