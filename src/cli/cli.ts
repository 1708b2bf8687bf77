// What every command-line tool shares: argument parsing into user-facing errors, and the exit-code contract:
// 0 success, 1 the transfer failed, 2 bad input (one line on stderr, nothing written), 3 (p2mpserver) the file
// arrived but is unverified: its sender sent no end marker.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError, TransferError } from '../shared/errors.js';
import { parseByteSize } from '../shared/format.js';
import { MAX_TIMER_MS, portProblem } from '../shared/limits.js';
import { codeProblem, newSessionCode } from '../shared/session/code.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** p2mpserver: a file arrived, but its sender sent no end marker, so nothing says it is whole. */
export const EXIT_UNVERIFIED = 3;

export type Options = NonNullable<ParseArgsConfig['options']>;

// A negative number given as an argument ("-0.1", "-5") is a value, not an option: parseArgs would report
// "Unknown option '-0'". It is hidden from parseArgs behind this prefix and restored afterwards.
const NEGATIVE = '\u0000';
const looksNegative = (arg: string): boolean => /^-(\d|\.\d)/.test(arg);
const restore = (text: string): string => (text.startsWith(NEGATIVE) ? text.slice(1) : text);

export function parse<T extends Options>(argv: string[], options: T) {
  try {
    const parsed = parseArgs({
      args: argv.map((arg) => (looksNegative(arg) ? NEGATIVE + arg : arg)),
      options,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    // A value given twice ("--window 8 ... --window 9"): parseArgs keeps the last, silently; which one was meant?
    const seen = new Set<string>();
    for (const token of parsed.tokens)
      if (
        token.kind === 'option' &&
        options[token.name]?.type === 'string' &&
        !options[token.name]?.multiple
      ) {
        if (seen.has(token.name)) throw new InputError(`--${token.name} is given twice; give it once`);
        seen.add(token.name);
      }
    const values = Object.fromEntries(
      Object.entries(parsed.values).map(([key, value]) => [
        key,
        typeof value === 'string' ? restore(value) : value,
      ]),
    ) as typeof parsed.values;
    return { values, positionals: parsed.positionals.map(restore) };
  } catch (error) {
    if (error instanceof InputError) throw error;
    // "--code --quiet": parseArgs calls the option's value "ambiguous"; what is wrong is that it has none.
    const ambiguous = /Option '(--[\w-]+)' argument is ambiguous/.exec((error as Error).message);
    if (ambiguous)
      throw new InputError(
        `${ambiguous[1]} needs a value; for one starting with "-" write ${ambiguous[1]}=VALUE`,
      );
    // One line: parseArgs may add hints about '--' or further lines of explanation.
    const first = (error as Error).message.split('\n')[0]!.split('. To specify')[0]!;
    // In lower case, as every other message of ours ("unknown option '--bogus'"), not Node's "Unknown option".
    const said = first.replace(/\.$/, '');
    throw new InputError(`${said.charAt(0).toLowerCase()}${said.slice(1)}; see --help`);
  }
}

// Plain decimal only: Number() would also take "0x1f", "0b1", "Infinity" and "" (as 0).
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A number option: `what` names it in the error; `min` and `max` (when given) bound it. Errors quote the text as
 * typed ("99999999999999999999", not "100000000000000000000").
 */
export function number(
  text: string | undefined,
  what: string,
  fallback: number,
  min?: number,
  max?: number,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!DECIMAL.test(text.trim()) || !Number.isFinite(value))
    throw new InputError(`${what} must be a decimal number, got "${text}"`);
  // "1e-400" reads as 0: a value that small was surely not meant.
  if (value === 0 && /[1-9]/.test(text.split(/e/i)[0]!))
    throw new InputError(`${what} is too small to represent, got "${text}"`);
  if (min !== undefined && max !== undefined && (value < min || value > max))
    throw new InputError(`${what} must be between ${min} and ${max}, got ${text}`);
  if (min !== undefined && value < min) throw new InputError(`${what} must be >= ${min}, got ${text}`);
  return value;
}

/**
 * Whether two positional arguments were given the other way round: a number where a file name goes and a word where
 * a number goes (`p2mpserver 7735 0.05 out.bin`). A file really named "0.05" is still taken: the number after it is one.
 */
export const swapped = (fileText: string, numberText: string): boolean =>
  DECIMAL.test(fileText.trim()) && !DECIMAL.test(numberText.trim());

/** A whole number of any sign and size, for a caller whose own check names the whole range. */
export function wholeNumber(text: string, what: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new InputError(`${what} must be a whole number, got "${text}"`);
  return Number(text);
}

/** A port: a whole number from 1 (from 0 where the system may pick one) to 65535, said alike by every command. */
export function portNumber(text: string, what: string, allowZero = false): number {
  const value = wholeNumber(text, what);
  const problem = portProblem(value, allowZero);
  if (problem) throw new InputError(`${what}${problem.slice('port'.length)}`);
  return value;
}

export function integer(text: string, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = wholeNumber(text, what);
  const negative = value < 0 || Object.is(value, -0);
  if (!negative && !Number.isSafeInteger(value))
    throw new InputError(`${what} must be from ${min} to ${max}, got ${text}`);
  if (negative || value < min) throw new InputError(`${what} must be >= ${min}, got ${text}`);
  if (value > max) throw new InputError(`${what} must be from ${min} to ${max}, got ${text}`);
  return value;
}

/**
 * A duration option in seconds, as ms: `minMs` or more (0 means "never" where the option allows it), at least
 * 1 ms when not 0, and no longer than a timer can wait (about 24.8 days).
 */
export function seconds(text: string | undefined, what: string, fallbackMs: number, minMs = 0): number {
  const ms = number(text, what, fallbackMs / 1000) * 1000;
  if (ms < Math.max(minMs, 0))
    throw new InputError(
      `${what} must be ${minMs > 0 ? `at least ${minMs / 1000} s` : '0 or more'}, got ${text}`,
    );
  if (ms > 0 && ms < 1) throw new InputError(`${what} must be 0 or at least 0.001 s, got ${text}`);
  if (ms > MAX_TIMER_MS)
    throw new InputError(`${what} must be at most ${Math.floor(MAX_TIMER_MS / 1000)} s, got ${text}`);
  return ms;
}

/** A loss-simulation seed: a 32-bit unsigned integer, as the generator uses. */
export const seed = (text: string, what = 'seed'): number => integer(text, what, 0, 0xffffffff);

/** A size in bytes: "1000000", "500K", "2.5G" (format.ts parseByteSize); bad input is one clear line. */
export function byteSize(text: string, what: string): number {
  const bytes = parseByteSize(text, what);
  if (typeof bytes !== 'number') throw new InputError(bytes.problem);
  return bytes;
}

/** A local address option: never empty (an empty --bind would silently mean "any"). */
export function address(text: string, what: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new InputError(`${what} must be an address, got an empty value`);
  // "host:port" (one colon: not IPv6): the port is given elsewhere, and the lookup would fail as "no such host".
  const hostPort = /^([^:]+):(\d*)$/.exec(trimmed);
  if (hostPort) throw new InputError(`${what} takes an address, not host:port: give ${what} ${hostPort[1]}`);
  return trimmed;
}

/**
 * The session code: --code, else P2MP_CODE (which keeps it out of the process list on a shared machine; empty
 * counts as unset). A problem says where the code came from. `allowNew`: "new", in any case, makes one.
 */
export function sessionCode(flag: string | undefined, allowNew: boolean): string | undefined {
  const env = process.env['P2MP_CODE'];
  const given = flag ?? (env === '' ? undefined : env);
  if (given === undefined) return undefined;
  if (allowNew && given.toLowerCase() === 'new') return newSessionCode();
  const problem = codeProblem(given);
  if (problem)
    throw new InputError(flag === undefined ? `P2MP_CODE in the environment: ${problem}` : problem);
  return given;
}

/** The line a CLI prints for an error, and its exit code: bad input 2, a transfer that failed 1, anything else 1. */
export function failureOf(name: string, error: unknown, debug = false): { line: string; code: number } {
  if (error instanceof InputError) return { line: `${name}: ${error.message}`, code: EXIT_USAGE };
  if (error instanceof TransferError) return { line: `${name}: ${error.message}`, code: EXIT_FAILED };
  const detail = debug ? (error as Error).stack : (error as Error).message;
  return { line: `${name}: unexpected error: ${detail}`, code: EXIT_FAILED };
}

/** Runs a CLI's main and turns every failure into one line and an exit code; stack traces only with P2MP_DEBUG. */
export function runCli(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const failure = failureOf(name, error, Boolean(process.env.P2MP_DEBUG));
      process.stderr.write(`${failure.line}\n`);
      process.exitCode = failure.code;
    },
  );
}
