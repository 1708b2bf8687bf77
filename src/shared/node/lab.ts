// The classroom lab: runs the studies (the course's and the protocol studies) with real traffic on loopback.
// Receivers are started in this process on 127.0.0.2, 127.0.0.3, ... (or all on 127.0.0.1 where that is the
// loopback's only address: see loopback.ts; fresh ephemeral ports for every run), the sender sends the chosen
// file, and each run's delay and retransmissions are measured. Before any lossy run, p = 0 stop-and-wait
// transfers per (n, MSS) measure the loss-free round time the model needs; with it the model gives every point's
// expected duration (stop-and-wait's for a protocol without a delay model), which weighs the progress and the
// ETA. Cancellable with an AbortSignal: what finished is returned, marked cancelled.
import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InputError, readProblem } from '../errors.js';
import {
  defaultSettings,
  emptyStudyResult,
  estimateRemainingMs,
  expectedWorkMs,
  withRoundTime,
  withRun,
  type LabRecord,
  type LabSettings,
  type PointResult,
  type RunResult,
  type StudyResult,
} from '../lab/results.js';
import { parseLabRecord, recordFileName } from '../lab/record.js';
import { type Study, type StudyId } from '../lab/studies.js';
import type { SendResult, SenderEvent } from '../events.js';
import { timeoutProblem, type Protocol } from '../limits.js';
import { segmentsOf } from '../lab/model.js';
import { randomSeed } from '../network/random.js';
import { loopbackPlan, type BindProbe } from './loopback.js';
import { nodeFileOps, type FileOps } from './partFile.js';
import { startReceiver, type ReceiverSession } from './receiver.js';
import { sampleContent } from './sampleFile.js';
import { send } from './sender.js';
import { ensureOutputFolder } from './outputFolder.js';

/** Rounds of loss-free transfers before the first calibration counts (at most 10 transfers). */
const WARM_UP_SEGMENTS = 5_000;

export interface LabOptions {
  studies: readonly Study[];
  settings?: Partial<Omit<LabSettings, 'fileSize'>> & { fileSize?: number };
  /** Where the generated file and the received copies go; default a temp folder, removed afterwards. */
  workDir?: string;
  /** Tells which loopback addresses are local; the real bind by default. */
  probe?: BindProbe;
  /** Receivers re-ACK a retransmitted end marker this long; short, since every run waits for it. */
  lingerMs?: number;
  /** Loss-free transfers per (n, MSS) whose median gives the round time (default 3). */
  calibrationRuns?: number;
  /** At most one progress event per this many ms. */
  progressIntervalMs?: number;
  onEvent?: (event: LabEvent) => void;
  signal?: AbortSignal;
  /** Called once the settings are found good, before any run: the caller's own preparation (a results folder). */
  beforeRuns?: () => void;
}

export interface LabProgress {
  study: StudyId;
  /** Index into the study's points. */
  point: number;
  /** 0-based run at that point. */
  run: number;
  /** Of all lossy runs of the lab, weighted by their expected duration. */
  fraction: number;
  elapsedMs: number;
  etaMs: number | null;
}

/** `t`: ms since the lab started. */
export type LabEvent =
  | { type: 'calibrating'; t: number; n: number; mss: number }
  | { type: 'calibrated'; t: number; n: number; mss: number; roundTimeMs: number }
  /** Every study with its model filled in and no runs yet; the estimate of the whole lab. */
  | { type: 'lab-start'; t: number; record: LabRecord; estimatedMs: number }
  | { type: 'study-start'; t: number; study: StudyResult }
  | ({ type: 'run-start'; t: number } & LabProgress)
  | ({ type: 'progress'; t: number } & LabProgress)
  /** `result`: the point with this run added; the progress fields count the run as done. */
  | ({ type: 'run-done'; t: number; result: PointResult; outcome: RunResult } & LabProgress)
  | { type: 'study-done'; t: number; study: StudyResult }
  | { type: 'lab-done'; t: number; record: LabRecord };

/**
 * The lab's copies are checked by hash and deleted, so they skip the fsyncs: a disk flush takes
 * milliseconds, which at a short timeout fires spurious timeouts that belong to the disk, not to the protocol
 * being measured (the course's reference receiver does not fsync either).
 */
const NO_FSYNC: FileOps = {
  ...nodeFileOps,
  fsyncSync: () => undefined,
  fdatasync: (_fd, done) => queueMicrotask(() => done(null)),
};
const DEFAULT_LINGER_MS = 30;
/** The generated file is built in memory. */
const MAX_GENERATED = 256 << 20;

/** Hashed in blocks: a user's file may be large. */
function sha256Of(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const block = Buffer.alloc(1 << 20);
    for (let read; (read = readSync(fd, block, 0, block.length, null)) > 0;)
      hash.update(block.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function checkSettings(settings: LabSettings, studies: readonly Study[]): void {
  const { repeat, timeoutMs, fileSize, timerLateMs } = settings;
  if (studies.length === 0) throw new InputError('no study to run');
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 1000)
    throw new InputError(`repeat must be a whole number from 1 to 1000, got ${repeat}`);
  const timeoutIssue = timeoutProblem(timeoutMs);
  if (timeoutIssue) throw new InputError(timeoutIssue);
  if (!Number.isSafeInteger(fileSize) || fileSize < 1)
    throw new InputError(`file size must be a whole number of bytes >= 1, got ${fileSize}`);
  if (settings.file === null && fileSize > MAX_GENERATED)
    throw new InputError(
      `a generated file is at most ${MAX_GENERATED >> 20} MiB (${MAX_GENERATED} bytes), got ${fileSize} bytes; ` +
        'send a larger one as a file',
    );
  if (!Number.isFinite(timerLateMs) || timerLateMs < 0)
    throw new InputError(`timer lateness must be 0 ms or more, got ${timerLateMs}`);
}

function fileSizeOf(path: string): number {
  let stat: Stats;
  try {
    stat = statSync(path);
    if (!stat.isFile()) throw new InputError(`cannot read file "${path}": not a regular file`);
    // Opened, not only looked at: one it may not read failed the run after its start, as an unexpected error.
    closeSync(openSync(path, 'r'));
  } catch (error) {
    throw error instanceof InputError ? error : readProblem(path, error);
  }
  if (stat.size === 0) throw new InputError(`file "${path}" is empty: nothing to measure`);
  return stat.size;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Loss seed of one receiver in one run: distinct per run, repeatable from the base seed. */
export function runSeed(base: number, ...parts: number[]): number {
  let h = (2166136261 ^ base) >>> 0;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 16777619) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
  }
  return h;
}

export function labEnvironment(): LabRecord['environment'] {
  return { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length };
}

/** Writes the record as JSON beside earlier ones; returns its path. */
export function saveLabRecord(dir: string, record: LabRecord): string {
  ensureOutputFolder(dir);
  const path = join(dir, recordFileName(record.createdAt));
  writeFileSync(path, `${JSON.stringify(record, null, 1)}\n`);
  return path;
}

/** Earlier records in a folder, oldest first; files that are not records are skipped. */
export function loadLabRecords(dir: string): { path: string; record: LabRecord }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /^lab-.*\.json$/.test(name));
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => {
    const path = join(dir, name);
    try {
      return [{ path, record: parseLabRecord(readFileSync(path, 'utf8')) }];
    } catch {
      return [];
    }
  });
}

interface TransferSpec {
  n: number;
  mss: number;
  p: number;
  protocol: Protocol;
  window: number;
  seeds: number[];
  onSenderEvent?: (event: SenderEvent) => void;
}

interface TransferOutcome {
  result: SendResult;
  /** Every receiver has a copy whose SHA-256 matches the source. */
  intact: boolean;
}

export async function runLab(options: LabOptions): Promise<LabRecord> {
  const given = options.settings ?? {};
  const lingerMs = options.lingerMs ?? DEFAULT_LINGER_MS;
  const progressIntervalMs = options.progressIntervalMs ?? 200;
  const calibrationRuns = options.calibrationRuns ?? 3;
  if (!Number.isInteger(calibrationRuns) || calibrationRuns < 1)
    throw new InputError(`calibration runs must be a whole number >= 1, got ${calibrationRuns}`);
  const signal = options.signal;
  const fileSize = given.file ? fileSizeOf(given.file) : (given.fileSize ?? defaultSettings().fileSize);
  const settings = defaultSettings({ ...given, fileSize, seed: given.seed ?? randomSeed() });
  checkSettings(settings, options.studies);
  options.beforeRuns?.();
  // One plan for the largest n; a point with fewer receivers uses the first n places.
  const most = Math.max(...options.studies.flatMap((study) => study.points.map((point) => point.n)));
  const loopback = await loopbackPlan({ count: most, port: 0, probe: options.probe });

  const start = performance.now();
  const now = (): number => performance.now() - start;
  const emit = (event: LabEvent): void => options.onEvent?.(event);
  const ownWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'p2mp-lab-'));
  mkdirSync(workDir, { recursive: true });
  const source = settings.file ?? join(workDir, 'sample.bin');
  if (!settings.file) writeFileSync(source, sampleContent(fileSize));
  const sourceHash = sha256Of(source);

  const record: LabRecord = {
    format: 'p2mp-lab',
    version: 1,
    createdAt: new Date().toISOString(),
    settings,
    environment: labEnvironment(),
    cancelled: false,
    studies: options.studies.map((study) => emptyStudyResult(study, settings, '')),
  };

  async function transfer(spec: TransferSpec): Promise<TransferOutcome | null> {
    const sessions: ReceiverSession[] = [];
    try {
      for (const [i, at] of loopback.endpoints.slice(0, spec.n).entries())
        sessions.push(
          await startReceiver({
            port: at.port,
            bind: at.address,
            destination: () => join(workDir, `received-${i}.bin`),
            p: spec.p,
            seed: spec.seeds[i]!,
            lingerMs,
            fileOps: NO_FSYNC,
          }),
        );
      const result = await send({
        file: source,
        mss: spec.mss,
        timeoutMs: settings.timeoutMs,
        protocol: spec.protocol,
        window: spec.window,
        receivers: sessions.map((s, i) => ({
          host: s.address.address,
          port: s.address.port,
          label: `receiver ${i + 1}`,
        })),
        ...(spec.onSenderEvent ? { onEvent: spec.onSenderEvent } : {}),
        ...(signal ? { signal } : {}),
      });
      if (result.cancelled) return null;
      // A receiver the sender gave up on waits for its idle timeout: stop it rather than wait.
      if (!result.ok) await Promise.all(sessions.map((s) => s.stop()));
      const done = await Promise.all(sessions.map((s) => s.done));
      const intact = done.every((d) => d.ok && d.files[0]?.sha256 === sourceHash);
      return { result, intact };
    } finally {
      await Promise.all(sessions.map((s) => s.stop()));
      for (let i = 0; i < spec.n; i++) rmSync(join(workDir, `received-${i}.bin`), { force: true });
    }
  }

  try {
    // 1. Loss-free round times per distinct (n, MSS): the median of a few p = 0 transfers (a loaded machine has
    //    millisecond hiccups), after transfers that warm the JIT up: WARM_UP_SEGMENTS rounds at least (one transfer
    //    of a 200 KB file is 400 rounds, before V8 has optimised the hot path: its round time came out 1.3-3x
    //    that of the p = 0 runs that followed, and the model's delays with it).
    const roundTimes = new Map<string, number>();
    const configs = options.studies.flatMap((study) => study.points.map((p) => ({ n: p.n, mss: p.mss })));
    let warmedUp = false;
    for (const { n, mss } of configs) {
      const key = `${n}/${mss}`;
      if (roundTimes.has(key)) continue;
      emit({ type: 'calibrating', t: now(), n, mss });
      const durations: number[] = [];
      const warmUps = warmedUp ? 0 : Math.min(10, Math.ceil(WARM_UP_SEGMENTS / segmentsOf(fileSize, mss)));
      for (let attempt = -warmUps; attempt < calibrationRuns; attempt++) {
        const outcome = await transfer({
          n,
          mss,
          p: 0,
          protocol: 'saw',
          window: 1,
          seeds: Array<number>(n).fill(1),
        });
        if (outcome === null) return finishCancelled();
        if (!outcome.result.ok || !outcome.intact)
          throw new Error(`the loss-free calibration transfer failed (n = ${n}, MSS ${mss})`);
        if (attempt >= 0) durations.push(outcome.result.durationMs);
      }
      warmedUp = true;
      const roundTimeMs = median(durations) / segmentsOf(fileSize, mss);
      roundTimes.set(key, roundTimeMs);
      emit({ type: 'calibrated', t: now(), n, mss, roundTimeMs });
    }
    record.studies = record.studies.map((study) => ({
      ...study,
      points: study.points.map((point) =>
        withRoundTime(point, roundTimes.get(`${point.point.n}/${point.point.mss}`)!, settings),
      ),
    }));

    // 2. The lossy runs. Work is counted in expected ms, so the ETA weighs a slow point more than a quick one.
    const expected = (point: PointResult): number => expectedWorkMs(point, settings);
    const totalWork = record.studies.reduce(
      (sum, study) => sum + study.points.reduce((s, point) => s + expected(point) * settings.repeat, 0),
      0,
    );
    emit({ type: 'lab-start', t: now(), record: structuredClone(record), estimatedMs: totalWork });
    let doneWork = 0;
    const lossyStart = now();
    let lastProgress = -Infinity;

    for (const [s, original] of options.studies.entries()) {
      record.studies[s] = { ...record.studies[s]!, startedAt: new Date().toISOString() };
      emit({ type: 'study-start', t: now(), study: record.studies[s]! });
      for (let index = 0; index < original.points.length; index++) {
        for (let run = 0; run < settings.repeat; run++) {
          const point = record.studies[s]!.points[index]!;
          const progress = (within: number): LabProgress => {
            const fraction = (doneWork + within * expected(point)) / totalWork;
            const elapsedMs = now() - lossyStart;
            return {
              study: original.id,
              point: index,
              run,
              fraction,
              elapsedMs,
              etaMs: estimateRemainingMs(fraction, 1, elapsedMs),
            };
          };
          emit({ type: 'run-start', t: now(), ...progress(0) });
          const seeds = Array.from({ length: point.point.n }, (_, i) =>
            runSeed(settings.seed, original.id, index, run, i),
          );
          const outcome = await transfer({
            ...point.point,
            seeds,
            onSenderEvent: (event) => {
              if (event.type !== 'progress') return;
              const t = now();
              if (t - lastProgress < progressIntervalMs) return;
              lastProgress = t;
              emit({ type: 'progress', t, ...progress(event.chunksDone / Math.max(1, event.chunks)) });
            },
          });
          if (outcome === null) return finishCancelled(s);
          const { result, intact } = outcome;
          const failure = !result.ok
            ? (result.receivers.find((r) => r.failure)?.failure ?? 'transfer failed')
            : !intact
              ? 'a received copy differs from the file sent'
              : undefined;
          const entry: RunResult = {
            run,
            ok: failure === undefined,
            delayMs: result.durationMs,
            timeoutRounds: result.timeoutRounds,
            retransmissions: result.receivers.reduce((sum, r) => sum + r.retransmissions, 0),
            seeds,
            ...(failure !== undefined ? { failure } : {}),
          };
          const updated = withRun(point, entry);
          // New arrays rather than in-place edits: listeners may keep the objects they were given.
          const current: StudyResult = record.studies[s]!;
          record.studies[s] = {
            ...current,
            points: current.points.map((p, i) => (i === index ? updated : p)),
          };
          doneWork += expected(point);
          emit({ type: 'run-done', t: now(), ...progress(0), result: updated, outcome: entry });
        }
      }
      record.studies[s] = { ...record.studies[s]!, finishedAt: new Date().toISOString() };
      emit({ type: 'study-done', t: now(), study: record.studies[s]! });
    }
    emit({ type: 'lab-done', t: now(), record });
    return record;
  } finally {
    if (ownWorkDir) rmSync(workDir, { recursive: true, force: true });
    else if (!settings.file) rmSync(source, { force: true });
  }

  /** Keeps what finished: studies not started are dropped, the current one is marked cancelled. */
  function finishCancelled(current = -1): LabRecord {
    record.cancelled = true;
    record.studies = record.studies.flatMap((study, s) =>
      s < current ? [study] : s === current ? [{ ...study, cancelled: true }] : [],
    );
    emit({ type: 'lab-done', t: now(), record });
    return record;
  }
}
