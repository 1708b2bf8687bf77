// The session code's cryptography (docs/PROTOCOL.md, "Session code"): scrypt (node:crypto) turns the code and
// the transfer's salt into a master key, HKDF (node:crypto) gives every sealing party its own key from it, and
// ChaCha20-Poly1305 (RFC 8439) from libsodium seals each datagram under that key with the envelope's counter as
// nonce. libsodium, not node:crypto, for the per-datagram AEAD: node:crypto sets up a cipher context on every
// call (10-17 us here, ten calls a round at N = 3), libsodium takes about 1 us; the bytes are the same
// (test/shared/sessionCode.test.ts opens libsodium's envelopes with node:crypto).
import { hkdfSync, scrypt } from 'node:crypto';
import sodium from 'sodium-native';
import { HEADER_BYTES, TAG_BYTES, nonceOf, type EnvelopeKind } from '../session/envelope.js';

/**
 * scrypt's cost: 4 MiB and about 17 ms per guess on the development machine, paid once by the sender and once by
 * each receiver per transfer. Against 60-bit codes that is ample (docs/PROTOCOL.md works out an attacker's bill).
 */
export const SCRYPT_COST = { N: 2 ** 12, r: 8, p: 1, maxmem: 32 << 20 } as const;

/** The transfer's master key from the (normalized) code and its salt (at once, or later: scrypt's thread pool). */
export type DeriveMaster = (code: string, salt: Uint8Array) => Buffer | Promise<Buffer>;

export const scryptMaster: DeriveMaster = (code, salt) =>
  new Promise((resolve, reject) =>
    scrypt(code, salt, 32, SCRYPT_COST, (error, key) => (error ? reject(error) : resolve(key))),
  );

/** The key of one sealing party: sender or receiver, and its random id, so no two parties share a nonce space. */
export function partyKey(master: Buffer, kind: EnvelopeKind, party: Uint8Array): Buffer {
  const info = Buffer.concat([Buffer.from('p2mp-ftp session v1 '), Buffer.of(kind), party]);
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
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
