// Display formatting for the renderer; byte and rate units come from the shared formatter the CLI uses too.
import type { PaceState, SenderSnapshot } from '../shared/contract';
export {
  counted,
  fileNameOf,
  formatBytes,
  formatMs,
  formatRate,
  formatSeconds,
  sentence,
  textTable,
} from '../shared/format';

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * Wall ms left of a running send: at full speed, at the average rate so far (or since `since`); in slow motion, the rounds still to
 * come (as many per segment sent as so far) at its rounds per second, whatever the demo's clock (slowed so a timeout can be
 * watched) says; null in step mode, in a pause, or while there is nothing to extrapolate from.
 */
export function timeLeftMs(
  snapshot: SenderSnapshot,
  pace: PaceState,
  /** At full speed, the rate since then (where it went full speed after a teaching pace or a pause). */
  since: { t: number; bytesDone: number } | null = null,
): number | null {
  const { bytesDone, fileSize, t, chunks, chunksDone, rounds = 0 } = snapshot;
  if (pace.paused || pace.mode.kind === 'step') return null;
  if (pace.mode.kind === 'slow') {
    // The segments not sent yet (the end marker is a round of its own), as many rounds each as those sent so far:
    // per segment sent, not per chunk done, or the round in the air counted twice (the ETA rose with each round).
    const sent = Math.max(snapshot.sent ?? 0, chunksDone);
    const left = chunks + 1 - sent;
    const perSegment = sent > 0 && rounds > 0 ? rounds / sent : 1;
    return ((left * perSegment) / pace.mode.roundsPerSecond) * 1000;
  }
  const done = bytesDone - (since?.bytesDone ?? 0);
  const took = t - (since?.t ?? 0);
  if (done <= 0 || took <= 0) return null;
  return ((fileSize - bytesDone) * took) / done;
}

export function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, (done / total) * 100) : 0;
}
