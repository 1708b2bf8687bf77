// Where received data goes: "<file>.part", written synchronously (chunks taken since the last flush in one write),
// fsynced and renamed to "<file>" only when the transfer is complete, so a half-received file never looks complete. The .part file is always
// one this receiver created itself (exclusive create: a file or symlink planted there is never opened, let alone
// followed), and a transfer that fails removes it.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fdatasync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  renameSync,
  statfsSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import { markFromNetwork } from './markOfTheWeb.js';

/** The file operations a PartFile needs; tests swap in failing ones to simulate a full disk. */
export interface FileOps {
  openSync(path: string, flags: string): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  /** Starts writing the file's data to the disk in the background (libuv's thread pool); `done` gets its error. */
  fdatasync(fd: number, done: (error: Error | null) => void): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  /** A second name for a file; throws EEXIST when `to` exists (how a rename that never replaces is made). */
  linkSync(from: string, to: string): void;
  /** Whether something has this name: a file, a folder, a link, a link to nothing too (never replaced, nor followed). */
  nameTaken(path: string): boolean;
  unlinkSync(path: string): void;
  /** Bytes an unprivileged writer may still use on the file system holding `path`. */
  freeBytes(path: string): number;
  /** Marks a file as received from the network (markOfTheWeb.ts: Windows' Zone.Identifier). */
  markFromNetwork(path: string): void;
}

/**
 * Whether `path` exists, or a name that differs from its last part only in Unicode form: a file copied from a Mac
 * keeps "café" decomposed (NFD), offered names are kept composed (NFC), and Linux tells them apart, so "café.txt"
 * was saved beside a "café.txt" that looks the same. ASCII names have one form: no listing for them.
 */
function nameTaken(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    // Not under these bytes; perhaps under another form.
  }
  const name = basename(path).normalize('NFC');
  if (/^[\x20-\x7e]*$/.test(name)) return false;
  try {
    return readdirSync(dirname(path)).some((entry) => entry.normalize('NFC') === name);
  } catch {
    return false;
  }
}

export const nodeFileOps: FileOps = {
  openSync,
  writeSync,
  fsyncSync,
  fdatasync,
  closeSync,
  renameSync,
  linkSync,
  nameTaken,
  unlinkSync,
  freeBytes: (path) => {
    const fs = statfsSync(path);
    return fs.bavail * fs.bsize;
  },
  markFromNetwork: (path) => markFromNetwork(path),
};

/** The .part file of `path` at try `attempt`: "<file>.part", then "<file>.<random>.part" (the longest name). */
export const partPathOf = (path: string, attempt: number): string =>
  attempt === 0 ? `${path}.part` : `${path}.${randomBytes(6).toString('hex')}.part`;

/** Creates the .part file exclusively: "<file>.part", or "<file>.<random>.part" when that name is taken. */
function createPart(path: string, ops: FileOps): { fd: number; partPath: string } {
  for (let attempt = 0; ; attempt++) {
    const partPath = partPathOf(path, attempt);
    try {
      return { fd: ops.openSync(partPath, 'wx'), partPath };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
  }
}

export interface PartFile {
  readonly path: string;
  readonly partPath: string;
  readonly bytes: number;
  /**
   * Takes a copy of `data` to be written at the next flush, at the latest once FLUSH_BYTES are waiting. A course
   * ACK goes only after a flush returns; a SACK right after the copy (PROTOCOL.md, "Selective Repeat ACK").
   */
  write(data: Uint8Array): void;
  /** Writes everything taken so far, or throws. */
  flush(): void;
  /** Flushes, then the SHA-256 of the content (call once it is complete). */
  digest(): string;
  /**
   * fsync, close, rename to the final name (`to`, by default `path`); returns the SHA-256 of the content.
   * `replace: false`: never over an existing file (throws EEXIST; the .part stays for a try under another name).
   */
  commit(options?: { replace?: boolean; to?: string }): string;
  /** Closes and removes the .part file: nothing of a failed transfer stays on disk. */
  abandon(): void;
}

/** Bytes taken before a write is due anyway: bounds the memory chunks wait in between ACKs. */
export const FLUSH_BYTES = 256 << 10;

/**
 * Bytes written between background syncs. The end marker is ACKed only after the fsync, and a sender gives up on
 * a receiver silent for 30 s: left to the kernel, a large file reaches the end with up to 30 s of transfer (its
 * writeback delay) or a fifth of the RAM still to write, which a slow disk (a USB stick at 10 MB/s) takes minutes to
 * flush. Synced along the way, what is left is at most twice this: a disk slower than the network gets a sync that
 * waits (no ACK meanwhile, so the sender slows down to the disk's pace). 8 MiB: the last fsync of a 50 MiB file
 * took 39 ms here with nothing synced before, 5 ms after syncs every 8 MiB; every receiver makes the end wait.
 */
export const SYNC_BYTES = 8 << 20;

export function openPartFile(path: string, ops: FileOps = nodeFileOps): PartFile {
  const { fd, partPath } = createPart(path, ops);
  ops.markFromNetwork(partPath);
  const hash = createHash('sha256');
  let bytes = 0;
  let open = true;
  let digest: string | undefined;
  /**
   * Chunks taken and not written yet, copied into one block reused for the whole transfer: one write and one hash
   * update per flush (per ACK) instead of a concatenation and an update per chunk (a new 20-250 KiB buffer per
   * ACK was a fifth of a receiver's garbage collection at 40,000 chunks a second).
   */
  let block = Buffer.allocUnsafe(0);
  let waitingBytes = 0;
  /** Bytes written since the last sync started, whether a background one is running (one at a time), its error. */
  let unsynced = 0;
  let syncing = false;
  let syncError: Error | null = null;
  const close = (): void => {
    if (open) ops.closeSync(fd);
    open = false;
  };
  const flush = (): void => {
    if (waitingBytes === 0) return;
    const data = block.subarray(0, waitingBytes);
    waitingBytes = 0;
    // A write error reaches one sync only (Linux reports it once per open file): the background sync's is kept
    // and fails the transfer, or the fsync at commit would pass over data that never reached the disk.
    if (syncError !== null) throw syncError;
    hash.update(data);
    let done = 0;
    while (done < data.length) done += ops.writeSync(fd, data, done, data.length - done);
    unsynced += data.length;
    if (unsynced < SYNC_BYTES) return;
    // The previous sync still running: the disk is behind, wait for it.
    if (syncing) ops.fsyncSync(fd);
    else {
      syncing = true;
      // Not waited for; if the file is closed first, it fails harmlessly (or flushes whatever file took the
      // descriptor's number).
      ops.fdatasync(fd, (error) => {
        syncing = false;
        if (open) syncError ??= error;
      });
    }
    unsynced = 0;
  };
  return {
    path,
    partPath,
    get bytes() {
      return bytes;
    },
    write(data) {
      if (waitingBytes + data.length > block.length) {
        flush();
        // Large enough for what may wait between ACKs, or for a chunk larger than that.
        if (data.length > block.length) block = Buffer.allocUnsafe(Math.max(FLUSH_BYTES, data.length));
      }
      block.set(data, waitingBytes);
      waitingBytes += data.length;
      bytes += data.length;
    },
    flush,
    digest() {
      flush();
      digest ??= hash.digest('hex');
      return digest;
    },
    commit({ replace = true, to = path } = {}) {
      flush();
      if (syncError !== null) throw syncError;
      if (open) ops.fsyncSync(fd);
      close();
      if (replace) ops.renameSync(partPath, to);
      else renameWithoutReplacing(ops, partPath, to);
      return this.digest();
    },
    abandon() {
      waitingBytes = 0;
      close();
      try {
        ops.unlinkSync(partPath);
      } catch {
        // Already gone (removed by hand): nothing left to clean up.
      }
    },
  };
}

/** Link then unlink: atomic "rename unless it exists". File systems without links (FAT) get a checked rename. */
function renameWithoutReplacing(ops: FileOps, from: string, to: string): void {
  // A link fails only for these very bytes: a name there in another Unicode form counts as taken too.
  if (ops.nameTaken(to)) throw Object.assign(new Error(`EEXIST: ${to}`), { code: 'EEXIST' });
  try {
    ops.linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw error;
    ops.renameSync(from, to);
    return;
  }
  ops.unlinkSync(from);
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
  ENAMETOOLONG: 'the name is too long for the file system',
};

/** Why a write failed, in words. */
export function whyNotWritten(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && WRITE_PROBLEMS[code]) ?? code ?? (error as Error).message;
}

/** A user-facing description of a write failure. */
export function writeProblem(error: unknown, path: string): string {
  return `cannot write "${path}": ${whyNotWritten(error)}`;
}
