// One study's chart: the shared option builder (the same one the CLI renders to PNG) drawn by ECharts on a
// canvas, in the theme's colours (chartPalette.ts). The chart is created once; each new option (a run finished, a
// comparison picked, the theme switched) replaces the old.
import type { EChartsOption } from 'echarts';
import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import {
  LEGEND_ROW,
  legendLines,
  LIGHT_CHART,
  type ChartPalette,
  type LegendItem,
} from '../../../shared/lab/chart';
import { studyChartOf, type ChartKind } from '../../../shared/lab/studyCharts';
import { type StudyResult } from '../../../shared/lab/results';
import { useAppStore } from '../../store/appStore';
import { createChart, textWidth, type Chart } from './chartEngine';
import { useChartPalette } from './chartPalette';
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

/** Large type's text size over the normal one (styles.css: 20px and 15px): the chart's text follows it. */
export const LARGE_TYPE_SCALE = 20 / 15;

type Axis = {
  nameGap?: number;
  nameTextStyle?: Record<string, unknown>;
  axisLabel?: Record<string, unknown>;
};

/** The chart's width and how ECharts measures text: what the legend's keys are wrapped to. */
export interface LegendFit {
  width: number;
  textWidth: (text: string, font: string) => number;
}

/**
 * The shared option as the app shows it: no title (the screen has its own heading), no animation, a tooltip
 * the CSP lets through, and the legend above the plot, where it can never run into the axis titles: each of its
 * rows wrapped into lines that fit the chart's width (`fit`), with room reserved for every line. Paged on one
 * line, a comparison's keys (and Large type's) were hidden behind its arrow; paging is left for a key wider than
 * the chart, or no `fit` yet.
 */
export function appOption(
  study: StudyResult,
  compare: readonly StudyResult[],
  kind: ChartKind = 'delay',
  /** The text's size over the normal one (LARGE_TYPE_SCALE with Large type): text and the room it takes. */
  scale = 1,
  /** The theme's colours (useChartPalette). */
  palette: ChartPalette = LIGHT_CHART,
  fit: LegendFit | null = null,
): EChartsOption {
  const shared = studyChartOf(study, kind, { compare, animation: false, title: false, palette });
  const { tooltip, legend, grid, xAxis, yAxis, textStyle } = shared;
  const px = (n: number): number => Math.round(n * scale);
  const given = legend === undefined ? [] : Array.isArray(legend) ? legend : [legend];
  const family = (textStyle as { fontFamily?: string } | undefined)?.fontFamily ?? 'sans-serif';
  const first = given[0];
  const lines =
    fit && first
      ? legendLines(
          given.map((row) => (Array.isArray(row.data) ? row.data : []) as LegendItem[]),
          // The legend's 90% of the width, less its padding (5 px a side) and a pixel of measuring's rounding.
          0.9 * fit.width - 12,
          first.itemGap ?? 10,
          // The key: its icon (itemWidth), 5 px, its text.
          (name) => px(25) + 5 + fit.textWidth(name, `${px(12)}px ${family}`),
        )
      : null;
  // Every line styled as the rows are (legendLayout): only their keys differ.
  const legends = lines && first ? lines.map((data) => ({ ...first, data })) : given;
  const rows = legends.map((row, i) => ({
    ...row,
    type: 'scroll' as const,
    top: 4 + i * px(LEGEND_ROW),
    bottom: 'auto',
    left: 'center',
    width: '90%',
    textStyle: { ...row.textStyle, fontSize: px(12) },
    itemWidth: px(25),
    itemHeight: px(14),
    pageIconSize: px(15),
    pageTextStyle: { ...('pageTextStyle' in row ? row.pageTextStyle : {}), fontSize: px(12) },
  }));
  // ECharts' axis labels are 12 px and the titles 13 px (chart.ts), whatever the page's type size.
  const sized = (axis: Axis): Axis => ({
    ...axis,
    ...(axis.nameGap === undefined ? {} : { nameGap: px(axis.nameGap) }),
    nameTextStyle: { ...axis.nameTextStyle, fontSize: px(13) },
    axisLabel: { ...axis.axisLabel, fontSize: px(12) },
  });
  return {
    ...shared,
    ...(tooltip && !Array.isArray(tooltip) ? { tooltip: domTooltip(tooltip) } : {}),
    ...(rows.length > 0 ? { legend: rows.length === 1 ? rows[0] : rows } : {}),
    ...(grid && !Array.isArray(grid)
      ? {
          grid: {
            ...grid,
            top: px(LEGEND_ROOM) + (legends.length - 1) * px(LEGEND_ROW),
            bottom: px(52),
            ...(typeof grid.left === 'number' ? { left: px(grid.left) } : {}),
          },
        }
      : {}),
    ...(xAxis && !Array.isArray(xAxis) ? { xAxis: sized(xAxis as Axis) as typeof xAxis } : {}),
    ...(yAxis && !Array.isArray(yAxis) ? { yAxis: sized(yAxis as Axis) as typeof yAxis } : {}),
  };
}

export function StudyChart({ study, kind, compare }: Props) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart | null>(null);
  const largeType = useAppStore((s) => s.settings?.largeType ?? false);
  const palette = useChartPalette();
  // The legend wraps to the chart's width: a new width may take another line.
  const [width, setWidth] = useState(0);
  const option = useMemo(
    () =>
      appOption(
        study,
        compare,
        kind,
        largeType ? LARGE_TYPE_SCALE : 1,
        palette,
        width > 0 ? { width, textWidth } : null,
      ),
    [study, compare, kind, largeType, palette, width],
  );

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    const created = createChart(el);
    chart.current = created;
    setWidth(el.clientWidth);
    const observer =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver(() => {
            created.resize();
            setWidth(el.clientWidth);
          });
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
  // Each legend line past the first makes the chart taller by its row (styles.css), so the plot keeps its height.
  const legendLines = Array.isArray(option.legend) ? option.legend.length : 1;
  return (
    <div
      ref={element}
      className="study-chart"
      style={{ '--legend-lines': legendLines } as CSSProperties}
      role="img"
      aria-label={`${study.title}${kind === 'delay' ? '' : `, ${kind} per segment`}: ${measured} of ${study.points.length} points measured`}
      data-testid={`study-chart-${study.id}${kind === 'delay' ? '' : `-${kind}`}`}
      data-measured={measured}
      data-compared={compare.length}
    />
  );
}
