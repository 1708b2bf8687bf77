// Presenter mode: for a projector and a class at the back of the room. Settings hidden; the sequence diagram
// fills the window, with a few big counters above it; every size follows the window (styles.css), so at
// 1920x1080 text is 28 px or more. Driven from the keyboard or a presenter clicker (keys.ts); ? lists the keys.
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SenderSource } from '../../../shared/contract';
import { useAppStore } from '../../store/appStore';
import { liveFeed } from '../../timeline/feeds';
import { TimelineCanvas } from '../timeline/TimelineCanvas';
import { TimelineLegend } from '../timeline/TimelineLegend';
import { useClickToLose } from '../timeline/useClickToLose';
import { STEP_HINT, usePace } from '../timeline/usePace';
import { PRESENTER_KEYS, presenterAction } from './keys';
import { Counter, KeysAndExit, PresenterBar, PresenterHelp, usePresenter } from './PresenterParts';

const PACE_NAMES = { full: 'Full speed', slow: 'Slow motion', step: 'Step' } as const;

export function PresenterMode({ source }: { source: SenderSource }) {
  const relays = useAppStore((s) => s.demo?.relays !== undefined);
  const selective = useAppStore((s) => s.settings?.protocol === 'sr');
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
  const { help, setHelp, keysRef, closeRef } = usePresenter(presenterAction, (action) => {
    const p = pace;
    if (action === 'next') p.next();
    else if (action === 'pause') p.togglePause();
    else if (action === 'slow') p.setMode(p.pace.mode.kind === 'slow' ? 'full' : 'slow');
    else if (action === 'faster') p.setRate(p.pace.mode.kind === 'slow' ? p.rate * 1.5 : p.rate);
    else if (action === 'slower') p.setRate(p.pace.mode.kind === 'slow' ? p.rate / 1.5 : p.rate);
    else return false;
    return true;
  });

  const kind = pace.pace.mode.kind;
  const paceText = `${PACE_NAMES[kind]}${kind === 'slow' ? ` ${pace.rate.toFixed(1)}/s` : ''}${pace.pace.paused ? ', paused' : ''}${pace.queued ? ', next round queued' : ''}`;
  return (
    <div className="presenter" data-testid="presenter">
      <PresenterBar
        state={<Counter label="Pace" value={paceText} tone="pace" />}
        counters={
          <>
            <Counter label="Chunks" value={`${counts.chunksDone} / ${counts.chunks}`} />
            <Counter label="Receivers done" value={`${counts.done} / ${counts.receivers}`} />
            {/* Only when one has: a class sees at once that a machine did not get the file. */}
            {counts.failed > 0 && <Counter label="Failed" value={String(counts.failed)} tone="bad" />}
            <Counter label="Timeouts" value={String(counts.timeouts)} />
            <Counter label="Retransmissions" value={String(counts.retransmissions)} />
          </>
        }
        actions={
          <>
            <button
              type="button"
              className="primary"
              disabled={!pace.canNext}
              title={kind === 'step' ? undefined : STEP_HINT}
              onClick={pace.next}
            >
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
            <KeysAndExit keysRef={keysRef} onKeys={() => setHelp(true)} />
          </>
        }
      />
      {labels.length > 0 ? (
        <TimelineCanvas feed={feed} labels={labels} headName="live" onLose={onLose} />
      ) : (
        <p className="placeholder">Start a transfer: its sequence diagram fills this screen.</p>
      )}
      <TimelineLegend network={source === 'demo' && relays} selective={selective} />
      {help && (
        <PresenterHelp
          bindings={PRESENTER_KEYS}
          closeRef={closeRef}
          onClose={() => setHelp(false)}
          note={
            onLose
              ? 'Click a packet in flight or of the next round (or pick it with ← → on the diagram and press ' +
                'Enter): the simulated network loses it.'
              : undefined
          }
        />
      )}
    </div>
  );
}
