// Size and SHA-256 of a file to send, read as a stream so large files don't fill memory.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FileInfo } from '../../shared/contract.js';
import { InputError } from '../../shared/errors.js';

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function inspectFile(path: string): Promise<FileInfo> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new InputError(`cannot read ${path}`);
  if (!info.isFile()) throw new InputError(`${path} is not a regular file`);
  return { path, name: basename(path), size: info.size, sha256: await sha256File(path) };
}
