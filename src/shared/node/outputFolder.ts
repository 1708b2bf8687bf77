// A folder results are written into (p2mplab --out): made if missing, checked writable before any work is done,
// with one clear line when it cannot be. Made one level at a time: Node's recursive mkdir loops forever under
// some special file systems (/proc), which took a core until the process was killed.
import { mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { nodeFileOps, whyNotWritten, type FileOps } from './partFile.js';

// A parent that exists, yet mkdir says it does not: a file system that takes no folders (/proc, /sys).
const whyNotMade = (error: unknown): string =>
  (error as NodeJS.ErrnoException).code === 'ENOENT'
    ? 'this file system takes no new folders'
    : whyNotWritten(error);

/**
 * Proves that a file can be made in `dir` (and removes it): a permission check alone passes for root where
 * nothing can be written (/proc). Throws the file system's error. `ops`: the receiver's (in memory when simulated);
 * `probe`: the file made, by default a hidden one in `dir`.
 */
export function proveWritable(
  dir: string,
  ops: Pick<FileOps, 'openSync' | 'closeSync' | 'unlinkSync'> = nodeFileOps,
  probe = join(dir, `.p2mp-write-check-${process.pid}`),
): void {
  ops.closeSync(ops.openSync(probe, 'wx'));
  ops.unlinkSync(probe);
}

/** What is at `path`; none when nothing is, or a file stands where a folder on the way should (ENOTDIR). */
function statOrNone(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw new InputError(`cannot use "${path}": ${whyNotWritten(error)}`);
  }
}

/** Makes `dir` (and its missing parents) and proves it takes a file; throws InputError saying why not. */
export function ensureOutputFolder(dir: string, what = 'the results folder'): void {
  const path = resolve(dir);
  const missing: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    const stat = statOrNone(at);
    if (stat?.isDirectory()) break;
    if (stat)
      throw new InputError(
        at === path
          ? `${what} "${path}" is a file, not a folder: give a folder (it is made if missing)`
          : `cannot make ${what} "${path}": "${at}" on its way is a file, not a folder`,
      );
    if (dirname(at) === at) break;
    missing.unshift(at);
  }
  for (const at of missing) {
    try {
      mkdirSync(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new InputError(`cannot make ${what} "${path}": ${whyNotMade(error)}`);
    }
  }
  try {
    proveWritable(path);
  } catch (error) {
    throw new InputError(`cannot write into ${what} "${path}": ${whyNotWritten(error)}`);
  }
}
