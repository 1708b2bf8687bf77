// Which receivers hold the file unverified, in course mode: nothing checked their copy's SHA-256, because they did
// not answer the offer (a course implementation, or one of ours not listening yet when it went) or none was made
// (--no-offer, a dialect, the local demo). One line for p2mpclient's report and the app's Summary alike.
import type { SendResult } from '../events.js';

/** `peer`: what the user calls a receiver there ("server" on the command line, "receiver" in the app). */
export function courseModeLine(result: SendResult, peer: 'server' | 'receiver'): string | null {
  const done = result.receivers.filter((r) => r.state === 'done');
  const offered = result.receivers.some((r) => (r.offers ?? 0) > 0);
  const course = offered ? done.filter((r) => r.mode !== 'verified') : done;
  if (course.length === 0) return null;
  // (One of ours started after this sender asked is one too: the question is asked before the data, once.)
  const why = offered
    ? `no answer to the offer: a course ${peer}, or one not listening yet when it was sent`
    : 'no offer sent';
  return `Course mode, unverified (${why}): ${course.map((r) => r.receiver.label).join(', ')}`;
}
