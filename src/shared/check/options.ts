// p2mpcheck's default waits and tries, the same from the command line and in the app.
import type { CheckOptions } from './checker.js';

/** p2mpcheck server: 0.3 s per reply, 5 tries, 100 loss probes, 2 s of silence after an end-of-file candidate. */
export const RECEIVER_CHECK_DEFAULTS: CheckOptions = {
  timeoutMs: 300,
  tries: 5,
  lossProbes: 100,
  eofWaitMs: 2000,
};

/**
 * p2mpcheck client: 60 s for the sender to start, 2 s per retransmission while an ACK is withheld, 3 s of
 * silence for the end, 3 retransmissions awaited per withheld ACK.
 */
export const CLIENT_CHECK_DEFAULTS = { waitMs: 60_000, retransmitWaitMs: 2_000, quietMs: 3_000, withhold: 3 };
