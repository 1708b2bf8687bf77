// The one typed IPC contract between the Electron main process, the preload and the renderer: invoke channels
// with their request and response types, the settings shape, and the coalesced event batches main pushes.
// Pure types and small pure functions only: the renderer imports this file.
import type {
  CompletedFile,
  PacketOutcome,
  ReceiverCounters,
  ReceiverEndpoint,
  ReceiverState,
  RttStats,
  SendResult,
} from './events.js';

export type Mode = 'send' | 'receive' | 'demo';
export type Profile = 'standard' | 'seed-text';
export type Theme = 'system' | 'light' | 'dark';

export const PROFILES: readonly Profile[] = ['standard', 'seed-text'];
/** Largest MSS per profile: one data segment must fit a UDP datagram (65,507 bytes over IPv4). */
export const MSS_MAX: Record<Profile, number> = { standard: 65_499, 'seed-text': 8_180 };
export const TIMEOUT_MS_RANGE = { min: 1, max: 60_000 } as const;
export const DEMO_MAX_RECEIVERS = 8;
export const DEFAULT_PORT = 7735;

export interface Settings {
  mode: Mode;
  /** Receivers as typed, "host" or "host:port". */
  receivers: string[];
  port: number;
  mss: number;
  timeoutMs: number;
  profile: Profile;
  p: number;
  /** null: a fresh random seed each run. */
  seed: number | null;
  bind: string;
  /** Where received files go; only ever set from a native folder dialog. */
  saveFolder: string | null;
  /** One p per local-demo receiver; its length is the number of demo receivers. */
  demoLoss: number[];
  largeType: boolean;
  theme: Theme;
}

export const DEFAULT_SETTINGS: Settings = {
  mode: 'demo',
  receivers: [],
  port: DEFAULT_PORT,
  mss: 500,
  timeoutMs: 100,
  profile: 'standard',
  p: 0.05,
  seed: null,
  bind: '0.0.0.0',
  saveFolder: null,
  demoLoss: [0.05, 0.1, 0.2],
  largeType: false,
  theme: 'system',
};

export interface FileInfo {
  path: string;
  name: string;
  size: number;
  sha256: string;
}

export interface SendRequest {
  file: string;
  receivers: string[];
  mss: number;
  timeoutMs: number;
  profile: Profile;
}

export interface ReceiveRequest {
  port: number;
  bind: string;
  p: number;
  seed: number | null;
  profile: Profile;
}

export interface DemoRequest {
  /** null: the bundled sample. */
  file: string | null;
  /** One p per receiver, 1 to 8 of them. */
  loss: number[];
  mss: number;
  timeoutMs: number;
  profile: Profile;
  port: number;
}

export interface Listening {
  address: string;
  port: number;
  seed: number;
}

export interface DemoStarted {
  file: FileInfo;
  receivers: { address: string; port: number }[];
}

/** Invoke channels: renderer asks, main answers with a Result. */
export interface InvokeMap {
  'settings:get': { req: null; res: Settings };
  'settings:update': { req: Partial<Settings>; res: Settings };
  'file:choose': { req: null; res: FileInfo | null };
  /** A file dropped on the window: main reads its size and hash. */
  'file:inspect': { req: { path: string }; res: FileInfo };
  'folder:choose': { req: null; res: string | null };
  'file:show': { req: { path: string }; res: null };
  'send:start': { req: SendRequest; res: null };
  'send:cancel': { req: null; res: null };
  'receive:start': { req: ReceiveRequest; res: Listening };
  'receive:stop': { req: null; res: null };
  'receive:set-loss': { req: { p: number }; res: null };
  'demo:start': { req: DemoRequest; res: DemoStarted };
  'demo:stop': { req: null; res: null };
  'demo:set-loss': { req: { index: number; p: number }; res: null };
  'summary:copy': { req: { text: string }; res: null };
  /** Opens a save dialog; the chosen path, or null when cancelled. */
  'summary:save': { req: { text: string }; res: string | null };
}

export type Channel = keyof InvokeMap;
export type Req<C extends Channel> = InvokeMap[C]['req'];
export type Res<C extends Channel> = InvokeMap[C]['res'];

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
  'summary:copy',
  'summary:save',
];

/** The one main-to-renderer channel: coalesced event batches. */
export const BATCH_CHANNEL = 'events:batch';

/** Errors travel as values: Electron's invoke rejections mangle messages. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** What the preload exposes as `window.p2mp`, and nothing more. */
export interface P2mpApi {
  invoke<C extends Channel>(channel: C, payload: Req<C>): Promise<Result<Res<C>>>;
  onBatch(listener: (batch: EventBatch) => void): () => void;
  /** Path of a dropped file (Electron's webUtils; sandboxed renderers cannot see paths). */
  pathForFile(file: Blob): string;
}

// ---- Event batches (built by coalesce.ts in main) ----

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
  fileSize: number;
  mss: number;
  chunks: number;
  chunksDone: number;
  bytesDone: number;
  timeoutMs: number;
  profile: string;
  /** ms since the session started, of the latest event. */
  t: number;
  receivers: ReceiverLive[];
  result: SendResult | null;
  /** A failure outside the protocol (I/O, bug), in words. */
  error: string | null;
}

export interface SenderBatch {
  snapshot: SenderSnapshot;
  /** Timeouts since the previous batch, oldest first (bounded; `timeoutsDropped` counts the rest). */
  timeouts: TimeoutEntry[];
  timeoutsDropped: number;
  /** True when this batch starts a new session: the renderer clears its log. */
  fresh: boolean;
}

export interface PacketMark {
  seq: number | null;
  outcome: PacketOutcome;
}

export interface ReceiverSnapshot {
  listening: { address: string; port: number; profile: string } | null;
  p: number;
  counters: ReceiverCounters;
  /** Bytes per second over the current or last transfer. */
  rate: number;
  transfer: { from: string; path: string } | null;
  /** Newest last, bounded. */
  completed: CompletedFile[];
  failures: string[];
  /** The most recent packets, oldest first, bounded. */
  recent: PacketMark[];
  t: number;
}

export interface ReceiverBatch {
  snapshot: ReceiverSnapshot;
  fresh: boolean;
}

/** One message per flush, with every session that changed since the last one. */
export interface EventBatch {
  senders: Partial<Record<SenderSource, SenderBatch>>;
  receivers: Partial<Record<ReceiverSource, ReceiverBatch>>;
}

// ---- Validation shared by the renderer (inline) and main (authoritative) ----

export interface ReceiverAddress {
  host: string;
  port: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export function portProblem(port: number): string | null {
  return Number.isInteger(port) && port >= 1 && port <= 65_535 ? null : 'port must be a whole number 1-65535';
}

/** "host" or "host:port" to an address, or the problem in words. */
export function parseReceiverAddress(text: string, defaultPort: number): ReceiverAddress | string {
  const trimmed = text.trim();
  if (trimmed === '') return 'enter a host name or IPv4 address';
  const match = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(trimmed);
  if (!match) return `"${trimmed}" is not host or host:port`;
  const host = match[1] as string;
  if (!IPV4.test(host) && (/^[\d.]+$/.test(host) || !HOSTNAME.test(host))) {
    return `"${host}" is not a valid host name or IPv4 address`;
  }
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  const problem = portProblem(port);
  return problem ?? { host, port };
}

export function mssProblem(mss: number, profile: Profile): string | null {
  const max = MSS_MAX[profile];
  return Number.isInteger(mss) && mss >= 1 && mss <= max ? null : `MSS must be a whole number 1-${max}`;
}

export function timeoutProblem(ms: number): string | null {
  const { min, max } = TIMEOUT_MS_RANGE;
  return Number.isInteger(ms) && ms >= min && ms <= max ? null : `timeout must be ${min}-${max} ms`;
}
