// ".part" files a receiver finds where it is about to save: left by a transfer that never ended (the receiver was
// killed, the machine lost power). A receiver never completes or removes one it did not create itself (another
// receiver may be writing it), so it tells its user instead. Names as partFile.ts makes them: "<file>.part", or
// "<file>.<12 hex digits>.part" when that was taken.
import { lstatSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface Leftovers {
  names: string[];
  bytes: number;
}

const RANDOM_PART = /^\.[0-9a-f]{12}\.part$/;

/** The .part files in `folder` (every one), or those of `file` when the receiver writes one file. */
export function unfinishedFiles(where: { folder: string } | { file: string }): Leftovers {
  const folder = 'folder' in where ? where.folder : dirname(where.file);
  const own = 'file' in where ? basename(where.file) : null;
  const found: Leftovers = { names: [], bytes: 0 };
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return found; // the receiver's own checks say what is wrong with the folder
  }
  const ofInterest = (name: string): boolean =>
    own === null
      ? name.endsWith('.part')
      : name === `${own}.part` || (name.startsWith(own) && RANDOM_PART.test(name.slice(own.length)));
  for (const name of names.filter(ofInterest).sort()) {
    try {
      const stat = lstatSync(join(folder, name));
      if (!stat.isFile()) continue; // a link or a folder of that name is not ours to speak of
      found.names.push(name);
      found.bytes += stat.size;
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
