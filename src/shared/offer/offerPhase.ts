// The sender's offer phase as pure transitions (sans-I/O): which receivers to send the offer to now, and what each
// one turned out to be. A receiver that answers is ours: it accepts (the transfer is verified end to end), declines
// (it gets nothing), or asks to wait: a person is deciding, or it is busy with another sender's transfer (asked
// again every second, up to decideMs). One that never answers after `tries` offers T apart is a course receiver: it
// gets the plain course protocol. With a session code there is no course receiver (none can open the envelope): a
// receiver is asked until it answers, says the code is wrong, or `sealedMs` passes.

export type OfferState =
  | { kind: 'asking'; tries: number; wrongCode?: number; elsewhere?: number }
  | { kind: 'deciding'; since: number; heardAt: number }
  /** `selective`: it agreed to Selective Repeat (it buffers within the window and ACKs each segment);
   * `multicast`: it also listens on the offered group; `sack`: it ACKs cumulatively with a bitmap, on the offered
   * terms. */
  | { kind: 'accepted'; selective?: true; multicast?: true; sack?: true; summed?: true }
  | { kind: 'declined'; reason: string }
  | { kind: 'course' }
  /** Session code: it said it cannot open our datagrams, and never answered one. */
  | { kind: 'wrong-code' }
  /** Session code: it said it has no code at all (our receiver started without --code), and never answered. */
  | { kind: 'no-code' }
  /** It answers only from `from` ("address:port"), another address of its machine (answeredElsewhere). */
  | { kind: 'elsewhere'; from: string }
  /** Session code: no answer within sealedMs. */
  | { kind: 'silent' }
  /** The user cancelled the transfer before it answered (nothing declined). */
  | { kind: 'cancelled' };

export interface OfferRules {
  /** Between offers to a receiver that has not answered (the transfer's timeout T). */
  intervalMs: number;
  /** Offers without an answer before a receiver counts as a course receiver. */
  tries: number;
  /** How long a person may take to accept. */
  decideMs: number;
  /** With a session code: how long to keep asking a receiver that does not answer (no course mode). */
  sealedMs?: number;
}

export const DEFAULT_OFFER_TRIES = 5;
export const DEFAULT_DECIDE_MS = 60_000;
/** A receiver whose user is deciding is asked again this often (which also keeps its prompt alive). */
export const DECIDING_REPEAT_MS = 1_000;
/** A receiver that stops answering "wait" this long is gone (stopped, crashed, unplugged). */
export const DECIDING_SILENCE_MS = 5_000;
/** With a session code, a receiver is asked this long before "no answer" (the offer is repeated every T meanwhile). */
export const DEFAULT_SEALED_MS = 10_000;
/** "Wrong code" notices before a receiver counts as having another code (one could be forged; it would only
 *  delay the transfer, as anyone able to drop datagrams can). */
export const WRONG_CODE_NOTICES = 3;

/**
 * Answers from another address of a receiver's machine, and none from its own, before it is given up on (the
 * engine counts its ACKs so too): one could be anyone's; a machine answering from the wrong address does so to
 * every offer, within 3 T.
 */
export const ELSEWHERE_ANSWERS = 3;

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
  answer:
    | { answer: 'accept'; protocol?: 'sr'; multicast?: true; sack?: true; summed?: true }
    | { answer: 'wait' }
    | { answer: 'decline'; reason: string },
  now: number,
): OfferState[] {
  const current = states[i]!;
  if (isSettled(current)) return [...states];
  const next: OfferState =
    answer.answer === 'accept'
      ? {
          kind: 'accepted',
          ...(answer.protocol === 'sr' ? { selective: true as const } : {}),
          ...(answer.protocol === 'sr' && answer.multicast ? { multicast: true as const } : {}),
          ...(answer.protocol === 'sr' && answer.sack ? { sack: true as const } : {}),
          ...(answer.summed ? { summed: true as const } : {}),
        }
      : answer.answer === 'decline'
        ? { kind: 'declined', reason: answer.reason }
        : { kind: 'deciding', since: current.kind === 'deciding' ? current.since : now, heardAt: now };
  return states.map((s, j) => (j === i ? next : s));
}

/**
 * Receiver `i` says it cannot open what we sealed: under another code ("wrong code" notice), or with none ("no
 * code"). Notices are unauthenticated, so counted; the last one says which.
 */
export function noticedWrongCode(
  states: readonly OfferState[],
  i: number,
  why: 'wrong-code' | 'no-code' = 'wrong-code',
): OfferState[] {
  const current = states[i]!;
  if (current.kind !== 'asking') return [...states];
  const notices = (current.wrongCode ?? 0) + 1;
  const next: OfferState = notices >= WRONG_CODE_NOTICES ? { kind: why } : { ...current, wrongCode: notices };
  return states.map((s, j) => (j === i ? next : s));
}

/**
 * An answer to our offer (with a session code, a challenge sealed under it) from the port of receivers `at`, from
 * `from`, an address none of them has: one of them (bound to every address of a machine with several) answering
 * from the one its system picks, which nothing of it can be taken from. Counted for the one still asking, when
 * only one is; ELSEWHERE_ANSWERS of them and it is given up on, with the fix, not after every try.
 */
export function answeredElsewhere(
  states: readonly OfferState[],
  at: readonly number[],
  from: string,
): OfferState[] {
  const asking = at.filter((i) => states[i]!.kind === 'asking');
  if (asking.length !== 1) return [...states]; // none, or several it could stand for
  const i = asking[0]!;
  const current = states[i] as Extract<OfferState, { kind: 'asking' }>;
  const answers = (current.elsewhere ?? 0) + 1;
  const next: OfferState =
    answers >= ELSEWHERE_ANSWERS ? { kind: 'elsewhere', from } : { ...current, elsewhere: answers };
  return states.map((s, j) => (j === i ? next : s));
}

/**
 * A tick every `intervalMs`: offers again to receivers still asking (or deciding, or accepted and waiting for the
 * others, once a second), gives up on silent ones (course mode) and on decisions that took too long (declined).
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
      if (rules.sealedMs === undefined ? s.tries >= rules.tries : now >= rules.sealedMs) {
        return rules.sealedMs === undefined ? { kind: 'course' } : { kind: 'silent' };
      }
      send.push(i);
      return { ...s, tries: s.tries + 1 };
    }
    if (s.kind === 'deciding') {
      if (now - s.since >= rules.decideMs)
        return {
          kind: 'declined',
          // "wait" says a person decides, or the receiver is busy with another host's transfer: either may be it.
          reason: `no answer within ${rules.decideMs / 1000} s (its user did not decide, or it stayed busy with another sender's transfer)`,
        };
      if (now - s.heardAt >= DECIDING_SILENCE_MS)
        return {
          kind: 'declined',
          reason: `it stopped answering after asking to wait (its user deciding, or busy with another sender's transfer)`,
        };
      if (now - lastSentAt[i]! >= DECIDING_REPEAT_MS) send.push(i);
    }
    // Accepted, and waiting for the others: offered again once a second, so that its receiver knows its sender
    // is still there (until the data comes, it holds the sender's other ports off: receiving.ts, offerFor).
    if (s.kind === 'accepted' && now - lastSentAt[i]! >= DECIDING_REPEAT_MS) send.push(i);
    return s;
  });
  return { states: next, send };
}
