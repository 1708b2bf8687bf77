// p2mpserver --announce and p2mpclient --discover as a lab admin runs them: separate processes, loopback only
// (--discovery-interface 127.0.0.1), a discovery port of the test's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { clientBin, ensureCliBuilt, killAll, run as runProcess, serverBin } from '../helpers/processes.js';

const dir = tempDir();
const discovery = ['--discovery-port', '47781', '--discovery-interface', '127.0.0.1'];
const run = (bin: string, args: string[]) => runProcess(bin, args, { cwd: dir.path, timeoutMs: 20_000 });

beforeAll(ensureCliBuilt);
afterAll(() => {
  killAll();
  dir.cleanup();
});

describe('finding receivers on the network', () => {
  it('--discover lists the announcing servers, and the command it prints sends to them', async () => {
    const port = 17_835;
    const servers = [2, 3, 4].map((i) =>
      run(serverBin, [
        String(port + (i === 4 ? 1 : 0)),
        `got-${i}.bin`,
        '0',
        '--bind',
        `127.0.0.${i}`,
        '--announce',
        '--name',
        `Room 2.14 PC ${i}`,
        ...discovery,
      ]),
    );
    // Not announced: found by nobody.
    const quiet = run(serverBin, [String(port), 'quiet.bin', '0', '--bind', '127.0.0.5']);
    await Promise.all([...servers, quiet].map((s) => s.listening));

    const listed = await run(clientBin, ['--discover', ...discovery]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')).toEqual([
      '3 receivers answered within 2 s:',
      'NAME            ADDRESS    PORT   PROFILE   CODE  STATE',
      'Room 2.14 PC 2  127.0.0.2  17835  standard  no    free',
      'Room 2.14 PC 3  127.0.0.3  17835  standard  no    free',
      'Room 2.14 PC 4  127.0.0.4  17836  standard  no    free',
      '',
      'To send to the free ones: p2mpclient 127.0.0.2 127.0.0.3 127.0.0.4:17836 17835 FILE MSS',
      '',
    ]);
    const json = await run(clientBin, ['--discover', '--json', '--wait', '1', ...discovery]);
    const found = JSON.parse(json.stdout) as { name: string; address: string; port: number; busy: boolean }[];
    expect(found.map((r) => [r.name, r.address, r.port, r.busy])).toEqual([
      ['Room 2.14 PC 2', '127.0.0.2', 17835, false],
      ['Room 2.14 PC 3', '127.0.0.3', 17835, false],
      ['Room 2.14 PC 4', '127.0.0.4', 17836, false],
    ]);

    writeRandomFile(dir.file('input.bin'), 30_000);
    const command = /p2mpclient (.*) FILE MSS$/m.exec(listed.stdout)![1]!.split(' ');
    const sent = await run(clientBin, [...command, 'input.bin', '500']);
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    const received = await Promise.all(servers);
    expect(received[0]!.stdout).toMatch(
      /^Announcing "Room 2\.14 PC 2" on the local network \(discovery port 47781\)$/m,
    );
    for (const [i, r] of received.entries()) {
      expect(r.code, r.stderr).toBe(0);
      expect(sha256(dir.file(`got-${i + 2}.bin`))).toBe(sha256(dir.file('input.bin')));
    }
    quiet.kill();
  });

  it('a server bound by host name (--bind localhost) is listed at the address it listens on', async () => {
    // It announced the name itself as its address: no sender took that for one, and nobody listed it.
    const announced = ['--discovery-port', '19841', '--discovery-interface', '127.0.0.1'];
    const server = run(serverBin, [
      '19842',
      'named.bin',
      '0',
      '--bind',
      'localhost',
      '--announce',
      ...announced,
    ]);
    await server.listening;
    const json = await run(clientBin, ['--discover', '--json', '--wait', '1', ...announced]);
    server.kill();
    await server;
    const found = JSON.parse(json.stdout) as { address: string; port: number; addresses: string[] }[];
    expect(found.map((r) => [r.address, r.port, r.addresses])).toEqual([['127.0.0.1', 19842, ['127.0.0.1']]]);
  });

  it('says plainly when nobody answered, exit 1', async () => {
    const result = await run(clientBin, [
      '--discover',
      '--wait',
      '0.3',
      '--discovery-port',
      '47782',
      '--discovery-interface',
      '127.0.0.1',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      "No receivers answered within 0.3 s (start them with p2mpserver ... --announce or the app's Receive mode, on this network)\n",
    );
  });

  it.each([
    [
      '--discover with servers',
      clientBin,
      ['--discover', '127.0.0.2'],
      /^p2mpclient: --discover takes no servers, port, file or MSS$/,
    ],
    [
      'a discovery port of 0',
      clientBin,
      ['--discover', '--discovery-port', '0'],
      /^p2mpclient: --discovery-port must be/,
    ],
    [
      'an interface this machine does not have',
      serverBin,
      ['7735', 'x.bin', '0', '--announce', '--discovery-interface', '192.0.2.1'],
      /^p2mpserver: --discovery-interface: no IPv4 interface of this machine has address 192\.0\.2\.1$/,
    ],
    [
      'an unprintable name',
      serverBin,
      ['7735', 'x.bin', '0', '--announce', '--name', '\u0007'],
      /^p2mpserver: --name must contain a printable character$/,
    ],
  ])('bad input: %s gives one line, exit 2', async (_name, bin, args, message) => {
    const result = await run(bin, args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(message);
  });
});
