// p2mpserver --json: the datagrams a session code kept out, one line per host and reason per second. A flood of
// forged datagrams, from as many spoofed sources as the attacker likes, would otherwise write a line each and grow
// the log as fast as it came. The first of each (host, reason) in a second is written at once, as it comes; the
// rest of that second is one line with `more`; past MAX_HOSTS hosts in a second, the others are summed as "*".
import type { ReceiverEvent } from '../shared/events.js';
import type { Timers } from '../shared/engine/timers.js';

type Rejected = Extract<ReceiverEvent, { type: 'rejected' }>;

export const DIGEST_MS = 1_000;
export const MAX_HOSTS = 64;

/**
 * A line of the digest: an event as it came, or (with `more`) the last of that many like it in the same second
 * that were not written one by one: the datagrams a digest stands for add up to the sum of `more ?? 1`, and the
 * earlier ones each moves from "forged" to its reason (a wrong code's first ones) to the sum of `recounted ?? 0`.
 */
export type DigestLine = Rejected & { more?: number };

export interface RejectionDigest {
  add(event: Rejected): void;
  /** Writes what is held (at the end). */
  flush(): void;
}

export function rejectionDigest(write: (line: DigestLine) => void, timers: Timers): RejectionDigest {
  // Per host and reason (or "*"), the last event of this second and how many came after the one written.
  const held = new Map<string, { last: Rejected; more: number; recounted: number }>();
  let named = 0;
  let timer: unknown = null;

  function flush(): void {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    for (const { last, more, recounted } of held.values())
      if (more > 0) {
        const { recounted: _, ...event } = last;
        write({ ...event, more, ...(recounted > 0 ? { recounted } : {}) });
      }
    held.clear();
    named = 0;
  }

  return {
    add(event) {
      timer ??= timers.setTimeout(flush, DIGEST_MS);
      const own = held.get(`${event.why} ${event.from}`);
      // Not written one by one: what each moved from "forged" is summed, not lost with all but the last.
      const recounted = event.recounted ?? 0;
      if (own) {
        [own.more, own.last, own.recounted] = [own.more + 1, event, own.recounted + recounted];
        return;
      }
      if (named < MAX_HOSTS) {
        // The first from this host for this reason in this second: written now, as it comes.
        named++;
        held.set(`${event.why} ${event.from}`, { last: event, more: 0, recounted: 0 });
        return write(event);
      }
      const last = { ...event, from: '*' };
      const rest = held.get(`${event.why} *`);
      if (rest) [rest.more, rest.last, rest.recounted] = [rest.more + 1, last, rest.recounted + recounted];
      else held.set(`${event.why} *`, { last, more: 1, recounted });
    },
    flush,
  };
}
