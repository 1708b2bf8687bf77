// The protocol studies (4: each protocol over p; 5: the windowed ones over W) as data: their plans, results,
// CSV, saved records and charts. No network: the real runs are in cli.test.ts.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/shared/errors.js';
import { DEFAULT_WINDOW, PROTOCOLS } from '../../src/shared/limits.js';
import { CSV_COLUMNS, EXPECTATION_COLUMNS, studyCsv } from '../../src/shared/lab/csv.js';
import { protocolChartOption } from '../../src/shared/lab/protocolChart.js';
import { expectedTransmissions, isWindowed, protocolName } from '../../src/shared/lab/protocolModel.js';
import { parseLabRecord } from '../../src/shared/lab/record.js';
import {
  defaultSettings,
  emptyStudyResult,
  expectedWorkMs,
  measuredTransmissions,
  withRoundTime,
  withRun,
  type RunResult,
  type StudyResult,
} from '../../src/shared/lab/results.js';
import { chartFileName, chartKindsOf, studyCharts } from '../../src/shared/lab/studyCharts.js';
import {
  COURSE_STUDY_IDS,
  labStudy,
  pointLabel,
  reduceStudy,
  STUDY_IDS,
  STUDY_LOSSES,
  STUDY_WINDOWS,
  type StudyId,
} from '../../src/shared/lab/studies.js';

const settings = defaultSettings({ fileSize: 10_000, timeoutMs: 10, repeat: 2, seed: 5 });
const WINDOWED = PROTOCOLS.filter(isWindowed);

const run = (i: number, delayMs: number, retransmissions: number): RunResult => ({
  run: i,
  ok: true,
  delayMs,
  timeoutRounds: 2,
  retransmissions,
  seeds: [1, 2, 3],
});

/** A study with every point calibrated and, where `runs` says, two runs with the given retransmissions. */
function measured(id: StudyId, retransmissions: (index: number) => number | null): StudyResult {
  const result = emptyStudyResult(labStudy(id), settings, '2026-01-01T10:00:00.000Z');
  return {
    ...result,
    points: result.points.map((point, i) => {
      const calibrated = withRoundTime(point, 0.2, settings);
      const r = retransmissions(i);
      return r === null
        ? calibrated
        : withRun(withRun(calibrated, run(0, 40 + i, r)), run(1, 60 + i, r + 21));
    }),
  };
}

interface Series {
  name: string;
  data: (number | null)[];
  lineStyle: { type: string; color: string };
  symbol: string;
}

describe('the plans of the protocol studies', () => {
  it('study 4: every protocol at each p, n 3, MSS 500, the default window for the windowed ones', () => {
    const study = labStudy(4);
    expect(study.variable).toBe('p');
    expect(STUDY_LOSSES).toEqual([0, 0.01, 0.02, 0.05, 0.1, 0.2]);
    expect(study.points.map((p) => [p.p, p.protocol])).toEqual(
      STUDY_LOSSES.flatMap((p) => PROTOCOLS.map((protocol) => [p, protocol])),
    );
    for (const point of study.points) {
      expect([point.n, point.mss]).toEqual([3, 500]);
      expect(point.window).toBe(isWindowed(point.protocol) ? DEFAULT_WINDOW : 1);
    }
  });

  it('study 5: the windowed protocols at W = 1..64, stop-and-wait once as the reference, at p 0.05', () => {
    const study = labStudy(5);
    expect(study.variable).toBe('window');
    expect(STUDY_WINDOWS).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(study.points[0]).toEqual({ n: 3, mss: 500, p: 0.05, protocol: 'saw', window: 1 });
    expect(study.points.slice(1).map((p) => [p.window, p.protocol])).toEqual(
      STUDY_WINDOWS.flatMap((w) => WINDOWED.map((protocol) => [w, protocol])),
    );
    expect(study.points.every((p) => p.n === 3 && p.mss === 500 && p.p === 0.05)).toBe(true);
  });

  it('keep the course studies stop-and-wait, and the course ones first', () => {
    expect(STUDY_IDS).toEqual([1, 2, 3, 4, 5]);
    expect(COURSE_STUDY_IDS).toEqual([1, 2, 3]);
    for (const id of COURSE_STUDY_IDS)
      expect(labStudy(id).points.every((p) => p.protocol === 'saw' && p.window === 1)).toBe(true);
  });

  it('reduce to some windows, keeping the reference; refuse a grid with no point of the study', () => {
    const reduced = reduceStudy(labStudy(5), [4, 16]);
    expect(reduced.points.map((p) => `${p.protocol}/${p.window}`)).toEqual([
      'saw/1',
      ...[4, 16].flatMap((w) => WINDOWED.map((protocol) => `${protocol}/${w}`)),
    ]);
    expect(() => reduceStudy(labStudy(5), [3])).toThrow(InputError);
    expect(reduceStudy(labStudy(4), [0.05]).points.map((p) => p.protocol)).toEqual([...PROTOCOLS]);
  });

  it('name a point by its protocol where the study compares them', () => {
    const four = labStudy(4);
    const gbn = four.points.find((p) => p.protocol === 'gbn' && p.p === 0.2)!;
    expect(pointLabel('p', four.points, gbn)).toBe(`gbn W ${DEFAULT_WINDOW}, p = 0.20`);
    expect(pointLabel('p', four.points, four.points[0]!)).toBe('saw, p = 0.00');
    const five = labStudy(5);
    expect(pointLabel('window', five.points, five.points.at(-1)!)).toBe(`${WINDOWED.at(-1)}, window = 64`);
    expect(pointLabel('n', labStudy(1).points, labStudy(1).points[2]!)).toBe('n = 3');
  });
});

describe('results of the protocol studies', () => {
  it("give the delay model to stop-and-wait only, and weigh the others' runs by it for the ETA", () => {
    const study = measured(4, () => null);
    const at = (protocol: string, p: number) =>
      study.points.find((point) => point.point.protocol === protocol && point.point.p === p)!;
    expect(at('saw', 0.05).model!.expectedMs).toBeGreaterThan(0);
    for (const protocol of WINDOWED) {
      expect(at(protocol, 0.05).model).toBeNull();
      expect(at(protocol, 0.05).roundTimeMs).toBe(0.2);
      expect(expectedWorkMs(at(protocol, 0.05), settings)).toBe(at('saw', 0.05).model!.expectedMs);
    }
  });

  it('measure transmissions per segment and receiver: 1 + retransmissions / (n x segments)', () => {
    const study = measured(4, (i) => (i === 0 ? 42 : null));
    const point = study.points[0]!;
    expect(point.segments).toBe(21);
    // Two runs, 42 and 63 retransmissions over 3 receivers x 21 segments.
    expect(measuredTransmissions(point)).toBeCloseTo((1 + 42 / 63 + 1 + 63 / 63) / 2, 12);
    expect(measuredTransmissions(study.points[1]!)).toBeNull();
    // Runs saved before retransmissions were kept say nothing about them.
    const { retransmissions: _dropped, ...old } = run(0, 10, 0);
    expect(measuredTransmissions(withRun(study.points[1]!, old))).toBeNull();
  });
});

describe('CSV of a protocol study', () => {
  it('has the protocol and window of every row, expectations where they exist and none where not', () => {
    const lines = studyCsv(measured(4, (i) => i))
      .trimEnd()
      .split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(rows).toHaveLength(STUDY_LOSSES.length * PROTOCOLS.length);
    const col = (name: (typeof CSV_COLUMNS)[number]): number => CSV_COLUMNS.indexOf(name);
    const row = (protocol: string, x: string) =>
      rows.find((r) => r[col('protocol')] === protocol && r[col('x')] === x)!;
    const saw = row('saw', '0.10');
    expect(saw[col('window')]).toBe('1');
    expect(Number(saw[col('model_delay_ms')])).toBeGreaterThan(0);
    expect(Number(saw[col('expected_rounds')])).toBeGreaterThan(1);
    expect(saw[col('expected_tx_per_segment')]).toBe((1 / 0.9).toFixed(4));
    const gbn = row('gbn', '0.10');
    expect(gbn[col('window')]).toBe(String(DEFAULT_WINDOW));
    for (const empty of [
      'model_delay_ms',
      'model_sd_ms',
      'model_timeouts',
      'expected_rounds',
      'timer_late_ms',
    ])
      expect(gbn[col(empty as (typeof CSV_COLUMNS)[number])]).toBe('');
    expect(gbn[col('expected_tx_per_segment')]).toBe(
      expectedTransmissions('gbn', 0.1, DEFAULT_WINDOW).toFixed(4),
    );
    expect(Number(gbn[col('mean_tx_per_segment')])).toBeGreaterThan(1);
    expect(EXPECTATION_COLUMNS).toEqual([
      'model_delay_ms',
      'model_sd_ms',
      'expected_rounds',
      'model_timeouts',
      'expected_tx_per_segment',
    ]);
  });
});

describe('saved records of before the protocol studies', () => {
  it('read back as stop-and-wait points', () => {
    const study = measured(1, () => 3);
    const old = {
      ...study,
      points: study.points.map(({ point: { protocol: _p, window: _w, ...point }, ...rest }) => ({
        ...rest,
        point,
      })),
    };
    const text = JSON.stringify({
      format: 'p2mp-lab',
      version: 1,
      createdAt: '2026-01-01T10:00:00.000Z',
      settings,
      environment: { node: 'v20', platform: 'linux-x64', cpus: 2 },
      cancelled: false,
      studies: [old],
    });
    const record = parseLabRecord(text);
    expect(record.studies[0]!.points.map((p) => [p.point.protocol, p.point.window])).toEqual(
      study.points.map(() => ['saw', 1]),
    );
    const bad = text.replace('"n":1', '"n":1,"protocol":"tcp"');
    expect(() => parseLabRecord(bad)).toThrow(/unknown protocol/);
  });
});

describe('the charts of a protocol study', () => {
  it('has two, delay and transmissions, named for their files; a course study one', () => {
    const four = measured(4, (i) => i);
    expect(chartKindsOf(four)).toEqual(['delay', 'transmissions']);
    expect(studyCharts(four).map((c) => chartFileName(four, c.kind, 'png'))).toEqual([
      'study-4.png',
      'study-4-transmissions.png',
    ]);
    expect(chartKindsOf(measured(1, () => 0))).toEqual(['delay']);
  });

  it('draws a measured line per protocol, and the delay model for stop-and-wait alone', () => {
    const four = measured(4, (i) => i);
    const option = protocolChartOption(four, 'delay');
    const series = option.series as Series[];
    expect(series.map((s) => s.name)).toEqual([
      ...PROTOCOLS.map(protocolName),
      'Stop-and-wait: model E[delay]',
    ]);
    expect((option.xAxis as { data: string[] }).data).toEqual(STUDY_LOSSES.map((p) => p.toFixed(2)));
    // Means in seconds: the runs of point i took 40 + i and 60 + i ms.
    expect(series[0]!.data).toEqual(STUDY_LOSSES.map((_, k) => (50 + k * PROTOCOLS.length) / 1000));
    expect(series.at(-1)!.lineStyle.type).toBe('dashed');
    expect(series.at(-1)!.symbol).toBe('none');
    expect((option.yAxis as { name: string; min: number }).min).toBe(0);
    // Each protocol its own colour, its expectation the same.
    expect(new Set(series.slice(0, PROTOCOLS.length).map((s) => s.lineStyle.color)).size).toBe(
      PROTOCOLS.length,
    );
    expect(series.at(-1)!.lineStyle.color).toBe(series[0]!.lineStyle.color);
    // The legend in two rows, measured then expected, one above the other and both below the plot; it shows an
    // expectation's line as it is drawn (dashed), not a marker it does not have.
    const rows = option.legend as { data: { name: string; icon?: string }[]; bottom: number }[];
    expect(rows.map((row) => row.data.map((item) => item.name))).toEqual([
      PROTOCOLS.map(protocolName),
      ['Stop-and-wait: model E[delay]'],
    ]);
    expect(rows[0]!.bottom).toBeGreaterThan(rows[1]!.bottom);
    expect((option.grid as { bottom: number }).bottom).toBeGreaterThan(rows[0]!.bottom + 24);
    expect(rows[1]!.data[0]!.icon).toMatch(/^path:\/\//);
    expect(rows[0]!.data[0]!.icon).toBeUndefined();
  });

  it("draws each protocol's expected transmissions; coinciding expectations share one line", () => {
    const four = measured(4, (i) => i);
    const series = protocolChartOption(four, 'transmissions').series as Series[];
    const expected = series.filter((s) => s.lineStyle.type === 'dashed');
    // Every protocol's expectation is drawn, once.
    const covered = expected.flatMap((s) => s.name.split(':')[0]!.split(', '));
    expect(covered.sort()).toEqual(PROTOCOLS.map(protocolName).sort());
    const gbn = expected.find((s) => s.name.startsWith('Go-Back-N'))!;
    // With three receivers the textbook figure is an upper estimate (fewer than W go again when the receiver
    // that lost a segment is not the one holding the window back), and the legend says so.
    expect(gbn.name).toBe('Go-Back-N: upper estimate 1 + Wq/(1−q)');
    expect(gbn.data).toEqual(STUDY_LOSSES.map((p) => expectedTransmissions('gbn', p, DEFAULT_WINDOW)));
    // Study 5 at W = 1 alone: Go-Back-N's expectation is stop-and-wait's, one line for both.
    const one = measured(5, () => 0);
    const w1 = { ...one, points: one.points.filter((p) => p.point.window === 1) };
    const shared = (protocolChartOption(w1, 'transmissions').series as Series[]).filter(
      (s) => s.lineStyle.type === 'dashed',
    );
    expect(shared).toHaveLength(1);
    expect(shared[0]!.name).toBe(`${PROTOCOLS.map(protocolName).join(', ')}: expected 1/(1−q)`);
  });

  it("draws an earlier run's measurements per protocol, thinner", () => {
    const earlier = { ...measured(4, (i) => 2 * i), startedAt: '2025-12-31T09:30:00.000Z' };
    const series = protocolChartOption(
      measured(4, (i) => i),
      'transmissions',
      { compare: [earlier] },
    ).series as Series[];
    const names = series.map((s) => s.name);
    for (const protocol of PROTOCOLS)
      expect(names).toContain(`${protocolName(protocol)}, run of 2025-12-31 09:30 UTC`);
    const gbn = series.find((s) => s.name === 'Go-Back-N, run of 2025-12-31 09:30 UTC')!;
    expect(gbn.data).toEqual(
      STUDY_LOSSES.map((_, k) => measuredTransmissions(earlier.points[k * PROTOCOLS.length + 1]!)),
    );
  });

  it('draws stop-and-wait across the windows as the W = 1 reference, and its model there', () => {
    const five = measured(5, (i) => 10 * i);
    const option = protocolChartOption(five, 'delay');
    expect((option.xAxis as { data: string[] }).data).toEqual(STUDY_WINDOWS.map(String));
    const series = option.series as Series[];
    const reference = series.find((s) => s.name === 'Stop-and-wait (W = 1)')!;
    expect(reference.lineStyle.type).toBe('dotted');
    expect(reference.data).toEqual(STUDY_WINDOWS.map(() => 0.05));
    const model = series.find((s) => s.name === 'Stop-and-wait: model E[delay]')!;
    expect(new Set(model.data).size).toBe(1);
    const transmissions = protocolChartOption(five, 'transmissions');
    expect((transmissions.yAxis as { name: string; min: number }).min).toBe(1);
    const gbn = (transmissions.series as Series[]).find((s) => s.name === 'Go-Back-N')!;
    expect(gbn.data.every((v) => v !== null && v > 1)).toBe(true);
    expect(JSON.stringify(transmissions.title)).toContain('transmissions per segment');
  });
});
