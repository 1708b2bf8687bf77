// .part files a receiver finds where it saves: which it names (its own kinds, in the folder or beside its file),
// and what its user is told.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftoverNote } from '../../src/shared/events.js';
import { unfinishedFiles } from '../../src/shared/node/leftovers.js';
import { tempDir } from '../helpers/loopback.js';

describe('unfinished files left by a transfer that never ended', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('in a folder: every .part file, not links or folders of that name', () => {
    const folder = dir.file('room');
    mkdirSync(folder);
    writeFileSync(join(folder, 'report.pdf.part'), Buffer.alloc(3000));
    writeFileSync(join(folder, 'report.pdf.0123456789ab.part'), Buffer.alloc(24));
    writeFileSync(join(folder, 'notes.txt'), 'kept');
    mkdirSync(join(folder, 'old.part'));
    symlinkSync('/etc/passwd', join(folder, 'link.part'));
    expect(unfinishedFiles({ folder })).toEqual({
      names: ['report.pdf.0123456789ab.part', 'report.pdf.part'],
      bytes: 3024,
    });
    expect(unfinishedFiles({ folder: dir.file('nowhere') })).toEqual({ names: [], bytes: 0 });
  });

  it("beside a file: only that file's", () => {
    const folder = dir.file('one');
    mkdirSync(folder);
    for (const name of ['out.bin.part', 'out.bin.fedcba987654.part', 'other.bin.part', 'out.bin.x.part'])
      writeFileSync(join(folder, name), 'x');
    expect(unfinishedFiles({ file: join(folder, 'out.bin') }).names).toEqual([
      'out.bin.fedcba987654.part',
      'out.bin.part',
    ]);
  });

  it('are named to the user, five at most, with their size', () => {
    expect(leftoverNote({ names: ['out.bin.part'], bytes: 1500 })).toBe(
      'an unfinished file from a transfer that never ended is here: out.bin.part (1.46 KiB; partial data, never ' +
        'complete): delete it once no receiver is writing to it',
    );
    const many = Array.from({ length: 7 }, (_, i) => `f${i}.part`);
    expect(leftoverNote({ names: many, bytes: 7 << 20 })).toBe(
      '7 unfinished files from transfers that never ended are here: f0.part, f1.part, f2.part, f3.part, f4.part, ' +
        'and 2 more (7.00 MiB; partial data, never complete): delete them once no receiver is writing to them',
    );
  });
});
