// Local demo: 1-8 receivers inside the app on 127.0.0.2.., each with its own p, and a sender sending a chosen
// file or the bundled sample to all of them. The whole protocol in one window, no network needed.
import { useRef, useState } from 'react';
import { demoReceiversProblem, portProblem } from '../../../shared/contract';
import { call, messageOf } from '../../api';
import { useAppStore } from '../../store/appStore';
import { ErrorNote } from '../common/ErrorNote';
import { StartStop } from '../common/StartStop';
import { FilePicker } from '../common/FilePicker';
import { NumberField } from '../common/NumberField';
import { PacketLegend } from '../common/PacketLegend';
import { TransferOptions } from '../common/TransferOptions';
import { TransferView } from '../transfer/TransferView';
import { DemoReceiverCard } from './DemoReceiverCard';
import { NetworkPanel } from './NetworkPanel';
import { CheckedForm } from '../common/CheckedForm';
import { useIntoViewOnStart } from '../common/useIntoViewOnStart';

export function DemoMode() {
  const settings = useAppStore((s) => s.settings);
  const update = useAppStore((s) => s.updateSettings);
  const demoFile = useAppStore((s) => s.demoFile);
  const setDemoFile = useAppStore((s) => s.setDemoFile);
  const clearDemo = useAppStore((s) => s.clearDemo);
  const receivers = useAppStore((s) => s.receivers);
  const running = useAppStore((s) => s.senders.demo?.snapshot.running ?? false);
  const result = useAppStore((s) => s.senders.demo?.snapshot.result ?? null);
  const finished = !running && result !== null;
  const [useSample, setUseSample] = useState(true);
  const started = useAppStore((s) => s.demo);
  const setStarted = useAppStore((s) => s.setDemo);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const network = useAppStore((s) => s.demoNetwork);
  // Start sits at the bottom of a long form: the transfer it starts comes into view from its top (the focus, on
  // Stop, scrolled the page so that its progress bar was cut at the top of a laptop's screen).
  const live = useRef<HTMLDivElement>(null);
  const [starts, setStarts] = useState(0);
  useIntoViewOnStart(live, starts, started !== null);
  if (!settings) return null;
  const loss = settings.demoLoss;

  const setCount = (n: number): void =>
    update({ demoLoss: Array.from({ length: n }, (_, i) => loss[i] ?? loss[loss.length - 1] ?? 0.1) });
  const setP = (index: number, p: number): void => {
    update({ demoLoss: loss.map((q, i) => (i === index ? p : q)) });
    if (started) call('demo:set-loss', { index, p }).catch((e: unknown) => setError(messageOf(e)));
  };
  const start = async (): Promise<void> => {
    setError(null);
    setStarting(true);
    setStarts((n) => n + 1);
    clearDemo();
    try {
      setStarted(
        await call('demo:start', {
          file: useSample ? null : (demoFile?.path ?? null),
          loss,
          mss: settings.mss,
          timeoutMs: settings.timeoutMs,
          profile: settings.profile,
          protocol: settings.protocol,
          window: settings.window,
          port: settings.port,
          ...(network.enabled
            ? { network: { forward: network.forward, backward: network.backward, seed: network.seed } }
            : {}),
        }),
      );
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setStarting(false);
    }
  };
  const stop = async (): Promise<void> => {
    await call('demo:stop', null).catch((e: unknown) => setError(messageOf(e)));
    setStarted(null);
  };
  const busy = running || starting;

  return (
    <div className="mode-layout">
      <CheckedForm
        className="panel controls"
        aria-label="Local demo settings"
        onSubmit={(e) => e.preventDefault()}
      >
        <h2>Local demo</h2>
        <p className="hint">
          Receivers run inside this app on 127.0.0.2, 127.0.0.3, … (on a loopback with only 127.0.0.1, as on
          macOS: on ports of their own); each drops packets with its own p. With the simulated network on, a
          relay stands in front of each.
        </p>
        <NumberField
          label="Receivers"
          value={loss.length}
          problem={demoReceiversProblem}
          onValid={setCount}
          disabled={busy}
        />
        <fieldset className="demo-file" disabled={busy}>
          <legend>File</legend>
          <label>
            <input type="radio" name="demo-file" checked={useSample} onChange={() => setUseSample(true)} />{' '}
            Bundled sample (200 KiB of text)
          </label>
          <label>
            <input type="radio" name="demo-file" checked={!useSample} onChange={() => setUseSample(false)} />{' '}
            A file of my own
          </label>
          {!useSample && <FilePicker file={demoFile} onFile={setDemoFile} disabled={busy} />}
        </fieldset>
        <TransferOptions disabled={busy} />
        <NumberField
          label="Port"
          value={settings.port}
          problem={portProblem}
          onValid={(port) => update({ port })}
          disabled={busy}
        />
        <NetworkPanel
          busy={busy}
          live={busy && started?.relays !== undefined}
          timeoutMs={settings.timeoutMs}
          onError={setError}
        />
        <StartStop
          start={{
            label: 'Start demo',
            disabled: busy || (!useSample && !demoFile),
            onClick: () => void start(),
          }}
          stop={{ label: 'Stop', disabled: started === null, onClick: () => void stop() }}
        />
        <ErrorNote message={error} />
      </CheckedForm>
      <div className="panel live" ref={live}>
        {started && (
          <p className="status" role="status">
            {finished ? 'Sent' : 'Sending'} {started.file.name} ({started.file.size.toLocaleString('en')}{' '}
            bytes, SHA-256 <code>{started.file.sha256.slice(0, 16)}…</code>) to {started.receivers.length}{' '}
            receivers
            {started.relays ? ' through the simulated network' : ''}
          </p>
        )}
        <TransferView source="demo" fileName={started?.file.name ?? null}>
          <h3>Inside each receiver</h3>
          <ul className="demo-grid">
            {loss.map((p, i) => (
              <DemoReceiverCard
                key={i}
                index={i}
                p={p}
                snapshot={receivers[`demo-${i}`]}
                onP={(q) => setP(i, q)}
                via={started?.relays?.[i]}
              />
            ))}
          </ul>
          <PacketLegend />
        </TransferView>
      </div>
    </div>
  );
}
