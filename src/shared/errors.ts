/**
 * A problem with what the user asked for (bad port, missing file, unknown host, ...). The CLI prints its message
 * as one line and exits 2; the app shows it next to the field. Anything else is a bug or an I/O failure.
 */
export class InputError extends Error {
  override name = 'InputError';
}
