// `npm start` on a fresh clone: launch when the Electron binary is there, download it when it is not, and when
// that cannot happen say why in one line (no stack trace) and exit non-zero. The spawned cases really run the
// package's installer against a closed port, so the download genuinely fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  electronBinary,
  electronPackage,
  envFlag,
  installerCause,
  planStart,
  sandboxProblem,
  type StartFacts,
} from '../../src/cli/start.js';
import { ensureCliBuilt, root } from '../helpers/processes.js';

const facts = (over: Partial<StartFacts> = {}): StartFacts => ({
  platform: 'linux',
  nodeVersion: '22.12.0',
  electronVersion: '45.4.1',
  binary: null,
  skipDownload: false,
  downloadFailed: null,
  sandbox: () => null,
  command: 'npm start',
  ...over,
});

describe('the start plan', () => {
  it('downloads a missing binary, then launches it', () => {
    expect(planStart(facts())).toEqual({ kind: 'download' });
    expect(planStart(facts({ binary: '/e/electron' }))).toEqual({ kind: 'launch', binary: '/e/electron' });
  });

  it('refuses in one line when the download failed, naming the cause and what to use instead', () => {
    const step = planStart(facts({ downloadFailed: 'fetch failed' }));
    expect(step.kind).toBe('refuse');
    const why = (step as { why: string }).why;
    expect(why).toContain('could not download the Electron 45.4.1 binary (fetch failed)');
    expect(why).toContain('npm run demo');
    expect(why).not.toContain('\n');
    // Run as `npm run dev`, it says to run that again.
    expect(
      (planStart(facts({ skipDownload: true, command: 'npm run dev' })) as { why: string }).why,
    ).toContain('unset it and run npm run dev again');
  });

  it('names the Node.js requirement when this Node is too old for the installer', () => {
    const why = (
      planStart(facts({ downloadFailed: 'fetch failed', nodeVersion: '20.20.2' })) as { why: string }
    ).why;
    expect(why).toContain('needs Node.js >= 22.12.0, this is 20.20.2');
    expect(planStart(facts({ downloadFailed: 'x', nodeVersion: '22.12.0' }))).not.toMatchObject({
      why: expect.stringContaining('22.12.0, this is') as unknown,
    });
  });

  it('reads ELECTRON_SKIP_BINARY_DOWNLOAD as npm does: "0", "false" and empty mean not set', () => {
    expect(['1', 'true', 'yes'].map(envFlag)).toEqual([true, true, true]);
    expect([undefined, '', '0', 'false', 'FALSE'].map(envFlag)).toEqual([false, false, false, false, false]);
  });

  it('does not try to download when ELECTRON_SKIP_BINARY_DOWNLOAD is set', () => {
    const step = planStart(facts({ skipDownload: true }));
    expect(step).toMatchObject({
      kind: 'refuse',
      why: expect.stringContaining('ELECTRON_SKIP_BINARY_DOWNLOAD'),
    });
  });

  it('checks the sandbox on Linux only', () => {
    const sandbox = (): string => 'restricted';
    expect(planStart(facts({ binary: '/e/electron', sandbox }))).toEqual({
      kind: 'refuse',
      why: 'restricted',
    });
    expect(planStart(facts({ binary: '/e/electron', sandbox, platform: 'darwin' }))).toMatchObject({
      kind: 'launch',
    });
  });
});

describe("Ubuntu 23.10+'s user-namespace restriction", () => {
  const helper = 'node_modules/electron/dist/chrome-sandbox';
  it('prints the fix when namespaces are restricted and chrome-sandbox is not setuid root', () => {
    const why = sandboxProblem({ apparmorRestricts: '1', usernsClone: null, suidHelperReady: false }, helper);
    expect(why).toContain(`sudo chown root:root ${helper} && sudo chmod 4755 ${helper}`);
    expect(why).toContain('.deb');
    expect(
      sandboxProblem({ apparmorRestricts: null, usernsClone: '0', suidHelperReady: false }, helper),
    ).toBe(why);
  });

  it('stays quiet when namespaces are free or the setuid helper is ready', () => {
    expect(
      sandboxProblem({ apparmorRestricts: '0', usernsClone: '1', suidHelperReady: false }, helper),
    ).toBeNull();
    expect(
      sandboxProblem({ apparmorRestricts: null, usernsClone: null, suidHelperReady: false }, helper),
    ).toBeNull();
    expect(
      sandboxProblem({ apparmorRestricts: '1', usernsClone: null, suidHelperReady: true }, helper),
    ).toBeNull();
  });
});

it("keeps the installer's error line, not its stack", () => {
  const output =
    'TypeError: fetch failed\n    at node:internal/deps/undici:1:1\n    at async download (x.js:4:2)\n';
  expect(installerCause(output)).toBe('fetch failed');
  expect(installerCause('HTTPError: Response code 404 (Not Found) for https://x/y.zip')).toBe(
    'Response code 404 (Not Found) for https://x/y.zip',
  );
});

// On a machine where the binary is installed `npm start` would open the app: these cases are for the others.
const installed = electronBinary(electronPackage(root));

describe.skipIf(installed !== null)('`npm start` without an Electron binary', () => {
  let closedPort = 0;
  let cache = '';
  beforeAll(async () => {
    ensureCliBuilt();
    cache = mkdtempSync(join(tmpdir(), 'p2mp-electron-cache-'));
    // A port that was just free: connecting to it is refused at once, like a blocked download host.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
  });
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  const npmStart = (env: NodeJS.ProcessEnv) => {
    const clean = { ...process.env, ...env };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete clean[key];
    return spawnSync('npm', ['start', '--silent'], {
      cwd: root,
      env: clean,
      encoding: 'utf8',
      timeout: 120_000,
    });
  };
  const expectOneLine = (stderr: string): string => {
    const lines = stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(stderr).not.toMatch(/^\s+at /m);
    return lines[0]!;
  };

  it('with the download failing: one line naming the cause, exit 1, nothing installed', () => {
    const result = npmStart({
      ELECTRON_SKIP_BINARY_DOWNLOAD: undefined,
      ELECTRON_MIRROR: `http://127.0.0.1:${closedPort}/`,
      electron_config_cache: cache,
    });
    expect(result.status).toBe(1);
    const line = expectOneLine(result.stderr);
    expect(line).toMatch(/^npm start: could not download the Electron \d+\.\d+\.\d+ binary \(fetch failed/);
    expect(line).toContain('npm run demo');
    expect(existsSync(join(electronPackage(root).dir, 'path.txt'))).toBe(false);
  });

  it('with ELECTRON_SKIP_BINARY_DOWNLOAD set (as in CI): one line, exit 1', () => {
    const result = npmStart({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(result.status).toBe(1);
    expect(expectOneLine(result.stderr)).toMatch(/^npm start: .*ELECTRON_SKIP_BINARY_DOWNLOAD is set/);
  });
});
