// The lab's studies as data: the course's three experiments, and the protocol studies (each protocol over the
// loss probability, the windowed ones over the window size), their points and the varied parameter.
import { InputError } from '../errors.js';
import { DEFAULT_WINDOW, PROTOCOLS, type Protocol } from '../limits.js';
import { isWindowed, WINDOWED_PROTOCOLS } from './protocolModel.js';

export type StudyId = 1 | 2 | 3 | 4 | 5;
export const STUDY_IDS: readonly StudyId[] = [1, 2, 3, 4, 5];
/** The course's own experiments (protocol-facts.md, "Experiments students run"). */
export const COURSE_STUDY_IDS: readonly StudyId[] = [1, 2, 3];
export type StudyVariable = 'n' | 'mss' | 'p' | 'window';

export interface StudyPoint {
  n: number;
  mss: number;
  p: number;
  protocol: Protocol;
  /** Segments in flight; 1 for stop-and-wait. */
  window: number;
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
/** The window sizes of study 5: powers of two, from stop-and-wait's 1. */
export const STUDY_WINDOWS: readonly number[] = [1, 2, 4, 8, 16, 32, 64];
/** The loss probabilities of study 4: from none, where only per-datagram costs count, to heavy loss. */
export const STUDY_LOSSES: readonly number[] = [0, 0.01, 0.02, 0.05, 0.1, 0.2];

const range = (count: number, at: (i: number) => number): number[] =>
  Array.from({ length: count }, (_, i) => at(i));
const windowOf = (protocol: Protocol): number => (isWindowed(protocol) ? DEFAULT_WINDOW : 1);
const saw = (n: number, mss: number, p: number): StudyPoint => ({ n, mss, p, protocol: 'saw', window: 1 });

/** A study by its id: 1-3 as the course sets them, 4-5 the protocol studies. */
export function labStudy(id: StudyId): Study {
  switch (id) {
    case 1:
      return {
        id,
        variable: 'n',
        title: 'Study 1: delay vs number of receivers',
        xLabel: 'Receivers n',
        fixed: 'MSS 500, p = 0.05',
        points: range(5, (i) => i + 1).map((n) => saw(n, 500, 0.05)),
      };
    case 2:
      return {
        id,
        variable: 'mss',
        title: 'Study 2: delay vs MSS',
        xLabel: 'MSS (bytes)',
        fixed: 'n = 3, p = 0.05',
        points: range(10, (i) => (i + 1) * 100).map((mss) => saw(3, mss, 0.05)),
      };
    case 3:
      return {
        id,
        variable: 'p',
        title: 'Study 3: delay vs loss probability',
        xLabel: 'Loss probability p',
        fixed: 'MSS 500, n = 3',
        // k / 100 rather than repeated + 0.01, so 0.07 is the double nearest 0.07, not 0.07000000000000001.
        points: range(10, (i) => (i + 1) / 100).map((p) => saw(3, 500, p)),
      };
    case 4:
      return {
        id,
        variable: 'p',
        title: 'Study 4: protocols vs loss probability',
        xLabel: 'Loss probability p',
        fixed: `MSS 500, n = 3, window ${DEFAULT_WINDOW}`,
        // Every protocol at each p in turn, so a cancelled run still compares them where it got to.
        points: STUDY_LOSSES.flatMap((p) =>
          PROTOCOLS.map((protocol) => ({ n: 3, mss: 500, p, protocol, window: windowOf(protocol) })),
        ),
      };
    case 5:
      return {
        id,
        variable: 'window',
        title: 'Study 5: windowed protocols vs window size',
        xLabel: 'Window W (segments)',
        fixed: 'MSS 500, n = 3, p = 0.05; stop-and-wait as the W = 1 reference',
        points: [
          saw(3, 500, 0.05),
          ...STUDY_WINDOWS.flatMap((window) =>
            WINDOWED_PROTOCOLS.map((protocol) => ({ n: 3, mss: 500, p: 0.05, protocol, window })),
          ),
        ],
      };
  }
}

export function isStudyId(value: unknown): value is StudyId {
  return STUDY_IDS.includes(value as StudyId);
}

/** The value of the varied parameter at a point. */
export function xOf(variable: StudyVariable, point: StudyPoint): number {
  return point[variable];
}

export function formatX(variable: StudyVariable, x: number): string {
  return variable === 'p' ? x.toFixed(2) : String(x);
}

/**
 * A point drawn as a reference line rather than at its x: stop-and-wait in the window study (its window is
 * not a parameter, it is 1).
 */
export function isReference(variable: StudyVariable, point: StudyPoint): boolean {
  return variable === 'window' && !isWindowed(point.protocol);
}

/** The protocols a study compares, in PROTOCOLS order. */
export function protocolsOf(points: readonly StudyPoint[]): Protocol[] {
  return PROTOCOLS.filter((protocol) => points.some((point) => point.protocol === protocol));
}

/** A point in words for progress lines: "n = 3", or in a study of protocols "gbn W 8, p = 0.05". */
export function pointLabel(
  variable: StudyVariable,
  points: readonly StudyPoint[],
  point: StudyPoint,
): string {
  const at = `${variable} = ${formatX(variable, xOf(variable, point))}`;
  if (protocolsOf(points).length < 2) return at;
  const window = variable === 'window' || point.window === 1 ? '' : ` W ${point.window}`;
  return `${point.protocol}${window}, ${at}`;
}

/**
 * A study on fewer points (tests, quick classroom runs): keeps the points whose x is listed, and the reference
 * points, which have no x of their own.
 */
export function reduceStudy(study: Study, xs: readonly number[]): Study {
  const points = study.points.filter(
    (point) => isReference(study.variable, point) || xs.includes(xOf(study.variable, point)),
  );
  if (points.every((point) => isReference(study.variable, point)))
    throw new InputError(`none of ${xs.join(', ')} is a point of study ${study.id}`);
  return { ...study, points };
}
