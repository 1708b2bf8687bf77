// p2mpclient's timeout lines (src/cli/timeoutLines.ts): a line per expiry of a
// server's timers, naming it; a server silent for 10 T gets one line instead of one per segment every T.
import { expect, it } from 'vitest';
import {
  courseTimeouts,
  PROBE_AT_TIMEOUT,
  SILENT_TIMEOUT_LINES,
  unheardServers,
  windowedTimeouts,
} from '../../src/cli/timeoutLines.js';

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

// Stop-and-wait at the default T = 0.1 s and 30 s receiver timeout, as the engine reports its rounds: 30 servers, one
// switched off. Its rounds printed the course's line 300 times over 30 s and never named it.
it("stop-and-wait: a switched-off server among 30 gets one line naming it, not one per round; the others' lines stay", () => {
  const printed: string[] = [];
  const course = courseTimeouts(
    (line) => printed.push(line),
    (i) => `127.0.0.${i + 2}`,
    { quietLimitMs: 10 * 100, giveUpMs: 30_000 },
  );
  // Segment 1: server 29 never answers; server 4 loses one copy and answers the resend.
  course({ receiver: 4, t: 100, seq: 1, quietMs: 100 }, true);
  for (let t = 100; t < 30_000; t += 100) course({ receiver: 29, t, seq: 1, quietMs: t }, true);
  expect(printed).toEqual([
    ...Array.from({ length: 9 }, () => 'Timeout, sequence number = 1'),
    'Server 127.0.0.31 is not answering (nothing from it for 1.0 s): its timeout lines are left out until it ' +
      'does; it is given up on after 30.0 s without an ACK',
  ]);
  // A server heard from again has its rounds' lines back.
  course({ receiver: 29, t: 30_000, seq: 2, quietMs: 100 }, true);
  expect(printed.at(-1)).toBe('Timeout, sequence number = 2');
});

it('stop-and-wait: while no server has answered, 10 lines, then one saying why the rest are left out', () => {
  const printed: string[] = [];
  const course = courseTimeouts((line) => printed.push(line), String, {
    quietLimitMs: 1_000,
    giveUpMs: 30_000,
  });
  for (let t = 100; t <= 3_000; t += 100)
    for (let receiver = 0; receiver < 3; receiver++) course({ receiver, t, seq: 1, quietMs: t }, false);
  expect(printed).toEqual([
    ...Array.from({ length: SILENT_TIMEOUT_LINES }, () => 'Timeout, sequence number = 1'),
    'No server has ACKed anything yet: further timeout lines are left out until one does.',
  ]);
});

it('a server never heard from has its port asked about once, at its third timeout, and a closed one is said at once', async () => {
  const printed: string[] = [];
  const asked: number[] = [];
  const unheard = unheardServers(
    (line) => printed.push(line),
    (i) => `127.0.0.${i + 2}`,
    // Receiver 0's port is closed, receiver 1's is not (a server that does not answer, or a slow one).
    async (i) => (asked.push(i), i === 0 ? { at: '127.0.0.2:7735' } : null),
    30_000,
  );
  // Receiver 2 answered before its third timeout: never asked about.
  unheard.heard(2);
  for (let n = 1; n <= 5; n++) for (const i of [0, 1, 2]) unheard.timeout(i);
  await Promise.resolve();
  expect(PROBE_AT_TIMEOUT).toBe(3);
  expect(asked).toEqual([0, 1]);
  expect(printed).toEqual([
    'Server 127.0.0.2: nothing is listening on 127.0.0.2:7735 (its host says the port is closed): is p2mpserver ' +
      'running there, on that port? Still trying: it is given up on after 30.0 s without an ACK',
  ]);
  // Heard from while its port was being asked about (it was starting): nothing said.
  const late: string[] = [];
  let answer: (closed: { at: string } | null) => void = () => undefined;
  const starting = unheardServers(
    (line) => late.push(line),
    String,
    () => new Promise((resolve) => (answer = resolve)),
    0,
  );
  for (let n = 1; n <= 3; n++) starting.timeout(0);
  starting.heard(0);
  answer({ at: '127.0.0.2:7735' });
  await Promise.resolve();
  expect(late).toEqual([]);
});
