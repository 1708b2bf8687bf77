// The session code's cryptography (docs/PROTOCOL.md, "Session code"): scrypt (node:crypto) stretches the code
// once per process, HKDF (node:crypto) turns that and a transfer's salt into a key per sealing party, and
// ChaCha20-Poly1305 (RFC 8439) from libsodium seals each datagram under that key with the envelope's counter as
// nonce. The stretch is the slow part (about 70 ms), so it is done once, when a receiver starts listening and
// when a sender first uses the code, never per transfer: a transfer's keys cost a few microseconds. libsodium,
// not node:crypto, for the per-datagram AEAD: node:crypto sets up a cipher context on every call (10-17 us here,
// ten calls a round at N = 3), libsodium takes about 1 us; the bytes are the same (test/shared/sessionCode.test.ts
// opens libsodium's envelopes with node:crypto).
import { hkdfSync, scrypt } from 'node:crypto';
import sodium from 'sodium-native';
import { HEADER_BYTES, TAG_BYTES, nonceOf, type EnvelopeKind } from '../session/envelope.js';

/**
 * scrypt's cost: 16 MiB and about 70 ms per guess on the development machine. The salt is fixed, so one stretch
 * serves every transfer under a code; each transfer's own salt enters through HKDF (docs/PROTOCOL.md works out
 * what an attacker pays per guess, and per code).
 */
export const SCRYPT_COST = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 << 20 } as const;
export const STRETCH_SALT = 'p2mp-ftp session code v1';

/** The (normalized) code stretched into 32 bytes: at once, or later (scrypt's thread pool). */
export type StretchCode = (code: string) => Buffer | Promise<Buffer>;

/** Codes stretched in this process (a sender sending again, a receiver listening again): the last few used. */
const stretched = new Map<string, Promise<Buffer>>();
export const KEEP_STRETCHED = 4;

export const scryptStretch: StretchCode = (code) => {
  let key = stretched.get(code);
  if (key === undefined) {
    const made = new Promise<Buffer>((resolve, reject) =>
      scrypt(code, STRETCH_SALT, 32, SCRYPT_COST, (error, out) => (error ? reject(error) : resolve(out))),
    );
    // A failed stretch is not kept (unless another has taken its place since).
    made.catch(() => stretched.get(code) === made && stretched.delete(code));
    key = made;
  }
  // Used last: kept longest.
  stretched.delete(code);
  if (stretched.size >= KEEP_STRETCHED) stretched.delete(stretched.keys().next().value!);
  stretched.set(code, key);
  return key;
};

/**
 * The key of one sealing party of one transfer: the stretched code, the transfer's salt, and the party's kind and
 * random id, so no two parties (or transfers) share a nonce space.
 */
export function partyKey(
  stretchedCode: Buffer,
  salt: Uint8Array,
  kind: EnvelopeKind,
  party: Uint8Array,
): Buffer {
  const info = Buffer.concat([Buffer.from('p2mp-ftp session v1 '), Buffer.of(kind), party]);
  return Buffer.from(hkdfSync('sha256', stretchedCode, salt, info, 32));
}

/** The nonce of the datagram being sealed or opened (one at a time: the calls are synchronous). */
const nonce = new Uint8Array(12);

/** header (HEADER_BYTES, its counter already written) + sealed inner datagram + tag. */
export function seal(key: Buffer, header: Uint8Array, counter: number, inner: Uint8Array): Buffer {
  const envelope = Buffer.allocUnsafe(HEADER_BYTES + inner.length + TAG_BYTES);
  envelope.set(header, 0);
  sodium.crypto_aead_chacha20poly1305_ietf_encrypt(
    envelope.subarray(HEADER_BYTES),
    inner,
    header,
    null,
    nonceOf(counter, nonce),
    key,
  );
  return envelope;
}

/**
 * Opens an envelope in place: the inner datagram, decrypted over its own ciphertext (no copy: every datagram of a
 * transfer passes here), or null when the envelope does not authenticate under `key` (libsodium then zeroes it).
 */
export function open(key: Buffer, envelope: Buffer, counter: number): Buffer | null {
  const inner = envelope.subarray(HEADER_BYTES, envelope.length - TAG_BYTES);
  try {
    sodium.crypto_aead_chacha20poly1305_ietf_decrypt(
      inner,
      null,
      envelope.subarray(HEADER_BYTES),
      envelope.subarray(0, HEADER_BYTES),
      nonceOf(counter, nonce),
      key,
    );
    return inner;
  } catch {
    return null;
  }
}
