// What the simulated network (the relay in front of one demo receiver) did, next to what that receiver and the
// sender saw: corrupted copies vs checksum failures, extra copies vs duplicates re-ACKed, and retransmissions
// that were not needed (a round trip longer than the timeout, or a lost ACK).
import type { ReceiverCounters } from '../../../shared/events';
import type { DirectionCounters, RelayStats } from '../../../shared/network/impairments';

interface Props {
  index: number;
  relay: RelayStats;
  counters: ReceiverCounters | undefined;
  /** The sender's retransmissions to this receiver. */
  retransmissions: number;
  /** The receiver's own simulated loss, applied before its checks. */
  p: number;
}

/** "1 duplicate", "2 duplicates": the count's word agrees with it. */
const words = (n: number, one: string, many: string): string => (n === 1 ? one : many);

const lost = (c: DirectionCounters): number =>
  c.dropped + c.burstDropped + c.chosenDropped + c.rateDropped + c.overflowDropped;

export function RelayCounters({ index, relay, counters, retransmissions, p }: Props) {
  const F = relay.forward;
  const B = relay.backward;
  const checksumFailures = counters ? counters.corrupt + counters.malformed : 0;
  const duplicates = counters?.duplicates ?? 0;
  // Copies the receiver already had that the relay did not make: each came from a retransmission.
  const unneeded = Math.max(0, duplicates - F.duplicated);
  const allCaught = F.corruptedForwarded > 0 && checksumFailures === F.corruptedForwarded;
  const rows: [string, string, string, number, number][] = [
    ['lost', 'net-lost', '✕', lost(F), lost(B)],
    ['corrupted', 'net-corrupt', 'C', F.corruptedForwarded, B.corruptedForwarded],
    ['duplicated', 'net-duplicate', 'D', F.duplicated, B.duplicated],
    ['delayed', 'net-delay', '◷', F.delayed, B.delayed],
    ['reordered', 'net-reorder', '⇅', F.reordered, B.reordered],
  ];
  return (
    <div className="relay-counters" data-testid={`relay-counters-${index}`}>
      <table>
        <caption>
          Network to receiver {index + 1} <span className="seed">seed {relay.seed}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">What the network did</span>
            </th>
            <th scope="col" className="num">
              data →
            </th>
            <th scope="col" className="num">
              ← ACKs
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, style, mark, data, acks]) => (
            <tr key={label}>
              <th scope="row">
                <span className={`net-mark ${style}`} aria-hidden="true">
                  {mark}
                </span>{' '}
                {label}
              </th>
              <td className="num" data-testid={`relay-${label}`}>
                {data}
              </td>
              <td className="num">{acks}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="relay-effects" aria-label={`What receiver ${index + 1} and the sender saw`}>
        <li data-testid="receiver-checksum-failures">
          <strong>{checksumFailures}</strong> failed the checksum
          {allCaught ? ' ✓ every corrupted copy caught' : ''}
        </li>
        <li data-testid="receiver-duplicates">
          <strong>{duplicates}</strong> {words(duplicates, 'duplicate', 'duplicates')} re-ACKed
        </li>
        <li data-testid="relay-resends">
          <strong>{retransmissions}</strong> {words(retransmissions, 'retransmission', 'retransmissions')},{' '}
          <strong>{unneeded}</strong> not needed (the data had arrived: timeout shorter than the round trip,
          or a lost ACK)
        </li>
      </ul>
      {p > 0 && (F.corruptedForwarded > 0 || F.duplicated > 0) && (
        <p className="hint">
          p drops some copies before the receiver checks them, so its counts can be lower.
        </p>
      )}
    </div>
  );
}
