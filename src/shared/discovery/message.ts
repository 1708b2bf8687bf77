// Discovery datagrams: a receiver announces itself, a sender asks who is there. Our own wire addition, documented
// byte by byte in docs/PROTOCOL.md ("Discovery"). An 8-byte header, then a small UTF-8 JSON body. Decoding never
// throws: anything that is not exactly a well-formed message of ours is undefined. Pure (Uint8Array only).
import { replaceInvisible } from '../format.js';
import { isIpv4, PROFILE_NAMES, type ProfileName } from '../limits.js';

/** Administratively scoped (RFC 2365: 239.255/16 stays on the site) group and a port of our own. */
export const DISCOVERY_GROUP = '239.255.77.35';
export const DISCOVERY_PORT = 7780;
export const MAGIC = [0x50, 0x32, 0x4d, 0x50] as const; // "P2MP"
export const VERSION = 1;
export const HEADER_LENGTH = 8;
/** Fits one Ethernet frame with room to spare; longer is not ours. */
export const MAX_MESSAGE = 1200;
export const MAX_NAME = 64;
export const MAX_ADDRESSES = 16;

export const KIND = { query: 1, announce: 2, goodbye: 3 } as const;

/** What a receiver says about itself. */
export interface Announcement {
  /** Random per receiver run: the same receiver heard on two interfaces is one entry. */
  id: string;
  /** Display name: the host name unless the user chose one. */
  name: string;
  /** Where it takes P2MP-FTP data. */
  port: number;
  profile: ProfileName;
  /** The addresses it listens on (its bound address, or every address of the machine). */
  addresses: string[];
  /** A session code is needed to send to it. */
  code: boolean;
  /** Receiving a transfer now. */
  busy: boolean;
}

export type Message =
  { kind: 'query' } | { kind: 'announce'; announcement: Announcement } | { kind: 'goodbye'; id: string };

const ID = /^[0-9a-f]{16}$/;
/** IPv6: hex digits, colons (one at least) and the dots of an embedded IPv4 address; IPv4 is isIpv4's. */
const IPV6 = /^(?=.*:)[0-9a-f:.]{2,45}$/i;
/** An address, never a host name: a sender sends to it as it is (a name of hex letters, "cafe.bad", would be looked up). */
const isAddress = (a: unknown): a is string => typeof a === 'string' && (isIpv4(a) || IPV6.test(a));
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A name fit to show: Unicode NFC, control and format characters (bidi overrides, zero-width) replaced by
 * spaces, whitespace collapsed, at most MAX_NAME characters (a longer one cut, ending in an ellipsis). Empty when nothing printable is left.
 */
export function displayName(text: string): string {
  const chars = Array.from(replaceInvisible(text.normalize('NFC'), ' ').replace(/\s+/g, ' ').trim());
  // A name cut short says so: "lab-pc-07 (Room 2.14, …" is not mistaken for another machine's whole name.
  return chars.length <= MAX_NAME
    ? chars.join('')
    : `${chars
        .slice(0, MAX_NAME - 1)
        .join('')
        .trim()}…`;
}

function frame(kind: number, body: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(HEADER_LENGTH + body.length);
  bytes.set(MAGIC, 0);
  bytes[4] = VERSION;
  bytes[5] = kind;
  bytes[6] = body.length >> 8;
  bytes[7] = body.length & 0xff;
  bytes.set(body, HEADER_LENGTH);
  return bytes;
}

/**
 * A query, padded with zeros to MAX_MESSAGE: a receiver answers no query with more bytes than it carried (an
 * announcement is at most MAX_MESSAGE), so a query forged from a victim's address is no amplifier.
 */
export const encodeQuery = (): Uint8Array => frame(KIND.query, new Uint8Array(MAX_MESSAGE - HEADER_LENGTH));

export const encodeGoodbye = (id: string): Uint8Array =>
  frame(KIND.goodbye, encoder.encode(JSON.stringify({ id })));

/** An announcement; addresses beyond what fits MAX_MESSAGE are left out. */
export function encodeAnnounce(a: Announcement): Uint8Array {
  const body = { ...a, name: displayName(a.name), addresses: a.addresses.slice(0, MAX_ADDRESSES) };
  let bytes = encoder.encode(JSON.stringify(body));
  while (bytes.length > MAX_MESSAGE - HEADER_LENGTH && body.addresses.length > 0) {
    body.addresses.pop();
    bytes = encoder.encode(JSON.stringify(body));
  }
  return frame(KIND.announce, bytes);
}

function parseBody(body: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(decoder.decode(body));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function readAnnouncement(body: Record<string, unknown>): Announcement | undefined {
  const { id, name, port, profile, addresses, code, busy } = body;
  if (typeof id !== 'string' || !ID.test(id)) return undefined;
  if (typeof name !== 'string') return undefined;
  const shown = displayName(name);
  if (shown === '') return undefined;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) return undefined;
  if (typeof profile !== 'string' || !(PROFILE_NAMES as readonly string[]).includes(profile))
    return undefined;
  if (!Array.isArray(addresses) || addresses.length > MAX_ADDRESSES) return undefined;
  if (!addresses.every(isAddress)) return undefined;
  if (typeof code !== 'boolean' || typeof busy !== 'boolean') return undefined;
  return { id, name: shown, port, profile: profile as ProfileName, addresses, code, busy };
}

export function decodeMessage(datagram: Uint8Array): Message | undefined {
  if (datagram.length < HEADER_LENGTH || datagram.length > MAX_MESSAGE) return undefined;
  if (MAGIC.some((byte, i) => datagram[i] !== byte) || datagram[4] !== VERSION) return undefined;
  const length = (datagram[6]! << 8) | datagram[7]!;
  if (length !== datagram.length - HEADER_LENGTH) return undefined;
  const kind = datagram[5];
  // A query's body is padding (zeros), of any length: how large an answer it may draw.
  if (kind === KIND.query)
    return datagram.every((byte, i) => i < HEADER_LENGTH || byte === 0) ? { kind: 'query' } : undefined;
  const body = parseBody(datagram.subarray(HEADER_LENGTH));
  if (!body) return undefined;
  if (kind === KIND.goodbye)
    return typeof body.id === 'string' && ID.test(body.id) ? { kind: 'goodbye', id: body.id } : undefined;
  if (kind !== KIND.announce) return undefined;
  const announcement = readAnnouncement(body);
  return announcement ? { kind: 'announce', announcement } : undefined;
}
