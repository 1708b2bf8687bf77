// p2mpserver's file-name as the file system sees it, in real processes: a name it cannot take is bad input (one
// line in words, exit code 2, nothing written), said before anything is bound, not when the first segment arrives.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../helpers/loopback.js';
import { ensureCliBuilt, killAll, run, serverBin } from '../helpers/processes.js';

const dir = tempDir();

beforeAll(ensureCliBuilt);
afterAll(() => {
  killAll();
  dir.cleanup();
});

it.each([
  // Beyond the file system's 255 bytes: it said "ENAMETOOLONG".
  ['a name too long for the file system', 300],
  // The name fits, its partial file ("<name>.part", or "<name>.<random>.part" when that is taken) does not: it
  // listened, and failed at the first segment ("cannot write ...part: ENAMETOOLONG", exit code 1).
  ['a name whose partial file would be too long', 250],
])('%s', async (_what, length) => {
  const name = 'n'.repeat(length);
  const result = await run(serverBin, ['19950', name, '0', '--bind', '127.0.0.12'], {
    cwd: dir.path,
    timeoutMs: 5_000,
  });
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^p2mpserver: cannot write ".*": the name is too long for the file system/);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(readdirSync(dir.path)).toEqual([]);
});
