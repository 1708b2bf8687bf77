// npm run demo: the whole protocol on one machine. Three receivers on 127.0.0.2-4 with p = 0.1, one sender,
// the course's printed lines as they happen, then the per-server summary and a byte-for-byte check.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { send } from '../shared/node/sender.js';
import { startReceiver } from '../shared/node/receiver.js';
import { writeSampleFile } from '../shared/node/sampleFile.js';
import { EXIT_FAILED, EXIT_OK, runCli } from './cli.js';
import { summaryTable } from './report.js';

const RECEIVERS = [2, 3, 4];
const P = 0.1;
const SIZE = 100_000;
const MSS = 500;

const hash = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'p2mp-demo-'));
  try {
    const input = join(dir, 'sample.txt');
    writeSampleFile(input, SIZE);
    console.log(`Demo: ${SIZE} bytes, MSS ${MSS}, receivers 127.0.0.2-4 with p = ${P}, timeout 0.1 s\n`);
    const receivers = await Promise.all(
      RECEIVERS.map((i) =>
        startReceiver({
          port: 0,
          bind: `127.0.0.${i}`,
          destination: () => join(dir, `received-${i}.txt`),
          p: P,
          seed: i,
          onEvent: (e) => {
            if (e.type === 'packet' && e.outcome === 'dropped')
              console.log(`[receiver 127.0.0.${i}] Packet loss, sequence number = ${e.seq}`);
          },
        }),
      ),
    );
    const result = await send({
      file: input,
      mss: MSS,
      receivers: receivers.map((r, k) => ({
        host: r.address.address,
        port: r.address.port,
        label: `127.0.0.${RECEIVERS[k]}`,
      })),
      onEvent: (e) => {
        if (e.type === 'timeout') console.log(`[sender] Timeout, sequence number = ${e.seq}`);
      },
    });
    await Promise.all(receivers.map((r) => r.done));
    console.log(`\n${summaryTable(result)}\n`);
    const expected = hash(input);
    const identical = RECEIVERS.every((i) => hash(join(dir, `received-${i}.txt`)) === expected);
    console.log(identical ? `All ${RECEIVERS.length} received files are byte-identical.` : 'MISMATCH');
    return result.ok && identical ? EXIT_OK : EXIT_FAILED;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runCli('p2mp-demo', main);
