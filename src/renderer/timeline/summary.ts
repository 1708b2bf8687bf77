// The timeline's words: what a screen reader (and a test) reads instead of the canvas.
import { TimelineKind } from '../../shared/live/timeline';
import type { Arrow, Current, DrawnCounts } from './layout';
import type { TimelineTotals } from './tally';

const n = (value: number): string => value.toLocaleString('en');
const plural = (value: number, one: string, many = `${one}s`): string =>
  `${n(value)} ${value === 1 ? one : many}`;

/**
 * `windowed`: Go-Back-N or Selective Repeat (a Send session, a recording, a Compare lane). The rounds told from
 * the diagram (a segment to the receivers that needed it) are then not the sender's (a go-back is one round of
 * several segments): not said, or a Compare lane read "1,157" beside its results table's 525.
 */
export function describeTotals(t: TimelineTotals, windowed = false): string {
  if (t.events === 0) return 'No packets yet.';
  return (
    `${plural(t.sends + t.resends, 'data packet')} (${plural(t.resends, 'retransmission')}), ` +
    `${plural(t.acks, 'ACK')}, ${plural(t.drops, 'drop')}, ` +
    (t.netLosses > 0 ? `${n(t.netLosses)} lost in the network, ` : '') +
    `${plural(t.timeouts, 'timeout')}` +
    (windowed ? ',' : ` in ${plural(t.rounds, 'transmission round')},`) +
    ` over ${(t.lastT / 1000).toFixed(2)} s.`
  );
}

export function describeDrawn(d: DrawnCounts, leftOut: number, notShown: number): string {
  const parts = [
    `In view: ${plural(d.sends + d.resends, 'data arrow')}, ${plural(d.acks, 'ACK')}, ` +
      `${plural(d.drops, 'drop')}, ` +
      (d.netLosses > 0 ? `${n(d.netLosses)} lost in the network, ` : '') +
      `${plural(d.timeouts, 'timer mark')}.`,
  ];
  if (leftOut > 0)
    parts.push(
      `${plural(leftOut, 'event')} in this stretch of time not drawn: zoom in or scroll to see them.`,
    );
  if (notShown > 0)
    parts.push(
      `${plural(notShown, 'event')} not shown (too many to stream live; saved recordings have them).`,
    );
  return parts.join(' ');
}

/** The state line before the first segment: a recording at its start, a transfer still offering its file. */
export const NOTHING_SENT = 'Nothing sent yet';

/** How many of the receivers owing an ACK the visible state line names before "+N more". */
export const OWED_NAMED = 3;

/**
 * Who owes an ACK of the current segment as the diagram shows it: also a receiver whose ACK is still drawn on its
 * way back (at a teaching pace flights are drawn after the engine had them, so the engine may have every ACK while
 * the class watches them fly). null: no more than the engine says.
 */
export function owedAsDrawn(
  current: Current,
  arrows: readonly Arrow[],
  landed: (a: Arrow) => boolean,
): number[] | null {
  const owed = new Set(current.owed);
  for (const a of arrows) if (a.kind === 'ack' && a.seq === current.seq && !landed(a)) owed.add(a.receiver);
  return owed.size === current.owed.length ? null : [...owed].sort((x, y) => x - y);
}

/**
 * Whole ms left on the timer, rounded up, as read from times in ms with fractions: the round's start plus T minus
 * the cursor there carries a float's error (30.799 + 50 - 30.799 is 50.00000000000001), which rounded up read
 * "51 ms left" on a 50 ms timer. A microsecond's worth is not a millisecond more.
 */
const msLeft = (leftMs: number): number => Math.max(1, Math.ceil(leftMs - 1e-3));

/**
 * The sender's state, live: the segment it is on, the time left on the timer and who still owes its ACK. `line`
 * is the one line on screen (a few names, then "+N more", so it never wraps however many receivers there are);
 * `full` names every receiver, for screen readers and the line's tooltip.
 */
export function describeCurrent(
  current: Current | null,
  labels: string[],
  /** null: running, its time left not told (the engine's timer stopped; the diagram's ACKs still fly). */
  leftMs: number | null,
  /** How many owing receivers the line names (fewer where it has no room for them whole). */
  named = OWED_NAMED,
): { line: string; full: string } {
  if (!current) return { line: '', full: '' };
  const owed = current.owed.map((r) => labels[r] ?? `receiver ${r + 1}`);
  // A timeout already in the log is an expired timer, whatever the clock reads: the engine armed it a moment
  // before the round's first send was logged, so at the timeout the round's time can be a millisecond short of T.
  const timer =
    owed.length === 0
      ? 'timer stopped'
      : current.timedOut.length > 0
        ? 'timer expired'
        : leftMs === null
          ? 'timer running'
          : leftMs > 0
            ? `timer: ${msLeft(leftMs)} ms left`
            : 'timer expired';
  const head = `Segment ${current.seq} · ${timer} · `;
  if (owed.length === 0) return { line: `${head}every ACK in`, full: `${head}every ACK in` };
  const full = `${head}ACK owed by ${owed.length}: ${owed.join(', ')}`;
  const more = owed.length - named;
  if (more <= 0) return { line: full, full };
  const names = named > 0 ? `: ${owed.slice(0, named).join(', ')} +${more} more` : '';
  return { line: `${head}ACK owed by ${owed.length}${names}`, full };
}

/** One event in words, for the list that stands beside the diagram for screen readers. */
export function describeEvent(t: number, kind: number, seq: number, receiver: string): string {
  const at = `${(t / 1000).toFixed(3)} s`;
  switch (kind) {
    case TimelineKind.send:
      return `${at}: chunk ${seq} sent to ${receiver}`;
    case TimelineKind.resend:
      return `${at}: chunk ${seq} sent again to ${receiver} (retransmission)`;
    case TimelineKind.fastResend:
      return `${at}: chunk ${seq} sent again to ${receiver} (fast retransmission: later chunks arrived)`;
    case TimelineKind.ack:
      return `${at}: ACK ${seq} from ${receiver}`;
    case TimelineKind.timeout:
      return `${at}: timeout, ${receiver} owed ACK ${seq}`;
    case TimelineKind.netLoss:
      return `${at}: chunk ${seq} to ${receiver} lost in the network, mid-way`;
    case TimelineKind.netAckLoss:
      return `${at}: ACK ${seq} from ${receiver} lost in the network, mid-way`;
    default:
      return `${at}: chunk ${seq} lost at ${receiver} (dropped by p)`;
  }
}

const ms = (t: number): string => `${(t / 1000).toFixed(3)} s`;

/** An arrow's details, for its tooltip: what it carried, between whom, when, its round trip and why it was sent. */
export function describeArrow(a: Arrow, receiver: string): string[] {
  if (a.expected) return [`ACK ${a.seq} from ${receiver}, on its way back`, `Left ${ms(a.t1)}`];
  if (a.index < 0)
    return [
      a.kind === 'ack'
        ? `ACK ${a.seq} from ${receiver}, next round`
        : `Chunk ${a.seq} to ${receiver}, next round`,
      'Not sent yet: click (or press Enter) to lose it in the network',
    ];
  const lines = [
    a.kind === 'ack'
      ? `ACK ${a.seq} from ${receiver}`
      : `Chunk ${a.seq} to ${receiver}${a.kind === 'resend' ? ` (${a.fast ? 'fast ' : ''}retransmission)` : ''}`,
  ];
  const end = a.lost ? 'lost on the way at' : 'arrived';
  lines.push(
    a.t2 === null ? `Sent ${ms(a.t1)}${a.lost ? `, ${end}` : ''}` : `Sent ${ms(a.t1)}, ${end} ${ms(a.t2)}`,
  );
  if (a.rttMs !== null) lines.push(`RTT ${a.rttMs.toFixed(3)} ms`);
  if (a.fast) lines.push('Retransmitted before its timer expired: later chunks to that receiver had arrived');
  if (a.afterTimeout)
    lines.push(
      `Retransmitted: its timer, started at ${ms(a.afterTimeout.round)}, expired at ${ms(a.afterTimeout.expired)}`,
    );
  return lines;
}
