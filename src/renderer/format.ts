// Display formatting for the renderer; byte and rate units come from the shared formatter the CLI uses too.
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

/** Time left at the average rate so far; null while there is nothing to extrapolate from. */
export function etaMs(bytesDone: number, fileSize: number, elapsedMs: number): number | null {
  if (bytesDone <= 0 || elapsedMs <= 0) return null;
  return ((fileSize - bytesDone) * elapsedMs) / bytesDone;
}

export function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, (done / total) * 100) : 0;
}
