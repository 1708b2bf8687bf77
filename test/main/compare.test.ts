// Compare through main's IPC on the real engine, receivers and relays over loopback, with the lanes' clock on a
// virtual one (the course's T = 0.1 s, default rules): every protocol's lane loses exactly the datagrams the
// seeded pattern says, so the lanes lose the same first copies; every receiver's file arrives byte-identical (read
// here as it lands, and hashed by main); each lane's sender window never holds more than its protocol allows.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/ipc.js';
import type { AppServices } from '../../src/main/services/index.js';
import type { CompareBatch, CompareResult, CompareStarted, EventBatch } from '../../src/shared/contract.js';
import type { Direction } from '../../src/shared/network/impairments.js';
import { PROTOCOLS } from '../../src/shared/limits.js';
import { startReceiver } from '../../src/shared/node/receiver.js';
import { startRelay } from '../../src/shared/node/relay.js';
import { send, type SendOptions } from '../../src/shared/node/sender.js';
import { sampleContent } from '../../src/shared/node/sampleFile.js';
import { patternLoses, type LossPattern } from '../../src/shared/network/lossPattern.js';
import { virtualClock, type VirtualClock } from '../../src/shared/simulation/virtualClock.js';
import { realServices } from './realServices.js';
import { randomPort } from '../helpers/ports.js';

vi.mock('electron');

/** What one relay saw: every datagram with a sequence number, its attempt and whether it was lost. */
interface Seen {
  lane: number;
  receiver: number;
  direction: Direction;
  seq: number;
  attempt: number;
  lost: boolean;
}

let dir: string;
let clock: VirtualClock;
let services: AppServices;
let batches: EventBatch[];
let seen: Seen[];
/** Files as they landed, read before main removes them. */
let landed: { lane: number; bytes: Buffer }[];
let sent: SendOptions[];
let call: (channel: string, payload: unknown) => ReturnType<typeof dispatch>;

/** Lane i's receivers live on 127.0.(10 + 2i).x, its relays on 127.0.(11 + 2i).x (compareService.ts). */
const laneOf = (address: string): number => (Number(address.split('.')[2]) - 10) >> 1;
const indexOf = (address: string): number => Number(address.split('.')[3]) - 2;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2mp-compare-'));
  clock = virtualClock();
  batches = [];
  seen = [];
  landed = [];
  sent = [];
  services = realServices(dir, {
    send: (options) => {
      sent.push(options);
      return send(options);
    },
    emit: (batch) => batches.push(structuredClone(batch)),
    timers: clock,
    demoTempRoot: dir,
    startReceiver: (options) =>
      startReceiver({
        ...options,
        onEvent: (e) => {
          if (e.type === 'complete')
            landed.push({ lane: laneOf(options.bind ?? ''), bytes: readFileSync(e.file.path) });
          options.onEvent?.(e);
        },
      }),
    startRelay: (options) => {
      const attempts = new Map<string, number>();
      return startRelay({
        ...options,
        onEvent: (e) => {
          if (e.type === 'datagram' && e.seq !== undefined) {
            const key = `${e.direction} ${e.seq}`;
            const attempt = (attempts.get(key) ?? 0) + 1;
            attempts.set(key, attempt);
            seen.push({
              lane: laneOf(options.listenHost ?? ''),
              receiver: indexOf(options.listenHost ?? ''),
              direction: e.direction,
              seq: e.seq,
              attempt,
              lost: e.copies === 0,
            });
          }
          options.onEvent?.(e);
        },
      });
    },
  });
  const handlers = createHandlers(services);
  call = (channel, payload) => dispatch(handlers, channel, payload);
});

afterEach(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

const request = (patch: Record<string, unknown> = {}) => ({
  file: null,
  receivers: 3,
  loss: { forward: 0.15, backward: 0.1 },
  window: 4,
  seed: 20_240_917,
  mss: 2000,
  timeoutMs: 100,
  profile: 'standard',
  port: randomPort(),
  ...patch,
});

/** The comparison as the renderer would have it: every lane's latest result and all its spans. */
function folded(): {
  results: (CompareResult | null)[];
  spans: Map<number, [number, number]>[];
  timeouts: number[];
} {
  const compare = batches.flatMap((b) => (b.compare ? [b.compare] : []));
  const start = compare.map((c) => c.fresh).lastIndexOf(true);
  const current: CompareBatch[] = compare.slice(start);
  const lanes = current[0]?.lanes.length ?? 0;
  const spans = Array.from({ length: lanes }, () => new Map<number, [number, number]>());
  // The timeouts the lane's sender reported, one per receiver and expiry (what its log lists).
  const timeouts = Array.from({ length: lanes }, () => 0);
  for (const batch of current)
    batch.lanes.forEach((lane, i) => {
      timeouts[i]! += lane.sender.timeouts.length + lane.sender.timeoutsDropped;
      const flat = lane.sender.spans;
      for (let k = 0; k < flat.length; k += 3) spans[i]!.set(flat[k]!, [flat[k + 1]!, flat[k + 2]!]);
    });
  const last = current[current.length - 1];
  return { results: last?.lanes.map((l) => l.result) ?? [], spans, timeouts };
}

/** The most segments outstanding at once: sweep over span starts and ends. */
function widest(spans: Map<number, [number, number]>): number {
  const edges = [...spans.values()].flatMap(([from, to]): [number, number][] => [
    [from, 1],
    [to, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // an end before a start at the same instant
  let now = 0;
  let most = 0;
  for (const [, step] of edges) most = Math.max(most, (now += step));
  return most;
}

describe('compare', () => {
  it('refuses bad requests in words', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { loss: { forward: 1.5, backward: 0 } },
        'request.loss.forward: loss probability p must be between 0 and 1',
      ],
      [{ loss: { forward: 0.1 } }, 'request.loss.backward'],
      [{ window: 0 }, 'request.window: window must be a whole number from 1 to 1024'],
      [{ seed: -1 }, 'request.seed: seed 0-4294967295'],
      [{ receivers: 9 }, 'request.receivers: receivers must be a whole number from 1 to 8'],
      [{ file: 'relative/path' }, 'request.file: expected an absolute path'],
      [{ file: '/etc/passwd' }, 'the app only reads files you picked or dropped'],
    ];
    for (const [patch, message] of cases) {
      const result = await call('compare:start', request(patch));
      expect(result.ok, JSON.stringify(patch)).toBe(false);
      expect(result.ok ? '' : result.error).toContain(message);
    }
  });

  it('loses the same datagrams in every lane, and every file arrives byte-identical', async () => {
    const req = request();
    const started = await call('compare:start', req);
    expect(started).toMatchObject({ ok: true });
    expect(started.ok && (started.value as CompareStarted).lanes).toEqual(
      PROTOCOLS.map((protocol) => ({ protocol, window: protocol === 'saw' ? null : 4 })),
    );
    const done = (): boolean => {
      const { results } = folded();
      return results.length === PROTOCOLS.length && results.every((r) => r !== null);
    };
    expect(await clock.run(done, 600_000)).toBe(true);
    const { results, spans, timeouts } = folded();
    const sample = sampleContent();
    const chunks = Math.ceil(sample.length / req.mss);
    const pattern: LossPattern = { seed: req.seed, p: req.loss };

    // No keepalives: the lanes' receivers never idle out, and a repeat would be drawn as nothing (a duplicate
    // at a receiver that lost nothing).
    expect(sent.map((o) => o.keepaliveMs)).toEqual(PROTOCOLS.map(() => 0));
    // Receivers named by their place, alike in every lane (their relays' addresses differ from lane to lane).
    expect(sent.map((o) => o.receivers.map((r) => r.label))).toEqual(PROTOCOLS.map(() => ['R1', 'R2', 'R3']));
    for (const [lane, protocol] of PROTOCOLS.entries()) {
      const result = results[lane]!;
      expect(result, protocol).toMatchObject({ ok: true, identical: [true, true, true] });
      // The files as they landed, read by this test: the original, byte for byte.
      const files = landed.filter((f) => f.lane === lane);
      expect(files).toHaveLength(3);
      for (const file of files) expect(file.bytes.equals(sample)).toBe(true);
      // Each datagram lost exactly when the pattern says, by (receiver, direction, seq, attempt).
      const mine = seen.filter((s) => s.lane === lane);
      for (const s of mine)
        expect(s.lost, JSON.stringify(s)).toBe(
          patternLoses(pattern, s.receiver, s.direction, s.seq, s.attempt),
        );
      expect(result.lost.data).toBe(mine.filter((s) => s.lost && s.direction === 'forward').length);
      expect(result.lost.acks).toBe(mine.filter((s) => s.lost && s.direction === 'backward').length);
      expect(result.lost.data).toBeGreaterThan(0);
      expect(result.retransmissions).toBeGreaterThan(0);
      expect(result.timeouts).toBeGreaterThan(0);
      // Counted alike in every lane: each receiver's timeout once, as the lane's log lists them.
      expect(result.timeouts, protocol).toBe(timeouts[lane]);
      expect(result.transmissions).toBeGreaterThanOrEqual(3 * (chunks + 1) + result.retransmissions);
      expect(result.wire.dataDatagrams).toBeGreaterThanOrEqual(result.transmissions);
      expect(result.wire.dataBytes).toBeGreaterThan(3 * sample.length);
      expect(result.goodput).toBeCloseTo(sample.length / (result.durationMs / 1000), 6);
      // The sender window: every segment outstanding once, never more of them than the protocol allows.
      expect([...spans[lane]!.keys()].sort((a, b) => a - b)).toEqual(
        Array.from({ length: chunks + 1 }, (_, i) => i + 1),
      );
      for (const [from, to] of spans[lane]!.values()) expect(to).toBeGreaterThanOrEqual(from);
      expect(widest(spans[lane]!)).toBe(protocol === 'saw' ? 1 : 4);
    }
    // The first copy of each segment to each receiver goes out in every lane: the same ones are lost in each.
    const firstLosses = (lane: number): string[] =>
      seen
        .filter((s) => s.lane === lane && s.direction === 'forward' && s.attempt === 1 && s.lost)
        .map((s) => `${s.receiver}:${s.seq}`)
        .sort();
    expect(firstLosses(0).length).toBeGreaterThan(5);
    for (const lane of PROTOCOLS.keys()) expect(firstLosses(lane)).toEqual(firstLosses(0));
  }, 120_000);
});
