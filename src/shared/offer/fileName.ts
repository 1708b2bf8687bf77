// The name a receiver saves an offered file under: the sender's name made safe on every file system. Whatever a
// sender (or an attacker) offers, the result is one plain file name inside the receiver's folder: no path
// separators, no "." or "..", no control or invisible characters, no name Windows reserves, at most 200 bytes
// of UTF-8, Unicode NFC (so names differing only in Unicode form are one name), never ending in ".part" (a
// receiver's unfinished data: one kept under such a name was reported as a leftover to delete). Pure.

import { replaceInvisible } from '../format.js';

export const MAX_NAME_BYTES = 200;
export const FALLBACK_NAME = 'received.bin';

/**
 * CON, PRN, AUX, NUL, CONIN$, CONOUT$, COM0-9, LPT0-9 (any case, with or without an extension, and with spaces
 * before it: "CON .txt" is the device too) open devices on Windows.
 */
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³]) *(\.|$)/i;

/** The suffix of a receiver's unfinished data (partFile.ts), in any case. */
const PART_SUFFIX = /\.(part)$/i;

/** Extensions of two parts: the number goes before both ("archive (2).tar.gz", as browsers name downloads). */
const DOUBLE_EXTENSION = /\.tar\.(gz|bz2|xz|zst|lz|lzma|Z)$/i;

const encoder = new TextEncoder();
const utf8Length = (text: string): number => encoder.encode(text).length;

/** Cuts `text` to at most `max` bytes of UTF-8 without splitting a character. */
function cutToBytes(text: string, max: number): string {
  let out = '';
  for (const char of text) {
    if (utf8Length(out + char) > max) break;
    out += char;
  }
  return out;
}

export function safeFileName(offered: string): string {
  let name = replaceInvisible(offered.normalize('NFC'), '')
    // Separators and characters Windows forbids become "_"; control, format (bidi, zero-width) and line or
    // paragraph separators are dropped.
    .replace(/[/\\<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    // Windows drops trailing dots and spaces (so "a.txt." would be "a.txt"); nothing hidden by leading dots.
    .replace(/[. ]+$/, '')
    .replace(/^\.+/, '');
  if (RESERVED.test(name)) name = `_${name}`;
  if (utf8Length(name) > MAX_NAME_BYTES) {
    // The extension is kept whole ("archive.tar.gz" too), and the cut stem never ends in dots or spaces.
    const double = DOUBLE_EXTENSION.exec(name);
    const dot = double && double.index > 0 ? double.index : name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    const stem = cutToBytes(name.slice(0, name.length - ext.length), MAX_NAME_BYTES - utf8Length(ext));
    name = stem.replace(/[. ]+$/, '') + ext;
  }
  // ".part" is what a receiver names the data of a transfer still going on (partFile.ts), and what it reports
  // as left by one that never ended (leftovers.ts): a finished file kept as "notes.part" would be that. After
  // the cut, which keeps an extension whole; the same length.
  name = name.replace(PART_SUFFIX, '_$1');
  return name === '' ? FALLBACK_NAME : name;
}

/** The n-th candidate for a name already taken: "report.pdf", "report (2).pdf", "report (3).pdf", ... */
export function numberedName(name: string, n: number): string {
  if (n <= 1) return name;
  const double = DOUBLE_EXTENSION.exec(name);
  const dot = double && double.index > 0 ? double.index : name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const suffix = ` (${n})`;
  return cutToBytes(stem, MAX_NAME_BYTES - utf8Length(suffix + ext)) + suffix + ext;
}
