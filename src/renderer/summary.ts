// The final summary of a send as plain text: what "Copy" puts on the clipboard and "Save" writes to a file.
import type { SendResult } from '../shared/events';
import { counted, formatBytes, formatMs, formatRate } from './format';

export function formatSummary(result: SendResult, fileName: string | null): string {
  // Failed for some is not failed for all: say how many got the file.
  const got = result.receivers.filter((r) => r.state === 'done').length;
  const outcome = result.cancelled
    ? 'cancelled'
    : result.ok
      ? 'complete'
      : got > 0
        ? `incomplete: ${got} of ${result.receivers.length} receivers got the file`
        : 'failed: no receiver got the file';
  const lines = [
    `P2MP-FTP transfer ${outcome}`,
    ...(fileName ? [`File: ${fileName}`] : []),
    `Size: ${formatBytes(result.fileSize)} in ${counted(result.chunks, 'chunk')} of MSS ${result.mss}`,
    `Time: ${(result.durationMs / 1000).toFixed(2)} s, ${formatRate(result.fileSize, result.durationMs)}`,
    // "Rounds" are the timeline's transmission rounds; timer expiries get their own name.
    `Timeout: ${result.timeoutMs} ms, expired ${result.timeoutRounds} ${result.timeoutRounds === 1 ? 'time' : 'times'}`,
    '',
    'Receiver\tState\tACKs\tTimeouts\tRetransmissions\tRTT mean (ms)\tTime (s)',
  ];
  for (const r of result.receivers) {
    const state = r.failure ? `${r.state} (${r.failure})` : r.state;
    const rtt = r.rtt ? formatMs(r.rtt.mean) : '-';
    lines.push(
      [
        r.receiver.label,
        state,
        r.acks,
        r.timeouts,
        r.retransmissions,
        rtt,
        (r.timeMs / 1000).toFixed(2),
      ].join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}
