// p2mpcheck client with its default waits (60 s for the sender, 2 s per withheld retransmission, 3 s of quiet)
// against our own sender with its default 0.1 s timeout, on the simulated network in virtual time: the twin of
// clientCheck.test.ts's shortened waits, and exact where real time cannot be: the timeout is 100 ms. Our sender
// in each dialect is read back as that dialect.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSender } from '../../src/shared/check/clientChecker.js';
import { CLIENT_CHECK_DEFAULTS } from '../../src/shared/check/options.js';
import { talkCommand, type ClientReport } from '../../src/shared/check/rules.js';
import { receiversTransport } from '../../src/shared/node/checkTransport.js';
import { parseServer } from '../../src/shared/node/endpoints.js';
import { send } from '../../src/shared/node/sender.js';
import { parseDialect, type Dialect } from '../../src/shared/protocol/dialect.js';
import type { ProfileName } from '../../src/shared/protocol/segment.js';
import { seededRandom } from '../../src/shared/random.js';
import { createSimNetwork } from '../../src/shared/simulation/network.js';
import { virtualClock, type VirtualClock } from '../../src/shared/simulation/virtualClock.js';
import { tempDir } from '../helpers/loopback.js';

const dir = tempDir();
afterAll(() => dir.cleanup());
const data = randomBytes(4_321); // 9 chunks of 500 bytes but the last
writeFileSync(dir.file('in.bin'), data);
const port = 7735;

/** Our sender in `dialect` against p2mpcheck client's defaults, in virtual time. */
async function checkOurSender(
  dialect: string,
  profile: ProfileName = 'standard',
): Promise<{ report: ClientReport; clock: VirtualClock }> {
  const clock = virtualClock();
  const network = createSimNetwork({ timers: clock, random: seededRandom(7) });
  const transport = await receiversTransport(3, port, {
    udp: network.udp,
    timers: clock,
    probe: async () => undefined, // every 127.0.0.x is a host of the simulated network
  });
  let finished = false;
  let senderStarted = false;
  const checking = checkSender(transport, {
    ...CLIENT_CHECK_DEFAULTS,
    receivers: transport.names,
    port,
    file: { name: 'in.bin', data },
  }).finally(() => (finished = true));
  const sending = send({
    file: dir.file('in.bin'),
    receivers: transport.names.map((host) => parseServer(host, port)),
    mss: 500,
    profile,
    dialect: parseDialect(dialect) as Dialect,
    udp: network.udp,
    timers: clock,
    onEvent: () => (senderStarted = true),
  });
  // The sender's setup is real I/O (hashing the file for its offer): wait for its first event, however busy the
  // machine, before virtual time starts to jump.
  const until = performance.now() + 30_000;
  while (!senderStarted && performance.now() < until) await new Promise((resolve) => setImmediate(resolve));
  // Virtual time jumps from event to event; each jump lets the promises it resolved run first.
  for (let steps = 0; !finished && steps < 100_000; steps++) {
    for (let turn = 0; turn < 4; turn++) await new Promise((resolve) => setImmediate(resolve));
    if (!clock.next()) break;
  }
  const [report, sent] = await Promise.all([checking, sending]);
  transport.close();
  expect(sent.ok).toBe(true);
  return { report, clock };
}

describe('p2mpcheck client on a virtual clock', () => {
  it('passes our own sender on every rule with the default waits, and measures its 0.1 s timeout', async () => {
    const { report, clock } = await checkOurSender('standard');
    expect(report.verdicts.filter((v) => v.status !== 'pass')).toEqual([]);
    expect(report.receivers).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    expect(report.timeout).toMatchObject({ medianMs: 100, lowMs: 100, highMs: 100 });
    // 9 chunks and the end marker; the default quiet ends the check 3 s after the marker's ACK.
    const last = report.evidence.at(-1)!;
    expect(last.what).toBe('ACK 10');
    expect(clock.now() - last.t).toBeGreaterThanOrEqual(3_000);
    expect(clock.now() - last.t).toBeLessThan(3_002);
  });

  it.each([
    'le,sum-payload',
    'seq0,bytes,ack-next',
    'eof-none',
    'eof-type0',
    'eof-fin',
    'le,seq0,ack-next,eof-fin',
  ])('reads our sender in the dialect %s as that dialect, every course rule passing', async (dialect) => {
    const { report } = await checkOurSender(dialect);
    expect(report.verdicts.filter((v) => v.status === 'fails')).toEqual([]);
    expect(report.verdicts.find((v) => v.id === 'file')!.status).toBe('pass');
    expect(talkCommand(report.dialect!, port)).toBe(`p2mpserver 7735 FILE P --dialect ${dialect}`);
  });

  it('reads our sender in the seed-text profile as the reference format', async () => {
    const { report } = await checkOurSender('eof-none', 'seed-text');
    expect(report.verdicts.filter((v) => v.status === 'fails')).toEqual([]);
    expect(talkCommand(report.dialect!, port)).toBe(
      'p2mpserver 7735 FILE P --profile seed-text --dialect eof-none',
    );
  });
});
