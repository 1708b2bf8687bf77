// The files a check reads, for p2mpcheck and the app's Check view alike: the output file of a receiver under
// check, read as the check goes (its rules about what was written), and the file a sender under check sends,
// which every receiver it reaches must end with.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { MAX_HELD } from '../check/clientChecker.js';
import { InputError, whyNotRead } from '../errors.js';

/** The receiver's file, at most 16 MiB of it (the check sends kilobytes); when it cannot be read, why not. */
export function receiverFileContent(path: string): Uint8Array | string {
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(statSync(path).size, 16 << 20));
      return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'does not exist'
      : `cannot be read (${whyNotRead(error)})`;
  }
}

/**
 * The file a sender sends, read whole; `named` is how the user gave it (`--file "x"`), for the error. At most
 * MAX_HELD bytes: the receivers keep no more to compare, and a larger file would be passed on its length alone.
 */
export function sentFile(path: string, named: string): { name: string; data: Uint8Array } {
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new InputError(`${named} is not a regular file`);
    if (stats.size > MAX_HELD)
      throw new InputError(
        `${named} has ${stats.size} bytes: the check compares a sent file of at most 64 MiB ` +
          `(${MAX_HELD} bytes); give a smaller one, or none`,
      );
    return { name: path, data: readFileSync(path) };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${named}: ${whyNotRead(error)}`);
  }
}
