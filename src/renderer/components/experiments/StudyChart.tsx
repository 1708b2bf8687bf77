// One study's chart: the shared option builder (the same one the CLI renders to PNG) drawn by ECharts on a
// canvas. The chart is created once; each new option (a run finished, a comparison picked) replaces the old.
import type { EChartsOption } from 'echarts';
import { useEffect, useMemo, useRef } from 'react';
import { LEGEND_ROW } from '../../../shared/lab/chart';
import { studyChartOf, type ChartKind } from '../../../shared/lab/studyCharts';
import { type StudyResult } from '../../../shared/lab/results';
import { createChart, type Chart } from './chartEngine';
import { domTooltip } from './chartTooltip';

interface Props {
  study: StudyResult;
  /** Which of the study's charts. */
  kind: ChartKind;
  /** Earlier results of the same study, drawn as dashed means. */
  compare: readonly StudyResult[];
}

/** Room above the plot for the legend's first line. */
const LEGEND_ROOM = 34;

/**
 * The shared option as the app shows it: no title (the screen has its own heading), no animation, a tooltip
 * the CSP lets through, and the legend on one line above the plot (paged when it does not fit), where it can
 * never run into the axis titles, however narrow the chart and however many runs are compared.
 */
export function appOption(
  study: StudyResult,
  compare: readonly StudyResult[],
  kind: ChartKind = 'delay',
): EChartsOption {
  const shared = studyChartOf(study, kind, { compare, animation: false, title: false });
  const { tooltip, legend, grid } = shared;
  // A protocol study's legend comes in rows (measured, expected): a line each.
  const legends = legend === undefined ? [] : Array.isArray(legend) ? legend : [legend];
  const rows = legends.map((row, i) => ({
    ...row,
    type: 'scroll' as const,
    top: 4 + i * LEGEND_ROW,
    bottom: 'auto',
    left: 'center',
    width: '90%',
  }));
  return {
    ...shared,
    ...(tooltip && !Array.isArray(tooltip) ? { tooltip: domTooltip(tooltip) } : {}),
    ...(rows.length > 0 ? { legend: rows.length === 1 ? rows[0] : rows } : {}),
    ...(grid && !Array.isArray(grid)
      ? { grid: { ...grid, top: LEGEND_ROOM + (legends.length - 1) * LEGEND_ROW, bottom: 52 } }
      : {}),
  };
}

export function StudyChart({ study, kind, compare }: Props) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart | null>(null);
  const option = useMemo(() => appOption(study, compare, kind), [study, compare, kind]);

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    const created = createChart(el);
    chart.current = created;
    const observer =
      typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => created.resize());
    observer?.observe(el);
    return () => {
      observer?.disconnect();
      created.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // notMerge: a comparison taken away must take its series with it.
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  const measured = study.points.filter((p) => p.stats !== null).length;
  return (
    <div
      ref={element}
      className="study-chart"
      role="img"
      aria-label={`${study.title}${kind === 'delay' ? '' : `, ${kind} per segment`}: ${measured} of ${study.points.length} points measured`}
      data-testid={`study-chart-${study.id}${kind === 'delay' ? '' : `-${kind}`}`}
      data-measured={measured}
      data-compared={compare.length}
    />
  );
}
