// Spawned command-line tools for the CLI, lab, fault and namespace tests: each run is bounded in time, its output kept,
// and every process still alive at the end can be killed by id.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(__dirname, '../..');
export const serverBin = join(root, 'bin/p2mpserver.js');
export const clientBin = join(root, 'bin/p2mpclient.js');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/**
 * The bin entries run the compiled CLI (dist/). Builds it like `npm test` does, but only when a source is newer:
 * several test files run in parallel, and rebuilding under a running process of another file would be a race.
 */
export function ensureCliBuilt(): void {
  const built = join(root, 'dist/src/cli/server.js');
  const sources = Math.max(newest(join(root, 'src/cli')), newest(join(root, 'src/shared')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.cli.json'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`tsc -p tsconfig.cli.json failed:\n${build.stdout}${build.stderr}`);
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export type Running = Promise<Run> & {
  child: ChildProcess;
  /** Resolves at the "Listening on" line (p2mpserver). */
  listening: Promise<void>;
  readonly stdout: string;
  readonly stderr: string;
  kill(signal?: NodeJS.Signals): void;
};

const alive = new Set<ChildProcess>();

/** Runs `command args` (by default `node <bin>`, with `env` added to this process's), SIGKILLed after `timeoutMs`. */
export function run(
  bin: string,
  args: string[],
  {
    cwd,
    timeoutMs = 30_000,
    prefix,
    env,
  }: { cwd: string; timeoutMs?: number; prefix?: string[]; env?: NodeJS.ProcessEnv },
): Running {
  const [command, ...rest] = prefix ?? [process.execPath];
  const child = spawn(command!, [...(prefix ? [...rest, process.execPath] : rest), bin, ...args], {
    cwd,
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  alive.add(child);
  let stdout = '';
  let stderr = '';
  let onListening: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (onListening = resolve));
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (/^(Listening on|\{"type":"listening")/m.test(stdout)) onListening();
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      alive.delete(child);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  // A getter of its own: Object.assign would copy the getter's value at this moment (empty), not the getter.
  const running = Object.assign(done, {
    child,
    listening,
    kill: (signal: NodeJS.Signals = 'SIGKILL') => {
      child.kill(signal);
    },
  });
  return Object.defineProperties(running, {
    stdout: { get: () => stdout },
    stderr: { get: () => stderr },
  }) as Running;
}

/** Kills (by id) every process started by run() that is still alive. */
export function killAll(): void {
  for (const child of alive) child.kill('SIGKILL');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done()` holds or `ms` pass. */
export async function waitFor(done: () => boolean, ms: number, stepMs = 5): Promise<boolean> {
  const end = performance.now() + ms;
  while (!done()) {
    if (performance.now() > end) return false;
    await sleep(stepMs);
  }
  return true;
}

export function sizeOf(path: string): number {
  return existsSync(path) ? statSync(path).size : -1;
}

/** A line of p2mpclient's summary table split into cells: label, state, ACKs, timeouts, retrans, keepalives, RTT, bytes. */
export function summaryRow(stdout: string, label: string): string[] | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(`${label} `));
  return line?.trim().split(/\s+/);
}
