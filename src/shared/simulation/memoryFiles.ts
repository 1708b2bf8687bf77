// The receiver's file operations in memory, for simulated transfers: no disk I/O, thousands of transfers a second,
// with the same exclusive-create, rename and unlink rules a real file system applies.
import type { FileOps } from '../node/partFile.js';

export interface MemoryFiles extends FileOps {
  /** The content of a file, or undefined when there is none. */
  read(path: string): Buffer | undefined;
  /** Every path that exists. */
  paths(): string[];
}

export function memoryFiles(): MemoryFiles {
  const files = new Map<string, Buffer[]>();
  const open = new Map<number, string>();
  let nextFd = 100;
  const fail = (code: string, path: string): never => {
    throw Object.assign(new Error(`${code}: ${path}`), { code });
  };
  return {
    openSync(path, flags) {
      if (flags !== 'wx') fail('EINVAL', path);
      if (files.has(path)) fail('EEXIST', path);
      files.set(path, []);
      open.set(++nextFd, path);
      return nextFd;
    },
    writeSync(fd, data, offset, length) {
      const path = open.get(fd) ?? fail('EBADF', String(fd));
      files.get(path)!.push(Buffer.from(data.subarray(offset, offset + length)));
      return length;
    },
    fsyncSync: () => undefined,
    fdatasync: (_fd, done) => queueMicrotask(() => done(null)),
    closeSync: (fd) => void open.delete(fd),
    renameSync(from, to) {
      const content = files.get(from) ?? fail('ENOENT', from);
      files.delete(from);
      files.set(to, content);
    },
    linkSync(from, to) {
      const content = files.get(from) ?? fail('ENOENT', from);
      if (files.has(to)) fail('EEXIST', to);
      files.set(to, content);
    },
    nameTaken: (path) => files.has(path),
    unlinkSync(path) {
      if (!files.delete(path)) fail('ENOENT', path);
    },
    freeBytes: () => Number.MAX_SAFE_INTEGER,
    // Files in memory never reach a user: nothing to mark.
    markFromNetwork: () => undefined,
    read: (path) => {
      const chunks = files.get(path);
      return chunks && Buffer.concat(chunks);
    },
    paths: () => [...files.keys()],
  };
}
