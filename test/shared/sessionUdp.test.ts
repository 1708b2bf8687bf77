// The session layer's own rules (src/shared/node/sessionUdp.ts), over an in-memory network: which copy a
// retransmission gets, the challenge a new sender answers (and a recording cannot), which transfers a receiver
// keeps when forged salts pour in, under which salt it answers a host, and how long a process keeps a code
// stretched.
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { KEEP_STRETCHED, partyKey, scryptStretch, seal } from '../../src/shared/node/sessionCrypto.js';
import { receiverSession, senderSession } from '../../src/shared/node/sessionUdp.js';
import type { BindOptions, Peer, Rejection, Udp, UdpSocket } from '../../src/shared/node/udp.js';
import { newSessionCode, normalizeCode } from '../../src/shared/session/code.js';
import {
  BY_RECEIVER,
  BY_SENDER,
  CHALLENGE,
  counterOf,
  encodeHeader,
  PROVEN,
  SALT_AT,
  SALT_BYTES,
} from '../../src/shared/session/envelope.js';

const kindOf = (datagram: Buffer): number => datagram[5]!;

/**
 * Sockets by "address:port"; a datagram is delivered at once, copied, with its sender's address and port (or, with
 * `queued`, when `deliver` is called: one at a time, in order, so a test can act between two of them).
 */
function network({ queued = false } = {}) {
  const queue: (() => void)[] = [];
  const bound = new Map<string, BindOptions>();
  /** Every datagram sent, as it left (sealed, when a session layer sealed it). */
  const wire: { to: string; datagram: Buffer }[] = [];
  let nextPort = 40_000;
  const udp: Udp = async (bind) => {
    const local: Peer = { address: bind.address ?? '127.0.0.1', port: bind.port || nextPort++ };
    bound.set(`${local.address}:${local.port}`, bind);
    const socket: UdpSocket = {
      local,
      send: (datagram, port, address) => {
        const to = `${address}:${port}`;
        wire.push({ to, datagram: Buffer.from(datagram) });
        const copy = Buffer.from(datagram);
        if (queued) queue.push(() => bound.get(to)?.onMessage(copy, local));
        else bound.get(to)?.onMessage(copy, local);
      },
      close: () => bound.delete(`${local.address}:${local.port}`),
    };
    return socket;
  };
  /** Sends raw bytes to `to` as if from `from` (an attacker's datagram). */
  const inject = (to: string, datagram: Buffer, from: Peer): void =>
    bound.get(to)?.onMessage(Buffer.from(datagram), from);
  /** Delivers the next `n` datagrams waiting (queued only); the number still waiting. */
  const deliver = (n = Infinity): number => {
    for (let i = 0; i < n && queue.length > 0; i++) queue.shift()!();
    return queue.length;
  };
  return { udp, wire, inject, deliver };
}

// The stretch at once: these rules are about what happens after it (scryptStretch is tested below and in
// sessionCode.test.ts).
const code = normalizeCode(newSessionCode())!;
const stretch = (): Buffer => Buffer.alloc(32, 3);

/** A receiver at `address`:7735 that ACKs every datagram that reaches it with "ack:" + what it got. */
async function receiver(net: ReturnType<typeof network>, address = '127.0.0.2') {
  const got: { inner: string; from: Peer }[] = [];
  const rejected: Rejection['why'][] = [];
  const firsts: Rejection['why'][] = [];
  const socket: UdpSocket = await receiverSession(net.udp, { code, stretch })({
    address,
    port: 7735,
    family: 4,
    onMessage: (inner, from) => {
      got.push({ inner: inner.toString(), from });
      socket.send(Buffer.from(`ack:${inner.toString()}`), from.port, from.address);
    },
    onRejected: (r) => {
      rejected.push(r.why);
      if (r.first) firsts.push(r.why);
    },
  });
  return { socket, got, rejected, firsts, at: `${address}:7735` };
}

/** A sender bound at `address` (its own salt): what it hears back, opened. */
async function sender(net: ReturnType<typeof network>, address = '127.0.0.1', port = 0) {
  const heard: string[] = [];
  const rejected: { why: Rejection['why']; from: string }[] = [];
  const socket = await senderSession(net.udp, { code, stretch })({
    address,
    port,
    family: 4,
    onMessage: (inner) => heard.push(inner.toString()),
    onRejected: (r) => rejected.push({ why: r.why, from: `${r.from.address}:${r.from.port}` }),
  });
  return { socket, heard, rejected };
}

describe('the session layer', () => {
  it('seals a segment once for every receiver, and anew for one that already got that copy (a retransmission)', async () => {
    const net = network();
    const [a, b] = [await receiver(net, '127.0.0.2'), await receiver(net, '127.0.0.3')];
    const { socket } = await sender(net);
    const segment = Buffer.from('segment 1');
    const sendTo = (r: typeof a): void => socket.send(segment, 7735, r.at.split(':')[0]!);
    sendTo(a);
    sendTo(b);
    sendTo(a); // a retransmission to a: a fresh counter
    sendTo(b); // and to b: the copy a just got, new to b
    socket.send(Buffer.from('segment 2'), 7735, '127.0.0.2');
    const sent = net.wire.filter((w) => w.to.endsWith(':7735'));
    // Each receiver's first copy is held back and challenged; the proof (the segment behind the challenge) gets
    // it in. Then: the copy a got goes to b as it is, a repeat to a is sealed anew, and b gets that copy.
    expect(sent.map((w) => [w.to, kindOf(w.datagram), counterOf(w.datagram)])).toEqual([
      ['127.0.0.2:7735', BY_SENDER, 1],
      ['127.0.0.2:7735', PROVEN, 2],
      ['127.0.0.3:7735', BY_SENDER, 1],
      ['127.0.0.3:7735', PROVEN, 3],
      ['127.0.0.2:7735', BY_SENDER, 4],
      ['127.0.0.3:7735', BY_SENDER, 4],
      ['127.0.0.2:7735', BY_SENDER, 5],
    ]);
    // Each receiver took every copy once its sender was live: none was a replay of one it had.
    expect(a.got.map((g) => g.inner)).toEqual(['segment 1', 'segment 1', 'segment 2']);
    expect(b.got.map((g) => g.inner)).toEqual(['segment 1', 'segment 1']);
    expect([...a.rejected, ...b.rejected]).toEqual(['unproven', 'unproven']);
  });

  it('lets nothing of a recorded transfer into another receiver with the code, nor into one started again', async () => {
    const net = network();
    const a = await receiver(net, '127.0.0.2');
    const { socket } = await sender(net);
    for (const k of [1, 2, 3]) socket.send(Buffer.from(`segment ${k}`), 7735, '127.0.0.2');
    expect(a.got.map((g) => g.inner)).toEqual(['segment 1', 'segment 2', 'segment 3']);
    const recording = net.wire.filter((w) => w.to === a.at).map((w) => w.datagram);
    socket.close(); // the sender is gone: only its recording is left
    // Another receiver of the room (the same code), and the same one started again (it remembers nothing).
    const b = await receiver(net, '127.0.0.3');
    a.socket.close();
    const again = await receiver(net, '127.0.0.2');
    const before = net.wire.length;
    // The recording played at once (the clock stands still: a busy machine must not make it look slower).
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      for (const target of [b, again])
        for (const datagram of recording)
          net.inject(target.at, datagram, { address: '127.0.0.1', port: 40_000 });
    } finally {
      vi.useRealTimers();
    }
    // Every datagram authenticates (the same code), yet none reaches the protocol: each is dropped, with a
    // challenge only the live sender could answer. The recorded proof answers a's challenge, not theirs: a replay.
    for (const target of [b, again]) {
      expect(target.got).toEqual([]);
      expect(target.rejected).toEqual(['unproven', 'replayed', 'unproven', 'unproven']);
    }
    // Each challenged the recording's sender once (again within 50 ms: its retransmissions will ask again).
    const answers = net.wire.slice(before).filter((w) => w.to === '127.0.0.1:40000');
    expect(answers.map((w) => kindOf(w.datagram))).toEqual([CHALLENGE, CHALLENGE]);
  });

  it('challenges a sender not yet live at most every 50 ms, however fast its datagrams come (default, fake clock)', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const net = network();
      const a = await receiver(net, '127.0.0.2');
      const { socket } = await sender(net);
      for (let k = 1; k <= 20; k++) socket.send(Buffer.from(`segment ${k}`), 7735, '127.0.0.2');
      const recording = net.wire.filter((w) => w.to === a.at && kindOf(w.datagram) === BY_SENDER);
      socket.close();
      const b = await receiver(net, '127.0.0.3');
      const before = net.wire.length;
      // 20 recorded datagrams, one every 10 ms: each held back, a challenge at 0, 50, 100 and 150 ms.
      for (const { datagram } of recording) {
        net.inject(b.at, datagram, { address: '127.0.0.1', port: 40_000 });
        vi.advanceTimersByTime(10);
      }
      expect(b.rejected).toEqual(Array<string>(20).fill('unproven'));
      const challenges = net.wire.slice(before).filter((w) => kindOf(w.datagram) === CHALLENGE);
      expect(challenges).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers a challenge only from where it sent: one from elsewhere is reported, never answered', async () => {
    const net = network();
    const { socket, rejected } = await sender(net);
    socket.send(Buffer.from('offer'), 7735, '127.0.0.9'); // nobody listens there
    const salt = net.wire[0]!.datagram.subarray(SALT_AT, SALT_AT + SALT_BYTES);
    // Challenges sealed as a receiver with the code seals them (its own party key for this salt).
    const party = randomBytes(8);
    const key = partyKey(stretch(), salt, BY_RECEIVER, party);
    const challenge = (counter: number): Buffer =>
      seal(key, encodeHeader({ kind: CHALLENGE, salt, party, counter }), counter, randomBytes(16));
    const to = `${socket.local.address}:${socket.local.port}`;
    // From the receiver's port at another address (a receiver bound to every address answers from the one its
    // system picks, or someone who would have proofs reflected at a third party).
    const first = challenge(1);
    net.inject(to, first, { address: '127.0.0.1', port: 7735 });
    expect(rejected).toEqual([{ why: 'elsewhere', from: '127.0.0.1:7735' }]);
    expect(net.wire).toHaveLength(1);
    // The same challenge from where the offer went: answered with a proof, there (the copy from elsewhere did
    // not spend its counter).
    net.inject(to, first, { address: '127.0.0.9', port: 7735 });
    expect(net.wire.slice(1).map((w) => [w.to, kindOf(w.datagram)])).toEqual([['127.0.0.9:7735', PROVEN]]);
    expect(rejected).toHaveLength(1);
  });

  it('sends a destination a proof at most every 50 ms, however many challenges come (default, fake clock)', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const net = network();
      const { socket } = await sender(net);
      socket.send(Buffer.from('offer'), 7735, '127.0.0.9');
      const salt = net.wire[0]!.datagram.subarray(SALT_AT, SALT_AT + SALT_BYTES);
      const party = randomBytes(8);
      const key = partyKey(stretch(), salt, BY_RECEIVER, party);
      const to = `${socket.local.address}:${socket.local.port}`;
      // 10 challenges, each fresh, one every 10 ms: a proof (a whole datagram each) at 0 and 50 ms only.
      for (let counter = 1; counter <= 10; counter++) {
        const header = encodeHeader({ kind: CHALLENGE, salt, party, counter });
        net.inject(to, seal(key, header, counter, randomBytes(16)), { address: '127.0.0.9', port: 7735 });
        vi.advanceTimersByTime(10);
      }
      expect(net.wire.filter((w) => kindOf(w.datagram) === PROVEN)).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes a receiver party only from the address and port it first answered from, and a new one there', async () => {
    const net = network();
    const a = await receiver(net, '127.0.0.2');
    const { socket, heard, rejected } = await sender(net);
    socket.send(Buffer.from('segment 1'), 7735, '127.0.0.2');
    socket.send(Buffer.from('segment 1'), 7735, '127.0.0.3'); // nobody there
    expect(heard).toEqual(['ack:segment 1']);
    // a's ACK presented as the answer of the destination that never answered: one receiver counted twice.
    const ack = net.wire.find((w) => w.to.startsWith('127.0.0.1:') && kindOf(w.datagram) === BY_RECEIVER)!;
    const to = `${socket.local.address}:${socket.local.port}`;
    net.inject(to, ack.datagram, { address: '127.0.0.3', port: 7735 });
    expect(heard).toEqual(['ack:segment 1']);
    expect(rejected).toEqual([{ why: 'replayed', from: '127.0.0.3:7735' }]);
    // A receiver started again at a's place answers with a new party: taken, after its own challenge (and the
    // sender's repeat: a proof goes to one place at most every 50 ms).
    a.socket.close();
    const again = await receiver(net, '127.0.0.2');
    await new Promise((resolve) => setTimeout(resolve, 60));
    socket.send(Buffer.from('segment 2'), 7735, '127.0.0.2');
    expect(again.got.map((g) => g.inner)).toEqual(['segment 2']);
    expect(heard).toEqual(['ack:segment 1', 'ack:segment 2']);
  });

  it('keeps a live transfer however many recordings of other transfers arrive', async () => {
    const net = network();
    const r = await receiver(net);
    const live = await sender(net, '127.0.3.1');
    live.socket.send(Buffer.from('first'), 7735, '127.0.0.2');
    // 70 recorded transfers (to another receiver of the room), their senders gone, played to r: more than it
    // keeps transfers for.
    const other = await receiver(net, '127.0.0.3');
    const recorded = await Promise.all(Array.from({ length: 70 }, (_, i) => sender(net, `127.0.2.${i + 1}`)));
    for (const s of recorded) s.socket.send(Buffer.from('old'), 7735, '127.0.0.3');
    for (const s of recorded) s.socket.close();
    const recordings = net.wire.filter((w) => w.to === other.at && kindOf(w.datagram) === BY_SENDER);
    for (const { datagram } of recordings) net.inject(r.at, datagram, { address: '127.0.2.1', port: 40_000 });
    // The live transfer goes on as it was: taken at once, not challenged again.
    const before = net.wire.length;
    live.socket.send(Buffer.from('next'), 7735, '127.0.0.2');
    expect(live.heard).toEqual(['ack:first', 'ack:next']);
    expect(net.wire.slice(before).map((w) => kindOf(w.datagram))).toEqual([BY_SENDER, BY_RECEIVER]);
  });

  it('keeps a transfer waiting for its proof, whatever recordings of other transfers arrive meanwhile', async () => {
    const net = network({ queued: true });
    const r = await receiver(net);
    // 64 transfers done: the receiver's table of transfers is full.
    const done = await Promise.all(Array.from({ length: 64 }, (_, i) => sender(net, `127.0.1.${i + 1}`)));
    for (const [i, s] of done.entries()) s.socket.send(Buffer.from(`hello ${i}`), 7735, '127.0.0.2');
    net.deliver();
    expect(done.every((s, i) => s.heard[0] === `ack:hello ${i}`)).toBe(true);
    // Recordings of other transfers (to another receiver of the room), their senders gone.
    const other = await receiver(net, '127.0.0.3');
    const recorded = await Promise.all(Array.from({ length: 3 }, (_, i) => sender(net, `127.0.2.${i + 1}`)));
    for (const s of recorded) s.socket.send(Buffer.from('old'), 7735, '127.0.0.3');
    net.deliver();
    const recordings = net.wire.filter((w) => w.to === other.at && kindOf(w.datagram) === BY_SENDER);
    for (const s of recorded) s.socket.close();
    // A new transfer: its offer reaches the receiver, which challenges it; before the proof is back, the
    // recordings are played to the receiver (each a transfer it never saw).
    const now = await sender(net, '127.0.3.1');
    now.socket.send(Buffer.from('offer'), 7735, '127.0.0.2');
    net.deliver(2); // the offer, then the challenge (the proof is now on its way)
    for (const { datagram } of recordings) net.inject(r.at, datagram, { address: '127.0.2.1', port: 40_000 });
    net.deliver();
    expect(now.heard).toEqual(['ack:offer']);
  });

  it('keeps 64 real transfers however many forged salts arrive, and refuses their replays', async () => {
    const net = network();
    const r = await receiver(net);
    // 64 senders, each its own transfer (salt), each heard once.
    const senders = await Promise.all(Array.from({ length: 64 }, (_, i) => sender(net, `127.0.1.${i + 1}`)));
    for (const [i, s] of senders.entries()) s.socket.send(Buffer.from(`hello ${i}`), 7735, '127.0.0.2');
    expect(senders.every((s, i) => s.heard[0] === `ack:hello ${i}`)).toBe(true);
    const first = net.wire.find((w) => w.to === r.at)!.datagram;
    // A flood of well-formed envelopes under fresh salts, from anywhere.
    for (let i = 0; i < 1_000; i++) {
      const forged = Buffer.concat([
        encodeHeader({ kind: BY_SENDER, salt: randomBytes(SALT_BYTES), party: randomBytes(8), counter: 1 }),
        randomBytes(40),
      ]);
      net.inject(r.at, forged, { address: '127.0.9.9', port: 1_000 + i });
    }
    expect(r.rejected).toEqual([
      ...Array<string>(64).fill('unproven'),
      ...Array<string>(1_000).fill('forged'),
    ]);
    // Every real transfer is still known: its replay is refused as such, its next datagram answered.
    net.inject(r.at, first, senders[0]!.socket.local);
    expect(r.rejected.at(-1)).toBe('replayed');
    for (const [i, s] of senders.entries()) s.socket.send(Buffer.from(`again ${i}`), 7735, '127.0.0.2');
    expect(senders.every((s, i) => s.heard[1] === `ack:again ${i}`)).toBe(true);
  });

  it('forgets the transfer used least recently for a 65th (its replay window with it)', async () => {
    const net = network();
    const r = await receiver(net);
    const senders = await Promise.all(Array.from({ length: 65 }, (_, i) => sender(net, `127.0.1.${i + 1}`)));
    for (const [i, s] of senders.slice(0, 64).entries())
      s.socket.send(Buffer.from(`hello ${i}`), 7735, '127.0.0.2');
    // Transfer 0 goes on; transfer 1 is now the one used least recently.
    senders[0]!.socket.send(Buffer.from('more 0'), 7735, '127.0.0.2');
    senders[64]!.socket.send(Buffer.from('hello 64'), 7735, '127.0.0.2');
    expect(senders[64]!.heard).toEqual(['ack:hello 64']);
    const proofs = net.wire.filter((w) => w.to === r.at && kindOf(w.datagram) === PROVEN);
    // Transfer 1 was forgotten, its replay window with it: a replay of its proof opens a new entry (its keys come
    // from its salt again), but the challenge it carries is no longer this receiver's. Held back, not taken.
    senders[1]!.socket.close();
    const got = r.got.length;
    net.inject(r.at, proofs[1]!.datagram, senders[1]!.socket.local);
    expect(r.rejected.at(-1)).toBe('replayed');
    const first = net.wire.filter((w) => w.to === r.at && kindOf(w.datagram) === BY_SENDER)[1]!.datagram;
    net.inject(r.at, first, senders[1]!.socket.local);
    expect(r.rejected.at(-1)).toBe('unproven');
    expect(r.got).toHaveLength(got);
    // Transfer 0, used recently, was kept: a replay of its proof is refused by its replay window.
    net.inject(r.at, proofs[0]!.datagram, senders[0]!.socket.local);
    expect(r.rejected.at(-1)).toBe('replayed');
    expect(r.got).toHaveLength(got);
  });

  it('reports a wrong code once a second and sends a notice once per 50 ms at most, whatever the salts', async () => {
    const net = network();
    const r = await receiver(net);
    const start = performance.now();
    // 50 "transfers" under another code (fresh salts), 3 datagrams each from a spoofed host of its own: each
    // would be a wrong code, reported and noticed, were it not for the limits.
    for (let i = 0; i < 50; i++) {
      const salt = randomBytes(SALT_BYTES);
      for (let k = 1; k <= 3; k++) {
        const header = encodeHeader({ kind: BY_SENDER, salt, party: Buffer.alloc(8, 1), counter: k });
        net.inject(r.at, Buffer.concat([header, randomBytes(40)]), { address: `127.0.5.${i + 1}`, port: 9 });
      }
    }
    const elapsed = performance.now() - start;
    expect(r.rejected.filter((why) => why === 'wrong-code')).toHaveLength(50);
    expect(r.firsts.length).toBeLessThanOrEqual(1 + Math.floor(elapsed / 1_000));
    const notices = net.wire.filter((w) => w.datagram.length === 38);
    expect(notices.length).toBeGreaterThanOrEqual(1);
    expect(notices.length).toBeLessThanOrEqual(1 + Math.floor(elapsed / 50));
  });

  it('reports a host sending without the code once per try: again after 10 s without (default, fake clock)', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const net = network();
      const r = await receiver(net);
      const plain = (): void =>
        net.inject(r.at, Buffer.from('course data'), { address: '127.0.0.1', port: 5 });
      // One try: a segment every T = 100 ms for 3 s, reported once.
      for (let i = 0; i < 30; i++) {
        plain();
        vi.advanceTimersByTime(100);
      }
      expect(r.firsts).toEqual(['unsealed']);
      // Quiet for just under 10 s: the same try.
      vi.advanceTimersByTime(9_800);
      plain();
      expect(r.firsts).toEqual(['unsealed']);
      // Quiet for 10 s: a new try, reported again.
      vi.advanceTimersByTime(10_000);
      plain();
      expect(r.firsts).toEqual(['unsealed', 'unsealed']);
      expect(r.rejected).toHaveLength(32);
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers a host under the salt it last authenticated with, when it moves to a new transfer', async () => {
    const net = network();
    const r = await receiver(net);
    // Two transfers from one host and port, one after the other (a sender started again on the same port).
    const before = await sender(net, '127.0.0.1', 5_000);
    before.socket.send(Buffer.from('old'), 7735, '127.0.0.2');
    before.socket.close();
    const after = await sender(net, '127.0.0.1', 5_000);
    after.socket.send(Buffer.from('new'), 7735, '127.0.0.2');
    expect(before.heard).toEqual(['ack:old']);
    // The answer to "new" opened under the new transfer's keys: sealed under its salt, not the old one's.
    expect(after.heard).toEqual(['ack:new']);
    const answers = net.wire.filter((w) => w.to === '127.0.0.1:5000').map((w) => w.datagram);
    const saltOf = (d: Buffer): string => d.subarray(SALT_AT, SALT_AT + SALT_BYTES).toString('hex');
    const sentSalts = net.wire.filter((w) => w.to === r.at).map((w) => saltOf(w.datagram));
    expect(answers.map(saltOf)).toEqual(sentSalts);
  });
});

describe('the stretch of a code', () => {
  it('is kept for the last codes used in this process, and made again for one that fell out', async () => {
    const codes = Array.from({ length: KEEP_STRETCHED + 1 }, () => normalizeCode(newSessionCode())!);
    const first = scryptStretch(codes[0]!);
    const second = scryptStretch(codes[1]!);
    for (const c of codes.slice(2, KEEP_STRETCHED)) void scryptStretch(c);
    expect(scryptStretch(codes[0]!)).toBe(first); // used again: now the newest
    void scryptStretch(codes[KEEP_STRETCHED]!); // pushes out codes[1], not codes[0]
    expect(scryptStretch(codes[0]!)).toBe(first);
    const again = scryptStretch(codes[1]!);
    expect(again).not.toBe(second);
    // Made again, the same key.
    expect(await again).toEqual(await second);
    await Promise.all(codes.map((c) => scryptStretch(c)));
  });
});
