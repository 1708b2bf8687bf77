// Where received data goes: "<file>.part", written synchronously chunk by chunk, fsynced and renamed to "<file>"
// only when the transfer is complete, so a half-received file never looks complete.
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/** The file operations a PartFile needs; tests swap in failing ones to simulate a full disk. */
export interface FileOps {
  openSync(path: string, flags: string): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
}

export const nodeFileOps: FileOps = { openSync, writeSync, fsyncSync, closeSync, renameSync };

export interface PartFile {
  readonly path: string;
  readonly partPath: string;
  readonly bytes: number;
  /** Writes all of `data` or throws; the caller ACKs only after this returns. */
  write(data: Uint8Array): void;
  /** fsync, close, rename to the final name; returns the SHA-256 of the content. */
  commit(): string;
  /** Closes and leaves the .part file for inspection. */
  abandon(): void;
}

export function openPartFile(path: string, ops: FileOps = nodeFileOps): PartFile {
  const partPath = `${path}.part`;
  const fd = ops.openSync(partPath, 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  let open = true;
  const close = (): void => {
    if (open) ops.closeSync(fd);
    open = false;
  };
  return {
    path,
    partPath,
    get bytes() {
      return bytes;
    },
    write(data) {
      let done = 0;
      while (done < data.length) done += ops.writeSync(fd, data, done, data.length - done);
      hash.update(data);
      bytes += data.length;
    },
    commit() {
      ops.fsyncSync(fd);
      close();
      ops.renameSync(partPath, path);
      return hash.digest('hex');
    },
    abandon: close,
  };
}

/** Write failures in words a user can act on; other codes are shown as they are. */
const WRITE_PROBLEMS: Record<string, string> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'folder does not exist',
  EISDIR: 'it is a folder',
  ENOTDIR: 'part of the path is a file, not a folder',
  EROFS: 'read-only file system',
};

/** A user-facing description of a write failure. */
export function writeProblem(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  const why = (code && WRITE_PROBLEMS[code]) ?? code ?? (error as Error).message;
  return `cannot write "${path}": ${why}`;
}
