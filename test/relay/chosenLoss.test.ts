// Click to lose, in virtual time: the real sender and receivers over the simulated network, whose links apply the
// relay's own rule ("drop the next datagram with sequence number s"), reading numbers with the wire profile as
// the demo's relays do. One chosen loss, data or ACK, costs exactly one timeout and one retransmission, to that
// receiver only; the files still arrive whole.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { send } from '../../src/shared/node/sender.js';
import { startReceiver } from '../../src/shared/node/receiver.js';
import { sequenceReader } from '../../src/shared/node/wireSequence.js';
import type { ProfileName } from '../../src/shared/protocol/segment.js';
import { seededRandom } from '../../src/shared/network/random.js';
import { memoryFiles } from '../../src/shared/simulation/memoryFiles.js';
import { createSimNetwork } from '../../src/shared/simulation/network.js';
import { receiverHost, SENDER_HOST } from '../../src/shared/simulation/simulate.js';
import { virtualClock } from '../../src/shared/simulation/virtualClock.js';
import { tempDir } from '../helpers/loopback.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

async function transfer(profile: ProfileName, choose: (net: ReturnType<typeof createSimNetwork>) => void) {
  const clock = virtualClock();
  const read = sequenceReader(profile);
  const net = createSimNetwork({
    timers: clock,
    random: seededRandom(1),
    defaultHost: SENDER_HOST,
    // To a receiver: data; to the sender: ACKs.
    sequenceOf: (data) => read('forward', data) ?? read('backward', data),
  });
  choose(net);
  const input = dir.file(`chosen-${profile}.bin`);
  writeFileSync(input, Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251)));
  const files = memoryFiles();
  const sessions = await Promise.all(
    [0, 1, 2].map((i) =>
      startReceiver({
        port: 7735,
        bind: receiverHost(i),
        destination: () => `${dir.path}/out-${profile}-${i}.bin`,
        p: 0,
        profile,
        timers: clock,
        udp: net.udp,
        fileOps: files,
      }),
    ),
  );
  const timeouts: { seq: number; receiver: number }[] = [];
  const resends: { seq: number; receiver: number }[] = [];
  const sending = send({
    file: input,
    receivers: [0, 1, 2].map((i) => ({ host: receiverHost(i), port: 7735, label: receiverHost(i) })),
    mss: 100,
    profile,
    timeoutMs: 100,
    timers: clock,
    udp: net.udp,
    onEvent: (e) => {
      if (e.type === 'timeout') timeouts.push({ seq: e.seq, receiver: e.receiver });
      if (e.type === 'send' && e.retransmission) resends.push({ seq: e.seq, receiver: e.receiver });
    },
  });
  let done = false;
  void sending.finally(() => (done = true));
  for (let turn = 0; turn < 100_000 && !done; turn++)
    if (!clock.next()) await new Promise((resolve) => setImmediate(resolve));
  const result = await sending;
  await Promise.all(sessions.map((s) => s.stop()));
  const files3 = [0, 1, 2].map((i) => files.read(`${dir.path}/out-${profile}-${i}.bin`));
  return { result, timeouts, resends, files: files3, input: readFileSync(input) };
}

describe('a chosen loss in the simulated network (virtual time)', () => {
  it('without a choice: no timeout, no retransmission', async () => {
    const run = await transfer('standard', () => undefined);
    expect(run.result.ok).toBe(true);
    expect(run.timeouts).toEqual([]);
    expect(run.resends).toEqual([]);
  });

  for (const profile of ['standard', 'seed-text'] as const)
    it(`data 4 to receiver 2, ACK 7 from receiver 3 (${profile}): one timeout and one retransmission each`, async () => {
      const run = await transfer(profile, (net) => {
        net.loseNext(SENDER_HOST, receiverHost(1), 4);
        net.loseNext(receiverHost(2), SENDER_HOST, 7);
      });
      expect(run.result.ok).toBe(true);
      expect(run.timeouts).toEqual([
        { seq: 4, receiver: 1 },
        { seq: 7, receiver: 2 },
      ]);
      expect(run.resends).toEqual(run.timeouts);
      expect(run.result.receivers.map((r) => [r.timeouts, r.retransmissions])).toEqual([
        [0, 0],
        [1, 1],
        [1, 1],
      ]);
      for (const file of run.files) expect(file?.equals(run.input)).toBe(true);
    });
});
