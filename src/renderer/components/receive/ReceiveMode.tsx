// Receive mode: listen on a port, write into the chosen folder, drop packets with probability p (movable live).
import { useId, useRef, useState } from 'react';
import { portProblem } from '../../../shared/contract';
import { hostOf } from '../../../shared/format';
import { formatBytes } from '../../format';
import { call, messageOf } from '../../api';
import { useAppStore } from '../../store/appStore';
import { ErrorNote } from '../common/ErrorNote';
import { StartStop } from '../common/StartStop';
import { LossSlider } from '../common/LossSlider';
import { NumberField } from '../common/NumberField';
import { PacketLegend } from '../common/PacketLegend';
import { PacketStrip } from '../common/PacketStrip';
import { DialectField } from '../common/DialectField';
import { ProfileField } from '../common/ProfileField';
import { SessionCodeField, sessionCodeIssue } from '../common/SessionCodeField';
import { AnnounceField } from './AnnounceField';
import { CompletedFiles } from './CompletedFiles';
import { IncomingFile } from './IncomingFile';
import { OfferPrompt } from './OfferPrompt';
import { ReceivedEarlier } from './ReceivedEarlier';
import { ReceiverCountersView } from './ReceiverCountersView';
import { ReceiverNotes } from './ReceiverNotes';
import { SaveFolderField } from './SaveFolderField';
import { SeedField } from './SeedField';
import { ThisMachine } from './ThisMachine';
import { CheckedForm } from '../common/CheckedForm';
import { useIntoViewOnStart } from '../common/useIntoViewOnStart';
import { SizeLimitField } from './SizeLimitField';

export function ReceiveMode() {
  const bindId = useId();
  const settings = useAppStore((s) => s.settings);
  const update = useAppStore((s) => s.updateSettings);
  const snapshot = useAppStore((s) => s.receivers.receive);
  const listening = useAppStore((s) => s.listening);
  const setListening = useAppStore((s) => s.setListening);
  const code = useAppStore((s) => s.receiveCode);
  const setCode = useAppStore((s) => s.setReceiveCode);
  const [error, setError] = useState<string | null>(null);
  const live = listening !== null && snapshot?.listening != null;
  // What a teacher reads out once it listens (this machine's addresses, the listening line) comes into view.
  const liveRef = useRef<HTMLDivElement>(null);
  const [starts, setStarts] = useState(0);
  useIntoViewOnStart(liveRef, starts, live);
  if (!settings) return null;

  const start = async (): Promise<void> => {
    setError(null);
    setStarts((n) => n + 1);
    try {
      setListening(
        await call('receive:start', {
          port: settings.port,
          bind: settings.bind,
          p: settings.p,
          seed: settings.seed,
          profile: settings.profile,
          announce: settings.announce,
          name: settings.receiverName,
          autoAccept: settings.autoAccept,
          ...(settings.maxFileBytes !== null ? { maxBytes: settings.maxFileBytes } : {}),
          requireCode: settings.requireCode,
          ...(settings.requireCode && code.trim() !== '' ? { code } : {}),
          dialect: settings.dialect,
        }),
      );
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const stop = async (): Promise<void> => {
    try {
      await call('receive:stop', null);
    } catch (e) {
      setError(messageOf(e));
    }
    setListening(null);
  };
  const setP = (p: number): void => {
    update({ p });
    if (listening) call('receive:set-loss', { p }).catch((e: unknown) => setError(messageOf(e)));
  };

  // Why Start listening is greyed out, said next to it.
  const startProblem = !settings.saveFolder
    ? 'Choose a folder to save into first.'
    : settings.requireCode
      ? sessionCodeIssue(code)
      : null;
  const anyAddress = ['0.0.0.0', '::', ''].includes(listening?.address ?? '');
  return (
    // Listening, the live side comes first where the two stack (a small window): an offer waits there.
    <div className={listening !== null ? 'mode-layout live-first' : 'mode-layout'}>
      <CheckedForm
        className="panel controls"
        aria-label="Receive settings"
        onSubmit={(e) => e.preventDefault()}
      >
        <h2>Receive files</h2>
        <div className="options-grid">
          <NumberField
            label="Port"
            value={settings.port}
            problem={portProblem}
            onValid={(port) => update({ port })}
            disabled={listening !== null}
          />
          <div className="field">
            <label htmlFor={bindId}>Bind address</label>
            <input
              id={bindId}
              value={settings.bind}
              disabled={listening !== null}
              onChange={(e) => update({ bind: e.target.value })}
            />
          </div>
          <ProfileField
            value={settings.profile}
            onChange={(profile) => update({ profile })}
            disabled={listening !== null}
          />
          <DialectField
            value={settings.dialect}
            profile={settings.profile}
            onValid={(dialect) => update({ dialect })}
            disabled={listening !== null}
          />
          <SeedField
            value={settings.seed}
            onChange={(seed) => update({ seed })}
            disabled={listening !== null}
          />
        </div>
        <SaveFolderField disabled={listening !== null} />
        <SizeLimitField
          value={settings.maxFileBytes}
          onChange={(maxFileBytes) => update({ maxFileBytes })}
          disabled={listening !== null}
        />
        <AnnounceField
          announce={settings.announce}
          name={settings.receiverName}
          autoAccept={settings.autoAccept}
          requireCode={settings.requireCode}
          onChange={update}
          disabled={listening !== null}
        />
        {settings.requireCode && (
          <SessionCodeField
            code={code}
            onChange={setCode}
            disabled={listening !== null}
            placeholder="empty: a new code"
            hint="The room's code, as the sender or another receiver shows it; empty: this receiver makes one when it starts listening."
          />
        )}
        <LossSlider label="Loss probability p" value={settings.p} onChange={setP} />
        <p className="hint">
          Each arriving packet is dropped with probability p, as the course&apos;s receiver does (0 by
          default: a real copy loses nothing on purpose). It can be moved while listening.
        </p>
        <StartStop
          start={{
            label: 'Start listening',
            disabled: listening !== null || startProblem !== null,
            onClick: () => void start(),
          }}
          stop={{ label: 'Stop', disabled: listening === null, onClick: () => void stop() }}
        />
        {listening === null && startProblem !== null && <p className="hint">{startProblem}</p>}
        <ErrorNote message={error} />
      </CheckedForm>
      <div className="panel live" ref={liveRef}>
        {/* What needs an answer or went wrong first: an offer waits for the user, a refusal says why. */}
        {snapshot && <OfferPrompt offers={snapshot.offers} />}
        {snapshot && <ReceiverNotes snapshot={snapshot} />}
        {/* Focusable from script only: where focus goes once the last question is answered. */}
        <p className="status" role="status" tabIndex={-1}>
          {live && listening
            ? `Listening on ${anyAddress ? `port ${listening.port} of every address below` : `${listening.address}:${listening.port}`} (seed ${listening.seed}), p = ${snapshot.p.toFixed(2)}`
            : 'Not listening'}
          {live && listening?.announcedAs && `; announced on the network as "${listening.announcedAs}"`}
          {snapshot?.transfer && (
            <>
              {' — receiving from '}
              <span title={snapshot.transfer.from}>{hostOf(snapshot.transfer.from)}</span>
              {/* A course sender that may send no end marker: what its silence will do (the receiver's rule). */}
              {!snapshot.transfer.offered &&
                snapshot.listening?.silence &&
                ` (${snapshot.listening.silence})`}
            </>
          )}
        </p>
        {snapshot?.transfer && <IncomingFile transfer={snapshot.transfer} rate={snapshot.rate} />}
        {/* Another host's offer while this transfer is on: its sender asks again every second until it ends. */}
        {snapshot?.held.map((h) => (
          <p key={h.from} className="hint">
            {`${h.from} wants to send ${h.name} (${formatBytes(h.size)}): told to wait until this transfer ends`}
          </p>
        ))}
        <ThisMachine
          port={settings.port}
          bind={settings.bind}
          code={live ? (listening?.code ?? null) : null}
          listening={live}
        />
        {snapshot && (
          <>
            <ReceiverCountersView snapshot={snapshot} />
            <h3>Recent packets</h3>
            <PacketStrip packets={snapshot.recent} label="Recent packets" />
            <PacketLegend />
            <CompletedFiles files={snapshot.completed} />
          </>
        )}
        <ReceivedEarlier completed={snapshot?.completed.length ?? 0} />
      </div>
    </div>
  );
}
