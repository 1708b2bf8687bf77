// p2mplab: runs the course's experiments on loopback and writes, per study, a CSV and a PNG chart (measured mean
// delay with min-max bars, the analytic model drawn over it), plus a JSON record to compare later runs with.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../shared/errors.js';
import { courseStudy, DEFAULT_REPEAT, STUDY_IDS, type StudyId } from '../shared/lab/studies.js';
import { describeSettings, studyChartOption } from '../shared/lab/chart.js';
import { parseLabRecord } from '../shared/lab/record.js';
import { studyCsv } from '../shared/lab/csv.js';
import { type LabRecord, type StudyResult } from '../shared/lab/results.js';
import { loadLabRecords, runLab, saveLabRecord, type LabEvent } from '../shared/node/lab.js';
import { EXIT_FAILED, EXIT_OK, integer, number, parse, runCli, seed } from './cli.js';

const DEFAULT_SIZE = 1 << 20;
const DEFAULT_TIMEOUT_S = 0.1;

const HELP = `Usage: p2mplab [options]

Runs the course's P2MP-FTP experiments with real traffic on this machine: receivers on 127.0.0.2, 127.0.0.3, ...
(on 127.0.0.1 with a port each where the loopback has only that address, as on macOS) with simulated loss, one
sender, each point of a study transferred K times. Writes per study a CSV and a PNG chart (mean delay with min-max
bars, the analytic model drawn over it) and a JSON record of the whole run.
  Study 1: n = 1..5 receivers at MSS 500, p 0.05
  Study 2: MSS 100..1000 step 100 at n 3, p 0.05
  Study 3: p 0.01..0.10 step 0.01 at MSS 500, n 3

Options:
  --study 1|2|3|all   which study to run (default all)
  --repeat K          transfers per point (default ${DEFAULT_REPEAT})
  --size BYTES        size of the generated file to send (default ${DEFAULT_SIZE})
  --file PATH         send this file instead of a generated one
  --timeout S         retransmission timeout in seconds (default ${DEFAULT_TIMEOUT_S}, as in the course;
                      0.01 runs the studies about ten times faster)
  --seed N            base seed of the loss patterns, to repeat a run exactly (default: random, saved)
  --out DIR           folder for the results (default ./lab-results)
  --compare REC       draw an earlier run's means on the charts: a lab-*.json file, or "last" for the
                      newest record in --out
  --json              print one JSON event per line on stdout instead of text
  --help              show this help

Exit codes: 0 every run succeeded, 1 a run failed or Ctrl-C cancelled (partial results are written), 2 bad input.
Example: p2mplab --study 1 --repeat 3 --timeout 0.02 --out results`;

/** 42 s, 3 min 05 s, 1 h 02 min: an ETA, not a measurement. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

function studies(text: string | undefined): StudyId[] {
  if (text === undefined || text === 'all') return [...STUDY_IDS];
  const id = Number(text);
  if (text !== String(id) || !STUDY_IDS.includes(id as StudyId))
    throw new InputError(`--study must be 1, 2, 3 or all, got "${text}"`);
  return [id as StudyId];
}

function compareWith(text: string | undefined, out: string): LabRecord | null {
  if (text === undefined) return null;
  if (text === 'last') {
    const records = loadLabRecords(out);
    if (records.length === 0) throw new InputError(`--compare last: no earlier lab record in "${out}"`);
    return records[records.length - 1]!.record;
  }
  let content: string;
  try {
    content = readFileSync(text, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read "${text}": ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  try {
    return parseLabRecord(content);
  } catch (error) {
    throw new InputError(`"${text}" is ${(error as Error).message}`);
  }
}

/** Writes a study's CSV and PNG; returns their paths. */
async function writeStudy(out: string, study: StudyResult, earlier: LabRecord | null): Promise<string[]> {
  // Loaded only when needed: ECharts and resvg take longer to load than a bad-input answer should.
  const { chartPng } = await import('../shared/node/chartImage.js');
  const csv = join(out, `study-${study.id}.csv`);
  const png = join(out, `study-${study.id}.png`);
  writeFileSync(csv, studyCsv(study));
  const compare = earlier?.studies.filter((s) => s.id === study.id) ?? [];
  writeFileSync(png, await chartPng(studyChartOption(study, { compare })));
  return [csv, png];
}

function describeEvent(event: LabEvent): string | null {
  switch (event.type) {
    case 'calibrating':
      return `Measuring the loss-free round time at n = ${event.n}, MSS ${event.mss} ...`;
    case 'lab-start':
      return `Expected duration of the lossy runs (model): ${formatDuration(event.estimatedMs)}`;
    case 'study-start':
      return `${event.study.title} (${event.study.fixed})`;
    default:
      return null;
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    study: { type: 'string' },
    repeat: { type: 'string' },
    size: { type: 'string' },
    file: { type: 'string' },
    timeout: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    compare: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0)
    throw new InputError(`unexpected argument "${positionals[0]}"; p2mplab takes only options, see --help`);
  if (values.size !== undefined && values.file !== undefined)
    throw new InputError('give --size or --file, not both');
  const ids = studies(values.study);
  const repeat = values.repeat === undefined ? DEFAULT_REPEAT : integer(values.repeat, 'repeat');
  const fileSize = values.size === undefined ? DEFAULT_SIZE : integer(values.size, 'size');
  const timeoutMs = number(values.timeout, 'timeout', DEFAULT_TIMEOUT_S) * 1000;
  const seedValue = values.seed === undefined ? undefined : seed(values.seed);
  const out = resolve(values.out ?? 'lab-results');
  const earlier = compareWith(values.compare, out);
  const json = values.json === true;
  const print = (line: string): boolean => process.stdout.write(`${line}\n`);
  const tty = process.stderr.isTTY === true;
  const status = (line: string): void => {
    if (json) return;
    if (tty) process.stderr.write(`\r\x1b[K${line}`);
    else process.stderr.write(`${line}\n`);
  };
  const say = (line: string): void => {
    if (json) return;
    if (tty) process.stderr.write('\r\x1b[K');
    process.stderr.write(`${line}\n`);
  };

  const titles = new Map(ids.map((id) => [id, courseStudy(id)]));
  const onEvent = (event: LabEvent): void => {
    if (json) {
      print(JSON.stringify(event));
      return;
    }
    const line = describeEvent(event);
    if (line !== null) say(line);
    if (event.type === 'progress' || event.type === 'run-start' || event.type === 'run-done') {
      // A terminal gets one line redrawn; a log gets one line per finished run.
      if (!tty && event.type !== 'run-done') return;
      const study = titles.get(event.study)!;
      const x = study.points[event.point]![study.variable];
      const eta = event.etaMs === null ? '' : `, ETA ${formatDuration(event.etaMs)}`;
      const outcome =
        event.type !== 'run-done' || tty
          ? ''
          : event.outcome.ok
            ? ` ${(event.outcome.delayMs / 1000).toFixed(3)} s,`
            : ` failed (${event.outcome.failure}),`;
      status(
        `  ${study.variable} = ${x}: run ${event.run + 1}/${repeat}${outcome} ` +
          `${(event.fraction * 100).toFixed(1)}% done, ${formatDuration(event.elapsedMs)} elapsed${eta}`,
      );
    }
  };

  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  const record = await runLab({
    studies: ids.map((id) => courseStudy(id)),
    settings: {
      repeat,
      timeoutMs,
      ...(values.file !== undefined ? { file: resolve(values.file) } : { fileSize }),
      ...(seedValue !== undefined ? { seed: seedValue } : {}),
    },
    onEvent,
    signal: abort.signal,
  });
  if (tty && !json) process.stderr.write('\r\x1b[K');

  const written = [saveLabRecord(out, record)];
  for (const study of record.studies) written.push(...(await writeStudy(out, study, earlier)));
  const failed = record.studies.flatMap((s) => s.points.flatMap((p) => p.runs.filter((r) => !r.ok)));
  if (!json) {
    print(`${describeSettings(record.settings)}, seed ${record.settings.seed}`);
    for (const path of written) print(`Wrote ${path}`);
    if (failed.length > 0) print(`${failed.length} run(s) failed: ${failed[0]!.failure}`);
    if (record.cancelled) print('Cancelled: the results above are partial.');
  }
  return record.cancelled || failed.length > 0 ? EXIT_FAILED : EXIT_OK;
}

runCli('p2mplab', main);
