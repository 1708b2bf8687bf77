// The I/O shell of discovery (rules in src/shared/discovery/): a receiver's announcer and a sender's discoverer.
// Every message goes out on each IPv4 interface twice: to our multicast group and to the interface's broadcast
// address (networks that filter multicast still pass it), so several interfaces and multicast-less switches work.
// Receivers answer a query at once, unicast, so a sender lists a whole room within a second.
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import {
  decodeMessage,
  DISCOVERY_GROUP,
  DISCOVERY_PORT,
  encodeAnnounce,
  encodeGoodbye,
  encodeQuery,
  type Announcement,
} from '../discovery/message.js';
import {
  ANNOUNCE_INTERVAL_MS,
  current,
  hear,
  mayAnswer,
  NO_ANSWERS,
  type DiscoveredReceiver,
  type Roster,
} from '../discovery/roster.js';
import { InputError } from '../errors.js';
import { systemTimers, type Timers } from '../engine/timers.js';
import { localAddresses } from './localAddresses.js';
import { bindProblem } from './udp.js';

export interface Ipv4Interface {
  address: string;
  netmask: string;
}

/** This machine's IPv4 interfaces that are up, loopback included (a lab of one machine, and the tests). */
export function ipv4Interfaces(): Ipv4Interface[] {
  return Object.values(networkInterfaces())
    .flatMap((infos) => infos ?? [])
    .filter((info) => info.family === 'IPv4')
    .map(({ address, netmask }) => ({ address, netmask }));
}

const ipv4Number = (address: string): number =>
  address.split('.').reduce((n, byte) => ((n << 8) | Number(byte)) >>> 0, 0);

/** Whether `address` is in the network of an interface: 127.0.0.5 is in 127.0.0.1/8's, 192.0.2.7 in 192.0.2.1/24's. */
export function inNetworkOf(address: string, { address: own, netmask }: Ipv4Interface): boolean {
  const mask = ipv4Number(netmask);
  return (ipv4Number(address) & mask) >>> 0 === (ipv4Number(own) & mask) >>> 0;
}

/**
 * The interfaces a receiver announces through: every one, or, bound to one address, those whose network holds it.
 * A receiver on 127.0.0.2 announced through the LAN would be listed there at the LAN address, where nothing listens.
 */
export function announcingInterfaces(bind: string | undefined, interfaces: Ipv4Interface[]): Ipv4Interface[] {
  if (bind === undefined || bind === '0.0.0.0' || !/^\d+\.\d+\.\d+\.\d+$/.test(bind)) return interfaces;
  return interfaces.filter((iface) => inNetworkOf(bind, iface));
}

/** The directed broadcast address of an interface: 192.168.1.20/24 gives 192.168.1.255. */
export function broadcastAddress({ address, netmask }: Ipv4Interface): string {
  const a = address.split('.').map(Number);
  const m = netmask.split('.').map(Number);
  return a.map((byte, i) => (byte | (~m[i]! & 0xff)) & 0xff).join('.');
}

export interface DiscoveryOptions {
  /** Default: every IPv4 interface of this machine. */
  interfaces?: Ipv4Interface[];
  /** Default DISCOVERY_PORT; tests use a port of their own. */
  port?: number;
  group?: string;
  timers?: Timers;
}

/** A socket per interface, for sending out of that interface (and, for the discoverer, its answers). */
async function interfaceSockets(
  interfaces: Ipv4Interface[],
  onMessage: (msg: Buffer, from: string) => void,
): Promise<{ socket: Socket; iface: Ipv4Interface }[]> {
  const opened = await Promise.all(
    interfaces.map(
      (iface) =>
        new Promise<{ socket: Socket; iface: Ipv4Interface } | null>((resolve) => {
          const socket = createSocket('udp4');
          socket.once('error', () => {
            socket.close();
            resolve(null); // an interface that went away: the others still work
          });
          socket.bind(0, iface.address, () => {
            socket.removeAllListeners('error');
            socket.on('error', () => undefined);
            socket.setBroadcast(true);
            socket.setMulticastTTL(1);
            socket.setMulticastLoopback(true);
            socket.setMulticastInterface(iface.address);
            socket.on('message', (msg, from) => onMessage(msg, from.address));
            resolve({ socket, iface });
          });
        }),
    ),
  );
  return opened.filter((s) => s !== null);
}

/** The shared discovery port, joined to the group on every interface. Several programs may hold it at once. */
function groupSocket(
  port: number,
  group: string,
  interfaces: Ipv4Interface[],
  onMessage: (msg: Buffer, from: { address: string; port: number }) => void,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.close();
      reject(new InputError(`cannot listen for discovery on port ${port}: ${bindProblem(error)}`));
    });
    socket.bind(port, () => {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      for (const iface of interfaces)
        try {
          socket.addMembership(group, iface.address);
        } catch {
          // An interface without multicast: the broadcast copy still reaches it.
        }
      socket.on('message', (msg, from) => onMessage(msg, from));
      resolve(socket);
    });
  });
}

function sendEverywhere(
  sockets: { socket: Socket; iface: Ipv4Interface }[],
  msg: Uint8Array,
  port: number,
  group: string,
): void {
  for (const { socket, iface } of sockets) {
    socket.send(msg, port, group);
    socket.send(msg, port, broadcastAddress(iface));
  }
}

export interface Announcer {
  /** Announces now: after the receiver became busy or free. */
  announce(): void;
  /** Says goodbye and closes. */
  stop(): void;
}

/** Announces a receiver every ANNOUNCE_INTERVAL_MS and answers queries (from askers `answersTo` takes), until stopped. */
export async function startAnnouncer(
  announcement: () => Announcement,
  options: DiscoveryOptions = {},
  answersTo: (asker: string) => boolean = () => true,
): Promise<Announcer> {
  const { port = DISCOVERY_PORT, group = DISCOVERY_GROUP, timers = systemTimers } = options;
  const interfaces = options.interfaces ?? ipv4Interfaces();
  const senders = await interfaceSockets(interfaces, () => undefined);
  let answers = NO_ANSWERS;
  let listener: Socket;
  try {
    listener = await groupSocket(port, group, interfaces, (msg, from) => {
      // A query from source port 0 cannot be answered (dgram throws on it): noise, whoever crafted it.
      if (from.port === 0 || decodeMessage(msg)?.kind !== 'query') return;
      if (!answersTo(from.address)) return;
      // Never more bytes back than the query brought (an 8-byte query from a forged address drew 129 to 1,200).
      const answer = encodeAnnounce(announcement());
      if (answer.length > msg.length) return;
      const verdict = mayAnswer(answers, from.address, timers.now());
      answers = verdict.log;
      if (verdict.answer) listener.send(answer, from.port, from.address);
    });
  } catch (error) {
    for (const { socket } of senders) socket.close();
    throw error;
  }
  let timer: unknown;
  const announce = (): void => {
    timers.clearTimeout(timer);
    sendEverywhere(senders, encodeAnnounce(announcement()), port, group);
    timer = timers.setTimeout(announce, ANNOUNCE_INTERVAL_MS);
  };
  announce();
  let stopped = false;
  return {
    announce: () => {
      if (!stopped) announce();
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      timers.clearTimeout(timer);
      const bye = encodeGoodbye(announcement().id);
      let pending = senders.length * 2;
      const done = (): void => {
        if (--pending === 0) for (const { socket } of senders) socket.close();
      };
      for (const { socket, iface } of senders) {
        socket.send(bye, port, group, done);
        socket.send(bye, port, broadcastAddress(iface), done);
      }
      listener.close();
    },
  };
}

export interface Discoverer {
  /** The receivers heard from recently, sorted. */
  list(): DiscoveredReceiver[];
  /** Asks everyone on the network to answer now. */
  query(): void;
  stop(): void;
}

/**
 * Listens for announcements and asks (a query now, and again at each `queryEveryMs` when given), calling
 * `onChange` whenever the list may have changed.
 */
export async function startDiscoverer(
  options: DiscoveryOptions & { queryEveryMs?: number; onChange?: () => void } = {},
): Promise<Discoverer> {
  const { port = DISCOVERY_PORT, group = DISCOVERY_GROUP, timers = systemTimers } = options;
  const interfaces = options.interfaces ?? ipv4Interfaces();
  let roster: Roster = new Map();
  const onMessage = (msg: Buffer, from: string): void => {
    const message = decodeMessage(msg);
    if (!message || message.kind === 'query') return;
    roster = hear(roster, message, from, timers.now());
    options.onChange?.();
  };
  const senders = await interfaceSockets(interfaces, onMessage);
  // Hearing unasked announcements is a bonus (another program may hold the port without sharing it).
  const listener = await groupSocket(port, group, interfaces, (msg, from) =>
    onMessage(msg, from.address),
  ).catch(() => undefined);
  let timer: unknown;
  const query = (): void => sendEverywhere(senders, encodeQuery(), port, group);
  const repeat = (): void => {
    query();
    if (options.queryEveryMs) timer = timers.setTimeout(repeat, options.queryEveryMs);
  };
  repeat();
  return {
    list: () => current(roster, timers.now()),
    query,
    stop: () => {
      timers.clearTimeout(timer);
      for (const { socket } of senders) socket.close();
      listener?.close();
    },
  };
}

/** Asks, asks again (a datagram may be lost), and returns who answered within `waitMs`. */
export async function discover(
  options: DiscoveryOptions & { waitMs: number },
): Promise<DiscoveredReceiver[]> {
  const timers = options.timers ?? systemTimers;
  const discoverer = await startDiscoverer(options);
  const again = [300, 1000]
    .filter((ms) => ms < options.waitMs)
    .map((ms) => timers.setTimeout(discoverer.query, ms));
  await new Promise<void>((resolve) => timers.setTimeout(resolve, options.waitMs));
  again.forEach((t) => timers.clearTimeout(t));
  const found = discoverer.list();
  discoverer.stop();
  return found;
}

/** A new receiver's id: random, so two receivers on one machine stay two entries. */
export const newReceiverId = (): string => randomBytes(8).toString('hex');

/** The addresses a receiver bound to `bind` listens on: that one, or every IPv4 address, the LAN's first. */
export function listeningAddresses(bind: string | undefined): string[] {
  if (bind !== undefined && bind !== '0.0.0.0') return [bind];
  return localAddresses(networkInterfaces())
    .filter((a) => a.family === 4)
    .map((a) => a.address);
}

export interface ReceiverAnnouncer {
  /** Follows the receiver's events: busy from a transfer's first packet until it ends. */
  follow(event: { type: string }): void;
  stop(): void;
}

/** Announces a receiver while it runs. */
export async function announceReceiver(
  what: Omit<Announcement, 'id' | 'busy' | 'addresses'> & { bind?: string },
  options: DiscoveryOptions = {},
): Promise<ReceiverAnnouncer> {
  const { bind, ...fixed } = what;
  const base = { ...fixed, id: newReceiverId(), addresses: listeningAddresses(bind) };
  let busy = false;
  const every = options.interfaces ?? ipv4Interfaces();
  const interfaces = announcingInterfaces(bind, every);
  // Bound to one address: queries answered only from its networks (elsewhere it would be listed where it is not).
  const answers =
    interfaces.length === every.length
      ? undefined
      : (asker: string) => interfaces.some((iface) => inNetworkOf(asker, iface));
  const announcer = await startAnnouncer(() => ({ ...base, busy }), { ...options, interfaces }, answers);
  return {
    follow: (event) => {
      const nowBusy =
        event.type === 'transfer-start'
          ? true
          : ['complete', 'transfer-failed'].includes(event.type)
            ? false
            : busy;
      if (nowBusy === busy) return;
      busy = nowBusy;
      announcer.announce();
    },
    stop: () => announcer.stop(),
  };
}
