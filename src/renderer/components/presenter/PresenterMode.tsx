// Presenter mode: for a projector and a class at the back of the room. Settings hidden; the sequence diagram
// fills the window, with a few big counters above it; every size follows the window (styles.css), so at
// 1920x1080 text is 28 px or more. Driven from the keyboard or a presenter clicker (keys.ts); ? lists the keys.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SenderSource } from '../../../shared/contract';
import { useAppStore } from '../../store/appStore';
import { liveFeed } from '../../timeline/feeds';
import { TimelineCanvas } from '../timeline/TimelineCanvas';
import { TimelineLegend } from '../timeline/TimelineLegend';
import { useClickToLose } from '../timeline/useClickToLose';
import { usePace } from '../timeline/usePace';
import { PRESENTER_KEYS, presenterAction, toggleFullscreen } from './keys';

const PACE_NAMES = { full: 'Full speed', slow: 'Slow motion', step: 'Step' } as const;

function Counter({ label, value, tone }: { label: string; value: string; tone?: 'bad' | 'pace' }) {
  return (
    <div className={tone ? `presenter-counter ${tone}` : 'presenter-counter'}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

export function PresenterMode({ source }: { source: SenderSource }) {
  const setPresenter = useAppStore((s) => s.setPresenter);
  const relays = useAppStore((s) => s.demo?.relays !== undefined);
  const labels = useAppStore(
    useShallow((s) => s.senders[source]?.snapshot.receivers.map((r) => r.receiver.label) ?? []),
  );
  const counts = useAppStore(
    useShallow((s) => {
      const snap = s.senders[source]?.snapshot;
      const rs = snap?.receivers ?? [];
      return {
        chunksDone: snap?.chunksDone ?? 0,
        chunks: snap?.chunks ?? 0,
        done: rs.filter((r) => r.state === 'done').length,
        failed: rs.filter((r) => r.state === 'failed').length,
        receivers: rs.length,
        timeouts: rs.reduce((n, r) => n + r.timeouts, 0),
        retransmissions: rs.reduce((n, r) => n + r.retransmissions, 0),
      };
    }),
  );
  const pace = usePace(source);
  const feed = useMemo(() => liveFeed(source), [source]);
  const onLose = useClickToLose(source);
  const [help, setHelp] = useState(false);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const action = presenterAction(e);
      if (!action) return;
      e.preventDefault();
      const p = pace;
      if (action === 'next') p.next();
      else if (action === 'pause') p.togglePause();
      else if (action === 'slow') p.setMode(p.pace.mode.kind === 'slow' ? 'full' : 'slow');
      else if (action === 'faster') p.setRate(p.pace.mode.kind === 'slow' ? p.rate * 1.5 : p.rate);
      else if (action === 'slower') p.setRate(p.pace.mode.kind === 'slow' ? p.rate / 1.5 : p.rate);
      else if (action === 'fullscreen') toggleFullscreen();
      else if (action === 'help') setHelp(!help);
      else if (help) setHelp(false);
      else setPresenter(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pace, help, setPresenter]);

  // The keys dialog takes the focus, keeps it (it is modal: Tab stays on Close) and gives it back to its button.
  const keysRef = useRef<HTMLButtonElement>(null);
  const helpShown = useRef(false);
  useEffect(() => {
    if (help) closeRef.current?.focus();
    else if (helpShown.current) keysRef.current?.focus();
    helpShown.current = help;
  }, [help]);
  // Leaving, the focus goes back to the button that opened presenter mode, not to the page's body.
  useEffect(
    () => () =>
      void setTimeout(() => document.querySelector<HTMLButtonElement>('[data-presenter-toggle]')?.focus()),
    [],
  );

  const kind = pace.pace.mode.kind;
  const paceText = `${PACE_NAMES[kind]}${kind === 'slow' ? ` ${pace.rate.toFixed(1)}/s` : ''}${pace.pace.paused ? ', paused' : ''}`;
  return (
    <div className="presenter" data-testid="presenter">
      <div className="presenter-bar">
        <dl className="presenter-counters">
          <Counter label="Chunks" value={`${counts.chunksDone} / ${counts.chunks}`} />
          <Counter label="Receivers done" value={`${counts.done} / ${counts.receivers}`} />
          {/* Only when one has: a class sees at once that a machine did not get the file. */}
          {counts.failed > 0 && <Counter label="Failed" value={String(counts.failed)} tone="bad" />}
          <Counter label="Timeouts" value={String(counts.timeouts)} />
          <Counter label="Retransmissions" value={String(counts.retransmissions)} />
          {/* On a line of its own: its words change with a key press, and the diagram must not move then. */}
          <Counter label="Pace" value={paceText} tone="pace" />
        </dl>
        <div className="presenter-actions">
          <button type="button" className="primary" disabled={!pace.canStep} onClick={pace.next}>
            Next round
          </button>
          <button
            type="button"
            className="presenter-pause"
            aria-pressed={pace.pace.paused}
            onClick={pace.togglePause}
          >
            {pace.pace.paused ? 'Resume' : 'Pause'}
          </button>
          <button ref={keysRef} type="button" aria-haspopup="dialog" onClick={() => setHelp(true)}>
            Keys (?)
          </button>
          <button type="button" onClick={() => setPresenter(false)}>
            Exit
          </button>
        </div>
      </div>
      {labels.length > 0 ? (
        <TimelineCanvas feed={feed} labels={labels} headName="live" onLose={onLose} />
      ) : (
        <p className="placeholder">Start a transfer: its sequence diagram fills this screen.</p>
      )}
      <TimelineLegend network={source === 'demo' && relays} />
      {help && (
        <div
          className="presenter-help"
          role="dialog"
          aria-modal="true"
          aria-labelledby="presenter-help-title"
          onKeyDown={(e) => {
            if (e.key !== 'Tab') return;
            e.preventDefault();
            closeRef.current?.focus();
          }}
        >
          <h2 id="presenter-help-title">Presenter keys</h2>
          <table>
            <tbody>
              {PRESENTER_KEYS.map((k) => (
                <tr key={k.action}>
                  <th scope="row">
                    {k.keys.map((key, i) => (
                      <span key={key}>
                        {i > 0 && ' '}
                        <kbd>{key}</kbd>
                      </span>
                    ))}
                  </th>
                  <td>{k.label}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button ref={closeRef} type="button" onClick={() => setHelp(false)}>
            Close
          </button>
        </div>
      )}
    </div>
  );
}
