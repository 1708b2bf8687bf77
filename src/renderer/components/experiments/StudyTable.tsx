// The numbers behind a study's chart: per point, the runs done, the measured mean, min and max delay, and the
// model's expectation, in seconds.
import { formatDelay } from '../../../shared/lab/chart';
import { formatX } from '../../../shared/lab/studies';
import { type StudyResult } from '../../../shared/lab/results';

const seconds = (ms: number | null | undefined): string =>
  ms === null || ms === undefined || !Number.isFinite(ms) ? '–' : formatDelay(ms / 1000);

export function StudyTable({ study }: { study: StudyResult }) {
  return (
    <table className="study-table" data-testid={`study-table-${study.id}`}>
      <caption className="visually-hidden">{study.title}: measured and modelled delay in seconds</caption>
      <thead>
        <tr>
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
        </tr>
      </thead>
      <tbody>
        {study.points.map((point) => {
          const failed = point.runs.length - (point.stats?.runs ?? 0);
          return (
            <tr key={point.x} data-measured={point.stats !== null}>
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
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
