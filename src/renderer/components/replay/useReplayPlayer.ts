// Playing a recording: the cursor moves in real time times the speed, or one event at a time. Shared by the
// Replay tab and its presenter mode (one of them is on screen at a time, so one plays).
import { useCallback, useEffect } from 'react';
import { useAppStore } from '../../store/appStore';
import { stepFrom, type ReplayState } from '../../timeline/replay';
import { squeezeOf } from '../../timeline/squeeze';

export const REPLAY_SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5];

export function useReplayPlayer() {
  const replay = useAppStore((s) => s.replay);
  const cursor = useAppStore((s) => s.replayCursor);
  const playing = useAppStore((s) => s.replayPlaying);
  const speed = useAppStore((s) => s.replaySpeed);
  const setCursor = useAppStore((s) => s.setReplayCursor);
  const setPlaying = useAppStore((s) => s.setReplayPlaying);
  const setSpeed = useAppStore((s) => s.setReplaySpeed);
  const duration = replay?.duration ?? 0;

  // One step per animation frame while playing; at the end it stops.
  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let raf = requestAnimationFrame(function advance(now) {
      const { replayCursor, replay: current } = useAppStore.getState();
      const next = current ? playedOn(current, replayCursor, (now - last) * speed) : replayCursor;
      last = now;
      setCursor(next);
      if (!current || next >= current.duration) setPlaying(false);
      else raf = requestAnimationFrame(advance);
    });
    return () => cancelAnimationFrame(raf);
  }, [playing, speed, setCursor, setPlaying]);

  // Leaving the Replay tab pauses it (its presenter mode in or out keeps it playing: the mode stays Replay).
  useEffect(
    () => () => {
      const { settings, setReplayPlaying } = useAppStore.getState();
      if (settings?.mode !== 'replay') setReplayPlaying(false);
    },
    [],
  );
  const play = useCallback((): void => {
    const { replayCursor, replay: current } = useAppStore.getState();
    if (current && replayCursor >= current.duration) setCursor(0);
    setPlaying(true);
  }, [setCursor, setPlaying]);
  const toggle = useCallback(
    (): void => (useAppStore.getState().replayPlaying ? setPlaying(false) : play()),
    [play, setPlaying],
  );
  // One event at a time, for a class to follow each send, drop, timeout and ACK.
  const step = useCallback(
    (direction: 1 | -1): void => {
      const { replay: current, replayCursor } = useAppStore.getState();
      if (!current) return;
      setPlaying(false);
      setCursor(stepFrom(current, replayCursor, direction));
    },
    [setCursor, setPlaying],
  );
  return {
    replay,
    cursor,
    duration,
    playing,
    speed,
    play,
    pause: () => setPlaying(false),
    toggle,
    step,
    setSpeed,
    /** The cursor to `t` (ms), stopping play: a scrub. */
    seek: (t: number): void => {
      setPlaying(false);
      setCursor(t);
    },
  };
}

/**
 * Where the cursor is `ms` of playing after `cursor`: on the diagram's shown time, so a long wait (a class's
 * minute between two clicks, squeeze.ts) plays as long as it is drawn, not a minute of blank diagram; nor does the
 * time before the first event (an offer answered, the first click waited for) play longer than such a wait.
 */
export function playedOn(replay: ReplayState, cursor: number, ms: number): number {
  const squeeze = squeezeOf(replay.ring, replay.session.timeoutMs);
  const next = squeeze.real(squeeze.shown(cursor) + ms);
  const { ring } = replay;
  const first = ring.size > 0 ? ring.t(ring.start) : 0;
  return Math.max(next, first - squeeze.keep);
}
