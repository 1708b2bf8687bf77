// p2mpclient's Go-Back-N / Selective Repeat timeout lines (src/cli/timeoutLines.ts): a line per expiry of a
// server's timers, naming it; a server silent for 10 T gets one line instead of one per segment every T.
import { expect, it } from 'vitest';
import { windowedTimeouts } from '../../src/cli/timeoutLines.js';

function lines() {
  const printed: string[] = [];
  const timeouts = windowedTimeouts(
    (line) => printed.push(line),
    (i) => `127.0.0.${i + 2}`,
    { quietLimitMs: 1000, giveUpMs: 30_000 },
  );
  return { printed, timeouts };
}

it('the segments one expiry resends share a line naming the server; another server or moment gets its own', async () => {
  const { printed, timeouts } = lines();
  for (const seq of [5, 6, 9]) timeouts.timeout(0, 100, seq, 20);
  timeouts.timeout(1, 100, 5, 20);
  timeouts.timeout(0, 200, 10, 20);
  await Promise.resolve(); // the step ends
  expect(printed).toEqual([
    'Timeout, sequence numbers = 5, 6, 9 (server 127.0.0.2)',
    'Timeout, sequence number = 5 (server 127.0.0.3)',
    'Timeout, sequence number = 10 (server 127.0.0.2)',
  ]);
});

it('a whole window in one expiry lists 8 numbers and counts the rest', () => {
  const { printed, timeouts } = lines();
  for (let seq = 1; seq <= 64; seq++) timeouts.timeout(0, 100, seq, 100);
  timeouts.flush();
  expect(printed).toEqual([
    'Timeout, sequence numbers = 1, 2, 3, 4, 5, 6, 7, 8, ... (64 in all) (server 127.0.0.2)',
  ]);
});

it('a server silent for the limit gets one line until it is heard again; a lossy one that answers is never called silent', () => {
  const { printed, timeouts } = lines();
  // Dead: nothing since the start; its timers expire every T.
  for (let t = 100; t <= 5_000; t += 100) for (let seq = 1; seq <= 64; seq++) timeouts.timeout(0, t, seq, t);
  // Lossy but answering (a duplicate ACK now and then): quiet for at most 900 ms each time.
  for (let t = 100; t <= 5_000; t += 100) timeouts.timeout(1, t, 7, t % 1_000);
  timeouts.flush();
  const dead = printed.filter((l) => l.includes('127.0.0.2'));
  expect(dead).toHaveLength(10); // 9 expiries of 100 ms, then the line that says so
  expect(dead.at(-1)).toBe(
    'Server 127.0.0.2 is not answering (nothing from it for 1.0 s): its timeout lines are left out until it does; ' +
      'it is given up on after 30.0 s without an ACK',
  );
  expect(printed.filter((l) => l.includes('127.0.0.3'))).toHaveLength(50);
  expect(printed.some((l) => l.startsWith('Server 127.0.0.3'))).toBe(false);
  // Heard again: its lines come back.
  timeouts.timeout(0, 5_100, 3, 50);
  timeouts.flush();
  expect(printed.at(-1)).toBe('Timeout, sequence number = 3 (server 127.0.0.2)');
});
