// p2mpserver as a student runs it for a course sender (the reference client: a new socket per segment, no end
// marker), in real processes: what happens when its user stops it.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sha256, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { ensureCliBuilt, killAll, run, serverBin } from '../helpers/processes.js';
import { referenceSend } from '../helpers/referenceSender.js';

const dir = tempDir();
let port = 19_900;

beforeAll(ensureCliBuilt);
afterAll(() => {
  killAll();
  dir.cleanup();
});

it('Ctrl-C once the reference client is done (the default 10 s of silence not waited out) keeps the file, unverified', async () => {
  // The reference server never exits: its users press Ctrl-C once their client has finished. That removed the
  // whole file, as a failed transfer ("stopped by the receiver's user").
  port++;
  writeRandomFile(dir.file('sent.bin'), 5_000);
  const srv = run(
    serverBin,
    [String(port), 'got.bin', '0', '--bind', '127.0.0.11', '--profile', 'seed-text'],
    {
      cwd: dir.path,
      timeoutMs: 20_000,
    },
  );
  await srv.listening;
  await referenceSend({
    file: dir.file('sent.bin'),
    receivers: [{ address: '127.0.0.11', port }],
    mss: 500,
    profile: 'seed-text',
  });
  srv.kill('SIGINT');
  const result = await srv;
  expect(result.code, result.stderr).toBe(3);
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(
    /^Received got\.bin: 5000 bytes .*\(unverified: its sender sent no end marker, so it may be incomplete\)$/m,
  );
  expect(sha256(dir.file('got.bin'))).toBe(sha256(dir.file('sent.bin')));
  expect(existsSync(dir.file('got.bin.part'))).toBe(false);
});
