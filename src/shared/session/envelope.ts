// The session envelope around every datagram of a transfer with a session code (docs/PROTOCOL.md, "Session
// code"): a clear header the receiver needs before it has a key, then the inner datagram encrypted, then the
// AEAD tag. The header is authenticated as associated data, so not one bit of it can be changed either.
//
//   0  4  magic "P2MS"      22  8  party: random id of whoever sealed it (a key of its own per party)
//   4  1  version 1         30  8  counter: big-endian, from 1, per party; the nonce, and the replay check
//   5  1  kind              38  n  ciphertext (n = the inner datagram's length)
//   6 16  salt of the transfer (chosen by its sender)    38+n 16  tag

export const ENVELOPE_MAGIC = 0x50324d53;
export const ENVELOPE_VERSION = 1;
/** Sealed by the sender (offer, data, end marker). */
export const BY_SENDER = 1;
/** Sealed by a receiver (answer, ACK). */
export const BY_RECEIVER = 2;
/** A receiver could not open what came under this salt: header only, nothing sealed (it has no key to seal). */
export const WRONG_CODE = 3;
/** A receiver without a session code got a sealed datagram under this salt: header only, as WRONG_CODE. */
export const NO_CODE = 4;
/**
 * Sealed by a receiver to a sender party it has not heard live yet: a fresh random challenge. Nothing of that
 * party reaches the receiver's protocol until it is answered, so a recording replayed to another receiver of the
 * room (or to one that restarted) delivers nothing: the recording cannot answer a challenge made after it.
 */
export const CHALLENGE = 5;
/** Sealed by the sender in answer to a CHALLENGE: the challenge, then the datagram it last sent that receiver. */
export const PROVEN = 6;
export type EnvelopeKind =
  | typeof BY_SENDER
  | typeof BY_RECEIVER
  | typeof WRONG_CODE
  | typeof NO_CODE
  | typeof CHALLENGE
  | typeof PROVEN;

export const CHALLENGE_BYTES = 16;

export const SALT_BYTES = 16;
export const PARTY_BYTES = 8;
export const HEADER_BYTES = 38;
/** Where the salt and the party id sit in a header. */
export const SALT_AT = 6;
export const PARTY_AT = 22;
export const TAG_BYTES = 16;
/** What the envelope adds to a datagram. */
export const SESSION_OVERHEAD = HEADER_BYTES + TAG_BYTES;
/** Counters stay far below 2^53 (one per datagram), so they are plain numbers; anything above is not ours. */
const MAX_COUNTER_HIGH = 0x1f_ffff;

export interface EnvelopeHeader {
  kind: EnvelopeKind;
  salt: Uint8Array;
  party: Uint8Array;
  counter: number;
}

// Big-endian 32-bit fields by hand: every datagram passes here, and a DataView per call costs more than the rest.
const readU32 = (b: Uint8Array, o: number): number =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
function writeU32(b: Uint8Array, o: number, value: number): void {
  b[o] = value >>> 24;
  b[o + 1] = value >>> 16;
  b[o + 2] = value >>> 8;
  b[o + 3] = value;
}

/** Writes a counter where the header and the nonce keep it: 8 bytes, big-endian, at `offset`. */
export function writeCounter(target: Uint8Array, offset: number, counter: number): void {
  writeU32(target, offset, Math.floor(counter / 2 ** 32));
  writeU32(target, offset + 4, counter >>> 0);
}

export function encodeHeader(header: EnvelopeHeader, target = new Uint8Array(HEADER_BYTES)): Uint8Array {
  writeU32(target, 0, ENVELOPE_MAGIC);
  target[4] = ENVELOPE_VERSION;
  target[5] = header.kind;
  target.set(header.salt.subarray(0, SALT_BYTES), SALT_AT);
  target.set(header.party.subarray(0, PARTY_BYTES), PARTY_AT);
  writeCounter(target, 30, header.counter);
  return target;
}

/**
 * The kind of an envelope, or 0 when the datagram is not one (wrong magic, version, kind or length, a counter
 * beyond what a transfer reaches). Every datagram of a transfer passes here: it reads in place, allocating nothing.
 */
export function envelopeKind(datagram: Uint8Array): EnvelopeKind | 0 {
  if (datagram.length < HEADER_BYTES) return 0;
  if (readU32(datagram, 0) !== ENVELOPE_MAGIC || datagram[4] !== ENVELOPE_VERSION) return 0;
  const kind = datagram[5];
  if (kind === undefined || kind < BY_SENDER || kind > PROVEN) return 0;
  // A notice is the header alone, a challenge exactly one, a proof at least one; anything else at least a tag.
  const length = datagram.length;
  if (kind === WRONG_CODE || kind === NO_CODE) {
    if (length !== HEADER_BYTES) return 0;
  } else if (kind === CHALLENGE) {
    if (length !== SESSION_OVERHEAD + CHALLENGE_BYTES) return 0;
  } else if (length < SESSION_OVERHEAD + (kind === PROVEN ? CHALLENGE_BYTES : 0)) return 0;
  if (readU32(datagram, 30) > MAX_COUNTER_HIGH) return 0;
  return kind as EnvelopeKind;
}

/** Whether a datagram starts as an envelope does (magic and version), well-formed or not. */
export const startsAsEnvelope = (datagram: Uint8Array): boolean =>
  datagram.length >= 5 && readU32(datagram, 0) === ENVELOPE_MAGIC && datagram[4] === ENVELOPE_VERSION;

/** The counter of an envelope (one envelopeKind accepted). */
export const counterOf = (envelope: Uint8Array): number =>
  readU32(envelope, 30) * 2 ** 32 + readU32(envelope, 34);

/** Whether `bytes` stand at `offset` of `datagram`. */
export function bytesAt(datagram: Uint8Array, offset: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (datagram[offset + i] !== bytes[i]) return false;
  return true;
}

/** The header of an envelope, or null when the datagram is not one (see envelopeKind). */
export function decodeHeader(datagram: Uint8Array): EnvelopeHeader | null {
  const kind = envelopeKind(datagram);
  if (kind === 0) return null;
  return {
    kind,
    salt: datagram.subarray(SALT_AT, SALT_AT + SALT_BYTES),
    party: datagram.subarray(PARTY_AT, PARTY_AT + PARTY_BYTES),
    counter: counterOf(datagram),
  };
}

/** The AEAD nonce of a counter: 4 zero bytes, then the counter as in the header (unique per key: see party). */
export function nonceOf(counter: number, nonce = new Uint8Array(12)): Uint8Array {
  writeCounter(nonce, 4, counter);
  return nonce;
}
