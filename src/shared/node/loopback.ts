// Where local receivers (and the demo's relays) live on this machine: the one loopback policy of the demo, the
// lab and their CLIs. Linux answers on all of 127.0.0.0/8, so every peer gets an address of its own
// (127.0.0.2, 127.0.0.3, ...) and they can share one port, as machines on a network do. macOS answers only on
// 127.0.0.1: there every peer binds 127.0.0.1 on a port of its own.
import { createSocket } from 'node:dgram';
import { InputError } from '../errors.js';

/** Binds a UDP socket on `address` (any port) and closes it; rejects with the bind's error. */
export type BindProbe = (address: string) => Promise<void>;

export interface LoopbackRequest {
  /** How many peers. */
  count: number;
  /** The port they share where each has its own address (0: an ephemeral port each). */
  port: number;
  /** The x of 127.0.x.2, 127.0.x.3, ... (default 0; the demo's relays use 1). */
  subnet?: number;
  /** The real UDP bind by default; tests simulate a loopback that has only 127.0.0.1. */
  probe?: BindProbe | undefined;
}

export interface LoopbackPlan {
  /** Only 127.0.0.1 answers: every peer binds it, on an ephemeral port of its own. */
  shared: boolean;
  /** Where peer i binds; with port 0 the caller learns the port from the bound socket. */
  endpoints: { address: string; port: number }[];
  /** How to name a bound peer: its address where each has one, else address:port. */
  label(bound: { address: string; port: number }): string;
}

/** 127.0.x.2 to 127.0.x.254. */
export const MAX_LOOPBACK_PEERS = 253;

export const bindProbe: BindProbe = (address) =>
  new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.bind(0, address, () => socket.close(resolve));
  });

/** False where the address is not local (EADDRNOTAVAIL); any other failure is a real problem and rejects. */
async function isLocal(address: string, probe: BindProbe): Promise<boolean> {
  try {
    await probe(address);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') return false;
    throw error;
  }
}

export async function loopbackPlan(request: LoopbackRequest): Promise<LoopbackPlan> {
  const { count, port } = request;
  if (!Number.isInteger(count) || count < 1 || count > MAX_LOOPBACK_PEERS)
    throw new InputError(`1 to ${MAX_LOOPBACK_PEERS} local receivers fit on loopback, asked for ${count}`);
  const spread = Array.from({ length: count }, (_, i) => `127.0.${request.subnet ?? 0}.${i + 2}`);
  // Every address is probed, not just the first: a Mac may have an alias for 127.0.0.2 and no other.
  const answers = await Promise.all(spread.map((address) => isLocal(address, request.probe ?? bindProbe)));
  const shared = !answers.every(Boolean);
  return {
    shared,
    endpoints: shared
      ? spread.map(() => ({ address: '127.0.0.1', port: 0 }))
      : spread.map((address) => ({ address, port })),
    label: (bound) => (shared ? `${bound.address}:${bound.port}` : bound.address),
  };
}
