// The deterministic simulator's speed: whole transfers per second (our real sender and receivers in virtual time
// over the simulated network, files in memory), per protocol, for the small files a property test or a class's
// what-if tries by the thousand. Every transfer is checked: each receiver's file byte-identical and verified.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROTOCOLS, type Protocol } from '../src/shared/limits.js';
import { NO_IMPAIRMENTS, type Impairments } from '../src/shared/network/impairments.js';
import { simulateTransfer, type Scenario } from '../src/shared/simulation/simulate.js';

interface Workload {
  name: string;
  size: number;
  mss: number;
  /** Loss p of each receiver. */
  loss: number[];
  network: Impairments;
}

const WORKLOADS: Workload[] = [
  { name: '1 KB, MSS 500, N = 3, p = 0', size: 1000, mss: 500, loss: [0, 0, 0], network: NO_IMPAIRMENTS },
  {
    name: '1 KB, MSS 100, N = 3, p = 0.1',
    size: 1000,
    mss: 100,
    loss: [0.1, 0.1, 0.1],
    network: NO_IMPAIRMENTS,
  },
  {
    name: '4 KB, MSS 100, N = 3, p = 0.1, 5% loss, 5 +- 3 ms each way',
    size: 4000,
    mss: 100,
    loss: [0.1, 0.1, 0.1],
    network: { ...NO_IMPAIRMENTS, loss: 0.05, delayMs: 5, jitterMs: 3 },
  },
];

const WARM_UP = 200;
/** Each row runs this long (wall time) after its warm-up. */
const RUN_MS = Number(process.env.BENCH_SIM_MS ?? 2_000);

async function rate(w: Workload, protocol: Protocol, input: string, data: Buffer, dir: string) {
  const scenario = (seed: number): Scenario => ({
    seed,
    profile: 'standard',
    mss: w.mss,
    loss: w.loss,
    forward: w.network,
    backward: w.network,
    protocol,
    window: 8,
  });
  let datagrams = 0;
  let wrong = 0;
  let seed = 0;
  const one = async (): Promise<void> => {
    const o = await simulateTransfer(scenario(seed++), input, dir);
    for (const r of o.receivers) {
      datagrams += r.forward.sent + r.backward.sent;
      if (!(r.file?.equals(data) && r.result.files.some((f) => f.verified))) wrong++;
    }
  };
  for (let i = 0; i < WARM_UP; i++) await one();
  datagrams = 0;
  const first = seed;
  const started = performance.now();
  while (performance.now() - started < RUN_MS) await one();
  const seconds = (performance.now() - started) / 1000;
  const transfers = seed - first;
  return { transfers, perSecond: transfers / seconds, datagramsPerSecond: datagrams / seconds, wrong };
}

export async function simulatorRows(dir: string): Promise<void> {
  console.log(
    `simulator: whole transfers per second in virtual time (one process, after ${WARM_UP} warm-up transfers, ` +
      `${RUN_MS / 1000} s per row, W = 8)`,
  );
  for (const w of WORKLOADS) {
    const data = randomBytes(w.size);
    const input = join(dir, `sim-${w.size}.bin`);
    writeFileSync(input, data);
    for (const protocol of PROTOCOLS) {
      const r = await rate(w, protocol, input, data, dir);
      console.log(
        `  ${w.name}, ${protocol}: ${r.perSecond.toFixed(0)} transfers/s ` +
          `(${(r.datagramsPerSecond / 1000).toFixed(0)}k datagrams/s; ${r.transfers} transfers, ` +
          `${r.wrong === 0 ? 'every file byte-identical and verified' : `${r.wrong} files NOT identical`})`,
      );
    }
  }
}
