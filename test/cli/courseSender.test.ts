// p2mpserver as a student runs it for a course sender (the reference client: a new socket per segment, no end
// marker; or a student's own), in real processes: what happens when its user stops it, and what it says of a
// sender whose segments it cannot take.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawPeer, sha256, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { ensureCliBuilt, killAll, run, serverBin, sleep } from '../helpers/processes.js';
import { referenceSend } from '../helpers/referenceSender.js';
import { wireProfile } from '../../src/shared/protocol/codec.js';
import { parseDialect, type Dialect } from '../../src/shared/protocol/dialect.js';
import { seededRandom } from '../../src/shared/network/random.js';

const dir = tempDir();
let port = 19_900;

beforeAll(ensureCliBuilt);
afterAll(() => {
  killAll();
  dir.cleanup();
});

it('Ctrl-C once the reference client is done (the default 10 s of silence not waited out) keeps the file, unverified', async () => {
  // The reference server never exits: its users press Ctrl-C once their client has finished. That removed the
  // whole file, as a failed transfer ("stopped by the receiver's user").
  port++;
  writeRandomFile(dir.file('sent.bin'), 5_000);
  const srv = run(
    serverBin,
    [String(port), 'got.bin', '0', '--bind', '127.0.0.11', '--profile', 'seed-text'],
    {
      cwd: dir.path,
      timeoutMs: 20_000,
    },
  );
  await srv.listening;
  await referenceSend({
    file: dir.file('sent.bin'),
    receivers: [{ address: '127.0.0.11', port }],
    mss: 500,
    profile: 'seed-text',
  });
  srv.kill('SIGINT');
  const result = await srv;
  expect(result.code, result.stderr).toBe(3);
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(
    /^Received got\.bin: 5000 bytes .*\(unverified: this receiver was stopped before any end marker came, so it may be incomplete\)$/m,
  );
  expect(sha256(dir.file('got.bin'))).toBe(sha256(dir.file('sent.bin')));
  expect(existsSync(dir.file('got.bin.part'))).toBe(false);
});

it.each([
  ['little-endian header', 'le'],
  ['checksum over the payload only', 'sum-payload'],
  ['both', 'le,sum-payload'],
])(
  "a student's sender whose checksum this server's dialect fails (%s): it says once which --dialect reads it",
  async (_what, dialect) => {
    // Every segment was dropped as corrupt and nothing was said: its sender timed out for ever, and only the
    // counters at Ctrl-C told "N bad checksum".
    port++;
    const srv = run(serverBin, [String(port), 'never.bin', '0', '--bind', '127.0.0.11'], {
      cwd: dir.path,
      timeoutMs: 20_000,
    });
    await srv.listening;
    const student = wireProfile('standard', parseDialect(dialect) as Dialect);
    const peer = await rawPeer('127.0.0.1');
    for (let i = 0; i < 3; i++)
      peer.socket.send(student.encodeData(1, Buffer.from('hello')), port, '127.0.0.11');
    await sleep(300);
    peer.close();
    srv.kill('SIGINT');
    const result = await srv;
    expect(result.stderr).toBe(
      `p2mpserver: 127.0.0.1:${peer.port} sends segments whose checksum is right only as --dialect ${dialect} ` +
        `reads them (dropped as corrupt): start this server with --dialect ${dialect} (p2mpcheck client tells its ` +
        `whole dialect)\n` +
        'p2mpserver: stopped before any file arrived\n',
    );
    expect(result.stdout).toMatch(/ 3 bad checksum,/);
  },
);

/**
 * Seeded random data segments (the data type, any number, any checksum) as a fuzzer sends them, `chance` of them
 * among those whose checksum holds in another dialect: a long fuzz run meets one in about 22000.
 */
function fuzzSegments(seed: number, junk: number, chance: number): { junk: Buffer[]; chance: Buffer[] } {
  const random = seededRandom(seed);
  const others = ['le', 'sum-payload', 'le,sum-payload'].map((d) =>
    wireProfile('standard', parseDialect(d) as Dialect),
  );
  const ours = wireProfile('standard');
  const found = { junk: [] as Buffer[], chance: [] as Buffer[] };
  while (found.chance.length < chance) {
    const segment = Buffer.from(
      Array.from({ length: 8 + 1 + Math.floor(random() * 40) }, () => Math.floor(random() * 256)),
    );
    segment.writeUInt16BE(0x5555, 6);
    if (ours.decode(segment).ok) continue; // one in 65536 holds here too: not junk to this server
    if (others.some((other) => other.decode(segment).ok)) found.chance.push(segment);
    else if (found.junk.length < junk) found.junk.push(segment);
  }
  return found;
}

// A fuzzer's random segments hold in another dialect by chance: each such one printed "start this server with
// --dialect le,sum-payload". A student's sender, which sends its segments again, is still named.
it('random segments from a host that runs no sender get no --dialect advice; a sender of another dialect does', async () => {
  port++;
  const srv = run(serverBin, [String(port), 'fuzzed.bin', '0', '--bind', '127.0.0.12'], {
    cwd: dir.path,
    timeoutMs: 20_000,
  });
  await srv.listening;
  const { junk, chance } = fuzzSegments(7, 300, 4);
  const fuzzer = await rawPeer('127.0.0.13');
  // Three chance ones in a row (numbers that never repeat), the fourth among the junk.
  const sends = [
    ...junk.slice(0, 100),
    ...chance.slice(0, 3),
    ...junk.slice(100, 200),
    chance[3]!,
    ...junk.slice(200),
  ];
  for (const [i, segment] of sends.entries()) {
    fuzzer.socket.send(segment, port, '127.0.0.12');
    if (i % 50 === 49) await sleep(20); // not more than the socket's buffer holds
  }
  const student = wireProfile('standard', parseDialect('le') as Dialect);
  const peer = await rawPeer('127.0.0.14');
  for (let i = 0; i < 3; i++)
    peer.socket.send(student.encodeData(1, Buffer.from('hello')), port, '127.0.0.12');
  await sleep(300);
  fuzzer.close();
  peer.close();
  srv.kill('SIGINT');
  const result = await srv;
  expect(result.stderr).toBe(
    `p2mpserver: 127.0.0.14:${peer.port} sends segments whose checksum is right only as --dialect le reads them ` +
      '(dropped as corrupt): start this server with --dialect le (p2mpcheck client tells its whole dialect)\n' +
      'p2mpserver: stopped before any file arrived\n',
  );
});
