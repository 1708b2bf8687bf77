// Saved lab records: their file names, and reading one back (a file that is not one is an InputError).
import { InputError } from '../errors.js';
import { isProtocol } from '../limits.js';
import { isStudyId } from './studies.js';
import { LabRecord } from './results.js';

/** File name of a record: sorts by time, no characters that Windows refuses. */
export function recordFileName(createdAt: string): string {
  return `lab-${createdAt.replace(/[:.]/g, '-')}.json`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a saved record; a file that is not one is an InputError naming what is wrong. */
export function parseLabRecord(text: string): LabRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError('not a lab record: not JSON');
  }
  if (!isObject(value) || value.format !== 'p2mp-lab')
    throw new InputError('not a lab record: no "format": "p2mp-lab"');
  if (value.version !== 1) throw new InputError(`unsupported lab record version ${String(value.version)}`);
  if (!isObject(value.settings) || !Array.isArray(value.studies))
    throw new InputError('not a lab record: settings or studies missing');
  for (const study of value.studies) {
    if (!isObject(study) || !isStudyId(study.id) || !Array.isArray(study.points))
      throw new InputError('not a lab record: a study without id or points');
    for (const point of study.points) {
      if (
        !isObject(point) ||
        typeof point.x !== 'number' ||
        !Array.isArray(point.runs) ||
        !isObject(point.point)
      )
        throw new InputError(`not a lab record: a point of study ${study.id} without x or runs`);
      // Records from before the protocol studies: every point was stop-and-wait's.
      const at = { protocol: 'saw', window: 1, ...point.point };
      if (typeof at.protocol !== 'string' || !isProtocol(at.protocol))
        throw new InputError(`not a lab record: a point of study ${study.id} with an unknown protocol`);
      point.point = at;
    }
  }
  return value as unknown as LabRecord;
}
