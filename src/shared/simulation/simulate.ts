// The deterministic simulator: one whole transfer, our real sender and receivers (the same code the CLI and the
// app run) over the simulated network, in virtual time, files in memory. A scenario and its seed decide
// everything, so a failing schedule found by a property test replays exactly.
import type { ReceiverCounters, SendResult, SenderEvent } from '../events.js';
import { hkdfSync } from 'node:crypto';
import type { Impairments } from '../network/impairments.js';
import type { StretchCode } from '../node/sessionCrypto.js';
import type { Udp } from '../node/udp.js';
import { hasOfferSeq } from '../offer/message.js';
import { createPacer } from '../engine/pacer.js';
import type { Dialect } from '../protocol/dialect.js';
import type { ProfileName } from '../protocol/segment.js';
import { seededRandom } from '../network/random.js';
import type { RtoMode } from '../engine/rto.js';
import { startReceiver, type ReceiveResult, type ReceiverSession } from '../node/receiver.js';
import { send } from '../node/sender.js';
import type { Protocol } from '../limits.js';
import { memoryFiles } from './memoryFiles.js';
import { createSimNetwork, type LinkCounters } from './network.js';
import { virtualClock } from './virtualClock.js';

export const SENDER_HOST = '127.0.0.1';
export const receiverHost = (i: number): string => `127.0.0.${i + 2}`;

export interface Scenario {
  seed: number;
  profile: ProfileName;
  /** Spoken by the sender and every receiver; the course's own when absent. */
  dialect?: Dialect;
  mss: number;
  /** Loss probability p of each receiver. */
  loss: number[];
  /** Sender to receivers, and back. */
  forward: Impairments;
  backward: Impairments;
  /** Receivers whose host dies at a given virtual time (ms). */
  deaths?: { receiver: number; atMs: number }[];
  /** The teaching pace held for a while (ms of virtual time). */
  pause?: { atMs: number; forMs: number };
  timeoutMs?: number;
  rto?: RtoMode;
  protocol?: Protocol;
  window?: number;
  /** A session code shared by the sender and every receiver: every datagram sealed. */
  code?: string;
  /**
   * Receivers (by index) of the course's own kind: offers never reach them (the reference implementation answers
   * none), so they get the course protocol.
   */
  course?: number[];
}

/**
 * The session code's stretch in virtual time: at once (scrypt would wait on the thread pool while virtual time runs
 * on). Deterministic, and different per code as scrypt's is; never used outside simulations.
 */
const simulatedKdf: StretchCode = (code) => Buffer.from(hkdfSync('sha256', code, 'simulated', '', 32));

/** A receiver's sockets with every offer (and cancel) dropped on arrival: a course receiver, as the sender sees it. */
const offersUnread =
  (udp: Udp, profile: ProfileName): Udp =>
  (bind) =>
    udp({
      ...bind,
      onMessage: (d, from) => {
        if (!hasOfferSeq(d, profile)) bind.onMessage(d, from);
      },
    });

export interface ReceiverOutcome {
  result: ReceiveResult;
  /** The file as it ended up under its final name, if it did. */
  file: Buffer | undefined;
  /** Datagrams from the sender to it, and its datagrams back. */
  forward: LinkCounters;
  backward: LinkCounters;
  /** First transmissions of a segment to it (the sender's 'send' events that are not retransmissions). */
  firstSends: number;
}

export interface Outcome {
  sent: SendResult;
  receivers: ReceiverOutcome[];
  /** Virtual time the whole transfer took, receivers' linger included. */
  virtualMs: number;
  events: number;
}

/** Everything in a transfer's life, in virtual ms: beyond this the simulation is stopped (and counted as hung). */
const LIMIT_MS = 3_600_000;

/**
 * Runs one transfer of `input` (a real file: the sender reads it as it always does) to `loss.length` receivers.
 * `folder` must exist; the receivers' files live in memory under it. `observe` sees every sender event, as the
 * app's views do.
 */
export async function simulateTransfer(
  scenario: Scenario,
  input: string,
  folder: string,
  observe?: (e: SenderEvent) => void,
): Promise<Outcome> {
  const clock = virtualClock();
  const random = seededRandom(scenario.seed);
  const net = createSimNetwork({
    timers: clock,
    random,
    impairments: (_from, to) => (to === SENDER_HOST ? scenario.backward : scenario.forward),
    defaultHost: SENDER_HOST,
  });
  const files = memoryFiles();
  const destination = (i: number): string => `${folder}/out-${i}.bin`;
  const sessions: ReceiverSession[] = await Promise.all(
    scenario.loss.map((p, i) =>
      startReceiver({
        port: 7735,
        bind: receiverHost(i),
        destination: () => destination(i),
        p,
        seed: scenario.seed + i + 1,
        profile: scenario.profile,
        ...(scenario.dialect ? { dialect: scenario.dialect } : {}),
        timers: clock,
        udp: scenario.course?.includes(i) ? offersUnread(net.udp, scenario.profile) : net.udp,
        fileOps: files,
        ...(scenario.code ? { code: scenario.code, sessionKdf: simulatedKdf } : {}),
      }),
    ),
  );
  const pacer = createPacer();
  let sent: SendResult | undefined;
  let events = 0;
  let started = false;
  const firstSends = scenario.loss.map(() => 0);
  const sending = send({
    file: input,
    receivers: scenario.loss.map((_, i) => ({ host: receiverHost(i), port: 7735, label: receiverHost(i) })),
    mss: scenario.mss,
    profile: scenario.profile,
    ...(scenario.dialect ? { dialect: scenario.dialect } : {}),
    timeoutMs: scenario.timeoutMs ?? 100,
    ...(scenario.rto ? { rto: scenario.rto } : {}),
    ...(scenario.protocol ? { protocol: scenario.protocol } : {}),
    ...(scenario.window ? { window: scenario.window } : {}),
    ...(scenario.code ? { code: scenario.code, sessionKdf: simulatedKdf } : {}),
    timers: clock,
    udp: net.udp,
    pacer,
    onEvent: (e: SenderEvent) => {
      events++;
      observe?.(e);
      if (e.type === 'start' || e.type === 'offer') started = true;
      if (e.type === 'send' && !e.retransmission) firstSends[e.receiver]!++;
      if (e.type === 'done') sent = e.result;
    },
  });
  // Setup is real I/O (name resolution, hashing the file in the thread pool): wait for it by event, however busy
  // the machine, never by a count of event-loop turns. From the first offer or send on, everything is a timer of
  // the clock.
  const ioTurn = (): Promise<unknown> => new Promise((resolve) => setImmediate(resolve));
  const IO_BOUND_MS = 30_000;
  const setupUntil = performance.now() + IO_BOUND_MS;
  while (!started && sent === undefined && performance.now() < setupUntil) await ioTurn();
  for (const death of scenario.deaths ?? [])
    clock.setTimeout(() => net.kill(receiverHost(death.receiver)), death.atMs);
  if (scenario.pause) {
    const { atMs, forMs } = scenario.pause;
    clock.setTimeout(() => pacer.pause(), atMs);
    clock.setTimeout(() => pacer.resume(), atMs + forMs);
  }
  // No timer due: the sender may be between steps (its offer phase ends in a promise continuation): turn the
  // event loop until a timer is due or the transfer is over, bounded generously in wall time.
  const settle = async (): Promise<boolean> => {
    const until = performance.now() + IO_BOUND_MS;
    while (sent === undefined && performance.now() < until) {
      await ioTurn();
      if (clock.next()) return true;
    }
    return clock.next();
  };
  while (clock.now() < LIMIT_MS && (clock.next() || (await settle())));
  await sending.catch(() => undefined);
  // Receivers still listening (a dead host's, one that never got a segment) are stopped like the app would.
  await Promise.all(sessions.map((s) => s.stop()));
  const done = await Promise.all(sessions.map((s) => s.done));
  return {
    sent: sent ?? (await sending),
    receivers: done.map((result, i) => ({
      result,
      file: files.read(destination(i)),
      forward: net.link(SENDER_HOST, receiverHost(i)),
      backward: net.link(receiverHost(i), SENDER_HOST),
      firstSends: firstSends[i]!,
    })),
    virtualMs: clock.now(),
    events,
  };
}

/**
 * Every datagram that reached a receiver was classified exactly once (its ACK sent at once, or deferred to a later
 * one), and every ACK answered a datagram or the delayed-ACK timer: the identity the simulator checks.
 */
export function receiverCountersAddUp(c: ReceiverCounters): boolean {
  const answered = c.acksSent - (c.acksForDeferred ?? 0) + (c.acksDeferred ?? 0);
  return c.received === answered + c.dropped + c.corrupt + c.malformed + c.foreign + c.offers;
}
