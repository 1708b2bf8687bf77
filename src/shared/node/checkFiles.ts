// The files a check reads, for p2mpcheck and the app's Check view alike: the output file of a receiver under
// check, read as the check goes (its rules about what was written), and the file a sender under check sends,
// which every receiver it reaches must end with.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
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

/** The file a sender sends, read whole; `named` is how the user gave it (`--file "x"`), for the error. */
export function sentFile(path: string, named: string): { name: string; data: Uint8Array } {
  try {
    if (!statSync(path).isFile()) throw new InputError(`${named} is not a regular file`);
    return { name: path, data: readFileSync(path) };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${named}: ${whyNotRead(error)}`);
  }
}
