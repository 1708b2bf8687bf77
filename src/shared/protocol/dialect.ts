// The dialects course implementations speak, named so a user can choose one (`--dialect`) and p2mpcheck can
// print the one it found. A dialect is a set of deviations from the course-exact binary format; each deviation
// has one token, and `standard` (no tokens) is the course's own. Pure and renderer-safe.
import type { ProfileName } from '../limits.js';

export type ByteOrder = 'big' | 'little';
/** What the data checksum covers: sequence number, type and payload (the course), or the payload only. */
export type Coverage = 'header-and-payload' | 'payload';
/**
 * How the sender says the file is complete: an empty data segment with the next number (ours), nothing at all
 * (the reference implementation: the receiver ends by silence), an empty header of type 0x0000, or a FIN of 8
 * bytes 0xFF.
 */
export type EndOfFile = 'empty' | 'none' | 'type0' | 'fin';

export interface Dialect {
  order: ByteOrder;
  coverage: Coverage;
  /** Number of the first segment. */
  base: 0 | 1;
  /** What one step of the sequence number counts. */
  unit: 'segment' | 'byte';
  /** An ACK carries the number received, or the next number expected. */
  ack: 'received' | 'next';
  eof: EndOfFile;
}

/** The course-exact dialect; every profile speaks it unless told otherwise. */
export const STANDARD_DIALECT: Readonly<Dialect> = Object.freeze({
  order: 'big',
  coverage: 'header-and-payload',
  base: 1,
  unit: 'segment',
  ack: 'received',
  eof: 'empty',
});

/** Each token sets one field away from the course's value; the order here is the canonical order. */
const TOKENS = {
  le: { order: 'little' },
  'sum-payload': { coverage: 'payload' },
  seq0: { base: 0 },
  bytes: { unit: 'byte' },
  'ack-next': { ack: 'next' },
  'eof-none': { eof: 'none' },
  'eof-type0': { eof: 'type0' },
  'eof-fin': { eof: 'fin' },
} as const satisfies Record<string, Partial<Dialect>>;
export type DialectToken = keyof typeof TOKENS;
export const DIALECT_TOKENS = Object.keys(TOKENS) as DialectToken[];

/** What each token means, for help texts and the docs. */
export const TOKEN_MEANING: Record<DialectToken, string> = {
  le: 'header fields little-endian',
  'sum-payload': 'checksum over the payload only',
  seq0: 'the first segment is numbered 0',
  bytes: 'sequence numbers count bytes (the offset of the segment)',
  'ack-next': 'an ACK carries the next number expected',
  'eof-none': 'no end-of-file signal: the receiver ends when the sender goes quiet',
  'eof-type0': 'end of file: an empty header of type 0x0000',
  'eof-fin': 'end of file: 8 bytes of 0xFF',
};

/** "standard" or tokens joined by commas, e.g. "seq0,ack-next", to a dialect; or the problem in words. */
export function parseDialect(text: string): Dialect | string {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'standard') return { ...STANDARD_DIALECT };
  const dialect: Dialect = { ...STANDARD_DIALECT };
  const seen = new Set<string>();
  for (const raw of trimmed.split(',')) {
    const token = raw.trim();
    if (!Object.hasOwn(TOKENS, token))
      return `unknown dialect "${token}": use standard or a comma-separated list of ${DIALECT_TOKENS.join(', ')}`;
    const change: Partial<Dialect> = TOKENS[token as DialectToken];
    for (const field of Object.keys(change)) {
      if (seen.has(field))
        return `dialect "${text.trim()}" sets the ${field === 'eof' ? 'end of file' : field} twice`;
      seen.add(field);
    }
    Object.assign(dialect, change);
  }
  return dialect;
}

/** The canonical `--dialect` value of a dialect: "standard", or its tokens in canonical order. */
export function formatDialect(dialect: Dialect): string {
  const tokens = DIALECT_TOKENS.filter((token) =>
    Object.entries(TOKENS[token]).every(([field, value]) => dialect[field as keyof Dialect] === value),
  );
  return tokens.length === 0 ? 'standard' : tokens.join(',');
}

const DIALECT_FIELDS = Object.keys(STANDARD_DIALECT) as (keyof Dialect)[];

/** Every field the course's (asked per transfer and per receiver start: no string built). */
export const isStandardDialect = (dialect: Dialect): boolean =>
  DIALECT_FIELDS.every((field) => dialect[field] === STANDARD_DIALECT[field]);

/** Why a profile cannot speak a dialect, or null: seed-text spells one byte order with one checksum coverage. */
export function dialectProblem(profile: ProfileName, dialect: Dialect): string | null {
  return profile === 'standard' || (dialect.order === 'big' && dialect.coverage === 'header-and-payload')
    ? null
    : 'dialect tokens le and sum-payload apply to the standard profile only (seed-text spells its header in ' +
        'ASCII bits, big-endian, with the checksum over sequence number, type and payload)';
}

/** A `--dialect` value for a profile: the dialect, or the problem in one line. */
export function dialectFor(text: string, profile: ProfileName): Dialect | string {
  const dialect = parseDialect(text);
  return typeof dialect === 'string' ? dialect : (dialectProblem(profile, dialect) ?? dialect);
}

/** The tokens and what each means, one indented line each, for the command lines' help. */
export const dialectHelp = (indent: string): string =>
  DIALECT_TOKENS.map((token) => `${indent}${token.padEnd(12)} ${TOKEN_MEANING[token]}`).join('\n');
