// Formatting shared by the CLI and the app, so both say the same thing the same way: numbers, and text from others.

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1 << 10, M: 1 << 20, G: 1 << 30, T: 2 ** 40 };

/**
 * A size in bytes as people write one: "1000000", "500K", "2.5G", "1e6" (binary units; a trailing "B" or "iB" is
 * allowed). `what` names it in the problem, which is returned in place of the size.
 */
export function parseByteSize(text: string, what: string): number | { problem: string } {
  // (1e6 too: the way a script or a spreadsheet writes a size.)
  const match = /^(\d+(?:\.\d+)?(?:e\+?\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  const bytes = match ? Math.floor(Number(match[1]) * SIZE_UNITS[match[2]!.toUpperCase()]!) : NaN;
  if (match && bytes > Number.MAX_SAFE_INTEGER)
    return { problem: `${what} is too large: at most 8191T, got "${text}"` };
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    return { problem: `${what} must be a size such as 500M or 2G, got "${text}"` };
  return bytes;
}

/** Seconds with a precision that suits the magnitude: 0.042 s, 3.21 s, 125.3 s. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s.toFixed(s < 1 ? 3 : s < 100 ? 2 : 1)} s`;
}

/**
 * "in 0.728 s, 33.0 kbit/s": a transfer's time and rate. Under a millisecond (a segment or two on loopback) it
 * reads "0.000 s", from which no rate can be told: said as such, without one.
 */
export function timeAndRate(bytes: number, ms: number): string {
  return ms < 1 ? 'in under 1 ms' : `in ${formatSeconds(ms)}, ${formatRate(bytes, ms)}`;
}

/** Throughput of payload bytes over a duration, in bits per second with an SI prefix. */
export function formatRate(bytes: number, ms: number): string {
  if (ms <= 0) return '-';
  const bps = (bytes * 8) / (ms / 1000);
  if (bps >= 1e9) return `${(bps / 1e9).toFixed(2)} Gbit/s`;
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(2)} Mbit/s`;
  if (bps >= 1e3) return `${(bps / 1e3).toFixed(1)} kbit/s`;
  return `${bps.toFixed(0)} bit/s`;
}

export function formatMs(ms: number): string {
  return ms < 1 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(0);
}

/**
 * Characters that must never reach a user's screen from a name or message others chose: control and format
 * characters (bidi overrides, zero-width joiners) and line or paragraph separators.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** `text` with every invisible character replaced by `by` (a space, or nothing). */
export const replaceInvisible = (text: string, by: string): string => text.replace(INVISIBLE, by);

export const hasInvisible = (text: string): boolean => replaceInvisible(text, '') !== text;

/** "1 chunk", "3 chunks": a count and its noun. */
export const counted = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "1, 2 or 3": choices in words. */
export function formatChoices(choices: readonly (string | number)[]): string {
  const words = choices.map(String);
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** The last part of a path, whichever separator its system uses. */
/** A phrase said on its own: its first letter upper case ("an unfinished file ..." as a note). */
export const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export const fileNameOf = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** The host of an "address:port" (the engine names peers so; an IPv6 address has no brackets there). */
export function hostOf(from: string): string {
  const colon = from.lastIndexOf(':');
  return colon < 0 ? from : from.slice(0, colon);
}

/**
 * Rows as a plain-text table: the first `words` columns left-aligned (names, states; two by default), the numbers
 * after them right-aligned.
 */
export function textTable(rows: string[][], words = 2): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows
    .map((row) =>
      row.map((cell, col) => (col < words ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))),
    )
    .map((cells) => cells.join('  ').trimEnd())
    .join('\n');
}
