// A file the user may not read, given to p2mpcheck and p2mplab, and a folder p2mpserver may not write into: bad
// input said in words (one line, exit code 2), before anything is bound or written. Root reads and writes every
// file: as root the tools run without root's capabilities (still its own user, so a checkout only root may read,
// as a fresh clone in a private temporary folder, still runs).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../helpers/loopback.js';
import { ensureCliBuilt, killAll, root, run } from '../helpers/processes.js';

const dir = tempDir();
const isRoot = process.getuid?.() === 0;
const setpriv = spawnSync('setpriv', ['--version']).status === 0;
const prefix = isRoot
  ? ['setpriv', '--bounding-set=-all', '--inh-caps=-all', '--securebits=+noroot,+noroot_locked']
  : undefined;

beforeAll(() => {
  ensureCliBuilt();
  writeFileSync(dir.file('locked.bin'), 'secret');
  chmodSync(dir.file('locked.bin'), 0o000);
  mkdirSync(dir.file('shut'), 0o555);
});
afterAll(() => {
  killAll();
  dir.cleanup();
});

it.skipIf(isRoot && !setpriv).each([
  // It said "EACCES".
  ['p2mpcheck client', 'p2mpcheck', ['client', '--port', '19960', '--file', 'locked.bin']],
  // It started the run, then ended with "unexpected error: EACCES: permission denied, open ..." and exit code 1.
  ['p2mplab', 'p2mplab', ['--file', 'locked.bin', '--out', 'results']],
])('%s --file of a file it may not read', async (_what, tool, args) => {
  const result = await run(`${root}/bin/${tool}.js`, args, {
    cwd: dir.path,
    timeoutMs: 10_000,
    ...(prefix ? { prefix } : {}),
  });
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(
    new RegExp(`^${tool}: cannot read (--file|file) ".*locked\\.bin": permission denied\\n$`),
  );
  expect(existsSync(dir.file('results'))).toBe(false);
});

// It named a file the user never gave: cannot write ".../shut/received-1.bin".
it.skipIf(isRoot && !setpriv)('p2mpserver into a folder it may not write: the folder is named', async () => {
  const result = await run(`${root}/bin/p2mpserver.js`, ['19961', 'shut', '0', '--bind', '127.0.0.13'], {
    cwd: dir.path,
    timeoutMs: 10_000,
    ...(prefix ? { prefix } : {}),
  });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^p2mpserver: cannot save into folder ".*\/shut": permission denied\n$/);
});
