// What an offered send is waiting on, in one note under its progress: while the offer is out, who answered and when
// the data starts; during the data, the receivers that have answered nothing at all and hold the others back; at
// the end, who got the whole file and who did not.
import type { ReceiverLive, SenderSnapshot } from '../../../shared/contract';
import { counted, formatBytes } from '../../format';

/** "0.25 s", "1 s", "30 s". */
const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(2))} s`;

/** A few of them by name, the rest counted: the note stays a few lines with a whole lab silent. */
const NAMED = 3;

function named(receivers: readonly ReceiverLive[]): string {
  const names = receivers.slice(0, NAMED).map((r) => r.receiver.label);
  const rest = receivers.length - names.length;
  if (rest > 0) return `${names.join(', ')} and ${rest} more`;
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** When the data starts: a silent receiver is offered the file `offerTries` times T apart (or asked `offerSealedMs`). */
function whenDataStarts(s: SenderSnapshot): string {
  if (s.offerSealedMs !== undefined)
    return `The data starts once each has answered, or after ${seconds(s.offerSealedMs)} without an answer (then it is given up on).`;
  if (s.offerTries === undefined)
    return 'The data starts once each has answered or stopped being offered it.';
  return (
    `The data starts once each has answered, or stayed silent through ${s.offerTries} offers ` +
    `${seconds(s.timeoutMs)} apart: a silent one then gets the course protocol (a course receiver, or nothing there).`
  );
}

function offerNote(s: SenderSnapshot): string {
  const count = (which: (r: ReceiverLive) => boolean): number => s.receivers.filter(which).length;
  // Answered yes or no; not those deciding or silent, nor those cancelled before they answered.
  const answered = count((r) => r.offer === 'accepted' || r.offer === 'refused');
  const deciding = count((r) => r.offer === 'deciding');
  // Silent: in course mode, if anything is there; with a session code there is no course mode, and a silent
  // receiver is given up on (its failure says so).
  const silent = count((r) => r.offer === 'silent' && !r.failure);
  const givenUp = count((r) => r.offer === 'silent' && r.failure !== null);
  return (
    `Offering the file (${formatBytes(s.fileSize)}): ${answered} of ${s.receivers.length} answered` +
    (deciding > 0 ? `, ${deciding} asked to wait (deciding, or busy with another sender's transfer)` : '') +
    (silent > 0 ? `, ${silent} silent (course mode, if anything is there)` : '') +
    (givenUp > 0 ? `, ${givenUp} given up on (no answer sealed with the session code)` : '') +
    `. ${whenDataStarts(s)} Cancel stops it.`
  );
}

/**
 * Receivers that answered nothing at all: silent to every offer, and not one ACK after a timeout. A course receiver
 * ACKs within its RTT: these hold the transfer back until the receiver timeout gives up on them.
 */
export const unheard = (s: SenderSnapshot): ReceiverLive[] =>
  s.receivers.filter(
    (r) =>
      r.mode === 'course' &&
      r.acks === 0 &&
      r.timeouts > 0 &&
      (r.state === 'waiting' || r.state === 'retransmitting'),
  );

function silenceNote(s: SenderSnapshot, silent: readonly ReceiverLive[]): string {
  const others = s.receivers.filter((r) => r.state !== 'failed' && !silent.includes(r)).length;
  // Stop-and-wait moves on once all have ACKed; a window, once all have ACKed its oldest segment.
  const held =
    others === 0
      ? ''
      : s.window === undefined
        ? ` The ${counted(others, 'other')} wait for ${silent.length === 1 ? 'it' : 'them'}: stop-and-wait sends the next chunk only once every receiver has ACKed.`
        : ` The ${counted(others, 'other')} go at most ${s.window} chunks ahead: the window moves only as every receiver ACKs.`;
  const limit = s.receiverTimeoutMs;
  const givenUp =
    limit === undefined
      ? ''
      : limit === 0
        ? ' The receiver timeout is off: they are waited for until Cancel.'
        : ` ${silent.length === 1 ? 'It is' : 'Each is'} given up on after ${seconds(limit)} without an ACK (the receiver timeout).`;
  return `No answer at all yet from ${named(silent)}: not to the offer, not one ACK.${held}${givenUp}`;
}

/** Once it ended: who got the file, whole, and who did not. */
function endNote(s: SenderSnapshot): string {
  const failed = s.receivers.filter((r) => r.state === 'failed');
  const total = s.receivers.length;
  if (failed.length === 0) return `All ${counted(total, 'receiver')} got the whole file.`;
  return (
    `${total - failed.length} of ${counted(total, 'receiver')} got the whole file; ${failed.length} did not: ` +
    `${named(failed)} (their rows and the summary say why).`
  );
}

/** The note, or null when there is nothing to say. */
export function waitNote(s: SenderSnapshot): string | null {
  if (s.offering) return offerNote(s);
  if (s.result !== null) return endNote(s);
  if (!s.running) return null;
  const silent = unheard(s);
  return silent.length > 0 ? silenceNote(s, silent) : null;
}

/** A send that made an offer: its note's place is kept from the offer to the end, so nothing below it moves. */
export const offered = (s: SenderSnapshot): boolean =>
  s.offering === true || s.receivers.some((r) => r.mode !== null);
