// Totals of a timeline up to a position, kept by moving that position (forward while live, both ways when
// scrubbing a replay): each move costs only the events stepped over, however long the log.
import { isRetransmission, isTransmission, startsRound, TimelineKind } from '../../shared/live/timeline';
import type { TimelineReader } from './layout';

export interface TimelineTotals {
  events: number;
  sends: number;
  resends: number;
  acks: number;
  /** Drops by p at the receivers. */
  drops: number;
  /** Data packets and ACKs the simulated network lost. */
  netLosses: number;
  timeouts: number;
  /** Transmission rounds: a chunk (or its retransmission) sent to the receivers that needed it. */
  rounds: number;
  /** Time of the last counted event, ms. */
  lastT: number;
}

export function emptyTotals(): TimelineTotals {
  return {
    events: 0,
    sends: 0,
    resends: 0,
    acks: 0,
    drops: 0,
    netLosses: 0,
    timeouts: 0,
    rounds: 0,
    lastT: 0,
  };
}

/** How far back to look for the transmission before one (a round has at most a few events per receiver). */
const LOOK_BACK = 1000;

export class Tally {
  readonly totals = emptyTotals();
  /** Absolute index one past the last counted event. */
  private upTo: number;

  constructor(private readonly events: TimelineReader) {
    this.upTo = events.start;
  }

  /** Counts events up to (not including) absolute index `to`. Moving back needs them still held. */
  moveTo(to: number): TimelineTotals {
    const target = Math.max(this.events.start, Math.min(to, this.events.end));
    while (this.upTo < target) this.count(this.upTo++, 1);
    while (this.upTo > target) this.count(--this.upTo, -1);
    this.totals.lastT = this.upTo > this.events.start ? this.events.t(this.upTo - 1) : 0;
    return this.totals;
  }

  private count(i: number, sign: 1 | -1): void {
    const e = this.events;
    const kind = e.kind(i);
    const t = this.totals;
    t.events += sign;
    if (kind === TimelineKind.send) t.sends += sign;
    else if (isRetransmission(kind)) t.resends += sign;
    else if (kind === TimelineKind.ack) t.acks += sign;
    else if (kind === TimelineKind.drop) t.drops += sign;
    else if (kind === TimelineKind.timeout) t.timeouts += sign;
    else if (kind === TimelineKind.netLoss || kind === TimelineKind.netAckLoss) t.netLosses += sign;
    if (isTransmission(kind) && startsRound(this.previousTransmission(i), kind, e.seq(i), e.receiver(i)))
      t.rounds += sign;
  }

  private previousTransmission(i: number): { kind: number; seq: number; receiver: number } | null {
    const e = this.events;
    for (let j = i - 1; j >= Math.max(e.start, i - LOOK_BACK); j--) {
      const kind = e.kind(j);
      if (isTransmission(kind)) return { kind, seq: e.seq(j), receiver: e.receiver(j) };
    }
    return null;
  }
}
