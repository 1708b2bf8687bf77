// One study's chart: the shared option builder (the same one the CLI renders to PNG) drawn by ECharts on a
// canvas. The chart is created once; each new option (a run finished, a comparison picked) replaces the old.
import type { EChartsOption } from 'echarts';
import { useEffect, useMemo, useRef } from 'react';
import { studyChartOption, type StudyResult } from '../../../shared/experiments';
import { createChart, type Chart } from './chartEngine';
import { domTooltip } from './chartTooltip';

interface Props {
  study: StudyResult;
  /** Earlier results of the same study, drawn as dashed means. */
  compare: readonly StudyResult[];
}

/** Below the axis name, a legend on a second line: at the app's width, a comparison's entry wraps. */
const COMPARE_LEGEND_ROOM = 26;

/**
 * The shared option as the app shows it: no title (the screen has its own heading), no animation, a tooltip
 * the CSP lets through.
 */
export function appOption(study: StudyResult, compare: readonly StudyResult[]): EChartsOption {
  const shared = studyChartOption(study, { compare, animation: false, title: false });
  const { tooltip } = shared;
  const option = tooltip && !Array.isArray(tooltip) ? { ...shared, tooltip: domTooltip(tooltip) } : shared;
  if (compare.length === 0 || typeof option.grid !== 'object' || Array.isArray(option.grid)) return option;
  const bottom = typeof option.grid.bottom === 'number' ? option.grid.bottom : 84;
  return { ...option, grid: { ...option.grid, bottom: bottom + COMPARE_LEGEND_ROOM * compare.length } };
}

export function StudyChart({ study, compare }: Props) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart | null>(null);
  const option = useMemo(() => appOption(study, compare), [study, compare]);

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
      aria-label={`${study.title}: ${measured} of ${study.points.length} points measured`}
      data-testid={`study-chart-${study.id}`}
      data-measured={measured}
      data-compared={compare.length}
    />
  );
}
