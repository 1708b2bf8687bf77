// The local demo's simulated network (an impairment relay in front of each receiver): payload validation of
// 'demo:start' with a network and of 'demo:set-network', and a real demo through relays that corrupt, duplicate
// and delay past the timeout, whose files arrive byte-identical and whose counters AS SHOWN (the coalesced
// batches the renderer gets) tell one story: the invariants of test/reliability/relayTransfers.test.ts.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/ipc.js';
import type { AppServices } from '../../src/main/services/index.js';
import { realServices } from './realServices.js';
import type {
  DemoNetwork,
  DemoStarted,
  EventBatch,
  ReceiverSnapshot,
  SenderSnapshot,
} from '../../src/shared/contract.js';
import { NO_IMPAIRMENTS, type Impairments } from '../../src/shared/network/impairments.js';
import { TimelineKind } from '../../src/shared/live/timeline.js';
import { sampleContent } from '../../src/shared/node/sampleFile.js';
import { send, type SendOptions } from '../../src/shared/node/sender.js';
import { randomPort } from '../helpers/ports.js';

vi.mock('electron');

let dir: string;
let services: AppServices;
let batches: { at: number; batch: EventBatch }[];
let call: (channel: unknown, payload: unknown) => ReturnType<typeof dispatch>;
let sent: SendOptions[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2mp-demo-net-'));
  batches = [];
  sent = [];
  services = realServices(dir, {
    send: (options) => {
      sent.push(options);
      return send(options);
    },
    emit: (batch) => batches.push({ at: performance.now(), batch: structuredClone(batch) }),
    demoTempRoot: dir,
  });
  const handlers = createHandlers(services);
  call = (channel, payload) => dispatch(handlers, channel, payload);
});

afterEach(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

const imp = (patch: Partial<Impairments> = {}): Impairments => ({ ...NO_IMPAIRMENTS, ...patch });
const demoRequest = (network: unknown) => ({
  file: null,
  loss: [0, 0, 0],
  mss: 1000,
  timeoutMs: 15,
  profile: 'standard',
  port: randomPort(),
  network,
});

describe('demo network payloads', () => {
  const good = { forward: imp(), backward: imp() };
  it.each([
    ['not an object', 'loss', 'request: expected an object'],
    ['missing direction', { forward: imp() }, 'request.backward: expected an object'],
    ['extra field', { ...good, seed: 1 }, 'request: unexpected field "seed"'],
    ['loss > 1', { ...good, forward: imp({ loss: 1.5 }) }, 'request.forward.loss: must be a probability'],
    [
      'text for a number',
      { ...good, backward: { ...imp(), delayMs: '5' } },
      'request.backward.delayMs: must be a number from 0 to 60000, got 5',
    ],
    [
      'delay too long',
      { ...good, forward: imp({ delayMs: 60_001 }) },
      'request.forward.delayMs: must be a number from 0 to 60000, got 60001',
    ],
    [
      'bad burst parameter',
      { ...good, forward: imp({ burst: { pGoodToBad: 0.1, pBadToGood: -1, lossInBad: 1, lossInGood: 0 } }) },
      'request.forward.burst.pBadToGood: must be a probability between 0 and 1, got -1',
    ],
    [
      'burst not an object',
      { ...good, forward: { ...imp(), burst: 3 } },
      'request.forward.burst: must be an object or null',
    ],
    [
      'unknown impairment',
      { ...good, forward: { ...imp(), lossy: 0.5 } },
      'request.forward.lossy: unknown impairment',
    ],
    ['missing impairment', { ...good, forward: { loss: 0.1 } }, 'request.forward.burst: missing'],
    [
      'corruption of 0 bits',
      { ...good, forward: imp({ corrupt: 0.1, corruptBits: 0 }) },
      'request.forward.corruptBits: must be an integer from 1 to 64, got 0',
    ],
    [
      'negative rate',
      { ...good, backward: imp({ rateBps: -1 }) },
      'request.backward.rateBps: must be a number from 0 to 10000000000, got -1',
    ],
  ])('demo:set-network refuses %s', async (_what, payload, message) => {
    const result = await call('demo:set-network', payload);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(message);
  });

  it.each([
    [
      'a receiver out of range',
      { index: 8, direction: 'forward', seq: 1 },
      'request.index: no such receiver',
    ],
    [
      'an unknown direction',
      { index: 0, direction: 'sideways', seq: 1 },
      'request.direction: expected one of',
    ],
    [
      'a fractional sequence number',
      { index: 0, direction: 'backward', seq: 1.5 },
      'request.seq: expected a',
    ],
    ['a sequence number past 32 bits', { index: 0, direction: 'backward', seq: 2 ** 32 }, 'request.seq:'],
  ])('demo:lose and demo:lose-in-flight refuse %s', async (_what, payload, message) => {
    for (const channel of ['demo:lose', 'demo:lose-in-flight']) {
      const result = await call(channel, payload);
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.error).toContain(message);
    }
  });

  it('demo:lose and demo:lose-in-flight say when the demo has no network', async () => {
    for (const channel of ['demo:lose', 'demo:lose-in-flight'])
      expect(await call(channel, { index: 0, direction: 'forward', seq: 3 })).toEqual({
        ok: false,
        error: 'packets can be lost by click only through the simulated network: enable it first',
      });
  });

  it('demo:set-network with a valid payload says when the demo has no network', async () => {
    expect(await call('demo:set-network', good)).toEqual({
      ok: false,
      error: 'the demo runs without a simulated network: enable it, then start the demo again',
    });
  });

  it.each([
    ['a network that is not an object', [1], 'request.network: expected an object'],
    [
      'a network without a seed',
      { forward: imp(), backward: imp() },
      'request.network.seed: expected a number',
    ],
    ['a bad seed', { forward: imp(), backward: imp(), seed: -1 }, 'request.network.seed: seed 0-4294967295'],
    [
      'bad impairments',
      { forward: imp({ duplicate: 2 }), backward: imp(), seed: 1 },
      'request.network.forward.duplicate: must be a probability between 0 and 1, got 2',
    ],
  ])('demo:start refuses %s (and starts nothing)', async (_what, network, message) => {
    const result = await call('demo:start', demoRequest(network));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(message);
    expect(services.demoSender.running).toBe(false);
  });
});

describe('demo through the simulated network', () => {
  it('corruption 5 % + duplication 20 % + delay crossing the timeout: identical files, matching counters', async () => {
    const network: DemoNetwork = {
      // Each way 8 +- 6 ms: a round trip of 4-28 ms against a 15 ms timeout.
      forward: imp({ corrupt: 0.05, duplicate: 0.2, delayMs: 8, jitterMs: 6 }),
      backward: imp({ delayMs: 8, jitterMs: 6 }),
      seed: 4242,
    };
    const started = await call('demo:start', demoRequest(network));
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const demo = (started as { value: DemoStarted }).value;
    expect(demo.relays?.map((r) => r.seed)).toEqual([4242, 4243, 4244]);
    // Each relay listens on its own loopback address, distinct from its receiver's.
    for (const [i, relay] of demo.relays!.entries()) {
      expect(relay.address).not.toBe(demo.receivers[i]!.address);
      expect(relay.address.startsWith('127.')).toBe(true);
    }

    // A live change reaches every relay (and a bad one is refused without changing anything).
    expect(await call('demo:set-network', { forward: network.forward, backward: network.backward })).toEqual({
      ok: true,
      value: null,
    });

    // What the renderer has been shown so far, per session: the latest snapshot of each.
    const shown = () => {
      const receivers: (ReceiverSnapshot | undefined)[] = [undefined, undefined, undefined];
      let sender: SenderSnapshot | undefined;
      for (const { batch } of batches) {
        sender = batch.senders.demo?.snapshot ?? sender;
        for (let i = 0; i < 3; i++) receivers[i] = batch.receivers[`demo-${i}`]?.snapshot ?? receivers[i];
      }
      return { sender, receivers };
    };
    // Done: the sender has its result, every receiver has stopped (after lingering), every relay is empty
    // and has passed on every ACK its receiver sent.
    const settled = () => {
      const { sender, receivers } = shown();
      return (
        sender?.result != null &&
        receivers.every(
          (r) =>
            r?.listening === null &&
            r.completed.length === 1 &&
            r.relay !== null &&
            r.relay.inFlight === 0 &&
            r.relay.backward.received === r.counters.acksSent,
        )
      );
    };
    await vi.waitFor(() => expect(settled()).toBe(true), { timeout: 40_000, interval: 100 });
    await new Promise((resolve) => setTimeout(resolve, 150)); // one more flush, if anything was pending
    const { sender, receivers } = shown();
    const result = sender!.result!;
    expect(result.ok, JSON.stringify(result.receivers.map((r) => r.failure))).toBe(true);
    const K = sender!.chunks + 1;
    const totals = { corrupted: 0, duplicated: 0, delayed: 0, unneeded: 0 };
    for (let i = 0; i < 3; i++) {
      const r = receivers[i]!;
      const C = r.counters;
      const { forward: F, backward: B } = r.relay!;
      const S = result.receivers[i]!;
      const live = sender!.receivers[i]!;
      const context = JSON.stringify({ i, S, C, F, B });
      // The file: byte-identical to the bundled sample.
      expect((await readFile(r.completed[0]!.path)).equals(sampleContent()), context).toBe(true);
      // The live row the card shows agrees with the final summary.
      expect(live.retransmissions).toBe(S.retransmissions);
      expect(S.acks, context).toBe(K); // I1
      expect(F.received, context).toBe(K + S.retransmissions); // I2
      expect(F.rateDropped + F.overflowDropped + F.sendErrors).toBe(0);
      expect(F.forwarded, context).toBe(F.received - F.dropped - F.burstDropped + F.duplicated); // I3
      expect(C.received, context).toBe(F.forwarded); // I4
      expect(C.foreign).toBe(0);
      // I5: every corrupted copy the relay passed on failed the receiver's checksum.
      expect(C.corrupt + C.malformed, context).toBe(F.corruptedForwarded);
      expect(C.dropped + C.outOfOrder).toBe(0); // I6
      const intact = F.forwarded - F.corruptedForwarded;
      expect(intact, context).toBe(K + C.duplicates); // I7: every duplicate was re-ACKed, none written twice
      expect(C.acksSent, context).toBe(intact); // I8
      expect(B.received).toBe(C.acksSent);
      expect(S.retransmissions, context).toBe(
        F.dropped + F.burstDropped + F.corruptedForwarded + C.duplicates - F.duplicated,
      ); // I9
      expect(C.duplicates, context).toBeGreaterThanOrEqual(F.duplicated);
      totals.corrupted += F.corruptedForwarded;
      totals.duplicated += F.duplicated;
      totals.delayed += F.delayed + B.delayed;
      totals.unneeded += C.duplicates - F.duplicated;
    }
    // Each impairment visibly happened; premature retransmissions (delay > timeout) reached the receivers.
    expect(totals.corrupted).toBeGreaterThan(0);
    expect(totals.duplicated).toBeGreaterThan(0);
    expect(totals.delayed).toBeGreaterThan(0);
    expect(totals.unneeded).toBeGreaterThan(0);

    // Stopping closes the relays; their last counters stay with the snapshots.
    expect(await call('demo:stop', null)).toEqual({ ok: true, value: null });
    expect((await call('demo:set-network', { forward: imp(), backward: imp() })).ok).toBe(false);
  }, 60_000);

  it('puts every datagram a relay loses on the demo timeline, with its number and way; its timeout follows', async () => {
    const network: DemoNetwork = { forward: imp({ loss: 0.2 }), backward: imp({ loss: 0.2 }), seed: 77 };
    // 11 chunks, and a timeout no round trip outlasts on a busy machine: every retransmission follows a loss.
    const request = { ...demoRequest(network), mss: 20_000, timeoutMs: 250 };
    expect((await call('demo:start', request)).ok).toBe(true);
    const finished = () => batches.some((b) => b.batch.senders.demo?.snapshot.result);
    await vi.waitFor(() => expect(finished()).toBe(true), { timeout: 40_000, interval: 100 });
    await new Promise((resolve) => setTimeout(resolve, 150)); // the relays' last counters, flushed
    const relays = () =>
      [0, 1, 2].map(
        (i) => batches.filter((b) => b.batch.receivers[`demo-${i}`]).at(-1)!.batch.receivers[`demo-${i}`]!,
      );
    const recording = services.recording('demo')!;
    const events: number[][] = [];
    for (let i = 0; i < recording.events.length; i += 4) events.push(recording.events.slice(i, i + 4));
    for (let r = 0; r < 3; r++) {
      const { forward: F, backward: B } = relays()[r]!.snapshot.relay!;
      const mine = events.filter(([, , , receiver]) => receiver === r);
      const lost = mine.filter(([, kind]) => kind === TimelineKind.netLoss);
      const ackLost = mine.filter(([, kind]) => kind === TimelineKind.netAckLoss);
      expect(lost.length, JSON.stringify(F)).toBe(F.dropped);
      expect(ackLost.length, JSON.stringify(B)).toBe(B.dropped);
      expect(F.dropped + B.dropped).toBeGreaterThan(0);
      // Each loss is followed by the sender's timeout of that very chunk for that receiver, then its resend.
      for (const [t, , seq] of [...lost, ...ackLost]) {
        const after = mine.filter(([at, , s]) => at! >= t! && s === seq);
        expect(after.some(([, kind]) => kind === TimelineKind.timeout)).toBe(true);
        expect(after.some(([, kind]) => kind === TimelineKind.resend)).toBe(true);
      }
    }
    await call('demo:stop', null);
  }, 60_000);

  it('a demo without the network detaches the relay counters of an earlier one', async () => {
    const network: DemoNetwork = { forward: imp({ duplicate: 0.5 }), backward: imp(), seed: 1 };
    expect((await call('demo:start', { ...demoRequest(network), loss: [0] })).ok).toBe(true);
    await vi.waitFor(
      () => expect(batches.some((b) => b.batch.receivers['demo-0']?.snapshot.relay)).toBe(true),
      { timeout: 10_000 },
    );
    const plain = await call('demo:start', { ...demoRequest(null), loss: [0] });
    expect(plain.ok).toBe(true);
    // The demo's receivers never idle out: no keepalives, which would show as duplicates at receivers that lost
    // nothing while a lossy one holds the round (the course protocol sends none).
    expect(sent.map((o) => o.keepaliveMs)).toEqual([0, 0]);
    expect((plain as { value: DemoStarted }).value.relays).toBeUndefined();
    const since = batches.length;
    await vi.waitFor(
      () => expect(batches.slice(since).some((b) => b.batch.receivers['demo-0']?.fresh)).toBe(true),
      { timeout: 10_000 },
    );
    const last = batches
      .slice(since)
      .filter((b) => b.batch.receivers['demo-0'])
      .at(-1);
    expect(last?.batch.receivers['demo-0']?.snapshot.relay).toBeNull();
    await call('demo:stop', null);
  }, 30_000);
});
