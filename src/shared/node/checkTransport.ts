// p2mpcheck's sockets, shared by the CLI (src/cli/check.ts) and the app (src/main/services/checkService.ts): one
// UDP socket probing a receiver (p2mpcheck server), or N receivers on loopback for a sender (p2mpcheck client).
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import type { Moved, Transport } from '../check/checker.js';
import type { Arrival, ClientTransport } from '../check/clientChecker.js';
import { InputError } from '../errors.js';
import { systemTimers, type Timers } from '../engine/timers.js';
import { loopbackPlan, type BindProbe } from './loopback.js';
import { portClosed } from './portProbe.js';
import { nodeUdp, type Udp, type UdpSocket } from './udp.js';

/**
 * Runs `fn` once the sockets have been read: Node runs due timers before it reads sockets, so after this process
 * was held still (a busy machine) a reply that arrived meanwhile would otherwise count as silence.
 */
const afterReads = (fn: () => void): void => void setImmediate(fn);

export interface Closable {
  /** Closes the sockets; a check still running then rejects. */
  close(): void;
}

/**
 * A socket talking to the receiver at host:port as the checker's Transport: replies are taken from the
 * receiver's host, whatever its port. `onDatagram` sees every datagram sent and received (the app's evidence).
 */
export async function probeTransport(
  host: string,
  port: number,
  onDatagram?: (dir: 'to-receiver' | 'to-sender', datagram: Uint8Array) => void,
): Promise<Transport & Closable> {
  const address = await lookup(host).catch(() => {
    throw new InputError(`unknown host "${host}"`);
  });
  const socket = createSocket(address.family === 6 ? 'udp6' : 'udp4');
  socket.on('error', () => undefined); // send errors reach the send callback; nothing else is expected
  await new Promise<void>((resolve) => socket.bind(0, resolve));
  let waiter: ((reply: Buffer, on: Socket) => void) | undefined;
  // The wait in progress, ended at once when the check is stopped.
  let stopWait: (() => void) | undefined;
  let closed = false;
  const stopped = (): Error => new Error('the check was stopped');
  // New ports still open: closed with the usual socket when the check is stopped.
  const fresh = new Set<Socket>();
  // A reply with nothing waiting for it is late (the probe it answers was given up on, and not listened for): dropped.
  const hear = (on: Socket): void =>
    void on.on('message', (data, from) => {
      if (from.address !== address.address) return;
      onDatagram?.('to-sender', data);
      waiter?.(data, on);
    });
  hear(socket);
  /**
   * Sends `datagram` (null: nothing, to listen) from `from` (the usual socket, or a new port's) and resolves with
   * the next reply from the receiver's host, on the usual socket or on `from`, and which it came on, or null after
   * timeoutMs.
   */
  const awaitReply = (
    datagram: Uint8Array | null,
    timeoutMs: number,
    from: Socket,
  ): Promise<{ reply: Buffer; on: Socket } | null> =>
    new Promise((resolve, reject) => {
      if (closed) return reject(stopped());
      let done = false;
      const finish = (settle: () => void): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        waiter = undefined;
        stopWait = undefined;
        settle();
      };
      stopWait = () => finish(() => reject(stopped()));
      const timer = setTimeout(() => afterReads(() => finish(() => resolve(null))), timeoutMs);
      // A new port's replies count only while it is the one in use.
      waiter = (reply, on) => {
        if (on === socket || on === from) finish(() => resolve({ reply, on }));
      };
      if (!datagram) return;
      onDatagram?.('to-receiver', datagram);
      from.send(datagram, port, address.address, (error) => error && finish(() => reject(error)));
    });
  return {
    exchange: async (datagram, timeoutMs) => (await awaitReply(datagram, timeoutMs, socket))?.reply ?? null,
    listen: async (timeoutMs) => (await awaitReply(null, timeoutMs, socket))?.reply ?? null,
    now: () => performance.now(),
    // A socket of its own; a reply that comes to the usual socket instead is told apart.
    newPort: async () => {
      if (closed) throw stopped();
      const own = createSocket(address.family === 6 ? 'udp6' : 'udp4');
      own.on('error', () => undefined);
      await new Promise<void>((resolve) => own.bind(0, resolve));
      if (closed) {
        own.close();
        throw stopped();
      }
      fresh.add(own);
      hear(own);
      const moved = async (datagram: Uint8Array | null, timeoutMs: number): Promise<Moved | null> => {
        // A send that fails is a copy that got no answer; a stopped check stops the probe.
        const heard = await awaitReply(datagram, timeoutMs, own).catch((error: unknown) => {
          if (closed) throw error;
          return null;
        });
        return heard && { reply: heard.reply, to: heard.on === own ? 'new port' : 'old port' };
      };
      return {
        exchange: moved,
        listen: (timeoutMs) => moved(null, timeoutMs),
        close: () => {
          if (fresh.delete(own)) own.close();
        },
      };
    },
    portClosed: () => portClosed(address, port),
    close: () => {
      if (closed) return;
      closed = true;
      stopWait?.();
      socket.close();
      for (const own of fresh) own.close();
      fresh.clear();
    },
  };
}

export interface ReceiversTransport extends ClientTransport, Closable {
  /** How to name each receiver to the user (its address, or address:port where all share 127.0.0.1). */
  names: string[];
  /** The port they share (0 where each has its own, in its name). */
  port: number;
}

export interface ReceiversOptions {
  /** Real UDP and the system clock by default; tests run the simulated network on a virtual clock. */
  udp?: Udp;
  timers?: Timers;
  probe?: BindProbe;
}

/**
 * N receivers listening on `port` at 127.0.0.2, 127.0.0.3, ... (where only 127.0.0.1 answers, each on a port
 * of its own), as the loopback policy says. Rejects with an InputError naming the address when one cannot bind.
 */
export async function receiversTransport(
  count: number,
  port: number,
  { udp = nodeUdp, timers = systemTimers, probe }: ReceiversOptions = {},
): Promise<ReceiversTransport> {
  const plan = await loopbackPlan({ count, port, probe });
  const start = timers.now();
  const now = (): number => timers.now() - start;
  let queued: Arrival[] = [];
  let waiter: ((arrival: Arrival) => void) | undefined;
  let stop: ((error: Error) => void) | undefined;
  let closed = false;
  const sockets: UdpSocket[] = [];
  try {
    for (const [receiver, endpoint] of plan.endpoints.entries())
      sockets.push(
        await udp({
          address: endpoint.address,
          port: endpoint.port,
          family: 4,
          onMessage: (datagram, from) => {
            const arrival = { receiver, address: from.address, port: from.port, datagram, t: now() };
            if (waiter) waiter(arrival);
            else queued.push(arrival);
          },
        }),
      );
  } catch (error) {
    for (const socket of sockets) socket.close();
    throw error;
  }
  return {
    names: sockets.map((socket) => plan.label(socket.local)),
    port: plan.shared ? 0 : port,
    now,
    send: (receiver, address, toPort, datagram) => sockets[receiver]!.send(datagram, toPort, address),
    next: (timeoutMs) =>
      new Promise((resolve, reject) => {
        if (closed) return reject(new Error('the check was stopped'));
        const first = queued.shift();
        if (first) return resolve(first);
        let answered = false;
        const silence = (): void => {
          if (answered) return;
          waiter = stop = undefined;
          resolve(null);
        };
        // On a virtual clock nothing is held still: the simulated network delivers by the clock's own timers.
        const timer = timers.setTimeout(
          () => (timers === systemTimers ? afterReads(silence) : silence()),
          timeoutMs,
        );
        waiter = (arrival) => {
          answered = true;
          timers.clearTimeout(timer);
          waiter = stop = undefined;
          resolve(arrival);
        };
        stop = (error) => {
          answered = true;
          timers.clearTimeout(timer);
          waiter = stop = undefined;
          reject(error);
        };
      }),
    close: () => {
      if (closed) return;
      closed = true;
      queued = [];
      for (const socket of sockets) socket.close();
      stop?.(new Error('the check was stopped'));
    },
  };
}
