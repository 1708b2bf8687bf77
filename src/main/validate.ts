// Every IPC payload is checked here before a service sees it: the renderer is treated as untrusted input.
// Checks return the typed value or throw a PayloadError whose message the renderer can show as is.
import { isAbsolute } from 'node:path';
import {
  DEMO_MAX_RECEIVERS,
  labFileSizeProblem,
  labRepeatProblem,
  type LabExportRequest,
  type LabGrid,
  type LabRequest,
  mssProblem,
  parseReceiverAddress,
  portProblem,
  PROFILES,
  SLOW_RATE_RANGE,
  timeoutProblem,
  type Channel,
  type DemoNetwork,
  type DemoNetworkChange,
  type Profile,
  type PaceState,
  type Req,
  type SenderSource,
  type Settings,
  type Theme,
} from '../shared/contract.js';
import { InputError } from '../shared/errors.js';
import { courseStudy, isStudyId, STUDY_IDS, xOf, type StudyId } from '../shared/experiments.js';
import { mergeImpairments, NO_IMPAIRMENTS, type Impairments } from '../shared/impairments.js';
import { lossProbabilityProblem } from '../shared/lossModel.js';
import type { PaceMode } from '../shared/pacer.js';

export class PayloadError extends Error {
  override name = 'PayloadError';
}

type Check<T> = (value: unknown, name: string) => T;

const fail = (name: string, what: string): never => {
  throw new PayloadError(`${name}: ${what}`);
};

const nothing: Check<null> = (value, name) => (value == null ? null : fail(name, 'expected no payload'));

const bool: Check<boolean> = (value, name) =>
  typeof value === 'boolean' ? value : fail(name, 'expected true/false');

const num: Check<number> = (value, name) =>
  typeof value === 'number' && Number.isFinite(value) ? value : fail(name, 'expected a number');

function text(maxLength: number): Check<string> {
  return (value, name) =>
    typeof value === 'string' && value.length <= maxLength
      ? value
      : fail(name, `expected text up to ${maxLength}`);
}

function oneOf<T extends string>(options: readonly T[]): Check<T> {
  return (value, name) =>
    options.includes(value as T) ? (value as T) : fail(name, `expected one of ${options.join(', ')}`);
}

function nullable<T>(check: Check<T>): Check<T | null> {
  return (value, name) => (value === null ? null : check(value, name));
}

function arrayOf<T>(check: Check<T>, min: number, max: number): Check<T[]> {
  return (value, name) => {
    if (!Array.isArray(value) || value.length < min || value.length > max) {
      return fail(name, `expected a list of ${min}-${max} items`);
    }
    return value.map((item, i) => check(item, `${name}[${i}]`));
  };
}

function problem<T>(check: Check<T>, find: (value: T) => string | null): Check<T> {
  return (value, name) => {
    const checked = check(value, name);
    const found = find(checked);
    return found === null ? checked : fail(name, found);
  };
}

type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

function object<T>(shape: Shape<T>, partial = false): Check<T> {
  return (value, name) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(name, 'expected an object');
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) if (!(key in shape)) fail(name, `unexpected field "${key}"`);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
      if (partial && !(key in record)) continue;
      out[key] = shape[key](record[key], `${name}.${key}`);
    }
    return out as T;
  };
}

const port = problem(num, portProblem);
const loss = problem(num, lossProbabilityProblem);
const profile = oneOf<Profile>(PROFILES);
const timeoutMs = problem(num, timeoutProblem);
const mss = problem(num, (v) => mssProblem(v, 'standard'));
const seed = nullable(
  problem(num, (v) => (Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff ? null : 'seed 0-4294967295')),
);
const receiverText = problem(text(300), (v) => {
  const parsed = parseReceiverAddress(v, 1);
  return typeof parsed === 'string' ? parsed : null;
});
const bindAddress = problem(text(100), (v) => {
  const parsed = parseReceiverAddress(v, 1);
  return typeof parsed === 'string' || v.includes(':')
    ? 'bind address must be an IPv4 address or host name'
    : null;
});
const senderSource = oneOf<SenderSource>(['send', 'demo']);
const slowRate = problem(num, (v) =>
  v >= SLOW_RATE_RANGE.min && v <= SLOW_RATE_RANGE.max
    ? null
    : `rounds per second must be ${SLOW_RATE_RANGE.min}-${SLOW_RATE_RANGE.max}`,
);
const paceMode: Check<PaceMode> = (value, name) => {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind === 'slow')
    return object<Extract<PaceMode, { kind: 'slow' }>>({ kind: oneOf(['slow']), roundsPerSecond: slowRate })(
      value,
      name,
    );
  if (kind === 'full' || kind === 'step')
    return object<{ kind: typeof kind }>({ kind: oneOf([kind]) })(value, name);
  return fail(name, 'expected a pace of kind full, slow or step');
};
const pace = object<PaceState>({ mode: paceMode, paused: bool });
/**
 * One direction's impairments, every field present: the relay's own check (mergeImpairments) says what is wrong,
 * so the app, the relay and its command line agree. Burst parameters are copied field by field (no extra keys).
 */
const impairments: Check<Impairments> = (value, name) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(name, 'expected an object');
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(NO_IMPAIRMENTS)) if (!(key in record)) fail(`${name}.${key}`, 'missing');
  try {
    const merged = mergeImpairments(NO_IMPAIRMENTS, record as Partial<Impairments>, name);
    const b = merged.burst;
    const burst = b && {
      pGoodToBad: b.pGoodToBad,
      pBadToGood: b.pBadToGood,
      lossInBad: b.lossInBad,
      lossInGood: b.lossInGood,
    };
    return { ...merged, burst };
  } catch (error) {
    throw error instanceof InputError ? new PayloadError(error.message) : error;
  }
};
const networkChange = object<DemoNetworkChange>({ forward: impairments, backward: impairments });
const network = object<DemoNetwork>({ forward: impairments, backward: impairments, seed });
const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (value, name) =>
    value === undefined ? undefined : check(value, name);

const absolutePath = problem(text(4096), (v) => (isAbsolute(v) ? null : 'expected an absolute path'));

const studyId: Check<StudyId> = (value, name) =>
  isStudyId(value) ? value : fail(name, 'expected study 1, 2 or 3');

/** Studies to run: 1-3 of them, each once. */
const studyList = problem(arrayOf(studyId, 1, STUDY_IDS.length), (v) =>
  new Set(v).size === v.length ? null : 'a study is listed twice',
);

/** A reduced grid from settings.json: per study key "1".."3", x values that are points of that study. */
const labGrid: Check<LabGrid> = (value, name) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(name, 'expected an object');
  const out: LabGrid = {};
  for (const [key, xs] of Object.entries(value as Record<string, unknown>)) {
    const id = Number(key);
    if (!isStudyId(id) || key !== String(id)) return fail(name, `unexpected study "${key}"`);
    const study = courseStudy(id);
    const valid = study.points.map((point) => xOf(study.variable, point));
    out[`${id}`] = arrayOf(
      problem(num, (x) => (valid.includes(x) ? null : `not a point of study ${id}`)),
      1,
      valid.length,
    )(xs, `${name}.${key}`);
  }
  return out;
};

const labId = problem(text(200), (v) =>
  /^lab-[0-9A-Za-z-]+\.json$/.test(v) ? null : 'expected the id of a saved lab run',
);

const labRequest = object<LabRequest>({
  studies: studyList,
  repeat: problem(num, labRepeatProblem),
  file: nullable(absolutePath),
  fileSize: problem(num, labFileSizeProblem),
  timeoutMs,
  seed,
});

const labExport = object<LabExportRequest>({
  record: nullable(labId),
  study: studyId,
  format: oneOf(['csv', 'png'] as const),
  compare: nullable(labId),
});

/**
 * Fields the renderer may change. saveFolder is absent on purpose: only the native folder dialog sets it;
 * labGrid too: it is read from settings.json only.
 */
type SettingsPatch = Omit<Settings, 'saveFolder' | 'labGrid'>;
const settingsShape: Shape<SettingsPatch> = {
  mode: oneOf(['send', 'receive', 'demo', 'replay', 'experiments'] as const),
  receivers: arrayOf(text(300), 0, 64),
  port,
  mss,
  timeoutMs,
  profile,
  p: loss,
  seed,
  bind: text(100),
  demoLoss: arrayOf(loss, 1, DEMO_MAX_RECEIVERS),
  largeType: bool,
  theme: oneOf<Theme>(['system', 'light', 'dark']),
};

export const settingsPatch = object<SettingsPatch>(settingsShape, true) as Check<Partial<Settings>>;

/** Checks a stored settings file field by field, keeping the valid ones (a hand-edited file must not crash us). */
export function sanitizeSettings(raw: unknown, defaults: Settings): Settings {
  const out: Settings = { ...defaults };
  if (typeof raw !== 'object' || raw === null) return out;
  const record = raw as Record<string, unknown>;
  const checks: Record<string, Check<unknown>> = {
    ...settingsShape,
    saveFolder: nullable(absolutePath),
    labGrid: nullable(labGrid),
  };
  for (const [key, check] of Object.entries(checks)) {
    if (!(key in record)) continue;
    try {
      (out as unknown as Record<string, unknown>)[key] = check(record[key], key);
    } catch {
      // keep the default for this field
    }
  }
  return out;
}

function withMss<T extends { mss: number; profile: Profile }>(check: Check<T>): Check<T> {
  return problem(check, (v) => mssProblem(v.mss, v.profile));
}

export const validators: { [C in Channel]: Check<Req<C>> } = {
  'settings:get': nothing,
  'settings:update': settingsPatch,
  'file:choose': nothing,
  'file:inspect': object({ path: absolutePath }),
  'folder:choose': nothing,
  'file:show': object({ path: absolutePath }),
  'send:start': withMss(
    object({
      file: absolutePath,
      receivers: arrayOf(receiverText, 1, 64),
      mss: num,
      timeoutMs,
      profile,
    }),
  ),
  'send:cancel': nothing,
  'receive:start': object({ port, bind: bindAddress, p: loss, seed, profile }),
  'receive:stop': nothing,
  'receive:set-loss': object({ p: loss }),
  'demo:start': withMss(
    object({
      file: nullable(absolutePath),
      loss: arrayOf(loss, 1, DEMO_MAX_RECEIVERS),
      mss: num,
      timeoutMs,
      profile,
      port,
      network: optional(nullable(network)),
    }),
  ),
  'demo:stop': nothing,
  'demo:set-loss': object({
    index: problem(num, (v) =>
      Number.isInteger(v) && v >= 0 && v < DEMO_MAX_RECEIVERS ? null : 'no such receiver',
    ),
    p: loss,
  }),
  'demo:set-network': networkChange,
  'summary:copy': object({ text: text(1_000_000) }),
  'summary:save': object({ text: text(1_000_000) }),
  'pace:set': object({ source: senderSource, pace }),
  'pace:step': object({ source: senderSource }),
  'recording:save': object({ source: senderSource }),
  'recording:open': nothing,
  'lab:start': labRequest,
  'lab:cancel': nothing,
  'lab:records': nothing,
  'lab:record': object({ id: labId }),
  'lab:export': labExport,
};
