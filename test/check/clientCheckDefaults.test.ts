// p2mpcheck client with its default waits (60 s for the sender, 2 s per withheld retransmission, 3 s of quiet)
// against our own sender with its default 0.1 s timeout, on the simulated network in virtual time: the twin of
// clientCheck.test.ts's shortened waits, and exact where real time cannot be: the timeout is 100 ms. Our sender
// in each dialect is read back as that dialect.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSender, type Arrival, type ClientTransport } from '../../src/shared/check/clientChecker.js';
import { CLIENT_CHECK_DEFAULTS } from '../../src/shared/check/options.js';
import { talkCommand, type ClientReport } from '../../src/shared/check/rules.js';
import { receiversTransport } from '../../src/shared/node/checkTransport.js';
import { parseServer } from '../../src/shared/node/endpoints.js';
import { send } from '../../src/shared/node/sender.js';
import { parseDialect, type Dialect } from '../../src/shared/protocol/dialect.js';
import type { ProfileName } from '../../src/shared/protocol/segment.js';
import { seededRandom } from '../../src/shared/network/random.js';
import { createSimNetwork } from '../../src/shared/simulation/network.js';
import { virtualClock, type VirtualClock } from '../../src/shared/simulation/virtualClock.js';
import { tempDir } from '../helpers/loopback.js';

const dir = tempDir();
afterAll(() => dir.cleanup());
const data = randomBytes(4_321); // 9 chunks of 500 bytes but the last
writeFileSync(dir.file('in.bin'), data);
const port = 7735;

/**
 * The checker held still (a busy machine) for `ms` from the first datagram that `at` picks: what the sender sends
 * meanwhile queues up, and the checker reads it all at once when it wakes, stamped with its waking time.
 */
function heldStill(inner: ClientTransport, at: (a: Arrival) => boolean, ms: number): ClientTransport {
  let held: Arrival[] | undefined;
  return {
    send: (...args) => inner.send(...args),
    now: () => inner.now(),
    async next(timeoutMs) {
      if (held?.length) return held.shift()!;
      const arrival = await inner.next(timeoutMs);
      if (!arrival || held !== undefined || !at(arrival)) return arrival;
      const queued = [arrival];
      const wake = arrival.t + ms;
      for (let more = await inner.next(ms); more; more = await inner.next(Math.max(0, wake - inner.now())))
        queued.push(more);
      held = queued.map((a) => ({ ...a, t: inner.now() }));
      return held.shift()!;
    },
  };
}

/** Every answer of the checker's first `ms` reaches the sender only then (a busy machine holds the sender still). */
function lateAnswers(inner: ClientTransport, clock: VirtualClock, ms: number): ClientTransport {
  let until: number | undefined;
  return {
    next: (timeoutMs) => inner.next(timeoutMs),
    now: () => inner.now(),
    send: (...args) => {
      until ??= clock.now() + ms;
      if (clock.now() >= until) return inner.send(...args);
      clock.setTimeout(() => inner.send(...args), until - clock.now());
    },
  };
}

/** Our sender in `dialect` against p2mpcheck client's defaults, in virtual time. */
async function checkOurSender(
  dialect: string,
  profile: ProfileName = 'standard',
  hold: (transport: ClientTransport, clock: VirtualClock) => ClientTransport = (transport) => transport,
  timeoutMs?: number,
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
  const checking = checkSender(hold(transport, clock), {
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
    // No offer at a long timeout: asked at that pace, it would outlast the checker's quiet before any data.
    ...(timeoutMs !== undefined ? { timeoutMs, offer: false } : {}),
    udp: network.udp,
    timers: clock,
    onEvent: () => (senderStarted = true),
  });
  // The sender's setup is real I/O (hashing the file for its offer): wait for its first event, however busy the
  // machine, before virtual time starts to jump.
  const until = performance.now() + 30_000;
  while (!senderStarted && performance.now() < until) await new Promise((resolve) => setImmediate(resolve));
  // Virtual time jumps from event to event; each jump lets the promises it resolved run first. It runs until both
  // are done: a checker that finished first (a slow moment of real I/O) must not leave the sender in frozen time.
  let delivered = false;
  void sending.finally(() => (delivered = true));
  // No virtual timer pending while either is unfinished: real I/O is in flight (a loaded machine is slow to
  // finish it); wait for it in real time (10 s at most) instead of leaving both in frozen time.
  for (let steps = 0, idle = 0; !(finished && delivered) && steps < 100_000 && idle < 2_000; steps++) {
    for (let turn = 0; turn < 4; turn++) await new Promise((resolve) => setImmediate(resolve));
    if (clock.next()) idle = 0;
    else {
      idle++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  const [report, sent] = await Promise.all([checking, sending]);
  transport.close();
  // What went wrong, if anything: each receiver's failure and the verdicts that did not pass.
  expect(
    sent.ok,
    JSON.stringify({ failures: sent.receivers.map((r) => r.failure), report: report.verdicts }),
  ).toBe(true);
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

  // A checker held still reads a backlog: copies the sender sent before any ACK could reach it are no sign that
  // it ignored an ACK (which once made p2mpcheck try other ACK meanings, then fail our sender), nor that it
  // retransmits to receivers that had ACKed.
  it.each([
    ['its first segment', 1],
    ['the segment one receiver withholds its ACK of', 3],
    ['the segment one receiver answers with garbage', 4],
  ])('passes our sender when the checker is held still for 450 ms at %s', async (_, seq) => {
    const at = (a: Arrival): boolean =>
      new DataView(a.datagram.buffer, a.datagram.byteOffset).getUint32(0) === seq;
    const { report } = await checkOurSender('standard', 'standard', (t) => heldStill(t, at, 450));
    expect(report.verdicts.filter((v) => v.status !== 'pass')).toEqual([]);
    expect(talkCommand(report.dialect!, port)).toBe('p2mpserver 7735 FILE P --dialect standard');
  });

  it('passes our sender when a busy machine holds it still for 3.5 timeouts after the first ACKs (it repeats segment 1 three times)', async () => {
    const { report } = await checkOurSender('standard', 'standard', (t, clock) => lateAnswers(t, clock, 350));
    expect(report.verdicts.filter((v) => v.status !== 'pass')).toEqual([]);
    expect(talkCommand(report.dialect!, port)).toBe('p2mpserver 7735 FILE P --dialect standard');
  });

  // Its first retransmission would come 0.5 s after the default 2 s wait: unseen, so "no retransmission within
  // 2.0 s", with the way to tell a longer timeout apart, not "never retransmits". Its
  // keepalives (segment 1 again every 1 s while it waits) are answered with ACK 1, not the ACK held back: they
  // once got ACK 2, which moved it on, and then "never retransmits: ... it sent seq 3 instead" and "takes garbage
  // for an ACK" failed it.
  it('a sender retransmitting after 2.5 s: no retransmission within the default wait, and how to see it', async () => {
    const { report } = await checkOurSender('standard', 'standard', (t) => t, 2_500);
    expect(report.verdicts.filter((v) => v.status !== 'pass')).toEqual([
      {
        id: 'retransmits',
        status: 'fails',
        detail:
          'no retransmission within 2.0 s: seq 2 went once to each receiver, whose ACKs were withheld ' +
          'that long (its timeout may be longer: raise --retransmit-wait)',
      },
      {
        id: 'only-unacked',
        status: 'untested',
        detail:
          'not tested: no retransmission of seq 3 to 127.0.0.4 within 2.0 s (its timeout may be longer: raise ' +
          '--retransmit-wait)',
      },
    ]);
    expect(report.timeout).toBeUndefined();
    const keepalive = report.evidence.findIndex((e) => e.what === 'segment 1, again');
    expect(report.evidence[keepalive + 1]).toMatchObject({ t: 1_000, dir: 'to-sender', what: 'ACK 1' });
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
