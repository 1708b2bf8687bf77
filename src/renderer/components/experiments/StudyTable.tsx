// The numbers behind a study's charts: per point, the runs done, the measured mean, min and max delay, and the
// model's expectation, in seconds; in a study of protocols also the protocol and the transmissions per segment,
// measured and expected (the rows: shared/lab/studyRows.ts, as p2mplab prints them).
import type { StudyResult } from '../../../shared/lab/results';
import { comparesProtocols, studyRows, variableHeading } from '../../../shared/lab/studyRows';

export function StudyTable({ study }: { study: StudyResult }) {
  const protocols = comparesProtocols(study);
  return (
    <table className="study-table" data-testid={`study-table-${study.id}`}>
      <caption className="visually-hidden">
        {study.title}: measured and modelled delay in seconds
        {protocols ? ', transmissions per segment and receiver' : ''}
      </caption>
      <thead>
        <tr>
          {protocols && <th scope="col">Protocol</th>}
          <th scope="col">{variableHeading(study)}</th>
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
        {studyRows(study).map((row) => (
          <tr key={row.key} data-measured={row.measured}>
            {protocols && <td>{row.protocol}</td>}
            <th scope="row">{row.x}</th>
            <td className="num">
              {row.runs}
              {row.failed > 0 && <span className="failed-runs"> ({row.failed} failed)</span>}
            </td>
            <td className="num" data-testid="mean">
              {row.mean}
            </td>
            <td className="num">{row.min}</td>
            <td className="num">{row.max}</td>
            <td className="num">{row.model}</td>
            {protocols && (
              <>
                <td className="num">{row.tx}</td>
                <td className="num">{row.expectedTx}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
