// A p2mpcheck report as the command line prints it, for a receiver or a sender: the dialect found, each rule
// with its pass / differs / fails badge, detail and course text, the result, the options that talk to the
// implementation (copyable), and the evidence: the datagrams exchanged on the sequence diagram and as a list.
import { useMemo } from 'react';
import type { CheckOutcome } from '../../../shared/contract';
import {
  describeDialect,
  dialectOption,
  receivedNothing,
  resultLine,
  ruleOf,
  slowLine,
  talkCommand,
  type Exchange,
} from '../../../shared/check/rules';
import { TIMELINE_STRIDE, TimelineKind, type TimelineEvents } from '../../../shared/live/timeline';
import { TimelineRing } from '../../../shared/live/timelineRing';
import { call, messageOf } from '../../api';
import type { TimelineFeed } from '../../timeline/feeds';
import { Tally } from '../../timeline/tally';
import { TimelineCanvas } from '../timeline/TimelineCanvas';
import { TimelineLegend } from '../timeline/TimelineLegend';
import { useFadingNote } from '../common/useFadingNote';

/** Rows of the evidence list shown at once: the diagram holds every datagram. */
const LIST_ROWS = 400;
const KINDS = { send: TimelineKind.send, resend: TimelineKind.resend, ack: TimelineKind.ack };
const DIRECTIONS: Record<Exchange['dir'], string> = {
  'to-receiver': '→ receiver',
  'to-sender': '← receiver',
  none: '(not sent)',
};

/** The evidence the diagram draws (segments, repeats, ACKs), as a finished timeline in time order. */
function evidenceFeed(evidence: readonly Exchange[], timeoutMs: number): TimelineFeed {
  const events: TimelineEvents = evidence
    .filter((e) => e.mark !== undefined)
    .sort((a, b) => a.t - b.t)
    .flatMap((e) => [e.t, KINDS[e.mark!], e.seq ?? 0, e.receiver]);
  const count = events.length / TIMELINE_STRIDE;
  const ring = new TimelineRing(Math.max(1, count));
  ring.pushAll(events);
  const snapshot = {
    events: ring,
    tally: new Tally(ring),
    limit: ring.end,
    head: count > 0 ? ring.t(count - 1) : 0,
    notShown: 0,
    timeoutMs,
    running: false,
    // A finished exchange: nobody is owed a next chunk (no click-to-lose on evidence).
    inTransfer: [],
    lastSeq: 0,
    // p2mpcheck's exchanges are stop-and-wait's, one segment at a time.
    windowed: false,
    segmentTimers: false,
  };
  return { read: () => snapshot, flightMs: () => 0, subscribe: () => () => undefined };
}

/** `waitMs`: how long a sender was waited for (a sender check). */
export function CheckReportView({ outcome, waitMs }: { outcome: CheckOutcome; waitMs: number }) {
  const [note, setNote] = useFadingNote();
  const report = outcome.report;
  const evidence = outcome.kind === 'receiver' ? outcome.evidence : outcome.report.evidence;
  const labels = outcome.kind === 'receiver' ? [outcome.report.target] : outcome.report.receivers;
  const timeoutMs = outcome.kind === 'sender' ? (outcome.report.timeout?.medianMs ?? 100) : 300;
  const feed = useMemo(() => evidenceFeed(evidence, timeoutMs), [evidence, timeoutMs]);
  const heading =
    outcome.kind === 'receiver'
      ? `Receiver at ${outcome.report.target}`
      : `Sender${outcome.report.sender ? ` at ${outcome.report.sender}` : ''}, received on ${labels.join(' ')}`;
  const talk = report.dialect
    ? outcome.kind === 'receiver'
      ? dialectOption(report.dialect)
      : talkCommand(report.dialect, outcome.report.port)
    : null;
  const copy = (text: string): void => {
    call('summary:copy', { text }).then(
      () => setNote(`Copied ${text}`, true),
      (e: unknown) => setNote(messageOf(e)),
    );
  };
  const failed = report.verdicts.some((v) => v.status === 'fails');
  if (outcome.kind === 'sender' && outcome.report.silent)
    return (
      <p className="error-note">
        No sender was heard on {labels.join(' ')}
        {outcome.report.port ? ` port ${outcome.report.port}` : ''} within {waitMs / 1000} s: nothing was
        checked.
      </p>
    );
  return (
    <section className="check-report" aria-label="Check report">
      <h3>{heading}</h3>
      <p>
        <strong>Dialect:</strong> {report.dialect ? describeDialect(report.dialect) : 'not found'}
      </p>
      {outcome.kind === 'receiver' && outcome.report.slow && <p>{slowLine(outcome.report.slow, 'app')}</p>}
      {outcome.kind === 'sender' && outcome.report.unreached && (
        <p className="error-note">{receivedNothing(outcome.report.unreached.join(', '))}</p>
      )}
      <table className="check-verdicts">
        <caption className="visually-hidden">Rules, one per row</caption>
        <thead>
          <tr>
            <th scope="col">Verdict</th>
            <th scope="col">Rule</th>
            <th scope="col">What it does, and the course text</th>
          </tr>
        </thead>
        <tbody>
          {report.verdicts.map((v) => {
            const rule = ruleOf(v.id);
            return (
              <tr key={v.id} data-rule={v.id}>
                <td>
                  <span className={`badge badge-${v.status}`}>{v.status}</span>
                </td>
                <th scope="row">{rule.title}</th>
                <td>
                  <p className="check-detail">{v.detail}</p>
                  <p className="check-course">Course: {rule.course}</p>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className={failed ? 'check-result check-failed' : 'check-result'} role="status">
        {resultLine(report.verdicts, outcome.kind === 'sender' ? outcome.report.unreached : undefined)}
      </p>
      {talk && (
        <div className="check-talk">
          <span>Talk to it with:</span> <code>{talk}</code>
          <button type="button" onClick={() => copy(talk)} aria-label={`Copy ${talk}`}>
            Copy
          </button>
          {note && (
            <span className="hint" role="status">
              {note}
            </span>
          )}
        </div>
      )}
      <h3>Evidence</h3>
      {evidence.length === 0 ? (
        <p className="hint">No datagram was exchanged.</p>
      ) : (
        <>
          <TimelineCanvas feed={feed} labels={labels} headName="end" />
          {/* A check has no simulated network and no teaching pace: no losses mid-way, nothing drawn flying. */}
          <TimelineLegend network={false} live={false} selective={false} />
          <EvidenceList evidence={evidence} labels={labels} />
        </>
      )}
    </section>
  );
}

function EvidenceList({ evidence, labels }: { evidence: readonly Exchange[]; labels: string[] }) {
  const shown = evidence.slice(0, LIST_ROWS);
  return (
    <div className="check-evidence" tabIndex={0} role="region" aria-label="Datagrams exchanged">
      <table>
        <thead>
          <tr>
            <th scope="col">ms</th>
            <th scope="col">Direction</th>
            <th scope="col">Receiver</th>
            <th scope="col">Seq</th>
            <th scope="col">What</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e, i) => (
            <tr key={i}>
              <td>{e.t}</td>
              <td>{DIRECTIONS[e.dir]}</td>
              <td>{labels[e.receiver]}</td>
              <td>{e.seq ?? ''}</td>
              <td>{e.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {evidence.length > shown.length && (
        <p className="hint">
          The first {shown.length} of {evidence.length} datagrams; the diagram shows them all.
        </p>
      )}
    </div>
  );
}
