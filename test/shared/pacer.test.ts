// Teaching pace against real receivers: step mode sends one round per click, slow motion spaces rounds out.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SenderEvent } from '../../src/shared/events.js';
import { createPacer } from '../../src/shared/engine/pacer.js';
import { send } from '../../src/shared/node/sender.js';
import { sha256, specsOf, startReceivers, tempDir, writeRandomFile } from '../helpers/loopback.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const rounds = (events: SenderEvent[]): number =>
  events.filter((e) => e.type === 'send' && e.receiver === 0).length;

it('step mode sends exactly one round per step, and can switch back to full speed', async () => {
  const input = dir.file('in.bin');
  writeRandomFile(input, 1000);
  const receivers = await startReceivers(2, dir.path);
  const pacer = createPacer({ kind: 'step' });
  const events: SenderEvent[] = [];
  const done = send({
    file: input,
    receivers: specsOf(receivers),
    mss: 100,
    pacer,
    onEvent: (e) => events.push(e),
  });
  await sleep(150);
  expect(rounds(events)).toBe(0); // waiting for the first click
  for (let click = 1; click <= 3; click++) {
    pacer.step();
    await sleep(60);
    expect(rounds(events)).toBe(click);
  }
  pacer.pause();
  pacer.step(); // ignored while paused
  await sleep(60);
  expect(rounds(events)).toBe(3);
  pacer.resume();
  pacer.setMode({ kind: 'full' });
  const result = await done;
  expect(result.ok).toBe(true);
  expect(rounds(events)).toBe(11); // 10 chunks + end marker
  await Promise.all(receivers.map((r) => r.done));
  expect(sha256(dir.file('out-0.bin'))).toBe(sha256(input));
});

it('keeps a click made before the round was ready, but only one', () => {
  const pacer = createPacer({ kind: 'step' });
  pacer.step();
  pacer.step();
  let rounds = 0;
  pacer.waitTurn(() => rounds++);
  expect(rounds).toBe(1);
  pacer.waitTurn(() => rounds++);
  expect(rounds).toBe(1);
  expect(pacer.waiting).toBe(true);
  pacer.step();
  expect(rounds).toBe(2);
  expect(pacer.waiting).toBe(false);
});

it('slow motion spaces rounds out without failing patient receivers', async () => {
  const input = dir.file('in.bin');
  writeRandomFile(input, 300);
  const receivers = await startReceivers(1, dir.path);
  const pacer = createPacer({ kind: 'slow', roundsPerSecond: 10 });
  const result = await send({
    file: input,
    receivers: specsOf(receivers),
    mss: 100,
    pacer,
    receiverTimeoutMs: 50,
  });
  expect(result.ok).toBe(true);
  expect(result.durationMs).toBeGreaterThanOrEqual(290); // 4 rounds, 100 ms apart
  await Promise.all(receivers.map((r) => r.done));
  expect(() => pacer.setMode({ kind: 'slow', roundsPerSecond: 0 })).toThrow(/positive/);
});
