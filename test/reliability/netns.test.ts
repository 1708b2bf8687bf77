// Real separate hosts: three receivers in three network namespaces behind a bridge (bench/netns.ts), the sender in
// the root namespace. Needs root and `ip netns`; elsewhere the test is skipped with the reason. Everything it
// makes has names of its own and is always removed afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHosts, namespacesUnavailable, rootAddresses, type Hosts } from '../../bench/netns.js';
import { sha256, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { clientBin, ensureCliBuilt, killAll, run, serverBin, summaryRow } from '../helpers/processes.js';

const N = 3;
const reason = namespacesUnavailable();
if (reason) console.log(`skipped network-namespace test: ${reason}`);

describe.skipIf(reason !== null)('three receivers in three network namespaces', () => {
  const dir = tempDir();
  let hosts: Hosts;
  const address = (i: number): string => hosts.addresses[i]!;

  beforeAll(() => {
    ensureCliBuilt();
    hosts = makeHosts(N);
  });

  afterAll(() => {
    killAll(); // the receivers inside the namespaces, by process id
    const left = hosts.remove();
    dir.cleanup();
    expect(left, 'network objects left behind').toEqual([]);
  });

  it('the root namespace discovers the receivers of each, and a file it sends arrives byte-identical in each', async () => {
    writeRandomFile(dir.file('input.bin'), 500_000);
    const port = 7735;
    const servers = hosts.namespaces.map((ns, i) =>
      run(
        serverBin,
        [
          String(port),
          `got-${i}.bin`,
          '0.05',
          '--bind',
          address(i),
          '--seed',
          String(i),
          '--announce',
          '--name',
          `pc-${i}`,
        ],
        { cwd: dir.path, prefix: ['ip', 'netns', 'exec', ns] },
      ),
    );
    await Promise.all(servers.map((s) => s.listening));
    // Discovery crosses the bridge by multicast and broadcast, from the root namespace's address on it.
    const listed = await run(
      clientBin,
      ['--discover', '--json', '--discovery-interface', hosts.rootAddress],
      {
        cwd: dir.path,
      },
    );
    expect(listed.code, listed.stderr).toBe(0);
    const found = JSON.parse(listed.stdout) as { name: string; address: string; port: number }[];
    expect(found.map((r) => `${r.name} ${r.address}:${r.port}`)).toEqual(
      hosts.namespaces.map((_, i) => `pc-${i} ${address(i)}:${port}`),
    );
    const sent = await run(
      clientBin,
      [...hosts.addresses, String(port), 'input.bin', '1000', '--timeout', '0.02'],
      { cwd: dir.path },
    );
    const received = await Promise.all(servers);
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    for (const [i, r] of received.entries()) {
      expect(r.code, r.stderr).toBe(0);
      expect(sha256(dir.file(`got-${i}.bin`))).toBe(sha256(dir.file('input.bin')));
      // The sender reached it from the root namespace's address on the bridge: a separate host.
      expect(r.stdout).toMatch(
        new RegExp(`^Receiving from ${hosts.rootAddress.replace(/\./g, '\\.')}:\\d+ into `, 'm'),
      );
      expect(summaryRow(sent.stdout, address(i))![1]).toBe('done');
    }
    // Each namespace has its own network stack: its address is not on the root namespace's interfaces.
    expect(rootAddresses()).not.toContain(address(0));
  });
});
