// The lab end to end on loopback: real receivers on 127.0.0.x with simulated loss, a short timeout, a reduced grid.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../src/shared/errors.js';
import { labStudy, reduceStudy } from '../../src/shared/lab/studies.js';
import { CSV_COLUMNS, studyCsv } from '../../src/shared/lab/csv.js';
import { studyChartOption } from '../../src/shared/lab/chart.js';
import { chartPng } from '../../src/shared/node/chartImage.js';
import { loadLabRecords, runLab, runSeed, saveLabRecord, type LabEvent } from '../../src/shared/node/lab.js';
import type { BindProbe } from '../../src/shared/node/loopback.js';
import { startReceiver } from '../../src/shared/node/receiver.js';
import { onlyLocalhost } from '../helpers/fakeLoopback.js';
import { tempDir, writeRandomFile } from '../helpers/loopback.js';

// The real receivers, watched: where the lab binds them is what the loopback policy decides.
vi.mock('../../src/shared/node/receiver.js', { spy: true });

const dir = tempDir();
afterAll(() => dir.cleanup());

const T = 10;

describe('runLab', () => {
  it('runs a reduced study 1 and 3 with K = 2: CSV, PNG, values plausible against the model', async () => {
    const events: LabEvent[] = [];
    const record = await runLab({
      studies: [reduceStudy(labStudy(1), [1, 3]), reduceStudy(labStudy(3), [0.02, 0.1])],
      settings: { fileSize: 40_000, timeoutMs: T, repeat: 2, seed: 42 },
      workDir: dir.file('work'),
      progressIntervalMs: 0,
      onEvent: (event) => events.push(event),
    });
    expect(record.cancelled).toBe(false);
    expect(record.studies.map((s) => s.points.map((p) => p.x))).toEqual([
      [1, 3],
      [0.02, 0.1],
    ]);

    for (const study of record.studies) {
      expect(study.finishedAt).not.toBeNull();
      for (const point of study.points) {
        expect(point.runs).toHaveLength(2);
        expect(
          point.runs.every((r) => r.ok),
          JSON.stringify(point.runs),
        ).toBe(true);
        expect(point.chunks).toBe(80);
        const model = point.model!;
        const stats = point.stats!;
        // Only bounds a busy machine cannot break (load makes rounds slower or faster from one moment to the next
        // and adds spurious timeouts): the model's agreement with measured delays is the model tests' business.
        expect(point.roundTimeMs!).toBeGreaterThan(0);
        // A timer never fires early, so every timeout round costs at least about T.
        for (const r of point.runs) expect(r.delayMs).toBeGreaterThan(r.timeoutRounds * T * 0.9);
        // No fewer timer expiries than the loss model allows.
        const sdOfMean = model.timeoutsSd / Math.sqrt(2);
        expect(stats.meanTimeouts).toBeGreaterThan(model.expectedTimeouts - 4 * sdOfMean - 1);
      }
      // CSV: a header and one row per point, every column filled in.
      const lines = studyCsv(study).trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toBe(CSV_COLUMNS.join(','));
      for (const line of lines.slice(1)) {
        const cells = line.split(',');
        expect(cells).toHaveLength(CSV_COLUMNS.length);
        // Every column filled in, but timer lateness needs a timeout, which a lucky run may not have.
        const late = CSV_COLUMNS.indexOf('timer_late_ms');
        expect(cells.every((cell, i) => cell !== '' || i === late)).toBe(true);
      }
      const png = await chartPng(studyChartOption(study));
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(png.length).toBeGreaterThan(20_000);
    }

    // More loss, more timeouts: study 3 at p = 0.1 against p = 0.02 (8 runs' worth of evidence).
    const [low, high] = record.studies[1]!.points;
    expect(high!.stats!.meanTimeouts).toBeGreaterThan(low!.stats!.meanTimeouts);

    // Progress: calibrations first, then runs with a rising fraction that ends at 1 and an ETA.
    const types = events.map((e) => e.type);
    expect(types.indexOf('lab-start')).toBeGreaterThan(types.lastIndexOf('calibrated'));
    expect(types.filter((t) => t === 'calibrated')).toHaveLength(2); // (1, 500) and (3, 500)
    expect(types.filter((t) => t === 'run-done')).toHaveLength(8);
    expect(types.at(-1)).toBe('lab-done');
    const fractions = events.flatMap((e) =>
      e.type === 'progress' || e.type === 'run-done' ? [e.fraction] : [],
    );
    for (let i = 1; i < fractions.length; i++)
      expect(fractions[i]!).toBeGreaterThanOrEqual(fractions[i - 1]! - 1e-9);
    expect(fractions.at(-1)).toBeCloseTo(1, 9);
    const done = events.filter((e) => e.type === 'run-done');
    expect(done.slice(1).every((e) => e.etaMs !== null)).toBe(true);

    // Saved, found again, comparable.
    const path = saveLabRecord(dir.file('records'), record);
    const loaded = loadLabRecords(dir.file('records'));
    expect(loaded.map((l) => l.path)).toEqual([path]);
    expect(loaded[0]!.record).toEqual(JSON.parse(readFileSync(path, 'utf8')));
    const compared = studyChartOption(record.studies[0]!, { compare: [loaded[0]!.record.studies[0]!] });
    expect((compared.series as unknown[]).length).toBe(
      (studyChartOption(record.studies[0]!).series as unknown[]).length + 1,
    );
  });

  it('stops when cancelled and returns what finished, marked cancelled', async () => {
    const abort = new AbortController();
    const record = await runLab({
      studies: [reduceStudy(labStudy(1), [2, 3])],
      settings: { fileSize: 40_000, timeoutMs: 50, repeat: 5, seed: 1 },
      calibrationRuns: 1,
      signal: abort.signal,
      onEvent: (event) => {
        if (event.type === 'run-done') abort.abort();
      },
    });
    expect(record.cancelled).toBe(true);
    expect(record.studies).toHaveLength(1);
    expect(record.studies[0]!.cancelled).toBe(true);
    expect(record.studies[0]!.points.flatMap((p) => p.runs)).toHaveLength(1);
  });

  it('sends a file of the user, and leaves it where it was', async () => {
    const file = dir.file('mine.bin');
    writeRandomFile(file, 2_999);
    const record = await runLab({
      studies: [reduceStudy(labStudy(2), [1000])],
      settings: { file, timeoutMs: T, repeat: 1, seed: 3 },
      calibrationRuns: 1,
    });
    expect(record.settings).toMatchObject({ file, fileSize: 2_999 });
    expect(record.studies[0]!.points[0]).toMatchObject({ chunks: 3, segments: 4 });
    expect(record.studies[0]!.points[0]!.runs[0]!.ok).toBe(true);
    expect(existsSync(file)).toBe(true);
  });

  it.each<[string, BindProbe | undefined, string[]]>([
    ['its own address each on the real loopback', undefined, ['127.0.0.2', '127.0.0.3', '127.0.0.4']],
    ['127.0.0.1 and a port each where that is the only address', onlyLocalhost, Array(3).fill('127.0.0.1')],
  ])('puts the receivers on %s, and every copy arrives intact', async (_where, probe, addresses) => {
    vi.mocked(startReceiver).mockClear();
    const record = await runLab({
      studies: [reduceStudy(labStudy(1), [3])],
      settings: { fileSize: 20_000, timeoutMs: T, repeat: 2, seed: 5 },
      calibrationRuns: 1,
      probe,
    });
    // A run is ok only when every receiver's copy has the SHA-256 of the file sent.
    const runs = record.studies[0]!.points[0]!.runs;
    expect(runs.map((r) => r.ok)).toEqual([true, true]);
    const sessions = await Promise.all(vi.mocked(startReceiver).mock.results.map((r) => r.value));
    expect(sessions.length).toBeGreaterThanOrEqual(3 * runs.length);
    for (let i = 0; i < sessions.length; i += 3) {
      const transfer = sessions.slice(i, i + 3).map((s) => s.address);
      expect(transfer.map((a) => a.address)).toEqual(addresses);
      expect(new Set(transfer.map((a) => `${a.address}:${a.port}`)).size).toBe(3);
    }
  });

  it('refuses bad settings before sending anything', async () => {
    const studies = [labStudy(1)];
    await expect(runLab({ studies, settings: { repeat: 0 } })).rejects.toThrow(InputError);
    await expect(runLab({ studies, settings: { timeoutMs: 0 } })).rejects.toThrow(/timeout/);
    await expect(runLab({ studies, settings: { fileSize: -1 } })).rejects.toThrow(/file size/);
    await expect(runLab({ studies, settings: { file: dir.file('missing.bin') } })).rejects.toThrow(
      /no such file/,
    );
    await expect(runLab({ studies: [] })).rejects.toThrow(/no study/);
    await expect(runLab({ studies, settings: { fileSize: 1 << 30 } })).rejects.toThrow(/at most/);
  });

  it('gives every receiver of every run its own repeatable loss seed', () => {
    const seeds = new Set<number>();
    for (let point = 0; point < 10; point++)
      for (let run = 0; run < 5; run++) for (let r = 0; r < 5; r++) seeds.add(runSeed(7, 2, point, run, r));
    expect(seeds.size).toBe(250);
    expect(runSeed(7, 1, 2, 3)).toBe(runSeed(7, 1, 2, 3));
    expect(runSeed(8, 1, 2, 3)).not.toBe(runSeed(7, 1, 2, 3));
  });
});
