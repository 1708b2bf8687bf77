// p2mpclient to a port nothing listens on (mistyped, or its server not started yet), in real processes: it says so
// at its third timeout instead of only timing out until it gives up, and a server started then still gets the file.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sha256, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { clientBin, ensureCliBuilt, killAll, run, serverBin, waitFor } from '../helpers/processes.js';

const dir = tempDir();
const port = 19_745;

beforeAll(ensureCliBuilt);
afterAll(() => {
  killAll();
  dir.cleanup();
});

it('says at once that nothing listens on the port, and goes on trying: a server started then gets the file', async () => {
  writeRandomFile(dir.file('early.bin'), 20_000);
  const client = run(
    clientBin,
    ['127.0.0.25', String(port), 'early.bin', '1000', '--no-offer', '--receiver-timeout', '20'],
    { cwd: dir.path, timeoutMs: 30_000 },
  );
  const said =
    `Server 127.0.0.25: nothing is listening on 127.0.0.25:${port} (its host says the port is closed): is ` +
    'p2mpserver running there, on that port? Still trying: it is given up on after 20.0 s without an ACK';
  expect(await waitFor(() => client.stdout.includes(said), 10_000), client.stdout).toBe(true);
  const server = run(serverBin, [String(port), 'late.bin', '0', '--bind', '127.0.0.25'], { cwd: dir.path });
  await server.listening;
  const sent = await client;
  expect(sent.code, sent.stdout + sent.stderr).toBe(0);
  expect((await server).code).toBe(0);
  expect(sha256(dir.file('late.bin'))).toBe(sha256(dir.file('early.bin')));
  // Said once.
  expect(sent.stdout.split(said).length - 1).toBe(1);
});
