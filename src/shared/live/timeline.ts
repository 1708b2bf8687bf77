// Timeline events: the compact per-packet stream behind the sequence diagram and the recordings. One event is
// four numbers [t, kind, seq, receiver], stored flat (stride 4) so thousands a second cost little to batch,
// clone over IPC and keep in typed arrays. Pure: the renderer imports this file.
import type { SenderEvent } from '../events.js';

export const TIMELINE_STRIDE = 4;

/** What happened; the numbers are internal (files store the names, see recording.ts). */
export const TimelineKind = {
  /** A first transmission of a chunk, sender to receiver. */
  send: 0,
  /** A retransmission after a timeout. */
  resend: 1,
  /** A receiver's ACK reached the sender. */
  ack: 2,
  /** The sender's timer fired while this receiver still owed its ACK. */
  timeout: 3,
  /** The receiver dropped the datagram by its simulated loss p (only known for in-process receivers). */
  drop: 4,
  /** The simulated network (the local demo's relay) lost the data packet on its way to the receiver. */
  netLoss: 5,
  /** The simulated network lost the receiver's ACK on its way back to the sender. */
  netAckLoss: 6,
  /** A retransmission before its timer expired: later segments arrived (Selective Repeat's fast retransmission). */
  fastResend: 7,
} as const;
export type TimelineKind = (typeof TimelineKind)[keyof typeof TimelineKind];

export const TIMELINE_KIND_NAMES = [
  'send',
  'resend',
  'ack',
  'timeout',
  'drop',
  'net-loss',
  'net-ack-loss',
  // Files store these names: older recordings never name it, and open as before.
  'fast-resend',
] as const;
export type TimelineKindName = (typeof TIMELINE_KIND_NAMES)[number];

/** Flat events: t0, kind0, seq0, receiver0, t1, ... with t in ms since the session started, non-decreasing. */
export type TimelineEvents = number[];

/** The timeline entry of a sender event, or null for events the diagram does not draw. */
export function timelineKindOf(e: SenderEvent): TimelineKind | null {
  switch (e.type) {
    case 'send':
      if (!e.retransmission) return TimelineKind.send;
      return e.fast ? TimelineKind.fastResend : TimelineKind.resend;
    case 'ack':
      return TimelineKind.ack;
    case 'timeout':
      return TimelineKind.timeout;
    default:
      return null;
  }
}

export function isTransmission(kind: number): boolean {
  return kind === TimelineKind.send || isRetransmission(kind);
}

export function isRetransmission(kind: number): boolean {
  return kind === TimelineKind.resend || kind === TimelineKind.fastResend;
}

/**
 * Whether a transmission starts a new round, given the transmission before it (null: none known). The sender
 * sends one round to its receivers in increasing index order, so a round ends when the chunk, the kind
 * (first copy or retransmission) changes, or the receiver index stops increasing.
 */
export function startsRound(
  previous: { kind: number; seq: number; receiver: number } | null,
  kind: number,
  seq: number,
  receiver: number,
): boolean {
  return previous === null || previous.kind !== kind || previous.seq !== seq || receiver <= previous.receiver;
}
