// A folder results are written into (p2mplab --out): made if missing, checked writable before any work is done,
// with one clear line when it cannot be. Made one level at a time: Node's recursive mkdir loops forever under
// some special file systems (/proc), which took a core until the process was killed.
import { closeSync, mkdirSync, openSync, rmSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';

const why = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOSPC') return 'no space left';
  // A parent that exists, yet mkdir says it does not: a file system that takes no folders (/proc, /sys).
  if (code === 'ENOENT') return 'this file system takes no new folders';
  return code ?? (error as Error).message;
};

/** What is at `path`; none when nothing is, or a file stands where a folder on the way should (ENOTDIR). */
function statOrNone(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw new InputError(`cannot use "${path}": ${why(error)}`);
  }
}

/** Makes `dir` (and its missing parents) and proves it takes a file; throws InputError saying why not. */
export function ensureOutputFolder(dir: string, what = 'the results folder'): void {
  const path = resolve(dir);
  const missing: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    const stat = statOrNone(at);
    if (stat?.isDirectory()) break;
    if (stat) throw new InputError(`cannot use "${at}" in ${what}: it is a file, not a folder`);
    if (dirname(at) === at) break;
    missing.unshift(at);
  }
  for (const at of missing) {
    try {
      mkdirSync(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new InputError(`cannot make ${what} "${path}": ${why(error)}`);
    }
  }
  const probe = join(path, `.p2mp-write-check-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    rmSync(probe, { force: true });
  } catch (error) {
    throw new InputError(`cannot write into ${what} "${path}": ${why(error)}`);
  }
}
