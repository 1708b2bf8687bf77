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
