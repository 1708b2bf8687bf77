// The relay on real loopback sockets: each impairment does what it says, and the counters match what the target
// and the client actually observed.
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/shared/errors.js';
import {
  bitDistance,
  type DirectionCounters,
  type RelayEvent,
} from '../../src/shared/network/impairments.js';
import { startRelay, type Relay, type RelayOptions } from '../../src/shared/node/relay.js';
import { virtualClock } from '../../src/shared/simulation/virtualClock.js';
import {
  closeEndpoints,
  endpoint,
  indexOf,
  numbered,
  sendAll,
  sleep,
  until,
  type Endpoint,
} from './helpers.js';

const relays: Relay[] = [];

afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.close()));
  await closeEndpoints();
});

async function setup(
  options: Partial<RelayOptions> = {},
  echo = false,
): Promise<{ relay: Relay; target: Endpoint; client: Endpoint; events: RelayEvent[] }> {
  const target = await endpoint(echo);
  const client = await endpoint();
  const events: RelayEvent[] = [];
  const relay = await startRelay({
    listenPort: 0,
    targetHost: '127.0.0.1',
    targetPort: target.port,
    seed: 1,
    onEvent: (e) => events.push(e),
    ...options,
  });
  relays.push(relay);
  return { relay, target, client, events };
}

const range = (n: number, length = 64) => Array.from({ length: n }, (_, i) => numbered(i, length));

/** Every copy that entered the relay is accounted for once nothing is in flight. */
function expectBalanced(c: DirectionCounters): void {
  const passed = c.received - c.dropped - c.burstDropped + c.duplicated;
  expect(c.forwarded + c.rateDropped + c.overflowDropped).toBe(passed);
}

describe('relay without impairments', () => {
  it('relays both ways unchanged, every length from 0 to 65507, one upstream source per client', async () => {
    const { relay, target, client } = await setup({}, true);
    const lengths = [0, 1, 7, 8, 1400, 9000, 65507];
    const datagrams = lengths.map((n) => Buffer.alloc(n, n & 0xff));
    await sendAll(client.socket, relay.address.port, datagrams, 1);
    expect(await until(() => client.arrivals.length === lengths.length)).toBe(true);
    expect(target.arrivals.map((a) => a.data)).toEqual(datagrams);
    expect(client.arrivals.map((a) => a.data)).toEqual(datagrams);
    expect(client.arrivals.every((a) => a.from.port === relay.address.port)).toBe(true);

    const other = await endpoint();
    await sendAll(other.socket, relay.address.port, [Buffer.from('second client')]);
    expect(await until(() => other.arrivals.length === 1)).toBe(true);
    const sources = new Set(target.arrivals.map((a) => a.from.port));
    expect(sources.size).toBe(2);
    expect(sources.has(relay.address.port)).toBe(false);
    expect(client.arrivals.length).toBe(lengths.length); // the reply went to the other client only

    const stats = relay.stats();
    expect(stats.clients).toBe(2);
    expect(stats.forward).toMatchObject({ received: 8, forwarded: 8, dropped: 0, duplicated: 0 });
    expect(stats.backward).toMatchObject({ received: 8, forwarded: 8 });
    expect(stats.forward.bytesForwarded).toBe(lengths.reduce((a, b) => a + b, 0) + 13);
  });

  it('ignores datagrams reaching an upstream port from anyone but the target', async () => {
    const { relay, target, client } = await setup();
    await sendAll(client.socket, relay.address.port, [Buffer.from('hello')]);
    expect(await until(() => target.arrivals.length === 1)).toBe(true);
    const upstreamPort = target.arrivals[0]!.from.port;
    const stranger = await endpoint();
    await sendAll(stranger.socket, upstreamPort, [Buffer.from('spoofed ack')]);
    expect(await until(() => relay.stats().backward.ignored === 1)).toBe(true);
    await sleep(20);
    expect(client.arrivals).toEqual([]);
    expect(relay.stats().backward.received).toBe(0);
  });

  it('refuses a port in use with a clear InputError', async () => {
    const { relay } = await setup();
    await expect(
      startRelay({ listenPort: relay.address.port, targetHost: '127.0.0.1', targetPort: 9 }),
    ).rejects.toThrow(/the port is already in use/);
    await expect(startRelay({ listenPort: 0, targetHost: '127.0.0.1', targetPort: 0 })).rejects.toThrow(
      InputError,
    );
    await expect(
      startRelay({ listenPort: 0, targetHost: '127.0.0.1', targetPort: 9, forward: { loss: 2 } }),
    ).rejects.toThrow(/forward\.loss/);
  });
});

describe('each impairment on real sockets', () => {
  it('loss 0.2 over 2000 datagrams drops about 20%, the same ones for the same seed', async () => {
    const run = async (seed: number) => {
      const { relay, target, client } = await setup({ seed, forward: { loss: 0.2 } });
      await sendAll(client.socket, relay.address.port, range(2000, 32));
      const stats = () => relay.stats().forward;
      expect(
        await until(() => stats().received === 2000 && target.arrivals.length === stats().forwarded),
      ).toBe(true);
      const c = stats();
      expect(c.dropped / 2000).toBeGreaterThan(0.17);
      expect(c.dropped / 2000).toBeLessThan(0.23);
      expect(target.arrivals.length).toBe(2000 - c.dropped);
      expectBalanced(c);
      return target.arrivals.map((a) => indexOf(a.data));
    };
    const first = await run(5);
    expect(await run(5)).toEqual(first);
    expect(await run(6)).not.toEqual(first);
  });

  it('burst loss loses in runs and counts them as burstDropped', async () => {
    const burst = { pGoodToBad: 0.05, pBadToGood: 0.25, lossInBad: 1, lossInGood: 0 };
    const { relay, target, client } = await setup({ seed: 3, forward: { burst } });
    await sendAll(client.socket, relay.address.port, range(1000, 16));
    expect(await until(() => relay.stats().forward.received === 1000)).toBe(true);
    await until(() => target.arrivals.length === relay.stats().forward.forwarded);
    const c = relay.stats().forward;
    expect(c.dropped).toBe(0);
    expect(c.burstDropped).toBe(1000 - target.arrivals.length);
    expect(c.burstDropped).toBeGreaterThan(80);
    const got = new Set(target.arrivals.map((a) => indexOf(a.data)));
    let runs = 0;
    for (let i = 0; i < 1000; i++) if (!got.has(i) && (i === 0 || got.has(i - 1))) runs++;
    expect(c.burstDropped / runs).toBeGreaterThan(2); // mean burst about 4, Bernoulli would give about 1.2
  });

  it('loses the next datagram with a chosen sequence number, once, either way, and says which it lost', async () => {
    const { relay, target, client, events } = await setup(
      { sequenceOf: (_direction, data) => (data.length >= 4 ? indexOf(data) : null) },
      true,
    );
    relay.loseNext('forward', 5);
    relay.loseNext('backward', 8);
    // 0..9, then 5 and 8 again: the first 5 dies on the way there, the first echo of 8 on the way back.
    await sendAll(client.socket, relay.address.port, [...range(10), numbered(5), numbered(8)]);
    expect(await until(() => client.arrivals.length === 10)).toBe(true);
    await sleep(50);
    expect(target.arrivals.map((a) => indexOf(a.data))).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 5, 8]);
    expect(client.arrivals.map((a) => indexOf(a.data))).toEqual([0, 1, 2, 3, 4, 6, 7, 9, 5, 8]);
    expect(relay.stats().forward).toMatchObject({ chosenDropped: 1, dropped: 0, forwarded: 11 });
    expect(relay.stats().backward).toMatchObject({ chosenDropped: 1, dropped: 0, forwarded: 10 });
    const lost = events.filter((e) => e.type === 'datagram' && e.copies === 0);
    expect(lost).toMatchObject([
      { direction: 'forward', seq: 5, actions: ['chosen-dropped'] },
      { direction: 'backward', seq: 8, actions: ['chosen-dropped'] },
    ]);
  });

  it('holds each datagram in flight on its clock, and loses the one picked while it flies, either way', async () => {
    const clock = virtualClock();
    const { relay, target, client, events } = await setup(
      { sequenceOf: (_direction, data) => indexOf(data), flightTimers: clock },
      true,
    );
    relay.setFlightMs(100);
    await sendAll(client.socket, relay.address.port, range(3));
    expect(await until(() => relay.stats().inFlight === 3)).toBe(true);
    expect(target.arrivals).toEqual([]); // in flight: nothing arrives before it lands
    expect(relay.loseInFlight('forward', 1)).toBe(true);
    expect(relay.loseInFlight('forward', 1)).toBe(false); // that datagram is gone, and there was one
    clock.advance(100);
    expect(await until(() => target.arrivals.length === 2)).toBe(true);
    expect(target.arrivals.map((a) => indexOf(a.data))).toEqual([0, 2]);
    // The echoes fly back: lose 2's; 0's lands; then it is too late to lose it.
    expect(await until(() => relay.stats().inFlight === 2)).toBe(true);
    expect(relay.loseInFlight('backward', 2)).toBe(true);
    clock.advance(100);
    expect(await until(() => client.arrivals.length === 1)).toBe(true);
    expect(relay.loseInFlight('backward', 0)).toBe(false);
    expect(client.arrivals.map((a) => indexOf(a.data))).toEqual([0]);
    expect(relay.stats()).toMatchObject({
      inFlight: 0,
      forward: { chosenDropped: 1, forwarded: 2 },
      backward: { chosenDropped: 1, forwarded: 1 },
    });
    expect(events.filter((e) => e.type === 'lost-in-flight')).toMatchObject([
      { direction: 'forward', seq: 1, length: 64 },
      { direction: 'backward', seq: 2, length: 64 },
    ]);
    // Flight 0: straight through again.
    relay.setFlightMs(0);
    await sendAll(client.socket, relay.address.port, [numbered(7)]);
    expect(await until(() => client.arrivals.length === 2)).toBe(true);
    expect(() => relay.setFlightMs(-1)).toThrow(InputError);
  });

  it('ACK loss applies to replies only', async () => {
    const { relay, target, client } = await setup({ backward: { loss: 1 } }, true);
    await sendAll(client.socket, relay.address.port, range(20));
    expect(await until(() => relay.stats().backward.dropped === 20)).toBe(true);
    expect(target.arrivals.length).toBe(20);
    expect(client.arrivals).toEqual([]);
    expect(relay.stats().forward).toMatchObject({ received: 20, forwarded: 20, dropped: 0 });
  });

  it('duplicate 1: every datagram arrives twice', async () => {
    const { relay, target, client } = await setup({ forward: { duplicate: 1 } });
    await sendAll(client.socket, relay.address.port, range(100));
    expect(await until(() => target.arrivals.length === 200)).toBe(true);
    await sleep(20);
    expect(target.arrivals.length).toBe(200);
    const indices = target.arrivals.map((a) => indexOf(a.data));
    for (let i = 0; i < 100; i++) expect(indices.filter((x) => x === i).length).toBe(2);
    const c = relay.stats().forward;
    expect(c).toMatchObject({ received: 100, duplicated: 100, forwarded: 200 });
    expectBalanced(c);
  });

  it('corrupt 1: every datagram differs in 1..k bits, and the count says so', async () => {
    const { relay, target, client } = await setup({ forward: { corrupt: 1, corruptBits: 4 } });
    const sent = range(200, 100);
    await sendAll(client.socket, relay.address.port, sent);
    expect(await until(() => target.arrivals.length === 200)).toBe(true);
    const distances = target.arrivals.map((a, i) => bitDistance(a.data, sent[i]!));
    expect(distances.every((d) => d >= 1 && d <= 4)).toBe(true);
    expect(new Set(distances).size).toBe(4);
    expect(relay.stats().forward).toMatchObject({
      received: 200,
      corrupted: 200,
      corruptedForwarded: 200,
      forwarded: 200,
    });
  });

  it('a duplicated corrupted datagram is counted once as corrupted and twice as corrupted-forwarded', async () => {
    const { relay, target, client } = await setup({ seed: 2, forward: { corrupt: 0.5, duplicate: 0.5 } });
    const sent = range(200, 100);
    await sendAll(client.socket, relay.address.port, sent);
    const c = () => relay.stats().forward;
    expect(await until(() => c().received === 200 && target.arrivals.length === c().forwarded)).toBe(true);
    // The index itself may be hit, so recognise an intact datagram by its whole content.
    const intact = new Set(sent.map((d) => d.toString('hex')));
    const damaged = target.arrivals.filter((a) => !intact.has(a.data.toString('hex')));
    expect(c().corruptedForwarded).toBe(damaged.length);
    expect(c().corruptedForwarded).toBeGreaterThan(c().corrupted);
  });

  it('delay 50: every datagram arrives at least 50 ms after it was sent', async () => {
    const { relay, target, client } = await setup({ forward: { delayMs: 50 } });
    const sentAt = await sendAll(client.socket, relay.address.port, range(20), 1);
    expect(await until(() => target.arrivals.length === 20)).toBe(true);
    for (const arrival of target.arrivals) {
      // libuv's millisecond clock may round a timer up to 1 ms early against performance.now()
      expect(arrival.at - sentAt[indexOf(arrival.data)]!).toBeGreaterThanOrEqual(49);
    }
    expect(relay.stats().forward).toMatchObject({ received: 20, delayed: 20, forwarded: 20 });
  });

  it('jitter spreads arrivals and can reorder them', async () => {
    const { relay, target, client } = await setup({ forward: { delayMs: 30, jitterMs: 25 } });
    await sendAll(client.socket, relay.address.port, range(100), 20);
    expect(await until(() => target.arrivals.length === 100)).toBe(true);
    const order = target.arrivals.map((a) => indexOf(a.data));
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
  });

  it('reorder 1: each datagram is held back and sent after the next one', async () => {
    const { relay, target, client, events } = await setup({ forward: { reorder: 1, reorderHoldMs: 500 } });
    await sendAll(client.socket, relay.address.port, range(10), 1);
    expect(await until(() => target.arrivals.length === 10)).toBe(true);
    expect(target.arrivals.map((a) => indexOf(a.data))).toEqual([1, 0, 3, 2, 5, 4, 7, 6, 9, 8]);
    expect(relay.stats().forward).toMatchObject({ held: 5, reordered: 5, forwarded: 10 });
    expect(events.filter((e) => e.type === 'reordered').length).toBe(5);
  });

  it('reorder 1 with one datagram in flight (stop-and-wait): each is held, none overtaken, and the counters say so', async () => {
    const { relay, target, client } = await setup({ forward: { reorder: 1, reorderHoldMs: 30 } });
    for (let i = 0; i < 5; i++) {
      await sendAll(client.socket, relay.address.port, [numbered(i, 64)]);
      expect(await until(() => target.arrivals.length === i + 1)).toBe(true);
    }
    expect(relay.stats().forward).toMatchObject({ held: 5, reordered: 0, forwarded: 5 });
  });

  it('reorder 0.3: descents in the arrival order equal the reordered count; a last held datagram still leaves', async () => {
    const { relay, target, client } = await setup({ seed: 8, forward: { reorder: 0.3, reorderHoldMs: 30 } });
    await sendAll(client.socket, relay.address.port, range(300), 4);
    expect(await until(() => target.arrivals.length === 300 && relay.stats().inFlight === 0)).toBe(true);
    const order = target.arrivals.map((a) => indexOf(a.data));
    let descents = 0;
    for (let i = 1; i < order.length; i++) if (order[i]! < order[i - 1]!) descents++;
    const c = relay.stats().forward;
    expect(c.reordered).toBeGreaterThan(40);
    expect(descents).toBe(c.reordered);
    expect([...order].sort((a, b) => a - b)).toEqual([...Array(300).keys()]);
  });

  it('rate limit bounds the throughput, queues within the limit and drops (and counts) the excess', async () => {
    const rateBps = 200_000;
    const rateBurstBytes = 2000;
    const { relay, target, client } = await setup({
      forward: { rateBps, rateBurstBytes, rateQueueBytes: 40_000 },
    });
    const start = performance.now();
    await sendAll(client.socket, relay.address.port, range(150, 1000), 8); // far faster than 200 kB/s
    expect(await until(() => relay.stats().forward.received === 150 && relay.stats().inFlight === 0)).toBe(
      true,
    );
    await until(() => target.arrivals.length === relay.stats().forward.forwarded);
    const c = relay.stats().forward;
    expect(c.rateDropped).toBeGreaterThan(0);
    // Past the bucket, what was not dropped waited in the queue.
    expect(c.queued).toBeGreaterThan(0);
    expect(c.queued).toBeLessThanOrEqual(c.forwarded);
    expect(target.arrivals.length).toBe(c.forwarded);
    expectBalanced(c);
    // Bytes that left by any moment never exceed bucket + rate x elapsed (+ 2 ms of timer slack).
    for (const [i, arrival] of target.arrivals.entries()) {
      const allowed = rateBurstBytes + (rateBps / 1000) * (arrival.at - start + 2);
      expect((i + 1) * 1000).toBeLessThanOrEqual(allowed);
    }
  });

  it('bounds the datagrams in flight and discards them all on close', async () => {
    const { relay, target, client } = await setup({ forward: { delayMs: 2000 }, maxInFlight: 10 });
    await sendAll(client.socket, relay.address.port, range(30));
    expect(await until(() => relay.stats().forward.received === 30)).toBe(true);
    expect(relay.stats()).toMatchObject({ inFlight: 10, forward: { overflowDropped: 20, delayed: 10 } });
    await relay.close();
    expect(relay.stats().inFlight).toBe(0);
    await sleep(50);
    expect(target.arrivals).toEqual([]);
    await relay.close(); // idempotent
  });
});

describe('live changes, events and hostile input', () => {
  it('setImpairments changes one direction at once and refuses bad values without changing anything', async () => {
    const { relay, target, client, events } = await setup({ forward: { loss: 1 } });
    await sendAll(client.socket, relay.address.port, range(5));
    expect(await until(() => relay.stats().forward.dropped === 5)).toBe(true);
    expect(() => relay.setImpairments('forward', { loss: -0.1 })).toThrow(/forward\.loss/);
    expect(relay.impairments('forward').loss).toBe(1);
    relay.setImpairments('forward', { loss: 0, duplicate: 1 });
    await sendAll(client.socket, relay.address.port, range(5));
    expect(await until(() => target.arrivals.length === 10)).toBe(true);
    expect(relay.impairments('backward').duplicate).toBe(0);
    expect(events.some((e) => e.type === 'impairments' && e.direction === 'forward')).toBe(true);
  });

  it('reports each datagram with its actions, and survives a throwing listener', async () => {
    const seen: RelayEvent[] = [];
    const { relay, target, client } = await setup({
      forward: { corrupt: 1, duplicate: 1, delayMs: 5 },
      onEvent: (e) => {
        seen.push(e);
        throw new Error('listener bug');
      },
    });
    await sendAll(client.socket, relay.address.port, range(3));
    expect(await until(() => target.arrivals.length === 6)).toBe(true);
    const datagrams = seen.filter((e) => e.type === 'datagram');
    expect(datagrams).toHaveLength(3);
    expect(datagrams[0]).toMatchObject({
      direction: 'forward',
      length: 64,
      copies: 2,
      actions: ['corrupted', 'duplicated', 'delayed'],
    });
    expect(seen[0]).toMatchObject({ type: 'listening', port: relay.address.port, seed: 1 });
  });

  it('survives random datagrams of any length with every impairment on, both ways', async () => {
    const { relay, target, client } = await setup(
      {
        seed: 77,
        forward: {
          loss: 0.1,
          duplicate: 0.2,
          reorder: 0.2,
          corrupt: 0.3,
          corruptBits: 64,
          delayMs: 2,
          jitterMs: 2,
        },
        backward: { loss: 0.1, duplicate: 0.2, reorder: 0.2, corrupt: 0.3, rateBps: 5_000_000 },
      },
      true,
    );
    let x = 12345;
    const next = () => (x = (x * 1103515245 + 12345) >>> 0);
    const datagrams = Array.from({ length: 200 }, (_, i) => {
      const length = i < 3 ? [0, 1, 65507][i]! : next() % (i % 10 === 0 ? 65508 : 600);
      return Buffer.from(Array.from({ length }, () => next() & 0xff));
    });
    await sendAll(client.socket, relay.address.port, datagrams, 4);
    const settled = () => {
      const s = relay.stats();
      return s.forward.received === 200 && s.inFlight === 0 && target.arrivals.length === s.forward.forwarded;
    };
    expect(await until(settled, 5000)).toBe(true);
    const replied = () => {
      const s = relay.stats();
      return s.backward.received === target.arrivals.length && s.inFlight === 0;
    };
    expect(await until(replied)).toBe(true);
    expect(await until(() => client.arrivals.length === relay.stats().backward.forwarded)).toBe(true);
    const s = relay.stats();
    expectBalanced(s.forward);
    expectBalanced(s.backward);
    expect(s.forward.sendErrors + s.backward.sendErrors).toBe(0);
    expect(client.arrivals.length).toBe(s.backward.forwarded);
  });
});
