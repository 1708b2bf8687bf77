// Settings persist as one JSON file (the path is injected: app.getPath('userData') in the app, a temp dir in
// tests). Writes go to a temp file then rename, so a crash never leaves half a file.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/contract.js';
import { sanitizeSettings } from '../validate.js';

export class SettingsStore {
  /** One load for every caller: two first reads racing would let the later one drop an update made between. */
  private current: Promise<Settings> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  get(): Promise<Settings> {
    this.current ??= this.load();
    return this.current;
  }

  private async load(): Promise<Settings> {
    let raw: unknown = null;
    try {
      raw = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      // first run, or an unreadable file: start from the defaults
    }
    return sanitizeSettings(raw, DEFAULT_SETTINGS);
  }

  /** Merges an already-validated patch and persists it. */
  async update(patch: Partial<Settings>): Promise<Settings> {
    // Chained on the value before, so concurrent patches all land (none merges into a stale copy).
    const merged = this.get().then((current) => ({ ...current, ...patch }));
    this.current = merged;
    const next = await merged;
    // Serialize writes so an older value never lands after a newer one.
    this.writing = this.writing.then(() => this.write(next));
    await this.writing;
    return next;
  }

  private async write(settings: Settings): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp`;
    await writeFile(temp, JSON.stringify(settings, null, 2));
    await rename(temp, this.file);
  }
}
