// Where received files go, and which paths the app itself wrote: "show in folder" is allowed for those only.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A destination callback for the engine: fresh, never-overwriting names in the folder the user chose. */
export function destinationIn(folder: string, now: Date = new Date()): (index: number) => string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return (index) => {
    const base = `received-${stamp}-${index + 1}`;
    let candidate = join(folder, `${base}.bin`);
    for (let n = 2; existsSync(candidate); n++) candidate = join(folder, `${base}-${n}.bin`);
    return candidate;
  };
}

export class WrittenFiles {
  private paths = new Set<string>();
  add(path: string): void {
    this.paths.add(path);
  }
  has(path: string): boolean {
    return this.paths.has(path);
  }
}
