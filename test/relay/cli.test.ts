// The p2mprelay command: one clear line and exit 2 on bad input; a real run relays, and SIGTERM/SIGINT print the
// counters per direction and exit 0.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, root } from '../helpers/processes.js';
import { closeEndpoints, endpoint, numbered, sendAll, until } from './helpers.js';

const cli = join(root, 'dist', 'src', 'cli', 'relay.js');

beforeAll(ensureCliBuilt, 60_000);

const children: ChildProcessWithoutNullStreams[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await closeEndpoints();
});

function run(args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 10_000 });
}

describe('p2mprelay bad input', () => {
  const cases: [string[], RegExp][] = [
    [[], /expected 2 arguments/],
    [['7000'], /expected 2 arguments/],
    [['abc', '127.0.0.1:7735'], /listen-port must be a whole number/],
    // Said as every command says a port.
    [
      ['70000', '127.0.0.1:7735'],
      /^p2mprelay: listen-port must be a whole number from 0 to 65535, got 70000$/,
    ],
    [['-1', '127.0.0.1:7735'], /^p2mprelay: listen-port must be a whole number from 0 to 65535, got -1$/],
    [['7000', '127.0.0.1'], /target must be host:port/],
    [['7000', '127.0.0.1:0'], /^p2mprelay: target port must be a whole number from 1 to 65535, got 0$/],
    [['7000', 'no-such-host.invalid:7735'], /unknown host "no-such-host.invalid"/],
    [['7000', '127.0.0.1:7735', '--loss', '1.5'], /--loss must be a probability between 0 and 1, got 1.5/],
    [['7000', '127.0.0.1:7735', '--ack-loss', 'x'], /--ack-loss must be a decimal number/],
    [['7000', '127.0.0.1:7735', '--burst', '0.1'], /--burst must be GB,BG/],
    [['7000', '127.0.0.1:7735', '--burst', '0.1,2'], /--burst \(BG\) must be a probability/],
    [['7000', '127.0.0.1:7735', '--delay', '-5'], /--delay must be from 0 to 60000, got -5/],
    [['7000', '127.0.0.1:7735', '--delay', '-x'], /--delay needs a value; .* write --delay=VALUE/],
    [['7000', '127.0.0.1:7735', '--delay=-5'], /--delay must be from 0 to 60000, got -5/],
    [['7000', '127.0.0.1:7735', '--corrupt-bits', '65'], /--corrupt-bits must be from 1 to 64/],
    [['7000', '127.0.0.1:7735', '--rate', 'fast'], /--rate must be bytes per second/],
    [['7000', '127.0.0.1:7735', '--seed=-1'], /--seed must be >= 0, got -1/],
    [
      ['7000', '127.0.0.1:7735', '--seed', '99999999999999999999'],
      /--seed must be from 0 to 4294967295, got 9{20}$/,
    ],
    [['7000', '127.0.0.1:7735', '--seed', '0x10'], /--seed must be a whole number, got "0x10"/],
    [['7000', '127.0.0.1:7735', '--seed', '4294967296'], /--seed must be from 0 to 4294967295/],
    [['7000', '127.0.0.1:7735', '--frobnicate'], /frobnicate/],
    [['7000', '127.0.0.1:7735', '--listen-host', '203.0.113.1'], /cannot listen on 203\.0\.113\.1:7000/],
    // Pointed at itself, it would pass one datagram round in a loop.
    [
      ['17931', '127.0.0.3:17931', '--listen-host', '127.0.0.3'],
      /the target 127\.0\.0\.3:17931 is this relay itself/,
    ],
    [
      ['17932', '127.0.0.4:17932', '--listen-host', '0.0.0.0'],
      /the target 127\.0\.0\.4:17932 is this relay itself/,
    ],
  ];
  it.each(cases)('%j -> one line, exit 2', (args, message) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^p2mprelay: /);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help explains the per-direction scheme and exits 0', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--NAME applies to data .* --ack-NAME to ACKs/s);
    expect(result.stdout).toMatch(/--ack-loss/);
  });
});

function start(args: string[]) {
  const child = spawn(process.execPath, [cli, ...args]);
  children.push(child);
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => stdout, exited };
}

describe('p2mprelay real run', () => {
  it('relays with the given impairments and prints JSON events and final counters on SIGTERM', async () => {
    const target = await endpoint(true);
    const client = await endpoint();
    const relay = start(['0', `127.0.0.1:${target.port}`, '--duplicate', '1', '--ack-loss', '1', '--json']);
    expect(await until(() => relay.output().includes('\n'), 5000)).toBe(true);
    const listening = JSON.parse(relay.output().split('\n')[0]!) as { type: string; port: number };
    expect(listening.type).toBe('listening');
    await sendAll(
      client.socket,
      listening.port,
      [0, 1, 2, 3, 4].map((i) => numbered(i)),
    );
    expect(await until(() => target.arrivals.length === 10)).toBe(true);
    await until(
      () =>
        relay
          .output()
          .split('\n')
          .filter((l) => l.includes('"dropped"')).length === 10,
    );
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    const lines = relay.output().trimEnd().split('\n');
    const last = JSON.parse(lines[lines.length - 1]!) as {
      type: string;
      stats: { forward: Record<string, number>; backward: Record<string, number> };
    };
    expect(last.type).toBe('stats');
    expect(last.stats.forward).toMatchObject({ received: 5, duplicated: 5, forwarded: 10 });
    expect(last.stats.backward).toMatchObject({ received: 10, dropped: 10, forwarded: 0 });
    expect(client.arrivals).toEqual([]);
  });

  it('stops when its reader goes away (--json | head -1): exit 0, no stack trace', async () => {
    const target = await endpoint();
    const client = await endpoint();
    const relay = start(['0', `127.0.0.1:${target.port}`, '--json']);
    let stderr = '';
    relay.child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await until(() => relay.output().includes('\n'), 5000)).toBe(true);
    const listening = JSON.parse(relay.output().split('\n')[0]!) as { port: number };
    relay.child.stdout.destroy();
    // Its next event line meets the closed pipe.
    await sendAll(client.socket, listening.port, [numbered(0)]);
    expect(await relay.exited).toBe(0);
    expect(stderr).toBe('');
  });

  it('prints a summary per direction on Ctrl-C in text mode', async () => {
    const target = await endpoint();
    const relay = start(['0', `127.0.0.1:${target.port}`, '--loss', '0.5', '--seed', '4', '--delay', '10']);
    expect(await until(() => relay.output().includes('acks: none'), 5000)).toBe(true);
    expect(relay.output()).toMatch(
      /^Relaying 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+ .*seed 4\n {2}data: loss 0\.5, delay 10 ms/,
    );
    relay.child.kill('SIGINT');
    expect(await relay.exited).toBe(0);
    expect(relay.output()).toMatch(/Stopped\.\ndata \(to target\): received 0, forwarded 0, lost 0/);
    expect(relay.output()).toMatch(/acks \(to sender\): received 0/);
  });

  it('prints its counters so far while they change, off a terminal too, as its --help says', async () => {
    expect(run(['--help']).stdout).toMatch(
      /counters so far, a data line and an acks line, each second they\s+changed/,
    );
    const target = await endpoint();
    const client = await endpoint();
    const relay = start(['0', `127.0.0.1:${target.port}`]);
    expect(await until(() => relay.output().includes('acks: none'), 5000)).toBe(true);
    const port = Number(/^Relaying 127\.0\.0\.1:(\d+)/.exec(relay.output())![1]);
    await sendAll(
      client.socket,
      port,
      [0, 1, 2].map((i) => numbered(i)),
    );
    // Printed before it is stopped (stdout is a pipe here, not a terminal).
    expect(
      await until(() => /\ndata \(to target\): received 3, forwarded 3/.test(relay.output()), 10_000),
    ).toBe(true);
    expect(relay.output()).not.toMatch(/Stopped/);
    relay.child.kill('SIGINT');
    expect(await relay.exited).toBe(0);
    expect(relay.output()).toMatch(/Stopped\.\ndata \(to target\): received 3, forwarded 3/);
  });
});
