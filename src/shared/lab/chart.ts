// A study's chart as an Apache ECharts option. Pure: the app's Experiments screen draws its live chart with the
// same builder that the CLI renders to PNG.
import type { EChartsOption, LegendComponentOption } from 'echarts';
import { formatX } from './studies.js';
import { LabSettings, StudyResult } from './results.js';
import { counted } from '../format.js';

export interface ChartOptions {
  /** Earlier results of the same study, drawn as dashed means labelled by their start time. */
  compare?: readonly StudyResult[];
  /** Off for server-side rendering and for a chart updated many times a second. */
  animation?: boolean;
  /** Left out for an app that shows its own heading. */
  title?: boolean;
  /** The chart's colours: LIGHT_CHART unless given (the app gives its theme's, styles.css --chart-*). */
  palette?: ChartPalette;
}

/** Every colour a study's chart uses: one set per theme, so one option builder serves both. */
export interface ChartPalette {
  background: string;
  /** Titles, the legend, axis names, the tooltip's text. */
  text: string;
  /** The subtitle and axis labels (text: 4.5:1 on the background). */
  muted: string;
  /** Axis lines and ticks, the tooltip's border. */
  axis: string;
  /** The value axis' grid lines: faint, behind the data. */
  grid: string;
  /** A legend key switched off. */
  inactive: string;
  measured: string;
  model: string;
  /** The model's ± 1 sd band: strong enough to survive a projector's washed-out colours, light enough to read the
   * lines through. */
  band: string;
  /** Earlier runs drawn for comparison, in turn. */
  compare: readonly string[];
  /** One per protocol, in PROTOCOLS order; the first is the measured colour. */
  protocols: readonly string[];
  /** An expectation several protocols share. */
  shared: string;
}

/**
 * The light theme's colours, and the exported PNG's in either theme (a white chart for slides and paper). Lines
 * and markers 4.3:1 or more on white, text 4.9:1 or more.
 */
export const LIGHT_CHART: ChartPalette = {
  background: '#ffffff',
  text: '#333333',
  muted: '#555555',
  axis: '#6e7079',
  grid: '#e6e6e6',
  inactive: '#cccccc',
  measured: '#1f5fbf',
  model: '#d9480f',
  band: 'rgba(217, 72, 15, 0.22)',
  compare: ['#5c7080', '#2b8a3e', '#862e9c', '#b35c00'],
  protocols: ['#1f5fbf', '#2b8a3e', '#862e9c', '#b35c00', '#c2255c'],
  shared: '#5c7080',
};

/** An I-beam, the shape of an error bar, as the legend icon of the min-max bars. */
// Legend icons of the lines without markers, drawn as they are: the empty moves at the corners keep the icon's
// box the legend's 25 x 14, so the dashes stay thin.
const CORNERS = 'M0,0zM25,14z';
export const DASHED_ICON = `path://${CORNERS}M0,5.8h6.5v2.4h-6.5zM9.25,5.8h6.5v2.4h-6.5zM18.5,5.8h6.5v2.4h-6.5z`;
export const DOTTED_ICON = `path://${CORNERS}M0,5.8h2.4v2.4h-2.4zM5.65,5.8h2.4v2.4h-2.4zM11.3,5.8h2.4v2.4h-2.4zM16.95,5.8h2.4v2.4h-2.4zM22.6,5.8h2.4v2.4h-2.4z`;
const ERROR_BAR_ICON = 'path://M0,0h9v1.6h-3.7v16.8h3.7v1.6h-9v-1.6h3.7v-16.8h-3.7z';

export const seconds = (ms: number | null | undefined): number | null =>
  ms === null || ms === undefined || !Number.isFinite(ms) ? null : ms / 1000;

/** Seconds with as many decimals as small delays need. */
export function formatDelay(s: number): string {
  return s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s >= 1 ? s.toFixed(2) : s.toFixed(3);
}

const sizeOf = (bytes: number): string =>
  bytes >= 1 << 20
    ? `${(bytes / (1 << 20)).toFixed(2)} MiB`
    : bytes >= 1024
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${bytes} B`;

export function describeSettings(settings: LabSettings): string {
  return `file ${sizeOf(settings.fileSize)}, timeout ${settings.timeoutMs} ms, ${counted(settings.repeat, 'run')} per point`;
}

/**
 * Why an earlier run drawn on a study's charts does not compare with it (another file size or timeout: every delay
 * scales with them, so a smaller file looks like a faster protocol), or null when it does.
 */
export function incomparable(earlier: LabSettings, now: LabSettings): string | null {
  const differs = [
    ...(earlier.fileSize !== now.fileSize
      ? [`a ${sizeOf(earlier.fileSize)} file (here ${sizeOf(now.fileSize)})`]
      : []),
    ...(earlier.timeoutMs !== now.timeoutMs
      ? [`a ${earlier.timeoutMs} ms timeout (here ${now.timeoutMs} ms)`]
      : []),
  ];
  return differs.length === 0
    ? null
    : `the earlier run had ${differs.join(' and ')}: its delays do not compare with these`;
}

export interface LegendItem {
  name: string;
  icon?: string;
}

/** Height of one legend row, in px. */
export const LEGEND_ROW = 24;

/**
 * Each legend row split into lines no wider than `room` px, `keyWidth` giving a key's width, icon and text
 * (ECharts pages a row too wide for its room, hiding keys behind an arrow, or wraps it onto the rows next to it).
 * A key wider than the room has a line of its own.
 */
export function legendLines(
  rows: LegendItem[][],
  room: number,
  gap: number,
  keyWidth: (name: string) => number,
): LegendItem[][] {
  const lines: LegendItem[][] = [];
  for (const row of rows) {
    let line: LegendItem[] = [];
    let used = 0;
    for (const item of row) {
      const w = keyWidth(item.name);
      if (line.length > 0 && used + gap + w > room) {
        lines.push(line);
        [line, used] = [[], 0];
      }
      used += (line.length > 0 ? gap : 0) + w;
      line.push(item);
    }
    lines.push(line);
  }
  return lines;
}

/** The legend's lines, from the top one down to the chart's foot, and the room under the plot they need. */
export function legendLayout(
  lines: LegendItem[][],
  palette: ChartPalette = LIGHT_CHART,
): {
  legends: LegendComponentOption[];
  gridBottom: number;
} {
  return {
    legends: lines.map((data, i) => ({
      data,
      bottom: 6 + (lines.length - 1 - i) * LEGEND_ROW,
      itemGap: 20,
      textStyle: { color: palette.text },
      inactiveColor: palette.inactive,
      pageTextStyle: { color: palette.text },
      pageIconColor: palette.text,
      pageIconInactiveColor: palette.inactive,
    })),
    gridBottom: 84 + (lines.length - 1) * LEGEND_ROW,
  };
}

export interface ChartFrame {
  title: string;
  categories: string[];
  /** The legend, in rows (a PNG splits a row that does not fit its width into lines: chartImage.ts). */
  legend: LegendItem[] | LegendItem[][];
  yName: string;
  /** Where the value axis starts (0 by default). */
  yMin?: number;
  /** A value as the tooltip shows it. */
  format: (value: number) => string;
}

/** Everything of a study's chart but its series: title and settings, legend, axes, tooltip. */
export function chartFrame(result: StudyResult, options: ChartOptions, frame: ChartFrame): EChartsOption {
  const palette = options.palette ?? LIGHT_CHART;
  const rows = (Array.isArray(frame.legend[0]) ? frame.legend : [frame.legend]) as LegendItem[][];
  const { legends, gridBottom } = legendLayout(rows, palette);
  const axisLine = { lineStyle: { color: palette.axis } };
  const subtitle = `${result.fixed}; ${describeSettings(result.settings)}${result.cancelled ? ' (cancelled: partial)' : ''}`;
  return {
    animation: options.animation ?? false,
    backgroundColor: palette.background,
    textStyle: { fontFamily: 'DejaVu Sans, Liberation Sans, Arial, sans-serif', color: palette.text },
    ...(options.title === false
      ? {}
      : {
          title: {
            text: frame.title,
            subtext: subtitle,
            left: 'center',
            top: 8,
            textStyle: { fontSize: 17, color: palette.text },
            subtextStyle: { fontSize: 12, color: palette.muted },
          },
        }),
    legend: legends.length === 1 ? legends[0] : legends,
    grid: {
      left: 72,
      right: 32,
      top: options.title === false ? 24 : 78,
      bottom: gridBottom,
    },
    tooltip: {
      trigger: 'axis',
      backgroundColor: palette.background,
      borderColor: palette.axis,
      textStyle: { color: palette.text },
      axisPointer: { lineStyle: { color: palette.axis }, shadowStyle: { color: palette.grid } },
      valueFormatter: (value) => (typeof value === 'number' ? frame.format(value) : '-'),
    },
    xAxis: {
      type: 'category',
      name: result.xLabel,
      nameLocation: 'middle',
      nameGap: 30,
      nameTextStyle: { fontSize: 13, color: palette.text },
      data: frame.categories,
      boundaryGap: true,
      axisLine,
      axisTick: { alignWithLabel: true, ...axisLine },
      axisLabel: { color: palette.muted },
    },
    yAxis: {
      type: 'value',
      name: frame.yName,
      nameLocation: 'middle',
      nameGap: 52,
      nameTextStyle: { fontSize: 13, color: palette.text },
      min: frame.yMin ?? 0,
      axisLine,
      axisTick: axisLine,
      // Axis ticks are round numbers: no trailing zeros (0.1, not 0.100).
      axisLabel: { color: palette.muted, formatter: (value: number) => String(Number(value.toPrecision(6))) },
      splitLine: { lineStyle: { color: palette.grid } },
    },
  };
}

/**
 * The band's key: its sd is of one run's delay, as the min-max bars beside it are of single runs; the mean of K
 * runs the dots show spreads √K times less.
 */
const MODEL_BAND = 'Model ± sd of a run';

/**
 * The study's chart: measured mean with min-max bars, the model's expectation as a dashed line and its spread
 * (± 1 sd of one run over loss patterns) as a band. Points without runs yet show only the model, so a live chart
 * can start with the curve and fill in the measurements. Only plain data and small functions: no DOM, no echarts
 * runtime import.
 */
export function studyChartOption(result: StudyResult, options: ChartOptions = {}): EChartsOption {
  const palette = options.palette ?? LIGHT_CHART;
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
      // startedAt is UTC: said so, or it reads as the viewer's local time.
      name: `Mean, run of ${earlier.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
      type: 'line' as const,
      data: categories.map((category) => seconds(byX.get(category)?.stats?.meanMs)),
      lineStyle: { type: 'dashed' as const, width: 1.5 },
      itemStyle: { color: palette.compare[k % palette.compare.length] },
      symbol: 'diamond',
      symbolSize: 7,
      connectNulls: true,
      z: 3,
    };
  });
  const legend = [
    { name: 'Measured mean' },
    { name: 'Min-max of runs', icon: ERROR_BAR_ICON },
    // Dashed, as its line (ECharts' default key is a line through a dot the line does not have).
    { name: 'Model E[delay]', icon: DASHED_ICON },
    { name: MODEL_BAND, icon: 'rect' },
    ...compare.map((c) => ({ name: c.name })),
  ];
  return {
    ...chartFrame(result, options, {
      title: result.title,
      categories,
      legend,
      yName: 'Delay (s)',
      format: (value) => `${formatDelay(value)} s`,
    }),
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
        name: MODEL_BAND,
        type: 'line',
        data: width,
        stack: 'model-band',
        lineStyle: { opacity: 0 },
        areaStyle: { color: palette.band },
        itemStyle: { color: palette.band },
        symbol: 'none',
        silent: true,
        tooltip: { show: false },
      },
      {
        name: 'Model E[delay]',
        type: 'line',
        data: model,
        lineStyle: { type: 'dashed', width: 2, color: palette.model },
        itemStyle: { color: palette.model },
        symbol: 'none',
        z: 4,
      },
      {
        name: 'Min-max of runs',
        type: 'custom',
        data: bars,
        itemStyle: { color: palette.measured },
        encode: { x: 0, y: [1, 2] },
        renderItem: (_params, api) => {
          const x = api.value(0) as number;
          const top = api.coord([x, api.value(2)]) as number[];
          const bottom = api.coord([x, api.value(1)]) as number[];
          const half = Math.min(8, (api.size!([1, 0]) as number[])[0]! * 0.15);
          const style = { stroke: palette.measured, lineWidth: 1.6 };
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
        lineStyle: { width: 2, color: palette.measured },
        itemStyle: { color: palette.measured },
        symbol: 'circle',
        symbolSize: 8,
        z: 6,
      },
      ...compare,
    ],
  };
}
