// Which charts a study has: a course study one (delay against the model); a study that compares protocols two,
// its delay and its transmissions per segment (protocolChart.ts). The CLI writes each as a PNG, the app draws each.
import type { EChartsOption } from 'echarts';
import { studyChartOption, type ChartOptions } from './chart.js';
import { protocolChartOption } from './protocolChart.js';
import type { StudyResult } from './results.js';
import { protocolsOf } from './studies.js';

export const CHART_KINDS = ['delay', 'transmissions'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export interface StudyChart {
  kind: ChartKind;
  option: EChartsOption;
}

/** The charts of a study: the delay alone, or for a study that compares protocols also the transmissions. */
export function chartKindsOf(result: StudyResult): ChartKind[] {
  return protocolsOf(result.points.map((p) => p.point)).length < 2 ? ['delay'] : [...CHART_KINDS];
}

export function studyChartOf(
  result: StudyResult,
  kind: ChartKind,
  options: ChartOptions = {},
): EChartsOption {
  return chartKindsOf(result).length === 1
    ? studyChartOption(result, options)
    : protocolChartOption(result, kind, options);
}

export function studyCharts(result: StudyResult, options: ChartOptions = {}): StudyChart[] {
  return chartKindsOf(result).map((kind) => ({ kind, option: studyChartOf(result, kind, options) }));
}

/** A chart's file name: study-4.png for the delay, study-4-transmissions.png. */
export const chartFileName = (study: StudyResult, kind: ChartKind, extension: string): string =>
  `study-${study.id}${kind === 'delay' ? '' : `-${kind}`}.${extension}`;
