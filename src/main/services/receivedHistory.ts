// The files Receive mode has received, kept across runs of the app (newest first, bounded): what arrived, from
// whom, when, under which name, and whether it was verified against its sender's offer. One JSON file in the
// user's data folder, written through a temp file; a damaged file or entry is dropped, never trusted.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { ReceivedEntry } from '../../shared/contract.js';
import type { CompletedFile } from '../../shared/events.js';

export const HISTORY_MAX = 200;

function isEntry(value: unknown): value is ReceivedEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.name === 'string' &&
    typeof e.path === 'string' &&
    typeof e.from === 'string' &&
    typeof e.at === 'string' &&
    typeof e.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(e.sha256) &&
    typeof e.bytes === 'number' &&
    Number.isSafeInteger(e.bytes) &&
    e.bytes >= 0 &&
    typeof e.verified === 'boolean' &&
    typeof e.checked === 'boolean' &&
    (e.offeredAs === undefined || typeof e.offeredAs === 'string')
  );
}

export class ReceivedHistory {
  private entries: ReceivedEntry[] | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(): Promise<ReceivedEntry[]> {
    if (this.entries) return this.entries;
    let raw: unknown = [];
    try {
      raw = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      // first run, or an unreadable file: an empty history
    }
    this.entries = (Array.isArray(raw) ? raw.filter(isEntry) : []).slice(0, HISTORY_MAX);
    return this.entries;
  }

  /** Adds a file; resolves once it is on disk. Adds (and their writes) run one after another, in order. */
  add(file: CompletedFile): Promise<void> {
    const name = basename(file.path);
    const entry: ReceivedEntry = {
      name,
      path: file.path,
      bytes: file.bytes,
      sha256: file.sha256,
      from: file.from,
      at: this.now().toISOString(),
      verified: file.verified,
      checked: file.offeredName !== undefined,
      // Kept under another name (a clash, a name made safe): the one its sender knows it by, as Completed files says.
      ...(file.offeredName !== undefined && file.offeredName !== name ? { offeredAs: file.offeredName } : {}),
    };
    this.writing = this.writing
      .then(async () => {
        this.entries = [entry, ...(await this.list())].slice(0, HISTORY_MAX);
        await this.write(this.entries);
      })
      .catch(() => undefined);
    return this.writing;
  }

  /** Resolves once every file added so far is on disk (the app quitting, a test cleaning up). */
  settled(): Promise<void> {
    return this.writing;
  }

  private async write(entries: ReceivedEntry[]): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp`;
    await writeFile(temp, JSON.stringify(entries, null, 2));
    await rename(temp, this.file);
  }
}
