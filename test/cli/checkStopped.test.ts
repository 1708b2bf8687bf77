// p2mpcheck stopped with Ctrl-C before its checks end: one line saying there is no verdict, exit code 1 (it ended
// silently, by the signal). The signal goes once it has said "Start your sender now", never before its handler.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../helpers/loopback.js';
import { randomPort } from '../helpers/ports.js';
import { ensureCliBuilt, killAll, root, run, waitFor } from '../helpers/processes.js';

const dir = tempDir();

beforeAll(ensureCliBuilt);
afterAll(() => {
  killAll();
  dir.cleanup();
});

it('Ctrl-C on p2mpcheck before its checks end says so, with exit code 1', async () => {
  // No sender comes: it waits for one (20 s by default), long enough to be stopped.
  const check = run(`${root}/bin/p2mpcheck.js`, ['client', '--port', String(randomPort())], {
    cwd: dir.path,
    timeoutMs: 30_000,
  });
  expect(await waitFor(() => check.stderr.startsWith('Start your sender now'), 10_000)).toBe(true);
  check.kill('SIGINT');
  const result = await check;
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(
    /^Start your sender now: .*\np2mpcheck: stopped before its checks ended: no verdict\n$/,
  );
  expect(result.stdout).toBe('');
});
