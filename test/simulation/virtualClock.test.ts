// The virtual clock over real I/O: virtual time must not move on while a file operation waits for libuv's thread
// pool. A busy machine holds that pool back for any number of event-loop turns; a sender's 30 s receiver timeout
// once expired in virtual time while it hashed a 50-byte file.
import { scrypt } from 'node:crypto';
import { closeSync, openSync, read, writeFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { virtualClock } from '../../src/shared/simulation/virtualClock.js';
import { tempDir } from '../helpers/loopback.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

it('holds virtual time still while a file read waits behind a busy thread pool', async () => {
  writeFileSync(dir.file('small.bin'), 'fifty bytes, give or take'.repeat(2));
  const fd = openSync(dir.file('small.bin'), 'r');
  // Every thread of the pool busy (4 by default; 8 jobs to be sure): the read queues behind them.
  const busy = Array.from(
    { length: 8 },
    () => new Promise((resolve) => scrypt('p', 's', 32, { N: 2 ** 15, r: 8, maxmem: 64 << 20 }, resolve)),
  );
  const clock = virtualClock();
  let readAt: number | undefined;
  read(fd, Buffer.alloc(50), 0, 50, 0, () => (readAt = clock.now()));
  try {
    expect(await clock.run(() => readAt !== undefined, 1_000)).toBe(true);
    // The read finished within the first 20 ms step of virtual time, however long the pool took in real time.
    expect(readAt).toBeLessThanOrEqual(20);
  } finally {
    await Promise.all(busy);
    closeSync(fd);
  }
});

it('runs timers earliest first, the first set among equals, never a cleared one, whatever the order they were set in', () => {
  const clock = virtualClock();
  const ran: string[] = [];
  // A deterministic shuffle of 500 timers at 50 distinct times, every third one cleared.
  const handles: { label: string; at: number; handle: unknown }[] = [];
  for (let i = 0; i < 500; i++) {
    const at = (i * 37) % 50;
    const label = `${at}:${i}`;
    handles.push({ label, at, handle: clock.setTimeout(() => ran.push(label), at) });
  }
  const cleared = new Set(handles.filter((_, i) => i % 3 === 0).map((h) => h.label));
  for (const h of handles) if (cleared.has(h.label)) clock.clearTimeout(h.handle);
  while (clock.next());
  const expected = handles
    .map((h, i) => ({ ...h, i }))
    .filter((h) => !cleared.has(h.label))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((h) => h.label);
  expect(ran).toEqual(expected);
  expect(clock.now()).toBe(49);
});

it('fires a timer re-armed 100,000 times once, at its last deadline', () => {
  const clock = virtualClock();
  let fired = 0;
  let handle = clock.setTimeout(() => fired++, 100);
  // A sender re-arms its round timer at every ACK: 100,000 times within the same virtual millisecond.
  for (let i = 0; i < 100_000; i++) {
    clock.clearTimeout(handle);
    handle = clock.setTimeout(() => fired++, 100);
  }
  clock.advance(50);
  expect(fired).toBe(0);
  clock.advance(50);
  expect(fired).toBe(1);
  expect(clock.next()).toBe(false);
});

it('runs timers set by a running timer in order with the rest, advance stopping at its end', () => {
  const clock = virtualClock();
  const ran: number[] = [];
  clock.setTimeout(() => {
    ran.push(clock.now());
    clock.setTimeout(() => ran.push(clock.now()), 5); // at 15, before the one at 20
    clock.setTimeout(() => ran.push(clock.now()), 0); // at 10, after this one
  }, 10);
  clock.setTimeout(() => ran.push(clock.now()), 20);
  clock.advance(15);
  expect(ran).toEqual([10, 10, 15]);
  expect(clock.now()).toBe(15);
  clock.advance(10);
  expect(ran).toEqual([10, 10, 15, 20]);
});

it('runs a timer whose delay is not a number as soon as possible, as Node does, without disturbing the others', () => {
  const clock = virtualClock();
  const ran: string[] = [];
  clock.setTimeout(() => ran.push('at 5'), 5);
  clock.setTimeout(() => ran.push('NaN'), NaN);
  clock.setTimeout(() => ran.push('at 1'), 1);
  clock.setTimeout(() => ran.push('at 0'), 0);
  while (clock.next());
  expect(ran).toEqual(['NaN', 'at 0', 'at 1', 'at 5']);
});
