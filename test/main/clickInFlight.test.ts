// Click to lose in flight, through main's IPC on the real demo engine and real loopback sockets, with the demo's
// clock on a virtual one: in step mode each datagram stays in flight until virtual time moves, so the ACK of
// receiver 2 is lost while it flies back, deterministically. That costs exactly one timeout and one
// retransmission, to receiver 2 only, with the default stop-and-wait rules on the demo's clock.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/ipc.js';
import type { AppServices } from '../../src/main/services/index.js';
import { realServices } from './realServices.js';
import { demoClockRate, flightMsOf } from '../../src/shared/network/flights.js';
import { NO_IMPAIRMENTS } from '../../src/shared/network/impairments.js';
import { startRelay, type Relay } from '../../src/shared/node/relay.js';
import { virtualClock, type VirtualClock } from '../../src/shared/simulation/virtualClock.js';
import { TimelineKind as K } from '../../src/shared/live/timeline.js';
import { randomPort } from '../helpers/ports.js';

vi.mock('electron');

let dir: string;
let clock: VirtualClock;
let services: AppServices;
/** The demo's relays, the real ones, kept to see what they hold. */
let relays: Relay[];
let call: (channel: string, payload: unknown) => ReturnType<typeof dispatch>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2mp-in-flight-'));
  clock = virtualClock();
  relays = [];
  services = realServices(dir, {
    emit: () => undefined,
    timers: clock,
    demoTempRoot: dir,
    startRelay: async (options) => {
      const relay = await startRelay(options);
      relays.push(relay);
      return relay;
    },
  });
  const handlers = createHandlers(services);
  call = (channel, payload) => dispatch(handlers, channel, payload);
});

afterEach(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** The demo's timeline events of some kinds, as [kind, seq, receiver]. */
function events(kinds: number[]): number[][] {
  const all = services.recording('demo')?.events ?? [];
  const found: number[][] = [];
  for (let i = 0; i < all.length; i += 4)
    if (kinds.includes(all[i + 1]!)) found.push([all[i + 1]!, all[i + 2]!, all[i + 3]!]);
  return found;
}

/** Datagrams the demo's relays hold in flight now, and how many ACKs they got so far. */
const held = (): number => relays.reduce((sum, r) => sum + r.stats().inFlight, 0);
const acksIn = (): number => relays.reduce((sum, r) => sum + r.stats().backward.received, 0);

/**
 * Waits (wall clock, generously bounded) for real I/O to make `done` true; virtual time stands still, but what
 * is due now runs (the engine's zero-delay timers).
 */
async function until(done: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  for (;;) {
    clock.advance(0);
    if (await done()) return;
    if (performance.now() > end) throw new Error(`not reached in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('click to lose in flight', () => {
  it('loses the ACK of receiver 2 while it flies back: one timeout and one retransmission, to it only', async () => {
    const step = { kind: 'step' } as const;
    const timeoutMs = 100; // the course's T
    // The virtual clock stands for the wall: a flight takes as long as step mode draws it (600 ms), the demo's
    // clock runs slower by the same factor, and so does its timer (3 s).
    const flight = flightMsOf(step);
    const timer = timeoutMs / demoClockRate(step, timeoutMs);
    expect([flight, timer]).toEqual([600, 3000]);
    expect(await call('pace:set', { source: 'demo', pace: { mode: step, paused: false } })).toEqual({
      ok: true,
      value: null,
    });
    const started = await call('demo:start', {
      file: null,
      loss: [0, 0, 0],
      mss: 2000,
      timeoutMs,
      profile: 'standard',
      port: randomPort(),
      network: { forward: NO_IMPAIRMENTS, backward: NO_IMPAIRMENTS, seed: 7 },
    });
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const lose = (direction: string, index: number, seq: number) =>
      call('demo:lose-in-flight', { index, direction, seq });

    // Round 1 leaves; chunk 1 flies to all three. Nothing of it can be lost the other way yet.
    await call('pace:step', { source: 'demo' });
    await until(() => held() === 3);
    expect(await lose('backward', 1, 1)).toEqual({ ok: true, value: { lost: false } });
    // It lands; the receivers ACK, and the ACKs fly back. Receiver 2's is lost on the way, once.
    clock.advance(flight);
    await until(() => acksIn() === 3 && held() === 3);
    expect(await lose('backward', 1, 1)).toEqual({ ok: true, value: { lost: true } });
    expect(await lose('backward', 1, 1)).toEqual({ ok: true, value: { lost: false } });
    expect(events([K.netAckLoss])).toEqual([[K.netAckLoss, 1, 1]]);
    clock.advance(flight);
    await until(() => events([K.ack]).length === 2);
    expect(events([K.timeout])).toEqual([]);

    // The timer (T on the demo's clock) expires for receiver 2 only; its retransmission is the next round.
    clock.advance(timer - 2 * flight - 1);
    expect(events([K.timeout])).toEqual([]);
    clock.advance(2); // (a millisecond's slack for the clock rate's rounding)
    await until(() => events([K.timeout]).length === 1);
    expect(events([K.timeout])).toEqual([[K.timeout, 1, 1]]);
    await call('pace:step', { source: 'demo' });
    await until(() => events([K.resend]).length === 1 && held() === 1);
    clock.advance(flight);
    await until(() => acksIn() === 4 && held() === 1);
    clock.advance(flight);
    await until(() => events([K.ack]).length === 3);
    expect(events([K.resend, K.timeout, K.netLoss, K.netAckLoss])).toEqual([
      [K.netAckLoss, 1, 1],
      [K.timeout, 1, 1],
      [K.resend, 1, 1],
    ]);
    // The ACK that came is receiver 2's for chunk 1: the next round goes to all three.
    expect(events([K.ack]).at(-1)).toEqual([K.ack, 1, 1]);
    await call('pace:step', { source: 'demo' });
    await until(() => events([K.send]).length === 6);
    expect(events([K.send]).slice(3)).toEqual([
      [K.send, 2, 0],
      [K.send, 2, 1],
      [K.send, 2, 2],
    ]);
  });
});
