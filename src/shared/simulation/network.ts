// A simulated network for whole transfers in virtual time: the engine's `Udp` over a map of sockets, each
// datagram put through the relay's own impairment model (planDatagram: loss, bursts, corruption, duplication,
// delay, jitter, reordering) per direction and delivered by a timer of the virtual clock. Nothing here touches a
// real socket, so a transfer runs as fast as its events can be processed, and the same seed replays it exactly.
import { Buffer } from 'node:buffer';
import {
  applyBitFlips,
  chooseLoss,
  newDirectionModel,
  NO_IMPAIRMENTS,
  planDatagram,
  type DirectionModel,
  type Impairments,
} from '../network/impairments.js';
import { InputError } from '../errors.js';
import type { RandomSource } from '../network/random.js';
import type { Timers } from '../engine/timers.js';
import type { Peer, Udp, UdpSocket } from '../node/udp.js';

export interface LinkCounters {
  sent: number;
  lost: number;
  duplicated: number;
  corrupted: number;
  delivered: number;
  /** Arrived where no socket listens (a dead or stopped host). */
  undeliverable: number;
}

export interface SimNetwork {
  udp: Udp;
  /** A host that stops answering: everything sent to it from now on is lost. */
  kill(host: string): void;
  /** Counters of the datagrams from `from` to `to` (hosts). */
  link(from: string, to: string): LinkCounters;
  /** Drops the next datagram from `from` to `to` (hosts) carrying sequence number `seq` (see sequenceOf). */
  loseNext(from: string, to: string, seq: number): void;
}

export interface SimNetworkOptions {
  timers: Timers;
  random: RandomSource;
  /** Impairments from one host to another; none by default. */
  impairments?: (from: string, to: string) => Impairments;
  /** The source address of sockets bound to the wildcard address. */
  defaultHost?: string;
  /** Reads the sequence number a datagram carries (null: none), for chosen losses; none read by default. */
  sequenceOf?: (datagram: Uint8Array) => number | null;
}

const EPHEMERAL_FIRST = 49_152;

interface Link {
  counters: LinkCounters;
  /** Its impairments' state (bursts, rate bucket, chosen losses); made at its first datagram. */
  model: DirectionModel | null;
}

export function createSimNetwork(options: SimNetworkOptions): SimNetwork {
  const { timers, random } = options;
  const defaultHost = options.defaultHost ?? '127.0.0.1';
  // Host, then port: found without building a key string per datagram (the simulator's hot path).
  const sockets = new Map<string, Map<number, (datagram: Buffer, from: Peer) => void>>();
  const dead = new Set<string>();
  // Per direction (from host, to host): its counters and its impairment model, found without building a key
  // string per datagram (the simulator's hot path).
  const links = new Map<string, Map<string, Link>>();
  let nextPort = EPHEMERAL_FIRST;

  const linkOf = (from: string, to: string): Link => {
    let row = links.get(from);
    if (!row) links.set(from, (row = new Map()));
    let l = row.get(to);
    if (!l) {
      const counters = { sent: 0, lost: 0, duplicated: 0, corrupted: 0, delivered: 0, undeliverable: 0 };
      row.set(to, (l = { counters, model: null }));
    }
    return l;
  };

  const deliver = (datagram: Buffer, from: Peer, to: Peer, c: LinkCounters): void => {
    const receive = dead.has(to.address) ? undefined : sockets.get(to.address)?.get(to.port);
    if (!receive) {
      c.undeliverable++;
      return;
    }
    c.delivered++;
    receive(datagram, from);
  };

  const transmit = (data: Uint8Array, from: Peer, to: Peer): void => {
    const l = linkOf(from.address, to.address);
    const c = l.counters;
    c.sent++;
    const imp = options.impairments?.(from.address, to.address) ?? NO_IMPAIRMENTS;
    const seq = options.sequenceOf?.(data) ?? null;
    const { plan, model } = planDatagram(
      imp,
      l.model ?? newDirectionModel(imp, timers.now()),
      random,
      data.length,
      timers.now(),
      seq,
    );
    l.model = model;
    if (plan.verdict !== 'pass') {
      c.lost++;
      return;
    }
    c.duplicated += plan.duplicates;
    if (plan.flips.length > 0) c.corrupted++;
    // A copy of the bytes as they were sent (the sender may reuse its buffer), and one per duplicate: on a real
    // network each is a datagram of its own, and a receiver may change what it got (a session opens in place).
    const bytes = plan.flips.length > 0 ? applyBitFlips(data, plan.flips) : data;
    for (const copy of plan.copies) {
      const wait = copy.queueMs + copy.delayMs + (copy.holdBack ? imp.reorderHoldMs : 0);
      const own = Buffer.from(bytes);
      timers.setTimeout(() => deliver(own, from, to, c), wait);
    }
  };

  const udp: Udp = async ({ address, port, onMessage, purpose = 'listen on' }) => {
    const host = address === undefined || address === '0.0.0.0' || address === '::' ? defaultHost : address;
    let ports = sockets.get(host);
    if (!ports) sockets.set(host, (ports = new Map()));
    let bound = port;
    if (bound === 0) while (ports.has((bound = nextPort++)));
    if (ports.has(bound))
      throw new InputError(`cannot ${purpose} ${host}:${bound}: the port is already in use`);
    ports.set(bound, onMessage);
    const local: Peer = { address: host, port: bound };
    const socket: UdpSocket = {
      local,
      send: (datagram, toPort, toAddress) => transmit(datagram, local, { address: toAddress, port: toPort }),
      close: () => void ports.delete(bound),
    };
    return socket;
  };

  return {
    udp,
    kill: (host) => void dead.add(host),
    link: (from, to) => linkOf(from, to).counters,
    loseNext(from, to, seq) {
      const l = linkOf(from, to);
      const imp = options.impairments?.(from, to) ?? NO_IMPAIRMENTS;
      l.model = chooseLoss(l.model ?? newDirectionModel(imp, timers.now()), seq);
    },
  };
}
