// "Check an implementation": p2mpcheck in the app. Check a receiver at HOST PORT (anyone's, or ours), or a
// sender: the app plays its receivers on this machine and the user starts the sender against them. The report is
// the command line's (p2mpcheck server / client), with the datagrams exchanged as evidence.
import { useId, useState } from 'react';
import {
  CHECK_MAX_RECEIVERS,
  checkHostProblem,
  DEFAULT_PORT,
  portProblem,
  type CheckRequest,
  type FileInfo,
} from '../../../shared/contract';
import { useAppStore } from '../../store/appStore';
import { ErrorNote } from '../common/ErrorNote';
import { FilePicker } from '../common/FilePicker';
import { NumberField } from '../common/NumberField';
import { StartStop } from '../common/StartStop';
import { CheckReportView } from './CheckReportView';
import { CheckedForm } from '../common/CheckedForm';

const receiversProblem = (n: number): string | null =>
  Number.isInteger(n) && n >= 1 && n <= CHECK_MAX_RECEIVERS ? null : `1 to ${CHECK_MAX_RECEIVERS} receivers`;

export function CheckMode() {
  const hostId = useId();
  const check = useAppStore((s) => s.check);
  const runCheck = useAppStore((s) => s.runCheck);
  const cancelCheck = useAppStore((s) => s.cancelCheck);
  const [kind, setKind] = useState<CheckRequest['kind']>('receiver');
  const [host, setHost] = useState('127.0.0.1');
  const [port, setPort] = useState(DEFAULT_PORT);
  const [receivers, setReceivers] = useState(3);
  // One file each: a receiver's output file is not what a sender sends.
  const [files, setFiles] = useState<Record<CheckRequest['kind'], FileInfo | null>>({
    receiver: null,
    sender: null,
  });
  const file = files[kind];
  const setFile = (chosen: FileInfo | null): void => setFiles({ ...files, [kind]: chosen });
  const hostIssue = kind === 'receiver' ? checkHostProblem(host.trim()) : null;
  const withFile = file ? { file: file.path } : {};
  const request: CheckRequest =
    kind === 'receiver'
      ? { kind, host: host.trim(), port, ...withFile }
      : { kind, port, receivers, ...withFile };
  const started = check.started;

  return (
    <div className="mode-layout">
      <CheckedForm
        className="panel controls"
        aria-label="Check settings"
        onSubmit={(e) => e.preventDefault()}
      >
        <h2>Check an implementation</h2>
        <p className="hint">
          Tests a course receiver or sender (a student&apos;s, or ours) rule by rule, and finds the dialect it
          speaks. As p2mpcheck does on the command line.
        </p>
        <fieldset className="check-kind" disabled={check.running}>
          <legend>What to check</legend>
          <label>
            <input type="radio" checked={kind === 'receiver'} onChange={() => setKind('receiver')} />A
            receiver, running at an address
          </label>
          <label>
            <input type="radio" checked={kind === 'sender'} onChange={() => setKind('sender')} />A sender:
            this app plays its receivers
          </label>
        </fieldset>
        <div className="options-grid">
          {kind === 'receiver' && (
            <div className="field">
              <label htmlFor={hostId}>Receiver address</label>
              <input
                id={hostId}
                value={host}
                disabled={check.running}
                spellCheck={false}
                aria-invalid={hostIssue !== null}
                aria-describedby={hostIssue ? `${hostId}-problem` : undefined}
                onChange={(e) => setHost(e.target.value)}
              />
              {hostIssue && (
                <p id={`${hostId}-problem`} className="problem" role="alert">
                  {hostIssue}
                </p>
              )}
            </div>
          )}
          <NumberField
            label={kind === 'receiver' ? 'Its port' : 'Port the receivers listen on'}
            value={port}
            problem={portProblem}
            onValid={setPort}
            disabled={check.running}
          />
          {kind === 'sender' && (
            <NumberField
              label="Receivers"
              value={receivers}
              problem={receiversProblem}
              onValid={setReceivers}
              disabled={check.running}
            />
          )}
        </div>
        <fieldset className="check-file" disabled={check.running}>
          <legend>
            {kind === 'receiver' ? 'Its output file (optional)' : 'The file your sender sends (optional)'}
          </legend>
          <p className="hint">
            {kind === 'receiver'
              ? 'When this machine can read it: start the receiver, then pick the file it writes. Read as the check goes, it shows whether each segment was written once, in order, and nothing else.'
              : 'Every receiver must then end with exactly its bytes.'}
          </p>
          <FilePicker file={file} onFile={setFile} onClear={() => setFile(null)} disabled={check.running} />
        </fieldset>
        <StartStop
          start={{
            label: 'Start check',
            disabled: check.running || hostIssue !== null,
            onClick: () => void runCheck(request),
          }}
          stop={{ label: 'Cancel', disabled: !check.running, onClick: () => void cancelCheck() }}
        />
        <ErrorNote message={check.error} />
      </CheckedForm>
      <div className="panel live">
        <p className="status" role="status">
          {!check.running
            ? check.outcome
              ? 'Check done'
              : 'No check running'
            : !started
              ? 'Starting…'
              : started.kind === 'receiver'
                ? `Checking the receiver at ${started.addresses[0]}:${started.port}…`
                : `Start your sender now: ${started.addresses.join(' ')}${started.port ? ` port ${started.port}` : ''}`}
        </p>
        {check.running && started?.kind === 'sender' && (
          <p className="hint">
            Give your sender these receivers and this port, and the file to send. The check answers as course
            receivers do, but withholds some ACKs and answers one with garbage on purpose; it ends when the
            sender has been quiet for {started.quietMs / 1000} s.
          </p>
        )}
        {check.outcome && (
          <CheckReportView outcome={check.outcome} waitMs={started?.kind === 'sender' ? started.waitMs : 0} />
        )}
      </div>
    </div>
  );
}
