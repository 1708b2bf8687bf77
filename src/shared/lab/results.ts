// A lab run's results: settings, runs, per-point delay statistics against the model, saved records' shape,
// and the progress estimate. Immutable updates, so a store can keep the previous state (the app's live chart).
import { DEFAULT_TIMER_LATE_MS, DelayModel, delayModel, segmentsOf } from './model.js';
import { expectedTransmissions, hasDelayModel, roundTripLoss } from './protocolModel.js';
import { DEFAULT_REPEAT, Study, StudyId, StudyPoint, StudyVariable, xOf } from './studies.js';

export interface LabSettings {
  fileSize: number;
  /** The file sent, or null for a generated one of fileSize bytes. */
  file: string | null;
  timeoutMs: number;
  repeat: number;
  timerLateMs: number;
  /** Base seed of the receivers' loss draws: the same seed repeats every loss pattern. */
  seed: number;
}

export interface RunResult {
  run: number;
  ok: boolean;
  /** Sender start to the last ACK of the end marker. */
  delayMs: number;
  /** Timer expiries, each costing one timeout. */
  timeoutRounds: number;
  /** Data segments sent again, summed over the receivers (absent in records made before it was kept). */
  retransmissions?: number;
  /** Loss seeds of the receivers, in order. */
  seeds: number[];
  failure?: string;
}

export interface DelayStats {
  /** Successful runs the figures are over. */
  runs: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  /** Sample sd of the runs (0 for a single run). */
  sdMs: number;
  meanTimeouts: number;
}

export interface PointResult {
  point: StudyPoint;
  x: number;
  chunks: number;
  /** Stop-and-wait rounds without loss: chunks plus the end marker. */
  segments: number;
  /** Measured loss-free stop-and-wait round time (p = 0 run) at this n and MSS; null until measured. */
  roundTimeMs: number | null;
  /**
   * The model's expected delay and spread: null until the round time is known, and for the protocols that have
   * no model of their delay (protocolModel.ts).
   */
  model: DelayModel | null;
  runs: RunResult[];
  stats: DelayStats | null;
}

export interface StudyResult {
  id: StudyId;
  variable: StudyVariable;
  title: string;
  xLabel: string;
  fixed: string;
  settings: LabSettings;
  startedAt: string;
  finishedAt: string | null;
  cancelled: boolean;
  points: PointResult[];
}

export interface LabEnvironment {
  node: string;
  platform: string;
  cpus: number;
}

/** What a lab run saves as JSON: enough to redraw its charts, rewrite its CSV and compare it with later runs. */
export interface LabRecord {
  format: 'p2mp-lab';
  version: 1;
  createdAt: string;
  settings: LabSettings;
  environment: LabEnvironment;
  cancelled: boolean;
  studies: StudyResult[];
}

export function delayStats(runs: readonly RunResult[]): DelayStats | null {
  const ok = runs.filter((run) => run.ok);
  if (ok.length === 0) return null;
  const delays = ok.map((run) => run.delayMs);
  const meanMs = delays.reduce((a, b) => a + b, 0) / delays.length;
  const variance =
    delays.length > 1 ? delays.reduce((a, d) => a + (d - meanMs) ** 2, 0) / (delays.length - 1) : 0;
  return {
    runs: ok.length,
    meanMs,
    minMs: Math.min(...delays),
    maxMs: Math.max(...delays),
    sdMs: Math.sqrt(variance),
    meanTimeouts: ok.reduce((a, run) => a + run.timeoutRounds, 0) / ok.length,
  };
}

/** A point before any run: sizes known, model waiting for the round time. */
export function emptyPoint(study: Study, point: StudyPoint, fileSize: number): PointResult {
  return {
    point,
    x: xOf(study.variable, point),
    chunks: Math.ceil(fileSize / point.mss),
    segments: segmentsOf(fileSize, point.mss),
    roundTimeMs: null,
    model: null,
    runs: [],
    stats: null,
  };
}

/** Stop-and-wait's delay model at a point's n, MSS and p. */
function sawModel(result: PointResult, roundTimeMs: number, settings: LabSettings): DelayModel {
  return delayModel({
    segments: result.segments,
    n: result.point.n,
    p: result.point.p,
    timeoutMs: settings.timeoutMs,
    roundTimeMs,
    timerLateMs: settings.timerLateMs,
  });
}

export function withRoundTime(result: PointResult, roundTimeMs: number, settings: LabSettings): PointResult {
  const model = hasDelayModel(result.point.protocol) ? sawModel(result, roundTimeMs, settings) : null;
  return { ...result, roundTimeMs, model };
}

/**
 * How much work a run of the point is, in ms, for the progress bar and the ETA (which scale it by the measured
 * pace): the model's expected delay; stop-and-wait's at the same n, MSS and p for a protocol without a model.
 */
export function expectedWorkMs(result: PointResult, settings: LabSettings): number {
  if (result.model) return result.model.expectedMs;
  if (result.roundTimeMs === null) throw new Error('the round time is measured before any lossy run');
  return sawModel(result, result.roundTimeMs, settings).expectedMs;
}

/** The lab's receivers drop data segments only (the course's loss model): the round-trip loss q is p. */
export const labRoundTripLoss = (point: StudyPoint): number => roundTripLoss(point.p);

/** Expected transmissions of a segment to a receiver at the point (protocolModel.ts). */
export function expectedTransmissionsAt(point: StudyPoint): number {
  return expectedTransmissions(point.protocol, labRoundTripLoss(point), point.window);
}

/**
 * Measured transmissions of a segment to a receiver, first sends included, over the successful runs that kept
 * their retransmissions: 1 + retransmissions / (n x segments). Null without such runs.
 */
export function measuredTransmissions(result: PointResult): number | null {
  const runs = result.runs.filter((run) => run.ok && run.retransmissions !== undefined);
  if (runs.length === 0) return null;
  const sends = result.point.n * result.segments;
  return runs.reduce((sum, run) => sum + 1 + run.retransmissions! / sends, 0) / runs.length;
}

/** Immutable, so a store can keep the previous state (the app's live chart). */
export function withRun(result: PointResult, run: RunResult): PointResult {
  const runs = [...result.runs, run];
  return { ...result, runs, stats: delayStats(runs) };
}

export function emptyStudyResult(study: Study, settings: LabSettings, startedAt: string): StudyResult {
  return {
    id: study.id,
    variable: study.variable,
    title: study.title,
    xLabel: study.xLabel,
    fixed: study.fixed,
    settings,
    startedAt,
    finishedAt: null,
    cancelled: false,
    points: study.points.map((point) => emptyPoint(study, point, settings.fileSize)),
  };
}

export function defaultSettings(partial: Partial<LabSettings> = {}): LabSettings {
  return {
    fileSize: 1 << 20,
    file: null,
    timeoutMs: 100,
    repeat: DEFAULT_REPEAT,
    timerLateMs: DEFAULT_TIMER_LATE_MS,
    seed: 1,
    ...partial,
  };
}

/**
 * How late the timers fired on average, from the runs themselves: what the mean delay leaves once the loss-free
 * rounds and T per timeout are taken out. The model assumes DEFAULT_TIMER_LATE_MS; a loaded machine shows more.
 * Null without runs, without timeouts, or without a delay model (the windowed protocols).
 */
export function measuredTimerLateMs(point: PointResult, timeoutMs: number): number | null {
  const s = point.stats;
  if (s === null || point.model === null || point.roundTimeMs === null || s.meanTimeouts < 1) return null;
  return (s.meanMs - point.segments * point.roundTimeMs) / s.meanTimeouts - timeoutMs;
}

/**
 * Remaining time, from work measured in expected milliseconds (the model's, so a slow point weighs more than a
 * quick one), scaled by how fast the work done so far actually went.
 */
export function estimateRemainingMs(doneWork: number, totalWork: number, elapsedMs: number): number | null {
  if (doneWork <= 0 || totalWork <= 0 || elapsedMs <= 0) return null;
  return Math.max(0, ((totalWork - doneWork) * elapsedMs) / doneWork);
}
