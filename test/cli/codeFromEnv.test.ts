// p2mpclient with a session code it was not given on its command line: P2MP_CODE left set from an earlier
// session. It sealed every datagram silently, so the course's plain command line to course servers failed 10 s
// later ("no answer sealed with the session code"), with nothing naming the variable.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir, writeRandomFile } from '../helpers/loopback.js';
import { clientBin, ensureCliBuilt, killAll, run, serverBin } from '../helpers/processes.js';

const dir = tempDir();
const CODE = '7K3M-Q9XD-2HFA';

beforeAll(ensureCliBuilt);
afterAll(() => {
  killAll();
  dir.cleanup();
});

it('says once on stderr that the code comes from P2MP_CODE, and not when --code gives it', async () => {
  writeRandomFile(dir.file('sent.bin'), 3_000);
  let port = 19_890;
  for (const [args, env, said] of [
    [[], { P2MP_CODE: CODE }, true],
    [['--code', CODE], {}, false],
  ] as const) {
    port++;
    const server = run(serverBin, [String(port), 'got.bin', '0', '--bind', '127.0.0.41', '--code', CODE], {
      cwd: dir.path,
      timeoutMs: 20_000,
    });
    await server.listening;
    const sent = await run(clientBin, ['127.0.0.41', String(port), 'sent.bin', '500', '--quiet', ...args], {
      cwd: dir.path,
      timeoutMs: 20_000,
      env: { P2MP_CODE: '', ...env },
    });
    expect(sent.code).toBe(0);
    expect(sent.stderr).toBe(
      said
        ? 'p2mpclient: sending with the session code in P2MP_CODE: only servers started with that code take part, ' +
            'course servers none (unset P2MP_CODE to send without a code)\n'
        : '',
    );
    expect((await server).code).toBe(0);
  }
});
