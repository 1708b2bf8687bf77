// Liveness with the DEFAULT settings (retransmission 0.1 s, receiver timeout 30 s, keepalive 1 s, receiver idle
// timeout 10 s, stale transfer 3 s), on a virtual clock shared by sender and receivers, over real loopback
// sockets: a dead receiver, a long pause and a stray datagram must not fail a healthy receiver.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReceiverEvent } from '../../src/shared/events.js';
import { createPacer } from '../../src/shared/engine/pacer.js';
import { startReceiver } from '../../src/shared/node/receiver.js';
import { standard } from '../../src/shared/protocol/standard.js';
import { send } from '../../src/shared/node/sender.js';
import { rawPeer, sha256, specsOf, startReceivers, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { virtualClock, type VirtualClock } from '../../src/shared/simulation/virtualClock.js';
import { readdirSync } from 'node:fs';

let dir: ReturnType<typeof tempDir>;
let clock: VirtualClock;
const closers: (() => unknown)[] = [];
beforeEach(() => {
  dir = tempDir();
  clock = virtualClock();
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  dir.cleanup();
});

/** Healthy receivers with every default but the clock. */
async function healthy(n: number, first = 2, events?: ReceiverEvent[]) {
  const receivers = await startReceivers(
    n,
    dir.path,
    {
      timers: clock,
      lingerMs: undefined,
      ...(events ? { onEvent: (e) => events.push(e) } : {}),
    },
    first,
  );
  closers.push(...receivers.map((r) => () => r.stop()));
  return receivers;
}

/** A host that receives and never answers. */
async function dead(address: string) {
  const peer = await rawPeer(address);
  closers.push(() => peer.close());
  return { host: address, port: peer.port, label: `dead ${address}` };
}

function track<T>(promise: Promise<T>): { done: () => boolean; value: () => T } {
  let value: T | undefined;
  void promise.then((r) => (value = r));
  return { done: () => value !== undefined, value: () => value! };
}

describe('with default timeouts', () => {
  it('a dead receiver is given up after 30 s; the healthy ones wait that long without idling out', async () => {
    const input = dir.file('in.bin');
    writeRandomFile(input, 20_000);
    const events: ReceiverEvent[] = [];
    const receivers = await healthy(2, 2, events);
    const result = track(
      send({
        file: input,
        receivers: [...specsOf(receivers), await dead('127.0.0.9')],
        mss: 500,
        timers: clock,
      }),
    );
    const sessions = receivers.map((x) => track(x.done));
    expect(await clock.run(() => result.done() && sessions.every((x) => x.done()), 60_000)).toBe(true);
    const r = result.value();
    expect(r.ok).toBe(false);
    expect(r.receivers.map((x) => x.state)).toEqual(['done', 'done', 'failed']);
    expect(r.receivers[2]!.failure).toBe('no ACK for sequence number 1 within 30.0 s of sending it');
    // The healthy ones heard from the sender every second while they waited (the course's duplicate segment).
    for (const x of r.receivers.slice(0, 2)) expect(x.keepalives).toBeGreaterThanOrEqual(28);
    for (const x of r.receivers) expect(x.retransmissions).toBe(x.receiver.id === 2 ? 299 : 0);
    for (let i = 0; i < 2; i++) {
      expect(sessions[i]!.value().ok).toBe(true);
      expect(sha256(dir.file(`out-${i}.bin`))).toBe(sha256(input));
    }
    expect(events.filter((e) => e.type === 'transfer-failed')).toEqual([]);
  });

  it('a 60 s pause, even with a receiver owing an ACK, fails no one', async () => {
    const input = dir.file('in.bin');
    writeRandomFile(input, 10_000);
    const [good] = await healthy(1);
    // Loses the first copy of segment 5, so the pause below falls while it owes an ACK.
    const lossy = await rawPeer('127.0.0.3');
    closers.push(() => lossy.close());
    let skipped = false;
    let last = 0;
    lossy.socket.on('message', (msg, from) => {
      const d = standard.decode(msg);
      if (!d.ok || d.segment.kind !== 'data') return;
      if (d.segment.seq === 5 && !skipped) return void (skipped = true);
      if (d.segment.seq === last + 1) last = d.segment.seq;
      lossy.socket.send(standard.encodeAck(last), from.port, from.address);
    });
    const pacer = createPacer();
    let paused = false;
    const result = track(
      send({
        file: input,
        receivers: [...specsOf([good!]), { host: '127.0.0.3', port: lossy.port, label: 'lossy' }],
        mss: 500,
        timers: clock,
        pacer,
        onEvent: (e) => {
          if (e.type === 'timeout' && !paused) {
            paused = true;
            pacer.pause();
          }
        },
      }),
    );
    expect(await clock.run(() => paused, 10_000)).toBe(true);
    await clock.run(() => false, 60_000, 100);
    expect(result.done()).toBe(false);
    pacer.resume();
    const session = track(good!.done);
    expect(await clock.run(() => result.done() && session.done(), 10_000)).toBe(true);
    const r = result.value();
    expect(r.ok).toBe(true);
    expect(r.receivers.map((x) => x.state)).toEqual(['done', 'done']);
    expect(r.receivers[0]!.keepalives).toBeGreaterThanOrEqual(55);
    expect(session.value().ok).toBe(true);
    expect(sha256(dir.file('out-0.bin'))).toBe(sha256(input));
  });

  it('the receiver timeout counts from the first send of the current segment, not from the last ACK', async () => {
    // H ACKs segment 1 at once, then the round waits 30 s for the dead one. Segment 2's first copy to H is
    // lost: H must get the retransmission, not be declared failed 30 s after its last ACK.
    const input = dir.file('in.bin');
    writeRandomFile(input, 1_000);
    const h = await rawPeer('127.0.0.4');
    closers.push(() => h.close());
    let lostOnce = false;
    let last = 0;
    h.socket.on('message', (msg, from) => {
      const d = standard.decode(msg);
      if (!d.ok || d.segment.kind !== 'data') return;
      if (d.segment.seq === 2 && !lostOnce) return void (lostOnce = true);
      if (d.segment.seq === last + 1) last = d.segment.seq;
      h.socket.send(standard.encodeAck(last), from.port, from.address);
    });
    const result = track(
      send({
        file: input,
        receivers: [{ host: '127.0.0.4', port: h.port, label: 'H' }, await dead('127.0.0.9')],
        mss: 500,
        timers: clock,
      }),
    );
    expect(await clock.run(result.done, 60_000)).toBe(true);
    expect(result.value().receivers.map((x) => x.state)).toEqual(['done', 'failed']);
    expect(result.value().receivers[0]).toMatchObject({ timeouts: 1, retransmissions: 1 });
  });
});

describe('a stray datagram', () => {
  it('nor a stranger repeating segment 1 every 0.5 s: the real sender gets in once 3 s have passed', async () => {
    const input = dir.file('in.bin');
    writeRandomFile(input, 3_000);
    const [receiver] = await healthy(1);
    const stray = await rawPeer('127.0.0.8');
    closers.push(() => stray.close());
    let strays = 0;
    const again = (): void => {
      strays++;
      stray.socket.send(standard.encodeData(1, Buffer.from('EVIL')), receiver!.address.port, '127.0.0.2');
      clock.setTimeout(again, 500);
    };
    again();
    await clock.run(() => false, 200);
    const result = track(send({ file: input, receivers: specsOf([receiver!]), mss: 500, timers: clock }));
    const session = track(receiver!.done);
    expect(await clock.run(() => result.done() && session.done(), 30_000)).toBe(true);
    expect(result.value().ok).toBe(true);
    expect(session.value().files).toMatchObject([{ verified: true, bytes: 3_000 }]);
    expect(sha256(dir.file('out-0.bin'))).toBe(sha256(input));
    expect(strays).toBeGreaterThan(6);
  });

  it('does not lock a listening receiver: after 3 s of silence the real sender takes over', async () => {
    const input = dir.file('in.bin');
    writeRandomFile(input, 3_000);
    const events: ReceiverEvent[] = [];
    const [receiver] = await healthy(1, 2, events);
    const stray = await rawPeer('127.0.0.8');
    closers.push(() => stray.close());
    stray.socket.send(standard.encodeData(1, Buffer.from('EVIL')), receiver!.address.port, '127.0.0.2');
    expect(await stray.next()).not.toBeNull(); // it was taken as a transfer's segment 1
    let offered = false;
    const result = track(
      send({
        file: input,
        receivers: specsOf([receiver!]),
        mss: 500,
        timers: clock,
        onEvent: (e) => (offered ||= e.type === 'offer'),
      }),
    );
    // The sender hashes the file first (real I/O in the thread pool): virtual time may move only once it offers,
    // or a busy machine lets the stray go stale before the first offer (which would then be accepted at once).
    const until = performance.now() + 30_000;
    while (!offered && performance.now() < until) await new Promise((resolve) => setImmediate(resolve));
    const session = track(receiver!.done);
    expect(await clock.run(() => result.done() && session.done(), 20_000)).toBe(true);
    expect(result.value().ok).toBe(true);
    expect(session.value().ok).toBe(true);
    expect(sha256(dir.file('out-0.bin'))).toBe(sha256(input));
    expect(readdirSync(dir.path).sort()).toEqual(['in.bin', 'out-0.bin']); // the stray's .part is gone
    const abandoned = events.find((e) => e.type === 'transfer-failed');
    expect(abandoned).toMatchObject({
      reason: expect.stringMatching(/^abandoned: its sender was silent for 3\.\d s/),
    });
    // The real sender's offer was answered "wait" (about one a second) until the stray transfer went stale at
    // 3 s; then it was accepted, and the data went through without a timeout spent waiting.
    expect(result.value().receivers[0]).toMatchObject({ mode: 'verified', timeouts: 0 });
    expect(result.value().receivers[0]!.offers).toBeGreaterThanOrEqual(3);
  });
});

describe('a receiver serving transfer after transfer (the Receive mode of the app, --keep-listening)', () => {
  it.each([
    ['a 3000-byte file', 3_000],
    ['an empty file (its end marker is segment 1)', 0],
  ])(
    '%s, a peer silent at the end marker: the healthy one is done, with one file and no more',
    async (_what, size) => {
      const input = dir.file('in.bin');
      writeRandomFile(input, size);
      const events: ReceiverEvent[] = [];
      const serving = await startReceiver({
        port: 0,
        bind: '127.0.0.2',
        destination: (i) => dir.file(`kept-${i}.bin`),
        p: 0,
        keepListening: true,
        timers: clock,
        onEvent: (e) => events.push(e),
      });
      closers.push(() => serving.stop());
      // ACKs every data segment but the empty end marker, then stays silent.
      const quiet = await rawPeer('127.0.0.3');
      closers.push(() => quiet.close());
      quiet.socket.on('message', (msg, from) => {
        const d = standard.decode(msg);
        if (d.ok && d.segment.kind === 'data' && d.segment.payload.length > 0)
          quiet.socket.send(standard.encodeAck(d.segment.seq), from.port, from.address);
      });
      const result = track(
        send({
          file: input,
          receivers: [
            { host: '127.0.0.2', port: serving.address.port, label: 'serving' },
            { host: '127.0.0.3', port: quiet.port, label: 'quiet' },
          ],
          mss: 500,
          timers: clock,
        }),
      );
      expect(await clock.run(result.done, 60_000)).toBe(true);
      expect(result.value().receivers.map((r) => r.state)).toEqual(['done', 'failed']);
      expect(events.filter((e) => e.type === 'complete')).toHaveLength(1);
      expect(readdirSync(dir.path).filter((f) => f.startsWith('kept-'))).toEqual(['kept-0.bin']);
      expect(sha256(dir.file('kept-0.bin'))).toBe(sha256(input));
    },
  );
});
