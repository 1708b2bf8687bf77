// A smoke test of the REAL main bundle: `electron-vite build`, then out/main/index.js evaluated under plain Node
// with a faithful fake `electron` (test/main/bundle/fakeElectron.ts), in a child process so that "it quit
// cleanly" can be read as "the process ended by itself". What a packaged app would do at start, on IPC from its
// page and from strangers, in a demo transfer, and at quit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/main/security/csp.js';
import { CHANNELS } from '../../src/shared/contract.js';
import { ensureAppBuilt } from '../helpers/appBuild.js';
import { root } from '../helpers/processes.js';
import { randomPort } from '../helpers/ports.js';

const bundle = join(root, 'out/main/index.js');
let userData = '';

beforeAll(() => {
  ensureAppBuilt();
  userData = mkdtempSync(join(tmpdir(), 'p2mp-bundle-'));
}, 300_000);
afterAll(() => rmSync(userData, { recursive: true, force: true }));

function runBundle(lock: boolean): Record<string, unknown> {
  const port = randomPort();
  const args = JSON.stringify({ bundle, userData, lock, port });
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'test/main/bundle/driver.ts'), args],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  // Killed by the timeout means something kept the process alive after quit.
  expect(run.signal, `the bundle did not exit by itself after quit\n${run.stderr}`).toBeNull();
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe('the built main bundle under a fake electron', () => {
  it('starts sandboxed with the app:// scheme, one window and every IPC channel the preload exposes', () => {
    const report = runBundle(true);
    expect(report.sandboxed).toBe(true);
    expect(report.privilegedSchemes).toEqual(['app']);
    expect(report.windows).toBe(1);
    expect(report.channels).toEqual([...CHANNELS].sort());
    expect(report.pageUrl).toBe('app://p2mp/index.html');
    expect(report.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: false,
    });

    // The page as a packaged build serves it: the CSP as a header and as the meta tag the build adds.
    const index = report.index as { status: number; type: string; csp: string; body: string };
    expect(index.status).toBe(200);
    expect(index.type).toMatch(/^text\/html/);
    expect(index.csp).toBe(contentSecurityPolicy(false));
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(index.body)?.[1];
    expect(meta?.replaceAll('&#39;', "'")).toBe(contentSecurityPolicy(false, true));
    expect(report.refusedPaths).toEqual({
      traversal: 404,
      encodedTraversal: 404,
      otherHost: 404,
      missing: 404,
    });
    // Only our own page loads: no file: URL, no remote host, no other app:// host.
    expect(report.requests).toEqual({ page: false, file: true, remote: true, otherAppHost: true });
    expect(report.permissionCheck).toBe(false);
    expect(report.downloadCancelled).toBe(true);

    const refused = { ok: false, error: 'request refused: it did not come from the app page' };
    expect(report.untrusted).toEqual({ fileFrame: refused, remoteFrame: refused, otherAppHost: refused });
    expect(report.trusted).toMatchObject({ ok: true, value: { mode: 'demo' } });

    // A real demo transfer over loopback, then quit: sessions stopped, temp folder gone, process ended.
    expect(report.demo).toEqual({
      started: true,
      error: null,
      finished: true,
      ok: true,
      identical: [true, true, true],
      folderBeforeQuit: true,
      folderAfterQuit: false,
    });
    expect(report.quit).toBe(true);
    expect(report.quitEvents).toEqual(['before-quit', 'before-quit', 'will-quit', 'quit']);
  }, 150_000);

  it('as a second instance: hands over and quits without a window or a handler', () => {
    const report = runBundle(false);
    expect(report.windows).toBe(0);
    expect(report.channels).toEqual([]);
    expect(report.quitEvents).toEqual(['before-quit', 'will-quit', 'quit']);
  }, 150_000);
});
