// How a transfer ends when no end marker comes. The reference client sends none (seed-text profile), nor does a
// sender of the eof-none dialect: for them silence is the end, and the file is kept, unverified. Anything else that
// goes silent mid-file failed (p2mpserver --on-idle says otherwise). Pure and renderer-safe.
import type { Dialect } from './dialect.js';
import type { ProfileName } from './segment.js';

export type IdleAction = 'complete' | 'fail';

/** What silence means to a receiver of this profile and dialect, unless its user said (--on-idle). */
export const defaultIdleAction = (profile: ProfileName, dialect: Dialect): IdleAction =>
  profile === 'seed-text' || dialect.eof === 'none' ? 'complete' : 'fail';

/**
 * What a receiver says when a course transfer (not offered: an offered one always ends with its end marker) starts
 * from a sender that may send no end marker: how long after its last packet the transfer ends, and what becomes of
 * the file (the wait otherwise reads as a hang). Null where an end marker is expected.
 */
export function silenceNote(
  profile: ProfileName,
  dialect: Dialect,
  onIdle: IdleAction,
  idleTimeoutMs: number,
): string | null {
  const why =
    dialect.eof === 'none'
      ? 'no end marker in this dialect'
      : profile === 'seed-text'
        ? 'the reference client sends no end marker'
        : null;
  if (why === null) return null;
  if (idleTimeoutMs === 0) return `${why}, and no idle timeout: only stopping ends the transfer`;
  const after = `after ${idleTimeoutMs / 1000} s without a packet`;
  return onIdle === 'complete' ? `${why}: kept ${after}` : `${why}: removed ${after} (--on-idle fail)`;
}
