// The floor a stop-and-wait sender is measured against, in the same run: a minimal ping-pong. One socket sends
// a data-sized datagram to N echo receivers (separate processes, like ours), waits for every 8-byte answer, and
// sends the next: no file, no checksum, no events, no timers. Whatever our sender costs per round beyond this is
// the implementation's; windowBlast is the same for a windowed protocol. Run as a child process (`node floor.js
// echo ADDRESS PORT`) it is one echo receiver. lossyPingPong is the floor of stop-and-wait under loss: the same
// ping-pong with the course's timeout and retransmission rule, its echoes dropping what ours would drop.
// `sealed` is the floor of a transfer with a session code: the same ping-pong, each datagram sealed and opened
// with the AEAD ours uses (sessionCrypto.ts's seal and open) and nothing else, so the cost of the cryptography
// itself on this machine can be read beside what our session layer adds. Sealed 'data' seals the segments and
// nothing else (the answers go plain): the least any design pays that encrypts each segment for each receiver,
// however cheaply it authenticates the ACKs.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createLossModel } from '../src/shared/network/lossModel.js';
import { open, seal } from '../src/shared/node/sessionCrypto.js';
import {
  BY_RECEIVER,
  BY_SENDER,
  counterOf,
  encodeHeader,
  writeCounter,
} from '../src/shared/session/envelope.js';
import { seededRandom } from '../src/shared/network/random.js';

/** The sealed floors: every datagram sealed ('all'), or only the segments ('data'). */
export type Sealing = 'all' | 'data';

/** What an echo does beyond answering (windowBlast's echoes). */
export interface EchoMode {
  /** Echoes started with it also join FLOOR_GROUP on this port. */
  groupPort?: number;
  /** Answer every this many segments (cumulatively, and the last one) instead of each. */
  ackEvery?: number;
  /** Keep the payload as a receiver must: hashed (SHA-256) and written to "<keepDir>/echo-ADDRESS.bin" 256 KiB at a time. */
  keepDir?: string;
  /**
   * Drop each arriving datagram with this probability, as our receivers do (the same loss model), seeded 1, 2, ...
   * in the order the echoes start: the seeds the bench gives its receivers, so both see the same drops.
   */
  lossP?: number;
  /** Open each datagram, and seal each answer unless 'data' (the sealed floors: see the top of this file). */
  sealed?: Sealing;
}

/**
 * The sealed floor's key and headers: fixed (what is measured is the AEAD, not key handling), so every echo
 * reuses the nonces of the others under the same key. Harmless here, as nothing is secret; never do it elsewhere.
 */
const FLOOR_KEY = Buffer.alloc(32, 7);
/** One party's sealing: its header, the counter in it moving on by one per datagram. */
function floorSealer(kind: typeof BY_SENDER | typeof BY_RECEIVER): (inner: Uint8Array) => Buffer {
  const header = encodeHeader({ kind, salt: new Uint8Array(16), party: Uint8Array.of(kind), counter: 0 });
  let counter = 0;
  return (inner) => {
    writeCounter(header, 30, ++counter);
    return seal(FLOOR_KEY, header, counter, inner);
  };
}
/** Opens a sealed floor datagram in place; a failure would mean the floor measured something else. */
function floorOpen(envelope: Buffer): Buffer {
  const inner = open(FLOOR_KEY, envelope, counterOf(envelope));
  if (inner === null) throw new Error('the sealed floor could not open its own datagram');
  return inner;
}

/** What one AEAD call costs (median ns): a data segment sealed, its envelope opened. */
export interface AeadCost {
  seal: number;
  open: number;
}

/**
 * One AEAD call's cost back to back (caches and predictors warm) and as the first call after a 1 ms sleep, as
 * most calls in a ping-pong run: each process wakes for one datagram, and what it runs then runs slower than in a
 * loop.
 */
export async function aeadCallCost(length: number, calls = 400): Promise<{ hot: AeadCost; woken: AeadCost }> {
  const sealNext = floorSealer(BY_SENDER);
  const inner = Buffer.alloc(length);
  const timed = (call: () => unknown): number => {
    const at = process.hrtime.bigint();
    call();
    return Number(process.hrtime.bigint() - at);
  };
  const sealOne = (): number => timed(() => sealNext(inner));
  const openOne = (): number => {
    const envelope = sealNext(inner);
    return timed(() => floorOpen(envelope));
  };
  const median = (values: number[]): number => values.sort((a, b) => a - b)[values.length >> 1]!;
  const hotly = (call: () => number): number => median(Array.from({ length: calls }, call));
  const woken = async (call: () => number): Promise<number> => {
    const samples: number[] = [];
    for (let i = 0; i < calls; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      samples.push(call());
    }
    return median(samples);
  };
  for (let i = 0; i < 10 * calls; i++) openOne();
  const hot = { seal: hotly(sealOne), open: hotly(openOne) };
  return { hot, woken: { seal: await woken(sealOne), open: await woken(openOne) } };
}

export async function startEchoes(n: number, port: number, mode: EchoMode = {}): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const child = spawn(
        process.execPath,
        [__filename, 'echo', `127.0.0.${i + 2}`, String(port), JSON.stringify(mode), String(1 + i)],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      return new Promise<ChildProcess>((resolve, reject) => {
        child.stdout!.once('data', () => resolve(child));
        child.once('exit', (code) => reject(new Error(`echo receiver exited with ${code}`)));
      });
    }),
  );
}

/**
 * `rounds` rounds of one datagram of `length` bytes to each of `n` echoes on 127.0.0.2.. : wall ms. `sealed`
 * (echoes started with the same): each round's datagram sealed once for all, and with 'all' each answer opened.
 */
export async function pingPong(
  n: number,
  port: number,
  rounds: number,
  length: number,
  sealed?: Sealing,
): Promise<number> {
  const sealNext = sealed ? floorSealer(BY_SENDER) : null;
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const datagram = Buffer.alloc(length);
  const hosts = Array.from({ length: n }, (_, i) => `127.0.0.${i + 2}`);
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let round = 0;
    let pending = 0;
    const next = (): void => {
      if (round++ === rounds) return resolve();
      datagram.writeUInt32BE(round, 0);
      pending = n;
      const out = sealNext ? sealNext(datagram) : datagram;
      for (const host of hosts) socket.send(out, port, host);
    };
    socket.on('message', (msg) => {
      if (sealed === 'all') floorOpen(msg);
      if (--pending === 0) next();
    });
    next();
  });
  const wall = performance.now() - start;
  socket.close();
  return wall;
}

/**
 * Stop-and-wait under loss at its floor: `rounds` rounds of a `length`-byte datagram to `n` echoes started with
 * `lossP`, the course's rule and nothing else: a round ends when every echo has answered it; after `timeoutMs`
 * without that, it goes again to those that have not, and the timer is armed again. Wall ms and timeouts.
 */
export async function lossyPingPong(
  n: number,
  port: number,
  rounds: number,
  length: number,
  timeoutMs: number,
): Promise<{ wallMs: number; timeouts: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const datagram = Buffer.alloc(length);
  const hosts = Array.from({ length: n }, (_, i) => `127.0.0.${i + 2}`);
  const answered = hosts.map(() => false);
  let timeouts = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let round = 0;
    let pending = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (): void => {
      timer = setTimeout(() => {
        timeouts++;
        hosts.forEach((host, i) => answered[i] || socket.send(datagram, port, host));
        arm();
      }, timeoutMs);
    };
    const next = (): void => {
      clearTimeout(timer);
      if (round++ === rounds) return resolve();
      datagram.writeUInt32BE(round, 0);
      pending = n;
      answered.fill(false);
      for (const host of hosts) socket.send(datagram, port, host);
      arm();
    };
    socket.on('message', (msg, from) => {
      const i = hosts.indexOf(from.address);
      if (msg.readUInt32BE(0) !== round || answered[i]) return; // a late answer to a round already over
      answered[i] = true;
      if (--pending === 0) next();
    });
    next();
  });
  const wallMs = performance.now() - start;
  socket.close();
  return { wallMs, timeouts };
}

/** The floor's multicast group: echoes started with it join it, and windowBlast given it sends each segment once. */
export const FLOOR_GROUP = '239.255.77.77';

/**
 * The floor of a windowed transfer: `segments` datagrams of `length` bytes to each of `n` echoes (started with
 * the same `mode`), at most `window` unanswered per echo, no loss handling: wall ms and the sender's CPU ms. With
 * `mode.groupPort`, each segment goes once to FLOOR_GROUP there instead of once per echo; with `mode.ackEvery`,
 * an answer covers that many segments (the last one is flagged so that it is answered too); with `file`, the
 * payloads are read from it, a MiB at a time, as a sender must.
 */
export async function windowBlast(
  n: number,
  port: number,
  segments: number,
  length: number,
  window: number,
  mode: EchoMode & { file?: string } = {},
): Promise<{ wallMs: number; cpuMs: number }> {
  const { groupPort, file } = mode;
  // The receive buffer ours asks for: at W = 256 an answer per segment from 3 echoes overflows the default.
  const socket = createSocket({ type: 'udp4', recvBufferSize: 1 << 22 });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  if (groupPort !== undefined) socket.setMulticastInterface('127.0.0.1');
  const hosts = Array.from({ length: n }, (_, i) => `127.0.0.${i + 2}`);
  const answered = hosts.map(() => 0);
  const fd = file === undefined ? null : openSync(file, 'r');
  const block = Buffer.alloc(fd === null ? 0 : (1 << 20) - ((1 << 20) % (length - 8)));
  let blockAt = block.length;
  let sent = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  await new Promise<void>((resolve, reject) => {
    const fill = (): void => {
      // The next segment goes to everyone once every echo has room for it.
      while (sent < segments && answered.every((a) => sent - a < window)) {
        // A buffer each: dgram sends it on a later tick, when the next one is being filled.
        const datagram = Buffer.allocUnsafe(length).fill(0, 0, 8);
        datagram.writeUInt32BE(++sent, 0);
        datagram[4] = sent === segments ? 1 : 0;
        if (fd !== null) {
          if (blockAt === block.length) blockAt = (readSync(fd, block, 0, block.length, null), 0);
          blockAt += block.copy(datagram, 8, blockAt, blockAt + length - 8);
        }
        if (groupPort !== undefined) socket.send(datagram, groupPort, FLOOR_GROUP);
        else for (const host of hosts) socket.send(datagram, port, host);
      }
    };
    // It handles no loss: a datagram lost on a busy machine would stall it, so a stall ends it with an error.
    let heard = performance.now();
    const watchdog = setInterval(() => {
      if (performance.now() - heard > 2_000) reject(new Error('the floor lost a datagram (busy machine?)'));
    }, 500);
    socket.on('message', (msg, from) => {
      heard = performance.now();
      const i = hosts.indexOf(from.address);
      answered[i] = Math.max(answered[i]!, msg.readUInt32BE(0));
      if (answered.every((a) => a === segments)) {
        clearInterval(watchdog);
        return resolve();
      }
      fill();
    });
    fill();
  });
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - start;
  socket.close();
  if (fd !== null) closeSync(fd);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

if (process.argv[2] === 'echo') {
  const [address, port] = [process.argv[3]!, Number(process.argv[4])];
  const { groupPort, ackEvery = 1, keepDir, lossP, sealed } = JSON.parse(process.argv[5] ?? '{}') as EchoMode;
  const sealAnswer = sealed === 'all' ? floorSealer(BY_RECEIVER) : null;
  const loss = lossP === undefined ? null : createLossModel(lossP, seededRandom(Number(process.argv[6])));
  // The receive buffer our receivers ask for (the kernel caps it at net.core.rmem_max).
  const socket = createSocket({ type: 'udp4', recvBufferSize: 1 << 22 });
  // With a group port: a second socket on the group (as our receivers' multicastUdp.ts), answered by the first.
  const member =
    groupPort === undefined ? null : createSocket({ type: 'udp4', recvBufferSize: 1 << 22, reuseAddr: true });
  const ack = Buffer.alloc(8);
  // Keeping: payloads copied into a block, hashed and written when it is full (and at the last segment).
  const fd = keepDir === undefined ? null : openSync(join(keepDir, `echo-${address}.bin`), 'w');
  const hash = createHash('sha256');
  const block = Buffer.alloc(fd === null ? 0 : 256 << 10);
  let kept = 0;
  const writeBlock = (): void => {
    hash.update(block.subarray(0, kept));
    writeSync(fd!, block, 0, kept);
    kept = 0;
  };
  const keep = (payload: Buffer, last: boolean): void => {
    if (kept + payload.length > block.length) writeBlock();
    kept += payload.copy(block, kept);
    if (last) writeBlock();
  };
  const echo = (datagram: Buffer, from: { port: number; address: string }): void => {
    if (loss?.drop()) return;
    const msg = sealed ? floorOpen(datagram) : datagram;
    const last = msg[4] === 1;
    if (fd !== null) keep(msg.subarray(8), last);
    if (!last && msg.readUInt32BE(0) % ackEvery !== 0) return;
    msg.copy(ack, 0, 0, 4);
    socket.send(sealAnswer ? sealAnswer(ack) : ack, from.port, from.address);
  };
  socket.on('message', echo);
  member?.on('message', echo);
  socket.bind(port, address, () => {
    if (member === null) return void process.stdout.write('ready\n');
    member.bind(groupPort, () => {
      member.addMembership(FLOOR_GROUP, '127.0.0.1');
      process.stdout.write('ready\n');
    });
  });
  // The bench ends it with SIGTERM.
  process.on('SIGTERM', () => {
    socket.close();
    member?.close();
    if (fd !== null) closeSync(fd);
  });
}
