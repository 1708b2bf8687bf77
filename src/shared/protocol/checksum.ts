// The Internet checksum of RFC 1071: the one's complement of the one's complement sum of 16-bit big-endian
// words. Both wire profiles use it; they differ only in which bytes they feed it.

/** Whether this machine stores a Uint32 little-endian first (every platform Electron and Node ship for today). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Below this many bytes the word-by-word loop is as fast as the 32-bit one (which makes a view). */
const WIDE_FROM = 64;

/** Folds a sum of any size (up to 2^53) into 16 bits, carries added back in (end-around carry). */
function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** One's complement sum (folded to 16 bits) of `bytes` as big-endian words, an odd last byte padded with zero. */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  let i = 0;
  const length = bytes.length;
  // The hot path (every data segment, both ways): 32 bits at a time in the machine's own byte order. RFC 1071
  // section 2: the sum is the same over wider words once folded, and on a little-endian machine it comes out
  // byte-swapped. Needs the words to start on an even byte of the datagram, and 4-byte alignment for the view.
  if (length >= WIDE_FROM && (bytes.byteOffset & 1) === 0) {
    if ((bytes.byteOffset & 3) !== 0) {
      sum += (bytes[0]! << 8) | bytes[1]!;
      i = 2;
    }
    const words = (length - i) >> 2;
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    let wide = 0;
    for (let w = 0; w < words; w++) wide += view[w]!;
    const folded = fold(wide);
    sum += LITTLE_ENDIAN ? ((folded & 0xff) << 8) | (folded >> 8) : folded;
    i += words * 4;
  }
  const even = length & ~1;
  for (; i < even; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (even !== length) sum += bytes[even]! << 8;
  // At most 32,768 words per datagram, so the sum fits a double exactly; fold the carries once at the end.
  return fold(sum);
}

/** Sum of the 16-bit words of a 32-bit sequence number and a 16-bit type: the header words both profiles cover. */
export function headerSum(seq: number, type: number): number {
  return fold(Math.floor(seq / 0x10000) + (seq & 0xffff) + type);
}

/** The checksum field: one's complement of the folded sum. */
export function complement(sum: number): number {
  return ~sum & 0xffff;
}
