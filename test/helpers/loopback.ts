// Shared test plumbing: temp folders, receivers on 127.0.0.x, raw UDP peers, file hashes.
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReceiver, type ReceiveOptions, type ReceiverSession } from '../../src/shared/node/receiver.js';

export function tempDir(): { path: string; file: (name: string) => string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'p2mp-test-'));
  return {
    path,
    file: (name) => join(path, name),
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function writeRandomFile(path: string, size: number): Buffer {
  const data = randomBytes(size);
  writeFileSync(path, data);
  return data;
}

/** Receivers on 127.0.0.(first+i), each on an ephemeral port, writing into `dir`/out-i.bin. */
export async function startReceivers(
  n: number,
  dir: string,
  options: Partial<ReceiveOptions> = {},
  first = 2,
): Promise<ReceiverSession[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      startReceiver({
        port: 0,
        bind: `127.0.0.${first + i}`,
        destination: () => join(dir, `out-${i}.bin`),
        p: 0,
        seed: 1000 + i,
        lingerMs: 100,
        ...options,
      }),
    ),
  );
}

export function specsOf(receivers: ReceiverSession[]) {
  return receivers.map((r) => ({
    host: r.address.address,
    port: r.address.port,
    label: `${r.address.address}:${r.address.port}`,
  }));
}

/** A bare UDP socket for crafting datagrams and collecting what comes back. */
export async function rawPeer(address = '127.0.0.1'): Promise<{
  socket: Socket;
  port: number;
  received: { data: Buffer; from: RemoteInfo }[];
  next: (timeoutMs?: number) => Promise<Buffer | null>;
  close: () => void;
}> {
  const socket = createSocket('udp4');
  const received: { data: Buffer; from: RemoteInfo }[] = [];
  const waiters: ((data: Buffer) => void)[] = [];
  let read = 0;
  socket.on('message', (data, from) => {
    received.push({ data, from });
    waiters.shift()?.(data);
  });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return {
    socket,
    port: socket.address().port,
    received,
    /** The next datagram not yet returned, or null after `timeoutMs`. */
    next(timeoutMs = 500) {
      if (read < received.length) return Promise.resolve(received[read++]!.data);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          resolve(null);
        }, timeoutMs);
        const waiter = (data: Buffer): void => {
          clearTimeout(timer);
          read++;
          resolve(data);
        };
        waiters.push(waiter);
      });
    },
    close: () => socket.close(),
  };
}

/**
 * Discovery for services under test: loopback only (never the machine's network), a port of this process, below
 * the ephemeral range as randomPort's (helpers/ports.ts), between its ports and faults.test.ts's.
 */
export const loopbackDiscovery = {
  interfaces: [{ address: '127.0.0.1', netmask: '255.0.0.0' }],
  port: 27_500 + (process.pid % 300),
};
