// What the analytic model honestly says about each protocol, for the studies of protocol x p and protocol x
// window. Pure: the renderer draws these lines itself.
//
// Setting: one sender, n receivers, each datagram lost independently; a segment reaches receiver i and its ACK
// comes back with probability 1 - q, where q is the round-trip loss (roundTripLoss). The lab's receivers drop
// data only (the course's loss model), so there q = p.
//
// What is derivable, per segment and per receiver (the unit the sender pays per datagram on loopback):
// - Stop-and-wait and Selective Repeat resend a segment to a receiver until it ACKs it: the tries are geometric,
//   E[tries] = 1 / (1 - q). Stop-and-wait sends a segment in rounds until the last receiver has it: the maximum
//   of n geometric tries, E[R] = expectedRounds(n, q) (model.ts). Selective Repeat has no such rounds (a timer per
//   receiver, and fast retransmission resends a segment before its timer), so it has no figure for them.
// - Go-Back-N (receivers drop out-of-order segments; a timeout resends everything outstanding to that receiver):
//   each segment, when it is the next one the receiver will accept, gets through with probability 1 - q, so it
//   fails q / (1 - q) times on average; each failure ends in a timeout that sends the W outstanding segments
//   again. Hence E[transmissions] = 1 + W q / (1 - q) = (1 - q + W q) / (1 - q), the textbook figure for a full
//   window. It is an upper estimate: fewer than W are outstanding near the end of the file, or while another
//   receiver holds the window back. At W = 1 it is stop-and-wait's 1 / (1 - q).
// What is not: the delay of Go-Back-N and Selective Repeat. On loopback a window goes out in microseconds, so
// their time is per-datagram costs plus timeouts that losses close together share, which depends on how the
// receivers' timers line up; no closed form here captures it, and none is drawn. Stop-and-wait's delay has its
// model (delayModel in model.ts).
import { PROTOCOLS, type Protocol } from '../limits.js';
import { expectedRounds } from './model.js';

/** P(a segment or its ACK is lost) with independent losses per direction: 1 - (1 - pData)(1 - pAck). */
export function roundTripLoss(pData: number, pAck = 0): number {
  for (const p of [pData, pAck])
    if (!(p >= 0 && p <= 1)) throw new RangeError(`loss probability must be between 0 and 1, got ${p}`);
  // 1 - (1 - a)(1 - b) expanded: exact for b = 0, so the lab's q is its p to the last bit.
  return pData + pAck - pData * pAck;
}

/** The protocols with a window of more than one segment; stop-and-wait is their W = 1 reference. */
export const isWindowed = (protocol: Protocol): boolean => protocol !== 'saw';
export const WINDOWED_PROTOCOLS: readonly Protocol[] = PROTOCOLS.filter(isWindowed);

/** Only stop-and-wait has a model of the delay (see the top of this file). */
export const hasDelayModel = (protocol: Protocol): boolean => protocol === 'saw';

function checkLoss(q: number): void {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be between 0 and 1, got ${q}`);
}

/** What the model says about one protocol (see the top of this file). */
interface ProtocolModel {
  name: string;
  /** expectedTransmissions in symbols, for legends. */
  formula: string;
  /** The formula is an upper estimate with several receivers (exact for one), not an expectation. */
  bound: boolean;
  /** Per segment and receiver, at 0 <= q < 1. */
  transmissions: (q: number, window: number) => number;
  /** Rounds a segment is sent in until every receiver has it, or null where a round is not one segment's. */
  rounds: (n: number, q: number) => number | null;
}

/** One entry per protocol: a protocol added to PROTOCOLS without its model stops the type check here. */
function modelOf(protocol: Protocol): ProtocolModel {
  switch (protocol) {
    case 'saw':
      return {
        name: 'Stop-and-wait',
        formula: '1/(1−q)',
        bound: false,
        transmissions: (q) => 1 / (1 - q),
        rounds: expectedRounds,
      };
    case 'gbn':
      return {
        name: 'Go-Back-N',
        formula: '1 + Wq/(1−q)',
        bound: true,
        transmissions: (q, window) => 1 + (window * q) / (1 - q),
        rounds: () => null,
      };
    case 'sr':
      // Each receiver's lost segment alone goes again, to it alone: stop-and-wait's transmissions per segment.
      return { ...modelOf('saw'), name: 'Selective Repeat', rounds: () => null };
    default:
      throw new RangeError(`no model for protocol ${String(protocol satisfies never)}`);
  }
}

export const protocolName = (protocol: Protocol): string => modelOf(protocol).name;
/** How a legend names the line: the expectation, or an upper estimate (Go-Back-N with several receivers). */
export const transmissionsLabel = (protocol: Protocol): string =>
  `${modelOf(protocol).bound ? 'upper estimate' : 'expected'} ${modelOf(protocol).formula}`;

/**
 * Expected transmissions of one segment to one receiver (first send included) at round-trip loss q with a
 * window of `window` segments (ignored by stop-and-wait). Infinite at q = 1.
 */
export function expectedTransmissions(protocol: Protocol, q: number, window: number): number {
  checkLoss(q);
  if (!Number.isInteger(window) || window < 1)
    throw new RangeError(`window must be a whole number >= 1, got ${window}`);
  return q === 1 ? Infinity : modelOf(protocol).transmissions(q, window);
}

/**
 * Expected rounds a segment is sent in until every one of n receivers has it (E[max of n geometric tries]), for
 * stop-and-wait; null for Go-Back-N, whose rounds resend whole windows, and Selective Repeat, which has no rounds.
 */
export function expectedSegmentRounds(protocol: Protocol, n: number, q: number): number | null {
  return modelOf(protocol).rounds(n, q);
}
