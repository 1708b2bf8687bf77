// Replay: open a recorded transfer (native open dialog) and scrub or play through its timeline, with no
// network. The cursor opens at the end, so the totals read as they did live.
import { useEffect, useId, useMemo, useState } from 'react';
import { call, messageOf } from '../../api';
import { formatBytes } from '../../format';
import { PROTOCOL_NAMES } from '../../../shared/limits';
import { useAppStore } from '../../store/appStore';
import { replayFeed } from '../../timeline/feeds';
import { plainKey, replayAction } from '../presenter/keys';
import { ErrorNote } from '../common/ErrorNote';
import { TimelineCanvas } from '../timeline/TimelineCanvas';
import { TimelineLegend } from '../timeline/TimelineLegend';
import { REPLAY_SPEEDS, useReplayPlayer } from './useReplayPlayer';

export function ReplayMode() {
  const id = useId();
  const openReplay = useAppStore((s) => s.openReplay);
  const player = useReplayPlayer();
  const { replay, cursor, duration, playing, speed, step, toggle } = player;
  const [error, setError] = useState<string | null>(null);
  /** Recordings opened so far: each gets a fresh diagram, following its cursor (not the last one's scroll). */
  const [opened, setOpened] = useState(0);
  const labels = useMemo(() => replay?.session.receivers.map((r) => r.label) ?? [], [replay]);

  const open = async (): Promise<void> => {
    setError(null);
    try {
      const recording = await call('recording:open', null);
      if (recording) {
        openReplay(recording);
        setOpened((n) => n + 1);
      }
    } catch (e) {
      setError(messageOf(e));
    }
  };
  // From the keyboard or a presenter clicker (PageDown, PageUp, B), as presenter mode: not while typing in a
  // field, and the slider keeps its own arrows. A clicker's PageDown and PageUp step even with the Position
  // slider focused (it keeps the focus after a scrub): the slider's own PageDown moved it a tenth of the
  // recording back, "next" on the clicker taking the class backwards.
  useEffect(() => {
    if (!replay) return;
    const onKey = (e: KeyboardEvent): void => {
      const onScrubber =
        (e.key === 'PageDown' || e.key === 'PageUp') &&
        (e.target as HTMLElement | null)?.classList?.contains('replay-scrubber') === true &&
        !(e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey);
      if (!onScrubber && !plainKey(e)) return;
      const action = replayAction(e.key);
      if (action === null) return;
      e.preventDefault();
      if (action === 'toggle') toggle();
      else step(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [replay, step, toggle]);

  return (
    <div className="mode-layout">
      <div className="panel controls">
        <h2>Replay a transfer</h2>
        <p className="hint">
          Open a recording saved from the timeline of a send or a local demo, then play, scrub or step through
          it. No network is used.
        </p>
        <div className="actions">
          <button type="button" className="primary" onClick={() => void open()}>
            Open recording…
          </button>
        </div>
        <ErrorNote message={error} />
        {replay && (
          <p className="hint">
            Keys: PageDown or → for the next event, PageUp or ← for the one before, B to play or pause (a
            presenter clicker sends them).
          </p>
        )}
        {replay && (
          <dl className="file-info" aria-label="Recording">
            <dt>From</dt>
            <dd>{replay.session.source === 'demo' ? 'Local demo' : 'Send'}</dd>
            <dt>File</dt>
            <dd>
              {formatBytes(replay.session.fileSize)} in {replay.session.chunks.toLocaleString('en')} chunks of
              MSS {replay.session.mss}
            </dd>
            {replay.session.protocol && (
              <>
                <dt>Protocol</dt>
                <dd>
                  {PROTOCOL_NAMES[replay.session.protocol]}
                  {replay.session.window !== undefined && `, W = ${replay.session.window}`}
                </dd>
              </>
            )}
            <dt>Timeout</dt>
            <dd>{replay.session.timeoutMs} ms</dd>
            <dt>Receivers</dt>
            <dd>{labels.join(', ')}</dd>
            <dt>Outcome</dt>
            <dd>
              {replay.outcome === null
                ? 'saved before the transfer ended'
                : replay.outcome.cancelled
                  ? 'cancelled'
                  : replay.outcome.ok
                    ? 'complete'
                    : 'failed'}
              {replay.truncated && ' (recording stopped at its event limit)'}
            </dd>
            <dt>Events</dt>
            <dd>{replay.ring.size.toLocaleString('en')}</dd>
          </dl>
        )}
      </div>
      <div className="panel live">
        {replay ? (
          <section className="timeline-panel" aria-label="Replay timeline">
            <div className="replay-controls">
              <button type="button" className="primary" onClick={player.toggle}>
                {playing ? 'Pause' : 'Play'}
              </button>
              <button type="button" onClick={() => step(-1)} disabled={cursor <= 0}>
                ◀ Previous event
              </button>
              <button type="button" onClick={() => step(1)} disabled={cursor >= duration}>
                Next event ▶
              </button>
              <label htmlFor={`${id}-speed`}>Speed</label>
              <select
                id={`${id}-speed`}
                value={speed}
                onChange={(e) => player.setSpeed(Number(e.target.value))}
              >
                {REPLAY_SPEEDS.map((s) => (
                  <option key={s} value={s}>
                    {s}×
                  </option>
                ))}
              </select>
              {/* The label, the slider and the time wrap as one, in a small window. */}
              <span className="replay-position">
                <label htmlFor={`${id}-cursor`}>Position</label>
                <input
                  id={`${id}-cursor`}
                  className="replay-scrubber"
                  type="range"
                  min={0}
                  max={duration}
                  step="any"
                  value={cursor}
                  aria-valuetext={`${(cursor / 1000).toFixed(2)} of ${(duration / 1000).toFixed(2)} s`}
                  onChange={(e) => player.seek(Number(e.target.value))}
                />
                <output className="replay-time">
                  {(cursor / 1000).toFixed(2)} / {(duration / 1000).toFixed(2)} s
                </output>
              </span>
            </div>
            <TimelineCanvas key={opened} feed={replayFeed} labels={labels} headName="cursor" />
            <TimelineLegend
              network={replay.network}
              live={false}
              selective={replay.session.protocol === 'sr'}
            />
          </section>
        ) : (
          <p className="placeholder">No recording open.</p>
        )}
      </div>
    </div>
  );
}
