// What every command-line tool shares: argument parsing into user-facing errors, and the exit-code contract:
// 0 success, 1 the transfer failed, 2 bad input (one line on stderr, nothing written).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../shared/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs messages are one clear sentence already; drop its hint about '--' for positionals.
    // One line: parseArgs may add hints about '--' or further lines of explanation.
    const first = (error as Error).message.split('\n')[0]!.split('. To specify')[0]!;
    throw new InputError(`${first.replace(/\.$/, '')}; see --help`);
  }
}

/** A number option: `what` names it in the error. */
export function number(text: string | undefined, what: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new InputError(`${what} must be a number, got "${text}"`);
  return value;
}

export function integer(text: string, what: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value))
    throw new InputError(`${what} must be a whole number, got "${text}"`);
  return value;
}

/** Runs a CLI's main and turns every failure into one line and an exit code; stack traces only with P2MP_DEBUG. */
export function runCli(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof InputError) {
        process.stderr.write(`${name}: ${error.message}\n`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      const detail = process.env.P2MP_DEBUG ? (error as Error).stack : (error as Error).message;
      process.stderr.write(`${name}: unexpected error: ${detail}\n`);
      process.exitCode = EXIT_FAILED;
    },
  );
}
