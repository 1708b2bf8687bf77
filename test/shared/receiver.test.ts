// The receiver's rules, one by one, driven by hand-crafted datagrams from a raw socket.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReceiverEvent } from '../../src/shared/events.js';
import { decodeAnswer, encodeOffer } from '../../src/shared/offer/message.js';
import { standard } from '../../src/shared/protocol/standard.js';
import { seedText } from '../../src/shared/protocol/seedText.js';
import {
  startReceiver,
  type ReceiveOptions,
  type ReceiveResult,
  type ReceiverSession,
  SENDER_STOPPED,
} from '../../src/shared/node/receiver.js';
import { virtualClock, type VirtualClock } from '../../src/shared/simulation/virtualClock.js';
import { rawPeer, tempDir } from '../helpers/loopback.js';
import { BY_SENDER, encodeHeader, NO_CODE } from '../../src/shared/session/envelope.js';
import { nodeFileOps, type FileOps } from '../../src/shared/node/partFile.js';

let dir: ReturnType<typeof tempDir>;
let session: ReceiverSession | undefined;
let peer: Awaited<ReturnType<typeof rawPeer>>;
let events: ReceiverEvent[];
let clock: VirtualClock;

beforeEach(async () => {
  clock = virtualClock();
  dir = tempDir();
  peer = await rawPeer();
  events = [];
});
afterEach(async () => {
  await session?.stop();
  session = undefined;
  peer.close();
  dir.cleanup();
});

async function receiver(options: Partial<ReceiveOptions> = {}): Promise<ReceiverSession> {
  session = await startReceiver({
    port: 0,
    bind: '127.0.0.7',
    destination: () => dir.file('out.bin'),
    p: 0,
    lingerMs: 50,
    onEvent: (e) => events.push(e),
    ...options,
  });
  return session;
}

/** The session's result, moving the virtual clock on (for tests that run on it) until it ends. */
async function settled(): Promise<ReceiveResult> {
  let result: ReceiveResult | undefined;
  void session!.done.then((r) => (result = r));
  expect(await clock.run(() => result !== undefined, 60_000)).toBe(true);
  return result!;
}

function sendRaw(datagram: Buffer, to = session!): void {
  peer.socket.send(datagram, to.address.port, to.address.address);
}

async function ackFor(datagram: Buffer): Promise<number | null> {
  sendRaw(datagram);
  const reply = await peer.next();
  if (reply === null) return null;
  const decoded = standard.decode(reply);
  return decoded.ok && decoded.segment.kind === 'ack' ? decoded.segment.seq : -1;
}

const data = (seq: number, text: string): Buffer => standard.encodeData(seq, Buffer.from(text));

/**
 * A receiver serving transfer after transfer on the virtual clock, whose user never decides (but for `letIn`,
 * let in at once): the questions it asks, with the signal that withdraws each.
 */
async function undecided(letIn?: string): Promise<{ from: string; signal: AbortSignal }[]> {
  const asked: { from: string; signal: AbortSignal }[] = [];
  await receiver({
    timers: clock,
    keepListening: true,
    destination: (i) => dir.file(`received-${i + 1}.bin`),
    folder: dir.path,
    decide: (o, signal) =>
      o.from === letIn ? Promise.resolve(true) : new Promise(() => asked.push({ from: o.from, signal })),
  });
  return asked;
}

describe('receiver', () => {
  it('writes in-order data, re-ACKs duplicates and out-of-order with the last in-order number', async () => {
    await receiver();
    expect(await ackFor(data(1, 'hello '))).toBe(1);
    expect(await ackFor(data(1, 'hello '))).toBe(1); // duplicate
    expect(await ackFor(data(3, 'later'))).toBe(1); // ahead of order
    expect(await ackFor(data(2, 'world'))).toBe(2);
    expect(existsSync(dir.file('out.bin'))).toBe(false); // not complete yet: only the .part exists
    expect(readFileSync(dir.file('out.bin.part'), 'utf8')).toBe('hello world');
    expect(await ackFor(data(3, ''))).toBe(3); // end marker
    expect(readFileSync(dir.file('out.bin'), 'utf8')).toBe('hello world');
    expect(existsSync(dir.file('out.bin.part'))).toBe(false);
    expect(session!.counters()).toMatchObject({
      duplicates: 1,
      outOfOrder: 1,
      bytesWritten: 11,
      acksSent: 5,
    });
  });

  it('re-ACKs a retransmitted end marker after completing (its first ACK may have been lost)', async () => {
    // Default linger on a virtual clock: it cannot end between the two markers, however loaded the machine.
    await receiver({ lingerMs: undefined, timers: clock });
    expect(await ackFor(data(1, 'x'))).toBe(1);
    expect(await ackFor(data(2, ''))).toBe(2);
    expect(await ackFor(data(2, ''))).toBe(2);
    const result = await settled();
    expect(result.ok).toBe(true);
    expect(result.files[0]).toMatchObject({ bytes: 1, endedBy: 'marker' });
  });

  it('ignores a bad checksum without an ACK, and counts it', async () => {
    await receiver();
    const bad = data(1, 'abc');
    bad[9]! ^= 0x40;
    expect(await ackFor(bad)).toBeNull();
    expect(session!.counters().corrupt).toBe(1);
    expect(await ackFor(data(1, 'abc'))).toBe(1);
  });

  it('counts malformed datagrams and never answers them', async () => {
    await receiver();
    for (const junk of [
      Buffer.alloc(0),
      Buffer.alloc(3),
      Buffer.from('0000000100001234', 'hex'),
      standard.encodeAck(1),
    ])
      sendRaw(junk);
    expect(await peer.next(200)).toBeNull();
    expect(session!.counters()).toMatchObject({ malformed: 4, acksSent: 0 });
  });

  it('drops every data packet at p = 1 and prints the sequence number it dropped', async () => {
    await receiver({ p: 1 });
    expect(await ackFor(data(1, 'a'))).toBeNull();
    expect(events).toContainEqual(expect.objectContaining({ type: 'packet', outcome: 'dropped', seq: 1 }));
    session!.setLossProbability(0); // changed while running
    expect(await ackFor(data(1, 'a'))).toBe(1);
    expect(() => session!.setLossProbability(1.5)).toThrow(/between 0 and 1/);
  });

  it('drops a seeded, repeatable share of packets', async () => {
    const drops = async (seed: number): Promise<number> => {
      await receiver({ p: 0.3, seed });
      for (let i = 0; i < 200; i++) {
        sendRaw(data(1, 'a'));
        if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, 100));
      const { dropped, received } = session!.counters();
      expect(received).toBe(200);
      await session!.stop();
      session = undefined;
      return dropped;
    };
    const first = await drops(42);
    expect(first).toBeGreaterThan(30);
    expect(first).toBeLessThan(90);
    expect(await drops(42)).toBe(first);
  });

  it('serves one sender at a time: another host mid-transfer is counted and ignored', async () => {
    await receiver();
    expect(await ackFor(data(1, 'mine'))).toBe(1);
    const intruder = await rawPeer('127.0.0.8');
    try {
      intruder.socket.send(data(2, 'EVIL'), session!.address.port, session!.address.address);
      expect(await intruder.next(200)).toBeNull();
    } finally {
      intruder.close();
    }
    expect(await ackFor(data(2, ''))).toBe(2);
    expect(readFileSync(dir.file('out.bin'), 'utf8')).toBe('mine');
    expect(session!.counters().foreign).toBe(1);
  });

  it('busy with a transfer, tells another host offering a file to wait, and its user once per try', async () => {
    await receiver({ timers: clock });
    expect(await ackFor(data(1, 'mine'))).toBe(1);
    const offer = (id: string): Buffer =>
      encodeOffer('standard', {
        id,
        name: '../report.pdf',
        size: 4_200,
        sha256: '0'.repeat(64),
        mss: 500,
        protocol: 'saw',
        profile: 'standard',
      });
    const ask = async (from: string, id: string): Promise<void> => {
      const other = await rawPeer(from);
      try {
        other.socket.send(offer(id), session!.address.port, session!.address.address);
        expect(decodeAnswer((await other.next())!, 'standard')).toEqual({ id, answer: 'wait' });
      } finally {
        other.close();
      }
    };
    const held = (): string[] =>
      events.flatMap((e) => (e.type === 'offer-held' ? [`${e.from} ${e.name} ${e.size}`] : []));
    // Virtual seconds pass while our sender's transfer goes on (a segment a second: it never goes stale).
    let seq = 1;
    const pass = async (seconds: number): Promise<void> => {
      for (let k = 0; k < seconds; k++) {
        clock.advance(1_000);
        expect(await ackFor(data(++seq, '+'))).toBe(seq);
      }
    };
    // Its sender asks again every second with the same offer; then with a new one: one try, said once, named as
    // it would be saved (made safe).
    for (const [k, id] of ['aaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'].entries()) {
      if (k > 0) await pass(1);
      await ask('127.0.0.8', id);
    }
    expect(held()).toEqual(['127.0.0.8 _report.pdf 4200']);
    // Forged offers from 20 hosts, fresh ids each, twice a second apart: every one told to wait, the user told of
    // one host a second.
    for (let h = 1; h <= 20; h++) await ask(`127.0.2.${h}`, `${String(h).padStart(2, '0')}`.repeat(8));
    await pass(1);
    for (let h = 1; h <= 20; h++) await ask(`127.0.2.${h}`, `${String(h + 20).padStart(2, '0')}`.repeat(8));
    expect(held().slice(1)).toEqual(['127.0.2.1 _report.pdf 4200', '127.0.2.2 _report.pdf 4200']);
    // After 10 s without asking, the first host's next offer is a new try.
    await pass(10);
    await ask('127.0.0.8', 'cccccccccccccccc');
    expect(held()).toHaveLength(4);
    expect(await ackFor(data(++seq, ''))).toBe(seq);
    expect(readFileSync(dir.file('out.bin'), 'utf8')).toBe(`mine${'+'.repeat(seq - 2)}`);
  });

  it('fails a transfer whose sender goes silent, and removes its .part file', async () => {
    await receiver({ timers: clock }); // the default 10 s idle timeout, on a virtual clock
    expect(await ackFor(data(1, 'part'))).toBe(1);
    expect(await ackFor(data(2, 'ial'))).toBe(2);
    const result = await settled();
    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(
      /went silent .* after 7 bytes, with no end marker; the partial file was removed/,
    );
    expect(existsSync(dir.file('out.bin'))).toBe(false);
    expect(existsSync(dir.file('out.bin.part'))).toBe(false);
  });

  it('follows its sender across source ports (the reference client uses a new socket per segment)', async () => {
    await receiver();
    const sockets = [await rawPeer(), await rawPeer(), await rawPeer()];
    try {
      for (const [i, text] of ['a', 'b', ''].entries()) {
        const from = sockets[i]!;
        from.socket.send(data(i + 1, text), session!.address.port, session!.address.address);
        // Each ACK goes back to the port its segment came from.
        const ack = await from.next();
        expect(ack && standard.decode(ack)).toMatchObject({ ok: true, segment: { kind: 'ack', seq: i + 1 } });
      }
    } finally {
      for (const s of sockets) s.close();
    }
    expect((await session!.done).files[0]).toMatchObject({ bytes: 2, verified: true });
    expect(readFileSync(dir.file('out.bin'), 'utf8')).toBe('ab');
    expect(session?.counters().foreign).toBe(0);
  });

  it('asks about a course sender (no offer) by its address: nothing ACKed until it is let in, nothing after a no', async () => {
    const asked: {
      from: string;
      course?: true;
      name: string;
      size: number;
      answer: (yes: boolean) => void;
    }[] = [];
    // As the app's Receive mode runs it: transfer after transfer, each asked about. On the virtual clock: the
    // questions stand however long a loaded machine takes between the steps below (they are withdrawn after 5 s).
    await receiver({
      timers: clock,
      keepListening: true,
      destination: (i) => dir.file(`received-${i + 1}.bin`),
      decide: (o) => new Promise((answer) => asked.push({ ...o, answer })),
    });
    // As the reference client does: every segment from a new socket, segment 1 again every T until ACKed.
    const course = await Promise.all([1, 2, 3, 4].map(() => rawPeer()));
    const intruders = await Promise.all([1, 2].map(() => rawPeer('127.0.0.9')));
    const late = await rawPeer('127.0.0.8');
    const to = (from: (typeof course)[number], datagram: Buffer): void =>
      void from.socket.send(datagram, session!.address.port, session!.address.address);
    try {
      // Segments that open nothing are not asked about: a late one of a transfer gone, an empty file's marker.
      to(late, data(7, 'late'));
      to(late, data(1, ''));
      expect(await late.next()).not.toBeNull(); // answered by the rules; nothing is saved
      to(course[0]!, data(1, 'ab'));
      await expect.poll(() => asked.length).toBe(1);
      to(course[1]!, data(1, 'ab')); // its retry while its user decides: dropped, not asked again
      to(intruders[0]!, data(1, 'EVIL'));
      await expect.poll(() => asked.length).toBe(2);
      expect(asked.map(({ from, course, name, size }) => ({ from, course, name, size }))).toEqual([
        { from: '127.0.0.1', course: true, name: '', size: 0 },
        { from: '127.0.0.9', course: true, name: '', size: 0 },
      ]);
      asked[1]!.answer(false);
      asked[0]!.answer(true);
      await new Promise((resolve) => setImmediate(resolve));
      to(intruders[1]!, data(1, 'EVIL')); // turned away: not asked again, never ACKed
      to(course[2]!, data(1, 'ab'));
      const ack = await course[2]!.next();
      expect(ack && standard.decode(ack)).toMatchObject({ ok: true, segment: { kind: 'ack', seq: 1 } });
      to(course[3]!, data(2, ''));
      expect(await course[3]!.next()).not.toBeNull();
      await expect.poll(() => readdirSync(dir.path)).toEqual(['received-1.bin']);
      expect(readFileSync(dir.file('received-1.bin'), 'utf8')).toBe('ab');
      expect(asked).toHaveLength(2);
      // Nothing went back to what was sent while undecided, nor to the host turned away.
      for (const quiet of [course[0]!, course[1]!, ...intruders]) expect(quiet.received).toEqual([]);
      // Yet every one of those shows in the counters: received, and foreign (not the sender being served).
      const foreign = (host: string): number =>
        events.filter((e) => e.type === 'packet' && e.outcome === 'foreign' && e.from.startsWith(`${host}:`))
          .length;
      expect([foreign('127.0.0.1'), foreign('127.0.0.9')]).toEqual([2, 2]);
      expect(session!.counters().foreign).toBeGreaterThanOrEqual(4);
    } finally {
      for (const s of [...course, ...intruders, late]) s.close();
    }
  });

  it('withdraws a question once its sender stops asking, not while it asks, busy or not (virtual clock)', async () => {
    // 127.0.0.1 (this test's course sender) is let in; the others' users never decide.
    const asked = await undecided('127.0.0.1');
    const offerer = await rawPeer('127.0.0.8');
    const [stopped, slow] = await Promise.all([rawPeer('127.0.0.9'), rawPeer('127.0.0.10')]);
    const offer = encodeOffer('standard', {
      id: 'abcdefabcdefabcd',
      name: 'hw.bin',
      size: 4,
      sha256: '0'.repeat(64),
      mss: 500,
      protocol: 'saw',
      profile: 'standard',
    });
    const to = (from: typeof offerer, datagram: Buffer): void =>
      void from.socket.send(datagram, session!.address.port, session!.address.address);
    const ask = async (): Promise<void> => {
      to(offerer, offer);
      expect(decodeAnswer((await offerer.next())!, 'standard')).toMatchObject({ answer: 'wait' });
    };
    const state = (): string[] =>
      asked.map((q) => `${q.from} ${q.signal.aborted ? q.signal.reason : 'asked'}`);
    try {
      await ask();
      // A course sender that repeats its segment 1 every 100 ms, then stops (Ctrl-C); one with a T of many
      // seconds, seen once so far.
      to(stopped, data(1, 'x'));
      clock.advance(100);
      to(stopped, data(1, 'x'));
      to(slow, data(1, 'y'));
      await expect.poll(() => asked.map((q) => q.from)).toEqual(['127.0.0.8', '127.0.0.9', '127.0.0.10']);
      // Then this receiver takes another sender's transfer: busy, it answers our sender's offers "wait".
      sendRaw(data(1, 'a'));
      await expect.poll(() => ackFor(data(1, 'a'))).toBe(1);
      let seq = 1;
      // Our sender asks every second while its user decides: its question stands, busy or not.
      for (let s = 1; s <= 6; s++) {
        clock.advance(1_000);
        await ask();
        expect(await ackFor(data(++seq, '+'))).toBe(seq);
      }
      expect(state()).toEqual(['127.0.0.8 asked', `127.0.0.9 ${SENDER_STOPPED}`, '127.0.0.10 asked']);
      // Our sender gives up (60 s without a decision, or stopped): 5 s later its question goes; the slow course
      // sender's after 15 s without a second segment.
      for (let s = 1; s <= 10; s++) clock.advance(1_000);
      expect(state()).toEqual([
        `127.0.0.8 ${SENDER_STOPPED}`,
        `127.0.0.9 ${SENDER_STOPPED}`,
        `127.0.0.10 ${SENDER_STOPPED}`,
      ]);
    } finally {
      for (const host of [offerer, stopped, slow]) host.close();
    }
  });

  it("learns a course sender's T from its segments 1: a windowed one, and a slow one asked again (virtual clock)", async () => {
    const asked = await undecided();
    const [windowed, slow] = await Promise.all([rawPeer('127.0.0.12'), rawPeer('127.0.0.13')]);
    const to = (from: typeof windowed, datagram: Buffer): void =>
      void from.socket.send(datagram, session!.address.port, session!.address.address);
    const pass = async (seconds: number, each?: (s: number) => void): Promise<void> => {
      for (let s = 1; s <= seconds; s++) {
        clock.advance(1_000);
        each?.(s);
        await new Promise((resolve) => setTimeout(resolve, 5)); // its datagrams reach the receiver
      }
    };
    const stands = (host: string): boolean =>
      asked.filter((q) => q.from === host).at(-1)?.signal.aborted === false;
    try {
      // Go-Back-N without an offer, T = 10 s: segments 1 to 3 back to back, again every 10 s.
      const burst = (): void => [1, 2, 3].forEach((k) => to(windowed, data(k, 'w')));
      burst();
      // Stop-and-wait, T = 20 s: its segment 1 every 20 s.
      to(slow, data(1, 's'));
      await expect.poll(() => asked.length).toBe(2);
      await pass(35, (s) => {
        if (s % 10 === 0) burst();
        if (s % 20 === 0) to(slow, data(1, 's'));
      });
      // The windowed one stands (its back-to-back segments say nothing of T); the slow one was taken down once,
      // after 15 s asked once, and asked again at 20 s, when its T was learnt: it stands since.
      expect(stands('127.0.0.12')).toBe(true);
      expect(asked.filter((q) => q.from === '127.0.0.12')).toHaveLength(1);
      expect(asked.filter((q) => q.from === '127.0.0.13').map((q) => q.signal.aborted)).toEqual([
        true,
        false,
      ]);
    } finally {
      windowed.close();
      slow.close();
    }
  });

  it("a course sender's answer stands while it keeps sending, and goes after 90 s of quiet (virtual clock)", async () => {
    const asked: { from: string; answer: (yes: boolean) => void }[] = [];
    await receiver({
      timers: clock, // the default OFFER_TTL_MS (90 s), virtually
      keepListening: true,
      destination: (i) => dir.file(`received-${i + 1}.bin`),
      decide: (o) => new Promise((answer) => asked.push({ from: o.from, answer })),
    });
    const retry = async (): Promise<void> => {
      const from = await rawPeer('127.0.0.9'); // a new socket per segment, as the reference client
      try {
        from.socket.send(data(1, 'x'), session!.address.port, session!.address.address);
        expect(await from.next(200)).toBeNull(); // turned away: never ACKed
      } finally {
        from.close();
      }
    };
    await retry();
    await expect.poll(() => asked.length).toBe(1);
    asked[0]!.answer(false);
    await new Promise((resolve) => setImmediate(resolve));
    // Still sending, a minute apart: still turned away, never asked again.
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      await retry();
    }
    expect(asked).toHaveLength(1);
    // Quiet for more than 90 s: a new sender as far as anyone can tell, asked about again.
    clock.advance(90_001);
    await retry();
    await expect.poll(() => asked.length).toBe(2);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('without a code, answers a sealed sender with "no code" and reports it once per try: again after 10 s quiet (virtual clock)', async () => {
    await receiver({ timers: clock, keepListening: true }); // the default 10 s, virtually
    const sealed = Buffer.concat([
      encodeHeader({ kind: BY_SENDER, salt: Buffer.alloc(16, 7), party: Buffer.alloc(8, 1), counter: 1 }),
      Buffer.alloc(40, 9),
    ]);
    const from = await rawPeer('127.0.0.9');
    const sendSealed = async (): Promise<Buffer | null> => {
      from.socket.send(sealed, session!.address.port, session!.address.address);
      return from.next(500);
    };
    const needsCode = (): number => events.filter((e) => e.type === 'needs-code').length;
    try {
      // Its answer: the header alone, kind 04, the datagram's salt.
      const notice = await sendSealed();
      const expected = encodeHeader({
        kind: NO_CODE,
        salt: Buffer.alloc(16, 7),
        party: Buffer.alloc(8),
        counter: 0,
      });
      expect(notice?.toString('hex')).toBe(Buffer.from(expected).toString('hex'));
      // The same try (its offer again every T): answered, not reported again.
      for (let i = 0; i < 5; i++) {
        clock.advance(100);
        expect(await sendSealed()).not.toBeNull();
      }
      clock.advance(9_000);
      await sendSealed();
      expect(needsCode()).toBe(1);
      // 10 s without: a new try, reported again.
      clock.advance(10_000);
      await sendSealed();
      expect(needsCode()).toBe(2);
      expect(session!.counters().malformed).toBe(8);
    } finally {
      from.close();
    }
  });

  it('with more course senders than questions, forgets one already answered before taking a question down', async () => {
    const asked: { from: string; signal: AbortSignal; answer: (yes: boolean) => void }[] = [];
    await receiver({
      timers: clock, // questions stand however long the steps take (QUESTION_QUIET_MS is virtual)
      keepListening: true,
      destination: (i) => dir.file(`received-${i + 1}.bin`),
      decide: (o, signal) => new Promise((answer) => asked.push({ from: o.from, signal, answer })),
    });
    const hosts = await Promise.all([12, 11, 13, 14, 15].map((h) => rawPeer(`127.0.0.${h}`)));
    try {
      for (const [i, host] of hosts.entries()) {
        host.socket.send(data(1, 'x'), session!.address.port, session!.address.address);
        await expect.poll(() => asked.length).toBe(i + 1);
        if (i === 1) asked[1]!.answer(false); // 127.0.0.11 turned away; 127.0.0.12, asked first, still undecided
      }
      // Four at most: the fifth pushed out 127.0.0.11 (answered), not the oldest question on screen.
      expect(asked[0]!.signal.aborted).toBe(false);
      // Forgotten, 127.0.0.11 is asked about again at its next segment 1.
      hosts[1]!.socket.send(data(1, 'x'), session!.address.port, session!.address.address);
      await expect.poll(() => asked.length).toBe(6);
      expect(asked[5]!.from).toBe('127.0.0.11');
    } finally {
      for (const host of hosts) host.close();
    }
    // The sixth pushed out the quietest of the questions left: 127.0.0.12's, asked first, is taken down.
    expect(asked.map((q) => `${q.from} ${q.signal.aborted}`)).toEqual([
      '127.0.0.12 true',
      '127.0.0.11 false',
      '127.0.0.13 false',
      '127.0.0.14 false',
      '127.0.0.15 false',
      '127.0.0.11 false',
    ]);
  });

  it('serving transfer after transfer, leaves no empty file for an end marker with nothing before it (a flood of strays)', async () => {
    await receiver({ keepListening: true, destination: (i) => dir.file(`received-${i + 1}.bin`) });
    const strays = await Promise.all(Array.from({ length: 20 }, () => rawPeer()));
    try {
      // Each from a fresh port, as a flood would come: each ACKed (a course sender with an empty file is done).
      for (const stray of strays) {
        stray.socket.send(data(1, ''), session!.address.port, session!.address.address);
        const ack = await stray.next();
        expect(ack && standard.decode(ack)).toMatchObject({ ok: true, segment: { kind: 'ack', seq: 1 } });
      }
    } finally {
      for (const stray of strays) stray.close();
    }
    expect(readdirSync(dir.path)).toEqual([]);
    expect(events.filter((e) => e.type === 'packet' && e.outcome === 'empty')).toHaveLength(20);
    // Its user is told, once for the host however many come (its sender said done, and no file came).
    expect(events.filter((e) => e.type === 'empty-course-file')).toEqual([
      expect.objectContaining({ from: expect.stringMatching(/^127\.0\.0\.1:\d+$/) }),
    ]);
    // A real transfer after them is the first.
    expect(await ackFor(data(1, 'real'))).toBe(1);
    expect(await ackFor(data(2, ''))).toBe(2);
    await expect.poll(() => readdirSync(dir.path)).toEqual(['received-1.bin']);
    expect(readFileSync(dir.file('received-1.bin'), 'utf8')).toBe('real');
  });

  it('tells its user of .part files a transfer that never ended left where it saves, after it listens, and leaves them be', async () => {
    writeFileSync(dir.file('report.pdf.part'), Buffer.alloc(2048));
    await receiver({
      keepListening: true,
      destination: (i) => dir.file(`received-${i + 1}.bin`),
      folder: dir.path,
    });
    // After 'listening', which starts a view (the app's Receive mode) afresh.
    expect(events.map((e) => e.type)).toEqual(['listening', 'leftovers']);
    expect(events[1]).toEqual({ type: 'leftovers', t: 0, names: ['report.pdf.part'], bytes: 2048 });
    expect(await ackFor(data(1, 'real'))).toBe(1);
    expect(await ackFor(data(2, ''))).toBe(2);
    await expect.poll(() => readdirSync(dir.path).sort()).toEqual(['received-1.bin', 'report.pdf.part']);
    expect(readFileSync(dir.file('report.pdf.part'))).toEqual(Buffer.alloc(2048));
  });

  it('never follows a planted symlink at the .part name, and never overwrites the planted file', async () => {
    const victim = dir.file('victim.txt');
    writeFileSync(victim, 'keep me');
    symlinkSync(victim, dir.file('out.bin.part'));
    await receiver();
    expect(await ackFor(data(1, 'new'))).toBe(1);
    expect(await ackFor(data(2, ''))).toBe(2);
    await session!.done;
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(readFileSync(dir.file('out.bin'), 'utf8')).toBe('new');
    expect(lstatSync(dir.file('out.bin.part')).isSymbolicLink()).toBe(true); // left as it was found
  });

  it('refuses a file over --max-size before writing it: no ACK, nothing left behind', async () => {
    await receiver({ maxBytes: 5 });
    expect(await ackFor(data(1, 'abc'))).toBe(1);
    expect(await ackFor(data(2, 'def'))).toBeNull();
    const result = await session!.done;
    expect(result.failure).toMatch(/larger than this receiver accepts \(5 B\)/);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it("takes an offered transfer from its sender's socket only: another port of that host is someone else", async () => {
    await receiver();
    const offer = encodeOffer('standard', {
      id: '0123456789abcdef',
      name: 'f.txt',
      size: 8,
      sha256: createHash('sha256').update('one two ').digest('hex'),
      mss: 4,
      protocol: 'saw',
      profile: 'standard',
    });
    // On the sender's host (127.0.0.1), from another port: a second sender there, or a stranger.
    const stranger = await rawPeer();
    const evil = (datagram: Buffer): void =>
      void stranger.socket.send(datagram, session!.address.port, session!.address.address);
    try {
      sendRaw(offer);
      expect(decodeAnswer((await peer.next())!, 'standard')).toMatchObject({ answer: 'accept' });
      evil(data(1, 'EVIL')); // before its sender's segment 1: it would open the transfer
      expect(await ackFor(data(1, 'one '))).toBe(1);
      evil(data(2, 'EVIL')); // the number due: it would be written
      expect(await ackFor(data(2, 'two '))).toBe(2);
      evil(data(3, '')); // an end marker: it would end the file short
      expect(await ackFor(data(3, ''))).toBe(3);
      const result = await session!.done;
      expect(result.files).toMatchObject([{ verified: true }]);
      expect(readFileSync(dir.file('out.bin'), 'utf8')).toBe('one two ');
      expect(session!.counters()).toMatchObject({ foreign: 3, bytesWritten: 8 });
      expect(stranger.received).toEqual([]);
    } finally {
      stranger.close();
    }
  });

  it('declines every forged offer it cannot take, and tells its user once per host and try, not per datagram', async () => {
    await receiver({ maxBytes: 5, timers: clock });
    const offer = (n: number): Buffer =>
      encodeOffer('standard', {
        id: n.toString(16).padStart(16, '0'),
        name: 'big.bin',
        size: 1_000 + n,
        sha256: '0'.repeat(64),
        mss: 500,
        protocol: 'saw',
        profile: 'standard',
      });
    const declined = (): string[] =>
      events.flatMap((e) => (e.type === 'offer-declined' ? [`${e.from} ${e.name}`] : []));
    // 200 offers, a fresh id each: every one is answered with its decline, the user told once.
    for (let n = 1; n <= 200; n++) {
      sendRaw(offer(n));
      expect(decodeAnswer((await peer.next())!, 'standard')).toMatchObject({ answer: 'decline' });
    }
    expect(declined()).toEqual(['127.0.0.1 big.bin']);
    // Its next try, after 10 s without an offer, is said again.
    clock.advance(10_000);
    sendRaw(offer(201));
    expect(decodeAnswer((await peer.next())!, 'standard')).toMatchObject({ answer: 'decline' });
    expect(declined()).toHaveLength(2);
  });

  it('stops before the disk is full (keeps the reserve free), with no ACK', async () => {
    let free = 10_000;
    await receiver({ reserveBytes: 9_000, fileOps: { ...nodeFileOps, freeBytes: () => free } });
    expect(await ackFor(data(1, 'x'.repeat(600)))).toBe(1);
    free = 9_500; // something else filled the disk meanwhile
    expect(await ackFor(data(2, 'y'.repeat(600)))).toBeNull();
    expect((await session!.done).failure).toMatch(/stopped before the disk is full/);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('completes on idle for a seed-text sender, which sends no end marker', async () => {
    await receiver({ timers: clock, profile: 'seed-text' }); // the default 10 s idle timeout, virtually
    for (const [seq, text] of [
      [1, 're'],
      [2, 'f'],
    ] as const) {
      peer.socket.send(seedText.encodeData(seq, Buffer.from(text)), session!.address.port, '127.0.0.7');
      const ack = await peer.next();
      expect(ack && seedText.decode(ack)).toMatchObject({ ok: true, segment: { kind: 'ack', seq } });
    }
    const result = await settled();
    expect(result.ok).toBe(true);
    // Nothing said the file was whole: it is kept, but marked unverified.
    expect(result.files[0]).toMatchObject({ endedBy: 'idle', verified: false, bytes: 3 });
    expect(readFileSync(dir.file('out.bin'), 'utf8')).toBe('ref');
  });

  it('does not ACK data it could not write (disk full), and says so', async () => {
    let writes = 0;
    const fullDisk: FileOps = {
      ...nodeFileOps,
      writeSync: (fd, buf, off, len) => {
        if (++writes > 1) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
        return nodeFileOps.writeSync(fd, buf, off, len);
      },
    };
    await receiver({ fileOps: fullDisk });
    expect(await ackFor(data(1, 'fits'))).toBe(1);
    expect(await ackFor(data(2, 'does not fit'))).toBeNull();
    const result = await session!.done;
    expect(result.failure).toMatch(/disk full/);
    expect(existsSync(dir.file('out.bin'))).toBe(false);
    expect(existsSync(dir.file('out.bin.part'))).toBe(false);
  });

  it('refuses a port already in use and an unwritable destination with clear errors', async () => {
    const first = await receiver();
    await expect(
      startReceiver({ port: first.address.port, bind: '127.0.0.7', destination: () => dir.file('b'), p: 0 }),
    ).rejects.toThrow(/already in use/);
    await expect(
      startReceiver({ port: 0, bind: '127.0.0.7', destination: () => dir.path, p: 0 }),
    ).rejects.toThrow(/it is a folder/);
    await expect(
      startReceiver({ port: 0, bind: '127.0.0.7', destination: () => dir.file('x'), p: -0.1 }),
    ).rejects.toThrow(/between 0 and 1/);
  });
});

describe('with --keep-listening', () => {
  it('an abandoned transfer leaves nothing behind, and the next sender is served', async () => {
    await receiver({ keepListening: true, timers: clock }); // the default 10 s idle timeout, virtually
    expect(await ackFor(data(1, 'half'))).toBe(1);
    expect(await ackFor(data(2, ' a file'))).toBe(2);
    // The sender vanishes: after the idle timeout its transfer fails and its .part is removed.
    expect(await clock.run(() => events.some((e) => e.type === 'transfer-failed'), 20_000)).toBe(true);
    expect(readdirSync(dir.path)).toEqual([]);
    const next = await rawPeer('127.0.0.8');
    try {
      for (const [seq, text] of [
        [1, 'whole'],
        [2, ''],
      ] as const) {
        next.socket.send(data(seq, text), session!.address.port, session!.address.address);
        expect(await next.next()).not.toBeNull();
      }
    } finally {
      next.close();
    }
    expect(events.filter((e) => e.type === 'complete')).toHaveLength(1);
    expect(readdirSync(dir.path)).toEqual(['out.bin']);
    expect(readFileSync(dir.file('out.bin'), 'utf8')).toBe('whole');
  });
});
