/**
 * A problem with what the user asked for (bad port, missing file, unknown host, ...). The CLI prints its message
 * as one line and exits 2; the app shows it next to the field. Anything else is a bug or an I/O failure.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/**
 * A transfer that failed after it had started, for a reason in words (its file shrank while it was sent): not bad
 * input, for data went out; one line and the failure's exit code, never "unexpected".
 */
export class TransferError extends Error {
  override name = 'TransferError';
}

/** Why a file could not be read, in words ("no such file", not ENOENT). */
export function whyNotRead(error: unknown): string {
  const code = (error as { code?: string }).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
  return why ?? (error as Error).message;
}

/** A file that could not be read, in words. */
export function readProblem(file: string, error: unknown): InputError {
  return new InputError(`cannot read file "${file}": ${whyNotRead(error)}`);
}
