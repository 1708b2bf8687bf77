// A receiver that restarts while the sender waits between rounds (step mode, pause): its ACK 0 must fail only that
// receiver. It once also completed the round again, skipping a chunk nobody had been sent, so every other
// receiver got stuck and failed too.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SenderEvent } from '../../src/shared/events.js';
import { createPacer } from '../../src/shared/engine/pacer.js';
import { standard } from '../../src/shared/protocol/standard.js';
import { send } from '../../src/shared/node/sender.js';
import { virtualClock } from '../../src/shared/simulation/virtualClock.js';
import { rawPeer, sha256, specsOf, startReceivers, tempDir, writeRandomFile } from '../helpers/loopback.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

it('an ACK 0 between rounds fails that receiver only, and skips no chunk', async () => {
  const input = dir.file('in.bin');
  writeRandomFile(input, 50);
  // Sender and receiver on a virtual clock: each step below waits for what must happen, not for wall time.
  const clock = virtualClock();
  const [good] = await startReceivers(1, dir.path, { timers: clock }, 30);
  const restarting = await rawPeer('127.0.0.31');
  let senderAt: { port: number; address: string } | undefined;
  restarting.socket.on('message', (msg, from) => {
    senderAt = from;
    const d = standard.decode(msg);
    if (d.ok) restarting.socket.send(standard.encodeAck(d.segment.seq), from.port, from.address);
  });
  const pacer = createPacer({ kind: 'step' });
  const events: SenderEvent[] = [];
  const done = send({
    file: input,
    receivers: [...specsOf([good!]), { host: '127.0.0.31', port: restarting.port, label: 'restarting' }],
    mss: 10,
    timeoutMs: 50,
    receiverTimeoutMs: 1000,
    timers: clock,
    pacer,
    onEvent: (e) => events.push(e),
  });
  try {
    const progress = (): number => events.filter((e) => e.type === 'progress').length;
    // The first round waits for a click once the sender has started (a click before that is lost).
    expect(await clock.run(() => events.some((e) => e.type === 'start'), 1_000)).toBe(true);
    for (let click = 1; click <= 2; click++) {
      pacer.step();
      expect(await clock.run(() => progress() === click, 1_000)).toBe(true);
    }
    // Chunks 1 and 2 are ACKed by both; the sender waits for the click that sends chunk 3. Now it restarts.
    restarting.socket.send(standard.encodeAck(0), senderAt!.port, senderAt!.address);
    expect(await clock.run(() => events.some((e) => e.type === 'receiver-failed'), 1_000)).toBe(true);
    let result: Awaited<typeof done> | undefined;
    void done.then((r) => (result = r));
    for (let click = 0; click < 20 && result === undefined; click++) {
      pacer.step();
      await clock.run(() => result !== undefined, 200);
    }
    expect(result).toBeDefined();
    expect(result!.receivers[1]).toMatchObject({
      state: 'failed',
      failure: expect.stringMatching(/restarted/),
    });
    expect(result!.receivers[0]!.state).toBe('done');
    expect(sha256(dir.file('out-0.bin'))).toBe(sha256(input));
    // Every chunk was sent to the good receiver, in order, once.
    const sentToGood = events.flatMap((e) => (e.type === 'send' && e.receiver === 0 ? [e.seq] : []));
    expect(sentToGood).toEqual([1, 2, 3, 4, 5, 6]);
  } finally {
    // Whatever failed above, the sender ends (its time is virtual: it moves only when run).
    pacer.setMode({ kind: 'full' });
    let ended = false;
    done.then(
      () => (ended = true),
      () => (ended = true),
    );
    await clock.run(() => ended, 120_000);
    await done;
    restarting.close();
    await good!.stop();
  }
});
