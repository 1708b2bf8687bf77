// The comparison's table: one row per protocol, measured in main once its lane ended. The winner (every file
// byte-identical, shortest time) is marked by a star and the word "winner", as well as by the row's outline.
import type { CompareLaneView } from '../../store/compare';
import { formatBytes, formatSeconds } from '../../../shared/format';
import { protocolName } from './protocolNames';

const goodput = (bytesPerSecond: number): string =>
  bytesPerSecond > 0 ? `${formatBytes(Math.round(bytesPerSecond))}/s` : '–';

/** Headings, and whether the column holds numbers (right-aligned). */
const COLUMNS: [string, boolean][] = [
  ['Protocol', false],
  ['Time', true],
  ['Rounds', true],
  ['Transmissions', true],
  ['Retrans\u00admissions', true],
  ['Timeouts', true],
  ['Goodput', true],
  ['On the wire: data / ACKs', true],
  ['Files (SHA-256)', false],
];

export function CompareTable({ lanes, winner }: { lanes: CompareLaneView[]; winner: number | null }) {
  return (
    <table className="compare-table">
      <caption>Results: the same file, the same lost datagrams</caption>
      <thead>
        <tr>
          {COLUMNS.map(([name, numeric]) => (
            <th key={name} scope="col" className={numeric ? 'num' : undefined}>
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {lanes.map((lane, i) => {
          const r = lane.result;
          const name = protocolName(lane.protocol, lane.window);
          const won = winner === i;
          if (!r)
            return (
              <tr key={lane.protocol} data-protocol={lane.protocol}>
                <th scope="row">{name}</th>
                <td colSpan={COLUMNS.length - 1}>{lane.error ? `failed: ${lane.error}` : 'running…'}</td>
              </tr>
            );
          const verified = r.identical.filter(Boolean).length;
          return (
            <tr key={lane.protocol} data-protocol={lane.protocol} data-winner={won}>
              <th scope="row">
                {won && <span className="winner-badge">★ Winner: </span>}
                {name}
              </th>
              {/* data-label: where the table stacks (a small window), each value says what it is. */}
              <td className="num" data-label="Time">
                {formatSeconds(r.durationMs)}
              </td>
              <td className="num" data-label="Rounds">
                {r.rounds.toLocaleString('en')}
              </td>
              <td className="num" data-label="Transmissions">
                {r.transmissions.toLocaleString('en')}
              </td>
              <td className="num" data-label="Retransmissions">
                {r.retransmissions.toLocaleString('en')}
              </td>
              <td className="num" data-label="Timeouts">
                {r.timeouts.toLocaleString('en')}
              </td>
              <td className="num" data-label="Goodput">
                {goodput(r.goodput)}
              </td>
              <td className="num wire" data-label="On the wire: data / ACKs">
                {formatBytes(r.wire.dataBytes)} / {formatBytes(r.wire.ackBytes)}
              </td>
              <td
                className={verified === r.identical.length ? 'verified' : 'not-verified'}
                data-label="Files (SHA-256)"
              >
                {verified === r.identical.length
                  ? `✓ all ${verified} byte-identical`
                  : `✗ ${verified} of ${r.identical.length} byte-identical`}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
