// The studies as data, results, CSV, saved records, the ECharts option and its images: no network.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/shared/errors.js';
import { labStudy, reduceStudy } from '../../src/shared/lab/studies.js';
import { CSV_COLUMNS, studyCsv } from '../../src/shared/lab/csv.js';
import {
  defaultSettings,
  emptyStudyResult,
  estimateRemainingMs,
  withRoundTime,
  withRun,
  type LabRecord,
  type RunResult,
  type StudyResult,
} from '../../src/shared/lab/results.js';
import { parseLabRecord, recordFileName } from '../../src/shared/lab/record.js';
import { DASHED_ICON, studyChartOption } from '../../src/shared/lab/chart.js';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  chartPng,
  chartPngRenderer,
  chartSvg,
  findChartFonts,
} from '../../src/shared/node/chartImage.js';

const settings = defaultSettings({ fileSize: 10_000, timeoutMs: 10, repeat: 2, seed: 5 });
const run = (i: number, delayMs: number, timeoutRounds = 3): RunResult => ({
  run: i,
  ok: true,
  delayMs,
  timeoutRounds,
  seeds: [1, 2, 3],
});

/** Study 3 with a round time and two runs at its first three points. */
function sample(): StudyResult {
  const result = emptyStudyResult(labStudy(3), settings, '2025-01-01T10:00:00.000Z');
  return {
    ...result,
    points: result.points.map((point, i) => {
      const calibrated = withRoundTime(point, 0.15, settings);
      return i < 3 ? withRun(withRun(calibrated, run(0, 40 + i * 10)), run(1, 60 + i * 10)) : calibrated;
    }),
  };
}

describe('the course studies', () => {
  it('have the grids of the course', () => {
    expect(labStudy(1).points.map((p) => [p.n, p.mss, p.p])).toEqual(
      [1, 2, 3, 4, 5].map((n) => [n, 500, 0.05]),
    );
    expect(labStudy(2).points.map((p) => p.mss)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(labStudy(2).points.every((p) => p.n === 3 && p.p === 0.05)).toBe(true);
    expect(labStudy(3).points.map((p) => p.p)).toEqual([
      0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1,
    ]);
    expect(labStudy(3).points.every((p) => p.n === 3 && p.mss === 500)).toBe(true);
  });

  it('can be reduced to some of their points', () => {
    expect(reduceStudy(labStudy(1), [1, 3]).points.map((p) => p.n)).toEqual([1, 3]);
    expect(() => reduceStudy(labStudy(1), [7])).toThrow(InputError);
  });
});

describe('results', () => {
  it('keep runs immutably with their statistics and the model', () => {
    const point = withRoundTime(emptyStudyResult(labStudy(1), settings, '').points[2]!, 0.2, settings);
    expect(point.chunks).toBe(20);
    expect(point.segments).toBe(21);
    expect(point.model!.expectedMs).toBeGreaterThan(21 * 0.2);
    const one = withRun(point, run(0, 50, 2));
    const two = withRun(one, { ...run(1, 70, 4) });
    const failed = withRun(two, { ...run(2, 5, 0), ok: false, failure: 'x' });
    expect(one.runs).toHaveLength(1);
    expect(point.runs).toHaveLength(0);
    expect(failed.stats).toMatchObject({ runs: 2, meanMs: 60, minMs: 50, maxMs: 70, meanTimeouts: 3 });
    expect(failed.stats!.sdMs).toBeCloseTo(Math.SQRT2 * 10, 9);
  });

  it('estimate the remaining time from the work done so far', () => {
    expect(estimateRemainingMs(0, 100, 5)).toBeNull();
    expect(estimateRemainingMs(25, 100, 1000)).toBe(3000);
    expect(estimateRemainingMs(100, 100, 1000)).toBe(0);
  });
});

describe('CSV', () => {
  it('has one row per point with every column', () => {
    const lines = studyCsv(sample()).trimEnd().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(11);
    const rows = lines.slice(1).map((line) => line.split(','));
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
    const col = (name: (typeof CSV_COLUMNS)[number]): number => CSV_COLUMNS.indexOf(name);
    expect(rows[0]![col('x')]).toBe('0.01');
    expect(rows[9]![col('x')]).toBe('0.10');
    expect(rows[0]![col('mean_delay_ms')]).toBe('50.000');
    expect(rows[0]![col('delays_ms')]).toBe('40.000 60.000');
    expect(rows[0]![col('chunks')]).toBe('20');
    // (50 ms mean - 21 segments x 0.15 ms) / 3 timeouts - 10 ms T
    expect(Number(rows[0]![col('timer_late_ms')])).toBeCloseTo((50 - 21 * 0.15) / 3 - 10, 3);
    expect(Number(rows[0]![col('model_delay_ms')])).toBeGreaterThan(0);
    // points without runs: empty measurements, model present
    expect(rows[5]![col('mean_delay_ms')]).toBe('');
    expect(rows[5]![col('ok_runs')]).toBe('0');
    expect(Number(rows[5]![col('expected_rounds')])).toBeGreaterThan(1);
  });
});

describe('saved records', () => {
  const record: LabRecord = {
    format: 'p2mp-lab',
    version: 1,
    createdAt: '2025-01-01T10:00:00.000Z',
    settings,
    environment: { node: 'v20', platform: 'linux-x64', cpus: 2 },
    cancelled: false,
    studies: [sample()],
  };

  it('read back what was written', () => {
    expect(parseLabRecord(JSON.stringify(record))).toEqual(record);
    expect(recordFileName(record.createdAt)).toBe('lab-2025-01-01T10-00-00-000Z.json');
  });

  it('refuse what is not one, in words', () => {
    expect(() => parseLabRecord('{')).toThrow(/not JSON/);
    expect(() => parseLabRecord('{"format":"x"}')).toThrow(/p2mp-lab/);
    expect(() => parseLabRecord(JSON.stringify({ ...record, version: 2 }))).toThrow(/version 2/);
    expect(() => parseLabRecord(JSON.stringify({ ...record, studies: [{ id: 9, points: [] }] }))).toThrow(
      InputError,
    );
  });
});

describe('the chart option', () => {
  it('draws the mean, min-max bars, the model and its band, with axes named for the study', () => {
    const option = studyChartOption(sample());
    const series = option.series as { name: string; type: string; data: unknown[] }[];
    const byName = (name: string) => series.find((s) => s.name === name)!;
    expect(byName('Measured mean').data.slice(0, 4)).toEqual([0.05, 0.06, 0.07, null]);
    expect(byName('Min-max of runs').data).toEqual([
      [0, 0.04, 0.06],
      [1, 0.05, 0.07],
      [2, 0.06, 0.08],
    ]);
    expect(byName('Model E[delay]').data.every((v) => typeof v === 'number' && v > 0)).toBe(true);
    expect(byName('Model ± sd of a run').type).toBe('line');
    // Each key drawn as its line is: the model's dashed, with no dot (its line has none).
    // One legend, or one per line.
    const legends = [option.legend].flat() as { data?: { name: string; icon?: string }[] }[];
    const key = (name: string) => legends.flatMap((l) => l.data ?? []).find((d) => d.name === name);
    expect(byName('Model E[delay]')).toMatchObject({ symbol: 'none', lineStyle: { type: 'dashed' } });
    expect(DASHED_ICON).toMatch(/^path:\/\//);
    expect(key('Model E[delay]')?.icon).toBe(DASHED_ICON);
    expect((option.xAxis as { name: string; data: string[] }).name).toBe('Loss probability p');
    expect((option.xAxis as { data: string[] }).data[0]).toBe('0.01');
    expect((option.yAxis as { name: string }).name).toBe('Delay (s)');
    expect(JSON.stringify(option.title)).toContain('Study 3');
    for (const id of [1, 2] as const) {
      const axis = studyChartOption(emptyStudyResult(labStudy(id), settings, '')).xAxis as {
        name: string;
      };
      expect(axis.name).toBe(id === 1 ? 'Receivers n' : 'MSS (bytes)');
    }
  });

  it('overlays earlier runs of the same study', () => {
    const earlier = { ...sample(), startedAt: '2024-12-31T09:30:00.000Z' };
    const option = studyChartOption(sample(), { compare: [earlier] });
    const names = (option.series as { name: string }[]).map((s) => s.name);
    expect(names).toContain('Mean, run of 2024-12-31 09:30 UTC');
  });

  it('renders to SVG and PNG without a browser', async () => {
    const svg = chartSvg(studyChartOption(sample()));
    expect(svg).toContain('<svg');
    expect(svg).toContain('Loss probability p');
    const png = await chartPng(studyChartOption(sample()));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: twice the chart's size.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * CHART_WIDTH, 2 * CHART_HEIGHT]);
    expect(png.length).toBeGreaterThan(20_000);
  });

  it('looks the fonts up on the first PNG only, and draws the text with them', async () => {
    const option = studyChartOption(sample());
    let lookups = 0;
    const render = chartPngRenderer(() => {
      lookups++;
      return findChartFonts();
    });
    const first = await render(option);
    const second = await render(option);
    expect(lookups).toBe(1);
    expect(second.equals(first)).toBe(true);
    // The same chart without a font has no text (title, axis names, ticks, legend): half the bytes, about.
    const textless = await chartPngRenderer(async () => ({ family: 'none', files: [] }))(option);
    expect(first.length).toBeGreaterThan(1.5 * textless.length);
  });

  it('finds the first installed family of the charts by file name, regular and bold', async () => {
    const root = await mkdtemp(join(tmpdir(), 'p2mp-fonts-'));
    try {
      const touch = async (path: string) => {
        await mkdir(join(root, dirname(path)), { recursive: true });
        await writeFile(join(root, path), '');
      };
      await touch('windows/Fonts/arial.ttf');
      await touch('windows/Fonts/arialbd.ttf');
      expect(await findChartFonts([join(root, 'missing'), join(root, 'windows')])).toEqual({
        family: 'Arial',
        files: [join(root, 'windows/Fonts/arial.ttf'), join(root, 'windows/Fonts/arialbd.ttf')],
      });
      // DejaVu comes first in the charts' font list, wherever it is.
      await touch('share/fonts/truetype/dejavu/DejaVuSans.ttf');
      await touch('share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf');
      await touch('share/fonts/truetype/dejavu/DejaVuSansMono.ttf');
      expect(await findChartFonts([join(root, 'windows'), join(root, 'share')])).toEqual({
        family: 'DejaVu Sans',
        files: [
          join(root, 'share/fonts/truetype/dejavu/DejaVuSans.ttf'),
          join(root, 'share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'),
        ],
      });
      expect(await findChartFonts([join(root, 'missing')])).toBeNull();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
