// The multicast layer's rules in isolation (src/shared/node/multicastUdp.ts), over a recording `Udp`: what goes
// to the group, what by unicast, when a member falls back; and the receiver's side joining and leaving a group.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GROUP_FALLBACK_REPEATS,
  groupInterface,
  groupListener,
  multicastSender,
  randomGroup,
} from '../../src/shared/node/multicastUdp.js';
import { startReceiver, type ReceiverSession } from '../../src/shared/node/receiver.js';
import { startRelay } from '../../src/shared/node/relay.js';
import { send } from '../../src/shared/node/sender.js';
import { nodeUdp, type BindOptions, type Peer, type Udp } from '../../src/shared/node/udp.js';
import { decodeAnswer, encodeOffer, type Offer } from '../../src/shared/offer/message.js';
import { wireProfile } from '../../src/shared/protocol/codec.js';
import { virtualClock } from '../../src/shared/simulation/virtualClock.js';
import { specsOf, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { needMulticast } from '../helpers/multicast.js';

interface Sent {
  datagram: Uint8Array;
  to: string;
}

/** A `Udp` that records every send and every socket it opens, and lets a test deliver datagrams. */
function recordingUdp(fail?: (bind: BindOptions) => boolean) {
  const sent: Sent[] = [];
  const sockets: { bind: BindOptions; closed: boolean }[] = [];
  const udp: Udp = (bind) => {
    if (fail?.(bind)) return Promise.reject(new Error('cannot join'));
    const socket = { bind, closed: false };
    sockets.push(socket);
    return Promise.resolve({
      local: { address: '127.0.0.1', port: 40_000 + sockets.length },
      send: (datagram, port, address) => sent.push({ datagram, to: `${address}:${port}` }),
      close: () => (socket.closed = true),
    });
  };
  return { udp, sent, sockets };
}

const group = { address: '239.255.1.2', port: 50_000 };
const members: Peer[] = [2, 3, 4].map((i) => ({ address: `127.0.0.${i}`, port: 7735 }));
const course: Peer = { address: '127.0.0.5', port: 7735 };
/** The end of the machine's step: the layer sends what it collected. */
const stepEnds = (): Promise<void> => Promise.resolve();

async function sender() {
  const net = recordingUdp();
  const layer = multicastSender(net.udp);
  const heard: string[] = [];
  const socket = await layer.udp({
    port: 0,
    family: 4,
    onMessage: (_d, from) => heard.push(`${from.address}:${from.port}`),
  });
  const sendTo = (datagram: Uint8Array, ...peers: Peer[]): void => {
    for (const p of peers) socket.send(datagram, p.port, p.address);
  };
  const ack = (from: Peer): void => net.sockets[0]!.bind.onMessage(Buffer.alloc(8), from);
  return { net, layer, socket, sendTo, ack, heard };
}

describe('multicast, the sender side', () => {
  it('sends everything by unicast, at once, until the group is in use (the offer)', async () => {
    const { net, sendTo } = await sender();
    const offer = Buffer.from('offer');
    sendTo(offer, ...members);
    expect(net.sent.map((s) => s.to)).toEqual(['127.0.0.2:7735', '127.0.0.3:7735', '127.0.0.4:7735']);
  });

  it('sends a segment for N members once to the group, and unicast to a non-member, in order', async () => {
    const { net, layer, sendTo } = await sender();
    layer.use(group, members);
    const one = Buffer.from('segment 1');
    const two = Buffer.from('segment 2');
    sendTo(one, members[0]!, course, members[1]!, members[2]!);
    sendTo(two, ...members, course);
    expect(net.sent).toEqual([]);
    await stepEnds();
    expect(net.sent).toEqual([
      { datagram: one, to: '239.255.1.2:50000' },
      { datagram: one, to: '127.0.0.5:7735' },
      { datagram: two, to: '239.255.1.2:50000' },
      { datagram: two, to: '127.0.0.5:7735' },
    ]);
  });

  it('sends a retransmission to one member by unicast to that member only', async () => {
    const { net, layer, sendTo } = await sender();
    layer.use(group, members);
    const segment = Buffer.from('segment 7');
    sendTo(segment, ...members);
    await stepEnds();
    sendTo(segment, members[1]!);
    await stepEnds();
    expect(net.sent.map((s) => s.to)).toEqual(['239.255.1.2:50000', '127.0.0.3:7735']);
  });

  it('a sealed retransmission (a new buffer) to one member still goes to it alone', async () => {
    const { net, layer, sendTo } = await sender();
    layer.use(group, members);
    sendTo(Buffer.from('sealed once'), ...members);
    sendTo(Buffer.from('sealed anew'), members[2]!);
    await stepEnds();
    expect(net.sent.map((s) => s.to)).toEqual(['239.255.1.2:50000', '127.0.0.4:7735']);
  });

  it('gives a member that gets nothing from the group unicast, and keeps the group for the others', async () => {
    const { net, layer, sendTo, ack, heard } = await sender();
    layer.use(group, members);
    // 127.0.0.2 and .3 answer the group's segments; 127.0.0.4 answers only what it is sent by unicast.
    for (let seq = 1; seq <= GROUP_FALLBACK_REPEATS; seq++) {
      sendTo(Buffer.from(`segment ${seq}`), ...members);
      await stepEnds();
      ack(members[0]!);
      ack(members[1]!);
    }
    for (let seq = 1; seq <= GROUP_FALLBACK_REPEATS; seq++) {
      expect(layer.fellBack(members[2]!)).toBe(false);
      sendTo(Buffer.from(`segment ${seq}`), members[2]!);
      await stepEnds();
      ack(members[2]!);
    }
    expect(members.map((m) => layer.fellBack(m))).toEqual([false, false, true]);
    expect(heard).toHaveLength(3 * GROUP_FALLBACK_REPEATS);
    net.sent.length = 0;
    const next = Buffer.from('segment 9');
    sendTo(next, ...members);
    await stepEnds();
    expect(net.sent).toEqual([
      { datagram: next, to: '239.255.1.2:50000' },
      { datagram: next, to: '127.0.0.4:7735' },
    ]);
  });

  it('never gives up the group for a member whose ACKs show it gets it, however many repeats follow', async () => {
    const { layer, sendTo, ack } = await sender();
    layer.use(group, members);
    sendTo(Buffer.from('segment 1'), ...members);
    await stepEnds();
    ack(members[0]!);
    for (let i = 0; i < 3 * GROUP_FALLBACK_REPEATS; i++) {
      sendTo(Buffer.from(`repeat ${i}`), members[0]!);
      await stepEnds();
    }
    expect(layer.fellBack(members[0]!)).toBe(false);
  });

  it('sends what it collected before it closes', async () => {
    const { net, layer, socket, sendTo } = await sender();
    layer.use(group, members);
    sendTo(Buffer.from('last'), ...members);
    socket.close();
    expect(net.sent.map((s) => s.to)).toEqual(['239.255.1.2:50000']);
    expect(net.sockets[0]!.closed).toBe(true);
  });

  it('picks a group in 239.255.0.0/16 on a dynamic port, and the loopback interface for 127.x', () => {
    for (let i = 0; i < 50; i++) {
      const g = randomGroup();
      expect(g.address).toMatch(/^239\.255\.\d{1,3}\.\d{1,3}$/);
      expect(g.address.split('.').every((b) => Number(b) <= 255)).toBe(true);
      expect(g.port).toBeGreaterThanOrEqual(49_152);
      expect(g.port).toBeLessThanOrEqual(65_535);
    }
    expect(groupInterface('127.0.0.3')).toBe('127.0.0.1');
    expect(groupInterface('10.0.0.7', '10.0.0.2')).toBe('10.0.0.2');
    expect(groupInterface('10.0.0.7', '0.0.0.0')).toBeUndefined();
    expect(groupInterface('10.0.0.7')).toBeUndefined();
  });
});

describe('multicast, the receiver side', () => {
  async function receiver(fail?: (bind: BindOptions) => boolean) {
    const net = recordingUdp(fail);
    const listener = groupListener(net.udp);
    const got: string[] = [];
    const socket = await listener.udp({
      address: '127.0.0.2',
      port: 7735,
      family: 4,
      onMessage: (datagram) => got.push(datagram.toString()),
    });
    return { net, listener, socket, got };
  }

  it('joins the group on the given interface and feeds its datagrams to the same handler; ACKs stay unicast', async () => {
    const { net, listener, socket, got } = await receiver();
    expect(await listener.join(group, '127.0.0.1')).toBe(true);
    expect(net.sockets[1]!.bind).toMatchObject({
      // Bound to the group's address: what reaches the port on any other address is not the group's.
      address: '239.255.1.2',
      port: 50_000,
      family: 4,
      membership: { group: '239.255.1.2', interface: '127.0.0.1' },
    });
    const from = { address: '127.0.0.1', port: 40_000 };
    net.sockets[1]!.bind.onMessage(Buffer.from('from the group'), from);
    net.sockets[0]!.bind.onMessage(Buffer.from('by unicast'), from);
    expect(got).toEqual(['from the group', 'by unicast']);
    socket.send(Buffer.from('ack'), 40_000, '127.0.0.1');
    expect(net.sent.map((s) => s.to)).toEqual(['127.0.0.1:40000']);
    // The same group again: nothing new opened.
    expect(await listener.join(group, '127.0.0.1')).toBe(true);
    expect(net.sockets).toHaveLength(2);
  });

  it('leaves: the group socket closes and what still arrives on it is dropped; closing leaves too', async () => {
    const { net, listener, socket, got } = await receiver();
    await listener.join(group, undefined);
    listener.leave();
    await stepEnds();
    expect(net.sockets[1]!.closed).toBe(true);
    net.sockets[1]!.bind.onMessage(Buffer.from('late'), { address: '127.0.0.1', port: 1 });
    expect(got).toEqual([]);
    await listener.join({ ...group, port: 50_001 }, undefined);
    socket.close();
    await stepEnds();
    expect(net.sockets.map((s) => s.closed)).toEqual([true, true, true]);
  });

  it('a join that fails answers false (the receiver stays unicast)', async () => {
    const { listener } = await receiver((bind) => bind.membership !== undefined);
    expect(await listener.join(group, '127.0.0.1')).toBe(false);
  });
});

describe('multicast over loopback', () => {
  const sessions: ReceiverSession[] = [];
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.stop()));
    for (const d of dirs.splice(0)) d.cleanup();
  });

  /** dir's in.bin to every receiver started, by Selective Repeat (W = 8, MSS 500). */
  const sendSelective = (dir: ReturnType<typeof tempDir>) =>
    send({ file: dir.file('in.bin'), mss: 500, receivers: specsOf(sessions), protocol: 'sr', window: 8 });

  it('a receiver reached through a relay stays unicast (the group would bypass the relay): every datagram through it, byte-identical', async (ctx) => {
    await needMulticast(ctx);
    const dir = tempDir();
    dirs.push(dir);
    const data = writeRandomFile(dir.file('in.bin'), 20_000);
    for (const i of [0, 1, 2])
      sessions.push(
        await startReceiver({
          port: 0,
          bind: `127.0.0.${31 + i}`,
          destination: () => dir.file(`out-${i}.bin`),
          p: 0,
          multicast: true,
        }),
      );
    // The third receiver behind a relay that loses a tenth of what goes through it.
    const behind = sessions[2]!.address;
    const relay = await startRelay({
      listenHost: '127.0.0.34',
      listenPort: 0,
      targetHost: behind.address,
      targetPort: behind.port,
      forward: { loss: 0.1 },
      seed: 3,
    });
    try {
      const result = await send({
        file: dir.file('in.bin'),
        mss: 500,
        receivers: [
          ...specsOf(sessions.slice(0, 2)),
          { host: '127.0.0.34', port: relay.address.port, label: 'relayed' },
        ],
        protocol: 'sr',
        window: 8,
      });
      expect(result.ok).toBe(true);
      // The direct ones get the group; the relayed one was never a member, so nothing bypassed the relay.
      expect(result.receivers.map((r) => r.multicast)).toEqual(['group', 'group', undefined]);
      const done = await sessions[2]!.done;
      const forwarded = relay.stats().forward;
      expect(forwarded.dropped).toBeGreaterThan(0);
      expect(done.counters.received).toBe(forwarded.forwarded);
      for (const i of [0, 1, 2]) expect(readFileSync(dir.file(`out-${i}.bin`)).equals(data)).toBe(true);
    } finally {
      await relay.close();
    }
  });

  it('a receiver alone gets unicast and no group is reported (it was reported as one the group did not reach)', async (ctx) => {
    await needMulticast(ctx);
    const dir = tempDir();
    dirs.push(dir);
    const data = writeRandomFile(dir.file('in.bin'), 20_000);
    sessions.push(
      await startReceiver({
        port: 0,
        bind: '127.0.0.35',
        destination: () => dir.file('out.bin'),
        p: 0,
        multicast: true,
      }),
    );
    const result = await sendSelective(dir);
    expect(result.ok).toBe(true);
    expect(result.receivers[0]!.multicast).toBeUndefined();
    expect(readFileSync(dir.file('out.bin')).equals(data)).toBe(true);
  });

  it('a receiver that joined but gets nothing from the group falls back to unicast: byte-identical, and the result says so', async (ctx) => {
    await needMulticast(ctx);
    const dir = tempDir();
    dirs.push(dir);
    const data = writeRandomFile(dir.file('in.bin'), 20_000);
    // The second receiver's "group socket" is an ordinary one on another port: it says it joined, and hears nothing.
    const deaf: Udp = (bind) =>
      bind.membership ? nodeUdp({ port: 0, family: 4, onMessage: bind.onMessage }) : nodeUdp(bind);
    for (const [i, udp] of [nodeUdp, deaf].entries())
      sessions.push(
        await startReceiver({
          port: 0,
          bind: `127.0.0.${26 + i}`,
          destination: () => dir.file(`out-${i}.bin`),
          p: 0,
          udp,
          multicast: true,
        }),
      );
    const result = await sendSelective(dir);
    expect(result.ok).toBe(true);
    expect(result.receivers.map((r) => r.multicast)).toEqual(['group', 'unicast']);
    for (const i of [0, 1]) expect(readFileSync(dir.file(`out-${i}.bin`)).equals(data)).toBe(true);
  });

  /** A socket on `address`, bound without sharing: it fails when something else holds the port there. */
  function bindAlone(address: string, port: number): Promise<Socket | Error> {
    const socket = createSocket('udp4');
    return new Promise((resolve) => {
      socket.once('error', (error) => {
        socket.close();
        resolve(error);
      });
      socket.bind(port, address, () => resolve(socket));
    });
  }

  /**
   * Offers a Selective Repeat transfer with `group` from 127.0.0.42, as our sender does (without a group: a
   * stop-and-wait one); the receiver's answer.
   */
  async function offerGroup(
    to: Peer,
    group: { address: string; port: number } | null,
    id = 'a1b2c3d4e5f60718',
  ) {
    const sender = createSocket('udp4');
    await new Promise<void>((resolve) => sender.bind(0, '127.0.0.42', resolve));
    const offer: Offer = {
      id,
      name: 'x.bin',
      size: 100,
      sha256: '0'.repeat(64),
      mss: 100,
      profile: 'standard',
      ...(group
        ? { protocol: 'sr' as const, window: 8, group: { ...group, from: sender.address().port } }
        : { protocol: 'saw' as const }),
    };
    const answer = new Promise<ReturnType<typeof decodeAnswer>>((resolve) =>
      sender.on('message', (datagram) => {
        const got = decodeAnswer(datagram, 'standard');
        if (got?.answer !== 'wait') resolve(got);
      }),
    );
    // Offered again while the group is joined (the answer waits for the join), as the sender repeats it.
    const repeat = setInterval(() => sender.send(encodeOffer('standard', offer), to.port, to.address), 50);
    sender.send(encodeOffer('standard', offer), to.port, to.address);
    try {
      return { answer: await answer, sender };
    } finally {
      clearInterval(repeat);
    }
  }

  it("takes only what is sent to the group: the group's port stays free on every other address, and the group still reaches the receiver", async (ctx) => {
    await needMulticast(ctx);
    const dir = tempDir();
    dirs.push(dir);
    const session = await startReceiver({
      port: 0,
      bind: '127.0.0.41',
      destination: () => dir.file('out.bin'),
      p: 0,
      multicast: true,
    });
    sessions.push(session);
    const group = randomGroup();
    const { answer, sender } = await offerGroup(session.address, group);
    try {
      expect(answer).toMatchObject({ answer: 'accept', multicast: true });
      // Bound to the port alone, the group socket took datagrams sent to that port on any address (another
      // interface's too): a stranger's data bypassed --bind. Now the port is free there.
      const elsewhere = await bindAlone('127.0.0.43', group.port);
      expect(elsewhere).not.toBeInstanceOf(Error);
      (elsewhere as Socket).close();
      // The group itself still reaches the receiver: segment 1, sent to the group, is received.
      sender.setMulticastInterface('127.0.0.1');
      sender.send(wireProfile('standard').encodeData(0, Buffer.alloc(100)), group.port, group.address);
      const clock = virtualClock();
      await clock.run(() => session.counters().received >= 1, 5_000, 10);
      expect(session.counters().received).toBe(1);
    } finally {
      sender.close();
    }
  });

  it('leaves the group of an offer whose transfer never starts, after 90 s (the default, on a virtual clock)', async (ctx) => {
    await needMulticast(ctx);
    const { clock, group } = await joinedOnClock('127.0.0.44');
    // Joined: the group's address and port are taken (shared only with sockets that share).
    const held = await bindAlone(group.address, group.port);
    expect(held).toBeInstanceOf(Error);
    clock.advance(89_000);
    expect(await bindAlone(group.address, group.port)).toBeInstanceOf(Error);
    clock.advance(2_000);
    await portFreed(group);
  });

  it('leaves the group at once when the host offers another file instead (its offer replaced the first)', async (ctx) => {
    await needMulticast(ctx);
    const { group, session } = await joinedOnClock('127.0.0.45');
    const second = await offerGroup(session.address, null, 'b1b2c3d4e5f60718');
    second.sender.close();
    expect(second.answer).toMatchObject({ answer: 'accept' });
    await portFreed(group); // no 90 s wait: the replaced offer's group is of no use
  });

  /** A receiver on `bind` with the default timers on a virtual clock, that accepted an offer and joined its group. */
  async function joinedOnClock(bind: string) {
    const dir = tempDir();
    dirs.push(dir);
    const clock = virtualClock();
    const session = await startReceiver({
      port: 0,
      bind,
      destination: () => dir.file('out.bin'),
      p: 0,
      multicast: true,
      timers: clock,
      keepListening: true,
    });
    sessions.push(session);
    const group = randomGroup();
    const { answer, sender } = await offerGroup(session.address, group);
    sender.close();
    expect(answer).toMatchObject({ answer: 'accept', multicast: true });
    return { clock, group, session };
  }

  /** The group's port can be bound alone again (closing a socket takes an event-loop turn or two). */
  async function portFreed(group: { address: string; port: number }): Promise<void> {
    let free: Socket | Error = new Error('not tried');
    for (let turn = 0; turn < 50 && free instanceof Error; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      free = await bindAlone(group.address, group.port);
    }
    expect(free).not.toBeInstanceOf(Error);
    (free as Socket).close();
  }
});
