// The one place that opens UDP sockets for the engine: bind with errno turned into words a user can act on,
// send, receive, close. Sender and receiver take a `Udp` so the deterministic simulator
// (src/shared/simulation/network.ts) can run them over a simulated network in virtual time.
import { createSocket } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { InputError } from '../errors.js';
import type { ReceiverRejection } from '../session/rejections.js';

export interface Peer {
  address: string;
  port: number;
}

export interface UdpSocket {
  readonly local: Peer;
  /**
   * Fire and forget: a datagram that cannot be sent is lost, as on the wire. The caller never changes a datagram
   * once sent (a session layer sends one sealed copy of a segment to every receiver).
   */
  send(datagram: Uint8Array, port: number, address: string): void;
  close(): void;
}

export interface BindOptions {
  /** Local address; '0.0.0.0' (or '::' for IPv6) when absent. */
  address?: string;
  /** 0: any free port. */
  port: number;
  family: 4 | 6;
  onMessage: (datagram: Buffer, from: Peer) => void;
  /** How a bind failure starts: "cannot listen on" (a receiver), "cannot send from" (a sender). */
  purpose?: 'listen on' | 'send from';
  /**
   * Multicast (multicastUdp.ts): a sender's interface for group datagrams; a receiver's group to listen on (the
   * port shared with the transfer's other receivers on this host, joined on `interface`).
   */
  multicastInterface?: string;
  membership?: { group: string; interface?: string };
  /** A datagram the session layer (sessionUdp.ts) dropped before the engine saw it; plain UDP never calls it. */
  onRejected?: (rejection: Rejection) => void;
  /** A sender's session layer answered a receiver's challenge: a datagram sent that the engine did not send. */
  onProof?: (to: Peer) => void;
}

/** Why a datagram never reached the engine. */
export interface Rejection {
  /**
   * 'forged': does not authenticate under the transfer's keys; 'replayed': authenticated, but its counter was
   * taken before; 'wrong-code': sealed under another code (at a receiver: nothing of that transfer ever opened; at
   * a sender: the receiver said so); 'no-code': at a sender, the receiver said it has no code at all;
   * 'unsealed': not in the envelope at all (a sender without the code); 'unproven': at a receiver, authenticated,
   * but its sender has not answered the receiver's challenge yet (dropped: maybe a recording replayed);
   * 'elsewhere': at a sender, a receiver's challenge from an address and port it never sent to (unanswered).
   */
  why: ReceiverRejection | 'no-code' | 'elsewhere';
  from: Peer;
  /** The first 'wrong-code' of a transfer, or the first 'unsealed' datagram of a host, at a receiver. */
  first: boolean;
  /** At a receiver, a transfer's first 'wrong-code': its datagrams reported 'forged' before it was known as such. */
  recounted?: number;
  /** 'unsealed' at a receiver: the datagram, and a way to answer it in the clear (nothing sealed can reach a
   *  sender without the code: our receivers tell such a sender, in its own protocol, that a code is needed). */
  plain?: { datagram: Buffer; answer(reply: Uint8Array): void };
}

/** Opens a socket; rejects with an InputError that names the address and why. */
export type Udp = (options: BindOptions) => Promise<UdpSocket>;

const BIND_PROBLEMS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use',
  EADDRNOTAVAIL: 'no such local address',
  EACCES: 'permission denied',
  EINVAL: 'not a usable address',
  ENOTFOUND: 'no such host',
};

export function bindProblem(error: NodeJS.ErrnoException): string {
  return (error.code && BIND_PROBLEMS[error.code]) ?? error.code ?? error.message;
}

/** isIP's answer per destination recently sent to. */
const ipVersions = new Map<string, number>();

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * dgram resolves the destination of every datagram, even an address (dns.lookup, then a nextTick): an address is
 * answered at once, on the hot path of every segment and ACK. Names still go to the system resolver.
 */
function addressLookup(host: string, family: number, callback: LookupCallback): void {
  // isIP runs a regular expression: a transfer sends to a handful of addresses, each checked once.
  let version = ipVersions.get(host);
  if (version === undefined) {
    version = isIP(host);
    if (ipVersions.size >= 256) ipVersions.clear(); // bounded, whoever the receiver answers
    ipVersions.set(host, version);
  }
  if (version !== 0) callback(null, host, version);
  else dnsLookup(host, family, callback);
}

export const nodeUdp: Udp = (options) =>
  new Promise((resolve, reject) => {
    const { address, port, family, onMessage, purpose = 'listen on', membership } = options;
    const socket = createSocket({
      type: family === 6 ? 'udp6' : 'udp4',
      recvBufferSize: 1 << 22,
      lookup: addressLookup as never,
      // Every receiver of the group on this host binds its port.
      reuseAddr: membership !== undefined,
    });
    const where = `${address ?? (family === 6 ? '::' : '0.0.0.0')}:${port}`;
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.close();
      reject(new InputError(`cannot ${purpose} ${where}: ${bindProblem(error)}`));
    });
    socket.bind({ port, ...(address !== undefined ? { address } : {}) }, () => {
      // After bind, errors are per datagram (an ICMP unreachable surfacing as ECONNREFUSED): the protocol's
      // timers deal with a lost datagram.
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      try {
        if (membership) socket.addMembership(membership.group, membership.interface);
        if (options.multicastInterface !== undefined)
          socket.setMulticastInterface(options.multicastInterface);
      } catch (error) {
        socket.close();
        const what = membership ? `join group ${membership.group}` : 'send multicast';
        return reject(new InputError(`cannot ${what}: ${bindProblem(error as NodeJS.ErrnoException)}`));
      }
      // Source port 0 cannot be answered (dgram throws on it): such a datagram is noise, whoever crafted it.
      socket.on('message', (datagram, from) => {
        if (from.port !== 0) onMessage(datagram, from);
      });
      const local = socket.address();
      resolve({
        local: { address: local.address, port: local.port },
        send: (datagram, toPort, toAddress) => {
          // Fire and forget, as promised: a destination dgram refuses (port 0, a closed socket) loses the datagram.
          try {
            socket.send(datagram, toPort, toAddress);
          } catch {
            // lost, as on the wire
          }
        },
        close: () => socket.close(),
      });
    });
  });
