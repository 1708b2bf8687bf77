// A study's results as CSV, one row per point.
import { formatX } from './studies.js';
import { StudyResult, measuredTimerLateMs } from './results.js';

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
