// The sender's offer phase as pure transitions (sans-I/O): which receivers to send the offer to now, and what
// each one turned out to be. A receiver that answers is ours: it accepts (the transfer is verified end to end),
// declines (it gets nothing), or says a person is deciding (asked again every second, up to decideMs). One that
// never answers after `tries` offers T apart is a course receiver: it gets the plain course protocol.

export type OfferState =
  | { kind: 'asking'; tries: number }
  | { kind: 'deciding'; since: number; heardAt: number }
  | { kind: 'accepted' }
  | { kind: 'declined'; reason: string }
  | { kind: 'course' };

export interface OfferRules {
  /** Between offers to a receiver that has not answered (the transfer's timeout T). */
  intervalMs: number;
  /** Offers without an answer before a receiver counts as a course receiver. */
  tries: number;
  /** How long a person may take to accept. */
  decideMs: number;
}

export const DEFAULT_OFFER_TRIES = 5;
export const DEFAULT_DECIDE_MS = 60_000;
/** A receiver whose user is deciding is asked again this often (which also keeps its prompt alive). */
export const DECIDING_REPEAT_MS = 1_000;
/** A receiver that stops answering "wait" this long is gone (stopped, crashed, unplugged). */
export const DECIDING_SILENCE_MS = 5_000;

export const isSettled = (s: OfferState): boolean => s.kind !== 'asking' && s.kind !== 'deciding';

/** Every receiver asked once: the states and who to send the offer to. */
export function startOffers(receivers: number): { states: OfferState[]; send: number[] } {
  return {
    states: Array.from({ length: receivers }, () => ({ kind: 'asking', tries: 1 })),
    send: Array.from({ length: receivers }, (_, i) => i),
  };
}

/** An answer from receiver `i` at `now`. Answers after a receiver has settled change nothing. */
export function answered(
  states: readonly OfferState[],
  i: number,
  answer: { answer: 'accept' | 'wait' } | { answer: 'decline'; reason: string },
  now: number,
): OfferState[] {
  const current = states[i]!;
  if (isSettled(current)) return [...states];
  const next: OfferState =
    answer.answer === 'accept'
      ? { kind: 'accepted' }
      : answer.answer === 'decline'
        ? { kind: 'declined', reason: answer.reason }
        : { kind: 'deciding', since: current.kind === 'deciding' ? current.since : now, heardAt: now };
  return states.map((s, j) => (j === i ? next : s));
}

/**
 * A tick every `intervalMs`: offers again to receivers still asking (or deciding, once a second), gives up on
 * silent ones (course mode) and on decisions that took too long (declined).
 */
export function tick(
  states: readonly OfferState[],
  now: number,
  rules: OfferRules,
  lastSentAt: readonly number[],
): { states: OfferState[]; send: number[] } {
  const send: number[] = [];
  const next = states.map((s, i): OfferState => {
    if (s.kind === 'asking') {
      if (s.tries >= rules.tries) return { kind: 'course' };
      send.push(i);
      return { kind: 'asking', tries: s.tries + 1 };
    }
    if (s.kind === 'deciding') {
      if (now - s.since >= rules.decideMs)
        return { kind: 'declined', reason: `nobody accepted the file within ${rules.decideMs / 1000} s` };
      if (now - s.heardAt >= DECIDING_SILENCE_MS)
        return { kind: 'declined', reason: `it stopped answering while its user decided` };
      if (now - lastSentAt[i]! >= DECIDING_REPEAT_MS) send.push(i);
    }
    return s;
  });
  return { states: next, send };
}
