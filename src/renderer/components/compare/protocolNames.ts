// How the Compare view names a protocol (unknown ids, from a newer main, are shown as they are).
import { PROTOCOL_NAMES } from '../../../shared/limits';

const NAMES: Record<string, string> = PROTOCOL_NAMES;

export function protocolName(protocol: string, window: number | null): string {
  const name = NAMES[protocol] ?? protocol;
  return window === null ? name : `${name}, W = ${window}`;
}
