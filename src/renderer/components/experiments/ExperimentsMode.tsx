// Experiments: the course's three studies and the protocol studies run in main on loopback (receivers inside the
// app with simulated loss), K transfers per point. Live progress with ETA, a chart and a table per study filling in as runs
// finish, CSV and PNG export, and earlier runs (saved by main) to look at again or to draw over the charts.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { labRepeatProblem, timeoutProblem, type LabRecordInfo } from '../../../shared/contract';
import { COURSE_STUDY_IDS, labStudy, STUDY_IDS, type StudyId } from '../../../shared/lab/studies';
import { chartKindsOf, type ChartKind } from '../../../shared/lab/studyCharts';
import { describeSettings, incomparable } from '../../../shared/lab/chart';
import { type StudyResult } from '../../../shared/lab/results';
import { call, messageOf } from '../../api';
import { useAppStore } from '../../store/appStore';
import { COURSE_TIMEOUT_MS, isLabRunning, labRequestOf } from '../../store/lab';
import { ErrorNote } from '../common/ErrorNote';
import { FilePicker } from '../common/FilePicker';
import { NumberField } from '../common/NumberField';
import { SeedField } from '../receive/SeedField';
import { LabProgress } from './LabProgress';
import { StudyChart } from './StudyChart';
import { StudyTable } from './StudyTable';
import { CheckedForm } from '../common/CheckedForm';
import { StartStop } from '../common/StartStop';

const MAX_FILE_KIB = 64 * 1024;
const NO_COMPARE: readonly StudyResult[] = [];

/** Seconds as typed to whole microseconds of ms, so 0.007 s is 7 ms and not 7.000000000000001. */
const msOf = (seconds: number): number => Math.round(seconds * 1e6) / 1e3;

const kibProblem = (kib: number): string | null =>
  Number.isInteger(kib) && kib >= 1 && kib <= MAX_FILE_KIB ? null : `size must be 1 to ${MAX_FILE_KIB} KiB`;

function when(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}

/** The form's choice of studies in words. */
const CHOICES: Record<'course' | 'all', { label: string; hint: string }> = {
  course: { label: 'The course’s three studies', hint: 'n = 1..5; MSS 100..1000; p 0.01..0.10' },
  all: {
    label: `All ${STUDY_IDS.length} studies`,
    hint: 'the course’s three, then the protocols by p and by window',
  },
};

function recordLabel(info: LabRecordInfo): string {
  const studies =
    info.studies.length === STUDY_IDS.length
      ? 'all studies'
      : info.studies.join() === COURSE_STUDY_IDS.join()
        ? 'the course’s studies'
        : `study ${info.studies.join(', ')}`;
  const cancelled = info.cancelled ? ', cancelled' : '';
  return `${when(info.createdAt)}: ${studies}, K ${info.settings.repeat}, T ${info.settings.timeoutMs} ms${cancelled}`;
}

/** Said under a study drawn against an earlier run made another way: its delays would read as a change. */
function Incomparable({ study, compare }: { study: StudyResult; compare: readonly StudyResult[] }) {
  const unlike = compare[0] ? incomparable(compare[0].settings, study.settings) : null;
  return unlike ? <p className="hint compare-warning">Compared: {unlike}.</p> : null;
}

export function ExperimentsMode() {
  const id = useId();
  const form = useAppStore((s) => s.labForm);
  const setForm = useAppStore((s) => s.setLabForm);
  const lab = useAppStore((s) => s.lab ?? null);
  const grid = useAppStore((s) => s.settings?.labGrid ?? null);
  const records = useAppStore((s) => s.labRecords);
  const shown = useAppStore((s) => s.labShown);
  const compare = useAppStore((s) => s.labCompare);
  const error = useAppStore((s) => s.labError);
  const refreshLabRecords = useAppStore((s) => s.refreshLabRecords);
  const showLabRecord = useAppStore((s) => s.showLabRecord);
  const compareLabRecord = useAppStore((s) => s.compareLabRecord);
  const setLabError = useAppStore((s) => s.setLabError);
  const [starting, setStarting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const autoShown = useRef(false);
  const running = isLabRunning(lab) || starting;
  const savedId = lab?.status.savedId ?? null;

  // The list of saved runs, again whenever this session's run has been saved.
  useEffect(() => {
    void refreshLabRecords();
  }, [savedId, refreshLabRecords]);

  // Opened with no run in this session: show the newest saved one.
  useEffect(() => {
    if (autoShown.current || lab !== null || shown !== null || records.length === 0) return;
    autoShown.current = true;
    void showLabRecord(records[0]!.id);
  }, [lab, shown, records, showLabRecord]);

  const record = shown ? shown.record : (lab?.record ?? null);
  const compareByStudy = useMemo(
    () =>
      new Map<StudyId, readonly StudyResult[]>(
        STUDY_IDS.map((study) => [
          study,
          compare?.record.studies.filter((s) => s.id === study) ?? NO_COMPARE,
        ]),
      ),
    [compare],
  );

  const start = async (): Promise<void> => {
    setLabError(null);
    setExported(null);
    setStarting(true);
    autoShown.current = true;
    await showLabRecord(null);
    try {
      await call('lab:start', labRequestOf(form));
    } catch (e) {
      setLabError(messageOf(e));
    } finally {
      setStarting(false);
    }
  };
  const cancel = async (): Promise<void> => {
    await call('lab:cancel', null).catch((e: unknown) => setLabError(messageOf(e)));
  };
  const exportStudy = async (study: StudyId, format: 'csv' | 'png', chart?: ChartKind): Promise<void> => {
    setLabError(null);
    try {
      const path = await call('lab:export', {
        record: shown?.id ?? null,
        study,
        format,
        ...(chart && chart !== 'delay' ? { chart } : {}),
        compare: compare?.id ?? null,
      });
      if (path) setExported(path);
    } catch (e) {
      setLabError(messageOf(e));
    }
  };

  const gridNote = grid
    ? Object.entries(grid)
        .map(([study, xs]) => `study ${study} at ${xs.join(', ')}`)
        .join('; ')
    : null;

  return (
    <div className="mode-layout experiments">
      <CheckedForm
        className="panel controls"
        aria-label="Experiment settings"
        onSubmit={(e) => e.preventDefault()}
      >
        <h2>Experiments</h2>
        <p className="hint">
          The course&apos;s studies, and the protocols compared, with real traffic on this machine: receivers
          inside the app on 127.0.0.2, 127.0.0.3, … (or on ports of their own where loopback has only
          127.0.0.1, as on macOS) drop packets with probability p; every point is transferred K times and its
          delay measured, then drawn against the model.
        </p>
        <div className="field">
          <label htmlFor={`${id}-study`}>Study</label>
          <select
            id={`${id}-study`}
            value={String(form.studies)}
            disabled={running}
            onChange={(e) => {
              const value = e.target.value;
              setForm({
                studies: value === 'course' || value === 'all' ? value : (Number(value) as StudyId),
              });
            }}
          >
            <option value="course">{CHOICES.course.label}</option>
            <option value="all">{CHOICES.all.label}</option>
            {STUDY_IDS.map((study) => (
              <option key={study} value={study}>
                {labStudy(study).title}
              </option>
            ))}
          </select>
          <p className="hint">
            {form.studies === 'course' || form.studies === 'all'
              ? CHOICES[form.studies].hint
              : labStudy(form.studies).fixed}
          </p>
        </div>
        {gridNote && (
          <p className="note" data-testid="lab-grid">
            Reduced grid from the settings file: {gridNote}.
          </p>
        )}
        <div className="options-grid">
          <NumberField
            label="Repeat K"
            suffix="runs"
            value={form.repeat}
            problem={labRepeatProblem}
            onValid={(repeat) => setForm({ repeat })}
            disabled={running}
          />
          <NumberField
            label="Timeout T"
            suffix="s"
            step={0.001}
            value={form.timeoutMs / 1000}
            problem={(s) => timeoutProblem(msOf(s))}
            onValid={(s) => setForm({ timeoutMs: msOf(s) })}
            disabled={running}
          />
        </div>
        <p className="hint">
          The course used T = {COURSE_TIMEOUT_MS / 1000} s; 0.01 s runs the studies about ten times faster.
        </p>
        <fieldset>
          <legend>File sent</legend>
          <label className="choice">
            <input
              type="radio"
              name={`${id}-file`}
              checked={form.generated}
              disabled={running}
              onChange={() => setForm({ generated: true })}
            />
            A generated file
          </label>
          {form.generated && (
            <NumberField
              label="Size"
              suffix="KiB"
              value={form.fileKiB}
              problem={kibProblem}
              onValid={(fileKiB) => setForm({ fileKiB })}
              disabled={running}
            />
          )}
          <label className="choice">
            <input
              type="radio"
              name={`${id}-file`}
              checked={!form.generated}
              disabled={running}
              onChange={() => setForm({ generated: false })}
            />
            A file of my own
          </label>
          {!form.generated && (
            <FilePicker file={form.file} onFile={(file) => setForm({ file })} disabled={running} />
          )}
        </fieldset>
        <SeedField value={form.seed} onChange={(seed) => setForm({ seed })} disabled={running} />
        <StartStop
          start={{
            label: 'Start',
            disabled: running || (!form.generated && form.file === null),
            onClick: () => void start(),
          }}
          stop={{ label: 'Cancel', disabled: !isLabRunning(lab), onClick: () => void cancel() }}
        />
        <ErrorNote message={error} />
      </CheckedForm>

      <div className="panel live lab-results">
        {lab && (
          <LabProgress
            status={lab.status}
            record={lab.record}
            elsewhere={shown !== null && shown.id !== lab.status.savedId}
          />
        )}
        <ErrorNote message={lab?.status.error ?? null} />
        <div className="lab-results-bar">
          <div className="field">
            <label htmlFor={`${id}-shown`}>Results</label>
            <select
              id={`${id}-shown`}
              value={shown?.id ?? ''}
              onChange={(e) => void showLabRecord(e.target.value || null)}
            >
              <option value="">{lab ? 'This session’s run' : '–'}</option>
              {records.map((info) => (
                <option key={info.id} value={info.id}>
                  {recordLabel(info)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-compare`}>Compare with</label>
            <select
              id={`${id}-compare`}
              value={compare?.id ?? ''}
              onChange={(e) => void compareLabRecord(e.target.value || null)}
            >
              <option value="">No earlier run</option>
              {records
                .filter((info) => info.id !== (shown?.id ?? savedId))
                .map((info) => (
                  <option key={info.id} value={info.id}>
                    {recordLabel(info)}
                  </option>
                ))}
            </select>
          </div>
        </div>
        {exported && (
          <p className="status" role="status">
            Saved {exported}
          </p>
        )}
        {record ? (
          record.studies.map((study) => (
            <section key={study.id} className="study-result" aria-labelledby={`${id}-study-${study.id}`}>
              <h3 id={`${id}-study-${study.id}`}>{study.title}</h3>
              <p className="hint">
                {study.fixed}; {describeSettings(study.settings)}; seed {study.settings.seed}
                {study.cancelled ? ' (cancelled: partial)' : ''}
              </p>
              <Incomparable study={study} compare={compareByStudy.get(study.id) ?? NO_COMPARE} />
              <div className={`study-body${chartKindsOf(study).length > 1 ? ' wide-table' : ''}`}>
                <div className="study-charts">
                  {chartKindsOf(study).map((kind) => (
                    <StudyChart
                      key={kind}
                      study={study}
                      kind={kind}
                      compare={compareByStudy.get(study.id) ?? NO_COMPARE}
                    />
                  ))}
                </div>
                <StudyTable study={study} />
              </div>
              <div className="actions">
                <button
                  type="button"
                  aria-label={`Export study ${study.id} as CSV`}
                  onClick={() => void exportStudy(study.id, 'csv')}
                >
                  Export CSV…
                </button>
                {chartKindsOf(study).map((kind) => (
                  <button
                    key={kind}
                    type="button"
                    aria-label={`Export study ${study.id}${kind === 'delay' ? '' : ` ${kind}`} as PNG`}
                    onClick={() => void exportStudy(study.id, 'png', kind)}
                  >
                    {kind === 'delay' ? 'Export PNG…' : `Export ${kind} PNG…`}
                  </button>
                ))}
              </div>
            </section>
          ))
        ) : (
          <p className="placeholder">
            {lab && isLabRunning(lab)
              ? 'Measuring the loss-free round times; the charts appear when the runs begin.'
              : 'No results yet: start an experiment.'}
          </p>
        )}
      </div>
    </div>
  );
}
