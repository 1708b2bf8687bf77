// The Experiments service through the IPC layer (electron mocked), with the real lab engine on loopback: payload
// validation of the lab channels, a tiny study run to completion in bounded batches, cancel, export through the
// save dialog, and records that persist and load again in a new session.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandlers, dispatch, type Handlers } from '../../src/main/ipc.js';
import { createServices, type AppServices } from '../../src/main/services/index.js';
import { sanitizeSettings } from '../../src/main/validate.js';
import { FLUSH_INTERVAL_MS } from '../../src/shared/live/coalescer.js';
import {
  DEFAULT_SETTINGS,
  type EventBatch,
  type LabBatch,
  type LabRecordInfo,
  type LabRequest,
} from '../../src/shared/contract.js';
import { CSV_COLUMNS } from '../../src/shared/lab/csv.js';
import { type LabRecord } from '../../src/shared/lab/results.js';
import { desktopAnswers, fakeDesktop } from './fakeDesktop.js';
import { loopbackDiscovery } from '../helpers/loopback.js';

vi.mock('electron');

let dir: string;
let services: AppServices;
let handlers: Handlers;
let batches: { at: number; lab: LabBatch }[];
const dialogs = desktopAnswers();

function open(): void {
  services = createServices({
    discovery: loopbackDiscovery,
    userData: dir,
    send: () => Promise.reject(new Error('not in this test')),
    startReceiver: () => Promise.reject(new Error('not in this test')),
    desktop: fakeDesktop(dialogs),
    emit: (batch: EventBatch) => {
      if (batch.lab) batches.push({ at: performance.now(), lab: batch.lab });
    },
    labOptions: { calibrationRuns: 1, progressIntervalMs: 0 },
  });
  handlers = createHandlers(services);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p2mp-lab-ipc-'));
  batches = [];
  dialogs.save = null;
  open();
});

afterEach(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

const call = (channel: unknown, payload: unknown) => dispatch(handlers, channel, payload);
const ok = async <T>(channel: string, payload: unknown): Promise<T> => {
  const result = await call(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error}`);
  return result.value as T;
};

const tiny: LabRequest = { studies: [1], repeat: 2, file: null, fileSize: 10_000, timeoutMs: 8, seed: 7 };

const lastLab = (): LabBatch => batches.at(-1)!.lab;
const ended = (): boolean => ['done', 'cancelled', 'failed'].includes(batches.at(-1)?.lab.status.phase ?? '');

describe('lab payload validation', () => {
  it.each([
    ['lab:start', { ...tiny, studies: [] }, 'request.studies: expected a list of 1-3 items'],
    ['lab:start', { ...tiny, studies: [4] }, 'request.studies[0]: expected study 1, 2 or 3'],
    ['lab:start', { ...tiny, studies: [1, 1] }, 'request.studies: a study is listed twice'],
    ['lab:start', { ...tiny, repeat: 0 }, 'request.repeat: repeat K must be a whole number from 1 to 100'],
    ['lab:start', { ...tiny, repeat: 2.5 }, 'request.repeat: repeat K must be a whole number from 1 to 100'],
    [
      'lab:start',
      { ...tiny, timeoutMs: 0 },
      'request.timeoutMs: timeout must be from 1 ms to 600 s, got 0 ms',
    ],
    ['lab:start', { ...tiny, file: 'relative.bin' }, 'request.file: expected an absolute path'],
    [
      'lab:start',
      { ...tiny, fileSize: 0 },
      'request.fileSize: file size must be a whole number of bytes from 1 to 67108864 (64 MiB)',
    ],
    ['lab:start', { ...tiny, seed: -1 }, 'request.seed: seed 0-4294967295'],
    ['lab:start', { ...tiny, extra: 1 }, 'request: unexpected field "extra"'],
    ['lab:start', { studies: [1] }, 'request.repeat: expected a number'],
    ['lab:cancel', { now: true }, 'request: expected no payload'],
    ['lab:records', 1, 'request: expected no payload'],
    ['lab:record', { id: '../settings.json' }, 'request.id: expected the id of a saved lab run'],
    ['lab:record', { id: 'lab-x/../../y.json' }, 'request.id: expected the id of a saved lab run'],
    [
      'lab:export',
      { record: null, study: 1, format: 'svg', compare: null },
      'request.format: expected one of csv, png',
    ],
    [
      'lab:export',
      { record: null, study: 0, format: 'csv', compare: null },
      'request.study: expected study 1, 2 or 3',
    ],
    [
      'lab:export',
      { record: '/etc/passwd', study: 1, format: 'csv', compare: null },
      'request.record: expected the id of a saved lab run',
    ],
    ['settings:update', { labGrid: { '1': [1] } }, 'request: unexpected field "labGrid"'],
  ])('%s %j -> %s', async (channel, payload, error) => {
    expect(await call(channel, payload)).toEqual({ ok: false, error });
  });

  it('reads a reduced grid from the settings file only when every value is a point of its study', () => {
    expect(sanitizeSettings({ labGrid: { '1': [1, 3], '3': [0.02] } }, DEFAULT_SETTINGS).labGrid).toEqual({
      '1': [1, 3],
      '3': [0.02],
    });
    expect(sanitizeSettings({ labGrid: { '1': [7] } }, DEFAULT_SETTINGS).labGrid).toBeNull();
    expect(sanitizeSettings({ labGrid: { '4': [1] } }, DEFAULT_SETTINGS).labGrid).toBeNull();
    expect(sanitizeSettings({ labGrid: [1] }, DEFAULT_SETTINGS).labGrid).toBeNull();
  });

  it('reports input the lab refuses through lab:start, and nothing without results', async () => {
    services.granted.grant(join(dir, 'missing.bin')); // picked, then deleted
    expect(await call('lab:start', { ...tiny, file: join(dir, 'missing.bin') })).toEqual({
      ok: false,
      error: `cannot read file "${join(dir, 'missing.bin')}": no such file`,
    });
    expect(services.lab.running).toBe(false);
    expect(await call('lab:export', { record: null, study: 1, format: 'csv', compare: null })).toEqual({
      ok: false,
      error: 'no results yet: run an experiment first',
    });
    expect(await call('lab:record', { id: 'lab-2020-01-01T00-00-00-000Z.json' })).toEqual({
      ok: false,
      error: 'no saved run "lab-2020-01-01T00-00-00-000Z.json"',
    });
    expect(await ok('lab:records', null)).toEqual([]);
  });
});

describe('lab service on loopback', () => {
  it('runs a tiny study to the end in bounded batches, saves it, exports CSV and PNG', async () => {
    await services.settings.update({ labGrid: { '1': [1, 2] } });
    await ok('lab:start', tiny);
    expect(await call('lab:start', tiny)).toEqual({
      ok: false,
      error: 'an experiment is already running: cancel it first',
    });
    await vi.waitFor(() => expect(ended()).toBe(true), { timeout: 20_000, interval: 20 });

    // Bounded: about 20 batches a second at most (the flush spacing itself is tested on a fake clock in
    // coalesce.test.ts; delivery times here stretch with load), each with at most every point of the run,
    // however many engine events the run produced.
    expect(batches[0]!.lab.fresh).toBe(true);
    expect(batches.slice(1).every((b) => !b.lab.fresh)).toBe(true);
    for (const b of batches)
      expect(batches.filter((o) => o.at >= b.at && o.at < b.at + 1000).length).toBeLessThanOrEqual(
        1000 / FLUSH_INTERVAL_MS + 2,
      );
    expect(batches.every((b) => b.lab.points.length <= 2)).toBe(true);
    const phases = batches.map((b) => b.lab.status.phase);
    expect(phases).toContain('calibrating');
    expect(phases.at(-1)).toBe('done');

    const final = lastLab();
    expect(final.status.error).toBeNull();
    expect(final.status.failedRuns).toBe(0);
    const record = final.record!;
    expect(record.cancelled).toBe(false);
    expect(record.settings).toMatchObject({ repeat: 2, timeoutMs: 8, fileSize: 10_000, seed: 7 });
    expect(record.studies.map((s) => s.points.map((p) => [p.x, p.runs.length]))).toEqual([
      [
        [1, 2],
        [2, 2],
      ],
    ]);
    for (const point of record.studies[0]!.points) {
      expect(point.stats!.meanMs).toBeGreaterThan(0);
      expect(point.model!.expectedMs).toBeGreaterThan(0);
    }

    // Saved under userData and listed.
    const id = final.status.savedId!;
    expect(id).toMatch(/^lab-.*\.json$/);
    expect(existsSync(join(dir, 'lab-records', id))).toBe(true);
    const infos = await ok<LabRecordInfo[]>('lab:records', null);
    expect(infos).toEqual([
      { id, createdAt: record.createdAt, cancelled: false, settings: record.settings, studies: [1] },
    ]);

    // Export through the save dialog: CSV rows and a PNG.
    dialogs.save = join(dir, 'study-1.csv');
    expect(await ok('lab:export', { record: null, study: 1, format: 'csv', compare: null })).toBe(
      dialogs.save,
    );
    const lines = (await readFile(dialogs.save, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(3);
    dialogs.save = join(dir, 'study-1.png');
    expect(await ok('lab:export', { record: id, study: 1, format: 'png', compare: id })).toBe(dialogs.save);
    expect((await readFile(dialogs.save)).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(await call('lab:export', { record: id, study: 2, format: 'csv', compare: null })).toEqual({
      ok: false,
      error: 'that run has no results for study 2',
    });
    dialogs.save = null; // the user cancels the dialog
    expect(await ok('lab:export', { record: id, study: 1, format: 'csv', compare: null })).toBeNull();

    // A new session (app restarted) finds the record again, identical.
    await services.dispose();
    open();
    const reloaded = await ok<LabRecord>('lab:record', { id });
    expect(reloaded).toEqual(JSON.parse(JSON.stringify(record)));
    expect((await ok<LabRecordInfo[]>('lab:records', null)).map((r) => r.id)).toEqual([id]);
  }, 30_000);

  it('cancels a run: what finished is kept, saved and marked cancelled', async () => {
    await services.settings.update({ labGrid: { '1': [2, 3] } });
    await ok('lab:start', { ...tiny, repeat: 20, timeoutMs: 40, fileSize: 40_000 });
    const anyRun = (): boolean =>
      batches.some(
        (b) =>
          b.lab.points.length > 0 ||
          !!b.lab.record?.studies.some((s) => s.points.some((p) => p.runs.length > 0)),
      );
    await vi.waitFor(() => expect(anyRun()).toBe(true), { timeout: 20_000, interval: 20 });
    const cancelledAt = performance.now();
    await ok('lab:cancel', null);
    expect(performance.now() - cancelledAt).toBeLessThan(5_000);
    expect(services.lab.running).toBe(false);
    await vi.waitFor(() => expect(lastLab().status.phase).toBe('cancelled'), { timeout: 2_000 });
    const record = lastLab().record!;
    expect(record.cancelled).toBe(true);
    const runs = record.studies.flatMap((s) => s.points.flatMap((p) => p.runs));
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.length).toBeLessThan(40);
    expect(lastLab().status.savedId).not.toBeNull();
    // Another run may start at once.
    await services.settings.update({ labGrid: { '1': [1] } });
    await ok('lab:start', { ...tiny, repeat: 1 });
    await vi.waitFor(() => expect(lastLab().status.phase).toBe('done'), { timeout: 20_000, interval: 20 });
    expect((await ok<LabRecordInfo[]>('lab:records', null)).map((r) => r.cancelled)).toEqual([false, true]);
  }, 40_000);
});
