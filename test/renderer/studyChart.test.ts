// The Experiments chart as the app lays it out: the legend in a band of its own above the plot, on one line
// (paged when it does not fit), and the axis titles below it, so the two never meet at any width.
import { describe, expect, it } from 'vitest';
import { appOption, LARGE_TYPE_SCALE } from '../../src/renderer/components/experiments/StudyChart';
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
  it("grows the chart's text with Large type, two legend keys a line, and the room for them", () => {
    type Axis = { nameGap: number; nameTextStyle: { fontSize: number }; axisLabel: { fontSize: number } };
    type Row = { top: number; data: unknown[]; textStyle: { fontSize: number } };
    type Option = {
      legend: Row | Row[];
      grid: { top: number; bottom: number; left: number };
      xAxis: Axis;
      yAxis: Axis;
    };
    const normal = appOption(study('now'), []) as unknown as Option;
    const large = appOption(study('now'), [], 'delay', LARGE_TYPE_SCALE) as unknown as Option & {
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
});
