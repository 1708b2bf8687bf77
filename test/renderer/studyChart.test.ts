// The Experiments chart as the app lays it out: the legend in a band of its own above the plot, on one line
// (paged when it does not fit), and the axis titles below it, so the two never meet at any width.
import { describe, expect, it } from 'vitest';
import { appOption } from '../../src/renderer/components/experiments/StudyChart';
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
});
