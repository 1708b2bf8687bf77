// The numbers behind a study's charts: per point, the runs done, the measured mean, min and max delay, and the
// model's expectation, in seconds; in a study of protocols also the protocol and the transmissions per segment,
// measured and expected.
import { formatDelay } from '../../../shared/lab/chart';
import { protocolName } from '../../../shared/lab/protocolModel';
import { formatX, protocolsOf } from '../../../shared/lab/studies';
import {
  expectedTransmissionsAt,
  measuredTransmissions,
  type StudyResult,
} from '../../../shared/lab/results';

const seconds = (ms: number | null | undefined): string =>
  ms === null || ms === undefined || !Number.isFinite(ms) ? '–' : formatDelay(ms / 1000);

const times = (value: number | null): string => (value === null ? '–' : value.toFixed(3));

export function StudyTable({ study }: { study: StudyResult }) {
  const protocols = protocolsOf(study.points.map((p) => p.point)).length > 1;
  return (
    <table className="study-table" data-testid={`study-table-${study.id}`}>
      <caption className="visually-hidden">
        {study.title}: measured and modelled delay in seconds
        {protocols ? ', transmissions per segment and receiver' : ''}
      </caption>
      <thead>
        <tr>
          {protocols && <th scope="col">Protocol</th>}
          <th scope="col">{study.variable === 'mss' ? 'MSS' : study.variable}</th>
          <th scope="col" className="num">
            Runs
          </th>
          <th scope="col" className="num">
            Mean (s)
          </th>
          <th scope="col" className="num">
            Min
          </th>
          <th scope="col" className="num">
            Max
          </th>
          <th scope="col" className="num">
            Model
          </th>
          {protocols && (
            <>
              <th scope="col" className="num">
                Tx/segment
              </th>
              <th scope="col" className="num">
                Expected
              </th>
            </>
          )}
        </tr>
      </thead>
      <tbody>
        {study.points.map((point) => {
          const failed = point.runs.length - (point.stats?.runs ?? 0);
          return (
            <tr key={`${point.point.protocol}/${point.x}`} data-measured={point.stats !== null}>
              {protocols && <td>{protocolName(point.point.protocol)}</td>}
              <th scope="row">{formatX(study.variable, point.x)}</th>
              <td className="num">
                {point.runs.length}
                {failed > 0 && <span className="failed-runs"> ({failed} failed)</span>}
              </td>
              <td className="num" data-testid="mean">
                {seconds(point.stats?.meanMs)}
              </td>
              <td className="num">{seconds(point.stats?.minMs)}</td>
              <td className="num">{seconds(point.stats?.maxMs)}</td>
              <td className="num">{seconds(point.model?.expectedMs)}</td>
              {protocols && (
                <>
                  <td className="num">{times(measuredTransmissions(point))}</td>
                  <td className="num">{times(expectedTransmissionsAt(point.point))}</td>
                </>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
