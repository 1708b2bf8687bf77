// How the Compare view names a protocol (unknown ids, from a newer main, are shown as they are).
const NAMES: Record<string, string> = {
  saw: 'Stop-and-wait',
  gbn: 'Go-Back-N',
  sr: 'Selective Repeat',
};

export function protocolName(protocol: string, window: number | null): string {
  const name = NAMES[protocol] ?? protocol;
  return window === null ? name : `${name}, W = ${window}`;
}
