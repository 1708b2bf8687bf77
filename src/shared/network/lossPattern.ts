// The Compare view's seeded loss pattern: whether a datagram is lost is a pure function of (seed, receiver,
// direction, sequence number, attempt), never of when it is sent or of what was sent before it. Lanes that send
// the same file with different protocols therefore lose the same datagrams: the k-th copy of segment s sent to
// receiver r is lost in every lane or in none, and so is the k-th ACK numbered n that receiver r sends back.
// A random stream (random.ts) could not promise that: one protocol's extra datagrams would shift every later draw.
import type { Direction } from './impairments.js';

export interface LossPattern {
  seed: number;
  /** Loss probability per direction: data (sender to receivers) and ACKs (receivers to sender). */
  p: Record<Direction, number>;
}

/** murmur3's 32-bit finaliser: every input bit moves every output bit. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform draw in [0, 1) for one datagram: the same arguments give the same number on every platform. */
export function patternDraw(
  seed: number,
  receiver: number,
  direction: Direction,
  seq: number,
  attempt: number,
): number {
  let h = mix(seed >>> 0);
  for (const part of [receiver, direction === 'forward' ? 1 : 2, seq, attempt]) h = mix(h ^ mix(part >>> 0));
  return h / 4294967296;
}

/** Whether the pattern loses that datagram (p = 0 never, p = 1 always, as the receivers' own p). */
export function patternLoses(
  pattern: LossPattern,
  receiver: number,
  direction: Direction,
  seq: number,
  attempt: number,
): boolean {
  return patternDraw(pattern.seed, receiver, direction, seq, attempt) < pattern.p[direction];
}

/**
 * The pattern as seen by the relay in front of receiver `receiver`: it counts the datagrams carrying each
 * sequence number each way (attempt 1, 2, ...) and says whether this one is lost.
 */
export function patternFor(
  pattern: LossPattern,
  receiver: number,
): (direction: Direction, seq: number) => boolean {
  const attempts: Record<Direction, Map<number, number>> = { forward: new Map(), backward: new Map() };
  return (direction, seq) => {
    const seen = attempts[direction];
    const attempt = (seen.get(seq) ?? 0) + 1;
    seen.set(seq, attempt);
    return patternLoses(pattern, receiver, direction, seq, attempt);
  };
}
