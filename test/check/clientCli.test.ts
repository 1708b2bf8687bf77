// p2mpcheck client as a user runs it: it prints where to point the sender, then judges our own p2mpclient (every
// course rule passes) or a test sender, and refuses bad input with one line.
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/loopback.js';
import { clientBin, ensureCliBuilt, killAll, root, run, type Running } from '../helpers/processes.js';
import { parseDialect, type Dialect } from '../../src/shared/protocol/dialect.js';
import { sendAsPeer } from './senderPeers.js';

const checkBin = `${root}/bin/p2mpcheck.js`;
const dir = tempDir();
const data = randomBytes(2_345);
writeFileSync(dir.file('in.bin'), data);
// Shortened waits keep each run to seconds; clientCheckDefaults.test.ts runs the defaults on a virtual clock.
// The default silence that means "the sender has finished" (3 s): a shorter one ended a check while a busy
// machine held our sender still for a second, and the sender then waited for receivers that were gone.
const WAITS = ['--wait', '20', '--retransmit-wait', '1'];

beforeAll(ensureCliBuilt);
afterAll(() => {
  killAll();
  dir.cleanup();
});

/** Runs p2mpcheck client and resolves with the addresses it asks for, once it listens. */
function checkClient(args: string[]): { check: Running; addresses: Promise<string[]> } {
  const check = run(checkBin, ['client', ...args], { cwd: dir.path, timeoutMs: 60_000 });
  const addresses = new Promise<string[]>((resolve) => {
    let stderr = '';
    check.child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const line = /^Start your sender now: (.*) port \d+$/m.exec(stderr);
      if (line) resolve(line[1]!.split(' '));
    });
  });
  return { check, addresses };
}

interface JsonReport {
  passes: boolean;
  dialect: Dialect;
  verdicts: { id: string; status: string; detail: string; title: string; course: string }[];
}

describe('p2mpcheck client', () => {
  it('passes our own p2mpclient on every course rule', async () => {
    const port = 17_940;
    const { check, addresses } = checkClient([
      '--port',
      String(port),
      '--json',
      '--file',
      'in.bin',
      ...WAITS,
    ]);
    const hosts = await addresses;
    expect(hosts).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    const sent = await run(clientBin, [...hosts, String(port), 'in.bin', '500'], { cwd: dir.path });
    expect(sent.code).toBe(0);
    const result = await check;
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.verdicts.filter((v) => v.status !== 'pass')).toEqual([]);
    expect(report.verdicts.find((v) => v.id === 'file')!.detail).toBe(
      'every receiver holds in.bin byte for byte (2345 bytes)',
    );
    expect(report.passes).toBe(true);
    expect(result.code).toBe(0);
  });

  it('prints a readable report that ends with the --dialect that talks to the sender', async () => {
    const port = 17_941;
    const { check, addresses } = checkClient(['--port', String(port), '--receivers', '2', ...WAITS]);
    const receivers = (await addresses).map((address) => ({ address, port }));
    await sendAsPeer({ data, receivers, mss: 400, dialect: parseDialect('seq0,ack-next') as Dialect });
    const result = await check;
    expect(result.stdout).toMatch(
      /^p2mpcheck: sender at 127\.0\.0\.1:\d+, received on 127\.0\.0\.2 127\.0\.0\.3 port 17941$/m,
    );
    expect(result.stdout).toMatch(/^differs +ACK meaning +waits for ACKs of the next number expected/m);
    expect(result.stdout).toMatch(/course: ACK: "the 32-bit sequence number being ACKed"/);
    const lines = result.stdout.trim().split('\n');
    expect(lines.at(-2)).toBe('Result: every course rule passes');
    expect(lines.at(-1)).toBe('Talk to it with: p2mpserver 17941 FILE P --dialect seq0,ack-next');
    expect(result.code).toBe(0);
  });

  it('says so in one line, exit code 1, when no sender comes within --wait', async () => {
    const result = await run(checkBin, ['client', '--port', '17942', '--wait', '0.3'], { cwd: dir.path });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      'Start your sender now: 127.0.0.2 127.0.0.3 127.0.0.4 port 17942',
      'p2mpcheck: no sender was heard within 0.3 s on 127.0.0.2 127.0.0.3 127.0.0.4 port 17942',
    ]);
    // With --json, stdout says it could not check: a script tells it from a rule that fails (both exit 1).
    const json = await run(checkBin, ['client', '--port', '17942', '--wait', '0.3', '--json'], {
      cwd: dir.path,
    });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      checked: false,
      passes: false,
      why: 'no sender was heard within 0.3 s on 127.0.0.2 127.0.0.3 127.0.0.4 port 17942',
    });
  });

  it('names the address whose port is taken, in one line, exit code 2', async () => {
    const taken = createSocket('udp4');
    await new Promise<void>((resolve) => taken.bind(17_943, '127.0.0.3', resolve));
    try {
      const result = await run(checkBin, ['client', '--port', '17943'], { cwd: dir.path });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('p2mpcheck: cannot listen on 127.0.0.3:17943: the port is already in use\n');
    } finally {
      taken.close();
    }
  });

  it.each([
    [
      [],
      /^p2mpcheck: say what to check: p2mpcheck server HOST PORT \(a receiver\) or p2mpcheck client --port PORT \(a sender\); see --help$/m,
    ],
    [['client'], /p2mpcheck client needs --port PORT/],
    [['client', '--port', '0'], /^p2mpcheck: port must be a whole number from 1 to 65535, got 0$/m],
    [['client', '--port', '7735', '--receivers', '0'], /--receivers must be >= 1/],
    [['client', '--port', '7735', '--mss', '0'], /--mss must be >= 1/],
    [['server', '127.0.0.1', '7735', '--mss', '500'], /--mss is not an option of p2mpcheck server/],
    [['client', '--port', '7735', '--tries', '3'], /--tries is not an option of p2mpcheck client/],
    [
      ['client', '--port', '7735', '--file', 'missing.bin'],
      /cannot read --file "missing\.bin": no such file/,
    ],
    [
      ['client', '127.0.0.2', '--port', '7735'],
      /p2mpcheck client takes options only \(--port PORT\), not "127\.0\.0\.2"; see --help/,
    ],
    [['server', '127.0.0.1', '7735', '--receivers', '2'], /--receivers is not an option of p2mpcheck server/],
  ])('refuses bad input %j with one line and exit code 2', async (args, message) => {
    const result = await run(checkBin, args, { cwd: dir.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
