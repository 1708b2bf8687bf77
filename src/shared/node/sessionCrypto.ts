// The session code's cryptography, all from node:crypto (docs/PROTOCOL.md, "Session code"): scrypt turns the
// code and the transfer's salt into a master key, HKDF gives every sealing party its own key from it, and
// AES-256-GCM seals each datagram under that key with the envelope's counter as nonce.
import { createCipheriv, createDecipheriv, hkdfSync, scrypt } from 'node:crypto';
import { HEADER_BYTES, nonceOf, TAG_BYTES, type EnvelopeKind } from '../session/envelope.js';

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

/** header (HEADER_BYTES, its counter already written) + sealed inner datagram + tag. */
export function seal(key: Buffer, header: Uint8Array, counter: number, inner: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonceOf(counter));
  cipher.setAAD(header);
  const body = cipher.update(inner);
  cipher.final();
  return Buffer.concat([header, body, cipher.getAuthTag()], HEADER_BYTES + inner.length + TAG_BYTES);
}

/** The inner datagram, or null when the envelope does not authenticate under `key`. */
export function open(key: Buffer, envelope: Buffer, counter: number): Buffer | null {
  const decipher = createDecipheriv('aes-256-gcm', key, nonceOf(counter));
  decipher.setAAD(envelope.subarray(0, HEADER_BYTES));
  decipher.setAuthTag(envelope.subarray(envelope.length - TAG_BYTES));
  const inner = decipher.update(envelope.subarray(HEADER_BYTES, envelope.length - TAG_BYTES));
  try {
    decipher.final();
    return inner;
  } catch {
    return null;
  }
}
