// p2mplab: runs the course's experiments and the protocol studies on loopback and writes, per study, a CSV and
// PNG charts (measured means, the analytic expectations drawn over them where they exist), plus a JSON record to
// compare later runs with.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, readProblem } from '../shared/errors.js';
import { numberedName } from '../shared/offer/fileName.js';
import { counted, formatChoices } from '../shared/format.js';
import { DEFAULT_WINDOW, PROTOCOLS, TIMEOUT_RANGE_MS } from '../shared/limits.js';
import {
  COURSE_STUDY_IDS,
  DEFAULT_REPEAT,
  labStudy,
  pointLabel,
  STUDY_IDS,
  STUDY_LOSSES,
  STUDY_WINDOWS,
  type StudyId,
} from '../shared/lab/studies.js';
import { describeSettings, incomparable } from '../shared/lab/chart.js';
import { hasDelayModel, protocolName, WINDOWED_PROTOCOLS } from '../shared/lab/protocolModel.js';
import { chartFileName, studyCharts } from '../shared/lab/studyCharts.js';
import { parseLabRecord } from '../shared/lab/record.js';
import { DERIVED_COLUMNS, EXPECTATION_COLUMNS, studyCsv } from '../shared/lab/csv.js';
import { studyText } from '../shared/lab/studyRows.js';
import { type LabRecord, type StudyResult } from '../shared/lab/results.js';
import { loadLabRecords, runLab, saveLabRecord, type LabEvent } from '../shared/node/lab.js';
import { ensureOutputFolder } from '../shared/node/outputFolder.js';
import { byteSize, EXIT_FAILED, EXIT_OK, integer, number, parse, runCli, seed } from './cli.js';
import { onOutputClosed, onStopSignal } from './stopSignals.js';

const DEFAULT_SIZE = 1 << 20;
const DEFAULT_TIMEOUT_S = 0.1;
const STUDY_SPEC = `${STUDY_IDS.join('|')}|course|all`;

const HELP = `Usage: p2mplab [options]

Runs the course's P2MP-FTP experiments, and studies of the protocols, with real traffic on this machine:
receivers on 127.0.0.2, 127.0.0.3, ... (on 127.0.0.1 with a port each where the loopback has only that address,
as on macOS) with simulated loss, one sender, each point of a study transferred K times. Writes per study a CSV
and a PNG chart (mean delay with min-max bars, the analytic model drawn over it) and a JSON record of the whole
run; the protocol studies draw one line per protocol and a second chart of transmissions per segment.
  Study 1: n = 1..5 receivers at MSS 500, p 0.05
  Study 2: MSS 100..1000 step 100 at n 3, p 0.05
  Study 3: p 0.01..0.10 step 0.01 at MSS 500, n 3
  Study 4: ${PROTOCOLS.join(', ')} at p ${STUDY_LOSSES.join(', ')}; MSS 500, n 3, window ${DEFAULT_WINDOW}
  Study 5: ${WINDOWED_PROTOCOLS.join(', ')} at window ${STUDY_WINDOWS.join(', ')}, saw as the W = 1 reference;
           MSS 500, n 3, p 0.05
The model's expectations are the CSV columns ${EXPECTATION_COLUMNS.join(', ')};
${DERIVED_COLUMNS.join(', ')} is worked out from measured ones (how late a timer fired, on average:
(mean delay - S x round time) / mean timeouts - T, S segments); every other figure is measured or a setting.
Only stop-and-wait has a model of the delay.

Options:
  --study S           which study to run: ${STUDY_SPEC} (default course: 1, 2 and 3)
  --repeat K          transfers per point (default ${DEFAULT_REPEAT})
  --size SIZE         size of the generated file to send: bytes, or with a unit as 500K or 10M (binary units;
                      default 1M)
  --file PATH         send this file instead of a generated one
  --timeout S         retransmission timeout in seconds (default ${DEFAULT_TIMEOUT_S}, as in the course;
                      0.01 runs the studies about ten times faster)
  --seed N            base seed of the loss patterns, to repeat a run exactly (default: random, saved)
  --out DIR           folder for the results (default ./lab-results); an earlier run's files there are kept:
                      this run's get the first number free, "study-1 (2).csv", "study-1 (2).png"
  --compare REC       draw an earlier run's means on the charts: a lab-*.json file, or "last" for each
                      study's newest run in --out
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

/** --timeout, in ms; refused in seconds, as typed (the engine's own check speaks ms: "got 5000000 ms"). */
function timeoutMsOf(text: string | undefined): number {
  const ms = number(text, '--timeout', DEFAULT_TIMEOUT_S) * 1000;
  const { min, max } = TIMEOUT_RANGE_MS;
  if (ms < min || ms > max)
    throw new InputError(`--timeout must be from ${min / 1000} to ${max / 1000} seconds, got ${text}`);
  return ms;
}

function studies(text: string | undefined): StudyId[] {
  if (text === undefined || text === 'course') return [...COURSE_STUDY_IDS];
  if (text === 'all') return [...STUDY_IDS];
  const id = Number(text);
  if (text !== String(id) || !STUDY_IDS.includes(id as StudyId))
    throw new InputError(`--study must be ${formatChoices([...STUDY_IDS, 'course', 'all'])}, got "${text}"`);
  return [id as StudyId];
}

/**
 * The earlier run of each study to draw on its charts: from the record given, or with "last" from the newest
 * record in the folder that has a run of that study (the newest record may be another study's run, or one
 * cancelled before any). None at all is bad input: charts that silently show no comparison would mislead.
 */
function compareWith(text: string | undefined, out: string, ids: StudyId[]): Map<StudyId, StudyResult> {
  const found = new Map<StudyId, StudyResult>();
  if (text === undefined) return found;
  const named = (list: readonly StudyId[]) =>
    list.length === 1 ? `study ${list[0]}` : `studies ${list.join(', ')}`;
  const take = (record: LabRecord) => {
    for (const study of record.studies)
      if (ids.includes(study.id) && !found.has(study.id) && hasRuns(study)) found.set(study.id, study);
  };
  if (text === 'last') {
    const records = loadLabRecords(out);
    if (records.length === 0) throw new InputError(`--compare last: no earlier lab record in "${out}"`);
    for (const { record } of records.reverse()) take(record);
    if (found.size === 0) throw new InputError(`--compare last: no earlier run of ${named(ids)} in "${out}"`);
    return found;
  }
  let content: string;
  try {
    content = readFileSync(text, 'utf8');
  } catch (error) {
    throw readProblem(text, error);
  }
  let record: LabRecord;
  try {
    record = parseLabRecord(content);
  } catch (error) {
    throw new InputError(`"${text}" is ${(error as Error).message}`);
  }
  take(record);
  if (found.size === 0) throw new InputError(`"${text}" has no run of ${named(ids)} to compare with`);
  return found;
}

const hasRuns = (study: StudyResult): boolean => study.points.some((p) => p.runs.length > 0);

/**
 * The first number n (1: as named, then "study-1 (2).csv", ...) that no file of `names` has in the folder: one
 * run's CSV and charts keep one number, and no file of an earlier run is written over (only its lab-*.json would
 * be left, and nothing rebuilds a CSV or chart from that). Compared without case, as macOS and Windows compare.
 */
function freeNumber(out: string, names: string[]): number {
  const taken = new Set(readdirSync(out).map((name) => name.toLowerCase()));
  for (let n = 1; ; n++) if (names.every((name) => !taken.has(numberedName(name, n).toLowerCase()))) return n;
}

/**
 * Writes a study's CSV and PNG charts; returns their paths and their number (see freeNumber). The study Ctrl-C
 * stopped writes "-partial" files, and a study with no run yet none. A study that finished before the Ctrl-C is
 * complete and written as such.
 */
async function writeStudy(
  out: string,
  study: StudyResult,
  earlier: StudyResult | undefined,
): Promise<{ paths: string[]; number: number }> {
  const cancelled = study.cancelled;
  if (cancelled && !hasRuns(study)) return { paths: [], number: 1 };
  // Loaded only when needed: ECharts and resvg take longer to load than a bad-input answer should.
  const { chartPng } = await import('../shared/node/chartImage.js');
  const charts = studyCharts(study, { compare: earlier ? [earlier] : [] });
  const wanted = [
    `study-${study.id}.csv`,
    ...charts.map((chart) => chartFileName(study, chart.kind, 'png')),
  ].map((file) => (cancelled ? file.replace(/(\.\w+)$/, '-partial$1') : file));
  const number = freeNumber(out, wanted);
  const paths = wanted.map((name) => join(out, numberedName(name, number)));
  writeFileSync(paths[0]!, studyCsv(study));
  for (const [i, chart] of charts.entries()) writeFileSync(paths[i + 1]!, await chartPng(chart.option));
  return { paths, number };
}

function describeEvent(event: LabEvent): string | null {
  switch (event.type) {
    case 'calibrating':
      return `Measuring the loss-free round time at n = ${event.n}, MSS ${event.mss} ...`;
    case 'lab-start': {
      // The windowed protocols have no delay model: their runs are counted as stop-and-wait's.
      const estimate = event.record.studies.every((s) =>
        s.points.every((p) => hasDelayModel(p.point.protocol)),
      )
        ? 'model'
        : 'model; protocols without one counted as stop-and-wait';
      return `Expected duration of the lossy runs (${estimate}): ${formatDuration(event.estimatedMs)}`;
    }
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
  const repeat = values.repeat === undefined ? DEFAULT_REPEAT : integer(values.repeat, 'repeat', 1, 1000);
  // Units as p2mpserver's --max-size takes them: the course file is "about 10 MB", --size 10M.
  const fileSize = values.size === undefined ? DEFAULT_SIZE : byteSize(values.size, '--size');
  const timeoutMs = timeoutMsOf(values.timeout);
  const seedValue = values.seed === undefined ? undefined : seed(values.seed);
  const out = resolve(values.out ?? 'lab-results');
  const earlier = compareWith(values.compare, out, ids);
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

  const titles = new Map(ids.map((id) => [id, labStudy(id)]));
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
      const at = pointLabel(study.variable, study.points, study.points[event.point]!);
      const eta = event.etaMs === null ? '' : `, ETA ${formatDuration(event.etaMs)}`;
      const outcome =
        event.type !== 'run-done' || tty
          ? ''
          : event.outcome.ok
            ? ` ${(event.outcome.delayMs / 1000).toFixed(3)} s,`
            : ` failed (${event.outcome.failure}),`;
      status(
        `  ${at}: run ${event.run + 1}/${repeat}${outcome} ` +
          `${(event.fraction * 100).toFixed(1)}% done, ${formatDuration(event.elapsedMs)} elapsed${eta}`,
      );
    }
  };

  const abort = new AbortController();
  const stop = (): void => abort.abort();
  // For the whole run, the writing of the results included: a Ctrl-C that arrives twice (npx and the terminal
  // each pass it on) killed p2mplab while it wrote them, leaving no CSV or chart of what it had measured.
  onStopSignal('p2mplab', stop);
  // A reader that went away (`--json | head`) cancels as Ctrl-C does, so the temporary folder is removed.
  onOutputClosed(stop);
  const record = await runLab({
    studies: ids.map((id) => labStudy(id)),
    settings: {
      repeat,
      timeoutMs,
      ...(values.file !== undefined ? { file: resolve(values.file) } : { fileSize }),
      ...(seedValue !== undefined ? { seed: seedValue } : {}),
    },
    onEvent,
    signal: abort.signal,
    // Before any run (a study can take minutes, its results must have somewhere to go), after the settings'
    // checks (bad input writes nothing).
    beforeRuns: () => ensureOutputFolder(out),
  });
  if (tty && !json) process.stderr.write('\r\x1b[K');

  const written = [saveLabRecord(out, record)];
  const renamed: string[] = [];
  for (const study of record.studies) {
    const { paths, number } = await writeStudy(out, study, earlier.get(study.id));
    written.push(...paths);
    if (number > 1)
      renamed.push(
        `Study ${study.id}: an earlier run's files in the folder are kept; this run's are numbered (${number}).`,
      );
  }
  const failed = record.studies.flatMap((s) => s.points.flatMap((p) => p.runs.filter((r) => !r.ok)));
  if (!json) {
    // The means a report needs, per study, without opening the CSV (the app's table: studyRows.ts).
    for (const study of record.studies)
      if (study.points.some((p) => p.runs.length > 0)) print(`${studyText(study).replace(/\n/g, '\n  ')}\n`);
    print(`${describeSettings(record.settings)}, seed ${record.settings.seed}`);
    // Which run each chart is drawn against: the legend gives only its time.
    for (const study of record.studies) {
      const compared = earlier.get(study.id);
      if (!compared) continue;
      const unlike = incomparable(compared.settings, study.settings);
      print(
        `Study ${study.id} drawn against the run of ${compared.startedAt.slice(0, 16).replace('T', ' ')} UTC` +
          (unlike ? `; ${unlike}` : ''),
      );
    }
    for (const path of written) print(`Wrote ${path}`);
    for (const line of renamed) print(line);
    const noModel = PROTOCOLS.filter(
      (protocol) =>
        !hasDelayModel(protocol) &&
        record.studies.some((s) => s.points.some((p) => p.point.protocol === protocol)),
    );
    if (noModel.length > 0)
      print(
        `No model of the delay for ${noModel.map(protocolName).join(', ')}: measured only. Expected ` +
          `transmissions per segment for every protocol. Expectations: CSV columns ${EXPECTATION_COLUMNS.join(', ')}` +
          `; worked out from measured ones: ${DERIVED_COLUMNS.join(', ')}; every other column is measured or a setting.`,
      );
    if (failed.length > 0) print(`${counted(failed.length, 'run')} failed: ${failed[0]!.failure}`);
    // A study stopped before its first run finished writes no files: saying "-partial files" would send the
    // user looking for them.
    if (record.cancelled)
      print(
        record.studies.some((study) => study.cancelled && hasRuns(study))
          ? 'Cancelled: the study it stopped in is partial (written as -partial files, beside any complete ones).'
          : 'Cancelled before a run of the study it stopped in had finished: nothing of that study is written.',
      );
  }
  return record.cancelled || failed.length > 0 ? EXIT_FAILED : EXIT_OK;
}

runCli('p2mplab', main);
