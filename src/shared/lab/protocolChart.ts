// The charts of the protocol studies (4 and 5) as Apache ECharts options, one series per protocol: the delay
// (measured means; stop-and-wait's model as a dashed line, the only delay model there is), and the transmissions
// per segment to one receiver (measured, and each protocol's expectation as a dashed line). In the window study
// stop-and-wait, whose window is 1, is a horizontal reference line across the windows. Pure, like chart.ts.
import type { EChartsOption, LineSeriesOption } from 'echarts';
import { PROTOCOLS, type Protocol } from '../limits.js';
import {
  chartFrame,
  DASHED_ICON,
  DOTTED_ICON,
  formatDelay,
  LIGHT_CHART,
  seconds,
  type ChartOptions,
  type ChartPalette,
} from './chart.js';
import { protocolName, transmissionsLabel } from './protocolModel.js';
import type { ChartKind } from './studyCharts.js';
import {
  expectedTransmissionsAt,
  measuredTransmissions,
  type PointResult,
  type StudyResult,
} from './results.js';
import { formatX, isReference, protocolsOf } from './studies.js';

/** A protocol's colour (the palette's protocols, in PROTOCOLS order; the first is the course charts' measured). */
export const protocolColor = (protocol: Protocol, palette: ChartPalette = LIGHT_CHART): string =>
  palette.protocols[PROTOCOLS.indexOf(protocol) % palette.protocols.length]!;

/** A point's figure for the metric: measured, or the model's expectation (null where there is none). */
function figure(point: PointResult, metric: ChartKind, expected: boolean): number | null {
  if (metric === 'delay') return seconds(expected ? point.model?.expectedMs : point.stats?.meanMs);
  return expected ? expectedTransmissionsAt(point.point) : measuredTransmissions(point);
}

const line = (
  name: string,
  color: string,
  data: (number | null)[],
  kind: 'measured' | 'expected' | 'reference' | 'earlier',
): LineSeriesOption => ({
  name,
  type: 'line',
  data,
  connectNulls: true,
  itemStyle: { color },
  lineStyle: {
    color,
    width: kind === 'earlier' ? 1.5 : 2,
    type: kind === 'measured' ? 'solid' : kind === 'reference' ? 'dotted' : 'dashed',
    ...(kind === 'earlier' ? { opacity: 0.6 } : {}),
  },
  symbol: kind === 'measured' ? 'circle' : kind === 'earlier' ? 'diamond' : 'none',
  symbolSize: kind === 'measured' ? 8 : 7,
  z: kind === 'measured' ? 6 : 4,
});

/** Per protocol, its figures at the categories; a reference point's figure at every category. */
function byProtocol(
  result: StudyResult,
  categories: readonly string[],
  value: (point: PointResult) => number | null,
): { protocol: Protocol; reference: boolean; data: (number | null)[] }[] {
  return protocolsOf(result.points.map((p) => p.point)).map((protocol) => {
    const points = result.points.filter((point) => point.point.protocol === protocol);
    const reference = points.every((point) => isReference(result.variable, point.point));
    if (reference) {
      const at = value(points[0]!);
      return { protocol, reference, data: categories.map(() => at) };
    }
    const atX = new Map(points.map((point) => [formatX(result.variable, point.x), point]));
    return {
      protocol,
      reference,
      data: categories.map((category) => {
        const point = atX.get(category);
        return point ? value(point) : null;
      }),
    };
  });
}

const sameData = (a: readonly (number | null)[], b: readonly (number | null)[]): boolean =>
  a.length === b.length && a.every((value, i) => value === b[i]);

/** The chart of one metric of a protocol study. */
export function protocolChartOption(
  result: StudyResult,
  metric: ChartKind,
  options: ChartOptions = {},
): EChartsOption {
  const palette = options.palette ?? LIGHT_CHART;
  const colour = (protocol: Protocol): string => protocolColor(protocol, palette);
  const categories = [
    ...new Set(
      result.points
        .filter((point) => !isReference(result.variable, point.point))
        .map((point) => formatX(result.variable, point.x)),
    ),
  ];
  const measured = byProtocol(result, categories, (point) => figure(point, metric, false)).map((m) =>
    line(
      // Measured lines go by the protocol's name alone: the expectations say that they are.
      `${protocolName(m.protocol)}${m.reference ? ' (W = 1)' : ''}`,
      colour(m.protocol),
      m.data,
      m.reference ? 'reference' : 'measured',
    ),
  );
  // Expectations: protocols whose lines coincide (stop-and-wait's and Selective Repeat's 1/(1-q)) share one.
  const expectedLines: { protocols: Protocol[]; data: (number | null)[] }[] = [];
  for (const e of byProtocol(result, categories, (point) => figure(point, metric, true))) {
    if (e.data.every((value) => value === null)) continue;
    const same = expectedLines.find((other) => sameData(other.data, e.data));
    if (same) same.protocols.push(e.protocol);
    else expectedLines.push({ protocols: [e.protocol], data: e.data });
  }
  const expected = expectedLines.map(({ protocols, data }) =>
    line(
      `${protocols.map(protocolName).join(', ')}: ${
        metric === 'delay' ? 'model E[delay]' : transmissionsLabel(protocols[0]!)
      }`,
      protocols.length > 1 ? palette.shared : colour(protocols[0]!),
      data,
      'expected',
    ),
  );
  const earlier = (options.compare ?? []).flatMap((run) =>
    byProtocol(run, categories, (point) => figure(point, metric, false)).map((m) =>
      line(
        // startedAt is UTC: said so, or it reads as the viewer's local time.
        `${protocolName(m.protocol)}, run of ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
        colour(m.protocol),
        m.data,
        'earlier',
      ),
    ),
  );
  const series = [...measured, ...expected, ...earlier];
  return {
    ...chartFrame(result, options, {
      title: metric === 'delay' ? result.title : `${result.title}: transmissions per segment`,
      categories,
      // A row each: the measurements, the expectations, earlier runs.
      legend: [measured, expected, earlier]
        .filter((row) => row.length > 0)
        .map((row) =>
          row.map((s) => ({
            name: String(s.name),
            ...(s.symbol === 'none'
              ? { icon: s.lineStyle?.type === 'dotted' ? DOTTED_ICON : DASHED_ICON }
              : {}),
          })),
        ),
      ...(metric === 'delay'
        ? { yName: 'Delay (s)', format: (value: number) => `${formatDelay(value)} s` }
        : {
            // Every segment goes out at least once.
            yName: 'Transmissions per segment and receiver',
            yMin: 1,
            format: (value: number) => value.toFixed(3),
          }),
    }),
    series,
  };
}
