// A sender that stops before its file is through tells its receivers (P2MPCAN1), in real processes: what each
// receiver is told, when, and what it says.
import { existsSync, mkdirSync, truncateSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir, writeRandomFile } from '../helpers/loopback.js';
import { clientBin, ensureCliBuilt, killAll, run, serverBin, sizeOf, waitFor } from '../helpers/processes.js';
import { SENDER_STOPPED, startReceiver } from '../../src/shared/node/receiver.js';

const dir = tempDir();
let port = 19_700;

beforeAll(ensureCliBuilt);
afterAll(() => {
  killAll();
  dir.cleanup();
});

it("Ctrl-C while a receiver's user decides takes the question down at once, not after the sender's silence", async () => {
  // The sender told only the receivers that had accepted: a question stayed on screen until the receiver noticed
  // the offers had stopped (5 s at the least), and could still be accepted meanwhile.
  port++;
  writeRandomFile(dir.file('asked.bin'), 50_000);
  mkdirSync(dir.file('asked'));
  let asked: (withdrawn: AbortSignal) => void = () => undefined;
  const question = new Promise<AbortSignal>((resolve) => (asked = resolve));
  const receiver = await startReceiver({
    port,
    bind: '127.0.0.21',
    destination: () => dir.file('asked/received.bin'),
    folder: dir.file('asked'),
    p: 0,
    decide: (_offer, withdrawn) => (asked(withdrawn), new Promise<boolean>(() => undefined)),
  });
  try {
    const sender = run(clientBin, ['127.0.0.21', String(port), 'asked.bin', '1000'], { cwd: dir.path });
    const withdrawn = await question;
    sender.kill('SIGINT');
    expect((await sender).code).toBe(1);
    expect(await waitFor(() => withdrawn.aborted, 2_000)).toBe(true);
    expect(withdrawn.reason).toBe(SENDER_STOPPED);
  } finally {
    await receiver.stop();
  }
});

it('a file that shrinks mid-send: the server says its sender could not read it, not that its user cancelled', async () => {
  port++;
  const file = dir.file('shrinks.bin');
  writeRandomFile(file, 3_000_000);
  const srv = run(serverBin, [String(port), 'shrunk.bin', '0', '--bind', '127.0.0.21'], { cwd: dir.path });
  await srv.listening;
  const sender = run(clientBin, ['127.0.0.21', String(port), 'shrinks.bin', '1000'], { cwd: dir.path });
  expect(await waitFor(() => sizeOf(dir.file('shrunk.bin.part')) >= 100_000, 15_000)).toBe(true);
  truncateSync(file, 50_000);
  const sent = await sender;
  expect(sent.code).toBe(1);
  expect(sent.stderr).toMatch(/it shrank while it was being sent/);
  expect(await waitFor(() => /transfer failed/.test(srv.stderr), 15_000)).toBe(true);
  expect(srv.stderr).toBe(
    'p2mpserver: transfer failed: its sender could not read its file any more; the partial file was removed ' +
      '(still listening)\n',
  );
  expect(existsSync(dir.file('shrunk.bin.part'))).toBe(false);
  srv.kill('SIGINT');
  await srv;
});

it('Ctrl-C with a server that never answered: its time in the summary is how long it was tried, not 0.000 s', async () => {
  port++;
  writeRandomFile(dir.file('unheard.bin'), 500);
  const sender = run(clientBin, ['127.0.0.22', String(port), 'unheard.bin', '500'], { cwd: dir.path });
  // Its timeouts are printed as they come: a few of them, and it has been tried for over half a second.
  expect(await waitFor(() => (sender.stdout.match(/^Timeout/gm)?.length ?? 0) >= 5, 10_000)).toBe(true);
  sender.kill('SIGINT');
  const result = await sender;
  expect(result.code).toBe(1);
  const row = /^127\.0\.0\.22\s+failed\b.*\s(\d+\.\d+) s$/m.exec(result.stdout);
  expect(row, result.stdout).not.toBeNull();
  expect(Number(row![1])).toBeGreaterThanOrEqual(0.5);
});

it('Ctrl-C while an absent server holds a Go-Back-N send: the server that has the whole file is done, and said so', async () => {
  // A cancel marked every receiver cancelled, the one that had the file verified and kept too.
  port++;
  writeRandomFile(dir.file('half.bin'), 3_000);
  mkdirSync(dir.file('half'));
  const receiver = await startReceiver({
    port,
    bind: '127.0.0.24',
    destination: () => dir.file('half/received.bin'),
    folder: dir.file('half'),
    p: 0,
  });
  try {
    // 127.0.0.25 has nobody listening: it holds the transfer (30 s) once 127.0.0.24 has all 3 segments and the end.
    const sender = run(
      clientBin,
      ['127.0.0.24', '127.0.0.25', String(port), 'half.bin', '1000', '--protocol', 'gbn'],
      { cwd: dir.path },
    );
    expect(await waitFor(() => existsSync(dir.file('half/half.bin')), 15_000)).toBe(true);
    sender.kill('SIGINT');
    const result = await sender;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^127\.0\.0\.24\s+done\b/m);
    expect(result.stdout).toMatch(/^127\.0\.0\.25\s+failed\b/m);
    expect(result.stdout).toMatch(/^Cancelled: 1 of 2 servers have the complete file, the others do not\.$/m);
  } finally {
    await receiver.stop();
  }
});
