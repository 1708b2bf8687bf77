// Real separate hosts: three receivers in three network namespaces, each with its own address on a private test
// subnet, joined by veth pairs to a bridge that also carries an address for the root namespace, where the sender
// runs. Needs root and `ip netns`; elsewhere the test is skipped with the reason. The namespaces, veths and the
// bridge are created with unique names by this file and always removed afterwards.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { clientBin, ensureCliBuilt, killAll, run, serverBin, summaryRow } from '../helpers/processes.js';

const N = 3;
const suffix = randomBytes(2).toString('hex'); // names stay under the 15-character limit of interfaces
const namespaces = Array.from({ length: N }, (_, i) => `p2mpt-${suffix}-${i}`);
const bridge = `p2b${suffix}`;
const rootVeths = Array.from({ length: N }, (_, i) => `p2v${suffix}${i}`);
const nsVeths = Array.from({ length: N }, (_, i) => `p2n${suffix}${i}`);

function ip(...args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}` };
}

/** Why the test cannot run here, or null. Probes with a namespace of its own, removed at once. */
function unavailable(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root (network namespaces need CAP_SYS_ADMIN)';
  const version = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return '`ip` (iproute2) is not installed';
  const probe = `p2mpt-${suffix}-probe`;
  const added = ip('netns', 'add', probe);
  if (!added.ok) return `\`ip netns add\` does not work here: ${added.out.trim()}`;
  ip('netns', 'del', probe);
  return null;
}

/** A /24 in 10.231.0.0/16 that no interface or route of this machine uses yet. */
function freeSubnet(): number {
  const used = `${ip('-4', 'addr').out}\n${ip('-4', 'route').out}`;
  for (let tries = 0; tries < 256; tries++) {
    const x = 1 + ((randomBytes(1)[0]! + tries) % 254);
    if (!used.includes(`10.231.${x}.`)) return x;
  }
  throw new Error('no free 10.231.x.0/24 subnet');
}

const reason = unavailable();
if (reason) console.log(`skipped network-namespace test: ${reason}`);

function cleanup(): string[] {
  killAll(); // the receivers inside the namespaces, by process id
  for (const ns of namespaces) ip('netns', 'del', ns); // also destroys the veth ends inside, and so their peers
  for (const veth of rootVeths) if (ip('link', 'show', veth).ok) ip('link', 'del', veth);
  if (ip('link', 'show', bridge).ok) ip('link', 'del', bridge);
  const left = ip('netns', 'list').out;
  const links = ip('-o', 'link').out;
  return [
    ...namespaces.filter((ns) => left.includes(ns)),
    ...[bridge, ...rootVeths].filter((l) => links.includes(l)),
  ];
}

describe.skipIf(reason !== null)('three receivers in three network namespaces', () => {
  const dir = tempDir();
  let subnet = 0;
  const address = (i: number): string => `10.231.${subnet}.${10 + i}`;

  beforeAll(() => {
    ensureCliBuilt();
    subnet = freeSubnet();
    const steps: string[][] = [
      ['link', 'add', bridge, 'type', 'bridge'],
      ['addr', 'add', `10.231.${subnet}.1/24`, 'dev', bridge],
      ['link', 'set', bridge, 'up'],
    ];
    for (let i = 0; i < N; i++)
      steps.push(
        ['netns', 'add', namespaces[i]!],
        ['link', 'add', rootVeths[i]!, 'type', 'veth', 'peer', 'name', nsVeths[i]!],
        ['link', 'set', rootVeths[i]!, 'master', bridge],
        ['link', 'set', rootVeths[i]!, 'up'],
        ['link', 'set', nsVeths[i]!, 'netns', namespaces[i]!],
        ['-n', namespaces[i]!, 'addr', 'add', `${address(i)}/24`, 'dev', nsVeths[i]!],
        ['-n', namespaces[i]!, 'link', 'set', nsVeths[i]!, 'up'],
        ['-n', namespaces[i]!, 'link', 'set', 'lo', 'up'],
      );
    for (const step of steps) {
      const r = ip(...step);
      if (!r.ok) {
        cleanup();
        throw new Error(`ip ${step.join(' ')} failed: ${r.out}`);
      }
    }
  });

  afterAll(() => {
    const left = cleanup();
    dir.cleanup();
    expect(left, 'network objects left behind').toEqual([]);
  });

  it('the root namespace discovers the receivers of each, and a file it sends arrives byte-identical in each', async () => {
    writeRandomFile(dir.file('input.bin'), 500_000);
    const port = 7735;
    const servers = namespaces.map((ns, i) =>
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
      ['--discover', '--json', '--discovery-interface', `10.231.${subnet}.1`],
      {
        cwd: dir.path,
      },
    );
    expect(listed.code, listed.stderr).toBe(0);
    const found = JSON.parse(listed.stdout) as { name: string; address: string; port: number }[];
    expect(found.map((r) => `${r.name} ${r.address}:${r.port}`)).toEqual(
      namespaces.map((_, i) => `pc-${i} ${address(i)}:${port}`),
    );
    const sent = await run(
      clientBin,
      [...namespaces.map((_, i) => address(i)), String(port), 'input.bin', '1000', '--timeout', '0.02'],
      { cwd: dir.path },
    );
    const received = await Promise.all(servers);
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    for (const [i, r] of received.entries()) {
      expect(r.code, r.stderr).toBe(0);
      expect(sha256(dir.file(`got-${i}.bin`))).toBe(sha256(dir.file('input.bin')));
      // The sender reached it from the root namespace's address on the bridge: a separate host.
      expect(r.stdout).toMatch(new RegExp(`^Receiving from 10\\.231\\.${subnet}\\.1:\\d+ into `, 'm'));
      expect(summaryRow(sent.stdout, address(i))![1]).toBe('done');
    }
    // Each namespace has its own network stack: its address is not on the root namespace's interfaces.
    expect(ip('-4', 'addr').out).not.toContain(address(0));
  });
});
