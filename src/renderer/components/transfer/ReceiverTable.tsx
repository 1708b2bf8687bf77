// One entry per receiver: state, ACKs, timeouts, retransmissions, RTT, and below them its lane of recent chunks.
import type { ReceiverLive } from '../../../shared/contract';
import { formatMs } from '../../format';
import { ChunkLane } from './ChunkLane';
import { StateBadge } from './StateBadge';

const rtt = (ms: number | null): string => (ms === null ? '–' : formatMs(ms));

export function ReceiverTable({ receivers }: { receivers: ReceiverLive[] }) {
  return (
    <table className="receiver-table">
      <caption>Receivers</caption>
      <thead>
        <tr>
          <th scope="col">Receiver</th>
          <th scope="col">State</th>
          <th scope="col" className="num">
            ACKs
          </th>
          <th scope="col" className="num">
            Timeouts
          </th>
          <th scope="col" className="num">
            Retrans.
          </th>
          <th
            scope="col"
            className="num"
            title="Round-trip time of the last ACK / mean of first-transmission ACKs"
          >
            RTT ms
          </th>
        </tr>
      </thead>
      {receivers.map((r) => (
        // One tbody per receiver: its numbers, then its lane across the full width (readable in large type).
        <tbody key={r.receiver.id}>
          <tr data-testid={`receiver-row-${r.receiver.id}`}>
            <th scope="row" title={`${r.receiver.address}:${r.receiver.port}`}>
              {r.receiver.label}
              {r.failure && <span className="failure">{r.failure}</span>}
            </th>
            <td>
              <StateBadge state={r.state} />
            </td>
            <td className="num">{r.acks.toLocaleString('en')}</td>
            <td className="num" data-testid="timeouts">
              {r.timeouts.toLocaleString('en')}
            </td>
            <td className="num">{r.retransmissions.toLocaleString('en')}</td>
            <td className="num" title={`last ${rtt(r.lastRttMs)} / mean ${rtt(r.rtt?.mean ?? null)} ms`}>
              {rtt(r.lastRttMs)} / {rtt(r.rtt?.mean ?? null)}
            </td>
          </tr>
          <tr className="lane-row">
            <td colSpan={6}>
              <ChunkLane cells={r.lane} label={r.receiver.label} />
            </td>
          </tr>
        </tbody>
      ))}
    </table>
  );
}
