// The Experiments screen under happy-dom: the lab batches folded into the store, the form's request, live
// progress, the chart (ECharts stood in: happy-dom has no canvas; the option is the real shared builder's) and
// table filling in point by point, export, and an earlier run shown and drawn over the charts.
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../src/renderer/App';
import { applyBatch } from '../../src/renderer/store/applyBatch';
import { applyLabBatch } from '../../src/renderer/store/lab';
import { useAppStore } from '../../src/renderer/store/appStore';
import type { LabBatch, LabRecordInfo, LabRequest, LabStatus } from '../../src/shared/contract';
import { DEFAULT_WINDOW } from '../../src/shared/limits';
import { expectedTransmissions } from '../../src/shared/lab/protocolModel';
import { labStudy, type StudyId } from '../../src/shared/lab/studies';
import {
  defaultSettings,
  emptyStudyResult,
  withRoundTime,
  withRun,
  type LabRecord,
} from '../../src/shared/lab/results';
import { installFakeApi } from './fakeApi';
import { resetAfterEach } from './setup';

interface Series {
  name: string;
  data: unknown[];
}

const charts = vi.hoisted(() => ({ options: [] as unknown[], created: 0, disposed: 0 }));
vi.mock('../../src/renderer/components/experiments/chartEngine', () => ({
  createChart: () => {
    charts.created++;
    return {
      setOption: (option: unknown) => void charts.options.push(option),
      resize: () => undefined,
      dispose: () => void charts.disposed++,
    };
  },
}));

resetAfterEach();

const settings = defaultSettings({ fileSize: 102_400, timeoutMs: 20, repeat: 3, seed: 9 });

function recordOf(ids: StudyId[], createdAt = '2026-03-01T10:00:00.000Z'): LabRecord {
  return {
    format: 'p2mp-lab',
    version: 1,
    createdAt,
    settings,
    environment: { node: 'v20', platform: 'linux-x64', cpus: 2 },
    cancelled: false,
    studies: ids.map((id) => {
      const study = emptyStudyResult(labStudy(id), settings, createdAt);
      return { ...study, points: study.points.map((p) => withRoundTime(p, 0.25, settings)) };
    }),
  };
}

const status = (patch: Partial<LabStatus> = {}): LabStatus => ({
  phase: 'running',
  calibrating: null,
  progress: null,
  estimatedMs: null,
  failedRuns: 0,
  error: null,
  savedId: null,
  ...patch,
});

const batch = (patch: Partial<LabBatch> = {}): LabBatch => ({
  fresh: false,
  status: status(),
  record: null,
  points: [],
  ...patch,
});

const lastOption = () => charts.options.at(-1) as { series: Series[] };
const seriesOf = (name: string) => lastOption().series.find((s) => s.name === name)!;

describe('lab batches in the store', () => {
  it('takes a whole record, then point updates, and forgets it all on a fresh run', () => {
    const record = recordOf([2]);
    let view = applyLabBatch(null, batch({ fresh: true, record }));
    expect(view.record).toBe(record);
    const point = withRun(record.studies[0]!.points[4]!, {
      run: 0,
      ok: true,
      delayMs: 400,
      timeoutRounds: 3,
      seeds: [1, 2, 3],
    });
    view = applyLabBatch(view, batch({ points: [{ study: 2, index: 4, result: point }] }));
    expect(view.record!.studies[0]!.points[4]!.stats!.meanMs).toBe(400);
    expect(view.record!.studies[0]!.points[3]).toBe(record.studies[0]!.points[3]);
    expect(record.studies[0]!.points[4]!.runs).toEqual([]); // not changed in place
    // An update for a point the record does not have is ignored.
    expect(applyLabBatch(view, batch({ points: [{ study: 1, index: 0, result: point }] })).record).toEqual(
      view.record,
    );
    view = applyLabBatch(view, batch({ fresh: true, status: status({ phase: 'calibrating' }) }));
    expect(view.record).toBeNull();
  });

  it('leaves the lab untouched by batches without it', () => {
    const state = applyBatch({ senders: {}, receivers: {} }, { senders: {}, receivers: {}, lab: batch() });
    expect(state.lab!.status.phase).toBe('running');
    const next = applyBatch(state, { senders: {}, receivers: {} });
    expect('lab' in next).toBe(false);
  });
});

describe('Experiments screen', () => {
  it('starts the chosen study, shows progress with ETA, fills the chart and table live, exports', async () => {
    charts.options = [];
    const api = installFakeApi({ mode: 'experiments' });
    api.answers['lab:export'] = () => '/home/teacher/study-2.csv';
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Experiments' })).toBeTruthy();
    expect(screen.getByText('No results yet: start an experiment.')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Study'), { target: { value: '2' } });
    fireEvent.change(screen.getByLabelText(/Repeat K/), { target: { value: '0' } });
    expect(screen.getByText('repeat K must be a whole number from 1 to 100')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Repeat K/), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText('Timeout T'), { target: { value: '0.02' } });
    fireEvent.change(screen.getByLabelText('Size'), { target: { value: '100' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() =>
      expect(api.calls.find((c) => c.channel === 'lab:start')?.payload).toEqual({
        studies: [2],
        repeat: 3,
        file: null,
        fileSize: 102_400,
        timeoutMs: 20,
        seed: null,
      }),
    );

    api.push({
      senders: {},
      receivers: {},
      lab: batch({
        fresh: true,
        status: status({ phase: 'calibrating', calibrating: { n: 3, mss: 100, index: 1, of: 10 } }),
      }),
    });
    expect(screen.getByText('Measuring the loss-free round time at n = 3, MSS 100 (1 of 10)…')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Start' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Cancel' }) as HTMLButtonElement).disabled).toBe(false);

    // Calibrated: the chart starts with the model curve, no measurements yet.
    const record = recordOf([2]);
    api.push({
      senders: {},
      receivers: {},
      lab: batch({ status: status({ estimatedMs: 60_000 }), record }),
    });
    expect(charts.created).toBeGreaterThan(0);
    expect(seriesOf('Model E[delay]').data.every((v) => typeof v === 'number' && v > 0)).toBe(true);
    expect(seriesOf('Measured mean').data.every((v) => v === null)).toBe(true);

    // A run finishes at MSS 300: its mean appears in the chart and the table, with progress and ETA.
    const point = withRun(record.studies[0]!.points[2]!, {
      run: 0,
      ok: true,
      delayMs: 1234,
      timeoutRounds: 20,
      seeds: [1, 2, 3],
    });
    api.push({
      senders: {},
      receivers: {},
      lab: batch({
        status: status({
          estimatedMs: 60_000,
          progress: { study: 2, point: 2, run: 0, fraction: 0.25, elapsedMs: 15_000, etaMs: 45_000 },
        }),
        points: [{ study: 2, index: 2, result: point }],
      }),
    });
    expect(seriesOf('Measured mean').data[2]).toBeCloseTo(1.234, 6);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');
    expect(screen.getByTestId('lab-eta').textContent).toBe('0:45');
    expect(screen.getByText('Study 2: mss = 300, run 1 of 3')).toBeTruthy();
    const table = screen.getByTestId('study-table-2');
    const row = within(table).getByRole('rowheader', { name: '300' }).closest('tr')!;
    expect(within(row).getByTestId('mean').textContent).toBe('1.23');
    expect(
      within(table)
        .getAllByTestId('mean')
        .filter((c) => c.textContent !== '–'),
    ).toHaveLength(1);

    // Done and saved: the list of saved runs is asked for again.
    const before = api.calls.filter((c) => c.channel === 'lab:records').length;
    api.push({
      senders: {},
      receivers: {},
      lab: batch({ status: status({ phase: 'done', savedId: 'lab-2026-03-01T10-00-00-000Z.json' }) }),
    });
    expect(screen.getByText('Done: 1 run, saved.')).toBeTruthy();
    await waitFor(() =>
      expect(api.calls.filter((c) => c.channel === 'lab:records').length).toBeGreaterThan(before),
    );
    // Another saved run chosen under Results: the line over it says whose run it counted.
    act(() => useAppStore.setState({ labShown: { id: 'lab-older.json', record: recordOf([1, 2, 3]) } }));
    expect(
      screen.getByText("This session's run: done: 1 run, saved. The results below are of another run."),
    ).toBeTruthy();
    act(() => useAppStore.setState({ labShown: null }));
    expect(screen.getByText('Done: 1 run, saved.')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Export study 2 as CSV' }));
    expect(await screen.findByText('Saved /home/teacher/study-2.csv')).toBeTruthy();
    expect(api.calls.find((c) => c.channel === 'lab:export')!.payload).toEqual({
      record: null,
      study: 2,
      format: 'csv',
      compare: null,
    });
  });

  it('opens on the newest saved run and draws an earlier one over it', async () => {
    charts.options = [];
    const api = installFakeApi({ mode: 'experiments', labGrid: { '1': [1, 3] } });
    const newer = recordOf([1], '2026-03-02T09:30:00.000Z');
    const older = recordOf([1], '2026-03-01T08:00:00.000Z');
    const first = newer.studies[0]!;
    newer.studies[0] = {
      ...first,
      points: first.points.map((p) =>
        withRun(p, { run: 0, ok: true, delayMs: 500, timeoutRounds: 2, seeds: [1] }),
      ),
    };
    // The earlier run sent a smaller file: its delays read as faster, and the view says why they do not compare.
    newer.studies[0] = { ...newer.studies[0]!, settings: { ...first.settings, fileSize: 1 << 20 } };
    older.studies[0] = { ...older.studies[0]!, settings: { ...first.settings, fileSize: 4096 } };
    const infos: LabRecordInfo[] = [newer, older].map((r, i) => ({
      id: `lab-${i}.json`,
      createdAt: r.createdAt,
      cancelled: false,
      settings: r.settings,
      studies: [1],
    }));
    api.answers['lab:records'] = () => infos;
    api.answers['lab:record'] = (payload) =>
      (payload as { id: string }).id === 'lab-0.json' ? newer : older;
    render(<App />);
    expect(await screen.findByTestId('lab-grid')).toBeTruthy();
    expect(screen.getByTestId('lab-grid').textContent).toContain('study 1 at 1, 3');
    await screen.findByTestId('study-chart-1');
    expect((screen.getByLabelText('Results') as HTMLSelectElement).value).toBe('lab-0.json');
    expect(screen.getByTestId('study-chart-1').getAttribute('data-measured')).toBe('5');
    expect(seriesOf('Measured mean').data.every((v) => v === 0.5)).toBe(true);

    const compare = screen.getByLabelText('Compare with') as HTMLSelectElement;
    // The run shown is not offered for comparison with itself.
    expect([...compare.options].map((o) => o.value)).toEqual(['', 'lab-1.json']);
    fireEvent.change(compare, { target: { value: 'lab-1.json' } });
    await waitFor(() => expect(screen.getByTestId('study-chart-1').getAttribute('data-compared')).toBe('1'));
    expect(lastOption().series.some((s) => s.name === 'Mean, run of 2026-03-01 08:00 UTC')).toBe(true);
    expect(
      screen.getByText(
        'Compared: the earlier run had a 4.0 KiB file (here 1.00 MiB): its delays do not compare with these.',
      ),
    ).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Export study 1 as PNG' }));
    await waitFor(() =>
      expect(api.calls.find((c) => c.channel === 'lab:export')?.payload).toEqual({
        record: 'lab-0.json',
        study: 1,
        format: 'png',
        compare: 'lab-1.json',
      }),
    );
  });

  it('offers the course, all studies and each one; a protocol study has two charts and a protocol column', async () => {
    charts.options = [];
    const api = installFakeApi({ mode: 'experiments' });
    api.answers['lab:export'] = () => '/home/teacher/study-4-transmissions.png';
    render(<App />);
    const choice = (await screen.findByLabelText('Study')) as HTMLSelectElement;
    expect(choice.value).toBe('course');
    expect([...choice.options].map((o) => o.value)).toEqual(['course', 'all', '1', '2', '3', '4', '5']);
    expect(screen.getByText('n = 1..5; MSS 100..1000; p 0.01..0.10')).toBeTruthy();
    fireEvent.change(choice, { target: { value: 'all' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() =>
      expect((api.calls.find((c) => c.channel === 'lab:start')?.payload as LabRequest).studies).toEqual([
        1, 2, 3, 4, 5,
      ]),
    );

    const record = recordOf([4]);
    const study = record.studies[0]!;
    const index = study.points.findIndex((p) => p.point.protocol === 'gbn' && p.point.p === 0.1);
    const point = withRun(study.points[index]!, {
      run: 0,
      ok: true,
      delayMs: 800,
      timeoutRounds: 4,
      retransmissions: 63,
      seeds: [1, 2, 3],
    });
    api.push({ senders: {}, receivers: {}, lab: batch({ fresh: true, record }) });
    api.push({
      senders: {},
      receivers: {},
      lab: batch({
        status: status({
          progress: { study: 4, point: index, run: 0, fraction: 0.5, elapsedMs: 1000, etaMs: 1000 },
        }),
        points: [{ study: 4, index, result: point }],
      }),
    });
    expect(screen.getByText(`Study 4: gbn W ${DEFAULT_WINDOW}, p = 0.10, run 1 of 3`)).toBeTruthy();
    expect(screen.getByTestId('study-chart-4')).toBeTruthy();
    const transmissions = screen.getByTestId('study-chart-4-transmissions');
    expect(transmissions.getAttribute('aria-label')).toMatch(/transmissions per segment: 1 of \d+ points/);
    // The table: a row per protocol and p, the measured and expected transmissions beside the delay.
    const table = screen.getByTestId('study-table-4');
    const row = within(table)
      .getAllByRole('row')
      .find((r) => r.textContent!.startsWith('Go-Back-N0.10'))!;
    const cells = within(row)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    // 1 + 63 / (3 receivers x 206 segments: 205 chunks of 100 KiB at MSS 500, and the end marker)
    expect(cells.at(-2)).toBe((1 + 63 / (3 * 206)).toFixed(3));
    expect(cells.at(-1)).toBe(expectedTransmissions('gbn', 0.1, DEFAULT_WINDOW).toFixed(3));
    expect(cells.at(-3)).toBe('–'); // no delay model for Go-Back-N

    fireEvent.click(screen.getByRole('button', { name: 'Export study 4 transmissions as PNG' }));
    await waitFor(() =>
      expect(api.calls.find((c) => c.channel === 'lab:export')?.payload).toEqual({
        record: null,
        study: 4,
        format: 'png',
        chart: 'transmissions',
        compare: null,
      }),
    );
  });

  it('needs a chosen file when not sending a generated one, and shows errors from main', async () => {
    const api = installFakeApi({ mode: 'experiments' });
    api.answers['lab:start'] = () => {
      throw new Error('cannot read file "/x": no such file');
    };
    api.answers['file:choose'] = () => ({
      path: '/data/x.bin',
      name: 'x.bin',
      size: 5000,
      sha256: 'ab'.repeat(32),
    });
    render(<App />);
    fireEvent.click(await screen.findByLabelText('A file of my own'));
    const start = screen.getByRole('button', { name: 'Start' }) as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Choose file…' }));
    await waitFor(() => expect(start.disabled).toBe(false));
    fireEvent.click(start);
    expect(await screen.findByText('cannot read file "/x": no such file')).toBeTruthy();
    expect((api.calls.find((c) => c.channel === 'lab:start')!.payload as { file: string }).file).toBe(
      '/data/x.bin',
    );
  });
});
