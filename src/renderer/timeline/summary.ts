// The timeline's words: what a screen reader (and a test) reads instead of the canvas.
import type { DrawnCounts } from './layout';
import type { TimelineTotals } from './tally';

const n = (value: number): string => value.toLocaleString('en');
const plural = (value: number, one: string, many = `${one}s`): string =>
  `${n(value)} ${value === 1 ? one : many}`;

export function describeTotals(t: TimelineTotals): string {
  if (t.events === 0) return 'No packets yet.';
  return (
    `${plural(t.sends + t.resends, 'data packet')} (${plural(t.resends, 'retransmission')}), ` +
    `${plural(t.acks, 'ACK')}, ${plural(t.drops, 'drop')}, ${plural(t.timeouts, 'timeout')} ` +
    `in ${plural(t.rounds, 'round')}, over ${(t.lastT / 1000).toFixed(2)} s.`
  );
}

export function describeDrawn(d: DrawnCounts, leftOut: number, notShown: number): string {
  const parts = [
    `In view: ${plural(d.sends + d.resends, 'data arrow')}, ${plural(d.acks, 'ACK')}, ` +
      `${plural(d.drops, 'drop')}, ${plural(d.timeouts, 'timer mark')}.`,
  ];
  if (leftOut > 0) parts.push(`${n(leftOut)} older events in this window left out: zoom in to see them.`);
  if (notShown > 0)
    parts.push(
      `${plural(notShown, 'event')} not shown (too many to stream live; saved recordings have them).`,
    );
  return parts.join(' ');
}
