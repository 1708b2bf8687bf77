// The retransmission timeout. 'fixed' is the course's: always the configured T (0.1 s by default). 'adaptive'
// follows RFC 6298: SRTT and RTTVAR from RTT samples (only of segments sent once: Karn's rule, applied by the
// caller), RTO = SRTT + max(G, 4 * RTTVAR) kept between a floor and 60 s, doubled on every timeout (back-off).
// Two deviations. Before the first sample the RTO is the configured T, not 1 s, so a course-sized transfer does
// not start with a second-long stall. And the back-off ends at the next ACK of new data, sample or not (QUIC
// resets its PTO back-off on any acknowledgement the same way, RFC 9002 6.2.1): under Go-Back-N a receiver drops
// what arrives out of order, so on a reordering link every ACK may be of a resent segment, no sample ever comes,
// and kept until one did, the back-off would grow past the receiver timeout while the receiver answers.

export type RtoMode = 'fixed' | 'adaptive';
export const RTO_MODES: readonly RtoMode[] = ['fixed', 'adaptive'];
export const isRtoMode = (text: string): text is RtoMode => (RTO_MODES as readonly string[]).includes(text);

/** RFC 6298's constants; G is the clock granularity (timers here have 1 ms). */
const ALPHA = 1 / 8;
const BETA = 1 / 4;
const K = 4;
const G_MS = 1;
export const MAX_RTO_MS = 60_000;
export const DEFAULT_MIN_RTO_MS = 10;

export interface RtoState {
  srtt: number | null;
  rttvar: number;
  /** The timeout to arm now, in ms. */
  rto: number;
  /** The RTO before any back-off: from the samples, or T before the first. */
  computed: number;
}

export function initialRto(initialMs: number): RtoState {
  return { srtt: null, rttvar: 0, rto: initialMs, computed: initialMs };
}

const clamp = (ms: number, minMs: number): number => Math.min(MAX_RTO_MS, Math.max(minMs, ms));

/** A new RTT sample R (ms): RFC 6298 (2.2) for the first, (2.3) for the later ones. */
export function rtoSample(state: RtoState, r: number, minMs = DEFAULT_MIN_RTO_MS): RtoState {
  if (state.srtt === null) {
    const rttvar = r / 2;
    const rto = clamp(r + Math.max(G_MS, K * rttvar), minMs);
    return { srtt: r, rttvar, rto, computed: rto };
  }
  const rttvar = (1 - BETA) * state.rttvar + BETA * Math.abs(state.srtt - r);
  const srtt = (1 - ALPHA) * state.srtt + ALPHA * r;
  const rto = clamp(srtt + Math.max(G_MS, K * rttvar), minMs);
  return { srtt, rttvar, rto, computed: rto };
}

/** A timeout fired: RFC 6298 (5.5), back off the timer. */
export function rtoBackoff(state: RtoState, minMs = DEFAULT_MIN_RTO_MS): RtoState {
  return { ...state, rto: clamp(state.rto * 2, minMs) };
}

/**
 * An ACK of new data: an RTT sample R when it is one (Karn's rule, applied by the caller: the segment was sent
 * once), and in any case the end of the back-off.
 */
export function rtoAcked(state: RtoState, sample: number | null, minMs = DEFAULT_MIN_RTO_MS): RtoState {
  if (sample !== null) return rtoSample(state, sample, minMs);
  return state.rto === state.computed ? state : { ...state, rto: state.computed };
}
