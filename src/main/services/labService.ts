// The classroom lab in the app: one run of the studies at a time (runLab, on loopback), its live state
// kept here as aggregates (status, the record with every point's runs), and its records saved as JSON in the
// app's folder so later runs can be compared with them. Knows nothing of windows: a change only calls
// onChange, and the coalescer pulls take() at its next flush (one batch per interval, however many events).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type {
  LabBatch,
  LabExportRequest,
  LabGrid,
  LabRecordInfo,
  LabRequest,
  LabStatus,
} from '../../shared/contract.js';
import { InputError } from '../../shared/errors.js';
import { labStudy, reduceStudy, type Study, type StudyId } from '../../shared/lab/studies.js';
import { parseLabRecord } from '../../shared/lab/record.js';
import { chartFileName, chartKindsOf, studyChartOf } from '../../shared/lab/studyCharts.js';
import { studyCsv } from '../../shared/lab/csv.js';
import { type LabRecord, type PointResult, type StudyResult } from '../../shared/lab/results.js';
import {
  loadLabRecords,
  runLab,
  saveLabRecord,
  type LabEvent,
  type LabOptions,
} from '../../shared/node/lab.js';

export type RunLabFn = (options: LabOptions) => Promise<LabRecord>;

export interface LabServiceDeps {
  /** Where records are saved (userData/lab-records in the app). */
  recordsDir: string;
  /** The reduced grid from the settings, or null for the course's points. */
  grid: () => Promise<LabGrid | null>;
  /** The live state changed: the coalescer calls take() at its next flush. */
  onChange: () => void;
  /** The lab engine; the real one by default. */
  runLab?: RunLabFn;
  /** Passed on to the lab (tests use fewer calibration transfers). */
  labOptions?: Pick<LabOptions, 'calibrationRuns' | 'lingerMs' | 'progressIntervalMs'>;
}

export interface LabFile {
  name: string;
  data: string | Uint8Array;
}

const idle = (): LabStatus => ({
  phase: 'starting',
  calibrating: null,
  progress: null,
  estimatedMs: null,
  failedRuns: 0,
  error: null,
  savedId: null,
});

const hasRuns = (record: LabRecord): boolean =>
  record.studies.some((study) => study.points.some((point) => point.runs.length > 0));

export class LabService {
  private controller: AbortController | null = null;
  private finished: Promise<void> = Promise.resolve();
  private status: LabStatus = idle();
  private record: LabRecord | null = null;
  private recordChanged = false;
  private points = new Map<string, LabBatch['points'][number]>();
  private fresh = false;

  constructor(private readonly deps: LabServiceDeps) {}

  get running(): boolean {
    return this.controller !== null;
  }

  /** Resolves once the lab has started (its first event); bad input rejects, and the last run stays shown. */
  async start(request: LabRequest): Promise<void> {
    if (this.controller) throw new InputError('an experiment is already running: cancel it first');
    const controller = new AbortController();
    this.controller = controller;
    let studies: Study[];
    try {
      const grid = await this.deps.grid();
      studies = request.studies.map((id) => {
        const study = labStudy(id);
        const xs = grid?.[`${id}`];
        return xs ? reduceStudy(study, xs) : study;
      });
    } catch (error) {
      this.controller = null;
      throw error;
    }
    const configs = new Set(studies.flatMap((s) => s.points.map((p) => `${p.n}/${p.mss}`))).size;
    let started = false;
    let markStarted = (): void => {};
    const startedSignal = new Promise<void>((resolve) => (markStarted = resolve));
    let calibration = 0;

    const onEvent = (event: LabEvent): void => {
      if (!started) {
        started = true;
        this.status = idle();
        this.record = null;
        this.points.clear();
        this.recordChanged = false;
        this.fresh = true;
        markStarted();
      }
      if (controller.signal.aborted && event.type !== 'lab-done') return;
      this.apply(event, () => ({ index: ++calibration, of: configs }));
      this.deps.onChange();
    };

    const run = this.deps.runLab ?? runLab;
    const done = run({
      ...this.deps.labOptions,
      studies,
      settings: {
        repeat: request.repeat,
        timeoutMs: request.timeoutMs,
        ...(request.file !== null ? { file: request.file } : { fileSize: request.fileSize }),
        ...(request.seed !== null ? { seed: request.seed } : {}),
      },
      onEvent,
      signal: controller.signal,
    });
    this.finished = done
      .then(
        (record) => this.finish(record),
        (error: unknown) => {
          if (!started) return;
          this.status = {
            ...this.status,
            phase: 'failed',
            error: error instanceof Error ? error.message : String(error),
          };
        },
      )
      .finally(() => {
        if (this.controller === controller) this.controller = null;
        if (started) this.deps.onChange();
      });
    await Promise.race([startedSignal, done.then(() => undefined)]);
  }

  /** Asks the lab to stop; resolves when it has (what finished is kept and saved, marked cancelled). */
  async cancel(): Promise<void> {
    this.controller?.abort();
    await this.finished;
  }

  /** The batch for the renderer: the whole record when its shape changed, else the points that changed. */
  take(): LabBatch {
    const batch: LabBatch = {
      fresh: this.fresh,
      status: { ...this.status },
      record: this.recordChanged ? this.record : null,
      points: this.recordChanged ? [] : [...this.points.values()],
    };
    this.fresh = false;
    this.recordChanged = false;
    this.points.clear();
    return batch;
  }

  /** Saved runs, newest first. */
  records(): LabRecordInfo[] {
    return loadLabRecords(this.deps.recordsDir)
      .reverse()
      .map(({ path, record }) => ({
        id: basename(path),
        createdAt: record.createdAt,
        cancelled: record.cancelled,
        settings: record.settings,
        studies: record.studies.map((s) => s.id),
      }));
  }

  /** A saved run by its id (a file name in the records folder; the IPC layer checks its form). */
  savedRecord(id: string): LabRecord {
    if (basename(id) !== id) throw new InputError(`no saved run "${id}"`);
    let text: string;
    try {
      text = readFileSync(join(this.deps.recordsDir, id), 'utf8');
    } catch {
      throw new InputError(`no saved run "${id}"`);
    }
    return parseLabRecord(text);
  }

  /** One study of a run (null: the current or last run) as CSV, or as the PNG chart the CLI writes too. */
  async exportFile(request: LabExportRequest): Promise<LabFile> {
    const record = request.record === null ? this.record : this.savedRecord(request.record);
    if (record === null) throw new InputError('no results yet: run an experiment first');
    const study = record.studies.find((s) => s.id === request.study);
    if (!study) throw new InputError(`that run has no results for study ${request.study}`);
    if (request.format === 'csv') return { name: `study-${study.id}.csv`, data: studyCsv(study) };
    const compare =
      request.compare === null
        ? []
        : this.savedRecord(request.compare).studies.filter((s) => s.id === request.study);
    const kind = request.chart ?? 'delay';
    if (!chartKindsOf(study).includes(kind)) throw new InputError(`study ${study.id} has no ${kind} chart`);
    // ECharts and resvg load on first use: most sessions never export a chart.
    const { chartPng } = await import('../../shared/node/chartImage.js');
    return {
      name: chartFileName(study, kind, 'png'),
      data: await chartPng(studyChartOf(study, kind, { compare })),
    };
  }

  async dispose(): Promise<void> {
    await this.cancel();
  }

  private apply(event: LabEvent, nextCalibration: () => { index: number; of: number }): void {
    switch (event.type) {
      case 'calibrating':
        this.status = {
          ...this.status,
          phase: 'calibrating',
          calibrating: { n: event.n, mss: event.mss, ...nextCalibration() },
        };
        return;
      case 'calibrated':
        return;
      case 'lab-start':
        this.status = { ...this.status, phase: 'running', calibrating: null, estimatedMs: event.estimatedMs };
        this.setRecord(event.record);
        return;
      case 'study-start':
      case 'study-done':
        this.replaceStudy(event.study);
        return;
      case 'run-start':
      case 'progress':
      case 'run-done': {
        const { study, point, run, fraction, elapsedMs, etaMs } = event;
        this.status = { ...this.status, progress: { study, point, run, fraction, elapsedMs, etaMs } };
        if (event.type !== 'run-done') return;
        if (!event.outcome.ok) this.status.failedRuns++;
        this.replacePoint(study, point, event.result);
        return;
      }
      case 'lab-done':
        this.setRecord(event.record);
        return;
    }
  }

  private setRecord(record: LabRecord): void {
    this.record = record;
    this.recordChanged = true;
    this.points.clear();
  }

  private replaceStudy(study: StudyResult): void {
    if (!this.record) return;
    this.record = {
      ...this.record,
      studies: this.record.studies.map((s) => (s.id === study.id ? study : s)),
    };
    this.recordChanged = true;
  }

  private replacePoint(id: StudyId, index: number, result: PointResult): void {
    if (!this.record) return;
    this.record = {
      ...this.record,
      studies: this.record.studies.map((s) =>
        s.id === id ? { ...s, points: s.points.map((p, i) => (i === index ? result : p)) } : s,
      ),
    };
    if (!this.recordChanged) this.points.set(`${id}/${index}`, { study: id, index, result });
  }

  /** The run ended (or was cancelled): keep its record and save it when any run finished. */
  private finish(record: LabRecord): void {
    this.record = record;
    this.recordChanged = true;
    this.points.clear();
    let savedId: string | null = null;
    let error: string | null = null;
    if (hasRuns(record)) {
      try {
        savedId = basename(saveLabRecord(this.deps.recordsDir, record));
      } catch (e) {
        error = `the results could not be saved: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    this.status = {
      ...this.status,
      phase: record.cancelled ? 'cancelled' : 'done',
      calibrating: null,
      savedId,
      error,
    };
  }
}
