// Multicast for Selective Repeat receivers that joined the transfer's group (docs/PROTOCOL.md, "Multicast"), as a
// layer around the engine's `Udp` like the session code's: the machines still send each segment to each receiver,
// and this layer turns the sends of one segment to several members into one datagram to the group. Under a
// session code the session layer sits above it, so the one sealed copy of a segment is what goes to the group.
import { randomInt } from 'node:crypto';
import type { BindOptions, Peer, Udp, UdpSocket } from './udp.js';

export interface Group {
  address: string;
  port: number;
}

/**
 * Unicast repeats to a member, with no sign that any group datagram reached it, before it gets unicast only. A
 * member that gets the group is confirmed by its first ACK beyond what unicast explains, long before.
 */
export const GROUP_FALLBACK_REPEATS = 8;

/** A random group in 239.255.0.0/16 (organization-local scope) and a random dynamic port, per transfer. */
export const randomGroup = (): Group => ({
  address: `239.255.${randomInt(256)}.${randomInt(1, 255)}`,
  port: randomInt(49_152, 65_536),
});

/** The interface to send or join a group on: loopback's for 127.x peers (127.0.0.1), else `local` if given. */
export function groupInterface(peer: string, local?: string): string | undefined {
  if (peer.startsWith('127.')) return '127.0.0.1';
  return local === undefined || local === '0.0.0.0' ? undefined : local;
}

interface Member {
  /** Datagrams heard from it since the group was in use, and unicast datagrams sent to it meanwhile. */
  heard: number;
  unicast: number;
  /** It answered more datagrams than it was sent by unicast: the group reaches it. */
  confirmed: boolean;
}

interface Pending {
  datagram: Uint8Array;
  port: number;
  address: string;
  member: Member | undefined;
}

export interface MulticastSender {
  udp: Udp;
  /** From now on, sends to `members` may go to `group` (the offer before it is always unicast). */
  use(group: Group, members: readonly Peer[]): void;
  /** Whether `peer`, a member, showed it gets nothing from the group (it has been sent unicast since). */
  fellBack(peer: Peer): boolean;
}

const key = (port: number, address: string): string => `${address}:${port}`;

/**
 * The sender's side. Sends are collected during one step of the machine (synchronous) and go out, in order, at
 * its end: a datagram sent to two or more members goes once to the group, at the place of its first send; one
 * sent to a single member (a retransmission, a keepalive) goes to that member only, so the others never see it
 * twice. Non-members always get unicast.
 */
export function multicastSender(udp: Udp): MulticastSender {
  let group: Group | null = null;
  // By address, then port: no key string made per send (three per segment).
  const members = new Map<string, Map<number, Member>>();
  const memberAt = (port: number, address: string): Member | undefined => members.get(address)?.get(port);
  const fellBack = new Set<string>();
  /** Members neither confirmed nor fallen back: while none is left, ACKs pass without a look-up. */
  let watching = 0;
  let pending: Pending[] = [];
  let socket: UdpSocket;

  function unicastTo(p: Pending): void {
    socket.send(p.datagram, p.port, p.address);
    const m = p.member;
    if (m === undefined || m.confirmed || ++m.unicast < GROUP_FALLBACK_REPEATS) return;
    if (members.get(p.address)?.delete(p.port)) watching--;
    fellBack.add(key(p.port, p.address));
  }

  function flush(): void {
    const batch = pending;
    if (batch.length === 0) return;
    pending = [];
    // The common step: one new segment to every member.
    const first = batch[0]!.datagram;
    if (batch.length >= 2 && batch.every((p) => p.member !== undefined && p.datagram === first))
      return void socket.send(first, group!.port, group!.address);
    const copies = new Map<Uint8Array, number>();
    for (const p of batch) if (p.member) copies.set(p.datagram, (copies.get(p.datagram) ?? 0) + 1);
    const grouped = new Set<Uint8Array>();
    for (const p of batch) {
      if (!p.member || copies.get(p.datagram)! < 2) unicastTo(p);
      else if (!grouped.has(p.datagram)) {
        grouped.add(p.datagram);
        socket.send(p.datagram, group!.port, group!.address);
      }
    }
  }

  return {
    fellBack: (peer) => fellBack.has(key(peer.port, peer.address)),
    use(g, peers) {
      group = g;
      members.clear();
      watching = 0;
      for (const peer of peers) {
        const at = members.get(peer.address) ?? new Map<number, Member>();
        if (!at.has(peer.port)) watching++;
        at.set(peer.port, { heard: 0, unicast: 0, confirmed: false });
        members.set(peer.address, at);
      }
    },
    udp: async (bind: BindOptions) => {
      socket = await udp({
        ...bind,
        onMessage: (datagram, from) => {
          const m = watching > 0 ? memberAt(from.port, from.address) : undefined;
          if (m && !m.confirmed && ++m.heard > m.unicast) {
            m.confirmed = true;
            watching--;
          }
          bind.onMessage(datagram, from);
        },
      });
      return {
        local: socket.local,
        send: (datagram, port, address) => {
          const member = memberAt(port, address);
          if (member === undefined && pending.length === 0) return socket.send(datagram, port, address);
          if (pending.length === 0) queueMicrotask(flush);
          pending.push({ datagram, port, address, member });
        },
        close: () => {
          flush();
          socket.close();
        },
      };
    },
  };
}

export interface GroupListener {
  udp: Udp;
  /** Listens on `group` too, feeding the same handler; false when it cannot (the receiver stays unicast). */
  join(group: Group, iface: string | undefined): Promise<boolean>;
  /** Stops listening on the group (the transfer is over); given a group, only if it is that one. */
  leave(group?: Group): void;
}

/** The receiver's side: one group at a time beside its unicast socket; ACKs still go by unicast. */
export function groupListener(udp: Udp): GroupListener {
  let handler: BindOptions['onMessage'] | null = null;
  let joined: { at: string; socket: Promise<UdpSocket | null>; left: boolean } | null = null;

  function leave(group?: Group): void {
    if (joined === null || (group !== undefined && joined.at !== key(group.port, group.address))) return;
    const current = joined;
    joined = null;
    current.left = true;
    void current.socket.then((s) => s?.close());
  }

  return {
    leave,
    join(group, iface) {
      const at = key(group.port, group.address);
      if (joined?.at === at) return joined.socket.then((s) => s !== null);
      leave();
      const onMessage = handler;
      if (onMessage === null) return Promise.resolve(false);
      const entry: NonNullable<typeof joined> = { at, socket: Promise.resolve(null), left: false };
      entry.socket = udp({
        // Bound to the group's address, so that it takes only what is sent to the group: bound to the port
        // alone, it would take whatever reaches that port on any interface, whatever the receiver's --bind. Where
        // a socket cannot be bound to a group address (Windows), the receiver stays unicast.
        address: group.address,
        port: group.port,
        family: 4,
        membership: { group: group.address, ...(iface !== undefined ? { interface: iface } : {}) },
        onMessage: (datagram, from) => {
          if (!entry.left) onMessage(datagram, from);
        },
      }).then(
        (s) => {
          if (entry.left) s.close();
          return entry.left ? null : s;
        },
        () => null,
      );
      joined = entry;
      return entry.socket.then((s) => s !== null);
    },
    udp: async (bind) => {
      const socket = await udp(bind);
      handler = bind.onMessage;
      return {
        local: socket.local,
        send: (datagram, port, address) => socket.send(datagram, port, address),
        close: () => {
          leave();
          socket.close();
        },
      };
    },
  };
}
