// Compare: the same file and the same seeded losses sent with every protocol side by side in the local demo,
// each lane with its sequence diagram (the sender window drawn in it), and a table that names the winner.
import { useRef, useState, type CSSProperties } from 'react';
import { demoReceiversProblem, seedProblem } from '../../../shared/contract';
import { windowProblem } from '../../../shared/limits';
import { call, messageOf } from '../../api';
import { useAppStore } from '../../store/appStore';
import { compareRequestOf, newSeed, winnerOf } from '../../store/compare';
import { ErrorNote } from '../common/ErrorNote';
import { FilePicker } from '../common/FilePicker';
import { LossSlider } from '../common/LossSlider';
import { NumberField } from '../common/NumberField';
import { StartStop } from '../common/StartStop';
import { PaceControls } from '../timeline/PaceControls';
import { TimelineLegend } from '../timeline/TimelineLegend';
import { CompareLane } from './CompareLane';
import { CompareTable } from './CompareTable';
import { CheckedForm } from '../common/CheckedForm';
import { usePageTop } from '../common/usePageTop';
import { useLaneHeads } from './useLaneHeads';

export function CompareMode() {
  const settings = useAppStore((s) => s.settings);
  const form = useAppStore((s) => s.compareForm);
  const setForm = useAppStore((s) => s.setCompareForm);
  const started = useAppStore((s) => s.compareStarted);
  const setStarted = useAppStore((s) => s.setCompareStarted);
  const view = useAppStore((s) => s.compare ?? null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [projector, setProjector] = useState(false);
  const lanesRef = useRef<HTMLDivElement>(null);
  // Measured once the lanes are there: projector view is often chosen before the first batch brings them.
  const lanesTop = usePageTop(lanesRef, projector && (view?.lanes.length ?? 0) > 0);
  const laneHeads = useLaneHeads(lanesRef, view?.lanes.length ?? 0);
  if (!settings) return null;
  const running = view?.running ?? false;
  const busy = running || starting;
  const lanes = view?.lanes ?? [];
  const winner = winnerOf(lanes);

  const start = async (): Promise<void> => {
    setError(null);
    setStarting(true);
    try {
      setStarted(await call('compare:start', compareRequestOf(form, settings)));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setStarting(false);
    }
  };
  // Projector view: the diagrams before the table, as tall as the screen allows (a table above them left each
  // lane a third of a 1080-px screen, too dense to follow at W = 8); each lane names its time and the winner,
  // and the table follows for the whole result. In the page's order, not only its look, so that reading and
  // focus follow what is seen.
  const lanesFirst = projector;
  // Each lane as tall as the screen below where the lanes start (styles.css).
  const fill = {
    ...(lanesTop === null ? {} : { '--lanes-top': `${lanesTop}px` }),
    ...(laneHeads === null ? {} : { '--lane-head': `${laneHeads}px` }),
  } as CSSProperties;
  const results = lanes.length > 0 && (
    <div className="panel compare-results">
      <CompareTable lanes={lanes} winner={winner} />
    </div>
  );
  const stop = (): void => {
    call('compare:stop', null).catch((e: unknown) => setError(messageOf(e)));
  };

  return (
    <div className="compare-view" data-projector={projector}>
      <div className="compare-head">
        <h2>Compare protocols</h2>
        {/* In projector view the pace shares the title's row: the rows go to the diagrams. */}
        {projector && <PaceControls source="compare" />}
        <button type="button" aria-pressed={projector} onClick={() => setProjector(!projector)}>
          {projector ? 'Show settings' : 'Hide settings (projector)'}
        </button>
      </div>
      {!projector && (
        <CheckedForm
          className="panel compare-form"
          aria-label="Comparison settings"
          onSubmit={(e) => e.preventDefault()}
        >
          <fieldset className="demo-file" disabled={busy}>
            <legend>File</legend>
            {[true, false].map((sample) => (
              <label key={String(sample)}>
                <input
                  type="radio"
                  name="compare-file"
                  checked={form.sample === sample}
                  onChange={() => setForm({ sample })}
                />{' '}
                {sample ? 'Bundled sample (200 KiB of text)' : 'A file of my own'}
              </label>
            ))}
            {!form.sample && (
              <FilePicker file={form.file} onFile={(file) => setForm({ file })} disabled={busy} />
            )}
          </fieldset>
          <fieldset disabled={busy}>
            <legend>Receivers and loss</legend>
            <NumberField
              label="Receivers"
              value={form.receivers}
              problem={demoReceiversProblem}
              onValid={(receivers) => setForm({ receivers })}
            />
            <LossSlider
              label="p, data packets"
              value={form.forward}
              onChange={(forward) => setForm({ forward })}
            />
            <LossSlider
              label="p, ACKs"
              value={form.backward}
              onChange={(backward) => setForm({ backward })}
            />
          </fieldset>
          <fieldset disabled={busy}>
            <legend>Window and seed</legend>
            <NumberField
              label="Window W (windowed protocols)"
              value={form.window}
              problem={windowProblem}
              onValid={(window) => setForm({ window })}
            />
            <NumberField
              key={form.seed}
              label="Seed of the loss pattern"
              value={form.seed}
              problem={seedProblem}
              onValid={(seed) => setForm({ seed })}
            />
            <button type="button" onClick={() => setForm({ seed: newSeed() })}>
              New seed
            </button>
          </fieldset>
          <div className="compare-actions">
            <PaceControls source="compare" />
            <StartStop
              start={{
                label: 'Start comparison',
                disabled: busy || (!form.sample && !form.file),
                onClick: () => void start(),
              }}
              stop={{ label: 'Stop', disabled: !running, onClick: stop }}
            />
          </div>
          <p className="hint compare-explain">
            The same datagrams are lost in each lane: whether a datagram is lost depends only on the seed, the
            receiver, its direction, its sequence number and which copy it is (the 1st, 2nd, … send of segment
            s to receiver r, or the 1st, 2nd, … ACK n from it), never on timing. Each lane has its own
            receivers inside this app, behind relays that apply this pattern; MSS {settings.mss} B, timeout{' '}
            {settings.timeoutMs} ms (from Send).
          </p>
          <ErrorNote message={error} />
        </CheckedForm>
      )}
      {started && (
        <p className="status" role="status">
          {started.file.name} ({started.file.size.toLocaleString('en')} bytes, SHA-256{' '}
          <code>{started.file.sha256.slice(0, 16)}…</code>) to {form.receivers} receivers per lane, p ={' '}
          {form.forward.toFixed(2)} data / {form.backward.toFixed(2)} ACKs, seed {started.seed}
          {running ? ': running' : ''}
        </p>
      )}
      {!lanesFirst && results}
      {lanes.length > 0 ? (
        <div className="compare-lanes" ref={lanesRef} style={fill}>
          {lanes.map((lane, i) => (
            <CompareLane key={lane.protocol} lane={lane} index={i} winner={winner === i} />
          ))}
        </div>
      ) : (
        <p className="placeholder">
          Start a comparison: one lane per protocol, side by side, each with its sequence diagram and its
          sender window drawn in it.
        </p>
      )}
      {lanes.length > 0 && <TimelineLegend window />}
      {lanesFirst && results}
    </div>
  );
}
