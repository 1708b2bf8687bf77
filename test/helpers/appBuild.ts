// `electron-vite build` into out/, shared by every test that needs the built app (the main-bundle smoke test,
// packaging, the Electron window). Test files run in parallel processes: a lock folder makes one of them build
// and the others wait, and a stamp skips the build when no source changed since.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './processes.js';

const SOURCES = [
  'src/main',
  'src/preload',
  'src/renderer',
  'src/shared',
  'electron.vite.config.ts',
  'package.json',
];
const STAMP = join(root, 'out/.built');
const LOCK = join(root, 'out.lock');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export function ensureAppBuilt(): void {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another test file is building; a lock older than the deadline is a crashed run's leftover.
      if (Date.now() > deadline) rmSync(LOCK, { recursive: true, force: true });
      sleep(200);
    }
  }
  try {
    const sources = Math.max(...SOURCES.map((s) => newest(join(root, s))));
    if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources) return;
    const built = spawnSync('npx', ['electron-vite', 'build'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
      shell: process.platform === 'win32',
    });
    if (built.status !== 0) throw new Error(`electron-vite build failed:\n${built.stdout}${built.stderr}`);
    writeFileSync(STAMP, '');
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
