// Every IPC request's payload, described once as a valibot schema: main validates with these (src/main/validate.ts)
// and the contract infers its request types from them, so a type and its check cannot drift apart. The rules
// themselves are the shared ones (limits.ts, the lab's, the relay's), so the app, the engine and the CLI agree.
// No Node imports: the renderer reads this file's types (it imports no values from it).
import * as v from 'valibot';
import {
  CHECK_MAX_RECEIVERS,
  checkHostProblem,
  DEMO_MAX_RECEIVERS,
  GROUP_NAME_MAX,
  groupNameProblem,
  labFileSizeProblem,
  labRepeatProblem,
  parseReceiverAddress,
  SAVED_GROUPS_MAX,
  SEND_MAX_RECEIVERS,
  sendTimeoutProblem,
  SLOW_RATE_RANGE,
  type Channel,
} from './contract.js';
import { labStudy, isStudyId, STUDY_IDS, xOf, type StudyId } from './lab/studies.js';
import { formatChoices } from './format.js';
import { CHART_KINDS } from './lab/studyCharts.js';
import { impairmentProblems, NO_IMPAIRMENTS, type Impairments } from './network/impairments.js';
import {
  mssProblem,
  portProblem,
  PROFILE_NAMES,
  PROTOCOLS,
  referenceMssProblem,
  timeoutProblem,
  windowProblem,
  type ProfileName,
} from './limits.js';
import { lossProbabilityProblem } from './network/lossModel.js';
import { displayName, MAX_NAME } from './discovery/message.js';
import { dialectFor, parseDialect } from './protocol/dialect.js';
import { codeProblem } from './session/code.js';

const EXPECTED_OBJECT = 'expected an object';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `schema`, then a shared check that says what is wrong in words (null: nothing). */
function rule<S extends v.GenericSchema>(schema: S, problem: (value: v.InferOutput<S>) => string | null) {
  return v.pipe(
    schema,
    v.rawCheck<v.InferOutput<S>>(({ dataset, addIssue }) => {
      const found = dataset.typed ? problem(dataset.value) : null;
      if (found !== null) addIssue({ message: found });
    }),
  );
}

/** Exactly these fields: a missing one gets its own check's message ("expected a number"), an extra one is named. */
function strict<const E extends v.ObjectEntries>(entries: E) {
  return v.strictObject(entries, (issue) => {
    const key = issue.path?.[0]?.key;
    if (typeof key !== 'string') return EXPECTED_OBJECT;
    if (issue.expected === 'never') return `unexpected field "${key}"`;
    return v.safeParse(entries[key]!, undefined, { abortEarly: true }).issues?.[0].message ?? 'missing';
  });
}

/** An object with exactly these fields (valibot takes an array for an object, hence the first check). */
const struct = <const E extends v.ObjectEntries>(entries: E) =>
  v.pipe(v.custom<Record<string, unknown>>(isRecord, EXPECTED_OBJECT), strict(entries));

function list<S extends v.GenericSchema>(
  item: S,
  min: number,
  max: number,
  message = `expected a list of ${min}-${max} items`,
) {
  return v.pipe(
    v.array(item, message),
    v.check((items) => items.length >= min && items.length <= max, message),
  );
}

const nothing = v.pipe(
  v.custom<null | undefined>((value) => value == null, 'expected no payload'),
  v.transform(() => null),
);
const bool = v.boolean('expected true/false');
const num = v.pipe(v.number('expected a number'), v.finite('expected a number'));
/** A diagram export: a few MB of base64 PNG or SVG at most. */
const DIAGRAM_MAX_CHARS = 32 * 1024 * 1024;

const text = (maxLength: number) =>
  v.pipe(
    v.string(`expected text up to ${maxLength}`),
    v.maxLength(maxLength, `expected text up to ${maxLength}`),
  );
const oneOf = <const T extends string>(options: readonly T[]) =>
  v.picklist(options, `expected one of ${options.join(', ')}`);

const port = rule(num, portProblem);
const loss = rule(num, lossProbabilityProblem);
const profile = oneOf(PROFILE_NAMES);
const timeoutMs = rule(num, timeoutProblem);
const protocol = oneOf(PROTOCOLS);
/** A `--dialect` value: "standard" or tokens joined by commas. */
const dialect = rule(text(200), (value) => {
  const parsed = parseDialect(value);
  return typeof parsed === 'string' ? parsed : null;
});
const window = rule(num, windowProblem);
/** Stop-and-wait when absent; the window matters to the windowed protocols (Go-Back-N, Selective Repeat) only. */
const windowed = { protocol: v.optional(protocol), window: v.optional(window) };
/** A 32-bit unsigned whole number: a seed, a sequence number. */
const uint32 = (message: string) =>
  rule(num, (value) => (Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff ? null : message));
const seed = v.nullable(uint32('seed 0-4294967295'));
/** The largest file a receiver takes (bytes, 1 to 2^53 - 1). */
const fileSizeLimit = rule(num, (value) =>
  Number.isSafeInteger(value) && value >= 1
    ? null
    : 'the size limit must be a whole number of bytes, 1 or more',
);
/** How many receivers, 1 to `max`. */
const receiverCount = (max: number) =>
  rule(num, (value) =>
    Number.isInteger(value) && value >= 1 && value <= max
      ? null
      : `receivers must be a whole number from 1 to ${max}`,
  );
const receiverText = rule(text(300), (value) => {
  const parsed = parseReceiverAddress(value, 1);
  return typeof parsed === 'string' ? parsed : null;
});
/** A receiver's announced name; null: the machine's host name. */
const receiverName = v.nullable(
  rule(text(4 * MAX_NAME), (value) =>
    displayName(value) === '' ? 'the name needs a printable character' : null,
  ),
);
const bindAddress = rule(text(100), (value) =>
  typeof parseReceiverAddress(value, 1) === 'string' || value.includes(':')
    ? 'bind address must be an IPv4 address or host name'
    : null,
);
const senderSource = oneOf(['send', 'demo'] as const);
const demoIndex = rule(num, (value) =>
  Number.isInteger(value) && value >= 0 && value < DEMO_MAX_RECEIVERS ? null : 'no such receiver',
);

/**
 * Absolute as POSIX or Windows spells it (node:path is not at hand here). It only keeps relative paths out: main
 * reads no file the user did not pick or drop (grantedFiles.ts) and shows none it did not write.
 */
const absolutePath = rule(text(4096), (value) =>
  /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(value) ? null : 'expected an absolute path',
);

/** The MSS is checked against the profile of the same request. */
const withMss = <S extends v.GenericSchema<unknown, { mss: number; profile: ProfileName }>>(schema: S) =>
  rule(schema, (request) => mssProblem(request.mss, request.profile));
/** The dialect (absent: the course's own) is checked against the profile of the same request. */
const withDialect = <S extends v.GenericSchema<unknown, { profile: ProfileName; dialect?: string }>>(
  schema: S,
) =>
  rule(schema, (r) => {
    const found = r.dialect === undefined ? null : dialectFor(r.dialect, r.profile);
    return typeof found === 'string' ? found : null;
  });
const withReferenceMss = <S extends v.GenericSchema<unknown, { mss: number; profile: ProfileName }>>(
  schema: S,
) => rule(schema, (r) => mssProblem(r.mss, r.profile) ?? referenceMssProblem(r.mss, r.profile));

const paceMode = v.variant(
  'kind',
  [
    strict({ kind: v.literal('full') }),
    strict({
      kind: v.literal('slow'),
      roundsPerSecond: rule(num, (value) =>
        value >= SLOW_RATE_RANGE.min && value <= SLOW_RATE_RANGE.max
          ? null
          : `rounds per second must be ${SLOW_RATE_RANGE.min}-${SLOW_RATE_RANGE.max}`,
      ),
    }),
    strict({ kind: v.literal('step') }),
  ],
  // A bad kind is reported on the kind itself.
  (issue) => (issue.path ? 'expected full, slow or step' : 'expected a pace of kind full, slow or step'),
);
const paceState = struct({ mode: paceMode, paused: bool });

/**
 * One direction's impairments, every field present, checked by the relay's own rules (impairmentProblems), so
 * the app, the relay and its command line agree. Burst parameters are copied field by field (no extra keys).
 */
const impairments = v.pipe(
  v.custom<Record<string, unknown>>(isRecord, EXPECTED_OBJECT),
  v.rawTransform(({ dataset, addIssue, NEVER }): Impairments => {
    const record = dataset.value;
    const unknown = Object.keys(record).find((key) => !Object.hasOwn(NO_IMPAIRMENTS, key));
    const missing = Object.keys(NO_IMPAIRMENTS).find((key) => !Object.hasOwn(record, key));
    const [problem] = unknown
      ? [{ field: unknown, message: 'unknown impairment' }]
      : missing
        ? [{ field: missing, message: 'missing' }]
        : impairmentProblems(record as unknown as Impairments);
    if (problem) {
      // The field ("loss", "burst.pGoodToBad") becomes the issue's path.
      const at = (input: Record<string, unknown>, key: string) =>
        ({ type: 'object', origin: 'value', input, key, value: input[key] }) as const;
      const [key, inner] = problem.field.split('.') as [string, string?];
      const path: [v.IssuePathItem, ...v.IssuePathItem[]] = [at(record, key)];
      if (inner !== undefined) path.push(at(isRecord(record[key]) ? record[key] : {}, inner));
      addIssue({ message: problem.message, path });
      return NEVER;
    }
    const valid = record as unknown as Impairments;
    const b = valid.burst;
    const burst = b && {
      pGoodToBad: b.pGoodToBad,
      pBadToGood: b.pBadToGood,
      lossInBad: b.lossInBad,
      lossInGood: b.lossInGood,
    };
    return { ...valid, burst };
  }),
);

/** The local demo's simulated network: the same impairments in every receiver's relay. */
const demoNetworkEntries = {
  /** Data, sender -> receivers. */
  forward: impairments,
  /** ACKs, receivers -> sender. */
  backward: impairments,
};
const demoNetworkChange = struct(demoNetworkEntries);
/** Relay i uses seed + i; null: a fresh random seed each (reported in the relay counters). */
const demoNetwork = struct({ ...demoNetworkEntries, seed });

const STUDY_EXPECTED = `expected study ${formatChoices(STUDY_IDS)}`;
const studyId = v.custom<StudyId>(isStudyId, STUDY_EXPECTED);

/** A reduced grid from settings.json: per study key "1".."5", 1 or more x values that are points of that study. */
const labGrid = v.pipe(
  v.custom<Record<string, unknown>>(isRecord, EXPECTED_OBJECT),
  v.record(
    v.custom<`${StudyId}`>((key) => STUDY_IDS.some((id) => key === `${id}`), STUDY_EXPECTED),
    v.array(num, 'expected a list of points'),
  ),
  v.check(
    (grid) =>
      Object.entries(grid).every(([key, xs]) => {
        const study = labStudy(Number(key) as StudyId);
        const valid = study.points.map((point) => xOf(study.variable, point));
        return xs.length >= 1 && xs.length <= valid.length && xs.every((x) => valid.includes(x));
      }),
    'expected points of the studies',
  ),
);

const labId = rule(text(200), (value) =>
  /^lab-[0-9A-Za-z-]+\.json$/.test(value) ? null : 'expected the id of a saved lab run',
);

/** Receivers as typed, "host" or "host:port" (checked when a send starts: a draft may be half-typed). */
const receiverEntries = list(text(300), 0, SEND_MAX_RECEIVERS);

/** Saved receiver lists ("Room 2.14"), each name once. */
const receiverGroups = rule(
  list(
    struct({ name: rule(text(2 * GROUP_NAME_MAX), groupNameProblem), receivers: receiverEntries }),
    0,
    SAVED_GROUPS_MAX,
    `expected a list of at most ${SAVED_GROUPS_MAX} groups`,
  ),
  (groups) => {
    const twice = groups.find((g, i) => groups.findIndex((h) => h.name === g.name) !== i);
    return twice ? `two groups are named "${twice.name}"` : null;
  },
);

/** A session code as a person types it (case, dashes and spaces do not matter). */
const sessionCode = rule(text(40), codeProblem);

/** Settings fields the renderer may change. */
const editableSettings = {
  mode: oneOf(['send', 'receive', 'demo', 'compare', 'replay', 'experiments', 'check'] as const),
  receivers: receiverEntries,
  receiverGroups,
  port,
  mss: rule(num, (value) => mssProblem(value, 'standard')),
  timeoutMs,
  profile,
  /** The dialect Send and Receive speak (the local demo speaks the course's own). */
  dialect,
  protocol,
  window,
  /** Send's Selective Repeat goes to a multicast group our receivers join (off: one copy per receiver). */
  multicast: bool,
  p: loss,
  /** null: a fresh random seed each run. */
  seed,
  bind: text(100),
  /** One p per local-demo receiver; its length is the number of demo receivers. */
  demoLoss: list(loss, 1, DEMO_MAX_RECEIVERS),
  largeType: bool,
  /** Receive mode announces this machine on the local network (discovery). */
  announce: bool,
  receiverName,
  /** Receive mode takes offered files without asking. */
  autoAccept: bool,
  /** Receive mode refuses an offered file larger than this (bytes); null: any that fits on the disk. */
  maxFileBytes: v.nullable(fileSizeLimit),
  /** Receive mode lets in only a sender with the session code it shows (a new code each time it listens). */
  requireCode: bool,
  theme: oneOf(['system', 'light', 'dark'] as const),
};

/** The settings file, field by field. */
export const SETTINGS_FIELDS = {
  ...editableSettings,
  /** Where received files go; only ever set from a native folder dialog. */
  saveFolder: v.nullable(absolutePath),
  /**
   * Experiments on fewer points than the course's: per study, the x values to keep (e.g. {"1": [1, 3]}).
   * Not shown in the app: set in settings.json for a quick demonstration (and by the tests); null: full grid.
   */
  labGrid: v.nullable(labGrid),
};

type ExactOptional<E extends v.ObjectEntries> = { [K in keyof E]: v.ExactOptionalSchema<E[K], undefined> };

/** A patch of the editable fields; a field sent as undefined is refused, not stored. */
const settingsPatch = struct(
  Object.fromEntries(
    Object.entries(editableSettings).map(([key, schema]) => [key, v.exactOptional(schema)]),
  ) as ExactOptional<typeof editableSettings>,
);

export const REQUESTS = {
  'settings:get': nothing,
  'settings:update': settingsPatch,
  'file:choose': nothing,
  /** A file dropped on the window: main reads its size and hash. */
  'file:inspect': struct({ path: absolutePath }),
  'folder:choose': nothing,
  'file:show': struct({ path: absolutePath }),
  // The app's Send mode may reach reference receivers: an MSS they would cut short is refused (the demo's are ours).
  'send:start': withDialect(
    withReferenceMss(
      struct({
        file: absolutePath,
        receivers: list(receiverText, 1, SEND_MAX_RECEIVERS, `expected 1 to ${SEND_MAX_RECEIVERS} receivers`),
        /** Per receiver, the name it announced itself with (discovery), or null. */
        names: v.optional(list(v.nullable(text(4 * MAX_NAME)), 1, SEND_MAX_RECEIVERS)),
        mss: num,
        timeoutMs: rule(num, sendTimeoutProblem),
        profile,
        dialect: v.optional(dialect),
        ...windowed,
        /** Selective Repeat: each new segment once to a multicast group our receivers join (absent: on). */
        multicast: v.optional(bool),
        /** The receivers' session code, as typed; absent: the course protocol. */
        code: v.optional(sessionCode),
      }),
    ),
  ),
  'send:cancel': nothing,
  'receive:start': withDialect(
    struct({
      port,
      bind: bindAddress,
      p: loss,
      seed,
      profile,
      dialect: v.optional(dialect),
      announce: bool,
      name: receiverName,
      /** Take offered files without asking (the size and free-space checks still apply). */
      autoAccept: bool,
      /** Refuse an offered file larger than this (bytes) before any data; absent: any that fits on the disk. */
      maxBytes: v.optional(fileSizeLimit),
      /** Let in only a sender with a session code (absent: no): `code`, or one main makes (returned in Listening). */
      requireCode: v.optional(bool),
      /** The room's code, typed as shown on another machine; absent: a new one. */
      code: v.optional(sessionCode),
    }),
  ),
  'receive:history': nothing,
  'receive:answer': struct({
    id: rule(text(40), (value) => (/^[0-9a-f]{16}$/.test(value) ? null : 'expected an offer id')),
    accept: bool,
  }),
  'receive:stop': nothing,
  'receive:set-loss': struct({ p: loss }),
  'demo:start': withMss(
    struct({
      /** null: the bundled sample. */
      file: v.nullable(absolutePath),
      /** One p per receiver, 1 to 8 of them. */
      loss: list(loss, 1, DEMO_MAX_RECEIVERS),
      mss: num,
      timeoutMs,
      profile,
      ...windowed,
      port,
      /** An impairment relay in front of each receiver; absent or null: the sender sends to the receivers directly. */
      network: v.optional(v.nullable(demoNetwork)),
    }),
  ),
  'demo:stop': nothing,
  'demo:set-loss': struct({ index: demoIndex, p: loss }),
  /** A live change of the demo network: both directions, complete, for every relay. */
  'demo:set-network': demoNetworkChange,
  /** Click to lose: "drop the next datagram with sequence number seq, data to / ACK from receiver `index`". */
  'demo:lose': struct({
    index: demoIndex,
    direction: oneOf(['forward', 'backward'] as const),
    seq: uint32('expected a sequence number 0-4294967295'),
  }),
  /** Click to lose in flight: "lose the datagram with seq that is flying now, data to / ACK from receiver `index`". */
  'demo:lose-in-flight': struct({
    index: demoIndex,
    direction: oneOf(['forward', 'backward'] as const),
    seq: uint32('expected a sequence number 0-4294967295'),
  }),
  'summary:copy': struct({ text: text(1_000_000) }),
  'net:addresses': nothing,
  'net:discover': nothing,
  'summary:save': struct({ text: text(1_000_000) }),
  /** Teaching pace of one sender session: switchable at any time, applied to the next round. */
  'pace:set': struct({ source: senderSource, pace: paceState }),
  'pace:step': struct({ source: senderSource }),
  'recording:save': struct({ source: senderSource }),
  'recording:open': nothing,
  'lab:start': struct({
    /** Distinct studies, run in this order. */
    studies: rule(list(studyId, 1, STUDY_IDS.length), (ids) =>
      new Set(ids).size === ids.length ? null : 'a study is listed twice',
    ),
    repeat: rule(num, labRepeatProblem),
    /** A file to send (from the open dialog), or null for a generated one of fileSize bytes. */
    file: v.nullable(absolutePath),
    fileSize: rule(num, labFileSizeProblem),
    timeoutMs,
    /** null: a fresh random seed, reported in the record. */
    seed,
  }),
  'lab:cancel': nothing,
  'lab:records': nothing,
  'lab:record': struct({ id: labId }),
  /** Which results to export: `record` null is the current (or last) run of this session. */
  'lab:export': struct({
    record: v.nullable(labId),
    study: studyId,
    format: oneOf(['csv', 'png'] as const),
    /** Which of the study's charts the PNG is (a study of protocols has two); the delay chart when absent. */
    chart: v.optional(oneOf(CHART_KINDS)),
    /** A saved run whose means the PNG draws over (ignored for CSV), or null. */
    compare: v.nullable(labId),
  }),
  /** The visible sequence diagram as a PNG (base64) or an SVG document, for slides and handouts. */
  'diagram:save': struct({
    format: oneOf(['png', 'svg'] as const),
    data: text(DIAGRAM_MAX_CHARS),
  }),
  /**
   * Check a receiver at HOST:PORT, or a sender by playing `receivers` receivers on loopback at PORT. With `file`
   * (one the user picked): the receiver's output file, read as the check goes; the file the sender sends.
   */
  'check:start': v.variant(
    'kind',
    [
      strict({
        kind: v.literal('receiver'),
        host: rule(text(64), checkHostProblem),
        port,
        file: v.optional(absolutePath),
      }),
      strict({
        kind: v.literal('sender'),
        port,
        receivers: receiverCount(CHECK_MAX_RECEIVERS),
        file: v.optional(absolutePath),
      }),
    ],
    (issue) => (issue.path ? 'expected receiver or sender' : 'expected a check of kind receiver or sender'),
  ),
  'check:result': nothing,
  'check:cancel': nothing,
  /**
   * The same file and the same seeded losses (network/lossPattern.ts) through every protocol at once, each
   * lane with its own receivers and relays: p per direction, the window of the windowed protocols.
   */
  'compare:start': withMss(
    struct({
      /** null: the bundled sample. */
      file: v.nullable(absolutePath),
      receivers: receiverCount(DEMO_MAX_RECEIVERS),
      loss: struct({ forward: loss, backward: loss }),
      window,
      seed: uint32('seed 0-4294967295'),
      mss: num,
      timeoutMs,
      profile,
      port,
    }),
  ),
  'compare:stop': nothing,
  'compare:set-pace': struct({ pace: paceState }),
  'compare:step': nothing,
} satisfies { [C in Channel]: v.GenericSchema };

/** What the preload adds to a request on its own (see PreloadNote in the contract). */
export const preloadNote = struct({ dropped: absolutePath });
