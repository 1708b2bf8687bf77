// npm run demo: the whole protocol on one machine. Three receivers on 127.0.0.2-4 (or on 127.0.0.1 with a port
// each where the loopback has only that address, as on macOS) with p = 0.1, one sender, the course's printed lines
// as they happen, then the per-server summary and a byte-for-byte check.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loopbackPlan } from '../shared/node/loopback.js';
import { send } from '../shared/node/sender.js';
import { startReceiver } from '../shared/node/receiver.js';
import { writeSampleFile } from '../shared/node/sampleFile.js';
import { InputError } from '../shared/errors.js';
import { EXIT_FAILED, EXIT_OK, runCli } from './cli.js';
import { summaryTable } from './report.js';
import { courseTimeoutRounds } from './timeoutLines.js';

const RECEIVERS = 3;
const P = 0.1;
const SIZE = 100_000;
const MSS = 500;

const hash = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

const USAGE = `Usage: npm run demo

The whole protocol on one machine: ${RECEIVERS} receivers on loopback with p = ${P}, one sender, a ${SIZE}-byte
file with MSS ${MSS}, the course's printed lines as they happen, then the per-server summary and a byte-for-byte
check. Takes no arguments. Exit codes: 0 every copy identical, 1 not.`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return EXIT_OK;
  }
  if (argv.length > 0)
    throw new InputError(`unexpected argument "${argv[0]}"; the demo takes no arguments, see --help`);
  const dir = mkdtempSync(join(tmpdir(), 'p2mp-demo-'));
  try {
    const input = join(dir, 'sample.txt');
    writeSampleFile(input, SIZE);
    const received = (i: number): string => join(dir, `received-${i}.txt`);
    const plan = await loopbackPlan({ count: RECEIVERS, port: 0 });
    // Known once every receiver is bound, which is before the first packet can arrive.
    let labels: string[] = [];
    const receivers = await Promise.all(
      plan.endpoints.map((at, i) =>
        startReceiver({
          port: at.port,
          bind: at.address,
          destination: () => received(i),
          p: P,
          seed: i + 2,
          onEvent: (e) => {
            if (e.type === 'packet' && e.outcome === 'dropped')
              console.log(`[receiver ${labels[i]}] Packet loss, sequence number = ${e.seq}`);
          },
        }),
      ),
    );
    labels = receivers.map((r) => plan.label(r.address));
    console.log(
      `Demo: ${SIZE} bytes, MSS ${MSS}, receivers ${labels.join(', ')} with p = ${P}, timeout 0.1 s\n`,
    );
    const newRound = courseTimeoutRounds();
    const result = await send({
      file: input,
      mss: MSS,
      receivers: receivers.map((r, i) => ({
        host: r.address.address,
        port: r.address.port,
        label: labels[i]!,
      })),
      onEvent: (e) => {
        if (e.type === 'timeout' && newRound(e)) console.log(`[sender] Timeout, sequence number = ${e.seq}`);
      },
    });
    await Promise.all(receivers.map((r) => r.done));
    console.log(`\n${summaryTable(result)}\n`);
    const expected = hash(input);
    const identical = receivers.every((_, i) => hash(received(i)) === expected);
    console.log(identical ? `All ${RECEIVERS} received files are byte-identical.` : 'MISMATCH');
    return result.ok && identical ? EXIT_OK : EXIT_FAILED;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runCli('p2mp-demo', main);
