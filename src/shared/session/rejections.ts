// What a receiver's session layer kept out of the protocol, counted by why: the CLI's counters and the app's view
// count alike. A transfer's first datagrams that fail to open count as forged until enough of them say it is
// sealed under another code (sessionUdp.ts, WRONG_CODE_AFTER); then they move to "another code", so a sender
// given the wrong code does not read as an attack.
import type { ReceiverCounters } from '../events.js';

export type ReceiverRejection = 'forged' | 'replayed' | 'unproven' | 'wrong-code' | 'unsealed';

/** The counters a receiver with a code keeps (all absent without one). */
export type SessionCounters = Pick<
  ReceiverCounters,
  'forged' | 'replayed' | 'unproven' | 'wrongCode' | 'unsealed'
>;

export const noSessionRejections = (): Required<SessionCounters> => ({
  forged: 0,
  replayed: 0,
  unproven: 0,
  wrongCode: 0,
  unsealed: 0,
});

const COUNTER: Record<ReceiverRejection, keyof SessionCounters> = {
  forged: 'forged',
  replayed: 'replayed',
  unproven: 'unproven',
  'wrong-code': 'wrongCode',
  unsealed: 'unsealed',
};

/** One datagram kept out; `recounted` earlier ones counted as forged that turned out to be of its kind. */
export function countRejection(c: SessionCounters, why: ReceiverRejection, recounted = 0): void {
  const key = COUNTER[why];
  c[key] = (c[key] ?? 0) + 1 + recounted;
  if (recounted > 0) c.forged = (c.forged ?? 0) - recounted;
}
