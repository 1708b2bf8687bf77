// npm run bench:peers: one file to three hosts (network namespaces behind a bridge: bench/netns.ts), sent by us, by
// UFTP (Debian's uftp and uftpd) and by udpcast (udp-sender, udp-receiver) in the same run, runs interleaved, each from the sender's start to its exit,
// every copy then checked byte for byte. New receivers for every run. Needs root and iproute2; a peer whose program
// is missing is named and left out. No loss is simulated: the peers have no such knob, so p = 0 for ours too.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { makeHosts, namespacesUnavailable, type Hosts } from './netns.js';

const N = 3;
const SIZE = Number(process.env.BENCH_PEERS_SIZE ?? 20 << 20);
const REPEAT = Number(process.env.BENCH_PEERS_REPEAT ?? 5);
const PORT = 7735;
const MSS = 1400; // UFTP's default block is 1300 bytes; both fit one Ethernet frame
const cli = (name: string): string => join(__dirname, '../src/cli', `${name}.js`);

interface Peer {
  name: string;
  /** The program it needs. */
  needs: string;
  /** The receivers, started in the hosts' namespaces, writing into `dirs`; resolves once they listen. */
  receive(hosts: Hosts, dirs: string[]): Promise<ChildProcess[]>;
  /** The sender's command line, run in the root namespace. */
  send(hosts: Hosts, file: string): string[];
  /** Where receiver `i` keeps the file. */
  output(dirs: string[], i: number): string;
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 500));

const inNamespace = (ns: string, command: string[]): ChildProcess =>
  spawn('ip', ['netns', 'exec', ns, ...command], { stdio: ['ignore', 'pipe', 'pipe'] });

/** p2mpserver in each namespace, into its folder; ready at its first line. */
function ourReceivers(hosts: Hosts, dirs: string[]): Promise<ChildProcess[]> {
  return Promise.all(
    hosts.namespaces.map((ns, i) => {
      const child = inNamespace(ns, [process.execPath, cli('server'), String(PORT), dirs[i]!, '0']);
      return new Promise<ChildProcess>((resolve, reject) => {
        child.stdout!.once('data', () => resolve(child));
        child.stdout!.resume();
        child.stderr!.resume();
        child.once('exit', (code) => reject(new Error(`p2mpserver exited with ${code}`)));
      });
    }),
  );
}

const ours = (name: string, protocol: string[]): Peer => ({
  name,
  needs: process.execPath,
  receive: ourReceivers,
  send: (hosts, file) => [
    process.execPath,
    cli('client'),
    ...hosts.addresses,
    String(PORT),
    file,
    String(MSS),
    ...protocol,
    '--bind',
    hosts.rootAddress,
    '--quiet',
  ],
  output: (dirs, i) => join(dirs[i]!, 'input.bin'),
});

/** uftpd in each namespace, in the foreground, on its interface (it prints nothing when ready: see settle). */
function uftpReceivers(hosts: Hosts, dirs: string[]): Promise<ChildProcess[]> {
  const children = hosts.namespaces.map((ns, i) =>
    inNamespace(ns, ['uftpd', '-d', '-x', '0', '-D', dirs[i]!, '-I', hosts.interfaces[i]!]),
  );
  for (const child of children) {
    child.stdout!.resume();
    child.stderr!.resume();
  }
  return Promise.resolve(children);
}

const uftp = (name: string, options: string[]): Peer => ({
  name,
  needs: 'uftp',
  receive: uftpReceivers,
  send: (hosts, file) => [
    'uftp',
    ...options,
    '-x',
    '0',
    '-I',
    hosts.bridge,
    '-H',
    hosts.addresses.join(','),
    file,
  ],
  output: (dirs, i) => join(dirs[i]!, 'input.bin'),
});

/** udp-receiver in each namespace (its sender also waits until all N have connected). */
function udpcastReceivers(hosts: Hosts, dirs: string[]): Promise<ChildProcess[]> {
  const children = hosts.namespaces.map((ns, i) =>
    inNamespace(ns, [
      'udp-receiver',
      '--interface',
      hosts.interfaces[i]!,
      '--file',
      join(dirs[i]!, 'input.bin'),
      '--nokbd',
    ]),
  );
  for (const child of children) {
    child.stdout!.resume();
    child.stderr!.resume();
  }
  return Promise.resolve(children);
}

const udpcast: Peer = {
  name: 'udpcast 20120424 (its defaults)',
  needs: 'udp-sender',
  receive: udpcastReceivers,
  send: (hosts, file) => [
    'udp-sender',
    '--interface',
    hosts.bridge,
    '--file',
    file,
    '--nokbd',
    '--min-receivers',
    String(N),
  ],
  output: (dirs, i) => join(dirs[i]!, 'input.bin'),
};

const PEERS: Peer[] = [
  ours('ours, Selective Repeat over multicast (window 256)', ['--protocol', 'sr', '--window', '256']),
  ours('ours, stop-and-wait (the course protocol)', []),
  uftp('UFTP 4.10, no rate limit (-R -1)', ['-R', '-1']),
  uftp('UFTP 4.10, its congestion control (-C tfmcc)', ['-C', 'tfmcc']),
  udpcast,
];

const missing = (command: string): boolean => spawnSync('which', [command]).status !== 0;
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function stop(children: ChildProcess[]): Promise<unknown> {
  return Promise.all(
    children.map((child) =>
      child.exitCode !== null || child.signalCode !== null
        ? undefined
        : new Promise((resolve) => {
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
    ),
  );
}

/** One run of `peer`: the sender's wall time in ms; throws unless every copy is the file. */
async function once(peer: Peer, hosts: Hosts, file: string, work: string, run: string): Promise<number> {
  const dirs = hosts.namespaces.map((_, i) => join(work, `${run}-${i}`));
  for (const dir of dirs) mkdirSync(dir);
  const receivers = await peer.receive(hosts, dirs);
  // The same settling time for every peer's receivers (uftpd needs it), so no sender races its receivers' start.
  await settle();
  try {
    // The file by its name, in its folder: UFTP keeps the path it is given under the receiver's folder.
    const [command, ...args] = peer.send(hosts, basename(file));
    const start = performance.now();
    const sender = spawnSync(command!, args, { cwd: dirname(file), encoding: 'utf8', timeout: 300_000 });
    const wall = performance.now() - start;
    if (sender.status !== 0)
      throw new Error(`${peer.name}: exit ${sender.status}\n${sender.stdout}${sender.stderr}`);
    const want = sha256(file);
    for (const [i] of dirs.entries())
      if (sha256(peer.output(dirs, i)) !== want)
        throw new Error(`${peer.name}: receiver ${i} got another file`);
    return wall;
  } finally {
    await stop(receivers);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const unavailable = namespacesUnavailable();
  if (unavailable) return console.log(`bench:peers needs network namespaces: ${unavailable}`);
  const peers = PEERS.filter((p) => !missing(p.needs));
  for (const peer of PEERS.filter((p) => !peers.includes(p)))
    console.log(`${peer.needs} is not installed (apt-get install uftp udpcast): "${peer.name}" is left out`);
  const work = mkdtempSync(join(tmpdir(), 'p2mp-peers-'));
  const hosts = makeHosts(N);
  try {
    const file = join(work, 'input.bin');
    writeFileSync(file, randomBytes(SIZE));
    const walls = peers.map(() => [] as number[]);
    // Interleaved, the order reversed every other run: a busy moment of the machine hits every peer alike.
    for (let run = 0; run < REPEAT; run++) {
      const order = [...peers.entries()];
      if (run % 2 === 1) order.reverse();
      for (const [k, peer] of order) walls[k]!.push(await once(peer, hosts, file, work, `${run}-${k}`));
    }
    const mib = SIZE / (1 << 20);
    console.log(
      `${mib.toFixed(1)} MiB to ${N} hosts (network namespaces behind a bridge), p = 0; median of ${REPEAT} ` +
        "interleaved runs, from the sender's start to its exit, every copy byte-identical\n",
    );
    for (const [k, peer] of peers.entries()) {
      const ms = median(walls[k]!);
      const mbit = (SIZE * 8) / (ms / 1000) / 1e6;
      console.log(
        `${peer.name.padEnd(52)} ${(ms / 1000).toFixed(3).padStart(7)} s  ${mbit.toFixed(0).padStart(5)} Mbit/s`,
      );
    }
  } finally {
    const left = hosts.remove();
    rmSync(work, { recursive: true, force: true });
    if (left.length) console.log(`could not remove: ${left.join(', ')}`);
  }
}

if (require.main === module) void main();
