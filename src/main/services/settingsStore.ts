// Settings persist as one JSON file (the path is injected: app.getPath('userData') in the app, a temp dir in
// tests). Writes go to a temp file then rename, so a crash never leaves half a file.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/contract.js';
import { sanitizeSettings } from '../validate.js';

export class SettingsStore {
  private current: Settings | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  async get(): Promise<Settings> {
    if (this.current) return this.current;
    let raw: unknown = null;
    try {
      raw = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      // first run, or an unreadable file: start from the defaults
    }
    this.current = sanitizeSettings(raw, DEFAULT_SETTINGS);
    return this.current;
  }

  /** Merges an already-validated patch and persists it. */
  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = { ...(await this.get()), ...patch };
    this.current = next;
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
