// Every dialect token, end to end with test peers written from the datagram up: p2mpcheck names a receiver
// peer's dialect and prints the options that talk to it; p2mpclient run with exactly those options moves a file
// byte-identical to a fresh peer of the same dialect (losing packets); a course sender peer in that dialect
// (fresh source port per segment) moves a file byte-identical into p2mpserver started with the same --dialect.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIALECT_TOKENS, parseDialect, type Dialect } from '../../src/shared/protocol/dialect.js';
import { tempDir, writeRandomFile } from '../helpers/loopback.js';
import { clientBin, ensureCliBuilt, killAll, root, run, serverBin } from '../helpers/processes.js';
import { quirksOf, startPeer } from './peers.js';
import { sendAsPeer } from './senderPeers.js';

const checkBin = `${root}/bin/p2mpcheck.js`;
const dir = tempDir();
const MSS = 500;
// Several chunks and a short last one.
const SIZE = 5 * MSS + 123;
const input = dir.file('in.bin');
const data = writeRandomFile(input, SIZE);

beforeAll(ensureCliBuilt);
afterAll(() => {
  killAll();
  dir.cleanup();
});

const names = ['standard', ...DIALECT_TOKENS];
const dialectOf = (name: string): Dialect => parseDialect(name) as Dialect;

/** Every number a sender in the dialect puts on the wire for this file, by hand: counted from the base. */
function wireNumbers(d: Dialect): number[] {
  const offsets = Array.from({ length: Math.ceil(SIZE / MSS) }, (_, k) => (d.unit === 'byte' ? k * MSS : k));
  const end = d.eof === 'fin' ? [0xffff_ffff - d.base] : [d.unit === 'byte' ? SIZE : offsets.length];
  return [...offsets, ...end].map((o) => d.base + o);
}

/** p2mpcheck names the receiver peer and prints the option that talks to it; p2mpclient with it moves a file. */
async function checkThenSend(name: string, dialect: Dialect): Promise<void> {
  const probed = await startPeer(quirksOf(dialect));
  let report: { dialect: Dialect & { format: string }; dialectOption: string };
  try {
    const result = await run(
      checkBin,
      [
        ...['server', '127.0.0.1', String(probed.port), '--json'],
        ...['--tries', '2', '--loss-probes', '0', '--eof-wait', '0.5'],
      ],
      { cwd: dir.path, timeoutMs: 60_000 },
    );
    report = JSON.parse(result.stdout) as typeof report;
  } finally {
    probed.close();
  }
  expect(report.dialect).toEqual({ format: 'binary', ...dialect });
  expect(report.dialectOption).toBe(`--dialect ${name}`);

  const output = dir.file(`peer-${name}.bin`);
  const peer = await startPeer({ ...quirksOf(dialect), file: output, loss: 0.2 });
  try {
    const sent = await run(
      clientBin,
      ['127.0.0.1', String(peer.port), input, String(MSS), ...report.dialectOption.split(' ')],
      { cwd: dir.path, timeoutMs: 60_000 },
    );
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(readFileSync(output).equals(data)).toBe(true);
    // The peer lost some segments: the timeout lines carry the numbers on the wire.
    const timeouts = [...sent.stdout.matchAll(/^Timeout, sequence number = (\d+)$/gm)].map((m) =>
      Number(m[1]),
    );
    expect(timeouts.length).toBeGreaterThan(0);
    expect(timeouts.filter((n) => !wireNumbers(dialect).includes(n))).toEqual([]);
    if (dialect.eof !== 'none') await peer.ended;
  } finally {
    peer.close();
  }
}

/** A course sender peer moves a file into p2mpserver --dialect. */
async function receive(name: string, dialect: Dialect): Promise<void> {
  // A host of its own on loopback, clear of other tests' receivers.
  const host = `127.0.0.${40 + names.indexOf(name)}`;
  const port = 18_100;
  const output = dir.file(`server-${name}.bin`);
  // Without an end signal the file is complete when the sender goes quiet: 2 s of silence here (the rule with
  // its default is tested on a virtual clock in test/shared/receiver.test.ts).
  const idle = dialect.eof === 'none' ? ['--idle-timeout', '2'] : [];
  const server = run(
    serverBin,
    [String(port), output, '0.1', '--bind', host, '--seed', '5', '--dialect', name, ...idle],
    { cwd: dir.path, timeoutMs: 60_000 },
  );
  await server.listening;
  const sent = await sendAsPeer({ data, receivers: [{ address: host, port }], mss: MSS, dialect });
  expect(sent.outcome).toBe('done');
  const result = await server;
  expect(result.stderr).toBe('');
  // 0: ended by the sender's end signal; 3: by silence, kept but unverified.
  expect(result.code).toBe(dialect.eof === 'none' ? 3 : 0);
  expect(readFileSync(output).equals(data)).toBe(true);
  const drops = [...result.stdout.matchAll(/^Packet loss, sequence number = (\d+)$/gm)].map((m) =>
    Number(m[1]),
  );
  expect(drops.filter((n) => !wireNumbers(dialect).includes(n))).toEqual([]);
}

// Both directions of a dialect at once: most of the time is spent waiting on timers, not on the CPU.
it.concurrent.each(names)('dialect %s: checked, sent to and received from test peers', async (name) => {
  const dialect = dialectOf(name);
  await Promise.all([checkThenSend(name, dialect), receive(name, dialect)]);
});
