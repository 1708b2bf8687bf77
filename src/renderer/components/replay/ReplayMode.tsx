// Replay: open a recorded transfer (native open dialog) and scrub or play through its timeline, with no
// network. The cursor opens at the end, so the totals read as they did live.
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { call, messageOf } from '../../api';
import { formatBytes } from '../../format';
import { PROTOCOL_NAMES } from '../../../shared/limits';
import { useAppStore } from '../../store/appStore';
import { replayFeed } from '../../timeline/feeds';
import { stepFrom } from '../../timeline/replay';
import { plainKey } from '../presenter/keys';
import { ErrorNote } from '../common/ErrorNote';
import { TimelineCanvas } from '../timeline/TimelineCanvas';
import { TimelineLegend } from '../timeline/TimelineLegend';

const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5];

/** Keys that step through a replay (a presenter clicker sends PageDown and PageUp, and B). */
const REPLAY_KEYS: Record<string, 1 | -1 | 'toggle'> = {
  PageDown: 1,
  ArrowRight: 1,
  PageUp: -1,
  ArrowLeft: -1,
  b: 'toggle',
  B: 'toggle',
};

export function ReplayMode() {
  const id = useId();
  const replay = useAppStore((s) => s.replay);
  const cursor = useAppStore((s) => s.replayCursor);
  const openReplay = useAppStore((s) => s.openReplay);
  const setCursor = useAppStore((s) => s.setReplayCursor);
  const [error, setError] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(0.25);
  /** Recordings opened so far: each gets a fresh diagram, following its cursor (not the last one's scroll). */
  const [opened, setOpened] = useState(0);
  const labels = useMemo(() => replay?.session.receivers.map((r) => r.label) ?? [], [replay]);
  const duration = replay?.duration ?? 0;

  // Playing moves the cursor in real time times the speed, one step per animation frame.
  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let raf = requestAnimationFrame(function advance(now) {
      const { replayCursor, replay: current } = useAppStore.getState();
      const next = replayCursor + (now - last) * speed;
      last = now;
      setCursor(next);
      if (!current || next >= current.duration) setPlaying(false);
      else raf = requestAnimationFrame(advance);
    });
    return () => cancelAnimationFrame(raf);
  }, [playing, speed, setCursor]);

  const open = async (): Promise<void> => {
    setError(null);
    try {
      const recording = await call('recording:open', null);
      if (recording) {
        setPlaying(false);
        openReplay(recording);
        setOpened((n) => n + 1);
      }
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const play = (): void => {
    if (cursor >= duration) setCursor(0);
    setPlaying(true);
  };
  // One event at a time, for a class to follow each send, drop, timeout and ACK (the slider moves by 1%).
  const step = useCallback(
    (direction: 1 | -1): void => {
      const { replay: current, replayCursor } = useAppStore.getState();
      if (!current) return;
      setPlaying(false);
      setCursor(stepFrom(current, replayCursor, direction));
    },
    [setCursor],
  );
  // From the keyboard or a presenter clicker (PageDown, PageUp, B), as presenter mode: not while typing in a
  // field, and the slider keeps its own arrows.
  const toggle = useRef<() => void>(() => undefined);
  toggle.current = () => (playing ? setPlaying(false) : play());
  useEffect(() => {
    if (!replay) return;
    const onKey = (e: KeyboardEvent): void => {
      if (!plainKey(e)) return;
      const action = REPLAY_KEYS[e.key];
      if (action === undefined) return;
      e.preventDefault();
      if (action === 'toggle') toggle.current();
      else step(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [replay, step]);

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
                <dd>{PROTOCOL_NAMES[replay.session.protocol]}</dd>
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
              <button
                type="button"
                className="primary"
                onClick={() => (playing ? setPlaying(false) : play())}
              >
                {playing ? 'Pause' : 'Play'}
              </button>
              <button type="button" onClick={() => step(-1)} disabled={cursor <= 0}>
                ◀ Previous event
              </button>
              <button type="button" onClick={() => step(1)} disabled={cursor >= duration}>
                Next event ▶
              </button>
              <label htmlFor={`${id}-speed`}>Speed</label>
              <select id={`${id}-speed`} value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
                {SPEEDS.map((s) => (
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
                  onChange={(e) => {
                    setPlaying(false);
                    setCursor(Number(e.target.value));
                  }}
                />
                <output className="replay-time">
                  {(cursor / 1000).toFixed(2)} / {(duration / 1000).toFixed(2)} s
                </output>
              </span>
            </div>
            <TimelineCanvas key={opened} feed={replayFeed} labels={labels} headName="cursor" />
            <TimelineLegend />
          </section>
        ) : (
          <p className="placeholder">No recording open.</p>
        )}
      </div>
    </div>
  );
}
