// The Internet checksum of RFC 1071: the one's complement of the one's complement sum of 16-bit big-endian
// words. Both wire profiles use it; they differ only in which bytes they feed it.

/** One's complement sum (folded to 16 bits) of `bytes` as big-endian words, an odd last byte padded with zero. */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  const even = bytes.length & ~1;
  for (let i = 0; i < even; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (even !== bytes.length) sum += bytes[even]! << 8;
  // At most 32,768 words per datagram, so the sum fits a double exactly; fold the carries once at the end.
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** Sum of the 16-bit words of a 32-bit sequence number and a 16-bit type: the header words both profiles cover. */
export function headerSum(seq: number, type: number): number {
  return onesComplementSum(new Uint8Array(0), Math.floor(seq / 0x10000) + (seq & 0xffff) + type);
}

/** The checksum field: one's complement of the folded sum. */
export function complement(sum: number): number {
  return ~sum & 0xffff;
}
