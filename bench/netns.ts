// Separate hosts on one machine: N network namespaces, each with its own address on a private test subnet
// (10.231.x.0/24, one no interface or route uses yet), joined by veth pairs to a bridge that also carries an address
// for the root namespace. Used by the namespace test (test/reliability/netns.test.ts) and the peers bench
// (bench/peers.ts). Needs root and iproute2; every name is unique to the run, and remove() takes it all away.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

function ip(...args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}` };
}

/** Why namespaces cannot be made here, or null. Probes with a namespace of its own, removed at once. */
export function namespacesUnavailable(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root (network namespaces need CAP_SYS_ADMIN)';
  const version = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return '`ip` (iproute2) is not installed';
  const probe = `p2mpt-${randomBytes(2).toString('hex')}-probe`;
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

export interface Hosts {
  /** The namespaces, to run a command in with `ip netns exec NAME`. */
  namespaces: string[];
  /** Each namespace's address on the bridge. */
  addresses: string[];
  /** Its interface (the namespace's end of its veth pair). */
  interfaces: string[];
  /** The root namespace's address on the bridge, and the bridge. */
  rootAddress: string;
  bridge: string;
  /** Removes everything made (kill the processes inside first); returns what could not be removed. */
  remove(): string[];
}

/** N hosts behind a bridge, or throws (having removed what it made) when a step fails. */
export function makeHosts(n: number): Hosts {
  const suffix = randomBytes(2).toString('hex'); // names stay under the 15-character limit of interfaces
  const namespaces = Array.from({ length: n }, (_, i) => `p2mpt-${suffix}-${i}`);
  const bridge = `p2b${suffix}`;
  const rootVeths = Array.from({ length: n }, (_, i) => `p2v${suffix}${i}`);
  const interfaces = Array.from({ length: n }, (_, i) => `p2n${suffix}${i}`);
  const subnet = freeSubnet();
  const addresses = namespaces.map((_, i) => `10.231.${subnet}.${10 + i}`);
  const remove = (): string[] => {
    for (const ns of namespaces) ip('netns', 'del', ns); // also destroys the veth ends inside, and so their peers
    for (const veth of rootVeths) if (ip('link', 'show', veth).ok) ip('link', 'del', veth);
    if (ip('link', 'show', bridge).ok) ip('link', 'del', bridge);
    const left = ip('netns', 'list').out;
    const links = ip('-o', 'link').out;
    return [
      ...namespaces.filter((ns) => left.includes(ns)),
      ...[bridge, ...rootVeths].filter((l) => links.includes(l)),
    ];
  };
  const steps: string[][] = [
    ['link', 'add', bridge, 'type', 'bridge'],
    // With a broadcast address, as on a LAN (without one, a program sending to it sends to 0.0.0.0).
    ['addr', 'add', `10.231.${subnet}.1/24`, 'broadcast', '+', 'dev', bridge],
    ['link', 'set', bridge, 'up'],
  ];
  for (let i = 0; i < n; i++)
    steps.push(
      ['netns', 'add', namespaces[i]!],
      ['link', 'add', rootVeths[i]!, 'type', 'veth', 'peer', 'name', interfaces[i]!],
      ['link', 'set', rootVeths[i]!, 'master', bridge],
      ['link', 'set', rootVeths[i]!, 'up'],
      ['link', 'set', interfaces[i]!, 'netns', namespaces[i]!],
      ['-n', namespaces[i]!, 'addr', 'add', `${addresses[i]}/24`, 'broadcast', '+', 'dev', interfaces[i]!],
      ['-n', namespaces[i]!, 'link', 'set', interfaces[i]!, 'up'],
      ['-n', namespaces[i]!, 'link', 'set', 'lo', 'up'],
    );
  for (const step of steps) {
    const r = ip(...step);
    if (!r.ok) {
      remove();
      throw new Error(`ip ${step.join(' ')} failed: ${r.out}`);
    }
  }
  return { namespaces, addresses, interfaces, rootAddress: `10.231.${subnet}.1`, bridge, remove };
}

/** The root namespace's IPv4 addresses, as `ip -4 addr` lists them. */
export const rootAddresses = (): string => ip('-4', 'addr').out;
