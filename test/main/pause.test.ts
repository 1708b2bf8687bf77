// The app's Send mode paused for 60 s (and held in step mode for 60 s) with receivers on other hosts, every
// setting at its default, on a virtual clock shared by the engine and the receivers: nobody fails, every copy
// arrives whole. Real minutes would be too long for CI; the rules are the same.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FULL_PACE, type PaceState } from '../../src/shared/contract.js';
import type { SenderEvent, SendResult } from '../../src/shared/events.js';
import { send } from '../../src/shared/node/sender.js';
import { SenderService } from '../../src/main/services/senderService.js';
import { sha256, startReceivers, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { virtualClock, type VirtualClock } from '../../src/shared/simulation/virtualClock.js';

let dir: ReturnType<typeof tempDir>;
let clock: VirtualClock;
beforeEach(() => {
  dir = tempDir();
  clock = virtualClock();
});
afterEach(() => dir.cleanup());

it.each<[string, PaceState]>([
  ['paused', { mode: { kind: 'full' }, paused: true }],
  ['held in step mode', { mode: { kind: 'step' }, paused: false }],
])('60 s %s mid-transfer fails no one (defaults: 0.1 s, 30 s, idle 10 s)', async (_what, held) => {
  const input = dir.file('in.bin');
  writeRandomFile(input, 20_000);
  const receivers = await startReceivers(3, dir.path, { p: 0.1, timers: clock, lingerMs: undefined });
  const events: SenderEvent[] = [];
  let result: SendResult | undefined;
  const service = new SenderService({
    send: (options) => {
      const running = send({ ...options, timers: clock });
      void running.then((r) => (result = r));
      return running;
    },
    onEvent: (e) => events.push(e),
    onFailure: (message) => {
      throw new Error(message);
    },
  });
  await service.start(
    {
      file: input,
      receivers: receivers.map((r) => `${r.address.address}:${r.address.port}`),
      mss: 500,
      timeoutMs: 100,
      profile: 'standard',
    },
    7735,
  );
  const progress = (): number => events.filter((e) => e.type === 'progress').length;
  expect(await clock.run(() => progress() >= 10, 20_000)).toBe(true);
  service.setPace(held);
  await clock.run(() => false, 60_000, 100);
  const during = progress();
  expect(during).toBeLessThanOrEqual(11); // held: at most the round already on its way
  service.setPace(FULL_PACE);
  const sessions = receivers.map((r) => r.done);
  let ended = 0;
  for (const s of sessions) void s.then(() => ended++);
  expect(await clock.run(() => result !== undefined && ended === 3, 60_000)).toBe(true);
  expect(result!.ok).toBe(true);
  expect(events.filter((e) => e.type === 'receiver-failed')).toEqual([]);
  for (const [i, session] of sessions.entries()) {
    expect((await session).ok).toBe(true);
    expect(sha256(dir.file(`out-${i}.bin`))).toBe(sha256(input));
  }
  // Each receiver heard from the sender about once a second while it waited.
  for (const r of result!.receivers) expect(r.keepalives).toBeGreaterThanOrEqual(50);
});
