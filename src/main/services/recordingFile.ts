// Reading a recording the user chose: bounded in size before it is read, checked line by line by
// decodeRecording, so a wrong or damaged file comes back as a clear error, not a hang or a crash.
import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../../shared/errors.js';
import {
  decodeRecording,
  MAX_RECORDED_EVENTS,
  RecordingError,
  type Recording,
} from '../../shared/live/recording.js';

/** About 60 bytes per event line, with room to spare. */
export const MAX_RECORDING_BYTES = MAX_RECORDED_EVENTS * 100;

export async function readRecording(path: string): Promise<Recording> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new InputError(`cannot read ${path}`);
  if (info.size > MAX_RECORDING_BYTES) throw new InputError(`${path} is too large to be a recording`);
  try {
    return decodeRecording(await readFile(path, 'utf8'));
  } catch (error) {
    if (error instanceof RecordingError) throw new InputError(`cannot open ${path}: ${error.message}`);
    throw error;
  }
}
