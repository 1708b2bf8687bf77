// p2mplab as a user runs it: bad input gives one line and exit 2; a tiny real run writes CSV, PNG and a record;
// Ctrl-C writes what finished and exits 1.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, EXPECTATION_COLUMNS } from '../../src/shared/lab/csv.js';
import { DEFAULT_WINDOW } from '../../src/shared/limits.js';
import { protocolName, WINDOWED_PROTOCOLS as WINDOWED } from '../../src/shared/lab/protocolModel.js';
import {
  formatX,
  labStudy,
  STUDY_LOSSES,
  STUDY_WINDOWS,
  type StudyId,
  type StudyVariable,
} from '../../src/shared/lab/studies.js';
import { parseLabRecord } from '../../src/shared/lab/record.js';
import { ensureCliBuilt, root } from '../helpers/processes.js';
import { tempDir } from '../helpers/loopback.js';

const lab = join(root, 'bin/p2mplab.js');
const dir = tempDir();

beforeAll(ensureCliBuilt);
afterAll(() => dir.cleanup());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void) {
  const child = spawn(process.execPath, [lab, ...args], { cwd: dir.path });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    onStderr?.(stderr, (signal) => child.kill(signal));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  return new Promise<Run>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** Study 1 once, small and fast (T = 10 ms), into `out`; `more` options after. */
const quickStudy = (out: string, size: string, more: string[] = []) =>
  run(['--study', '1', '--repeat', '1', '--size', size, '--timeout', '0.01', '--out', out, ...more]);

describe('p2mplab', () => {
  it('refuses a results folder it cannot write before any run: one line, exit 2', async () => {
    const file = join(dir.path, 'a-file');
    writeFileSync(file, 'x');
    const cases: [string, RegExp][] = [
      [
        file,
        /^p2mplab: the results folder ".*a-file" is a file, not a folder: give a folder \(it is made if missing\)$/,
      ],
      [
        join(file, 'sub'),
        /^p2mplab: cannot make the results folder ".*a-file\/sub": ".*a-file" on its way is a file, not a folder$/,
      ],
      // Under /proc, Node's recursive mkdir loops forever: the folder is made one level at a time.
      ['/proc/p2mp-lab-test/x', /^p2mplab: cannot make the results folder "\/proc\/p2mp-lab-test\/x": \w+/],
    ];
    for (const [out, message] of cases) {
      const result = await quickStudy(out, '1000');
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr.trimEnd()).toMatch(message);
    }
  });

  it.each([
    [['--study', '6'], /^p2mplab: --study must be 1, 2, 3, 4, 5, course or all, got "6"$/],
    [['--repeat', 'x'], /^p2mplab: repeat must be a whole number, got "x"$/],
    [['--repeat', '0'], /^p2mplab: repeat must be >= 1, got 0$/],
    [['--repeat', '-1'], /^p2mplab: repeat must be >= 1, got -1$/],
    [['--repeat', '1001'], /^p2mplab: repeat must be from 1 to 1000, got 1001$/],
    [['--size', '0'], /^p2mplab: --size must be a size such as 500M or 2G, got "0"$/],
    [['--size', '-1'], /^p2mplab: --size must be a size such as 500M or 2G, got "-1"$/],
    [['--size', '10X'], /^p2mplab: --size must be a size such as 500M or 2G, got "10X"$/],
    [
      ['--size', '1G'],
      /^p2mplab: a generated file is at most 256 MiB \(268435456 bytes\), got 1073741824 bytes; send a larger one as a file$/,
    ],
    [['--timeout', 'soon'], /^p2mplab: --timeout must be a decimal number, got "soon"$/],
    // In the seconds the user typed, not the engine's ms ("got 5000000 ms").
    [['--timeout', '0'], /^p2mplab: --timeout must be from 0\.001 to 600 seconds, got 0$/],
    [['--timeout', '5000'], /^p2mplab: --timeout must be from 0\.001 to 600 seconds, got 5000$/],
    [['--timeout', '0.0005'], /^p2mplab: --timeout must be from 0\.001 to 600 seconds, got 0\.0005$/],
    [['--size', '100', '--file', 'x.bin'], /^p2mplab: give --size or --file, not both$/],
    [['--file', 'missing.bin'], /^p2mplab: cannot read file ".*missing.bin": no such file$/],
    [['--compare', 'nothing.json'], /^p2mplab: cannot read file "nothing.json": no such file$/],
    [['--bogus'], /^p2mplab: unknown option '--bogus'; see --help$/],
    [['extra'], /^p2mplab: unexpected argument "extra"/],
  ])('refuses %j with one line and exit 2, writing nothing', async (args, message) => {
    const out = join(dir.path, `bad-${args.join('_')}`);
    const result = await run([...args, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('prints help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: p2mplab/);
  });

  it('runs study 1 for real and writes the CSV, the PNG and the record', async () => {
    const out = join(dir.path, 'results');
    const result = await quickStudy(out, '4000');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/n = 5: run 1\/1 [\d.]+ s, 100\.0% done/);
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(3);
    expect(files.slice(1)).toEqual(['study-1.csv', 'study-1.png']);
    const csv = readFileSync(join(out, 'study-1.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe(CSV_COLUMNS.join(','));
    expect(csv.slice(1).map((line) => line.split(',')[2])).toEqual(['1', '2', '3', '4', '5']);
    const png = readFileSync(join(out, 'study-1.png'));
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.length).toBeGreaterThan(20_000);
    const record = parseLabRecord(readFileSync(join(out, files[0]!), 'utf8'));
    expect(record.studies[0]!.points.every((p) => p.runs.length === 1 && p.runs[0]!.ok)).toBe(true);
    for (const file of files) expect(result.stdout).toContain(`Wrote ${join(out, file)}`);
    // The means a report needs, printed as a table: the record's own figures, point by point.
    const lines = result.stdout.split('\n');
    const at = lines.indexOf('Study 1: delay vs number of receivers (MSS 500, p = 0.05)');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]!.trim().split(/\s{2,}/)).toEqual(['n', 'Runs', 'Mean (s)', 'Min', 'Max', 'Model']);
    const table = lines.slice(at + 2, at + 7).map((line) => line.trim().split(/\s+/));
    const s = (ms: number | undefined): string => ((ms ?? NaN) / 1000).toFixed(3);
    expect(table).toEqual(
      record.studies[0]!.points.map((p) => [
        String(p.x),
        '1',
        s(p.stats?.meanMs),
        s(p.stats?.minMs),
        s(p.stats?.maxMs),
        s(p.model?.expectedMs),
      ]),
    );

    // A second run compared with the first: --compare last finds the record.
    const again = await quickStudy(out, '4000', ['--compare', 'last', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const events = again.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(events[0]!.type).toBe('calibrating');
    expect(events.at(-1)!.type).toBe('lab-done');
    expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toHaveLength(2);
  });

  it('takes --size with a unit, as p2mpserver --max-size does', async () => {
    const out = join(dir.path, 'size-unit');
    const result = await quickStudy(out, '3.5K');
    expect(result.code, result.stderr).toBe(0);
    const [name] = readdirSync(out).filter((f) => f.endsWith('.json'));
    expect(parseLabRecord(readFileSync(join(out, name!), 'utf8')).settings.fileSize).toBe(3584);
  });

  it("never writes over an earlier run's CSV or chart: this run's files get the first number free for all", async () => {
    const out = join(dir.path, 'numbered');
    mkdirSync(out);
    const earlier = { 'study-1.csv': 'first\n', 'study-1.png': 'first', 'study-1 (2).png': 'second' };
    for (const [name, content] of Object.entries(earlier)) writeFileSync(join(out, name), content);
    const result = await quickStudy(out, '4000');
    expect(result.code, result.stderr).toBe(0);
    for (const [name, content] of Object.entries(earlier))
      expect(readFileSync(join(out, name), 'utf8')).toBe(content);
    expect(readFileSync(join(out, 'study-1 (3).csv'), 'utf8').split('\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(readFileSync(join(out, 'study-1 (3).png')).subarray(0, 8).toString('hex')).toBe(
      '89504e470d0a1a0a',
    );
    expect(readdirSync(out).filter((f) => f.startsWith('study-'))).toHaveLength(5);
    expect(result.stdout).toMatch(/^Wrote .*\/study-1 \(3\)\.csv$/m);
    expect(result.stdout).toContain(
      "Study 1: an earlier run's files in the folder are kept; this run's are numbered (3).\n",
    );
  });

  it('--compare last takes the newest run of the study itself, and refuses when there is none', async () => {
    const out = join(dir.path, 'compare-study');
    const common = ['--repeat', '1', '--timeout', '0.01', '--out', out];
    const tiny = [...common, '--size', '4000'];
    const first = await run(['--study', '1', ...tiny]);
    expect(first.code, first.stderr).toBe(0);
    const [name] = readdirSync(out).filter((f) => f.endsWith('.json'));
    const record = parseLabRecord(readFileSync(join(out, name!), 'utf8'));
    // A newer record without study 1: a run of another study, or one cancelled before its first run.
    const newer = { ...record, createdAt: '2099-01-01T00:00:00.000Z', cancelled: true, studies: [] };
    writeFileSync(join(out, 'lab-2099-01-01T00-00-00-000Z.json'), JSON.stringify(newer));

    const again = await run(['--study', '1', ...tiny, '--compare', 'last']);
    expect(again.code, again.stderr).toBe(0);
    const when = record.studies[0]!.startedAt.slice(0, 16).replace('T', ' ');
    expect(again.stdout).toContain(`Study 1 drawn against the run of ${when} UTC\n`);
    // Against a run of another file size, it says its delays do not compare (they scale with the file).
    const bigger = await run(['--study', '1', ...common, '--size', '8000', '--compare', 'last']);
    expect(bigger.code, bigger.stderr).toBe(0);
    expect(bigger.stdout).toMatch(
      /^Study 1 drawn against the run of .* UTC; the earlier run had a 3\.9 KiB file \(here 7\.8 KiB\): its delays do not compare with these$/m,
    );

    const none = await run(['--study', '2', ...tiny, '--compare', 'last']);
    expect(none.code).toBe(2);
    expect(none.stderr.trimEnd()).toMatch(
      /^p2mplab: --compare last: no earlier run of study 2 in ".*compare-study"$/,
    );
  });

  it.each([
    [
      4,
      'p',
      STUDY_LOSSES.map((p) => p.toFixed(2)),
      `${WINDOWED.at(-1)} W ${DEFAULT_WINDOW}, p = 0.20: run 1/1`,
    ],
    [5, 'window', STUDY_WINDOWS.map(String), `${WINDOWED.at(-1)}, window = 64: run 1/1`],
  ])(
    'runs study %i for real: one CSV row per protocol and x, two charts, the expectations named',
    async (id, variable, xs, progress) => {
      const out = join(dir.path, `study-${id}`);
      const result = await run([
        '--study',
        String(id),
        '--repeat',
        '1',
        '--size',
        '2000',
        '--timeout',
        '0.005',
        '--seed',
        '9',
        '--out',
        out,
      ]);
      expect(result.code, result.stderr).toBe(0);
      const study = labStudy(id as StudyId);
      const stderr = result.stderr.split('\n');
      expect(stderr).toContain(`${study.title} (${study.fixed})`);
      expect(stderr.some((line) => line.startsWith(`  ${progress} `))).toBe(true);
      expect(stderr).toContainEqual(
        expect.stringMatching(
          /^Expected duration of the lossy runs \(model; protocols without one counted as/,
        ),
      );
      const files = readdirSync(out).sort();
      expect(files.slice(1)).toEqual([`study-${id}-transmissions.png`, `study-${id}.csv`, `study-${id}.png`]);
      for (const file of files) expect(result.stdout).toContain(`Wrote ${join(out, file)}`);
      expect(result.stdout).toContain(
        `No model of the delay for ${WINDOWED.map(protocolName).join(', ')}: measured only. Expected transmissions per segment for every ` +
          `protocol. Expectations: CSV columns ${EXPECTATION_COLUMNS.join(', ')}; worked out from measured ones: ` +
          'timer_late_ms; every other column is measured or a setting.',
      );
      const csv = readFileSync(join(out, `study-${id}.csv`), 'utf8')
        .trimEnd()
        .split('\n');
      expect(csv[0]).toBe(CSV_COLUMNS.join(','));
      const rows = csv.slice(1).map((line) => line.split(','));
      const col = (name: (typeof CSV_COLUMNS)[number]): number => CSV_COLUMNS.indexOf(name);
      expect(rows.map((r) => `${r[col('protocol')]} ${r[col('x')]}`)).toEqual(
        study.points.map(
          (p) => `${p.protocol} ${formatX(variable as StudyVariable, p[variable as StudyVariable])}`,
        ),
      );
      expect([...new Set(rows.map((r) => r[col('x')]))]).toEqual(xs);
      for (const row of rows) {
        expect(row[col('ok_runs')]).toBe('1');
        // Measured on every row; the delay model on stop-and-wait's alone; the expected transmissions everywhere.
        expect(Number(row[col('mean_tx_per_segment')])).toBeGreaterThanOrEqual(1);
        expect(row[col('model_delay_ms')] !== '').toBe(row[col('protocol')] === 'saw');
        expect(Number(row[col('expected_tx_per_segment')])).toBeGreaterThanOrEqual(1);
      }
      for (const png of files.filter((f) => f.endsWith('.png')))
        expect(readFileSync(join(out, png)).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    },
  );

  it('stops on Ctrl-C, writes what finished beside (never over) a complete study, and exits 1', async () => {
    const out = join(dir.path, 'cancelled');
    // A complete study 1 from an earlier run into the same folder.
    mkdirSync(out);
    writeFileSync(join(out, 'study-1.csv'), 'complete\n');
    writeFileSync(join(out, 'study-1.png'), 'complete');
    let sent = false;
    const result = await run(
      ['--study', '1', '--repeat', '5', '--size', '100000', '--timeout', '0.05', '--out', out],
      (stderr, kill) => {
        if (!sent && /run 1\/5 [\d.]+ s/.test(stderr)) {
          sent = true;
          kill('SIGINT');
        }
      },
    );
    expect(sent).toBe(true);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'Cancelled: the study it stopped in is partial (written as -partial files, beside any complete ones).',
    );
    const csv = readFileSync(join(out, 'study-1-partial.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(6);
    expect(existsSync(join(out, 'study-1-partial.png'))).toBe(true);
    expect(readFileSync(join(out, 'study-1.csv'), 'utf8')).toBe('complete\n');
    expect(readFileSync(join(out, 'study-1.png'), 'utf8')).toBe('complete');
    expect(result.stdout).toMatch(/^Wrote .*study-1-partial\.csv$/m);
  });

  // npx and the terminal each pass a Ctrl-C on: the second, 50 ms after the first, killed p2mplab before it wrote
  // the partial CSV and chart.
  it('takes a Ctrl-C delivered twice as one: the partial results are written whole, exit 1', async () => {
    const out = join(dir.path, 'cancelled-twice');
    let sent = false;
    const result = await run(
      ['--study', '1', '--repeat', '3', '--size', '20000', '--timeout', '0.02', '--out', out],
      (stderr, kill) => {
        if (!sent && /run 1\/3 [\d.]+ s/.test(stderr)) {
          sent = true;
          kill('SIGINT');
          setTimeout(() => kill('SIGINT'), 50);
        }
      },
    );
    expect(sent).toBe(true);
    expect(result.code, result.stderr).toBe(1);
    expect(existsSync(join(out, 'study-1-partial.csv'))).toBe(true);
    expect(existsSync(join(out, 'study-1-partial.png'))).toBe(true);
    expect(result.stdout).toContain('Cancelled: the study it stopped in is partial');
  });

  it('stops like Ctrl-C when its reader goes away (--json | head): no stack trace, no temporary files left', async () => {
    const out = join(dir.path, 'reader-gone');
    const tmp = join(dir.path, 'tmp');
    mkdirSync(tmp);
    const child = spawn(
      process.execPath,
      [lab, '--study', '1', '--repeat', '1', '--size', '20000', '--timeout', '0.05', '--out', out, '--json'],
      { cwd: dir.path, env: { ...process.env, TMPDIR: tmp } },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // The reader takes the first line and leaves, as head does.
    child.stdout.once('data', () => child.stdout.destroy());
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  it('on Ctrl-C writes a study that finished before it under its own name, only the stopped one as -partial', async () => {
    const out = join(dir.path, 'cancelled-later');
    let sent = false;
    const result = await run(
      ['--study', 'course', '--repeat', '1', '--size', '20000', '--timeout', '0.05', '--out', out],
      (stderr, kill) => {
        // Study 1 is complete once study 2 starts.
        if (!sent && /^Study 2:/m.test(stderr)) {
          sent = true;
          kill('SIGINT');
        }
      },
    );
    expect(sent).toBe(true);
    expect(result.code).toBe(1);
    const files = readdirSync(out);
    expect(files).toContain('study-1.csv');
    expect(files).toContain('study-1.png');
    expect(files).not.toContain('study-1-partial.csv');
    expect(files.filter((f) => f.startsWith('study-3'))).toEqual([]);
    expect(readFileSync(join(out, 'study-1.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(6);
    expect(result.stdout).toMatch(/^Wrote .*study-1\.csv$/m);
    // Study 2 has -partial files only if a run of it finished before the Ctrl-C; the last line says which.
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
      files.includes('study-2-partial.csv')
        ? 'Cancelled: the study it stopped in is partial (written as -partial files, beside any complete ones).'
        : 'Cancelled before a run of the study it stopped in had finished: nothing of that study is written.',
    );
  });
});
