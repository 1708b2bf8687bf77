// The course's three experiments as data, their results, CSV, saved records and the chart (an Apache ECharts
// option). Pure, no node: imports: the app's Experiments screen draws its live chart with the same builder that
// the CLI renders to PNG.
import type { EChartsOption } from 'echarts';
import { InputError } from './errors.js';
import { delayModel, DEFAULT_TIMER_LATE_MS, segmentsOf, type DelayModel } from './model.js';

export type StudyId = 1 | 2 | 3;
export const STUDY_IDS: readonly StudyId[] = [1, 2, 3];
export type StudyVariable = 'n' | 'mss' | 'p';

export interface StudyPoint {
  n: number;
  mss: number;
  p: number;
}

export interface Study {
  id: StudyId;
  variable: StudyVariable;
  title: string;
  /** Axis name of the varied parameter. */
  xLabel: string;
  /** The parameters held fixed, in words. */
  fixed: string;
  points: StudyPoint[];
}

export const DEFAULT_REPEAT = 5;
const range = (count: number, at: (i: number) => number): number[] =>
  Array.from({ length: count }, (_, i) => at(i));

/** The studies as the course sets them (protocol-facts.md, "Experiments students run"). */
export function courseStudy(id: StudyId): Study {
  switch (id) {
    case 1:
      return {
        id,
        variable: 'n',
        title: 'Study 1: delay vs number of receivers',
        xLabel: 'Receivers n',
        fixed: 'MSS 500, p = 0.05',
        points: range(5, (i) => i + 1).map((n) => ({ n, mss: 500, p: 0.05 })),
      };
    case 2:
      return {
        id,
        variable: 'mss',
        title: 'Study 2: delay vs MSS',
        xLabel: 'MSS (bytes)',
        fixed: 'n = 3, p = 0.05',
        points: range(10, (i) => (i + 1) * 100).map((mss) => ({ n: 3, mss, p: 0.05 })),
      };
    case 3:
      return {
        id,
        variable: 'p',
        title: 'Study 3: delay vs loss probability',
        xLabel: 'Loss probability p',
        fixed: 'MSS 500, n = 3',
        // k / 100 rather than repeated + 0.01, so 0.07 is the double nearest 0.07, not 0.07000000000000001.
        points: range(10, (i) => (i + 1) / 100).map((p) => ({ n: 3, mss: 500, p })),
      };
  }
}

export function isStudyId(value: unknown): value is StudyId {
  return value === 1 || value === 2 || value === 3;
}

/** The value of the varied parameter at a point. */
export function xOf(variable: StudyVariable, point: StudyPoint): number {
  return point[variable];
}

export function formatX(variable: StudyVariable, x: number): string {
  return variable === 'p' ? x.toFixed(2) : String(x);
}

/** A study on fewer points (tests, quick classroom runs): keeps the course points whose x is listed. */
export function reduceStudy(study: Study, xs: readonly number[]): Study {
  const points = study.points.filter((point) => xs.includes(xOf(study.variable, point)));
  if (points.length === 0) throw new InputError(`none of ${xs.join(', ')} is a point of study ${study.id}`);
  return { ...study, points };
}

// ---- Results --------------------------------------------------------------------------------------------------

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
  /** Measured loss-free round time (p = 0 run) at this n and MSS; null until measured. */
  roundTimeMs: number | null;
  /** The model's expectation and spread; null until the round time is known. */
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

export function withRoundTime(result: PointResult, roundTimeMs: number, settings: LabSettings): PointResult {
  const model = delayModel({
    segments: result.segments,
    n: result.point.n,
    p: result.point.p,
    timeoutMs: settings.timeoutMs,
    roundTimeMs,
    timerLateMs: settings.timerLateMs,
  });
  return { ...result, roundTimeMs, model };
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
 * Null without runs or without timeouts.
 */
export function measuredTimerLateMs(point: PointResult, timeoutMs: number): number | null {
  const s = point.stats;
  if (s === null || point.roundTimeMs === null || s.meanTimeouts < 1) return null;
  return (s.meanMs - point.segments * point.roundTimeMs) / s.meanTimeouts - timeoutMs;
}

// ---- Progress -------------------------------------------------------------------------------------------------

/**
 * Remaining time, from work measured in expected milliseconds (the model's, so a slow point weighs more than a
 * quick one), scaled by how fast the work done so far actually went.
 */
export function estimateRemainingMs(doneWork: number, totalWork: number, elapsedMs: number): number | null {
  if (doneWork <= 0 || totalWork <= 0 || elapsedMs <= 0) return null;
  return Math.max(0, ((totalWork - doneWork) * elapsedMs) / doneWork);
}

// ---- CSV ------------------------------------------------------------------------------------------------------

export const CSV_COLUMNS = [
  'study',
  'variable',
  'x',
  'n',
  'mss',
  'p',
  'file_bytes',
  'chunks',
  'timeout_ms',
  'round_time_ms',
  'runs',
  'ok_runs',
  'mean_delay_ms',
  'min_delay_ms',
  'max_delay_ms',
  'sd_delay_ms',
  'model_delay_ms',
  'model_sd_ms',
  'expected_rounds',
  'mean_timeouts',
  'model_timeouts',
  'timer_late_ms',
  'delays_ms',
] as const;

const fixed = (value: number | null | undefined, digits: number): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '' : value.toFixed(digits);

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per point; delays of the single runs space-separated in the last column. */
export function studyCsv(result: StudyResult): string {
  const rows = result.points.map((point) => {
    const s = point.stats;
    const m = point.model;
    return [
      String(result.id),
      result.variable,
      formatX(result.variable, point.x),
      String(point.point.n),
      String(point.point.mss),
      String(point.point.p),
      String(result.settings.fileSize),
      String(point.chunks),
      String(result.settings.timeoutMs),
      fixed(point.roundTimeMs, 4),
      String(point.runs.length),
      String(s?.runs ?? 0),
      fixed(s?.meanMs, 3),
      fixed(s?.minMs, 3),
      fixed(s?.maxMs, 3),
      fixed(s?.sdMs, 3),
      fixed(m?.expectedMs, 3),
      fixed(m?.sdMs, 3),
      fixed(m?.expectedRounds, 6),
      fixed(s?.meanTimeouts, 2),
      fixed(m?.expectedTimeouts, 2),
      fixed(measuredTimerLateMs(point, result.settings.timeoutMs), 3),
      point.runs.map((run) => (run.ok ? run.delayMs.toFixed(3) : 'failed')).join(' '),
    ].map(csvCell);
  });
  return [CSV_COLUMNS.join(','), ...rows.map((row) => row.join(','))].join('\n') + '\n';
}

// ---- Saved records --------------------------------------------------------------------------------------------

/** File name of a record: sorts by time, no characters that Windows refuses. */
export function recordFileName(createdAt: string): string {
  return `lab-${createdAt.replace(/[:.]/g, '-')}.json`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a saved record; a file that is not one is an InputError naming what is wrong. */
export function parseLabRecord(text: string): LabRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError('not a lab record: not JSON');
  }
  if (!isObject(value) || value.format !== 'p2mp-lab')
    throw new InputError('not a lab record: no "format": "p2mp-lab"');
  if (value.version !== 1) throw new InputError(`unsupported lab record version ${String(value.version)}`);
  if (!isObject(value.settings) || !Array.isArray(value.studies))
    throw new InputError('not a lab record: settings or studies missing');
  for (const study of value.studies) {
    if (!isObject(study) || !isStudyId(study.id) || !Array.isArray(study.points))
      throw new InputError('not a lab record: a study without id or points');
    for (const point of study.points)
      if (!isObject(point) || typeof point.x !== 'number' || !Array.isArray(point.runs))
        throw new InputError(`not a lab record: a point of study ${study.id} without x or runs`);
  }
  return value as unknown as LabRecord;
}

// ---- Chart ----------------------------------------------------------------------------------------------------

export interface ChartOptions {
  /** Earlier results of the same study, drawn as dashed means labelled by their start time. */
  compare?: readonly StudyResult[];
  /** Off for server-side rendering and for a chart updated many times a second. */
  animation?: boolean;
  /** Left out for an app that shows its own heading. */
  title?: boolean;
}

const COLORS = {
  measured: '#1f5fbf',
  model: '#d9480f',
  band: 'rgba(217, 72, 15, 0.13)',
  compare: ['#5c7080', '#2b8a3e', '#862e9c', '#e67700'],
};

/** An I-beam, the shape of an error bar, as the legend icon of the min-max bars. */
const ERROR_BAR_ICON = 'path://M0,0h9v1.6h-3.7v16.8h3.7v1.6h-9v-1.6h3.7v-16.8h-3.7z';

const seconds = (ms: number | null | undefined): number | null =>
  ms === null || ms === undefined || !Number.isFinite(ms) ? null : ms / 1000;

/** Seconds with as many decimals as small delays need. */
export function formatDelay(s: number): string {
  return s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s >= 1 ? s.toFixed(2) : s.toFixed(3);
}

export function describeSettings(settings: LabSettings): string {
  const size =
    settings.fileSize >= 1 << 20
      ? `${(settings.fileSize / (1 << 20)).toFixed(2)} MiB`
      : settings.fileSize >= 1024
        ? `${(settings.fileSize / 1024).toFixed(1)} KiB`
        : `${settings.fileSize} B`;
  return `file ${size}, timeout ${settings.timeoutMs} ms, ${settings.repeat} run(s) per point`;
}

/**
 * The study's chart: measured mean with min-max bars, the model's expectation as a dashed line and its spread
 * (± 1 sd of one run over loss patterns) as a band. Points without runs yet show only the model, so a live chart
 * can start with the curve and fill in the measurements. Only plain data and small functions: no DOM, no echarts
 * runtime import.
 */
export function studyChartOption(result: StudyResult, options: ChartOptions = {}): EChartsOption {
  const categories = result.points.map((point) => formatX(result.variable, point.x));
  const mean = result.points.map((point) => seconds(point.stats?.meanMs));
  const model = result.points.map((point) => seconds(point.model?.expectedMs));
  const low = result.points.map((point) =>
    point.model ? Math.max(0, (point.model.expectedMs - point.model.sdMs) / 1000) : null,
  );
  const width = result.points.map((point, i) =>
    point.model && low[i] !== null ? (point.model.expectedMs + point.model.sdMs) / 1000 - low[i]! : null,
  );
  const bars = result.points.flatMap((point, i) =>
    point.stats ? [[i, point.stats.minMs / 1000, point.stats.maxMs / 1000]] : [],
  );
  const compare = (options.compare ?? []).map((earlier, k) => {
    const byX = new Map(earlier.points.map((point) => [formatX(earlier.variable, point.x), point]));
    return {
      name: `Mean, run of ${earlier.startedAt.slice(0, 16).replace('T', ' ')}`,
      type: 'line' as const,
      data: categories.map((category) => seconds(byX.get(category)?.stats?.meanMs)),
      lineStyle: { type: 'dashed' as const, width: 1.5 },
      itemStyle: { color: COLORS.compare[k % COLORS.compare.length] },
      symbol: 'diamond',
      symbolSize: 7,
      connectNulls: true,
      z: 3,
    };
  });
  const subtitle = `${result.fixed}; ${describeSettings(result.settings)}${result.cancelled ? ' (cancelled: partial)' : ''}`;
  const legend = [
    { name: 'Measured mean' },
    { name: 'Min-max of runs', icon: ERROR_BAR_ICON },
    { name: 'Model E[delay]' },
    { name: 'Model ± 1 sd', icon: 'rect' },
    ...compare.map((c) => ({ name: c.name })),
  ];
  return {
    animation: options.animation ?? false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'DejaVu Sans, Liberation Sans, Arial, sans-serif' },
    ...(options.title === false
      ? {}
      : {
          title: {
            text: result.title,
            subtext: subtitle,
            left: 'center',
            top: 8,
            textStyle: { fontSize: 17 },
            subtextStyle: { fontSize: 12, color: '#555' },
          },
        }),
    legend: { data: legend, bottom: 6, itemGap: 18 },
    grid: { left: 72, right: 32, top: options.title === false ? 24 : 78, bottom: 84 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value) => (typeof value === 'number' ? `${formatDelay(value)} s` : '-'),
    },
    xAxis: {
      type: 'category',
      name: result.xLabel,
      nameLocation: 'middle',
      nameGap: 30,
      nameTextStyle: { fontSize: 13 },
      data: categories,
      boundaryGap: true,
      axisTick: { alignWithLabel: true },
    },
    yAxis: {
      type: 'value',
      name: 'Delay (s)',
      nameLocation: 'middle',
      nameGap: 52,
      nameTextStyle: { fontSize: 13 },
      min: 0,
      // Axis ticks are round numbers: no trailing zeros (0.1, not 0.100).
      axisLabel: { formatter: (value: number) => String(Number(value.toPrecision(6))) },
      splitLine: { lineStyle: { color: '#e6e6e6' } },
    },
    series: [
      // The band: an invisible lower line and the band's height stacked on it (ECharts' confidence-band idiom).
      {
        name: 'band-base',
        type: 'line',
        data: low,
        stack: 'model-band',
        lineStyle: { opacity: 0 },
        symbol: 'none',
        silent: true,
        tooltip: { show: false },
      },
      {
        name: 'Model ± 1 sd',
        type: 'line',
        data: width,
        stack: 'model-band',
        lineStyle: { opacity: 0 },
        areaStyle: { color: COLORS.band },
        itemStyle: { color: COLORS.band },
        symbol: 'none',
        silent: true,
        tooltip: { show: false },
      },
      {
        name: 'Model E[delay]',
        type: 'line',
        data: model,
        lineStyle: { type: 'dashed', width: 2, color: COLORS.model },
        itemStyle: { color: COLORS.model },
        symbol: 'none',
        z: 4,
      },
      {
        name: 'Min-max of runs',
        type: 'custom',
        data: bars,
        itemStyle: { color: COLORS.measured },
        encode: { x: 0, y: [1, 2] },
        renderItem: (_params, api) => {
          const x = api.value(0) as number;
          const top = api.coord([x, api.value(2)]) as number[];
          const bottom = api.coord([x, api.value(1)]) as number[];
          const half = Math.min(8, (api.size!([1, 0]) as number[])[0]! * 0.15);
          const style = { stroke: COLORS.measured, lineWidth: 1.6 };
          const line = (x1: number, y1: number, x2: number, y2: number) => ({
            type: 'line' as const,
            shape: { x1, y1, x2, y2 },
            style,
          });
          return {
            type: 'group',
            children: [
              line(top[0]!, top[1]!, bottom[0]!, bottom[1]!),
              line(top[0]! - half, top[1]!, top[0]! + half, top[1]!),
              line(bottom[0]! - half, bottom[1]!, bottom[0]! + half, bottom[1]!),
            ],
          };
        },
        z: 5,
      },
      {
        name: 'Measured mean',
        type: 'line',
        data: mean,
        connectNulls: true,
        lineStyle: { width: 2, color: COLORS.measured },
        itemStyle: { color: COLORS.measured },
        symbol: 'circle',
        symbolSize: 8,
        z: 6,
      },
      ...compare,
    ],
  };
}
