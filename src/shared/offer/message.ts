// The offer: before any data, our sender tells each receiver what it is about to send (name, size, SHA-256, MSS,
// protocol) and our receivers answer accept, decline or wait (a person is deciding, or it is busy with another
// sender's transfer). Documented byte by byte in docs/PROTOCOL.md ("Offer"). Both travel as a data segment of the
// transfer's profile with sequence number 0xFFFFFFFF whose checksum is deliberately inverted ("masked"): every
// course receiver drops a segment with a bad checksum ("the receiver does nothing"), and one that skips the check
// sees an out-of-order number and ACKs its last in-order one. So an offer is harmless to receivers that do not know
// it, and the sender learns which receivers are ours from who answers. Decoding never throws.
import { PROFILE_NAMES, PROTOCOLS, windowProblem, type ProfileName, type Protocol } from '../limits.js';
import { displayName } from '../discovery/message.js';
import { replaceInvisible } from '../format.js';
import { STANDARD_DIALECT } from '../protocol/dialect.js';
import { MAX_SEQ, TYPE_DATA } from '../protocol/segment.js';
import {
  checksumOf,
  encodeSegment,
  encodingOf,
  ENCODINGS,
  readSegment,
  readsAsData,
  type Encoding,
} from '../protocol/wire.js';

export const OFFER_SEQ = MAX_SEQ;
const OFFER_MAGIC = new TextEncoder().encode('P2MPOFR1');
const ANSWER_MAGIC = new TextEncoder().encode('P2MPANS1');
const CANCEL_MAGIC = new TextEncoder().encode('P2MPCAN1');
/** Longest offered name accepted on the wire (the receiver makes it safe and shorter: fileName.ts). */
export const MAX_OFFERED_NAME = 1024;

export interface Offer {
  /** Random per transfer: answers are matched to it. */
  id: string;
  name: string;
  size: number;
  sha256: string;
  mss: number;
  protocol: Protocol;
  /** Selective Repeat only: the window, in segments, a receiver that agrees buffers out of order. */
  window?: number;
  /**
   * Selective Repeat only: the multicast group (239.255.0.0/16) a receiver that agrees may listen on for data, and
   * `from`, the port of the sender's socket the group's data comes from (absent from senders before it).
   */
  group?: { address: string; port: number; from?: number };
  /**
   * Selective Repeat only: a receiver that agrees ACKs cumulatively with a bitmap (protocol/sack.ts), once every
   * `every` segments, at once when a gap appears, and after `delayMs` without one otherwise.
   */
  sack?: SackTerms;
  profile: ProfileName;
  /** The sending machine's name, shown beside its address ("10.0.0.7 (lab-pc-07) wants to send ..."). */
  sender?: string;
}

export interface SackTerms {
  every: number;
  delayMs: number;
}

/** Longest delayed-ACK timer an offer may ask for. */
export const MAX_SACK_DELAY_MS = 1000;

export type Answer =
  /** `protocol: 'sr'`: the receiver agrees to Selective Repeat with the offered window; absent: it will ACK
   * cumulatively (the course's receiver rules), and a Selective Repeat sender gives it Go-Back-N. `multicast`:
   * it also listens on the offered group; absent: unicast only. `sack`: it ACKs with the offered SACK terms;
   * absent: one ACK per segment. `summed`: every ACK it sends for the transfer carries its checksum (the course's
   * binary ACK has none), so the sender may drop one that does not match; absent: a receiver of ours from before
   * it, whose ACKs are taken as the course's. */
  | { id: string; answer: 'accept'; protocol?: 'sr'; multicast?: true; sack?: true; summed?: true }
  | { id: string; answer: 'wait' }
  | { id: string; answer: 'decline'; reason: string }
  /** After the end marker, before its ACK: the file is kept, under `name` (sent only when that is not the
   * offered name: a name already taken there, or made safe). */
  | { id: string; answer: 'kept'; name: string };

/** Longest kept name a sender takes (a receiver of ours keeps at most 200 bytes: fileName.ts). */
export const MAX_KEPT_NAME = 255;

const ID = /^[0-9a-f]{16}$/;
/** Only organization-local groups are joined, whatever an offer says. */
const GROUP = /^239\.255\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** Offers speak the profile's course encoding: only our own receivers, in the course dialect, answer them. */
const encodingFor = (profile: ProfileName): Encoding => encodingOf(profile, STANDARD_DIALECT);
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const MASK = 0xffff;

function encode(profile: ProfileName, magic: Uint8Array, body: object): Buffer {
  let json = JSON.stringify(body);
  if (json.length % 2 === 1) json += ' '; // even payloads: seed-text's odd-byte checksum quirk never applies
  const encoding = encodingFor(profile);
  for (let pad = 0; ; pad += 2) {
    const text = encoder.encode(json + ' '.repeat(pad));
    const payload = new Uint8Array(magic.length + text.length);
    payload.set(magic);
    payload.set(text, magic.length);
    const masked = checksumOf(encoding, OFFER_SEQ, TYPE_DATA, payload) ^ MASK;
    const bytes = encodeSegment(encoding, OFFER_SEQ, TYPE_DATA, payload, masked);
    // Masked in its own encoding, it could still sum right in another (1 in 65,536 for a payload-only sum): a
    // course receiver of that dialect would take it as data, and p2mpcheck would read the sender's dialect from
    // it. Two more spaces of JSON whitespace change every other sum; after 9 tries (never seen) it goes as is.
    if (pad === 16 || !ENCODINGS.some((e) => readsAsData(e, bytes)))
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  }
}

/** The JSON body of a masked segment carrying `magic`, or undefined. */
function decode(
  datagram: Uint8Array,
  profile: ProfileName,
  magic: Uint8Array,
): Record<string, unknown> | undefined {
  const encoding = encodingFor(profile);
  const read = readSegment(encoding, datagram);
  if (!read.ok) return undefined;
  const { seq, type, checksum, payload } = read.fields;
  if (seq !== OFFER_SEQ || type !== TYPE_DATA || payload.length < magic.length) return undefined;
  if (magic.some((byte, i) => payload[i] !== byte)) return undefined;
  if (checksum !== (checksumOf(encoding, seq, type, payload) ^ MASK)) return undefined;
  try {
    const body: unknown = JSON.parse(decoder.decode(payload.subarray(magic.length)));
    return typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export const encodeOffer = (profile: ProfileName, offer: Offer): Buffer =>
  encode(profile, OFFER_MAGIC, offer);

export const encodeAnswer = (profile: ProfileName, answer: Answer): Buffer =>
  encode(profile, ANSWER_MAGIC, answer);

/** A sender stopping offered transfer `id`: its user cancelled it, or (`unreadable`) its file could not be read. */
export interface Cancel {
  id: string;
  unreadable?: true;
}

/** Sender → receiver: `{"id"}` under its own magic, and `"unreadable":true` when its file could not be read. */
export const encodeCancel = (profile: ProfileName, cancel: Cancel): Buffer =>
  encode(profile, CANCEL_MAGIC, cancel);

/** A cancel, or undefined for anything else. */
export function decodeCancel(datagram: Uint8Array, profile: ProfileName): Cancel | undefined {
  const body = decode(datagram, profile, CANCEL_MAGIC);
  if (typeof body?.id !== 'string' || !ID.test(body.id)) return undefined;
  return { id: body.id, ...(body.unreadable === true ? { unreadable: true as const } : {}) };
}

const isCount = (n: unknown, max: number): n is number =>
  typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= max;

export function decodeOffer(datagram: Uint8Array, profile: ProfileName): Offer | undefined {
  const body = decode(datagram, profile, OFFER_MAGIC);
  if (!body) return undefined;
  const { id, name, size, sha256, mss, protocol, window, group, sack } = body;
  if (typeof id !== 'string' || !ID.test(id)) return undefined;
  if (typeof name !== 'string' || name.length > MAX_OFFERED_NAME) return undefined;
  if (!isCount(size, Number.MAX_SAFE_INTEGER) || !isCount(mss, 65_535) || mss === 0) return undefined;
  if (typeof sha256 !== 'string' || !SHA256.test(sha256)) return undefined;
  if (typeof protocol !== 'string' || !(PROTOCOLS as readonly string[]).includes(protocol)) return undefined;
  if (protocol === 'sr' && (typeof window !== 'number' || windowProblem(window) !== null)) return undefined;
  if (!(PROFILE_NAMES as readonly string[]).includes(String(body.profile)) || body.profile !== profile)
    return undefined;
  const sender = typeof body.sender === 'string' ? displayName(body.sender) : '';
  return {
    id,
    name,
    size,
    sha256,
    mss,
    protocol: protocol as Protocol,
    ...(protocol === 'sr' ? { window: window as number } : {}),
    ...(protocol === 'sr' ? groupOf(group) : {}),
    ...(protocol === 'sr' ? sackOf(sack, window as number) : {}),
    profile,
    ...(sender ? { sender } : {}),
  };
}

/**
 * A valid group field (`{"address":"239.255.x.y","port":P,"from":F}`, `from` optional) as the offer's group;
 * anything else: none.
 */
function groupOf(group: unknown): { group?: Offer['group'] } {
  if (typeof group !== 'object' || group === null) return {};
  const { address, port, from } = group as Record<string, unknown>;
  if (typeof address !== 'string' || !GROUP.test(address) || !isCount(port, 65_535) || port < 1024) return {};
  if (from !== undefined && (!isCount(from, 65_535) || from === 0)) return {};
  return { group: { address, port, ...(from !== undefined ? { from } : {}) } };
}

/** Valid SACK terms (`{"every":k,"delayMs":D}`, 1 <= k <= W, 1 <= D <= 1000) as the offer's; anything else: none. */
function sackOf(sack: unknown, window: number): { sack?: SackTerms } {
  if (typeof sack !== 'object' || sack === null) return {};
  const { every, delayMs } = sack as Record<string, unknown>;
  if (!isCount(every, window) || every === 0 || !isCount(delayMs, MAX_SACK_DELAY_MS) || delayMs === 0)
    return {};
  return { sack: { every, delayMs } };
}

export function decodeAnswer(datagram: Uint8Array, profile: ProfileName): Answer | undefined {
  const body = decode(datagram, profile, ANSWER_MAGIC);
  if (!body || typeof body.id !== 'string' || !ID.test(body.id)) return undefined;
  const summed = body.summed === true ? { summed: true as const } : {};
  if (body.answer === 'accept' && body.protocol === 'sr')
    return {
      id: body.id,
      answer: 'accept',
      protocol: 'sr',
      ...(body.multicast === true ? { multicast: true } : {}),
      ...(body.sack === true ? { sack: true } : {}),
      ...summed,
    };
  if (body.answer === 'accept') return { id: body.id, answer: 'accept', ...summed };
  if (body.answer === 'wait') return { id: body.id, answer: 'wait' };
  if (body.answer === 'decline' && typeof body.reason === 'string')
    return { id: body.id, answer: 'decline', reason: replaceInvisible(body.reason, ' ').slice(0, 300) };
  // Shown to the sender's user: no control or bidi character, no path (the receiver's folders are its own).
  if (body.answer === 'kept' && typeof body.name === 'string') {
    const name = replaceInvisible(body.name, ' ');
    if (name.trim() !== '' && name.length <= MAX_KEPT_NAME && !/[/\\]/.test(name))
      return { id: body.id, answer: 'kept', name };
  }
  return undefined;
}

/** Cheap first look on the hot path: does the datagram carry sequence number 0xFFFFFFFF (an offer's)? */
export function hasOfferSeq(datagram: Buffer, profile: ProfileName): boolean {
  if (profile !== 'seed-text') return datagram.length >= 8 && datagram.readUInt32BE(0) === OFFER_SEQ;
  if (datagram.length < 64) return false;
  for (let i = 0; i < 32; i++) if (datagram[i] !== 0x31) return false;
  return true;
}
