// Session codes: what a receiver shows and a sender types so that only that sender gets in. A code is 12
// characters of Crockford's base32 (60 random bits), shown as XXXX-XXXX-XXXX. Anyone who records a transfer can
// try codes offline, so a code is always generated, never chosen: 2^60 guesses, each one a scrypt stretch
// (docs/PROTOCOL.md, "Session code", works out what that costs an attacker).

/** Crockford's base32: no I, L, O or U, so a code read out to a class cannot be misheard as another. */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 12;
export const CODE_BITS = CODE_LENGTH * 5;

/** A new code, uniformly random (each character from 5 bits of a random byte: 256 is a multiple of 32). */
export function newSessionCode(
  random: (bytes: number) => Uint8Array = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
): string {
  return formatCode(Array.from(random(CODE_LENGTH), (byte) => CODE_ALPHABET[byte & 31]).join(''));
}

/**
 * Upper case, without spaces and dashes of any kind (a word processor turns "-" into "–"), with the letters
 * people type for digits read as those digits (O as 0, I and L as 1).
 */
const plainCode = (text: string): string =>
  text
    .toUpperCase()
    .replace(/[\s\p{Pd}]/gu, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');

/** The code as the key is derived from it (plainCode), or null when it is not a code. */
export function normalizeCode(text: string): string | null {
  const code = plainCode(text);
  if (code.length !== CODE_LENGTH) return null;
  for (const c of code) if (!CODE_ALPHABET.includes(c)) return null;
  return code;
}

/** XXXX-XXXX-XXXX, for reading out and typing. */
export function formatCode(code: string): string {
  const plain = normalizeCode(code) ?? code;
  return `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}`;
}

export function codeProblem(text: string): string | null {
  if (normalizeCode(text) !== null) return null;
  const got = `got "${text.slice(0, 40)}"`;
  // The right length with a character no code has (U, punctuation): say which, or the user looks for a typo in vain.
  const plain = plainCode(text);
  const stray = [...plain].find((c) => !CODE_ALPHABET.includes(c));
  if (plain.length === CODE_LENGTH && stray !== undefined)
    return `a session code has no "${stray}": it is written with the digits and the letters but U, ${got}`;
  return (
    `a session code is ${CODE_LENGTH} letters and digits, like 7K3M-Q9XD-2HFA (the receiver shows it; ` +
    `p2mpserver --code new makes one), ${got}`
  );
}
