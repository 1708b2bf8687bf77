// Loopback endpoints for relay tests: a target that records (and optionally echoes) and a client that records.
import dgram from 'node:dgram';

export interface Arrival {
  data: Buffer;
  at: number;
  from: { address: string; port: number };
}

export interface Endpoint {
  socket: dgram.Socket;
  port: number;
  arrivals: Arrival[];
  close(): Promise<void>;
}

const open: Endpoint[] = [];

/** A UDP socket on 127.0.0.1 that records what arrives; `echo` sends every datagram back to its source. */
export async function endpoint(echo = false): Promise<Endpoint> {
  const socket = dgram.createSocket('udp4');
  const arrivals: Arrival[] = [];
  socket.on('message', (data, rinfo) => {
    arrivals.push({ data, at: performance.now(), from: { address: rinfo.address, port: rinfo.port } });
    if (echo) socket.send(data, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let closed = false;
  const ep: Endpoint = {
    socket,
    port: socket.address().port,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        socket.close(() => resolve());
      }),
  };
  open.push(ep);
  return ep;
}

export async function closeEndpoints(): Promise<void> {
  await Promise.all(open.splice(0).map((ep) => ep.close()));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends datagrams in small batches, yielding between them so the relay and target (same event loop) keep up
 * and no kernel buffer overflows: a test must count only the relay's drops.
 */
export async function sendAll(
  from: dgram.Socket,
  port: number,
  datagrams: Buffer[],
  batch = 16,
): Promise<number[]> {
  const sentAt: number[] = [];
  for (let i = 0; i < datagrams.length; i += batch) {
    await Promise.all(
      datagrams.slice(i, i + batch).map(
        (d) =>
          new Promise<void>((resolve, reject) => {
            sentAt.push(performance.now());
            from.send(d, port, '127.0.0.1', (err) => (err ? reject(err) : resolve()));
          }),
      ),
    );
    await sleep(1);
  }
  return sentAt;
}

/** Waits until `done()` holds or `ms` pass; returns whether it held. */
export async function until(done: () => boolean, ms = 3000): Promise<boolean> {
  const end = performance.now() + ms;
  while (!done()) {
    if (performance.now() > end) return false;
    await sleep(5);
  }
  return true;
}

/** A numbered datagram: 4-byte big-endian index, then filler up to `length` (at least 4). */
export function numbered(index: number, length = 64): Buffer {
  const data = Buffer.alloc(Math.max(4, length), index & 0xff);
  data.writeUInt32BE(index, 0);
  return data;
}

export const indexOf = (data: Buffer): number => data.readUInt32BE(0);
