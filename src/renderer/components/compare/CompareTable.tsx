// The comparison's table: one row per protocol, measured in main once its lane ended. The winner (every file
// byte-identical, shortest time) is marked by a star and the word "winner", as well as by the row's outline.
import type { CompareLaneView } from '../../store/compare';
import { formatBytes, formatSeconds } from '../../../shared/format';
import { protocolName } from './protocolNames';

const goodput = (bytesPerSecond: number): string =>
  bytesPerSecond > 0 ? `${formatBytes(Math.round(bytesPerSecond))}/s` : '–';

/** Headings, whether the column holds numbers (right-aligned), and what a heading alone cannot say. */
const COLUMNS: [string, boolean, string?][] = [
  ['Protocol', false],
  ['Time', true],
  ['Rounds', true],
  ['Transmissions', true],
  ['Retrans\u00admissions', true],
  [
    'Timeouts',
    true,
    // Stop-and-wait has one timer, the others one per receiver (Selective Repeat per segment): counted per receiver.
    'One per receiver whose ACK did not come before its timer expired, counted alike in every protocol',
  ],
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
          {COLUMNS.map(([name, numeric, title]) => (
            <th key={name} scope="col" className={numeric ? 'num' : undefined} title={title}>
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
              {(
                [
                  ['Time', formatSeconds(r.durationMs)],
                  ['Rounds', r.rounds.toLocaleString('en')],
                  ['Transmissions', r.transmissions.toLocaleString('en')],
                  ['Retransmissions', r.retransmissions.toLocaleString('en')],
                  ['Timeouts', r.timeouts.toLocaleString('en')],
                  ['Goodput', goodput(r.goodput)],
                  [
                    'On the wire: data / ACKs',
                    `${formatBytes(r.wire.dataBytes)} / ${formatBytes(r.wire.ackBytes)}`,
                  ],
                ] as const satisfies readonly (readonly [string, string])[]
              ).map(([label, value]) => (
                // The two-part wire column may wrap; the others keep each value on one line.
                <td
                  key={label}
                  className={label.startsWith('On the wire') ? 'num wire' : 'num'}
                  data-label={label}
                >
                  {value}
                </td>
              ))}
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
