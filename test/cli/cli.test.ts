// The command-line tools as a user runs them: spawned processes, their printed lines and exit codes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawPeer, sha256, tempDir, writeRandomFile } from '../helpers/loopback.js';
import {
  clientBin,
  ensureCliBuilt,
  killAll,
  root,
  run as runProcess,
  serverBin,
  sizeOf,
  sleep,
  waitFor,
} from '../helpers/processes.js';
import { referenceSend } from '../helpers/referenceSender.js';
import { standard } from '../../src/shared/protocol/standard.js';
import {
  DIALECT_TOKENS,
  parseDialect,
  STANDARD_DIALECT,
  TOKEN_MEANING,
  type Dialect,
} from '../../src/shared/protocol/dialect.js';
import { quirksOf, startPeer } from '../check/peers.js';
import { multicastProblem } from '../helpers/multicast.js';

const dir = tempDir();
let port = 17_735;

beforeAll(ensureCliBuilt);

// Selective Repeat sends to our servers over multicast when the machine has it (probed on loopback); without it,
// those tests send by unicast (--no-multicast) and say why.
let noMulticast: string | null = null;
beforeAll(async () => {
  noMulticast = await multicastProblem();
});
const multicastArgs = (): string[] => {
  if (noMulticast === null) return [];
  console.log(`multicast not tested: ${noMulticast}`);
  return ['--no-multicast'];
};
const MULTICAST_LINE = 'Multicast (each new segment sent once, to the group): ';
afterAll(() => {
  killAll();
  dir.cleanup();
});

const server = serverBin;
const client = clientBin;
const run = (bin: string, args: string[]) => runProcess(bin, args, { cwd: dir.path, timeoutMs: 20_000 });

/** A sender's timers shortened, for a sender that is to fail (each rule's twin at the defaults: test/engine). */
const SHORT_TIMERS = ['--timeout', '0.02', '--receiver-timeout', '1'];

/**
 * A server (`serverArgs` after its port, bound to `host`) and a sender that do not speak alike (`clientArgs` after
 * the host and port): the sender's short timeouts end it within a second or two; then the server is stopped.
 */
async function mismatched(host: string, serverArgs: string[], clientArgs: string[]) {
  port++;
  const srv = run(server, [String(port), ...serverArgs, '--bind', host]);
  await srv.listening;
  const sent = await run(client, [host, String(port), ...clientArgs, ...SHORT_TIMERS]);
  srv.kill('SIGTERM');
  return { sent, received: await srv };
}

describe('p2mpserver and p2mpclient', () => {
  it('send a file to three servers with loss, printing the course lines and a summary', async () => {
    port++;
    const input = dir.file('input.bin');
    writeRandomFile(input, 40_000);
    const servers = [2, 3, 4].map((i) =>
      run(server, [String(port), `got-${i}.bin`, '0.1', '--bind', `127.0.0.${i}`, '--seed', String(i)]),
    );
    await Promise.all(servers.map((s) => s.listening));
    const sent = await run(client, [
      '127.0.0.2',
      '127.0.0.3',
      '127.0.0.4',
      String(port),
      'input.bin',
      '400',
      '--timeout',
      '0.02',
    ]);
    const received = await Promise.all(servers);
    expect(sent.code, sent.stderr).toBe(0);
    let drops = 0;
    let duplicates = 0;
    for (const [k, i] of [2, 3, 4].entries()) {
      expect(received[k]!.code).toBe(0);
      expect(sha256(dir.file(`got-${i}.bin`))).toBe(sha256(input));
      const lines = received[k]!.stdout.split('\n');
      const lossLines = lines.filter((l) => /^Packet loss, sequence number = \d+$/.test(l));
      const counted = Number(/(\d+) dropped by p/.exec(received[k]!.stdout)![1]);
      expect(lossLines.length).toBe(counted);
      drops += counted;
      // A late ACK (a loaded machine) makes a timeout without a drop; the receiver sees that as a duplicate.
      duplicates += Number(/(\d+) duplicate/.exec(received[k]!.stdout)![1]);
      expect(received[k]!.stdout).toContain(`SHA-256 ${sha256(input)}`);
    }
    expect(drops).toBeGreaterThan(0);
    // One line per timeout, as the course's single timer: receivers that missed the same segment share it.
    const timeoutLines = sent.stdout.split('\n').filter((l) => /^Timeout, sequence number = \d+$/.test(l));
    const rounds = Number(/(\d+) timeout rounds?/.exec(sent.stdout)![1]);
    expect(timeoutLines.length).toBe(rounds);
    expect(rounds).toBeLessThanOrEqual(drops + duplicates);
    expect(rounds).toBeGreaterThan(0);
    expect(sent.stdout).toMatch(/^Server\s+State\s+ACKed\s+Timeouts\s+Retrans/m);
    for (const i of [2, 3, 4])
      expect(sent.stdout).toMatch(new RegExp(`^127\\.0\\.0\\.${i}\\s+done\\s+100\\s`, 'm'));
    expect(sent.stdout).toMatch(/^Total: 40000 bytes .* in 100 chunks of MSS 400 to 3 receivers/m);
  });

  it('reaches servers given as host:port and speaks the seed-text profile', async () => {
    port++;
    const input = dir.file('text.txt');
    writeRandomFile(input, 999);
    const a = run(server, [
      String(port),
      'st-a.txt',
      '0.3',
      '--seed',
      '1',
      '--bind',
      '127.0.0.5',
      '--profile',
      'seed-text',
    ]);
    const b = run(server, [
      String(port + 100),
      'st-b.txt',
      '0',
      '--bind',
      '127.0.0.5',
      '--profile',
      'seed-text',
    ]);
    await Promise.all([a.listening, b.listening]);
    const sent = await run(client, [
      '127.0.0.5',
      `127.0.0.5:${port + 100}`,
      String(port),
      'text.txt',
      '100',
      '--profile',
      'seed-text',
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    expect((await a).code).toBe(0);
    expect((await b).code).toBe(0);
    expect(sha256(dir.file('st-a.txt'))).toBe(sha256(input));
    expect(sha256(dir.file('st-b.txt'))).toBe(sha256(input));
    // Its loss lines as the reference implementation prints them ("%05d"), for a line-for-line comparison.
    const lossLines = (await a).stdout.split('\n').filter((l) => l.startsWith('Packet loss'));
    expect(lossLines.length).toBeGreaterThan(0);
    const padded = Array.from(
      { length: 11 },
      (_, k) => `Packet loss, sequence number = 000${String(k + 1).padStart(2, '0')}`,
    );
    expect(lossLines.filter((l) => !padded.includes(l))).toEqual([]);
  });

  it('prints one JSON event per line with --json', async () => {
    port++;
    writeRandomFile(dir.file('j.bin'), 250);
    const srv = run(server, [
      String(port),
      'j-out.bin',
      '0.5',
      '--bind',
      '127.0.0.6',
      '--json',
      '--seed',
      '42',
    ]);
    await srv.listening;
    const sent = await run(client, ['127.0.0.6', String(port), 'j.bin', '100', '--json']);
    const events = sent.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    // The offer first (to whom, then what our receiver answered), then the transfer.
    expect(events.slice(0, 3)).toMatchObject([
      { type: 'offering', fileSize: 250, receivers: [{ address: '127.0.0.6', port }] },
      { type: 'offer', state: 'asking' },
      { type: 'offer', state: 'accepted' },
    ]);
    expect(events[3]!.type).toBe('start');
    expect(events.at(-1)!.type).toBe('done');
    expect(events.filter((e) => e.type === 'ack')).toHaveLength(4); // 3 chunks + end marker
    const srvEvents = (await srv).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(srvEvents.map((e) => e.type)).toContain('complete');
    // The loss seed is in the JSON too, as in the text: a run with a random seed can be repeated.
    expect(srvEvents[0]).toMatchObject({ type: 'listening', p: 0.5, seed: 42 });
  });

  it('with --json and a code, a flood of datagrams without it is a line per second, every one counted', async () => {
    port++;
    const srv = run(server, [
      String(port),
      'flood.bin',
      '0',
      '--bind',
      '127.0.0.6',
      '--json',
      '--code',
      'new',
    ]);
    await srv.listening;
    const peer = await rawPeer('127.0.0.1');
    const started = Date.now();
    // 2,000 datagrams from one host, in bursts a receive buffer holds.
    for (let burst = 0; burst < 20; burst++) {
      for (let i = 0; i < 100; i++) peer.socket.send(Buffer.from(`junk ${burst}.${i}`), port, '127.0.0.6');
      await sleep(20);
    }
    const rejected = () =>
      srv.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; more?: number })
        .filter((e) => e.type === 'rejected');
    // A line with "more" stands for that many datagrams not written one by one: every one is in the digest once
    // its second is over (however busy the machine, it is only a matter of waiting).
    const counted = () => rejected().reduce((n, e) => n + (e.more ?? 1), 0);
    expect(await waitFor(() => counted() === 2_000, 15_000, 50)).toBe(true);
    // Ten more: the first of a new second is written at once, the other nine held when the server stops.
    for (let i = 0; i < 10; i++) peer.socket.send(Buffer.from(`late ${i}`), port, '127.0.0.6');
    expect(await waitFor(() => counted() >= 2_001, 15_000, 50)).toBe(true);
    await sleep(100);
    const seconds = (Date.now() - started) / 1000;
    srv.kill('SIGINT');
    await srv;
    // The first written as it came, then one line per second at most; the held ones before the last line.
    expect(rejected().length).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
    expect(rejected()[0]).toMatchObject({ why: 'unsealed', from: `127.0.0.1:${peer.port}` });
    expect(counted()).toBe(2_010);
    expect(JSON.parse(srv.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'stopped' });
    peer.close();
  });

  it('serves transfer after transfer with --keep-listening, numbering the files', async () => {
    port++;
    writeRandomFile(dir.file('k1.txt'), 300);
    writeRandomFile(dir.file('k2.txt'), 500);
    writeRandomFile(dir.file('k3.txt'), 700);
    // A numbered file from an earlier session is never replaced: the next free number is taken.
    writeFileSync(dir.file('kept-2.txt'), 'precious');
    const srv = run(server, [String(port), 'kept.txt', '0', '--bind', '127.0.0.7', '--keep-listening']);
    await srv.listening;
    for (const name of ['k1.txt', 'k2.txt', 'k3.txt']) {
      const sent = await run(client, ['127.0.0.7', String(port), name, '100', '--timeout', '0.05']);
      expect(sent.code, sent.stdout).toBe(0);
    }
    srv.kill();
    expect(sha256(dir.file('kept.txt'))).toBe(sha256(dir.file('k1.txt')));
    expect(readFileSync(dir.file('kept-2.txt'), 'utf8')).toBe('precious');
    expect(sha256(dir.file('kept-3.txt'))).toBe(sha256(dir.file('k2.txt')));
    expect(sha256(dir.file('kept-4.txt'))).toBe(sha256(dir.file('k3.txt')));
  });

  it('exits 1 and says plainly that no server answered: 0 bytes delivered, no flood of timeout lines', async () => {
    writeRandomFile(dir.file('x.bin'), 100);
    const sent = await run(client, [
      '127.0.0.9',
      '17999',
      'x.bin',
      '50',
      '--timeout',
      '0.02',
      '--receiver-timeout',
      // Long enough for more than ten timeouts even when a loaded machine runs the 20 ms timer late.
      '3',
    ]);
    expect(sent.code).toBe(1);
    const lines = sent.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('Timeout, sequence number = 1'))).toHaveLength(10);
    expect(lines).toContain(
      'No server has ACKed anything yet: further timeout lines are left out until one does.',
    );
    expect(sent.stdout).toMatch(/^Server 127\.0\.0\.9 failed: no ACK for sequence number 1 within 3\.0 s/m);
    expect(sent.stdout).toMatch(/^127\.0\.0\.9\s+failed\s+0\s/m);
    expect(sent.stdout).toMatch(
      /^No receiver answered: 0 bytes delivered to 1 receiver in .* \(is p2mpserver running there, on that port, with the same --profile and --dialect\? Or was it started with --code: then send with the same --code\)$/m,
    );
    expect(sent.stdout).not.toMatch(/^Total:|\/s\b/m); // no size or throughput claimed
  });

  // A student's first run on one machine: the course's server line (no --bind) and a client sending to 127.0.0.2.
  // The server answers from 127.0.0.1, which the sender must not take (anyone can send from any port), but says.
  it('a server on every address answering from another one: the sender gives it up at once and says how to fix it', async () => {
    writeRandomFile(dir.file('any.bin'), 1_000);
    const srv = run(server, ['17996', 'any-out.bin', '0', '--idle-timeout', '2']);
    await srv.listening;
    // Default timings: the offer's answers (ours), then a course sender's ACKs (--no-offer), come from 127.0.0.1.
    for (const extra of [[], ['--no-offer']]) {
      const sent = await run(client, ['127.0.0.2', '17996', 'any.bin', '500', ...extra]);
      expect(sent.code).toBe(1);
      expect(sent.stdout).toMatch(
        /^127\.0\.0\.2 failed: it answers from 127\.0\.0\.1:17996, another address of its machine \(a receiver listening on every address answers from the one its system picks\): bind it to the address you send to \(p2mpserver --bind, Receive mode's bind address\), or send to 127\.0\.0\.1$/m,
      );
      // Given up on after three answers from there, long before the 30 s receiver timeout.
      const took = Number(/ in ([\d.]+) s$/m.exec(sent.stdout)![1]);
      expect(took).toBeLessThan(10);
      expect(sent.stdout).not.toMatch(/is p2mpserver running there/);
    }
    srv.kill();
  });

  it('a sender with the other wire profile: the server says so once, the sender asks whether the profiles match', async () => {
    writeRandomFile(dir.file('profile.bin'), 2_000);
    const { sent, received } = await mismatched(
      '127.0.0.27',
      ['profile-out.bin', '0', '--profile', 'seed-text'],
      ['profile.bin', '500'],
    );
    expect(sent.code).toBe(1);
    expect(sent.stdout).toMatch(
      /with the same --profile and --dialect\? Or was it started with --code: then send with the same --code\)$/m,
    );
    expect(received.stderr.match(/^p2mpserver: .*profile.*$/gm)).toEqual([
      expect.stringMatching(
        /^p2mpserver: 127\.0\.0\.1:\d+ sends datagrams of the standard profile, which this server cannot read: was its sender started with another --profile\?$/,
      ),
    ]);
  });

  // A course sender without the code at a server started with one: the server said why, the sender only asked
  // about the profile and dialect.
  it('a course sender without the session code at a server with one: the sender asks about --code too', async () => {
    writeRandomFile(dir.file('uncoded.bin'), 2_000);
    const { sent, received } = await mismatched(
      '127.0.0.29',
      ['uncoded-out.bin', '0', '--code', '7K3M-Q9XD-2HFA'],
      ['uncoded.bin', '500', '--no-offer'],
    );
    expect(sent.code).toBe(1);
    expect(sent.stdout).toMatch(
      /^No receiver answered: 0 bytes delivered to 1 receiver in [\d.]+ s \(is p2mpserver running there, on that port, with the same --profile and --dialect\? Or was it started with --code: then send with the same --code\)$/m,
    );
    expect(received.stderr).toMatch(
      /sent datagrams without the session code \(dropped\): give the sender --code$/m,
    );
  });

  // A student's sender numbering from 0 at our server, which numbers from 1: segment 0 was ACKed 0 ("nothing
  // yet"), which that sender took for its ACK, and both sides said done over a file without its first 500 bytes.
  // Stop-and-wait, and Go-Back-N with segments 0..7 out at once (an ACK 1 would read as covering its segment 0).
  it.each(['saw', 'gbn'])(
    'a sender numbering from 0 at a server numbering from 1 (%s): nothing is ACKed or kept, the server says why once',
    async (protocol) => {
      writeRandomFile(dir.file('seq0.bin'), 20_000);
      const out = `seq0-out-${protocol}.bin`;
      const { sent, received } = await mismatched(
        '127.0.0.28',
        [out, '0'],
        ['seq0.bin', '500', '--dialect', 'seq0', '--protocol', protocol],
      );
      expect(sent.code).toBe(1);
      expect(sent.stdout).toMatch(/^127\.0\.0\.28\s+failed\s+0\s/m);
      // Its number as on the wire, as its timeout lines say it: segment 0 (it was "1", the engine's).
      expect(sent.stdout).toMatch(
        /^127\.0\.0\.28 failed: no ACK for sequence number 0 within 1\.0 s of sending it$/m,
      );
      expect(sent.stdout).toMatch(/^Timeout, sequence numbers? = 0\b/m);
      expect(sent.stdout).toMatch(
        /with the same --profile and --dialect\? Or was it started with --code: then send with the same --code\)$/m,
      );
      expect(received.code).toBe(1);
      expect(received.stderr.match(/^p2mpserver: .*segment.*$/gm)).toEqual([
        expect.stringMatching(
          /^p2mpserver: 127\.0\.0\.1:\d+ sent segment 0, but transfers here start at segment 1 \(not ACKed\): was its sender started with --dialect seq0 or bytes\? Start this server with the same --dialect \(p2mpcheck client tells which\)$/,
        ),
      ]);
      expect(received.stdout).toMatch(/ 0 ACKs sent, 0 bytes written in all$/m);
      expect(existsSync(dir.file(out))).toBe(false);
    },
  );

  // A course receiver takes every port of a host for one sender: a second sender on that host, at once, gets ACKs
  // of the first's transfer, which it was told came from a receiver of another dialect.
  it('a second course sender of one host at a busy server: the sender asks whether the server is busy', async () => {
    port++;
    writeRandomFile(dir.file('first.bin'), 200_000);
    writeRandomFile(dir.file('second.bin'), 2_000);
    const srv = run(server, [String(port), 'busy-out.bin', '0.1', '--bind', '127.0.0.37', '--seed', '3']);
    await srv.listening;
    // 400 segments at p 0.1 and the course's 0.1 s timeout: seconds, while the second one gives up within one.
    const first = run(client, ['127.0.0.37', String(port), 'first.bin', '500', '--no-offer']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await run(client, [
      '127.0.0.37',
      String(port),
      'second.bin',
      '500',
      '--no-offer',
      ...SHORT_TIMERS,
    ]);
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(
      /^127\.0\.0\.37 failed: no ACK for sequence number 1 within 1\.0 s of sending it, though it answered \d+ times: never with an ACK of a segment sent\. Is it busy with another transfer from this host \(a course receiver takes every port of a host for one sender\)\? Or does it speak another --dialect \(seq0, ack-next, le, \.\.\.\) or --profile\? p2mpcheck server tells which$/m,
    );
    expect((await first).code).toBe(0);
    expect(sha256(dir.file('busy-out.bin'))).toBe(sha256(dir.file('first.bin')));
    await srv;
  });

  // Receivers of other dialects answer every segment, so "is p2mpserver running there?" sent students looking for
  // the wrong problem.
  it('receivers of other dialects answering every segment: the sender says they answered and names --dialect', async () => {
    writeRandomFile(dir.file('dialects.bin'), 2_000);
    const tokens = ['ack-next', 'seq0'];
    const peers = await Promise.all(
      tokens.map((token, i) => startPeer(quirksOf(parseDialect(token) as Dialect), `127.0.0.${31 + i}`)),
    );
    try {
      const sent = await run(client, [
        ...peers.map((peer, i) => `127.0.0.${31 + i}:${peer.port}`),
        String(port),
        'dialects.bin',
        '500',
        ...SHORT_TIMERS,
      ]);
      expect(sent.code).toBe(1);
      // One that ACKs the next segment is known at its third ACK of a segment not sent yet.
      expect(sent.stdout).toContain(
        `127.0.0.31:${peers[0]!.port} failed: it ACKed sequence number 2 3 times while 1 was the last one sent: ` +
          'it ACKs the segment it expects next, not the one it got. Send to it with --dialect ack-next ' +
          '(p2mpcheck server tells its dialect)\n',
      );
      expect(sent.stdout).toMatch(
        new RegExp(
          `^127\\.0\\.0\\.32:${peers[1]!.port} failed: no ACK for sequence number 1 within 1\\.0 s of sending it, though it answered \\d+ times: never with an ACK of a segment sent\\. Is it busy with another transfer from this host \\(a course receiver takes every port of a host for one sender\\)\\? Or does it speak another --dialect \\(seq0, ack-next, le, \\.\\.\\.\\) or --profile\\? p2mpcheck server tells which$`,
          'm',
        ),
      );
      expect(sent.stdout).toMatch(
        /^No receiver acknowledged any data: 0 bytes delivered to 2 receivers in /m,
      );
      expect(sent.stdout).not.toMatch(/is p2mpserver running there/);
    } finally {
      for (const peer of peers) peer.close();
    }
  });

  // Go-Back-N reads an ACK as cumulative: a receiver that ACKs the next segment goes unseen until it loses one,
  // then answers "up to n" forever. (Shortened timeouts; the defaults' twin: test/engine/otherDialect.test.ts.)
  it('Go-Back-N to a receiver that ACKs the next segment and loses one: the failure names --dialect ack-next', async () => {
    writeRandomFile(dir.file('gbn-next.bin'), 10_000);
    const peer = await startPeer(
      { ...quirksOf(parseDialect('ack-next') as Dialect), loss: 0.3 },
      '127.0.0.33',
    );
    try {
      const sent = await run(client, [
        `127.0.0.33:${peer.port}`,
        String(port),
        'gbn-next.bin',
        '500',
        '--protocol',
        'gbn',
        ...SHORT_TIMERS,
      ]);
      expect(sent.code).toBe(1);
      expect(sent.stdout).toMatch(
        new RegExp(
          `^127\\.0\\.0\\.33:${peer.port} failed: no ACK for sequence number (\\d+) within 1\\.0 s of sending it, though it answered \\d+ times that it has everything up to \\d+: either no copy of \\1 reached it, or it ACKs the segment it expects next \\(then its ACK \\d+ means "send \\d+", not "have it": try --dialect ack-next\\)\\. p2mpcheck server tells which$`,
          'm',
        ),
      );
    } finally {
      peer.close();
    }
  });

  it("P2MP_CODE: a bad one is named as the environment's, an empty one counts as unset; --code NEW makes a code", async () => {
    const env = (value: string) => ({ cwd: dir.path, timeoutMs: 20_000, env: { P2MP_CODE: value } });
    const bad = await runProcess(client, ['127.0.0.2', '17801', 'input.bin', '500'], env('bad'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^p2mpclient: P2MP_CODE in the environment: a session code is 12 letters and digits, .*got "bad"\n$/,
    );
    for (const [args, value, expected] of [
      [
        ['--code', 'NEW'],
        'ignored since --code is given',
        /^Session code: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4} /m,
      ],
      [[], '', /^Listening on /m],
    ] as const) {
      port++;
      const listening = runProcess(
        server,
        [String(port), 'code-env.bin', '0', '--bind', '127.0.0.26', ...args],
        env(value),
      );
      await listening.listening;
      listening.kill('SIGTERM');
      const ended = await listening;
      // Stopped before its one file: said, and not exit 0 (which says the file arrived).
      expect(ended.stderr).toBe('p2mpserver: stopped before any file arrived\n');
      expect(ended.code).toBe(1);
      expect(ended.stdout).toMatch(expected);
      if (value === '') expect(ended.stdout).not.toContain('Session code');
    }
  });

  it('says as it starts listening that a file already under the name given will be replaced, and not otherwise', async () => {
    const said: string[] = [];
    for (const name of ['kept.txt', 'new-name.txt']) {
      port++;
      if (name === 'kept.txt') writeFileSync(dir.file(name), 'precious');
      const listening = runProcess(server, [String(port), name, '0', '--bind', '127.0.0.26'], {
        cwd: dir.path,
        timeoutMs: 20_000,
      });
      await listening.listening;
      listening.kill('SIGTERM');
      said.push((await listening).stdout.split('\n')[0]!);
    }
    expect(said[0]).toMatch(
      /; saving to \/.*\/kept\.txt \(replacing the 8 B file there once a transfer completes\)$/,
    );
    expect(said[1]).toMatch(/; saving to \/.*\/new-name\.txt$/);
    // Nothing was replaced: no transfer came.
    expect(readFileSync(dir.file('kept.txt'), 'utf8')).toBe('precious');
  });

  it('Selective Repeat with a dead server: its timeout lines name it and stop once it has been silent for 10 T, with one line saying so; the live one gets the file', async () => {
    port++;
    writeRandomFile(dir.file('sr-dead.bin'), 40_000);
    const live = run(server, [String(port), 'sr-dead-out.bin', '0', '--bind', '127.0.0.24']);
    await live.listening;
    const sent = await run(client, [
      '127.0.0.24',
      '127.0.0.25', // nothing listens there
      String(port),
      'sr-dead.bin',
      '500',
      '--protocol',
      'sr',
      '--window',
      '64',
      '--timeout',
      '0.02',
      '--receiver-timeout',
      // Long enough for dozens of expiries of 64 timers even when a loaded machine runs them late.
      '2',
    ]);
    expect(sent.code).toBe(1);
    expect((await live).code).toBe(0);
    expect(sha256(dir.file('sr-dead-out.bin'))).toBe(sha256(dir.file('sr-dead.bin')));
    const lines = sent.stdout.split('\n');
    // Without the cut: its timers every 20 ms for 2 s, each resending the whole window, a line per segment:
    // thousands. With it: it never answered the offer, so it has Go-Back-N, one timer and a line per expiry
    // for its base, until nothing has come from it for 10 T (200 ms); then one line.
    const dead = lines.filter((l) => /^Timeout, sequence numbers? = .* \(server 127\.0\.0\.25\)$/.test(l));
    expect(dead.length).toBeGreaterThan(0);
    expect(dead.length).toBeLessThanOrEqual(10);
    expect(new Set(dead)).toEqual(new Set(['Timeout, sequence number = 1 (server 127.0.0.25)']));
    expect(lines.filter((l) => l.startsWith('Server 127.0.0.25 '))).toEqual([
      expect.stringMatching(
        /^Server 127\.0\.0\.25 is not answering \(nothing from it for \d+\.\d s\): its timeout lines are left out until it does; it is given up on after 2\.0 s without an ACK$/,
      ),
      expect.stringMatching(/^Server 127\.0\.0\.25 failed: /),
    ]);
    expect(sent.stdout).toMatch(/^127\.0\.0\.25\s+failed\s+0\s/m);
  });

  it('a file from a sender without an end marker: "unverified", its own exit code 3', async () => {
    writeRandomFile(dir.file('ref.bin'), 3_000);
    for (const json of [false, true]) {
      port++;
      const out = `unverified-${json}.bin`;
      const srv = run(server, [
        String(port),
        out,
        '0',
        '--bind',
        '127.0.0.10',
        '--profile',
        'seed-text',
        // The reference client sends no end marker: silence ends the transfer. Long enough that a loaded machine's
        // pause between two segments is not taken for the end.
        '--idle-timeout',
        '3',
        ...(json ? ['--json'] : []),
      ]);
      await srv.listening;
      await referenceSend({
        file: dir.file('ref.bin'),
        receivers: [{ address: '127.0.0.10', port }],
        mss: 500,
        profile: 'seed-text',
      });
      const result = await srv;
      expect(result.code, result.stderr).toBe(3);
      expect(sha256(dir.file(out))).toBe(sha256(dir.file('ref.bin')));
      if (json) {
        const complete = result.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { type: string; file?: { verified: boolean; endedBy: string } })
          .find((e) => e.type === 'complete');
        expect(complete?.file).toMatchObject({ verified: false, endedBy: 'idle' });
      } else
        expect(result.stdout).toMatch(
          new RegExp(
            `^Received ${out.replace('.', '\\.')}: 3000 bytes .*\\(unverified: its sender sent no end marker, so it may be incomplete\\)$`,
            'm',
          ),
        );
    }
  });

  it('--protocol gbn --window 8: three servers at p = 0.1 get the file byte-identical', async () => {
    port++;
    writeRandomFile(dir.file('gbn.bin'), 60_000);
    const servers = [16, 17, 18].map((i) =>
      run(server, [String(port), `gbn-${i}.bin`, '0.1', '--bind', `127.0.0.${i}`, '--seed', String(i)]),
    );
    await Promise.all(servers.map((s) => s.listening));
    const sent = await run(client, [
      '127.0.0.16-18',
      String(port),
      'gbn.bin',
      '500',
      '--protocol',
      'gbn',
      '--window',
      '8',
    ]);
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    for (const [k, i] of [16, 17, 18].entries()) {
      expect((await servers[k]!).code).toBe(0);
      expect(sha256(dir.file(`gbn-${i}.bin`))).toBe(sha256(dir.file('gbn.bin')));
    }
    expect(sent.stdout).toMatch(/^Timeout, sequence numbers? = [\d, ]+ \(server 127\.0\.0\.1[678]\)$/m);
  });

  it('--protocol sr: three of our servers at p = 0.1 agree to Selective Repeat, join its multicast group and get the file byte-identical', async () => {
    port++;
    writeRandomFile(dir.file('sr.bin'), 60_000);
    const servers = [19, 20, 21].map((i) =>
      run(server, [String(port), `sr-${i}.bin`, '0.1', '--bind', `127.0.0.${i}`, '--seed', String(i)]),
    );
    await Promise.all(servers.map((s) => s.listening));
    const sent = await run(client, [
      '127.0.0.19-21',
      String(port),
      'sr.bin',
      '500',
      '--protocol',
      'sr',
      ...multicastArgs(),
    ]);
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    if (noMulticast === null)
      expect(sent.stdout).toContain(`${MULTICAST_LINE}127.0.0.19, 127.0.0.20, 127.0.0.21\n`);
    for (const [k, i] of [19, 20, 21].entries()) {
      const received = await servers[k]!;
      expect(received.code).toBe(0);
      expect(sha256(dir.file(`sr-${i}.bin`))).toBe(sha256(dir.file('sr.bin')));
      // Kept ahead of a lost segment, written once it came: seen as out of order, never written twice.
      expect(Number(/(\d+) out of order/.exec(received.stdout)![1])).toBeGreaterThan(0);
    }
    expect(sent.stdout).toContain('Verified end to end (SHA-256): 127.0.0.19, 127.0.0.20, 127.0.0.21');
    expect(sent.stdout).not.toContain('Go-Back-N');
    // Selective Repeat: a resend goes to that server alone, one segment per timeout; with SACK most losses are
    // resent before their timer (fast retransmission), so Retrans >= Timeouts in each row, and every timeout
    // printed its line.
    let timeouts = 0;
    for (const i of [19, 20, 21]) {
      const row = new RegExp(`^127\\.0\\.0\\.${i}\\s+done\\s+\\d+\\s+(\\d+)\\s+(\\d+)`, 'm').exec(
        sent.stdout,
      )!;
      expect(Number(row[2])).toBeGreaterThan(0);
      expect(Number(row[2])).toBeGreaterThanOrEqual(Number(row[1]));
      timeouts += Number(row[1]);
    }
    // (The segments of one expiry share a line: "sequence numbers = 5, 9 (server ...)".)
    const printed = [
      ...sent.stdout.matchAll(
        /^Timeout, sequence numbers? = ([\d, ]+?)(?:, \.\.\. \((\d+) in all\))? \(server 127\.0\.0\.(?:19|20|21)\)$/gm,
      ),
    ].reduce((sum, m) => sum + (m[2] ? Number(m[2]) : m[1]!.split(', ').length), 0);
    expect(printed).toBe(timeouts);
  });

  it('--protocol sr with a course receiver among ours: it gets Go-Back-N by unicast, ours the group, and the report says so', async () => {
    port++;
    writeRandomFile(dir.file('sr-mixed.bin'), 30_000);
    const ours = [22, 23].map((i) =>
      run(server, [String(port), `sr-mixed-${i}.bin`, '0.05', '--bind', `127.0.0.${i}`, '--seed', String(i)]),
    );
    await Promise.all(ours.map((s) => s.listening));
    // A course receiver (protocol-facts.md): no answer to the offer, cumulative ACKs, at p = 0.05.
    const course = await startPeer(
      { ...quirksOf(STANDARD_DIALECT), loss: 0.05, file: dir.file('sr-mixed-course.bin') },
      '127.0.0.24',
    );
    try {
      const sent = await run(client, [
        '127.0.0.22',
        '127.0.0.23',
        `127.0.0.24:${course.port}`,
        String(port),
        'sr-mixed.bin',
        '500',
        '--protocol',
        'sr',
        '--window',
        '16',
        ...multicastArgs(),
      ]);
      expect(sent.code, sent.stdout + sent.stderr).toBe(0);
      if (noMulticast === null) expect(sent.stdout).toContain(`${MULTICAST_LINE}127.0.0.22, 127.0.0.23\n`);
      for (const i of [22, 23])
        expect(sha256(dir.file(`sr-mixed-${i}.bin`))).toBe(sha256(dir.file('sr-mixed.bin')));
      expect(sha256(dir.file('sr-mixed-course.bin'))).toBe(sha256(dir.file('sr-mixed.bin')));
      expect(sent.stdout).toContain(
        `127.0.0.24:${course.port}: course mode, Go-Back-N: it cannot take Selective Repeat`,
      );
      expect(sent.stdout).toContain('Verified end to end (SHA-256): 127.0.0.22, 127.0.0.23');
      await Promise.all(ours);
    } finally {
      course.close();
    }
  });

  it('--protocol sr --no-multicast: our server agrees to Selective Repeat and gets it by unicast', async () => {
    port++;
    writeRandomFile(dir.file('sr-unicast.bin'), 20_000);
    const srv = run(server, [String(port), 'sr-unicast-out.bin', '0', '--bind', '127.0.0.25']);
    await srv.listening;
    const sent = await run(client, [
      '127.0.0.25',
      String(port),
      'sr-unicast.bin',
      '500',
      '--protocol',
      'sr',
      '--no-multicast',
    ]);
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    expect((await srv).code).toBe(0);
    expect(sha256(dir.file('sr-unicast-out.bin'))).toBe(sha256(dir.file('sr-unicast.bin')));
    expect(sent.stdout).toContain('Verified end to end (SHA-256): 127.0.0.25');
    expect(sent.stdout).not.toContain(MULTICAST_LINE);
    // The name the server's user gave is theirs: the sender is not told it.
    expect(sent.stdout).not.toContain('Kept as');
  });

  it('takes servers as a range and from --hosts files (each one counts)', async () => {
    port++;
    writeRandomFile(dir.file('ranged.bin'), 5_000);
    const servers = [12, 13, 14, 15, 16].map((i) =>
      run(server, [String(port), `ranged-${i}.bin`, '0', '--bind', `127.0.0.${i}`]),
    );
    await Promise.all(servers.map((s) => s.listening));
    // 127.0.0.14 is in the range too: a room's lists overlap; it gets the file once, and the user is told.
    writeFileSync(dir.file('room.txt'), '# Room 2.14\n127.0.0.15  # by the door\n127.0.0.14\n');
    writeFileSync(dir.file('annex.txt'), '127.0.0.16\n');
    const sent = await run(client, [
      '127.0.0.12-14',
      String(port),
      'ranged.bin',
      '500',
      '--hosts',
      'room.txt',
      '--hosts',
      'annex.txt',
    ]);
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    expect(sent.stderr).toBe('p2mpclient: listed more than once, sent the file once: 127.0.0.14\n');
    await Promise.all(servers);
    for (const i of [12, 13, 14, 15, 16]) {
      expect(sent.stdout).toMatch(new RegExp(`^127\\.0\\.0\\.${i}\\s+done`, 'm'));
      expect(sha256(dir.file(`ranged-${i}.bin`))).toBe(sha256(dir.file('ranged.bin')));
    }
  });

  it('--max-size: a file that fits arrives; a larger one is declined at the offer, or in course mode fails before it is written; nothing is left', async () => {
    writeRandomFile(dir.file('small.bin'), 20_000);
    writeRandomFile(dir.file('large.bin'), 60_000);
    for (const [name, mode] of [
      ['small.bin', 'fits'],
      ['large.bin', 'offer'],
      ['large.bin', 'course'],
    ] as const) {
      port++;
      const out = `limited-${mode}-${name}`;
      const srv = run(server, [String(port), out, '0', '--bind', '127.0.0.11', '--max-size', '40K']);
      await srv.listening;
      const extra = mode === 'course' ? ['--no-offer'] : [];
      const sent = await run(client, [
        '127.0.0.11',
        String(port),
        name,
        '1000',
        '--receiver-timeout',
        '1',
        ...extra,
      ]);
      expect(sent.code).toBe(mode === 'fits' ? 0 : 1);
      if (mode === 'offer') {
        // Refused before any data: the sender says why; the receiver wrote nothing and still listens.
        expect(sent.stdout).toMatch(
          /^127\.0\.0\.11 failed: declined: the file \(58\.6 KiB\) is larger than this receiver accepts \(40\.0 KiB\)$/m,
        );
        expect(readdirSync(dir.path).filter((f) => f.startsWith(out))).toEqual([]);
        // The same host then sends a file that fits in course mode: its offer was declined, so its data is
        // ignored, and the server says so once (it looked deaf: nothing on either side).
        const course = await run(client, [
          '127.0.0.11',
          String(port),
          'small.bin',
          '1000',
          '--receiver-timeout',
          '1',
          '--no-offer',
        ]);
        expect(course.code).toBe(1);
        srv.kill('SIGINT');
        const refused = await srv;
        expect(refused.stderr.match(/^p2mpserver: .* sends data, .*$/gm)).toEqual([
          expect.stringMatching(
            /^p2mpserver: 127\.0\.0\.1:\d+ sends data, but its offer of large\.bin was declined \(the file \(58\.6 KiB\) is larger than this receiver accepts \(40\.0 KiB\)\): ignored until it offers a file that is accepted$/,
          ),
        ]);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/^p2mpserver: stopped before any file arrived$/m);
        // The receiver's user learns it too, once.
        expect(refused.stderr.match(/^p2mpserver: declined .*$/gm)).toEqual([
          'p2mpserver: declined large.bin (58.6 KiB) from 127.0.0.1: the file (58.6 KiB) is larger than this ' +
            'receiver accepts (40.0 KiB) (still listening)',
        ]);
        continue;
      }
      const result = await srv;
      expect(result.code).toBe(mode === 'fits' ? 0 : 1);
      if (mode === 'fits') expect(sha256(dir.file(out))).toBe(sha256(dir.file(name)));
      else {
        expect(result.stderr).toMatch(
          /^p2mpserver: transfer failed: the file is larger than this receiver accepts \(40\.0 KiB\)/m,
        );
        expect(readdirSync(dir.path).filter((f) => f.startsWith(out))).toEqual([]);
      }
    }
  });

  it('a sender without an end marker: both sides say what keeps the file, and a server told so keeps it', async () => {
    writeRandomFile(dir.file('quiet.bin'), 30_000);
    // A server left at its defaults takes silence as a failure: it says which option keeps such files.
    port++;
    const strict = run(server, [
      String(port),
      'quiet-strict.bin',
      '0',
      '--bind',
      '127.0.0.12',
      '--idle-timeout',
      '1',
    ]);
    await strict.listening;
    const sent = await run(client, [
      '127.0.0.12',
      String(port),
      'quiet.bin',
      '1000',
      '--dialect',
      'eof-none',
    ]);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^Course mode, unverified \(no offer sent\): 127\.0\.0\.12$/m);
    expect(sent.stdout).toMatch(
      /^No end marker sent \(--dialect eof-none\): a receiver keeps the file only if silence ends its transfers \(p2mpserver --dialect eof-none, or --on-idle complete\)$/m,
    );
    const failed = await strict;
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^p2mpserver: transfer failed: the sender went silent for 1\.0 s after 30000 bytes, with no end marker; the partial file was removed\np2mpserver: if that sender sends no end marker .* start p2mpserver with --on-idle complete \(or its --dialect\) to keep what arrives, marked unverified; if it was stopped, send the file again$/m,
    );
    expect(existsSync(dir.file('quiet-strict.bin'))).toBe(false);
    // Expecting no end marker nothing was said at the start; told to fail on silence all the same, it says so then.
    expect(failed.stdout).toMatch(/^Receiving from 127\.0\.0\.1:\d+ into .*quiet-strict\.bin$/m);
    port++;
    const removing = run(server, [
      ...[String(port), 'quiet-removed.bin', '0', '--bind', '127.0.0.12', '--idle-timeout', '1'],
      ...['--dialect', 'eof-none', '--on-idle', 'fail'],
    ]);
    await removing.listening;
    await run(client, ['127.0.0.12', String(port), 'quiet.bin', '1000', '--dialect', 'eof-none']);
    const removed = await removing;
    expect(removed.stdout).toMatch(
      /^Receiving from 127\.0\.0\.1:\d+ into .*quiet-removed\.bin \(no end marker in this dialect: removed after 1 s without a packet \(--on-idle fail\)\)$/m,
    );
    expect(existsSync(dir.file('quiet-removed.bin'))).toBe(false);
    // The seed-text profile: the reference client sends no end marker, so a course transfer is told what silence
    // does; ours, offered, ends with its end marker, and nothing is said of silence.
    port++;
    const textual = run(server, [
      ...[String(port), dir.path, '0', '--bind', '127.0.0.12', '--keep-listening', '--profile', 'seed-text'],
    ]);
    await textual.listening;
    const to = ['127.0.0.12', String(port), 'quiet.bin', '1000', '--profile', 'seed-text'];
    expect((await run(client, to)).code).toBe(0);
    expect((await run(client, [...to, '--no-offer'])).code).toBe(0);
    textual.kill('SIGINT');
    const lines = (await textual).stdout.split('\n').filter((l) => l.startsWith('Receiving from'));
    expect(lines).toEqual([
      expect.stringMatching(/^Receiving from 127\.0\.0\.1:\d+ into .*quiet \(2\)\.bin$/),
      expect.stringMatching(
        /^Receiving from 127\.0\.0\.1:\d+ into .*received-\d+\.bin \(the reference client sends no end marker: kept after 10 s without a packet\)$/,
      ),
    ]);
    // Told the sender's dialect, it keeps the file (unverified: nothing says all of it came).
    port++;
    const told = run(server, [
      String(port),
      'quiet-kept.bin',
      '0',
      '--bind',
      '127.0.0.12',
      '--idle-timeout',
      '1',
      '--dialect',
      'eof-none',
    ]);
    await told.listening;
    expect(
      (await run(client, ['127.0.0.12', String(port), 'quiet.bin', '1000', '--dialect', 'eof-none'])).code,
    ).toBe(0);
    const kept = await told;
    expect(kept.stderr).not.toMatch(/no end marker/);
    // Its wait for the silence said when the transfer starts (10 s by default read as a hang).
    expect(kept.stdout).toMatch(
      /^Receiving from 127\.0\.0\.1:\d+ into .*quiet-kept\.bin \(no end marker in this dialect: kept after 1 s without a packet\)$/m,
    );
    expect(sha256(dir.file('quiet-kept.bin'))).toBe(sha256(dir.file('quiet.bin')));
  });

  /** A server on 127.0.0.16 mid-transfer with a course client (its first segment sent, then nothing yet). */
  async function busyServer(out: string, more: string[] = []) {
    writeRandomFile(dir.file('second.bin'), 3_000);
    port++;
    const busy = run(server, [String(port), out, '0', '--bind', '127.0.0.16', ...more]);
    await busy.listening;
    const first = await rawPeer('127.0.0.1');
    first.socket.send(standard.encodeData(1, Buffer.from('first')), port, '127.0.0.16');
    expect(await first.next(5_000)).not.toBeNull();
    return { busy, first, second: ['127.0.0.16', String(port), 'second.bin', '500', '--bind', '127.0.0.9'] };
  }

  it('a busy server taking one file tells a second sender to wait, saying its turn comes only if this one fails', async () => {
    const { busy, first, second } = await busyServer('first.bin');
    // A stray datagram's "transfer" goes stale in 3 s and the real sender gets in: so it is told to wait, and the
    // server's user is told when it would get a turn (not "when this one ends": the server ends with its file).
    const waiting = run(client, second);
    expect(await waitFor(() => /told to wait/.test(busy.stdout), 10_000, 20)).toBe(true);
    waiting.kill('SIGINT');
    await waiting;
    first.socket.send(standard.encodeData(2, Buffer.alloc(0)), port, '127.0.0.16');
    const served = await busy;
    first.close();
    expect(served.stdout.match(/^.*told to wait.*$/gm)).toEqual([
      '127.0.0.9 offers second.bin (2.93 KiB) while a transfer is on: told to wait (it asks again every second; ' +
        'this server takes one file, so it gets a turn only if this transfer fails or goes silent: ' +
        '--keep-listening serves one after another)',
    ]);
    expect(served.code).toBe(0);
    expect(readFileSync(dir.file('first.bin'), 'utf8')).toBe('first');
  });

  // A stray's segment is written to a transfer of its own, dropped when the real sender gets in: counted among the
  // bytes written, which read as the file's size ("Received 3000 bytes" over "3005 bytes written").
  it("a stray's segment before the real file: the counters say the bytes not kept apart", async () => {
    const { busy, first, second } = await busyServer('after-stray.bin');
    const sent = await run(client, second);
    first.close();
    const served = await busy;
    expect(sent.code, sent.stdout).toBe(0);
    expect(served.stdout).toMatch(/^Received after-stray\.bin: 3000 bytes /m);
    expect(served.stdout).toMatch(
      /^Packets: .*; \d+ ACKs sent, 3005 bytes written in all \(5 of them to transfers not kept\); \d+ offers? answered$/m,
    );
  });

  it('a busy server with --keep-listening tells a second sender to wait, and says so once on its own side too', async () => {
    const { busy, first, second } = await busyServer('first-kept.bin', ['--keep-listening']);
    const waiting = run(client, second);
    expect(await waitFor(() => /told to wait/.test(busy.stdout), 10_000, 20)).toBe(true);
    expect(await waitFor(() => /asks to wait/.test(waiting.stdout), 10_000, 20)).toBe(true);
    // Asked again every second: the server's user is told once.
    await sleep(1_200);
    waiting.kill('SIGINT');
    await waiting;
    first.close();
    busy.kill('SIGINT');
    const served = await busy;
    expect(served.stdout.match(/^.*told to wait.*$/gm)).toEqual([
      '127.0.0.9 offers second.bin (2.93 KiB) while a transfer is on: told to wait (it asks again every second, ' +
        'and gets its turn when this one ends)',
    ]);
  });

  it('stop-and-wait with a switched-off server: a few timeout lines, then one naming it, not one every T', async () => {
    writeRandomFile(dir.file('off.bin'), 5_000);
    port++;
    const alive = run(server, [String(port), 'off-got.bin', '0', '--bind', '127.0.0.15']);
    await alive.listening;
    // The default T (0.1 s): silent for 10 T, 1 s, it is named.
    const sent = await run(client, [
      '127.0.0.15,127.0.0.16',
      String(port),
      'off.bin',
      '500',
      '--receiver-timeout',
      '3',
    ]);
    expect(sent.code).toBe(1);
    const lines = sent.stdout.split('\n');
    const named = lines.findIndex((l) => l.startsWith('Server 127.0.0.16 is not answering'));
    expect(lines[named]).toMatch(
      /^Server 127\.0\.0\.16 is not answering \(nothing from it for \d+\.\d s\): its timeout lines are left out until it does; it is given up on after 3\.0 s without an ACK$/,
    );
    const timeouts = lines.filter((l) => l.startsWith('Timeout, sequence number'));
    expect(timeouts.length).toBeLessThanOrEqual(10);
    expect(lines.slice(named + 1).filter((l) => l.startsWith('Timeout, sequence number'))).toEqual([]);
    expect(sent.stdout).toMatch(/^Server 127\.0\.0\.16 failed: no ACK for sequence number 1 within 3\.0 s/m);
    expect((await alive).code).toBe(0);
    expect(sha256(dir.file('off-got.bin'))).toBe(sha256(dir.file('off.bin')));
  });

  it('--quiet prints the summary alone: a dead server is named once, in it', async () => {
    writeRandomFile(dir.file('hush.bin'), 5_000);
    port++;
    const alive = run(server, [String(port), 'hush-got.bin', '0', '--bind', '127.0.0.13']);
    await alive.listening;
    const sent = await run(client, [
      '127.0.0.13,127.0.0.14',
      String(port),
      'hush.bin',
      '500',
      '--receiver-timeout',
      '1',
      '--quiet',
    ]);
    expect(sent.code).toBe(1);
    const lines = sent.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Server\s+State\s+ACKed/);
    // Its row, and the reason once, in the summary: not also a live line before it.
    expect(lines.filter((l) => /failed/.test(l))).toEqual([
      expect.stringMatching(/^127\.0\.0\.14\s+failed\s+0\s/),
      '127.0.0.14 failed: no ACK for sequence number 1 within 1.0 s of sending it',
    ]);
    expect(sent.stdout).not.toMatch(/^Timeout, sequence|asks to wait/m);
    expect((await alive).code).toBe(0);
    expect(sha256(dir.file('hush-got.bin'))).toBe(sha256(dir.file('hush.bin')));
  });

  it('--code: the server makes and prints a code; the right one delivers at p = 0.1, a wrong one is refused on both sides', async () => {
    port++;
    const input = dir.file('sealed.bin');
    writeRandomFile(input, 12_000);
    const folder = dir.file('sealed-in');
    mkdirSync(folder);
    const receiving = run(server, [
      String(port),
      folder,
      '0.1',
      '--bind',
      '127.0.0.7',
      '--code',
      'new',
      '--keep-listening',
    ]);
    await receiving.listening;
    expect(await waitFor(() => /^Session code: /m.test(receiving.stdout), 10_000)).toBe(true);
    const code =
      /^Session code: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}) \(the sender gives it with --code; nothing else gets in\)$/m.exec(
        receiving.stdout,
      )![1]!;
    // Typed the way people type it: lower case, no dashes.
    const sent = await run(client, [
      '127.0.0.7',
      String(port),
      'sealed.bin',
      '500',
      '--code',
      code.replace(/-/g, '').toLowerCase(),
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/^Verified end to end \(SHA-256\): 127\.0\.0\.7$/m);
    expect(sent.stdout).toMatch(
      /^Session code: every datagram sealed; 0 forged and 0 replayed datagrams dropped$/m,
    );
    expect(sha256(`${folder}/sealed.bin`)).toBe(sha256(input));
    expect(sent.stdout).not.toContain('Kept as');
    // Sent again: the name is taken there, and the sender is told which one the file got.
    const again = await run(client, ['127.0.0.7', String(port), 'sealed.bin', '500', '--code', code]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Kept as "sealed \(2\)\.bin": 127\.0\.0\.7$/m);
    expect(sha256(`${folder}/sealed (2).bin`)).toBe(sha256(input));
    const wrong = await run(client, [
      '127.0.0.7',
      String(port),
      'sealed.bin',
      '500',
      '--code',
      '7K3M-Q9XD-2HFA',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(
      /^127\.0\.0\.7 failed: wrong code: it cannot open our datagrams \(it was given another session code\)$/m,
    );
    receiving.kill('SIGINT');
    const received = await receiving;
    expect(received.stderr).toMatch(
      /^p2mpserver: wrong code: 127\.0\.0\.1:\d+ sent datagrams that do not open with this session code \(another code, or forged; dropped\)$/m,
    );
    expect(received.stdout).toMatch(
      // The wrong code's datagrams said as such, not as forgeries (all of them: the first ones are recounted).
      /session code: 0 forged and 0 replayed datagrams dropped, [1-9]\d* datagrams under another code \(or forged\), [1-9]\d* datagrams? dropped before (its|their) sender answered a challenge$/m,
    );
    expect(readdirSync(folder).sort()).toEqual(['sealed (2).bin', 'sealed.bin']);
  });

  it('a server whose sender dies exits 1 and leaves nothing behind', async () => {
    port++;
    writeRandomFile(dir.file('big.bin'), 2_000_000);
    const srv = run(server, [
      String(port),
      'dies.bin',
      '0.5',
      '--bind',
      '127.0.0.8',
      '--idle-timeout',
      '0.5',
    ]);
    await srv.listening;
    const sender = run(client, ['127.0.0.8', String(port), 'big.bin', '1000']);
    // Past its first segments (a sender gone after segment 1 looks like a stray, and the server keeps listening).
    expect(await waitFor(() => sizeOf(dir.file('dies.bin.part')) >= 3_000, 15_000)).toBe(true);
    sender.kill();
    const result = await srv;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^p2mpserver: transfer failed: the sender went silent/m);
    expect(existsSync(dir.file('dies.bin'))).toBe(false);
    expect(existsSync(dir.file('dies.bin.part'))).toBe(false);
  });

  // Ctrl-C on the sender: our server is told, so it removes its .part and says why at once, not after its idle
  // timeout (here the default 10 s) as "the sender went silent"; and it still takes the file when its user runs
  // the same command again. With a session code the cancel is sealed too.
  it.each([
    ['', []],
    [' with a session code', ['--code', 'K7M3-Q9XD-2HFA']],
  ])(
    'Ctrl-C on p2mpclient%s: the server says its sender cancelled, and takes the next try',
    async (_, code) => {
      port++;
      writeRandomFile(dir.file('to-cancel.bin'), 2_000_000);
      const srv = run(server, [String(port), 'cancelled.bin', '0.5', '--bind', '127.0.0.8', ...code]);
      await srv.listening;
      const sender = run(client, ['127.0.0.8', String(port), 'to-cancel.bin', '1000', ...code]);
      expect(await waitFor(() => sizeOf(dir.file('cancelled.bin.part')) >= 3_000, 15_000)).toBe(true);
      sender.kill('SIGINT');
      expect((await sender).code).toBe(1);
      // However long the machine takes to say it, the reason is the cancel (silence would say "went silent").
      expect(await waitFor(() => /transfer failed/.test(srv.stderr), 15_000)).toBe(true);
      expect(srv.stderr).toBe(
        "p2mpserver: transfer failed: its sender's user cancelled the transfer; the partial file was removed " +
          '(still listening)\n',
      );
      expect(existsSync(dir.file('cancelled.bin.part'))).toBe(false);
      // Run again at once: the same server takes it (p = 0.5 there; a smaller file keeps it short).
      writeRandomFile(dir.file('to-cancel.bin'), 20_000);
      const again = await run(client, ['127.0.0.8', String(port), 'to-cancel.bin', '1000', ...code]);
      expect(again.code, again.stdout).toBe(0);
      const result = await srv;
      expect(result.code, result.stderr).toBe(0);
      expect(sha256(dir.file('cancelled.bin'))).toBe(sha256(dir.file('to-cancel.bin')));
    },
  );

  it('a server killed mid-transfer (kill -9) leaves its .part; the next one there says so and leaves it alone', async () => {
    port++;
    writeRandomFile(dir.file('power-cut.bin'), 2_000_000);
    const killed = run(server, [String(port), 'cut.bin', '0.5', '--bind', '127.0.0.8']);
    await killed.listening;
    const sender = run(client, ['127.0.0.8', String(port), 'power-cut.bin', '1000']);
    expect(await waitFor(() => sizeOf(dir.file('cut.bin.part')) >= 3_000, 15_000)).toBe(true);
    killed.kill('SIGKILL');
    sender.kill();
    await Promise.all([killed, sender]);
    const left = readFileSync(dir.file('cut.bin.part'));
    port++;
    writeRandomFile(dir.file('after.bin'), 5_000);
    const next = run(server, [String(port), 'cut.bin', '0', '--bind', '127.0.0.8']);
    await next.listening;
    const sent = await run(client, ['127.0.0.8', String(port), 'after.bin', '1000']);
    expect(sent.code, sent.stderr).toBe(0);
    const received = await next;
    expect(received.code).toBe(0);
    expect(received.stderr).toMatch(
      /^p2mpserver: an unfinished file from a transfer that never ended is here: cut\.bin\.part \([\d.]+ KiB; partial data, never complete\): delete it once no receiver is writing to it$/m,
    );
    // The new file came through a .part of its own; the old one is as it was.
    expect(sha256(dir.file('cut.bin'))).toBe(sha256(dir.file('after.bin')));
    expect(readFileSync(dir.file('cut.bin.part')).equals(left)).toBe(true);
  });

  it('a server whose reader goes away (--json | head) stops as on Ctrl-C: no stack trace, no .part left', async () => {
    port++;
    writeRandomFile(dir.file('piped.bin'), 2_000_000);
    const srv = run(server, [String(port), 'piped-out.bin', '0.5', '--bind', '127.0.0.8', '--json']);
    await srv.listening;
    srv.child.stdout!.destroy();
    const sender = run(client, ['127.0.0.8', String(port), 'piped.bin', '1000']);
    const result = await srv;
    sender.kill();
    await sender;
    expect(result.stderr).not.toMatch(/Unhandled 'error' event|\n\s+at /);
    expect(result.code).toBe(1);
    expect(existsSync(dir.file('piped-out.bin'))).toBe(false);
    expect(existsSync(dir.file('piped-out.bin.part'))).toBe(false);
  });
});

describe('bad input: one clear line on stderr, exit code 2, nothing written', () => {
  const cases: [string, string, string[], RegExp][] = [
    [
      'server: port out of range',
      server,
      ['70000', 'o1.bin', '0.1'],
      /port must be a whole number from 1 to 65535/,
    ],
    [
      'server: p and the file name the other way round (the order said, and the fix)',
      server,
      ['17801', '0.05', 'o1.bin'],
      /^p2mpserver: arguments out of order: p2mpserver takes port# file-name p; did you mean p2mpserver 17801 o1\.bin 0\.05\?$/,
    ],
    [
      'client: MSS and the file name the other way round',
      client,
      ['127.0.0.2', '17801', '500', 'input.bin'],
      /^p2mpclient: arguments out of order: p2mpclient takes server-1 \.\.\. server-n server-port# file-name MSS; did you mean \.\.\. 17801 input\.bin 500\?$/,
    ],
    [
      'server: a session code too short to be one',
      server,
      ['17801', 'o1.bin', '0', '--code', '1234'],
      /^p2mpserver: a session code is 12 letters and digits, like 7K3M-Q9XD-2HFA .*got "1234"$/,
    ],
    [
      'client: --discover with transfer options (ignored, they would mislead)',
      client,
      ['--discover', '--protocol', 'sr', '--code', '7K3M-Q9XD-2HFA'],
      /^p2mpclient: --discover lists the receivers and exits: --protocol, --code do not apply$/,
    ],
    [
      'client: --wait without --discover',
      client,
      ['127.0.0.2', '17801', 'input.bin', '500', '--wait', '1'],
      /^p2mpclient: --wait applies to --discover only$/,
    ],
    [
      'client: --no-multicast without Selective Repeat',
      client,
      ['127.0.0.2', '17801', 'input.bin', '500', '--protocol', 'gbn', '--no-multicast'],
      /^p2mpclient: --no-multicast applies to --protocol sr only \(the others send to each server by unicast\)$/,
    ],
    [
      'server: --name without --announce',
      server,
      ['17801', 'o1.bin', '0', '--name', 'lab-07'],
      /^p2mpserver: --name applies to --announce only: give --announce too$/,
    ],
    [
      // The duplicate is said only once the rest of the input holds: bad input stays one line.
      'client: a server listed twice and a bad code',
      client,
      ['127.0.0.2', '127.0.0.2', '17801', 'input.bin', '500', '--code', '1234'],
      /^p2mpclient: a session code is 12 letters and digits/,
    ],
    [
      // The whole range, as for one too large: not ">= 0" (0 is no MSS either), nor ">= 1" here and a range there.
      'client: a negative MSS',
      client,
      ['127.0.0.2', '17801', 'input.bin', '-5'],
      /^p2mpclient: MSS must be a whole number from 1 to 65499 \(standard profile\), got -5$/,
    ],
    [
      'client: an MSS of 0',
      client,
      ['127.0.0.2', '17801', 'input.bin', '0'],
      /^p2mpclient: MSS must be a whole number from 1 to 65499 \(standard profile\), got 0$/,
    ],
    [
      'client: a session code with --no-offer',
      client,
      ['127.0.0.2', '17801', 'input.bin', '500', '--code', '7K3M-Q9XD-2HFA', '--no-offer'],
      /^p2mpclient: a session code needs the offer \(our receivers answer it\): drop --no-offer$/,
    ],
    [
      'client: an MSS that leaves no room for the session envelope',
      client,
      ['127.0.0.2', '17801', 'input.bin', '65500', '--code', '7K3M-Q9XD-2HFA'],
      /^p2mpclient: MSS must be a whole number from 1 to 65445 \(standard profile, session code\), got 65500$/,
    ],
    [
      'server: port not a number',
      server,
      ['http', 'o2.bin', '0.1'],
      /port must be a whole number, got "http"/,
    ],
    ['server: p above 1', server, ['17801', 'o3.bin', '1.2'], /p must be between 0 and 1, got 1.2/],
    // Quoted as typed: it said "got 100000000000000000000" and "got 1e+308".
    [
      'server: p far above 1',
      server,
      ['17801', 'o3.bin', '99999999999999999999'],
      /p must be between 0 and 1, got 99999999999999999999$/,
    ],
    ['server: p = 1e308', server, ['17801', 'o3.bin', '1e308'], /p must be between 0 and 1, got 1e308$/],
    [
      'server: a folder that does not exist, written as one',
      server,
      ['17801', 'nodir/', '0'],
      /^p2mpserver: cannot save into ".*nodir": no such folder$/,
    ],
    [
      // Root passes a permission check there: only making a file tells (it once failed later, as "no free space").
      'server: a destination where no file can be made',
      server,
      ['17801', '/proc/p2mp-x.bin', '0'],
      /^p2mpserver: cannot write "\/proc\/p2mp-x\.bin": (the file system there takes no new files|permission denied)$/,
    ],
    [
      'server: an empty file name',
      server,
      ['17801', '', '0'],
      /^p2mpserver: file-name is empty: give a file to write, or a folder to save into$/,
    ],
    ['server: p not a number', server, ['17801', 'o4.bin', 'lots'], /p must be a decimal number/],
    [
      'server: p negative',
      server,
      ['17801', 'o4.bin', '-0.1'],
      /loss probability p must be between 0 and 1, got -0\.1$/,
    ],
    ['server: p in hex', server, ['17801', 'o4.bin', '0x1'], /p must be a decimal number, got "0x1"/],
    [
      'server: p underflows',
      server,
      ['17801', 'o4.bin', '1e-400'],
      /p is too small to represent, got "1e-400"/,
    ],
    [
      'server: idle timeout a timer cannot wait',
      server,
      ['17801', 'o4.bin', '0', '--idle-timeout', '1e300'],
      /idle timeout must be at most 2147483 s, got 1e300/,
    ],
    [
      'server: negative idle timeout',
      server,
      ['17801', 'o4.bin', '0', '--idle-timeout', '-1'],
      /^p2mpserver: idle timeout must be 0 or more, got -1$/,
    ],
    [
      'server: seed beyond 32 bits',
      server,
      ['17801', 'o4.bin', '0', '--seed', '4294967296'],
      /seed must be from 0 to 4294967295, got 4294967296/,
    ],
    [
      'server: empty --bind',
      server,
      ['17801', 'o4.bin', '0', '--bind', ''],
      /--bind must be an address, got an empty value/,
    ],
    [
      'server: bad --max-size',
      server,
      ['17801', 'o4.bin', '0', '--max-size', 'lots'],
      /--max-size must be a size such as 500M/,
    ],
    [
      'server: a --max-size beyond any disk',
      server,
      ['17801', 'o4.bin', '0', '--max-size', '99999999999T'],
      /^p2mpserver: --max-size is too large: at most 8191T, got "99999999999T"$/,
    ],
    [
      'server: negative port',
      server,
      ['-5', 'o4.bin', '0'],
      /port must be a whole number from 1 to 65535, got -5/,
    ],
    // Said as for 70000 (it was "port must be >= 1"), and for the client's port.
    [
      'server: port 0',
      server,
      ['0', 'o4.bin', '0'],
      /^p2mpserver: port must be a whole number from 1 to 65535, got 0$/,
    ],
    [
      'server: the port and the file name the other way round',
      server,
      ['o1.bin', '17801', '0.1'],
      /^p2mpserver: arguments out of order: p2mpserver takes port# file-name p; did you mean p2mpserver 17801 o1\.bin 0\.1\?$/,
    ],
    [
      'client: the port and the file name the other way round',
      client,
      ['127.0.0.2', 'input.bin', '17801', '500'],
      /^p2mpclient: arguments out of order: p2mpclient takes server-1 \.\.\. server-n server-port# file-name MSS; did you mean \.\.\. 17801 input\.bin 500\?$/,
    ],
    [
      'server: an idle timeout below a millisecond',
      server,
      ['17801', 'o4.bin', '0', '--idle-timeout', '1e-10'],
      /idle timeout must be 0 or at least 0\.001 s, got 1e-10/,
    ],
    ['server: missing arguments', server, ['17801'], /expected 3 arguments/],
    ['server: unwritable destination', server, ['17801', '/proc/nope/o5.bin', '0'], /cannot write/],
    [
      'server: a device as the output file (it would be replaced)',
      server,
      ['17801', '/dev/null', '0'],
      /^p2mpserver: cannot write "\/dev\/null": it is a device, a pipe or a socket, not a file/,
    ],
    [
      'server: unknown option',
      server,
      ['17801', 'o6.bin', '0', '--fast'],
      /^p2mpserver: unknown option '--fast'; see --help$/m,
    ],
    [
      'client: MSS out of range',
      client,
      ['127.0.0.2', '7735', 'in.bin', '70000'],
      /MSS must be a whole number from 1 to 65499/,
    ],
    ['client: MSS zero', client, ['127.0.0.2', '7735', 'in.bin', '0'], /MSS must be/],
    ...['none', 'fin'].map((eof): [string, string, string[], RegExp] => [
      `client: an empty file without an end marker (eof-${eof})`,
      client,
      ['127.0.0.2', '7735', 'empty.bin', '500', '--dialect', `eof-${eof}`],
      new RegExp(
        `^p2mpclient: an empty file cannot be sent in dialect eof-${eof}: .*send at least one byte$`,
      ),
    ]),
    [
      'client: missing file',
      client,
      ['127.0.0.2', '7735', 'nope.bin', '500'],
      /cannot read file "nope.bin": no such file/,
    ],
    [
      'client: unknown host',
      client,
      ['no-such-host.invalid', '7735', 'in.bin', '500'],
      /unknown host "no-such-host.invalid"/,
    ],
    [
      'client: an unknown host in a hosts file, with its line',
      client,
      ['7735', 'in.bin', '500', '--hosts', 'lab.txt'],
      /^p2mpclient: unknown host "lab-pc-99\.invalid" \(lab\.txt, line 3\)$/,
    ],
    ...(['255.255.255.255', '239.255.0.1'] as const).map((group): [string, string, string[], RegExp] => [
      `client: ${group} as a receiver (a group has no ACKs of its own)`,
      client,
      [group, '7735', 'in.bin', '500'],
      new RegExp(
        `^p2mpclient: "${group.replace(/\./g, '\\.')}" is a (broadcast|multicast) address: name each receiver`,
      ),
    ]),
    [
      // A network's broadcast address (loopback's here; 10.0.0.255 in a lab, as a range 10.0.0.0-255 holds it).
      'client: the broadcast address of a network of this machine',
      client,
      ['127.255.255.255', '7735', 'in.bin', '500'],
      /^p2mpclient: "127\.255\.255\.255" is the broadcast address of this machine's network 127\.0\.0\.1\/255\.0\.0\.0: name each receiver/,
    ],
    [
      'client: --bind of the other address family',
      client,
      ['::1', '7735', 'in.bin', '500', '--bind', '127.0.0.1'],
      /^p2mpclient: --bind 127\.0\.0\.1 is IPv4 and the servers are IPv6: give an address of the same family$/,
    ],
    [
      // Listed twice too: the duplicate is said only once the hosts resolve, so the error stays the one line.
      'client: an unknown host in a hosts file, and a host listed twice',
      client,
      ['127.0.0.2', '7735', 'in.bin', '500', '--hosts', 'lab.txt'],
      /^p2mpclient: unknown host "lab-pc-99\.invalid" \(lab\.txt, line 3\)$/,
    ],
    [
      'client: a bad entry in a hosts file, with its line',
      client,
      ['7735', 'in.bin', '500', '--hosts', 'typo.txt'],
      /^p2mpclient: bad server "127\.0\.0\.2:99999": .* \(typo\.txt, line 2\)$/,
    ],
    ['client: port out of range', client, ['127.0.0.2', '0', 'in.bin', '500'], /server port must be/],
    ['client: too few arguments', client, ['127.0.0.2', 'in.bin'], /expected server-1 \.\.\. server-n/],
    [
      'client: bad timeout',
      client,
      ['127.0.0.2', '7735', 'in.bin', '500', '--timeout', 'x'],
      /timeout must be a decimal number/,
    ],
    [
      'client: negative timeout',
      client,
      ['127.0.0.2', '7735', 'in.bin', '500', '--timeout', '-0.5'],
      /timeout must be at least 0\.001 s, got -0\.5/,
    ],
    [
      'client: empty --bind',
      client,
      ['127.0.0.2', '7735', 'in.bin', '500', '--bind', ' '],
      /--bind must be an address, got an empty value/,
    ],
    [
      'client: --bind with a port',
      client,
      ['127.0.0.2', '7735', 'in.bin', '500', '--bind', '127.0.0.7:80'],
      /^p2mpclient: --bind takes an address, not host:port: give --bind 127\.0\.0\.7$/,
    ],
    [
      'server: --bind with a port',
      server,
      ['17801', 'o4.bin', '0', '--bind', 'localhost:17801'],
      /^p2mpserver: --bind takes an address, not host:port: give --bind localhost$/,
    ],
    [
      'client: seed-text MSS a reference receiver would cut short',
      client,
      ['127.0.0.2', '7735', 'in.bin', '2041', '--profile', 'seed-text'],
      /MSS 2041 is too large for a reference seed-text receiver .* or --our-receivers/,
    ],
    [
      'client: a FIFO as the file',
      client,
      ['127.0.0.2', '7735', 'fifo', '500'],
      /cannot read file "fifo": not a regular file/,
    ],
    [
      'client: unknown profile',
      client,
      ['127.0.0.2', '7735', 'in.bin', '5', '--profile', 'xml'],
      /unknown profile "xml"/,
    ],
    [
      'client: a backwards range',
      client,
      ['127.0.0.9-3', '7735', 'in.bin', '500'],
      /"127\.0\.0\.9-3" is not a range/,
    ],
    [
      'client: --code followed by another option, not a code',
      client,
      ['127.0.0.2', '7735', 'in.bin', '500', '--code', '--quiet'],
      /^p2mpclient: --code needs a value; for one starting with "-" write --code=VALUE$/,
    ],
    [
      'client: a hosts file that is a folder',
      client,
      ['7735', 'in.bin', '500', '--hosts', '.'],
      /^p2mpclient: cannot read hosts file "\.": it is a folder$/,
    ],
    ...(['', ' ', ','] as const).map((list): [string, string, string[], RegExp] => [
      `client: an empty server list ${JSON.stringify(list)}`,
      client,
      [list, '7735', 'in.bin', '500'],
      /^p2mpclient: no servers given: name at least one \(host, host:port, a range such as 10\.0\.0\.10-40, or --hosts FILE\)$/,
    ]),
    [
      'client: a missing hosts file',
      client,
      ['7735', 'in.bin', '500', '--hosts', 'nowhere.txt'],
      /cannot read hosts file "nowhere\.txt": no such file/,
    ],
    [
      'client: an option given twice',
      client,
      ['127.0.0.2', '7735', 'in.bin', '500', '--protocol', 'gbn', '--window', '8', '--window', '9'],
      /^p2mpclient: --window is given twice; give it once$/,
    ],
    [
      'client: a window for stop-and-wait',
      client,
      ['127.0.0.2', '7735', 'in.bin', '500', '--window', '4'],
      /--window applies to --protocol gbn and sr only/,
    ],
    [
      'client: a window too large',
      client,
      ['127.0.0.2', '7735', 'in.bin', '500', '--protocol', 'gbn', '--window', '5000'],
      /--window must be from 1 to 1024, got 5000/,
    ],
    [
      'client: unknown --rto',
      client,
      ['127.0.0.2', '7735', 'in.bin', '5', '--rto', 'smart'],
      /--rto must be fixed or adaptive, got "smart"/,
    ],
    [
      'client: an unknown dialect token',
      client,
      ['127.0.0.2', '7735', 'in.bin', '500', '--dialect', 'seq0,seq2'],
      /^p2mpclient: unknown dialect "seq2": use standard or a comma-separated list of le, sum-payload, seq0, bytes, ack-next, eof-none, eof-type0, eof-fin$/,
    ],
    [
      'client: two ends of file',
      client,
      ['127.0.0.2', '7735', 'in.bin', '500', '--dialect', 'eof-none,eof-fin'],
      /^p2mpclient: dialect "eof-none,eof-fin" sets the end of file twice$/,
    ],
    [
      'client: little-endian seed-text',
      client,
      ['127.0.0.2', '7735', 'in.bin', '500', '--profile', 'seed-text', '--dialect', 'le'],
      /^p2mpclient: dialect tokens le and sum-payload apply to the standard profile only \(seed-text spells/,
    ],
    [
      'server: an unknown dialect token',
      server,
      ['7735', 'out.bin', '0', '--dialect', 'tcp'],
      /^p2mpserver: unknown dialect "tcp": use standard or a comma-separated list of /,
    ],
    [
      'server: a payload-only checksum in seed-text',
      server,
      ['7735', 'out.bin', '0', '--profile', 'seed-text', '--dialect', 'seq0,sum-payload'],
      /^p2mpserver: dialect tokens le and sum-payload apply to the standard profile only/,
    ],
  ];
  beforeAll(() => {
    writeRandomFile(dir.file('in.bin'), 10);
    writeFileSync(dir.file('lab.txt'), '# Room 2.14\n127.0.0.2\nlab-pc-99.invalid\n');
    writeFileSync(dir.file('typo.txt'), '127.0.0.2\n127.0.0.2:99999\n');
    writeFileSync(dir.file('empty.bin'), '');
    // A FIFO would block a plain open() until a writer came: the client must refuse it at once.
    spawnSync('mkfifo', [dir.file('fifo')]);
  });
  it.each(cases)('%s', async (_name, bin, args, message) => {
    const before = readdirSync(dir.path).sort();
    const result = await run(bin, args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^p2mp(server|client): /);
    expect(lines[0]).toMatch(message);
    expect(readdirSync(dir.path).sort()).toEqual(before);
  });
});

describe('--dialect in the help', () => {
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  it.each([
    ['p2mpserver', server],
    ['p2mpclient', client],
  ])('%s --help lists every token with what it means', async (_name, bin) => {
    const result = await run(bin, ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}--dialect D {12}how the /m);
    for (const token of DIALECT_TOKENS)
      expect(result.stdout).toMatch(new RegExp(`^ +${token} +${escape(TOKEN_MEANING[token])}$`, 'm'));
  });
});

describe('npm run demo', () => {
  const demo = join(root, 'dist/src/cli/demo.js');
  it('explains itself with --help (exit 0), and refuses any argument with one line and exit 2', async () => {
    const help = await run(demo, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run demo\n/);
    const bad = await run(demo, ['--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      'p2mp-demo: unexpected argument "--bogus"; the demo takes no arguments, see --help\n',
    );
  });

  it("prints the course's lines, one Timeout line per round however many receivers owed the ACK", async () => {
    const shown = await runProcess(demo, [], { cwd: dir.path, timeoutMs: 50_000 });
    expect(shown.code, shown.stderr).toBe(0);
    const timeouts = shown.stdout.match(/^\[sender\] Timeout, sequence number = \d+$/gm) ?? [];
    const rounds = Number(/; (\d+) timeout rounds of 0\.100 s$/m.exec(shown.stdout)![1]);
    expect(timeouts.length).toBe(rounds);
    expect(rounds).toBeGreaterThan(0);
    expect(shown.stdout).toMatch(/^\[receiver 127\.0\.0\.\d\] Packet loss, sequence number = \d+$/m);
    expect(shown.stdout).toMatch(/^All 3 received files are byte-identical\.$/m);
  }, 60_000);
});
