// The floor a stop-and-wait sender is measured against, in the same run: a minimal ping-pong. One socket sends
// a data-sized datagram to N echo receivers (separate processes, like ours), waits for every 8-byte answer, and
// sends the next: no file, no checksum, no events, no timers. Whatever our sender costs per round beyond this is
// the implementation's; windowBlast is the same for a windowed protocol. Run as a child process (`node floor.js
// echo ADDRESS PORT`) it is one echo receiver.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';

export async function startEchoes(n: number, port: number, groupPort?: number): Promise<ChildProcess[]> {
  const group = groupPort === undefined ? [] : [String(groupPort)];
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const child = spawn(
        process.execPath,
        [__filename, 'echo', `127.0.0.${i + 2}`, String(port), ...group],
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

/** `rounds` rounds of one datagram of `length` bytes to each of `n` echoes on 127.0.0.2.. : wall ms. */
export async function pingPong(n: number, port: number, rounds: number, length: number): Promise<number> {
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
      for (const host of hosts) socket.send(datagram, port, host);
    };
    socket.on('message', () => {
      if (--pending === 0) next();
    });
    next();
  });
  const wall = performance.now() - start;
  socket.close();
  return wall;
}

/** The floor's multicast group: echoes started with it join it, and windowBlast given it sends each segment once. */
export const FLOOR_GROUP = '239.255.77.77';

/**
 * The floor of a windowed transfer: `segments` datagrams of `length` bytes to each of `n` echoes, at most `window`
 * unanswered per echo, each answered by its own 8-byte echo (an ACK per segment, as Selective Repeat's), no file,
 * no loss handling: wall ms and the sender's CPU ms. With `groupPort`, each segment goes once to FLOOR_GROUP
 * there (echoes started with that port) instead of once per echo.
 */
export async function windowBlast(
  n: number,
  port: number,
  segments: number,
  length: number,
  window: number,
  groupPort?: number,
): Promise<{ wallMs: number; cpuMs: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  if (groupPort !== undefined) socket.setMulticastInterface('127.0.0.1');
  const datagram = Buffer.alloc(length);
  const hosts = Array.from({ length: n }, (_, i) => `127.0.0.${i + 2}`);
  const answered = hosts.map(() => 0);
  let sent = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  await new Promise<void>((resolve, reject) => {
    const fill = (): void => {
      // The next segment goes to everyone once every echo has room for it.
      while (sent < segments && answered.every((a) => sent - a < window)) {
        datagram.writeUInt32BE(++sent, 0);
        if (groupPort !== undefined) socket.send(datagram, groupPort, FLOOR_GROUP);
        else for (const host of hosts) socket.send(datagram, port, host);
      }
    };
    // It handles no loss: a datagram lost on a busy machine would stall it, so a stall ends it with an error.
    let heard = performance.now();
    const watchdog = setInterval(() => {
      if (performance.now() - heard > 2_000) reject(new Error('the floor lost a datagram (busy machine?)'));
    }, 500);
    socket.on('message', (_msg, from) => {
      heard = performance.now();
      const i = hosts.indexOf(from.address);
      if (++answered[i]! === segments && answered.every((a) => a === segments)) {
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
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

if (process.argv[2] === 'echo') {
  const [address, port] = [process.argv[3]!, Number(process.argv[4])];
  // With a group port: a second socket on the group (as our receivers' multicastUdp.ts), answered by the first.
  const groupPort = process.argv[5] === undefined ? undefined : Number(process.argv[5]);
  // The receive buffer our receivers ask for (the kernel caps it at net.core.rmem_max).
  const socket = createSocket({ type: 'udp4', recvBufferSize: 1 << 22 });
  const member =
    groupPort === undefined ? null : createSocket({ type: 'udp4', recvBufferSize: 1 << 22, reuseAddr: true });
  const ack = Buffer.alloc(8);
  const echo = (msg: Buffer, from: { port: number; address: string }): void => {
    msg.copy(ack, 0, 0, 4);
    socket.send(ack, from.port, from.address);
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
  });
}
