// What a user may ask for, checked the same way everywhere: the CLI, the engine, the IPC layer and the app's
// inline validation. Pure (no Node APIs), so the renderer imports it too. Each check returns the problem in
// words, or null.

import { SESSION_OVERHEAD } from './session/envelope.js';

export const PROFILE_NAMES = ['standard', 'seed-text'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** Largest UDP payload over IPv4: 65,535 - 20 (IP header) - 8 (UDP header). */
export const MAX_DATAGRAM = 65_507;

/** Largest MSS per profile: a full data segment must fit one datagram (8-byte header; or 64 chars + 8 per byte). */
export const MAX_MSS: Record<ProfileName, number> = {
  standard: MAX_DATAGRAM - 8,
  'seed-text': Math.floor((MAX_DATAGRAM - 64) / 8),
};

/** The longest a Node or browser timer can wait (2^31 - 1 ms, about 24.8 days); longer fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A receiver ends a transfer after this long without a packet (p2mpserver --idle-timeout). */
export const DEFAULT_IDLE_TIMEOUT_MS = 10_000;

/**
 * Largest MSS a reference (seed-text) receiver takes whole: its 16,384-byte receive buffer holds 64 + 8 x 2040
 * characters. At 2041 it silently loses the last byte, which its checksum does not cover.
 */
export const SEED_TEXT_REFERENCE_MAX_MSS = 2040;

/** 'saw': stop-and-wait, the course's protocol; 'gbn': Go-Back-N; 'sr': Selective Repeat. */
export const PROTOCOLS = ['saw', 'gbn', 'sr'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export const isProtocol = (text: string): text is Protocol => (PROTOCOLS as readonly string[]).includes(text);
/** The protocols with a window of segments in flight (stop-and-wait has one). */
export const isWindowed = (protocol: Protocol): boolean => protocol !== 'saw';
/** What each protocol is called where people read it. */
export const PROTOCOL_NAMES: Record<Protocol, string> = {
  saw: 'Stop-and-wait',
  gbn: 'Go-Back-N',
  sr: 'Selective Repeat',
};
export const DEFAULT_WINDOW = 8;
/** The window is buffered whole: bounded, so memory stays bounded. */
export const MAX_WINDOW = 1024;

export function windowProblem(window: number): string | null {
  return Number.isInteger(window) && window >= 1 && window <= MAX_WINDOW
    ? null
    : `window must be a whole number from 1 to ${MAX_WINDOW}, got ${window}`;
}

/** Retransmission timeout range in ms. */
export const TIMEOUT_RANGE_MS = { min: 1, max: 600_000 } as const;

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}

export function portProblem(port: number, allowZero = false): string | null {
  const min = allowZero ? 0 : 1;
  return Number.isInteger(port) && port >= min && port <= 65_535
    ? null
    : `port must be a whole number from ${min} to 65535, got ${port}`;
}

/** The largest MSS; a sealed transfer (session code) leaves room for the envelope in the datagram. */
export function mssProblem(mss: number, profile: ProfileName, sealed = false): string | null {
  const max = MAX_MSS[profile] - (sealed ? SESSION_OVERHEAD : 0);
  return Number.isInteger(mss) && mss >= 1 && mss <= max
    ? null
    : `MSS must be a whole number from 1 to ${max} (${profile} profile${sealed ? ', session code' : ''}), got ${mss}`;
}

/** An MSS a reference (seed-text) receiver would silently cut short; our own receivers take any valid MSS. */
export function referenceMssProblem(mss: number, profile: ProfileName): string | null {
  return profile === 'seed-text' && mss > SEED_TEXT_REFERENCE_MAX_MSS
    ? `MSS ${mss} is too large for a reference seed-text receiver (its 16,384-byte buffer takes MSS up to ` +
        `${SEED_TEXT_REFERENCE_MAX_MSS}; a larger chunk silently loses its last byte): use MSS <= ` +
        `${SEED_TEXT_REFERENCE_MAX_MSS}`
    : null;
}

export function timeoutProblem(ms: number): string | null {
  const { min, max } = TIMEOUT_RANGE_MS;
  return Number.isFinite(ms) && ms >= min && ms <= max
    ? null
    : `timeout must be from ${min} ms to ${max / 1000} s, got ${ms} ms`;
}

export interface ServerAddress {
  host: string;
  port: number;
  /** As the user typed it (trimmed); tables and events show this. */
  label: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** A dotted-quad IPv4 address, each part 0-255: never a host name (which would be looked up). */
export const isIpv4 = (text: string): boolean => IPV4.test(text);
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV6 = /^[0-9a-f:.]+$/i;

/** "host", "host:port" or "[IPv6]:port" to an address (a bare host takes `defaultPort`), or the problem. */
export function parseServer(text: string, defaultPort: number): ServerAddress | string {
  const label = text.trim();
  if (label === '') return 'enter a host name or address';
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(label);
  const plain = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(label);
  let host: string;
  let portText: string | undefined;
  if (bracketed && IPV6.test(bracketed[1]!)) [host, portText] = [bracketed[1]!, bracketed[2]];
  else if (plain) {
    [host, portText] = [plain[1]!, plain[2]];
    // Three numbers, then a fourth label that starts with a digit and is the last: an address or a range mistyped
    // ("127.0.0.61-6x", "10.0.0.1O"), never a host name (no top-level domain starts with a digit); a name such as
    // 10.0.0.5.nip.io goes on.
    if (!/^[\d.]+$/.test(host) && /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d[^.]*$/.test(host))
      return `"${host}" is neither an IPv4 address nor a range like 10.0.0.10-40`;
    if (!IPV4.test(host) && (/^[\d.]+$/.test(host) || !HOSTNAME.test(host)))
      return `"${host}" is not a valid host name or IPv4 address`;
  } else if (/^[^:\s]+:$/.test(label))
    return `"${label}" has no port after its colon: write ${label.slice(0, -1)} or ${label}${defaultPort}`;
  // An IPv6 address without brackets has two colons at least ("::1"); one colon is host:port gone wrong.
  else if (IPV6.test(label) && label.split(':').length > 2) host = label;
  else return `"${label}" is not host or host:port`;
  const port = portText === undefined ? defaultPort : Number(portText);
  return portProblem(port) ?? { host, port, label };
}
