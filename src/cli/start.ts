// `npm start` (and `npm run dev`): make sure this machine can run the desktop app, then hand over to electron-vite.
// Since Electron 42 the `electron` package downloads its binary lazily, and electron-vite 6 does not trigger that:
// it finds no `path.txt` and throws "Electron uninstall" with a stack trace. So this finds the binary, else runs
// the package's own installer, else says in one line why the app cannot start and what to use instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const INSTEAD = 'use `npm run demo` and the CLIs (p2mpserver, p2mpclient), which need no Electron';
/** What Electron 45's installer (@electron/get) and electron-vite need. */
export const NODE_REQUIRED = '22.12.0';

export interface ElectronPackage {
  dir: string;
  version: string;
}

export function electronPackage(root: string): ElectronPackage {
  const manifest = createRequire(join(root, 'package.json')).resolve('electron/package.json');
  return {
    dir: dirname(manifest),
    version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version,
  };
}

/** The installed Electron executable, or null. Reads only what the installer wrote: never downloads anything. */
export function electronBinary(electron: ElectronPackage): string | null {
  try {
    if (
      readFileSync(join(electron.dir, 'dist', 'version'), 'utf8')
        .trim()
        .replace(/^v/, '') !== electron.version
    )
      return null;
    const binary = join(electron.dir, 'dist', readFileSync(join(electron.dir, 'path.txt'), 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

export function nodeIsTooOld(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const [needMajor = 0, needMinor = 0] = NODE_REQUIRED.split('.').map(Number);
  return major < needMajor || (major === needMajor && minor < needMinor);
}

/** The installer's own error line ("TypeError: fetch failed", "Error: ... 404 ..."), without its stack. */
export function installerCause(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at '));
  const line = lines.find((l) => /error/i.test(l)) ?? lines[0] ?? 'no output';
  return line.replace(/^[A-Za-z]*Error: /, '');
}

/** Runs the `install-electron` command the package ships; null on success, else why it failed. */
export function downloadElectron(electron: ElectronPackage, env: NodeJS.ProcessEnv): string | null {
  const result = spawnSync(process.execPath, [join(electron.dir, 'install.js')], {
    env,
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  if (result.status === 0)
    return electronBinary(electron) ? null : 'the installer finished but left no binary';
  if (result.error) return result.error.message;
  return installerCause(`${result.stderr}\n${result.stdout}`);
}

export interface SandboxFacts {
  /** /proc/sys/kernel/apparmor_restrict_unprivileged_userns (Ubuntu 23.10+), or null when absent. */
  apparmorRestricts: string | null;
  /** /proc/sys/kernel/unprivileged_userns_clone (older Debian kernels), or null when absent. */
  usernsClone: string | null;
  /** chrome-sandbox beside the binary: owned by root with the setuid bit (Chromium's fallback sandbox). */
  suidHelperReady: boolean;
}

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

export function sandboxFacts(binary: string): SandboxFacts {
  let suidHelperReady = false;
  try {
    const helper = statSync(join(dirname(binary), 'chrome-sandbox'));
    suidHelperReady = helper.uid === 0 && (helper.mode & 0o4000) !== 0;
  } catch {
    // No helper: Chromium then needs user namespaces.
  }
  return {
    apparmorRestricts: readProc('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
    usernsClone: readProc('/proc/sys/kernel/unprivileged_userns_clone'),
    suidHelperReady,
  };
}

/**
 * Chromium's sandbox needs unprivileged user namespaces or a setuid-root chrome-sandbox. Ubuntu 23.10+ restricts
 * the former to programs with an AppArmor profile, and an Electron in node_modules has none, so it aborts with
 * "The SUID sandbox helper binary was found, but is not configured correctly" (electron/electron#42510).
 */
export function sandboxProblem(facts: SandboxFacts, helperPath: string): string | null {
  const restricted = facts.apparmorRestricts === '1' || facts.usernsClone === '0';
  if (!restricted || facts.suidHelperReady) return null;
  return (
    `this Linux restricts unprivileged user namespaces (Ubuntu 23.10+ AppArmor), so Electron's sandbox cannot ` +
    `start from node_modules; fix: sudo chown root:root ${helperPath} && sudo chmod 4755 ${helperPath} ` +
    `(or install the .deb package, whose AppArmor profile allows it)`
  );
}

/** An environment switch as npm and Electron read them: set unless empty, "0" or "false". */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && !['', '0', 'false'].includes(value.trim().toLowerCase());
}

export type StartStep =
  { kind: 'launch'; binary: string } | { kind: 'download' } | { kind: 'refuse'; why: string };

export interface StartFacts {
  platform: NodeJS.Platform;
  nodeVersion: string;
  electronVersion: string;
  binary: string | null;
  skipDownload: boolean;
  /** Why the last download failed, when one was tried. */
  downloadFailed: string | null;
  sandbox: (binary: string) => string | null;
  /** How the user ran it: what to run again. */
  command: 'npm start' | 'npm run dev';
}

/** The start path's decisions, apart from the I/O: launch, download first, or refuse with one line. */
export function planStart(facts: StartFacts): StartStep {
  const electron = `the Electron ${facts.electronVersion} binary`;
  if (facts.binary === null) {
    if (facts.downloadFailed !== null) {
      const old = nodeIsTooOld(facts.nodeVersion)
        ? `; Electron's installer needs Node.js >= ${NODE_REQUIRED}, this is ${facts.nodeVersion}`
        : '';
      return {
        kind: 'refuse',
        why: `could not download ${electron} (${facts.downloadFailed}${old}); check the internet connection or proxy and run ${facts.command} again, or ${INSTEAD}`,
      };
    }
    if (facts.skipDownload)
      return {
        kind: 'refuse',
        why: `${electron} is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set; unset it and run ${facts.command} again, or ${INSTEAD}`,
      };
    return { kind: 'download' };
  }
  const sandbox = facts.platform === 'linux' ? facts.sandbox(facts.binary) : null;
  if (sandbox !== null) return { kind: 'refuse', why: sandbox };
  return { kind: 'launch', binary: facts.binary };
}

/** Hands over to `electron-vite preview` (build, then open the app) or `dev`, with the binary it cannot find. */
function launch(root: string, binary: string, command: 'preview' | 'dev'): void {
  const require = createRequire(join(root, 'package.json'));
  const manifest = require.resolve('electron-vite/package.json');
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }).bin[
    'electron-vite'
  ]!;
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_EXEC_PATH: binary };
  delete env.ELECTRON_RUN_AS_NODE; // would make the app start as plain Node
  const child = spawn(process.execPath, [join(dirname(manifest), bin), command], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => (process.exitCode = code ?? (signal ? 1 : 0)));
}

function main(): void {
  const root = join(__dirname, '../../..');
  const electron = electronPackage(root);
  const helper = (binary: string): string => relative(root, join(dirname(binary), 'chrome-sandbox'));
  let downloadFailed: string | null = null;
  const command = process.argv[2] === 'dev' ? 'npm run dev' : 'npm start';
  for (;;) {
    const step = planStart({
      platform: process.platform,
      nodeVersion: process.versions.node,
      electronVersion: electron.version,
      binary: electronBinary(electron),
      skipDownload: envFlag(process.env.ELECTRON_SKIP_BINARY_DOWNLOAD),
      downloadFailed,
      sandbox: (binary) => sandboxProblem(sandboxFacts(binary), helper(binary)),
      command,
    });
    if (step.kind === 'launch')
      return launch(root, step.binary, process.argv[2] === 'dev' ? 'dev' : 'preview');
    if (step.kind === 'refuse') {
      process.stderr.write(`${command}: ${step.why}\n`);
      process.exitCode = 1;
      return;
    }
    if (process.stdout.isTTY)
      process.stdout.write(`Downloading the Electron ${electron.version} binary (once)…\n`);
    downloadFailed = downloadElectron(electron, process.env);
  }
}

if (require.main === module) main();
