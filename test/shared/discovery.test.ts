// Discovery over real sockets on loopback: receivers announcing, a sender discovering, hostile datagrams. Only
// the loopback interface is used (never the machine's network), on a discovery port of the test's own.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, encodeQuery, type Announcement } from '../../src/shared/discovery/message.js';
import {
  announceReceiver,
  discover,
  startAnnouncer,
  startDiscoverer,
  type Announcer,
  type Discoverer,
} from '../../src/shared/node/discovery.js';
import { waitFor } from '../helpers/processes.js';

const loopback = [{ address: '127.0.0.1', netmask: '255.0.0.0' }];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  socket.close();
  return port;
}

const receiver = (i: number): Announcement => ({
  id: (0x1000 + i).toString(16).padStart(16, '0'),
  name: `lab-pc-${String(i).padStart(2, '0')}`,
  port: 7735,
  profile: 'standard',
  addresses: [`127.0.0.${10 + i}`],
  code: false,
  busy: false,
});

async function announcers(port: number, count: number): Promise<Announcer[]> {
  const started = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      startAnnouncer(() => receiver(i), { port, interfaces: loopback }),
    ),
  );
  cleanups.push(() => started.forEach((a) => a.stop()));
  return started;
}

/** A socket that records every discovery datagram on the group port, as any program on the network could. */
async function eavesdrop(port: number): Promise<{ heard: string[]; socket: Socket }> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  const heard: string[] = [];
  socket.on('message', (msg) => heard.push(decodeMessage(msg)?.kind ?? 'garbage'));
  await new Promise<void>((resolve) => socket.bind(port, resolve));
  socket.addMembership('239.255.77.35', '127.0.0.1');
  cleanups.push(() => socket.close());
  return { heard, socket };
}

describe('discovery on loopback', () => {
  it('lists 30 announced receivers within the default 2 s wait, by name, at their own addresses', async () => {
    const port = await freePort();
    await announcers(port, 30);
    const found = await discover({ port, interfaces: loopback, waitMs: 2000 });
    expect(found.map((r) => `${r.name} ${r.address}:${r.port}`)).toEqual(
      Array.from({ length: 30 }, (_, i) => `${receiver(i).name} 127.0.0.${10 + i}:7735`),
    );
  });

  it('follows a receiver live: busy while it receives, gone at its goodbye', async () => {
    const port = await freePort();
    let changes = 0;
    const discoverer: Discoverer = await startDiscoverer({
      port,
      interfaces: loopback,
      onChange: () => changes++,
    });
    cleanups.push(() => discoverer.stop());
    const announcing = await announceReceiver(
      { name: 'lab-pc-07', port: 7735, profile: 'seed-text', code: false, bind: '127.0.0.7' },
      { port, interfaces: loopback },
    );
    cleanups.push(() => announcing.stop());
    const state = (): string =>
      discoverer
        .list()
        .map((r) => `${r.name}@${r.address} ${r.profile} ${r.busy}`)
        .join();
    // Its first announcement arrives unasked: the discoverer listens on the group.
    expect(await waitFor(() => state() === 'lab-pc-07@127.0.0.7 seed-text false', 5000)).toBe(true);
    announcing.follow({ type: 'packet' });
    announcing.follow({ type: 'transfer-start' });
    expect(await waitFor(() => state().endsWith('true'), 5000)).toBe(true);
    announcing.follow({ type: 'complete' });
    expect(await waitFor(() => state().endsWith('false'), 5000)).toBe(true);
    announcing.stop();
    expect(await waitFor(() => discoverer.list().length === 0, 5000)).toBe(true);
    expect(changes).toBeGreaterThan(3);
  });

  it('keeps answering after garbage and answers a query flood at a bounded rate', async () => {
    const port = await freePort();
    await announcers(port, 1);
    const attacker = createSocket('udp4');
    cleanups.push(() => attacker.close());
    let answers = 0;
    attacker.on('message', (msg) => {
      if (decodeMessage(msg)?.kind === 'announce') answers++;
    });
    await new Promise<void>((resolve) => attacker.bind(0, '127.0.0.9', resolve));
    const garbage = [
      Buffer.alloc(0),
      Buffer.from('P2MP'),
      Buffer.alloc(1400, 0xff),
      Buffer.from('P2MP\x01\x02\x00\x02{}'),
    ];
    for (const g of garbage) attacker.send(g, port, '127.0.0.1');
    const start = performance.now();
    for (let i = 0; i < 200; i++) attacker.send(encodeQuery(), port, '127.0.0.1');
    expect(await waitFor(() => answers >= 1, 5000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // 200 queries from one asker: one answer per 200 ms of however long they took to arrive, not 200.
    expect(answers).toBeLessThanOrEqual(1 + Math.floor((performance.now() - start) / 200));
    expect(answers).toBeLessThan(20);
    const found = await discover({ port, interfaces: loopback, waitMs: 1000 });
    expect(found.map((r) => r.name)).toEqual(['lab-pc-00']);
  });

  // A query forged from a victim's address must not make a room send it more than the attacker sent.
  it('answers no query with more bytes than it carried: an 8-byte query draws nothing, a padded one its announcement', async () => {
    const port = await freePort();
    await announcers(port, 1);
    const asker = createSocket('udp4');
    cleanups.push(() => asker.close());
    const answers: number[] = [];
    asker.on('message', (msg) => void (decodeMessage(msg)?.kind === 'announce' && answers.push(msg.length)));
    await new Promise<void>((resolve) => asker.bind(0, '127.0.0.9', resolve));
    const short = Buffer.from('50324d5001010000', 'hex');
    asker.send(short, port, '127.0.0.1');
    asker.send(encodeQuery().subarray(0, 100), port, '127.0.0.1');
    // Then a full query, after the asker's 200 ms (so its silence is the size rule's, not the rate limit's).
    await new Promise((resolve) => setTimeout(resolve, 250));
    asker.send(encodeQuery(), port, '127.0.0.1');
    expect(await waitFor(() => answers.length > 0, 5000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answers.length).toBe(1);
    expect(answers[0]).toBeLessThanOrEqual(encodeQuery().length);
  });

  it('a receiver bound to one address answers only askers on its network (elsewhere it would be listed unreachable)', async () => {
    const port = await freePort();
    // Loopback taken as two networks: 127.0.0.0/24, where the receiver is bound, and the rest of 127/8.
    const near = { address: '127.0.0.1', netmask: '255.255.255.0' };
    const far = { address: '127.0.1.1', netmask: '255.255.255.0' };
    const receiver = await announceReceiver(
      { name: 'bound', port: 7735, profile: 'standard', code: false, bind: '127.0.0.5' },
      { port, interfaces: [near, far] },
    );
    cleanups.push(() => receiver.stop());
    const ask = async (from: string): Promise<number> => {
      const asker = createSocket('udp4');
      cleanups.push(() => asker.close());
      let answers = 0;
      asker.on('message', (msg) => void (decodeMessage(msg)?.kind === 'announce' && answers++));
      await new Promise<void>((resolve) => asker.bind(0, from, resolve));
      asker.send(encodeQuery(), port, '127.0.0.1');
      await waitFor(() => answers > 0, 1000);
      return answers;
    };
    expect(await ask('127.0.0.9')).toBe(1);
    expect(await ask('127.0.1.9')).toBe(0);
  });

  it('announces nothing once stopped, and a goodbye is its last word', async () => {
    const port = await freePort();
    const { heard } = await eavesdrop(port);
    const [announcer] = await announcers(port, 1);
    expect(await waitFor(() => heard.includes('announce'), 5000)).toBe(true);
    announcer!.stop();
    expect(await waitFor(() => heard.includes('goodbye'), 5000)).toBe(true);
    const count = heard.length;
    await new Promise((resolve) => setTimeout(resolve, 2500)); // longer than one announce interval
    expect(heard.slice(count)).toEqual([]);
  });
});
