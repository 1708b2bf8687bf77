// npm run bench:scale: scale and endurance.
//  1. N = 1, 2, 4, ..., 64 receivers on 127.0.0.2.. (hosted together in one child process, the sender in this
//     one): the cost of one loss-free round at p = 0, and whole transfers at p = 0.01 with fixed seeds, whose
//     overhead beyond the timeouts (wall - timeout rounds x T) is also shown per chunk.
//  2. A 1 GiB file to N = 3 receivers (separate p2mpserver processes), p = 0, standard profile, MSS 1400: peak RSS
//     of the sender (a child process: process.resourceUsage().maxRSS) and of each receiver (/usr/bin/time -v, or
//     VmHWM from /proc/<pid>/status), byte-identical by streamed SHA-256, throughput.
// Writes bench-results/scale.json. SCALE_GIB=0 skips part 2; SCALE_GIB_BYTES changes its size (quick tries).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SendResult } from '../src/shared/events.js';
import { startReceiver } from '../src/shared/node/receiver.js';
import { send } from '../src/shared/node/sender.js';

const self = __filename;
const serverCli = join(__dirname, '../src/cli/server.js');
const SWEEP = [1, 2, 4, 8, 16, 32, 64];
const T = 20; // ms: short, so the lossy runs at N = 64 stay within seconds
const SWEEP_MSS = 1000;
const LOSSLESS_BYTES = 1 << 20;
const LOSSY_BYTES = 256 << 10;
const GIB_BYTES = Number(process.env.SCALE_GIB_BYTES ?? 1 << 30);
const GIB_MSS = 1400;
const GIB_PORT = 27_935;
const RSS_LIMIT_MB = 150;

// ---------------------------------------------------------------------------------------------------------------
// Child modes

/** `--receivers N p dir`: N receivers on 127.0.0.2.., prints their ports, then their counters when all are done. */
async function receiversHost(n: number, p: number, dir: string): Promise<void> {
  const sessions = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      startReceiver({
        port: 0,
        bind: `127.0.0.${2 + i}`,
        destination: () => join(dir, `r${i}.bin`),
        p,
        seed: 1 + i,
        lingerMs: 200,
      }),
    ),
  );
  process.stdout.write(`${JSON.stringify({ ports: sessions.map((s) => s.address.port) })}\n`);
  const results = await Promise.all(sessions.map((s) => s.done));
  process.stdout.write(
    `${JSON.stringify({ ok: results.every((r) => r.ok), sha256: results.map((r) => r.files[0]?.sha256) })}\n`,
  );
}

/** `--sender file mss host:port...`: sends, then prints the result and this process's peak RSS. */
async function senderChild(file: string, mss: number, targets: string[]): Promise<void> {
  const result = await send({
    file,
    mss,
    receivers: targets.map((t) => {
      const [host, port] = t.split(':');
      return { host: host!, port: Number(port), label: t };
    }),
  });
  const maxRssKb = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify({ result, maxRssKb })}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// Part 1: the sweep

function lines(child: ChildProcess): AsyncIterator<string> {
  return createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
}

async function sweepRun(n: number, p: number, file: string, size: number, dir: string) {
  const host = spawn(process.execPath, [self, '--receivers', String(n), String(p), dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const out = lines(host);
  const { ports } = JSON.parse((await out.next()).value as string) as { ports: number[] };
  const start = performance.now();
  const result = await send({
    file,
    mss: SWEEP_MSS,
    timeoutMs: T,
    receiverTimeoutMs: 60_000,
    receivers: ports.map((port, i) => ({ host: `127.0.0.${2 + i}`, port, label: `r${i}` })),
  });
  const wallMs = performance.now() - start;
  const report = JSON.parse((await out.next()).value as string) as { ok: boolean };
  await new Promise((resolve) => (host.exitCode !== null ? resolve(0) : host.once('exit', resolve)));
  if (!result.ok || !report.ok) throw new Error(`N = ${n}, p = ${p}: transfer failed`);
  const rounds = result.chunks + 1;
  return {
    n,
    p,
    bytes: size,
    chunks: result.chunks,
    wallMs: Math.round(wallMs),
    timeoutRounds: result.timeoutRounds,
    retransmissions: result.receivers.reduce((a, r) => a + r.retransmissions, 0),
    /** p = 0: the mean cost of one round (send to N, N ACKs back). */
    perRoundUs: Math.round((wallMs / rounds) * 1000),
    /** p > 0: what is not waiting for timers, per chunk. */
    overheadPerChunkUs: Math.round(((wallMs - result.timeoutRounds * T) / rounds) * 1000),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Part 2: 1 GiB

async function writeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'w');
  try {
    for (let done = 0; done < size;) {
      const block = randomBytes(Math.min(16 << 20, size - done));
      hash.update(block);
      await handle.write(block);
      done += block.length;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (d) => hash.update(d))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

const haveTime = existsSync('/usr/bin/time');

interface Measured {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Peak RSS in kB: /usr/bin/time -v when present, else the largest VmHWM seen while polling. */
  peakKb: () => number;
  exited: Promise<number | null>;
}

function spawnMeasured(args: string[]): Measured {
  const child = haveTime
    ? spawn('/usr/bin/time', ['-v', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const m: Measured = {
    child,
    stdout: '',
    stderr: '',
    peakKb: () => 0,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout!.on('data', (d: Buffer) => (m.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (m.stderr += d.toString()));
  let polled = 0;
  const poll = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) polled = Math.max(polled, Number(hwm[1]));
    } catch {
      // exited
    }
  }, 100);
  void m.exited.then(() => clearInterval(poll));
  m.peakKb = () => {
    const timed = /Maximum resident set size \(kbytes\): (\d+)/.exec(m.stderr);
    return timed ? Number(timed[1]) : polled;
  };
  return m;
}

async function gibRun(dir: string) {
  const input = join(dir, 'big.bin');
  console.log(`\nwriting ${GIB_BYTES} random bytes...`);
  const expected = await writeRandomFile(input, GIB_BYTES);
  const receivers = [2, 3, 4].map((i) =>
    spawnMeasured([
      serverCli,
      String(GIB_PORT),
      join(dir, `big-${i}.bin`),
      '0',
      '--bind',
      `127.0.0.${i}`,
      '--quiet',
    ]),
  );
  await new Promise((r) => setTimeout(r, 500)); // --quiet prints nothing until the end: give them time to bind
  console.log(`sending to 3 receivers, MSS ${GIB_MSS}, p = 0, standard profile...`);
  const start = performance.now();
  const sender = spawnMeasured([
    self,
    '--sender',
    input,
    String(GIB_MSS),
    ...[2, 3, 4].map((i) => `127.0.0.${i}:${GIB_PORT}`),
  ]);
  const senderCode = await sender.exited;
  const wallMs = performance.now() - start;
  const codes = await Promise.all(receivers.map((r) => r.exited));
  const line = sender.stdout.trim().split('\n').at(-1) ?? '{}';
  const { result, maxRssKb } = JSON.parse(line) as { result: SendResult; maxRssKb: number };
  const hashes = await Promise.all([2, 3, 4].map((i) => hashFile(join(dir, `big-${i}.bin`))));
  const senderPeakMb = Math.max(maxRssKb, sender.peakKb()) / 1024;
  const receiverPeakMb = receivers.map((r) => r.peakKb() / 1024);
  const row = {
    bytes: GIB_BYTES,
    mss: GIB_MSS,
    n: 3,
    ok: senderCode === 0 && result.ok && codes.every((c) => c === 0),
    identical: hashes.every((h) => h === expected),
    sha256: expected,
    senderDurationMs: Math.round(result.durationMs),
    wallMs: Math.round(wallMs),
    throughputMBps: Number((GIB_BYTES / 1e6 / (result.durationMs / 1000)).toFixed(2)),
    timeoutRounds: result.timeoutRounds,
    chunks: result.chunks,
    perRoundUs: Math.round((result.durationMs / (result.chunks + 1)) * 1000),
    senderPeakRssMb: Number(senderPeakMb.toFixed(1)),
    receiverPeakRssMb: receiverPeakMb.map((v) => Number(v.toFixed(1))),
    rssMeasuredBy: haveTime
      ? 'receivers: /usr/bin/time -v; sender: max of its resourceUsage().maxRSS and /usr/bin/time -v'
      : 'receivers: /proc VmHWM polling; sender: resourceUsage().maxRSS',
    underLimit: senderPeakMb < RSS_LIMIT_MB && receiverPeakMb.every((v) => v > 0 && v < RSS_LIMIT_MB),
  };
  return row;
}

// ---------------------------------------------------------------------------------------------------------------

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const line of [header, ...rows]) console.log(line.map((c, i) => c.padStart(widths[i]!)).join('  '));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'p2mp-scale-'));
  const output: Record<string, unknown> = { date: new Date().toISOString(), timeoutMs: T, mss: SWEEP_MSS };
  let failed = false;
  try {
    const lossless = join(dir, 'lossless.bin');
    const lossy = join(dir, 'lossy.bin');
    writeFileSync(lossless, randomBytes(LOSSLESS_BYTES));
    writeFileSync(lossy, randomBytes(LOSSY_BYTES));
    console.log(
      `Sweep: receivers in one child process on 127.0.0.2.., sender here; MSS ${SWEEP_MSS}, T = ${T} ms\n` +
        `p = 0: ${LOSSLESS_BYTES} bytes; p = 0.01: ${LOSSY_BYTES} bytes, seeded\n`,
    );
    const sweep = [];
    for (const n of SWEEP) {
      const free = await sweepRun(n, 0, lossless, LOSSLESS_BYTES, dir);
      const lossyRun = await sweepRun(n, 0.01, lossy, LOSSY_BYTES, dir);
      sweep.push({ n, lossless: free, lossy: lossyRun });
    }
    table(
      ['N', 'p=0 us/round', 'us/round/N', 'p=0.01 wall s', 'timeouts', 'retrans', 'overhead us/chunk'],
      sweep.map(({ n, lossless: a, lossy: b }) => [
        String(n),
        String(a.perRoundUs),
        (a.perRoundUs / n).toFixed(1),
        (b.wallMs / 1000).toFixed(2),
        String(b.timeoutRounds),
        String(b.retransmissions),
        String(b.overheadPerChunkUs),
      ]),
    );
    // Least-squares fit of the p = 0 round cost: a fixed part plus a part per receiver.
    const xs = sweep.map((r) => r.n);
    const ys = sweep.map((r) => r.lossless.perRoundUs);
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    const [mx, my] = [mean(xs), mean(ys)];
    const slope =
      xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const intercept = my - slope * mx;
    const ssRes = ys.reduce((a, y, i) => a + (y - (intercept + slope * xs[i]!)) ** 2, 0);
    const ssTot = ys.reduce((a, y) => a + (y - my) ** 2, 0);
    const fit = {
      fixedUs: Math.round(intercept),
      perReceiverUs: Number(slope.toFixed(1)),
      r2: Number((1 - ssRes / ssTot).toFixed(4)),
    };
    console.log(
      `\np = 0 round cost ~ ${fit.fixedUs} us + ${fit.perReceiverUs} us x N (least squares, R^2 = ${fit.r2})`,
    );
    output.sweep = sweep;
    output.roundCostFit = fit;
    if (process.env.SCALE_GIB !== '0') {
      const gib = await gibRun(dir);
      output.gib = gib;
      console.log(
        `\n${gib.bytes} bytes to 3 receivers: ${gib.ok && gib.identical ? 'byte-identical' : 'FAILED'} in ` +
          `${(gib.senderDurationMs / 1000).toFixed(1)} s (${gib.throughputMBps} MB/s, ${gib.perRoundUs} us/round, ` +
          `${gib.timeoutRounds} timeout rounds); peak RSS sender ${gib.senderPeakRssMb} MB, receivers ` +
          `${gib.receiverPeakRssMb.join(' / ')} MB (limit ${RSS_LIMIT_MB} MB: ${gib.underLimit ? 'met' : 'EXCEEDED'})`,
      );
      failed = !gib.ok || !gib.identical || !gib.underLimit;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/scale.json', `${JSON.stringify(output, null, 2)}\n`);
  console.log('\nwrote bench-results/scale.json');
  if (failed) process.exitCode = 1;
}

if (require.main === module) {
  const [mode, ...args] = process.argv.slice(2);
  const job =
    mode === '--receivers'
      ? receiversHost(Number(args[0]), Number(args[1]), args[2]!)
      : mode === '--sender'
        ? senderChild(args[0]!, Number(args[1]), args.slice(2))
        : main();
  job.catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
