// The command-line tools as a user runs them: spawned processes, their printed lines and exit codes.
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { clientBin, ensureCliBuilt, killAll, run as runProcess, serverBin } from '../helpers/processes.js';

const dir = tempDir();
let port = 17_735;

beforeAll(ensureCliBuilt);
afterAll(() => {
  killAll();
  dir.cleanup();
});

const server = serverBin;
const client = clientBin;
const run = (bin: string, args: string[]) => runProcess(bin, args, { cwd: dir.path, timeoutMs: 20_000 });

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
    const timeoutLines = sent.stdout.split('\n').filter((l) => /^Timeout, sequence number = \d+$/.test(l));
    expect(timeoutLines.length).toBe(drops + duplicates);
    expect(sent.stdout).toMatch(/^Server\s+State\s+ACKs\s+Timeouts\s+Retrans/m);
    for (const i of [2, 3, 4])
      expect(sent.stdout).toMatch(new RegExp(`^127\\.0\\.0\\.${i}\\s+done\\s+101\\s`, 'm'));
    expect(sent.stdout).toMatch(/^Total: 40000 bytes .* in 100 chunks of MSS 400 to 3 receiver\(s\)/m);
  });

  it('reaches servers given as host:port and speaks the seed-text profile', async () => {
    port++;
    const input = dir.file('text.txt');
    writeRandomFile(input, 999);
    const a = run(server, [String(port), 'st-a.txt', '0', '--bind', '127.0.0.5', '--profile', 'seed-text']);
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
  });

  it('prints one JSON event per line with --json', async () => {
    port++;
    writeRandomFile(dir.file('j.bin'), 250);
    const srv = run(server, [String(port), 'j-out.bin', '0', '--bind', '127.0.0.6', '--json']);
    await srv.listening;
    const sent = await run(client, ['127.0.0.6', String(port), 'j.bin', '100', '--json']);
    const events = sent.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(events[0]!.type).toBe('start');
    expect(events.at(-1)!.type).toBe('done');
    expect(events.filter((e) => e.type === 'ack')).toHaveLength(4); // 3 chunks + end marker
    const srvEvents = (await srv).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(srvEvents.map((e) => e.type)).toContain('complete');
  });

  it('serves transfer after transfer with --keep-listening, numbering the files', async () => {
    port++;
    writeRandomFile(dir.file('k1.txt'), 300);
    writeRandomFile(dir.file('k2.txt'), 500);
    const srv = run(server, [String(port), 'kept.txt', '0', '--bind', '127.0.0.7', '--keep-listening']);
    await srv.listening;
    for (const name of ['k1.txt', 'k2.txt']) {
      const sent = await run(client, ['127.0.0.7', String(port), name, '100', '--timeout', '0.05']);
      expect(sent.code, sent.stdout).toBe(0);
    }
    srv.kill();
    expect(sha256(dir.file('kept.txt'))).toBe(sha256(dir.file('k1.txt')));
    expect(sha256(dir.file('kept-2.txt'))).toBe(sha256(dir.file('k2.txt')));
  });

  it('exits 1 and names the server that never answered', async () => {
    writeRandomFile(dir.file('x.bin'), 100);
    const sent = await run(client, [
      '127.0.0.9',
      '17999',
      'x.bin',
      '50',
      '--timeout',
      '0.02',
      '--receiver-timeout',
      '0.3',
    ]);
    expect(sent.code).toBe(1);
    expect(sent.stdout).toMatch(/^Server 127\.0\.0\.9 failed: no ACK for 0\.3 s/m);
    expect(sent.stdout).toMatch(/^127\.0\.0\.9\s+failed/m);
  });

  it('a server whose sender dies exits 1 and leaves only the .part file', async () => {
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
    await new Promise((r) => setTimeout(r, 800));
    sender.kill();
    const result = await srv;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^p2mpserver: transfer failed: the sender went silent/m);
    expect(existsSync(dir.file('dies.bin'))).toBe(false);
    expect(existsSync(dir.file('dies.bin.part'))).toBe(true);
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
      'server: port not a number',
      server,
      ['http', 'o2.bin', '0.1'],
      /port must be a whole number, got "http"/,
    ],
    ['server: p above 1', server, ['17801', 'o3.bin', '1.2'], /p must be between 0 and 1, got 1.2/],
    ['server: p not a number', server, ['17801', 'o4.bin', 'lots'], /p must be a number/],
    ['server: missing arguments', server, ['17801'], /expected 3 arguments/],
    ['server: unwritable destination', server, ['17801', '/proc/nope/o5.bin', '0'], /cannot write/],
    ['server: unknown option', server, ['17801', 'o6.bin', '0', '--fast'], /Unknown option '--fast'/],
    [
      'client: MSS out of range',
      client,
      ['127.0.0.2', '7735', 'in.bin', '70000'],
      /MSS must be a whole number from 1 to 65499/,
    ],
    ['client: MSS zero', client, ['127.0.0.2', '7735', 'in.bin', '0'], /MSS must be/],
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
      'client: duplicate server',
      client,
      ['127.0.0.2', '127.0.0.2:7735', '7735', 'in.bin', '500'],
      /duplicate server/,
    ],
    ['client: port out of range', client, ['127.0.0.2', '0', 'in.bin', '500'], /server port must be/],
    ['client: too few arguments', client, ['127.0.0.2', 'in.bin'], /expected server-1 \.\.\. server-n/],
    [
      'client: bad timeout',
      client,
      ['127.0.0.2', '7735', 'in.bin', '500', '--timeout', 'x'],
      /timeout must be a number/,
    ],
    [
      'client: unknown profile',
      client,
      ['127.0.0.2', '7735', 'in.bin', '5', '--profile', 'xml'],
      /unknown profile "xml"/,
    ],
  ];
  beforeAll(() => writeRandomFile(dir.file('in.bin'), 10));
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
