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
 * Wall ms left of a running send: at full speed, at the average rate so far; in slow motion, the rounds still to
 * come (as many per chunk as so far) at its rounds per second, whatever the demo's clock (slowed so a timeout can be
 * watched) says; null in step mode, in a pause, or while there is nothing to extrapolate from.
 */
export function timeLeftMs(snapshot: SenderSnapshot, pace: PaceState): number | null {
  const { bytesDone, fileSize, t, chunks, chunksDone, rounds = 0 } = snapshot;
  if (pace.paused || pace.mode.kind === 'step') return null;
  if (pace.mode.kind === 'slow') {
    // The end marker is a round of its own.
    const left = chunks + 1 - chunksDone;
    const perChunk = chunksDone > 0 && rounds > 0 ? rounds / chunksDone : 1;
    return ((left * perChunk) / pace.mode.roundsPerSecond) * 1000;
  }
  if (bytesDone <= 0 || t <= 0) return null;
  return ((fileSize - bytesDone) * t) / bytesDone;
}

export function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, (done / total) * 100) : 0;
}
