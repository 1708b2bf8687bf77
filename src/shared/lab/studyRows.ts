// The numbers behind a study's charts, one row per point, as words: the app's table (StudyTable.tsx) and the
// text table p2mplab prints at the end (the means a student's report needs, without opening the CSV).
import { textTable } from '../format.js';
import { formatDelay } from './chart.js';
import { protocolName } from './protocolModel.js';
import { expectedTransmissionsAt, measuredTransmissions, type StudyResult } from './results.js';
import { formatX, protocolsOf } from './studies.js';

export interface StudyRow {
  key: string;
  /** The protocol's name where the study compares protocols, else null. */
  protocol: string | null;
  x: string;
  runs: number;
  failed: number;
  measured: boolean;
  /** Seconds, or "–" where there is nothing to say (no run succeeded, no model). */
  mean: string;
  min: string;
  max: string;
  model: string;
  /** Transmissions per segment, measured and expected (studies of protocols only). */
  tx: string;
  expectedTx: string;
}

const seconds = (ms: number | null | undefined): string =>
  ms === null || ms === undefined || !Number.isFinite(ms) ? '–' : formatDelay(ms / 1000);

const times = (value: number | null): string => (value === null ? '–' : value.toFixed(3));

/** Whether the study compares protocols (then its rows name them, and give transmissions per segment). */
export const comparesProtocols = (study: StudyResult): boolean =>
  protocolsOf(study.points.map((p) => p.point)).length > 1;

/** The heading of the variable's column. */
export const variableHeading = (study: StudyResult): string =>
  study.variable === 'mss' ? 'MSS' : study.variable;

export function studyRows(study: StudyResult): StudyRow[] {
  const protocols = comparesProtocols(study);
  return study.points.map((point) => ({
    key: `${point.point.protocol}/${point.x}`,
    protocol: protocols ? protocolName(point.point.protocol) : null,
    x: formatX(study.variable, point.x),
    runs: point.runs.length,
    failed: point.runs.length - (point.stats?.runs ?? 0),
    measured: point.stats !== null,
    mean: seconds(point.stats?.meanMs),
    min: seconds(point.stats?.minMs),
    max: seconds(point.stats?.maxMs),
    model: seconds(point.model?.expectedMs),
    tx: protocols ? times(measuredTransmissions(point)) : '',
    expectedTx: protocols ? times(expectedTransmissionsAt(point.point)) : '',
  }));
}

/** The study as a text table, its title and fixed settings above it. */
export function studyText(study: StudyResult): string {
  const protocols = comparesProtocols(study);
  const header = [
    ...(protocols ? ['Protocol'] : []),
    variableHeading(study),
    'Runs',
    'Mean (s)',
    'Min',
    'Max',
    'Model',
    ...(protocols ? ['Tx/segment', 'Expected'] : []),
  ];
  const rows = [
    header,
    ...studyRows(study).map((r) => [
      ...(protocols ? [r.protocol!] : []),
      r.x,
      r.failed > 0 ? `${r.runs} (${r.failed} failed)` : String(r.runs),
      r.mean,
      r.min,
      r.max,
      r.model,
      ...(protocols ? [r.tx, r.expectedTx] : []),
    ]),
  ];
  // Only the protocol's name is a word: every other column, the variable's too, is a number.
  return `${study.title} (${study.fixed})\n${textTable(rows, protocols ? 1 : 0)}`;
}
