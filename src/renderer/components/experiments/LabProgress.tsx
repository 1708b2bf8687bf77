// Where the lab run is: measuring loss-free round times, then the lossy runs with a bar weighted by their
// expected durations, the elapsed time and the ETA; at the end, how it ended.
import type { LabStatus } from '../../../shared/contract';
import { pointLabel } from '../../../shared/lab/studies';
import { type LabRecord } from '../../../shared/lab/results';
import { formatClock } from '../../format';
import { ProgressBar } from '../common/ProgressBar';

function runsOf(record: LabRecord | null): string {
  const n = record?.studies.reduce((sum, s) => sum + s.points.reduce((k, p) => k + p.runs.length, 0), 0) ?? 0;
  return `${n} run${n === 1 ? '' : 's'}`;
}

function describe(status: LabStatus, record: LabRecord | null, elsewhere: boolean): string {
  const { phase, calibrating, progress } = status;
  // The results below are a saved run's, not this one's: "Done: 3 runs" over an 18-run record misleads.
  const whose = elsewhere ? "This session's run: " : '';
  const below = elsewhere ? ' The results below are of another run.' : '';
  switch (phase) {
    case 'starting':
      return 'Starting…';
    case 'calibrating':
      return calibrating
        ? `Measuring the loss-free round time at n = ${calibrating.n}, MSS ${calibrating.mss} ` +
            `(${calibrating.index} of ${calibrating.of})…`
        : 'Measuring loss-free round times…';
    case 'running': {
      if (!progress) return 'Running…';
      const study = record?.studies.find((s) => s.id === progress.study);
      const point = study?.points[progress.point]?.point;
      const at =
        study && point
          ? `${pointLabel(
              study.variable,
              study.points.map((p) => p.point),
              point,
            )}, `
          : '';
      const repeat = record ? ` of ${record.settings.repeat}` : '';
      return `Study ${progress.study}: ${at}run ${progress.run + 1}${repeat}`;
    }
    case 'done':
      return `${whose}${elsewhere ? 'done' : 'Done'}: ${runsOf(record)}${status.savedId ? ', saved' : ''}.${below}`;
    case 'cancelled':
      return (
        `${whose}${elsewhere ? 'cancelled' : 'Cancelled'} after ${runsOf(record)}: its results are partial` +
        `${status.savedId ? ' (saved)' : ''}.${below}`
      );
    case 'failed':
      return `${whose}${elsewhere ? 'it' : 'The experiment'} stopped with an error.${below}`;
  }
}

/** `elsewhere`: the results shown below are another run's (a saved one chosen under Results). */
export function LabProgress({
  status,
  record,
  elsewhere = false,
}: {
  status: LabStatus;
  record: LabRecord | null;
  elsewhere?: boolean;
}) {
  const { progress, phase } = status;
  const fraction = phase === 'done' ? 1 : (progress?.fraction ?? 0);
  const pct = fraction * 100;
  const running = phase === 'starting' || phase === 'calibrating' || phase === 'running';
  return (
    <section className="lab-progress" aria-label="Experiment progress" data-phase={phase}>
      <ProgressBar percent={pct} label="Experiment progress" />
      {/* Not a live region: it changes with every run; the app's announcer says when the phase changes. */}
      <p className="lab-phase">{describe(status, record, elsewhere)}</p>
      <dl className="stats">
        <div>
          <dt>Elapsed</dt>
          <dd>{progress ? formatClock(progress.elapsedMs) : '–'}</dd>
        </div>
        <div>
          <dt>ETA</dt>
          <dd data-testid="lab-eta">
            {running && progress?.etaMs != null ? formatClock(progress.etaMs) : running ? '…' : '–'}
          </dd>
        </div>
        <div>
          <dt>Model estimate</dt>
          <dd>{status.estimatedMs !== null ? formatClock(status.estimatedMs) : '–'}</dd>
        </div>
        {status.failedRuns > 0 && (
          <div>
            <dt>Failed runs</dt>
            <dd>{status.failedRuns}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
