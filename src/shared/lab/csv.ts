// A study's results as CSV, one row per point. Columns named model_* and expected_* are expectations of the
// analytic model (empty where it has none: the delay of the windowed protocols, Go-Back-N's rounds); timer_late_ms
// is worked out from measured columns (DERIVED_COLUMNS); the first ones, up to timeout_ms, give the point and its
// settings; every other figure is measured. model_sd_ms is the sd of one run's delay, not of a mean of
// the K runs (that is model_sd_ms / √K).
import { formatX } from './studies.js';
import { expectedSegmentRounds } from './protocolModel.js';
import {
  expectedTransmissionsAt,
  labRoundTripLoss,
  measuredTimerLateMs,
  measuredTransmissions,
  StudyResult,
} from './results.js';

export const CSV_COLUMNS = [
  'study',
  'variable',
  'x',
  'n',
  'mss',
  'p',
  'protocol',
  'window',
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
  'mean_tx_per_segment',
  'expected_tx_per_segment',
  'delays_ms',
] as const;

/** The columns that hold the model's expectations rather than measurements. */
export const EXPECTATION_COLUMNS = CSV_COLUMNS.filter((column) => /^(model|expected)_/.test(column));

/** Worked out from measured columns, not measured: how late a timer fired, on average (measuredTimerLateMs). */
export const DERIVED_COLUMNS = ['timer_late_ms'] as const satisfies readonly (typeof CSV_COLUMNS)[number][];

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
      point.point.protocol,
      String(point.point.window),
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
      fixed(expectedSegmentRounds(point.point.protocol, point.point.n, labRoundTripLoss(point.point)), 6),
      fixed(s?.meanTimeouts, 2),
      fixed(m?.expectedTimeouts, 2),
      fixed(measuredTimerLateMs(point, result.settings.timeoutMs), 3),
      fixed(measuredTransmissions(point), 4),
      fixed(expectedTransmissionsAt(point.point), 4),
      point.runs.map((run) => (run.ok ? run.delayMs.toFixed(3) : 'failed')).join(' '),
    ].map(csvCell);
  });
  return [CSV_COLUMNS.join(','), ...rows.map((row) => row.join(','))].join('\n') + '\n';
}
