// The one typed IPC contract between the Electron main process, the preload and the renderer: invoke channels
// with their request and response types, the settings shape, and the coalesced event batches main pushes.
// Pure types and small pure functions only: the renderer imports this file.
import type { InferOutput } from 'valibot';
import type {
  CompletedFile,
  PacketOutcome,
  PendingOffer,
  ReceiverCounters,
  ReceiverEndpoint,
  ReceiverState,
  RttStats,
  SendResult,
} from './events.js';
import type { DiscoveredReceiver } from './discovery/roster.js';
import type { CheckReport, ClientReport, Exchange } from './check/rules.js';
import type { LabRecord, LabSettings, PointResult } from './lab/results.js';
import type { StudyId } from './lab/studies.js';
import type { RelayStats } from './network/impairments.js';
import type { Recording } from './live/recording.js';
import type { preloadNote, REQUESTS, SETTINGS_FIELDS } from './requests.js';
import type { TimelineEvents } from './live/timeline.js';
import { hasInvisible } from './format.js';
import { DEFAULT_WINDOW, parseServer, timeoutProblem, type ProfileName, type Protocol } from './limits.js';

// Input checks shared with the engine and the CLI, so the app says exactly what they would say.
export { PROFILE_NAMES as PROFILES, mssProblem, portProblem, timeoutProblem } from './limits.js';

export type Profile = ProfileName;

export const DEMO_MAX_RECEIVERS = 8;

/** How many receivers the local demo (and each Compare lane) runs. */
export function demoReceiversProblem(n: number): string | null {
  return Number.isInteger(n) && n >= 1 && n <= DEMO_MAX_RECEIVERS
    ? null
    : `1 to ${DEMO_MAX_RECEIVERS} receivers`;
}

/** A seed of the seeded losses: a 32-bit unsigned whole number. */
export function seedProblem(n: number): string | null {
  return Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff ? null : 'a whole number from 0 to 4294967295';
}
export const DEFAULT_PORT = 7735;

// What one send may do, so the app is no flood tool: at most this many receivers (a lab of 30+ machines fits),
// and no retransmission round sooner than this after the last (the CLI keeps the course's 1 ms floor).
export const SEND_MAX_RECEIVERS = 64;
export const SEND_MIN_TIMEOUT_MS = 10;

export function sendTimeoutProblem(ms: number): string | null {
  return ms < SEND_MIN_TIMEOUT_MS
    ? `timeout must be at least ${SEND_MIN_TIMEOUT_MS} ms when the app sends to other machines, got ${ms} ms`
    : timeoutProblem(ms);
}

// Saved receiver groups ("Room 2.14"): a bounded list in the settings, each name shown in one line of the Send view.
export const SAVED_GROUPS_MAX = 50;
export const GROUP_NAME_MAX = 60;

/** A group name is 1-60 printable characters, no spaces at either end (so two names never differ only there). */
export function groupNameProblem(name: string): string | null {
  const length = Array.from(name).length;
  return length >= 1 && length <= GROUP_NAME_MAX && name.trim() === name && !hasInvisible(name)
    ? null
    : `a group name is 1-${GROUP_NAME_MAX} printable characters, no spaces at either end`;
}

/** Request payloads and the settings are described once, as schemas in requests.ts; their types come from there. */
export type Settings = { [K in keyof typeof SETTINGS_FIELDS]: InferOutput<(typeof SETTINGS_FIELDS)[K]> };
export type Mode = Settings['mode'];
export type Theme = Settings['theme'];
export type ReceiverGroup = Settings['receiverGroups'][number];
/** Per study ("1", "2", "3": JSON keys), the x values of the points to run. */
export type LabGrid = NonNullable<Settings['labGrid']>;

export const DEFAULT_SETTINGS: Settings = {
  mode: 'demo',
  receivers: [],
  receiverGroups: [],
  port: DEFAULT_PORT,
  mss: 500,
  timeoutMs: 100,
  profile: 'standard',
  dialect: 'standard',
  protocol: 'saw',
  window: DEFAULT_WINDOW,
  multicast: true,
  p: 0,
  seed: null,
  bind: '0.0.0.0',
  saveFolder: null,
  demoLoss: [0.05, 0.1, 0.2],
  largeType: false,
  announce: true,
  receiverName: null,
  autoAccept: false,
  maxFileBytes: null,
  requireCode: false,
  theme: 'system',
  labGrid: null,
};

export interface FileInfo {
  path: string;
  name: string;
  size: number;
  sha256: string;
}

export type SendRequest = Req<'send:start'>;
export type ReceiveRequest = Req<'receive:start'>;
export type DemoRequest = Req<'demo:start'>;
export type DemoNetwork = NonNullable<DemoRequest['network']>;
export type DemoNetworkChange = Req<'demo:set-network'>;
export type PaceState = Req<'pace:set'>['pace'];
export type DemoLoss = Req<'demo:lose'>;

export const FULL_PACE: PaceState = { mode: { kind: 'full' }, paused: false };
/** Slow motion: rounds per second. */
export const SLOW_RATE_RANGE = { min: 0.1, max: 20 } as const;

export interface Listening {
  address: string;
  port: number;
  seed: number;
  /** The name it is announced under on the local network; null when it is not announced. */
  announcedAs: string | null;
  /** The session code a sender must give (XXXX-XXXX-XXXX); null: any sender, the course protocol. */
  code: string | null;
}

export interface DemoStarted {
  file: FileInfo;
  receivers: { address: string; port: number }[];
  /** The relay in front of each receiver (same order), when the demo network is on. */
  relays?: { address: string; port: number; seed: number }[];
}

// ---- Experiments (the classroom lab) ----

/** Repeats per point the app allows (the lab itself takes up to 1000; the CLI is there for that). */
export const LAB_REPEAT_RANGE = { min: 1, max: 100 } as const;
/** Size of the generated file the app sends. */
export const LAB_FILE_SIZE_RANGE = { min: 1, max: 64 << 20 } as const;

export type LabRequest = Req<'lab:start'>;

/** A saved lab run, as listed for "show" and "compare". */
export interface LabRecordInfo {
  /** The record's file name in the app's lab folder. */
  id: string;
  createdAt: string;
  cancelled: boolean;
  settings: LabSettings;
  studies: StudyId[];
}

export type LabExportRequest = Req<'lab:export'>;

export function labRepeatProblem(k: number): string | null {
  const { min, max } = LAB_REPEAT_RANGE;
  return Number.isInteger(k) && k >= min && k <= max
    ? null
    : `repeat K must be a whole number from ${min} to ${max}`;
}

export function labFileSizeProblem(bytes: number): string | null {
  const { min, max } = LAB_FILE_SIZE_RANGE;
  return Number.isInteger(bytes) && bytes >= min && bytes <= max
    ? null
    : `file size must be a whole number of bytes from ${min} to ${max} (64 MiB)`;
}

// ---- Compare: the same file and the same seeded losses, one lane per protocol ----

/** The largest file a comparison sends (every lane keeps one copy per receiver until it is checked). */
export const COMPARE_MAX_FILE = 64 << 20;

export type CompareRequest = Req<'compare:start'>;

export interface CompareStarted {
  file: FileInfo;
  seed: number;
  /** One lane per protocol, in the order of PROTOCOLS; `window` is null where the protocol has none. */
  lanes: { protocol: Protocol; window: number | null }[];
}

/** How one lane went, measured in main once its transfer ended and its receivers' files were hashed. */
export interface CompareResult {
  ok: boolean;
  cancelled: boolean;
  /** On the lanes' clock: the same at every teaching pace. */
  durationMs: number;
  /** Rounds: a new segment sent, or one receiver's timer going back (the engine's round numbers). */
  rounds: number;
  /** Data datagrams sent (first copies and retransmissions, end marker included). */
  transmissions: number;
  retransmissions: number;
  /**
   * Timeouts, one per receiver whose ACK did not come before its timer expired (per segment in Selective Repeat):
   * the same count in every protocol, whether its receivers share one timer (stop-and-wait) or each has its own.
   */
  timeouts: number;
  /** File bytes per second of the lane's time (0 when it failed). */
  goodput: number;
  /** Bytes and datagrams on the wire: data towards the receivers, ACKs back. */
  wire: { dataBytes: number; dataDatagrams: number; ackBytes: number; ackDatagrams: number };
  /** Datagrams the seeded pattern lost: data, ACKs. */
  lost: { data: number; acks: number };
  /** Per receiver: its file's SHA-256, computed in main, equals the original's. */
  identical: boolean[];
}

export interface CompareLaneBatch {
  protocol: Protocol;
  window: number | null;
  sender: SenderBatch;
  result: CompareResult | null;
  /** A failure outside the protocol, in words. */
  error: string | null;
}

export interface CompareBatch {
  /** A new comparison: forget the previous one. */
  fresh: boolean;
  running: boolean;
  lanes: CompareLaneBatch[];
}

// ---- Check an implementation (p2mpcheck in the app) ----

/** Receivers the app plays for a sender under check (the CLI takes more). */
export const CHECK_MAX_RECEIVERS = 8;

export type CheckRequest = Req<'check:start'>;

/** A check under way: the receiver checked, or the addresses to give the sender under check. */
export type CheckStarted =
  | { kind: 'receiver'; addresses: [string]; port: number }
  | {
      kind: 'sender';
      addresses: string[];
      /** Their port (0 where each has its own, in its address). */
      port: number;
      /** How long the receivers wait for the sender's first datagram, and the silence that ends the check. */
      waitMs: number;
      quietMs: number;
    };

export type CheckOutcome =
  { kind: 'receiver'; report: CheckReport; evidence: Exchange[] } | { kind: 'sender'; report: ClientReport };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The app checks implementations on this machine or the local network only: an address as typed, loopback
 * (127/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7) or link-local (169.254/16, fe80::/10). No names:
 * nothing is looked up, so nothing typed can lead elsewhere.
 */
export function checkHostProblem(host: string): string | null {
  const v4 = IPV4.exec(host);
  if (v4) {
    const [a, b] = v4.slice(1).map(Number) as [number, number];
    if (v4.slice(1).some((part) => Number(part) > 255)) return `"${host}" is not an IPv4 address`;
    const local =
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254);
    return local
      ? null
      : `${host} is not on this machine or a local network (127.x, 10.x, 172.16-31.x, 192.168.x)`;
  }
  const v6 = host.toLowerCase();
  if (/^[0-9a-f:]+$/.test(v6) && v6.includes(':'))
    return v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6)
      ? null
      : `${host} is not on this machine or a local network (::1, fc00::/7, fe80::/10)`;
  return `enter the receiver's address as numbers, like 127.0.0.1 or 192.168.1.20 (not "${host}")`;
}

/** Invoke channels: renderer asks, main answers with a Result. Each request's payload is its schema in requests.ts. */
export interface Responses {
  'settings:get': Settings;
  'settings:update': Settings;
  'file:choose': FileInfo | null;
  /** A file dropped on the window: main reads its size and hash. */
  'file:inspect': FileInfo;
  'folder:choose': string | null;
  'file:show': null;
  'send:start': null;
  'send:cancel': null;
  'receive:start': Listening;
  'receive:stop': null;
  'receive:set-loss': null;
  'demo:start': DemoStarted;
  'demo:stop': null;
  'demo:set-loss': null;
  /** Changes the impairments of every demo relay now (the demo must have been started with a network). */
  'demo:set-network': null;
  /** Click to lose: one receiver's relay drops the next datagram with this sequence number, that way. */
  'demo:lose': null;
  /** Whether the datagram was still in flight (and is now lost); false: it had arrived. */
  'demo:lose-in-flight': { lost: boolean };
  'summary:copy': null;
  /** Opens a save dialog; the chosen path, or null when cancelled. */
  'summary:save': string | null;
  'pace:set': null;
  /** In step mode: send the next round. */
  'pace:step': null;
  /** Saves the session's event log through a save dialog; the chosen path, or null when cancelled. */
  'recording:save': string | null;
  /** Opens a recording through an open dialog; null when cancelled. */
  'recording:open': Recording | null;
  /** Starts a lab run; resolves once it started (bad input rejects). Progress and results come in batches. */
  'lab:start': null;
  /** Stops the lab run; what finished is kept (and saved), marked cancelled. */
  'lab:cancel': null;
  /** Saved runs, newest first. */
  'lab:records': LabRecordInfo[];
  'lab:record': LabRecord;
  /** One study's CSV or PNG chart through a save dialog; the chosen path, or null when cancelled. */
  'lab:export': string | null;
  /** The visible sequence diagram through a save dialog; the chosen path, or null when cancelled. */
  'diagram:save': string | null;
  /** This machine's addresses, LAN first: what senders type to reach this receiver. */
  'net:addresses': LocalAddress[];
  'receive:answer': null;
  /** Files received in this and earlier runs, newest first. */
  'receive:history': ReceivedEntry[];
  /** Receivers announcing themselves on the local network, sorted by name. */
  'net:discover': DiscoveredReceiver[];
  /** Starts checking a receiver (HOST PORT) or a sender (receivers played on PORT); one check at a time. */
  /** Starts the comparison; resolves once every lane runs. Lanes and their results come in batches. */
  'compare:start': CompareStarted;
  'compare:stop': null;
  /** The teaching pace of every lane at once (and of the next comparison). */
  'compare:set-pace': null;
  /** In step mode: every lane sends its next round. */
  'compare:step': null;
  'check:start': CheckStarted;
  /** The report of the check started, once it is done (rejects if it was cancelled). */
  'check:result': CheckOutcome;
  'check:cancel': null;
}

/** A file Receive mode received, in any run of the app (the history). */
export interface ReceivedEntry {
  name: string;
  path: string;
  bytes: number;
  sha256: string;
  from: string;
  /** When it was completed (ISO 8601). */
  at: string;
  /** Its sender said it was whole (an end marker). */
  verified: boolean;
  /** Checked against its sender's offer (SHA-256) before it was kept. */
  checked: boolean;
  /** The name its sender offered, where it was kept under another ("report (2).pdf" for a name taken). */
  offeredAs?: string;
}

export interface LocalAddress {
  address: string;
  family: 4 | 6;
  /** The network interface's name (eth0, Wi-Fi, en0, ...). */
  interface: string;
  /** Loopback: reachable from this machine only. */
  internal: boolean;
}

export type Channel = keyof Responses;
export type Req<C extends Channel> = InferOutput<(typeof REQUESTS)[C]>;
export type Res<C extends Channel> = Responses[C];

export const CHANNELS: readonly Channel[] = [
  'settings:get',
  'settings:update',
  'file:choose',
  'file:inspect',
  'folder:choose',
  'file:show',
  'send:start',
  'send:cancel',
  'receive:start',
  'receive:stop',
  'receive:set-loss',
  'demo:start',
  'demo:stop',
  'demo:set-loss',
  'demo:set-network',
  'demo:lose',
  'demo:lose-in-flight',
  'summary:copy',
  'summary:save',
  'pace:set',
  'pace:step',
  'recording:save',
  'recording:open',
  'lab:start',
  'lab:cancel',
  'lab:records',
  'lab:record',
  'lab:export',
  'diagram:save',
  'net:addresses',
  'net:discover',
  'receive:answer',
  'receive:history',
  'check:start',
  'check:result',
  'check:cancel',
  'compare:start',
  'compare:stop',
  'compare:set-pace',
  'compare:step',
];

/** The one main-to-renderer channel: coalesced event batches. */
export const BATCH_CHANNEL = 'events:batch';

/** Errors travel as values: Electron's invoke rejections mangle messages. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** What the preload exposes as `window.p2mp`, and nothing more. */
export interface P2mpApi {
  invoke<C extends Channel>(channel: C, payload: Req<C>): Promise<Result<Res<C>>>;
  onBatch(listener: (batch: EventBatch) => void): () => void;
  /**
   * Path of a dropped file (Electron's webUtils; sandboxed renderers cannot see paths). The preload remembers it,
   * so that main reads this file when the page asks 'file:inspect' for it (see PreloadNote).
   */
  pathForFile(file: Blob): string;
}

/**
 * What the preload itself passes to main after a request's payload (the page's invoke takes channel and payload
 * only, so the page cannot add it): `dropped` is a path webUtils gave for a File the page held, sent with the
 * 'file:inspect' of that path. Main then lets the app read that file, as it does a file picked in the dialog.
 */
export type PreloadNote = InferOutput<typeof preloadNote>;

// ---- Event batches (built by live/coalescer.ts in main) ----

export type SenderSource = 'send' | 'demo';
/** 'receive' for receive mode; 'demo-0'.. for local-demo receivers. */
export type ReceiverSource = 'receive' | `demo-${number}`;

/** How one chunk looks in a receiver's lane of recent chunks. */
export type LaneMark = 'sent' | 'acked' | 'timeout' | 'retransmitted';

export interface LaneCell {
  seq: number;
  mark: LaneMark;
  /** Timeouts this chunk suffered at this receiver. */
  timeouts: number;
}

export interface ReceiverLive {
  receiver: ReceiverEndpoint;
  state: ReceiverState;
  acks: number;
  timeouts: number;
  retransmissions: number;
  lastRttMs: number | null;
  rtt: RttStats | null;
  failure: string | null;
  /**
   * 'verified': it accepted the offer and checks the file's SHA-256; 'course': it did not answer the offer
   * ("course mode, unverified"); null: no offer was made (the local demo, a dialect, --no-offer).
   */
  mode: 'verified' | 'course' | null;
  /** Selective Repeat: why it got Go-Back-N instead (it did not agree through the offer), once the result is in. */
  fallback?: string;
  /** One of ours kept the file under this name, not the offered one (taken there, or made safe), once the result is in. */
  keptAs?: string;
  /** Selective Repeat over multicast: how its new segments reached it ('group', or 'unicast' after falling back). */
  multicast?: 'group' | 'unicast';
  /**
   * While the offer is out: no answer yet ('asking'), asked to wait ('deciding': its user deciding, or busy), or it
   * accepted and waits for the data ('accepted'), or it answered none of the offers ('silent': a course receiver,
   * or nothing there), or it answered no ('refused': its failure says why). The data starts once none is asking or
   * deciding: a silent one stops asking after `offerTries` offers T apart (or `offerSealedMs` with a code).
   */
  offer?: 'asking' | 'deciding' | 'accepted' | 'silent' | 'refused';
  /** Oldest first, bounded. */
  lane: LaneCell[];
}

export interface TimeoutEntry {
  t: number;
  seq: number;
  receiver: number;
}

export interface SenderSnapshot {
  running: boolean;
  /** The offer is out and no data has gone yet: the receivers are answering it (their `offer`). */
  offering?: boolean;
  /** While offering: offers, `timeoutMs` apart, to a receiver that never answers before it gets the course protocol. */
  offerTries?: number;
  /** While offering with a session code: how long a receiver that never answers is asked before it is given up on. */
  offerSealedMs?: number;
  /** A receiver with no ACK this long after a segment's first send to it is given up on (0: never; from the start). */
  receiverTimeoutMs?: number;
  fileSize: number;
  mss: number;
  chunks: number;
  chunksDone: number;
  bytesDone: number;
  timeoutMs: number;
  profile: string;
  /** Stop-and-wait, Go-Back-N or Selective Repeat (from the transfer's start; absent before it). */
  protocol?: Protocol;
  /** Go-Back-N's and Selective Repeat's window, in segments (from the transfer's start; absent for stop-and-wait). */
  window?: number;
  /** Selective Repeat's receivers in course mode, whose ACKs are cumulative (from the transfer's start). */
  cumulative?: number[];
  /** ms since the session started, of the latest event. */
  t: number;
  /** Transmission rounds so far (a chunk sent to the receivers that need it, or resent after a timeout). */
  rounds?: number;
  /** The newest segment sent so far, 1..chunks (chunks + 1: the end marker); absent before the first. */
  sent?: number;
  receivers: ReceiverLive[];
  result: SendResult | null;
  /** A failure outside the protocol (I/O, bug), in words. */
  error: string | null;
  /** Timeline events recorded for "Save recording" so far. */
  recorded: number;
  /** The recording hit its bound and stopped. */
  recordingTruncated: boolean;
}

export interface SenderBatch {
  snapshot: SenderSnapshot;
  /** Timeouts since the previous batch, oldest first (bounded; `timeoutsDropped` counts the rest). */
  timeouts: TimeoutEntry[];
  timeoutsDropped: number;
  /** Timeline events since the previous batch, oldest first (the newest, bounded; `timelineDropped` counts the rest). */
  timeline: TimelineEvents;
  timelineDropped: number;
  /**
   * Segments whose time outstanding changed since the previous batch, flat: seq, first sent, ACKed by every
   * receiver (-1: still outstanding). A segment is outstanding once, from its first send to that ACK: the sender
   * window over time (live/outstanding.ts).
   */
  spans: number[];
  /** True when this batch starts a new session: the renderer clears its log. */
  fresh: boolean;
}

export interface PacketMark {
  seq: number | null;
  outcome: PacketOutcome;
}

/** A host whose offer was told to wait (this receiver was busy with another host's transfer). */
export interface HeldOffer {
  from: string;
  name: string;
  size: number;
}

export interface ReceiverSnapshot {
  /** `silence`: said while a transfer is on, when its sender may send no end marker (protocol/silence.ts). */
  listening: { address: string; port: number; profile: string; silence?: string } | null;
  p: number;
  counters: ReceiverCounters;
  /** Bytes per second over the current or last transfer. */
  rate: number;
  /**
   * `offered`: verified against its sender's offer (silence never ends it), whose `size` it has (a course sender
   * says none). `bytes`: received so far, in order or kept ahead. `verifying`: all in, its SHA-256 being checked
   * against the offer's: not kept yet.
   */
  transfer: {
    from: string;
    path: string;
    offered?: true;
    size?: number;
    bytes: number;
    verifying?: true;
  } | null;
  /** Newest last, bounded. */
  completed: CompletedFile[];
  /** Offers waiting for the user's answer, oldest first. */
  offers: PendingOffer[];
  /** Hosts told to wait while a transfer is on (each one's latest offer, oldest first); gone when it ends. */
  held: HeldOffer[];
  /** Notes for the user (failures, refusals), the last few, oldest first. */
  failures: string[];
  /** Notes made so far, across listening sessions: `failures` holds the last of this session's (a view hides those
   *  below the count it cleared at). */
  failuresTotal: number;
  /** The most recent packets, oldest first, bounded. */
  recent: PacketMark[];
  t: number;
  /** Local demo with a network: what the relay in front of this receiver did (fixed size), else null. */
  relay: RelayStats | null;
}

export interface ReceiverBatch {
  snapshot: ReceiverSnapshot;
  fresh: boolean;
}

export type LabPhase = 'starting' | 'calibrating' | 'running' | 'done' | 'cancelled' | 'failed';

export interface LabStatus {
  phase: LabPhase;
  /** While calibrating: the (n, MSS) whose loss-free round time is being measured, and how many of them. */
  calibrating: { n: number; mss: number; index: number; of: number } | null;
  /** Latest progress of the lossy runs (fraction weighted by expected duration; ETA in ms). */
  progress: {
    study: StudyId;
    point: number;
    run: number;
    fraction: number;
    elapsedMs: number;
    etaMs: number | null;
  } | null;
  /** The model's estimate of the lossy runs' duration, once calibrated. */
  estimatedMs: number | null;
  /** Runs that failed so far. */
  failedRuns: number;
  /** A failure of the lab itself, in words. */
  error: string | null;
  /** Id of the saved record once the run ended and was saved (see 'lab:record'). */
  savedId: string | null;
}

/** The lab run as it changed since the previous batch: bounded by the run's points, not by its events. */
export interface LabBatch {
  /** A new run: forget the previous one. */
  fresh: boolean;
  status: LabStatus;
  /** The whole record when its shape changed (calibrated, a study started or ended, the end), else null. */
  record: LabRecord | null;
  /** Points that changed since the previous batch (each point once), applied after `record`. */
  points: { study: StudyId; index: number; result: PointResult }[];
}

/** One message per flush, with every session that changed since the last one. */
export interface EventBatch {
  senders: Partial<Record<SenderSource, SenderBatch>>;
  receivers: Partial<Record<ReceiverSource, ReceiverBatch>>;
  /** Present when the lab run changed. */
  lab?: LabBatch;
  /** Present when the comparison changed. */
  compare?: CompareBatch;
}

// ---- Validation shared by the renderer (inline) and main (authoritative) ----

/** "host" or "host:port" as the app takes it: the same parser as the command line. */
export const parseReceiverAddress = parseServer;
