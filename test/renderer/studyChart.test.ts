// The Experiments chart as the app lays it out: the legend in a band of its own above the plot, its rows wrapped
// to the chart's width, and the axis titles below it, so the two never meet at any width.
import { describe, expect, it } from 'vitest';
import { appOption, LARGE_TYPE_SCALE } from '../../src/renderer/components/experiments/StudyChart';
import { LIGHT_CHART, type ChartPalette } from '../../src/shared/lab/chart';
import { studyChartOf } from '../../src/shared/lab/studyCharts';
import { labStudy } from '../../src/shared/lab/studies';
import { defaultSettings, emptyStudyResult } from '../../src/shared/lab/results';

const settings = defaultSettings({ fileSize: 102_400, timeoutMs: 20, repeat: 3, seed: 9 });
const study = (name: string) => ({
  ...emptyStudyResult(labStudy(2), settings, '2026-03-01T10:00:00.000Z'),
  name,
});

describe('appOption', () => {
  it('puts a one-line legend above the plot and the axis titles below it, with comparisons too', () => {
    const option = appOption(study('now'), [study('run A'), study('run B'), study('run C')]) as {
      legend: { type: string; top: number; bottom: string; data: unknown[] };
      grid: { top: number; bottom: number };
      xAxis: { nameLocation: string; nameGap: number };
    };
    expect(option.legend).toMatchObject({ type: 'scroll', top: 4, bottom: 'auto' });
    expect(option.legend.data).toHaveLength(4 + 3);
    // The legend's line (about 24 px from the top) ends above the plot; the x axis title sits below the plot.
    expect(option.grid.top).toBeGreaterThanOrEqual(34);
    expect(option.xAxis.nameLocation).toBe('middle');
    expect(option.grid.bottom).toBeGreaterThan(option.xAxis.nameGap + 13);
  });

  it("puts a protocol study's legend rows (measured, expected) one under the other above the plot", () => {
    const four = emptyStudyResult(labStudy(4), settings, '2026-03-01T10:00:00.000Z');
    const option = appOption(four, [], 'transmissions') as {
      legend: { type: string; top: number; bottom: string }[];
      grid: { top: number };
    };
    expect(option.legend.map((row) => [row.type, row.top, row.bottom])).toEqual([
      ['scroll', 4, 'auto'],
      ['scroll', 28, 'auto'],
    ]);
    expect(option.grid.top).toBeGreaterThanOrEqual(34 + 24);
  });
  // With Large type on a projector the page's text grew by a third and the chart's stayed at 12 px: its legend,
  // ticks and axis titles were the smallest text on the screen.
  it("grows the chart's text with Large type, its legend wrapped to the chart's width, and the room for them", () => {
    type Axis = { nameGap: number; nameTextStyle: { fontSize: number }; axisLabel: { fontSize: number } };
    type Row = { top: number; data: unknown[]; textStyle: { fontSize: number } };
    type Option = {
      legend: Row | Row[];
      grid: { top: number; bottom: number; left: number };
      xAxis: Axis;
      yAxis: Axis;
    };
    const normal = appOption(study('now'), []) as unknown as Option;
    // A 480-px chart, text measured at 0.6 of its size a letter.
    const fit = {
      width: 480,
      textWidth: (text: string, font: string) => 0.6 * parseFloat(font) * text.length,
    };
    const large = appOption(
      study('now'),
      [],
      'delay',
      LARGE_TYPE_SCALE,
      LIGHT_CHART,
      fit,
    ) as unknown as Option & {
      legend: Row[];
    };
    expect((normal.legend as Row).textStyle.fontSize).toBe(12);
    // The four keys (mean, min-max, model, band) in two lines of two, at 16 px, the plot under them.
    expect(large.legend.map((row) => [row.data.length, row.textStyle.fontSize])).toEqual([
      [2, 16],
      [2, 16],
    ]);
    expect(large.legend[1]!.top).toBe(4 + 32);
    expect(large.grid.top).toBeGreaterThanOrEqual(large.legend[1]!.top + 30);
    // Ticks and titles a third larger, the titles clear of the bigger tick labels.
    expect([large.xAxis.axisLabel.fontSize, large.yAxis.axisLabel.fontSize]).toEqual([16, 16]);
    expect([large.xAxis.nameTextStyle.fontSize, large.yAxis.nameTextStyle.fontSize]).toEqual([17, 17]);
    expect(large.yAxis.nameGap).toBeGreaterThan(normal.yAxis.nameGap);
    expect(large.grid.left).toBeGreaterThan(large.yAxis.nameGap + 17);
    expect(large.grid.bottom).toBeGreaterThan(large.xAxis.nameGap + 17);
  });

  // Compared with an earlier run, a protocol study's legend row of earlier runs was paged behind an arrow ("1/2"):
  // each row now wraps into lines that fit the chart, every key shown, the plot under the last line.
  it("wraps an earlier run's keys into lines that fit the chart, the plot under them", () => {
    type Row = { top: number; data: { name: string }[] };
    const four = emptyStudyResult(labStudy(4), settings, '2026-03-01T10:00:00.000Z');
    const earlier = { ...four, startedAt: '2026-02-01T10:00:00.000Z' };
    const width = 700;
    const textWidth = (text: string, font: string): number => 0.6 * parseFloat(font) * text.length;
    const option = appOption(four, [earlier], 'delay', 1, LIGHT_CHART, { width, textWidth }) as unknown as {
      legend: Row[];
      grid: { top: number };
    };
    const keys = option.legend.flatMap((row) => row.data.map((item) => item.name));
    expect(keys.filter((name) => name.includes('run of 2026-02-01 10:00 UTC'))).toHaveLength(3);
    for (const row of option.legend) {
      const used = row.data.reduce(
        (sum, item, i) => sum + (i > 0 ? 20 : 0) + 30 + textWidth(item.name, '12px'),
        0,
      );
      expect(used).toBeLessThanOrEqual(0.9 * width);
    }
    expect(option.legend.length).toBeGreaterThan(3);
    expect(option.grid.top).toBeGreaterThanOrEqual(option.legend.at(-1)!.top + 24);
  });

  // The chart stayed white in the dark theme: every colour it draws with now comes from the palette it is given
  // (the theme's CSS variables in the app); the exported PNG's, given none, is the light one.
  it("draws every part in the palette's colours: background, text, axes, grid, legend, tooltip and series", () => {
    const dark: ChartPalette = {
      background: '#101010',
      text: '#f0f0f0',
      muted: '#b0b0b0',
      axis: '#909090',
      grid: '#303030',
      inactive: '#505050',
      measured: '#56b4e9',
      model: '#ff8a4c',
      band: 'rgba(255, 138, 76, 0.25)',
      compare: ['#a1a1a1', '#a2a2a2', '#a3a3a3', '#a4a4a4'],
      protocols: ['#c1c1c1', '#c2c2c2', '#c3c3c3', '#c4c4c4', '#c5c5c5'],
      shared: '#d0d0d0',
    };
    type Axis = {
      nameTextStyle: { color: string };
      axisLabel: { color: string };
      axisLine: { lineStyle: { color: string } };
      splitLine?: { lineStyle: { color: string } };
    };
    type Series = { name: string; itemStyle?: { color: string }; lineStyle?: { color?: string } };
    type Row = {
      textStyle: { color: string };
      inactiveColor: string;
      pageIconColor: string;
      pageTextStyle: { color: string; fontSize: number };
    };
    type Option = {
      backgroundColor: string;
      textStyle: { color: string };
      legend: Row | Row[];
      tooltip: { backgroundColor: string; borderColor: string; textStyle: { color: string } };
      xAxis: Axis;
      yAxis: Axis;
      series: Series[];
    };
    const now = study('now');
    const earlier = { ...study('earlier'), startedAt: '2026-02-01T10:00:00.000Z' };
    const option = appOption(now, [earlier], 'delay', 1, dark) as unknown as Option;
    expect(option.backgroundColor).toBe(dark.background);
    expect(option.textStyle.color).toBe(dark.text);
    expect(option.tooltip).toMatchObject({
      backgroundColor: dark.background,
      borderColor: dark.axis,
      textStyle: { color: dark.text },
    });
    for (const axis of [option.xAxis, option.yAxis]) {
      expect(axis.nameTextStyle.color).toBe(dark.text);
      expect(axis.axisLabel.color).toBe(dark.muted);
      expect(axis.axisLine.lineStyle.color).toBe(dark.axis);
    }
    expect(option.yAxis.splitLine!.lineStyle.color).toBe(dark.grid);
    for (const row of [option.legend].flat())
      expect(row).toMatchObject({
        textStyle: { color: dark.text },
        inactiveColor: dark.inactive,
        pageIconColor: dark.text,
        pageTextStyle: { color: dark.text, fontSize: 12 },
      });
    const colour = (series: Series | undefined) => series?.lineStyle?.color ?? series?.itemStyle?.color;
    const byName = (name: string) => option.series.find((s) => s.name === name);
    expect(colour(byName('Measured mean'))).toBe(dark.measured);
    expect(colour(byName('Min-max of runs'))).toBe(dark.measured);
    expect(colour(byName('Model E[delay]'))).toBe(dark.model);
    expect(colour(byName('Model ± sd of a run'))).toBe(dark.band);
    expect(colour(option.series.find((s) => s.name.startsWith('Mean, run of')))).toBe(dark.compare[0]);

    // A protocol study: a line per protocol in the palette's protocol colours, the shared expectation in its own.
    const four = emptyStudyResult(labStudy(4), settings, '2026-03-01T10:00:00.000Z');
    const protocols = appOption(four, [], 'transmissions', 1, dark) as unknown as Option;
    expect(protocols.backgroundColor).toBe(dark.background);
    const lines = Object.fromEntries(protocols.series.map((s) => [s.name, colour(s)]));
    expect(lines).toMatchObject({
      'Stop-and-wait': dark.protocols[0],
      'Go-Back-N': dark.protocols[1],
      'Selective Repeat': dark.protocols[2],
    });
    expect(Object.values(lines)).toContain(dark.shared);

    // Given no palette (the exported PNG, in either theme): the light chart, white.
    const exported = studyChartOf(now, 'delay', { compare: [earlier] }) as unknown as Option;
    expect(exported.backgroundColor).toBe('#ffffff');
    expect(exported.backgroundColor).toBe(LIGHT_CHART.background);
    expect(colour(exported.series.find((s) => s.name === 'Measured mean'))).toBe(LIGHT_CHART.measured);
  });
});
