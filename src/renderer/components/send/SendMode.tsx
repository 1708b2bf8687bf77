// Send mode: choose a file and receivers, set MSS/timeout/profile, Start and Cancel; the live view beside.
import { useRef, useState } from 'react';
import { parseReceiverAddress } from '../../../shared/contract';
import { call, messageOf } from '../../api';
import { useAppStore } from '../../store/appStore';
import { ErrorNote } from '../common/ErrorNote';
import { StartStop } from '../common/StartStop';
import { FilePicker } from '../common/FilePicker';
import { useIntoViewOnStart } from '../common/useIntoViewOnStart';
import { TransferOptions } from '../common/TransferOptions';
import { TransferView } from '../transfer/TransferView';
import { DiscoveredReceivers } from './DiscoveredReceivers';
import { ReceiverListEditor } from './ReceiverListEditor';
import { SavedGroups } from './SavedGroups';
import { SessionCodeField, sessionCodeIssue } from '../common/SessionCodeField';
import { CheckedForm } from '../common/CheckedForm';

export function SendMode() {
  const settings = useAppStore((s) => s.settings);
  const file = useAppStore((s) => s.sendFile);
  const setFile = useAppStore((s) => s.setSendFile);
  const code = useAppStore((s) => s.sendCode);
  const setCode = useAppStore((s) => s.setSendCode);
  const update = useAppStore((s) => s.updateSettings);
  const names = useAppStore((s) => s.receiverNames);
  const nameReceivers = useAppStore((s) => s.nameReceivers);
  const running = useAppStore((s) => s.senders.send?.snapshot.running ?? false);
  const transfer = useAppStore((s) => s.senders.send !== undefined);
  const live = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  // Start presses. Start sits below the receivers (30 of them in a lab): once pressed, the transfer is brought into
  // view from its top as it shows.
  const [starts, setStarts] = useState(0);
  useIntoViewOnStart(live, starts, transfer);
  if (!settings) return null;

  const receiversValid =
    settings.receivers.length > 0 &&
    settings.receivers.every((r) => typeof parseReceiverAddress(r, settings.port) !== 'string');
  const start = async (): Promise<void> => {
    if (!file) return;
    setError(null);
    setStarting(true);
    setStarts((n) => n + 1);
    try {
      await call('send:start', {
        file: file.path,
        receivers: settings.receivers,
        // Receivers added from the network keep their names in the table, the diagram and the summary.
        ...(settings.receivers.some((r) => names[r] !== undefined)
          ? { names: settings.receivers.map((r) => names[r] ?? null) }
          : {}),
        mss: settings.mss,
        timeoutMs: settings.timeoutMs,
        profile: settings.profile,
        dialect: settings.dialect,
        protocol: settings.protocol,
        window: settings.window,
        ...(settings.protocol === 'sr' ? { multicast: settings.multicast } : {}),
        ...(code.trim() !== '' ? { code } : {}),
      });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setStarting(false);
    }
  };
  const busy = running || starting;

  return (
    // A window too narrow for two columns shows a transfer above the form (as Receive mode, listening); not a
    // start that failed, whose reason is said by the form.
    <div className={transfer || (starts > 0 && error === null) ? 'mode-layout live-first' : 'mode-layout'}>
      <CheckedForm className="panel controls" aria-label="Send settings" onSubmit={(e) => e.preventDefault()}>
        <h2>Send a file</h2>
        <FilePicker file={file} onFile={setFile} disabled={busy} />
        <ReceiverListEditor
          receivers={settings.receivers}
          defaultPort={settings.port}
          onChange={(receivers) => update({ receivers })}
          disabled={busy}
          names={names}
        />
        <SavedGroups
          groups={settings.receiverGroups}
          receivers={settings.receivers}
          onGroups={(receiverGroups) => update({ receiverGroups })}
          onReceivers={(receivers) => update({ receivers })}
          disabled={busy}
        />
        <DiscoveredReceivers
          receivers={settings.receivers}
          defaultPort={settings.port}
          onAdd={(entries, found) => {
            nameReceivers(found);
            update({ receivers: [...settings.receivers, ...entries] });
          }}
          disabled={busy}
        />
        <TransferOptions disabled={busy} dialect multicast />
        <SessionCodeField
          code={code}
          onChange={setCode}
          disabled={busy}
          placeholder="if the receivers use one"
          hint="With a code, every packet is authenticated and encrypted, and only receivers given that code take part. For a room: New code, read it out, and every receiver uses it."
        />
        <StartStop
          start={{
            label: 'Start',
            disabled: busy || !file || !receiversValid || sessionCodeIssue(code) !== null,
            onClick: () => void start(),
          }}
          stop={{
            label: 'Cancel',
            disabled: !running,
            onClick: () => void call('send:cancel', null).catch(() => {}),
          }}
        />
        <ErrorNote message={error} />
      </CheckedForm>
      <div className="panel live" ref={live}>
        <TransferView source="send" fileName={file?.name ?? null} />
      </div>
    </div>
  );
}
