// The course's three experiments as data: the studies, their points and the varied parameter.
import { InputError } from '../errors.js';

export type StudyId = 1 | 2 | 3;
export const STUDY_IDS: readonly StudyId[] = [1, 2, 3];
export type StudyVariable = 'n' | 'mss' | 'p';

export interface StudyPoint {
  n: number;
  mss: number;
  p: number;
}

export interface Study {
  id: StudyId;
  variable: StudyVariable;
  title: string;
  /** Axis name of the varied parameter. */
  xLabel: string;
  /** The parameters held fixed, in words. */
  fixed: string;
  points: StudyPoint[];
}

export const DEFAULT_REPEAT = 5;
const range = (count: number, at: (i: number) => number): number[] =>
  Array.from({ length: count }, (_, i) => at(i));

/** The studies as the course sets them (protocol-facts.md, "Experiments students run"). */
export function courseStudy(id: StudyId): Study {
  switch (id) {
    case 1:
      return {
        id,
        variable: 'n',
        title: 'Study 1: delay vs number of receivers',
        xLabel: 'Receivers n',
        fixed: 'MSS 500, p = 0.05',
        points: range(5, (i) => i + 1).map((n) => ({ n, mss: 500, p: 0.05 })),
      };
    case 2:
      return {
        id,
        variable: 'mss',
        title: 'Study 2: delay vs MSS',
        xLabel: 'MSS (bytes)',
        fixed: 'n = 3, p = 0.05',
        points: range(10, (i) => (i + 1) * 100).map((mss) => ({ n: 3, mss, p: 0.05 })),
      };
    case 3:
      return {
        id,
        variable: 'p',
        title: 'Study 3: delay vs loss probability',
        xLabel: 'Loss probability p',
        fixed: 'MSS 500, n = 3',
        // k / 100 rather than repeated + 0.01, so 0.07 is the double nearest 0.07, not 0.07000000000000001.
        points: range(10, (i) => (i + 1) / 100).map((p) => ({ n: 3, mss: 500, p })),
      };
  }
}

export function isStudyId(value: unknown): value is StudyId {
  return value === 1 || value === 2 || value === 3;
}

/** The value of the varied parameter at a point. */
export function xOf(variable: StudyVariable, point: StudyPoint): number {
  return point[variable];
}

export function formatX(variable: StudyVariable, x: number): string {
  return variable === 'p' ? x.toFixed(2) : String(x);
}

/** A study on fewer points (tests, quick classroom runs): keeps the course points whose x is listed. */
export function reduceStudy(study: Study, xs: readonly number[]): Study {
  const points = study.points.filter((point) => xs.includes(xOf(study.variable, point)));
  if (points.length === 0) throw new InputError(`none of ${xs.join(', ')} is a point of study ${study.id}`);
  return { ...study, points };
}
