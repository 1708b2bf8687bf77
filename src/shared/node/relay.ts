// The impairment relay: a UDP middlebox between senders (clients) and one receiver (target) that loses, delays,
// duplicates, reorders, corrupts and rate-limits datagrams per direction, as decided by ../impairments.ts.
// Each client gets its own upstream socket, so the target sees one source per client and its replies find the
// way back. Nothing a datagram contains can make it throw; socket errors become events.
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { InputError } from '../errors.js';
import { bindProblem } from './udp.js';
import {
  DIRECTIONS,
  NO_IMPAIRMENTS,
  applyBitFlips,
  chooseLoss,
  fullBucket,
  lostPlan,
  mergeImpairments,
  newDirectionModel,
  planActions,
  planDatagram,
  zeroCounters,
  type Direction,
  type DirectionCounters,
  type DirectionModel,
  type Impairments,
  type RelayEvent,
  type RelayStats,
} from '../network/impairments.js';
import { createFlights } from '../network/flights.js';
import { randomSeed, seededRandom, type RandomSource } from '../network/random.js';
import { systemTimers, type Timers } from '../engine/timers.js';

export interface RelayOptions {
  /** Default 127.0.0.1. */
  listenHost?: string;
  /** 0 = any free port (see relay.address). */
  listenPort: number;
  targetHost: string;
  targetPort: number;
  forward?: Partial<Impairments>;
  backward?: Partial<Impairments>;
  /** Drives every random decision; a random one is chosen (and reported in stats) when absent. */
  seed?: number;
  /**
   * Reads the sequence number a datagram carries in a direction (null: none), for the 'datagram' events and for
   * chosen losses (loseNext). Without it the relay knows no sequence numbers and loseNext never matches.
   */
  sequenceOf?: (direction: Direction, datagram: Buffer) => number | null;
  /**
   * A loss decided before the impairments, for a datagram whose sequence number was read (the Compare view's
   * seeded pattern, network/lossPattern.ts): true drops it, counted and reported as a loss by `loss`.
   */
  lose?: (direction: Direction, seq: number) => boolean;
  /** Called synchronously for every event; exceptions from it are ignored so a listener cannot stop the relay. */
  onEvent?: (event: RelayEvent) => void;
  /** Address the upstream sockets bind to; default: any (the OS picks the route's source address). */
  upstreamHost?: string;
  /** Datagrams waiting on timers, over all clients and directions; beyond it copies are dropped. Default 4096. */
  maxInFlight?: number;
  /** Distinct clients; datagrams from more are ignored. Default 256. */
  maxClients?: number;
  /** A client silent this long (and with nothing in flight) loses its upstream socket. Default 120 s. */
  clientIdleMs?: number;
  /** The clock flights (setFlightMs) run on: the system's by default, the local demo's slowed one there. */
  flightTimers?: Timers;
}

export interface Relay {
  readonly address: { address: string; port: number };
  readonly target: { address: string; port: number };
  readonly seed: number;
  stats(): RelayStats;
  impairments(direction: Direction): Impairments;
  /** Changes some impairments of one direction now; throws InputError (and changes nothing) when invalid. */
  setImpairments(direction: Direction, patch: Partial<Impairments>): Impairments;
  /** Drops the next datagram carrying sequence number `seq` in `direction` (read with RelayOptions.sequenceOf). */
  loseNext(direction: Direction, seq: number): void;
  /** Holds every datagram leaving from now on for `ms` (on RelayOptions.flightTimers) before it goes; 0: none. */
  setFlightMs(ms: number): void;
  /**
   * Loses the datagram carrying `seq` in `direction` while it is held in flight (the earliest, if copies fly);
   * false when none is (it has arrived, or never came).
   */
  loseInFlight(direction: Direction, seq: number): boolean;
  /** Stops: pending, held and flying datagrams are discarded, timers cleared, sockets closed. Idempotent. */
  close(): Promise<void>;
}

/** A copy on its way out; `corrupted` lets the counters say how many corrupted copies actually left. */
interface Packet {
  data: Buffer;
  corrupted: boolean;
  seq: number | null;
}

interface Held {
  packet: Packet;
  timer: NodeJS.Timeout;
}

interface Session {
  key: string;
  address: string;
  port: number;
  upstream: dgram.Socket;
  lastSeen: number;
  pending: number;
  held: Record<Direction, Held | null>;
}

function socketType(address: string): 'udp4' | 'udp6' {
  return isIP(address) === 6 ? 'udp6' : 'udp4';
}

function clientKey(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

function checkPort(name: string, port: number, allowZero: boolean): void {
  if (!Number.isInteger(port) || port < (allowZero ? 0 : 1) || port > 65535)
    throw new InputError(`${name} must be a whole number from ${allowZero ? 0 : 1} to 65535, got ${port}`);
}

/** Resolves a host name, preferring IPv4 (loopback names often list ::1 first while receivers bind 127.0.0.1). */
export async function resolveHost(host: string): Promise<string> {
  if (isIP(host)) return host;
  try {
    const all = await lookup(host, { all: true });
    const chosen = all.find((a) => a.family === 4) ?? all[0];
    if (!chosen) throw new Error('no address');
    return chosen.address;
  } catch {
    throw new InputError(`unknown host "${host}"`);
  }
}

function bindSocket(socket: dgram.Socket, host: string | undefined, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new InputError(`cannot listen on ${host ?? '*'}:${port}: ${bindProblem(err)}`));
    };
    socket.once('error', onError);
    socket.bind({ port, address: host }, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

function closeSocket(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}

/** Bigger kernel buffers absorb bursts; the kernel caps them silently, which is fine. */
function growBuffers(socket: dgram.Socket): void {
  try {
    socket.setRecvBufferSize(4 << 20);
    socket.setSendBufferSize(4 << 20);
  } catch {
    // not supported here: keep the defaults
  }
}

/**
 * Whether `target` is where a socket bound to `bound` listens: the same address, or, bound to every address, one
 * of this machine's (a relay sending to itself would pass every datagram round in a loop).
 */
function isOwnAddress(target: string, bound: string): boolean {
  if (target === bound) return true;
  if (bound !== '0.0.0.0' && bound !== '::') return false;
  if (target.startsWith('127.') || target === '::1') return true;
  return Object.values(networkInterfaces()).some((infos) => infos?.some((info) => info.address === target));
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const listenHost = options.listenHost ?? '127.0.0.1';
  checkPort('listen port', options.listenPort, true);
  checkPort('target port', options.targetPort, false);
  const maxInFlight = options.maxInFlight ?? 4096;
  const maxClients = options.maxClients ?? 256;
  const clientIdleMs = options.clientIdleMs ?? 120_000;
  const impairments: Record<Direction, Impairments> = {
    forward: mergeImpairments(NO_IMPAIRMENTS, options.forward ?? {}, 'forward'),
    backward: mergeImpairments(NO_IMPAIRMENTS, options.backward ?? {}, 'backward'),
  };
  const seed = options.seed ?? randomSeed();
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new InputError(`seed must be a whole number from 0 to 4294967295, got ${seed}`);
  const targetAddress = await resolveHost(options.targetHost);
  const target = { address: targetAddress, port: options.targetPort };

  const started = performance.now();
  const now = () => performance.now() - started;
  // Independent streams per direction, so ACK impairments do not shift the data direction's decisions.
  const randoms: Record<Direction, RandomSource> = {
    forward: seededRandom(seed),
    backward: seededRandom((seed ^ 0x5bd1e995) >>> 0),
  };
  const models: Record<Direction, DirectionModel> = {
    forward: newDirectionModel(impairments.forward, 0),
    backward: newDirectionModel(impairments.backward, 0),
  };
  const counters: Record<Direction, DirectionCounters> = {
    forward: zeroCounters(),
    backward: zeroCounters(),
  };
  // A reader that throws on a hostile datagram reads no number from it.
  const sequenceOf = (direction: Direction, datagram: Buffer): number | null => {
    try {
      return options.sequenceOf?.(direction, datagram) ?? null;
    } catch {
      return null;
    }
  };
  const sessions = new Map<string, Session>();
  const timers = new Set<NodeJS.Timeout>();
  let heldCount = 0;
  let closed = false;
  let flightMs = 0;
  // The last stage: a datagram in flight leaves when it lands (the target or the client gets it then).
  const flights = createFlights<{ session: Session; packet: Packet }>(
    options.flightTimers ?? systemTimers,
    ({ session, packet }, direction) => {
      session.pending--;
      transmit(direction, session, packet);
    },
  );

  const emit = (event: RelayEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // a broken listener must not stop the relay
    }
  };
  const inFlight = () => timers.size + heldCount + flights.size;

  const listen = dgram.createSocket({ type: socketType(listenHost), reuseAddr: false });
  await bindSocket(listen, listenHost, options.listenPort).catch(async (err: unknown) => {
    await closeSocket(listen);
    throw err;
  });
  growBuffers(listen);
  const bound = listen.address();
  const address = { address: bound.address, port: bound.port };
  if (target.port === address.port && isOwnAddress(target.address, address.address)) {
    await closeSocket(listen);
    throw new InputError(
      `the target ${options.targetHost}:${target.port} is this relay itself: give the receiver's address and port`,
    );
  }

  function send(direction: Direction, session: Session, packet: Packet): void {
    if (closed) return;
    if (flightMs > 0) {
      session.pending++;
      flights.launch(direction, packet.seq, { session, packet }, flightMs);
    } else transmit(direction, session, packet);
  }

  function transmit(direction: Direction, session: Session, { data, corrupted }: Packet): void {
    if (closed) return;
    const c = counters[direction];
    c.forwarded++;
    c.bytesForwarded += data.length;
    if (corrupted) c.corruptedForwarded++;
    const onSent = (err: Error | null) => {
      if (err) {
        c.sendErrors++;
        emit({
          type: 'error',
          t: now(),
          message: `send to ${direction === 'forward' ? 'target' : session.key}: ${err.message}`,
        });
      }
    };
    try {
      if (direction === 'forward') session.upstream.send(data, target.port, target.address, onSent);
      else listen.send(data, session.port, session.address, onSent);
    } catch (err) {
      onSent(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** The reorder stage: a held datagram leaves right after the next one of its flow. */
  function release(direction: Direction, session: Session, packet: Packet, holdBack: boolean): void {
    if (closed) return;
    const held = session.held[direction];
    if (held) {
      clearTimeout(held.timer);
      session.held[direction] = null;
      heldCount--;
      session.pending--;
      send(direction, session, packet);
      send(direction, session, held.packet);
      counters[direction].reordered++;
      emit({ type: 'reordered', t: now(), direction, client: session.key, length: held.packet.data.length });
      return;
    }
    if (holdBack && inFlight() < maxInFlight) {
      const timer = setTimeout(() => {
        if (session.held[direction]?.timer !== timer) return;
        session.held[direction] = null;
        heldCount--;
        session.pending--;
        send(direction, session, packet);
      }, impairments[direction].reorderHoldMs);
      session.held[direction] = { packet, timer };
      heldCount++;
      counters[direction].held++;
      session.pending++;
      return;
    }
    send(direction, session, packet);
  }

  function impair(direction: Direction, session: Session, msg: Buffer): void {
    const c = counters[direction];
    c.received++;
    c.bytesReceived += msg.length;
    const seq = sequenceOf(direction, msg);
    const { plan, model } =
      seq !== null && options.lose?.(direction, seq) === true
        ? { plan: lostPlan('loss'), model: models[direction] }
        : planDatagram(impairments[direction], models[direction], randoms[direction], msg.length, now(), seq);
    models[direction] = model;
    const actions = planActions(plan);
    if (plan.verdict === 'loss') c.dropped++;
    if (plan.verdict === 'burst') c.burstDropped++;
    if (plan.verdict === 'chosen') c.chosenDropped++;
    let data = msg;
    if (plan.flips.length > 0) {
      c.corrupted++;
      const flipped = applyBitFlips(msg, plan.flips);
      data = Buffer.from(flipped.buffer, flipped.byteOffset, flipped.byteLength);
    }
    const packet: Packet = { data, corrupted: plan.flips.length > 0, seq };
    c.duplicated += plan.duplicates;
    c.rateDropped += plan.rateDropped;
    // Decide every copy first, so the 'datagram' event comes before any 'reordered' event it causes.
    let copies = 0;
    const immediate: boolean[] = [];
    for (const copy of plan.copies) {
      const waitMs = copy.queueMs + copy.delayMs;
      if (waitMs <= 0) {
        copies++;
        immediate.push(copy.holdBack);
        continue;
      }
      if (inFlight() >= maxInFlight) {
        c.overflowDropped++;
        if (!actions.includes('overflow-dropped')) actions.push('overflow-dropped');
        continue;
      }
      copies++;
      if (copy.delayMs > 0) c.delayed++;
      if (copy.queueMs > 0) c.queued++;
      session.pending++;
      const timer = setTimeout(() => {
        timers.delete(timer);
        session.pending--;
        release(direction, session, packet, copy.holdBack);
      }, waitMs);
      timers.add(timer);
    }
    emit({
      type: 'datagram',
      t: now(),
      direction,
      client: session.key,
      length: msg.length,
      actions,
      copies,
      ...(seq === null ? {} : { seq }),
    });
    for (const holdBack of immediate) release(direction, session, packet, holdBack);
  }

  function openSession(rinfo: dgram.RemoteInfo): Session | null {
    const key = clientKey(rinfo.address, rinfo.port);
    const existing = sessions.get(key);
    if (existing) return existing;
    if (sessions.size >= maxClients) return null;
    const upstream = dgram.createSocket(socketType(target.address));
    const session: Session = {
      key,
      address: rinfo.address,
      port: rinfo.port,
      upstream,
      lastSeen: now(),
      pending: 0,
      held: { forward: null, backward: null },
    };
    upstream.on('error', (err) =>
      emit({ type: 'error', t: now(), message: `upstream of ${key}: ${err.message}` }),
    );
    upstream.on('message', (reply, from) => {
      if (closed) return;
      // Only the target's replies go back; anything else reaching this port is somebody else's traffic.
      if (from.address !== target.address || from.port !== target.port) {
        counters.backward.ignored++;
        return;
      }
      session.lastSeen = now();
      impair('backward', session, reply);
    });
    // Sends issued before the bind completes are queued by Node, so the session is usable at once.
    upstream.bind({ port: 0, address: options.upstreamHost }, () => growBuffers(upstream));
    sessions.set(key, session);
    emit({ type: 'client', t: now(), client: key });
    return session;
  }

  listen.on('error', (err) => emit({ type: 'error', t: now(), message: `listening socket: ${err.message}` }));
  listen.on('message', (msg, rinfo) => {
    if (closed) return;
    if (rinfo.address === target.address && rinfo.port === target.port) {
      counters.forward.ignored++; // the target talking to the relay's public port would loop
      return;
    }
    const session = openSession(rinfo);
    if (!session) {
      counters.forward.ignored++;
      return;
    }
    session.lastSeen = now();
    impair('forward', session, msg);
  });

  const sweeper = setInterval(
    () => {
      const t = now();
      for (const session of sessions.values()) {
        if (session.pending > 0 || t - session.lastSeen < clientIdleMs) continue;
        sessions.delete(session.key);
        void closeSocket(session.upstream);
        emit({ type: 'client-closed', t, client: session.key });
      }
    },
    Math.max(10, Math.min(clientIdleMs / 2, 10_000)),
  );
  sweeper.unref();

  const stats = (): RelayStats => ({
    seed,
    clients: sessions.size,
    inFlight: inFlight(),
    forward: { ...counters.forward },
    backward: { ...counters.backward },
  });

  emit({
    type: 'listening',
    t: now(),
    address: address.address,
    port: address.port,
    target: clientKey(target.address, target.port),
    seed,
  });

  return {
    address,
    target,
    seed,
    stats,
    impairments: (direction) => ({ ...impairments[direction] }),
    setImpairments(direction, patch) {
      if (!DIRECTIONS.includes(direction)) throw new InputError(`unknown direction "${String(direction)}"`);
      const next = mergeImpairments(impairments[direction], patch, direction);
      // A new rate starts with a full bucket; the loss chain keeps its state.
      if (next.rateBps !== impairments[direction].rateBps)
        models[direction] = { ...models[direction], bucket: fullBucket(next, now()) };
      impairments[direction] = next;
      emit({ type: 'impairments', t: now(), direction, impairments: { ...next } });
      return { ...next };
    },
    loseNext(direction, seq) {
      if (!DIRECTIONS.includes(direction)) throw new InputError(`unknown direction "${String(direction)}"`);
      models[direction] = chooseLoss(models[direction], seq);
    },
    setFlightMs(ms) {
      if (!(ms >= 0) || !Number.isFinite(ms))
        throw new InputError(`a flight must be 0 ms or more, got ${ms}`);
      flightMs = ms;
    },
    loseInFlight(direction, seq) {
      if (!DIRECTIONS.includes(direction)) throw new InputError(`unknown direction "${String(direction)}"`);
      const lost = flights.lose(direction, seq);
      if (!lost) return false;
      lost.session.pending--;
      counters[direction].chosenDropped++;
      emit({
        type: 'lost-in-flight',
        t: now(),
        direction,
        client: lost.session.key,
        length: lost.packet.data.length,
        seq,
      });
      return true;
    },
    async close() {
      if (closed) return;
      closed = true;
      const final = stats(); // inFlight here = datagrams discarded by closing
      clearInterval(sweeper);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const session of sessions.values())
        for (const direction of DIRECTIONS) {
          const held = session.held[direction];
          if (held) clearTimeout(held.timer);
          session.held[direction] = null;
        }
      heldCount = 0;
      flights.clear();
      await Promise.all([closeSocket(listen), ...[...sessions.values()].map((s) => closeSocket(s.upstream))]);
      sessions.clear();
      emit({ type: 'closed', t: now(), stats: final });
    },
  };
}
