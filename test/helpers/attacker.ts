// An attacker on the path, for the session-code tests: a layer under the engine (and under its session layer)
// that sees every datagram a socket sends and can deliver datagrams to it as if they came from any address and
// port: forged ones, bit-flipped ones, or copies of real ones again (replays).
import type { BindOptions, Peer, Udp, UdpSocket } from '../../src/shared/node/udp.js';

export interface Tap {
  udp: Udp;
  /** Every datagram the socket sent, as it left (sealed, with a code). */
  sent: { datagram: Buffer; to: Peer }[];
  /** Every datagram that reached the socket from the network. */
  received: { datagram: Buffer; from: Peer }[];
  /** Delivers `datagram` to the socket as if `from` had sent it. */
  inject(datagram: Uint8Array, from: Peer): void;
  /** Sends `datagram` from the socket itself (the same address and port as the real traffic). */
  sendAs(datagram: Uint8Array, to: Peer): void;
  /** Called after each datagram the socket sends. */
  onSend?: (datagram: Buffer, to: Peer) => void;
  /** Called after each datagram that reached the socket (and went up to the engine). */
  onReceive?: (datagram: Buffer, from: Peer) => void;
  /** Whether the socket is still open (what is injected into a closed one goes nowhere). */
  isOpen(): boolean;
}

export function tap(base: Udp): Tap {
  let bound: { options: BindOptions; socket: UdpSocket } | null = null;
  let closed = false;
  const t: Tap = {
    sent: [],
    received: [],
    udp: async (options) => {
      const socket = await base({
        ...options,
        onMessage: (datagram, from) => {
          const copy = Buffer.from(datagram);
          t.received.push({ datagram: copy, from });
          options.onMessage(datagram, from);
          t.onReceive?.(copy, from);
        },
      });
      bound = { options, socket };
      return {
        local: socket.local,
        send: (datagram, port, address) => {
          socket.send(datagram, port, address);
          const copy = Buffer.from(datagram);
          t.sent.push({ datagram: copy, to: { address, port } });
          t.onSend?.(copy, { address, port });
        },
        close: () => {
          closed = true;
          socket.close();
        },
      };
    },
    isOpen: () => bound !== null && !closed,
    // Nothing reaches or leaves a closed socket, as on the wire.
    inject: (datagram, from) => {
      if (!closed) bound?.options.onMessage(Buffer.from(datagram), from);
    },
    sendAs: (datagram, to) => {
      if (!closed) bound?.socket.send(datagram, to.port, to.address);
    },
  };
  return t;
}
