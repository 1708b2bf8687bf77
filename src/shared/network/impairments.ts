// Impairment models of the relay: option types, validation and small pure functions over an injected random
// source, so that a run with the same seed makes the same decisions. No I/O here (the renderer may import it).
import { InputError } from '../errors.js';
import type { RandomSource } from './random.js';

/** 'forward' = data, client (sender) -> target (receiver); 'backward' = ACKs, target -> client. */
export type Direction = 'forward' | 'backward';
export const DIRECTIONS: readonly Direction[] = ['forward', 'backward'];

/** Largest UDP payload over IPv4. */
export const MAX_DATAGRAM = 65507;

/** Gilbert-Elliott two-state loss: a good and a bad state, each with its own loss probability. */
export interface BurstLoss {
  pGoodToBad: number;
  pBadToGood: number;
  lossInBad: number;
  lossInGood: number;
}

export interface Impairments {
  /** Independent (Bernoulli) loss probability. */
  loss: number;
  /** Bursty loss on top of `loss`; null = off. */
  burst: BurstLoss | null;
  /** Fixed delay; each datagram (and each duplicate) draws its own jitter. */
  delayMs: number;
  /** Uniform in [-jitterMs, +jitterMs], the total clamped at 0, so jitter alone can reorder. */
  jitterMs: number;
  /** Probability that a datagram is sent twice (the copy with its own delay draw). */
  duplicate: number;
  /** Probability that a datagram is held back until the next one of its flow has gone, or reorderHoldMs passed. */
  reorder: number;
  reorderHoldMs: number;
  /** Probability that a datagram gets 1..corruptBits distinct random bits flipped. */
  corrupt: number;
  corruptBits: number;
  /** Token bucket rate in payload bytes per second; 0 = unlimited. */
  rateBps: number;
  /** Bucket size in bytes; 0 = automatic (see rateBurst). */
  rateBurstBytes: number;
  /** Bytes allowed to wait for tokens; beyond that, datagrams are dropped. 0 = automatic (see rateQueue). */
  rateQueueBytes: number;
}

export const NO_IMPAIRMENTS: Readonly<Impairments> = Object.freeze({
  loss: 0,
  burst: null,
  delayMs: 0,
  jitterMs: 0,
  duplicate: 0,
  reorder: 0,
  reorderHoldMs: 50,
  corrupt: 0,
  corruptBits: 1,
  rateBps: 0,
  rateBurstBytes: 0,
  rateQueueBytes: 0,
});

export const LIMITS = Object.freeze({
  maxDelayMs: 60_000,
  maxCorruptBits: 64,
  maxRateBps: 10_000_000_000,
  maxBucketBytes: 1 << 30,
});

// ---------------------------------------------------------------------------------------------------------------
// Validation

/** A problem with one field: `field` names it (e.g. "loss", "burst.pGoodToBad"), `message` says what is wrong. */
export interface ImpairmentProblem {
  field: string;
  message: string;
}

export function probabilityProblem(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1)
    return `must be a probability between 0 and 1, got ${String(value)}`;
  return null;
}

function rangeProblem(value: unknown, min: number, max: number, integer: boolean): string | null {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
  if (!ok || (integer && !Number.isInteger(value)))
    return `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${String(value)}`;
  return null;
}

/** Every problem of a complete set of impairments; empty when it is valid. */
export function impairmentProblems(imp: Impairments): ImpairmentProblem[] {
  const checks: [string, string | null][] = [
    ['loss', probabilityProblem(imp.loss)],
    ['delayMs', rangeProblem(imp.delayMs, 0, LIMITS.maxDelayMs, false)],
    ['jitterMs', rangeProblem(imp.jitterMs, 0, LIMITS.maxDelayMs, false)],
    ['duplicate', probabilityProblem(imp.duplicate)],
    ['reorder', probabilityProblem(imp.reorder)],
    ['reorderHoldMs', rangeProblem(imp.reorderHoldMs, 0, LIMITS.maxDelayMs, false)],
    ['corrupt', probabilityProblem(imp.corrupt)],
    ['corruptBits', rangeProblem(imp.corruptBits, 1, LIMITS.maxCorruptBits, true)],
    ['rateBps', rangeProblem(imp.rateBps, 0, LIMITS.maxRateBps, false)],
    ['rateBurstBytes', rangeProblem(imp.rateBurstBytes, 0, LIMITS.maxBucketBytes, true)],
    ['rateQueueBytes', rangeProblem(imp.rateQueueBytes, 0, LIMITS.maxBucketBytes, true)],
  ];
  if (imp.burst !== null) {
    if (typeof imp.burst !== 'object') checks.push(['burst', 'must be an object or null']);
    else
      for (const key of ['pGoodToBad', 'pBadToGood', 'lossInBad', 'lossInGood'] as const)
        checks.push([`burst.${key}`, probabilityProblem(imp.burst[key])]);
  }
  return checks.flatMap(([field, message]) => (message === null ? [] : [{ field, message }]));
}

const KEYS = Object.keys(NO_IMPAIRMENTS) as (keyof Impairments)[];

/**
 * `base` with `patch` applied; throws InputError naming the first bad field (prefixed by `label`, e.g. "forward").
 * Unknown keys are refused too, so a typo in an app or test does not silently do nothing.
 */
export function mergeImpairments(base: Impairments, patch: Partial<Impairments>, label = ''): Impairments {
  const prefix = label ? `${label}.` : '';
  for (const key of Object.keys(patch))
    if (!(KEYS as string[]).includes(key)) throw new InputError(`${prefix}${key}: unknown impairment`);
  const merged: Impairments = { ...base };
  for (const key of KEYS) if (patch[key] !== undefined) Object.assign(merged, { [key]: patch[key] });
  if (merged.burst) merged.burst = { ...merged.burst };
  const [first] = impairmentProblems(merged);
  if (first) throw new InputError(`${prefix}${first.field} ${first.message}`);
  return merged;
}

// ---------------------------------------------------------------------------------------------------------------
// Models

/** Draws only when 0 < p < 1, so p = 0 and p = 1 are exact and cost no randomness. */
export function bernoulli(random: RandomSource, p: number): boolean {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return random() < p;
}

export type BurstState = 'good' | 'bad';

/** One Gilbert-Elliott step: lose with the current state's probability, then move to the next state. */
export function gilbertElliott(
  state: BurstState,
  params: BurstLoss,
  random: RandomSource,
): { lost: boolean; next: BurstState } {
  const lost = bernoulli(random, state === 'bad' ? params.lossInBad : params.lossInGood);
  const leave = bernoulli(random, state === 'bad' ? params.pBadToGood : params.pGoodToBad);
  const next: BurstState = leave ? (state === 'bad' ? 'good' : 'bad') : state;
  return { lost, next };
}

/** Long-run share of time in the bad state (the chain starts good, so 0 when it can never leave it). */
export function gilbertElliottBadShare(params: BurstLoss): number {
  const out = params.pGoodToBad + params.pBadToGood;
  return out === 0 ? 0 : params.pGoodToBad / out;
}

/** Long-run loss rate of the Gilbert-Elliott model alone. */
export function gilbertElliottMeanLoss(params: BurstLoss): number {
  const bad = gilbertElliottBadShare(params);
  return bad * params.lossInBad + (1 - bad) * params.lossInGood;
}

/** Delay with jitter, uniform in [delay - jitter, delay + jitter], never negative. */
export function jitteredDelay(random: RandomSource, delayMs: number, jitterMs: number): number {
  if (jitterMs <= 0) return Math.max(0, delayMs);
  return Math.max(0, delayMs + (2 * random() - 1) * jitterMs);
}

/** 1..maxBits distinct bit positions (bit i = byte i >> 3, mask 1 << (i & 7)); none for an empty datagram. */
export function pickBitFlips(random: RandomSource, lengthBytes: number, maxBits: number): number[] {
  const totalBits = lengthBytes * 8;
  if (totalBits === 0) return [];
  const count = Math.min(totalBits, 1 + Math.floor(random() * Math.max(1, maxBits)));
  const chosen = new Set<number>();
  // Rejection is cheap: count <= 64, and when count is close to totalBits the datagram has at most 8 bytes.
  while (chosen.size < count) chosen.add(Math.floor(random() * totalBits));
  return [...chosen].sort((a, b) => a - b);
}

/** A copy of `data` with the given bits flipped. */
export function applyBitFlips(data: Uint8Array, flips: readonly number[]): Uint8Array {
  const out = Uint8Array.from(data);
  for (const bit of flips) {
    const i = bit >> 3;
    if (i < out.length) out[i] = (out[i] ?? 0) ^ (1 << (bit & 7));
  }
  return out;
}

/** Number of bits in which two equally long buffers differ. */
export function bitDistance(a: Uint8Array, b: Uint8Array): number {
  let bits = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    let x = (a[i] ?? 0) ^ (b[i] ?? 0);
    for (; x !== 0; x &= x - 1) bits++;
  }
  return bits;
}

// Token bucket. Tokens may go negative: the debt is the backlog of datagrams waiting for tokens, which keeps them
// FIFO and lets a datagram larger than the bucket through once the bucket has refilled.
export interface TokenBucket {
  tokens: number;
  atMs: number;
}

/** Bucket size: by default 20 ms worth of rate, at least 1500 bytes (a larger datagram just waits, see above). */
export function rateBurst(imp: Impairments): number {
  return imp.rateBurstBytes > 0 ? imp.rateBurstBytes : Math.max(1500, Math.round(imp.rateBps / 50));
}

/** Queue limit: by default a quarter second worth of rate, and always room for one largest datagram. */
export function rateQueue(imp: Impairments): number {
  return imp.rateQueueBytes > 0 ? imp.rateQueueBytes : Math.max(MAX_DATAGRAM, Math.round(imp.rateBps / 4));
}

export function fullBucket(imp: Impairments, nowMs: number): TokenBucket {
  return { tokens: rateBurst(imp), atMs: nowMs };
}

/**
 * Admits `length` bytes at `nowMs`: waitMs = 0 sends now, > 0 after queueing, null = dropped (queue full).
 * With rateBps 0 everything passes and the bucket is left as it is.
 */
export function admitToBucket(
  bucket: TokenBucket,
  imp: Impairments,
  nowMs: number,
  length: number,
): { bucket: TokenBucket; waitMs: number | null } {
  if (imp.rateBps <= 0) return { bucket, waitMs: 0 };
  const perMs = imp.rateBps / 1000;
  const elapsed = Math.max(0, nowMs - bucket.atMs);
  const refilled = Math.min(rateBurst(imp), bucket.tokens + elapsed * perMs);
  const after = refilled - length;
  if (after >= 0) return { bucket: { tokens: after, atMs: nowMs }, waitMs: 0 };
  const waitMs = -after / perMs;
  // A full queue drops; so does a wait beyond the longest delay (a timer that long would overflow anyway).
  if (-after > rateQueue(imp) || waitMs > LIMITS.maxDelayMs)
    return { bucket: { tokens: refilled, atMs: nowMs }, waitMs: null };
  return { bucket: { tokens: after, atMs: nowMs }, waitMs };
}

// ---------------------------------------------------------------------------------------------------------------
// One datagram's fate

export interface DirectionModel {
  burst: BurstState;
  bucket: TokenBucket;
  /** Sequence numbers a teacher chose to lose: the next datagram carrying each is dropped (once). */
  chosen: readonly number[];
}

export function newDirectionModel(imp: Impairments, nowMs: number): DirectionModel {
  return { burst: 'good', bucket: fullBucket(imp, nowMs), chosen: [] };
}

/** Losses chosen and not yet spent, at most: a teacher clicks a few; a page calling in a loop gets no more. */
export const MAX_CHOSEN_LOSSES = 64;

/** "Drop the next datagram with sequence number `seq`" in this direction, added to the model. */
export function chooseLoss(model: DirectionModel, seq: number): DirectionModel {
  if (model.chosen.length >= MAX_CHOSEN_LOSSES) return model;
  return { ...model, chosen: [...model.chosen, seq] };
}

export interface CopyPlan {
  /** Waiting for tokens. */
  queueMs: number;
  /** Delay plus jitter. */
  delayMs: number;
  /** Held back until the next datagram of the flow has gone (or reorderHoldMs passed). */
  holdBack: boolean;
}

export interface DatagramPlan {
  /** 'loss' / 'burst' / 'chosen' (a teacher's pick): dropped on arrival, nothing else happens. */
  verdict: 'pass' | 'loss' | 'burst' | 'chosen';
  /** Bits to flip (empty = not corrupted); every copy carries the same corruption. */
  flips: number[];
  /** Extra copies made (before the rate limit). */
  duplicates: number;
  /** Copies the rate limit dropped. */
  rateDropped: number;
  /** Copies that go on, in the order they were made. */
  copies: CopyPlan[];
}

/** The plan of a datagram dropped on arrival: nothing else happens to it. */
export function lostPlan(verdict: 'loss' | 'burst' | 'chosen'): DatagramPlan {
  return { verdict, flips: [], duplicates: 0, rateDropped: 0, copies: [] };
}

/**
 * Decides everything about one arriving datagram. The only effect is on the returned model. `seq` is the
 * sequence number the datagram carries (null: unknown or unreadable); a chosen loss of it drops it before any
 * random draw, so the rest of the run's decisions stay those of its seed.
 */
export function planDatagram(
  imp: Impairments,
  model: DirectionModel,
  random: RandomSource,
  length: number,
  nowMs: number,
  seq: number | null = null,
): { plan: DatagramPlan; model: DirectionModel } {
  const pick = seq === null || model.chosen.length === 0 ? -1 : model.chosen.indexOf(seq);
  if (pick >= 0)
    return {
      plan: lostPlan('chosen'),
      model: { ...model, chosen: model.chosen.filter((_, i) => i !== pick) },
    };
  let burst = model.burst;
  let burstLost = false;
  if (imp.burst) {
    const step = gilbertElliott(burst, imp.burst, random);
    burstLost = step.lost;
    burst = step.next;
  }
  // The model is copied only when it changes (most datagrams change nothing: the simulator's hot path).
  const next = (bucket: TokenBucket): DirectionModel =>
    burst === model.burst && bucket === model.bucket ? model : { ...model, burst, bucket };
  if (burstLost) return { plan: lostPlan('burst'), model: next(model.bucket) };
  if (bernoulli(random, imp.loss)) return { plan: lostPlan('loss'), model: next(model.bucket) };

  const flips = bernoulli(random, imp.corrupt) ? pickBitFlips(random, length, imp.corruptBits) : [];
  const duplicates = bernoulli(random, imp.duplicate) ? 1 : 0;
  let bucket = model.bucket;
  let rateDropped = 0;
  const copies: CopyPlan[] = [];
  for (let i = 0; i <= duplicates; i++) {
    const delayMs = jitteredDelay(random, imp.delayMs, imp.jitterMs);
    const holdBack = bernoulli(random, imp.reorder);
    const admitted = admitToBucket(bucket, imp, nowMs, length);
    bucket = admitted.bucket;
    if (admitted.waitMs === null) rateDropped++;
    else copies.push({ queueMs: admitted.waitMs, delayMs, holdBack });
  }
  return {
    plan: { verdict: 'pass', flips, duplicates, rateDropped, copies },
    model: next(bucket),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// What the relay reports (pure types, so the app's renderer can import them)

export interface DirectionCounters {
  /** Datagrams that entered this direction's impairments. */
  received: number;
  bytesReceived: number;
  /** Copies handed to the socket (duplicates included). */
  forwarded: number;
  bytesForwarded: number;
  /** Dropped by the independent loss. */
  dropped: number;
  /** Dropped by the Gilbert-Elliott model. */
  burstDropped: number;
  /** Dropped because a teacher chose that datagram (click to lose in the app). */
  chosenDropped: number;
  /** Extra copies made. */
  duplicated: number;
  /** Held-back datagrams that another datagram of the same flow overtook. */
  reordered: number;
  /**
   * Datagrams held back to be overtaken, whether or not one came (with one datagram in flight, as stop-and-wait
   * has, none does: the hold only delays it).
   */
  held: number;
  /** Datagrams corrupted (a duplicate of one carries the same corruption). */
  corrupted: number;
  /** Corrupted copies handed to the socket: what the receiving end should find failing its checks. */
  corruptedForwarded: number;
  /** Copies sent after a delay/jitter timer (> 0 ms). */
  delayed: number;
  /** Copies that waited in the rate limiter's queue before they left (> 0 ms). */
  queued: number;
  /** Copies dropped because the rate limiter's queue was full. */
  rateDropped: number;
  /** Copies dropped because too many datagrams were already waiting in the relay. */
  overflowDropped: number;
  /** Sends the operating system refused (also counted in forwarded). */
  sendErrors: number;
  /** Datagrams not relayed at all: from a source other than the target, or no room for another client. */
  ignored: number;
}

export function zeroCounters(): DirectionCounters {
  return {
    received: 0,
    bytesReceived: 0,
    forwarded: 0,
    bytesForwarded: 0,
    dropped: 0,
    burstDropped: 0,
    chosenDropped: 0,
    duplicated: 0,
    reordered: 0,
    corrupted: 0,
    corruptedForwarded: 0,
    delayed: 0,
    rateDropped: 0,
    overflowDropped: 0,
    held: 0,
    queued: 0,
    sendErrors: 0,
    ignored: 0,
  };
}

export interface RelayStats {
  seed: number;
  /** Clients (senders) with an upstream socket. */
  clients: number;
  /** Copies waiting on a timer (delay, rate queue or reorder hold). */
  inFlight: number;
  forward: DirectionCounters;
  backward: DirectionCounters;
}

/** What happened to one arriving datagram, decided on arrival. */
export type RelayAction =
  | 'dropped'
  | 'burst-dropped'
  | 'chosen-dropped'
  | 'corrupted'
  | 'duplicated'
  | 'delayed'
  | 'rate-queued'
  | 'rate-dropped'
  | 'overflow-dropped'
  | 'held';

export type RelayEvent =
  | { type: 'listening'; t: number; address: string; port: number; target: string; seed: number }
  | { type: 'client'; t: number; client: string }
  | { type: 'client-closed'; t: number; client: string }
  /** One arriving datagram; `copies` is how many will leave (0 when dropped). `seq`: the sequence number it
   *  carries, when the relay was told how to read one (RelayOptions.sequenceOf) and could. */
  | {
      type: 'datagram';
      t: number;
      direction: Direction;
      client: string;
      length: number;
      actions: RelayAction[];
      copies: number;
      seq?: number;
    }
  /** A datagram held in flight (Relay.setFlightMs) lost there by a teacher's pick (Relay.loseInFlight). */
  | { type: 'lost-in-flight'; t: number; direction: Direction; client: string; length: number; seq: number }
  /** A held-back datagram left after one that arrived later. */
  | { type: 'reordered'; t: number; direction: Direction; client: string; length: number }
  | { type: 'impairments'; t: number; direction: Direction; impairments: Impairments }
  /** A socket error; the relay keeps running. */
  | { type: 'error'; t: number; message: string }
  | { type: 'closed'; t: number; stats: RelayStats };

/** The actions of a plan, in the order they were applied. */
export function planActions(plan: DatagramPlan): RelayAction[] {
  if (plan.verdict === 'loss') return ['dropped'];
  if (plan.verdict === 'burst') return ['burst-dropped'];
  if (plan.verdict === 'chosen') return ['chosen-dropped'];
  const actions: RelayAction[] = [];
  if (plan.flips.length > 0) actions.push('corrupted');
  if (plan.duplicates > 0) actions.push('duplicated');
  if (plan.copies.some((c) => c.queueMs > 0)) actions.push('rate-queued');
  if (plan.rateDropped > 0) actions.push('rate-dropped');
  if (plan.copies.some((c) => c.delayMs > 0)) actions.push('delayed');
  if (plan.copies.some((c) => c.holdBack)) actions.push('held');
  return actions;
}
