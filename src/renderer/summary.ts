// The final summary of a send as plain text: what "Copy" puts on the clipboard and "Save" writes to a file.
import type { SendResult } from '../shared/events';
import { courseModeLine } from '../shared/offer/courseMode';
import { counted, formatBytes, formatMs, formatRate, formatSeconds, textTable } from './format';

/**
 * The summary in its parts: lines about the transfer, the receivers' table, a line per failure, a line per
 * receiver that kept the file under another name than the offered one, and one naming the receivers that took it
 * in course mode (their "done" is unverified: nothing checked their copy), as p2mpclient says it.
 */
export interface SummaryParts {
  head: string[];
  table: string;
  failures: string[];
  kept: string[];
  unverified: string[];
}

export function summaryParts(result: SendResult, fileName: string | null): SummaryParts {
  // Failed for some is not failed for all: say how many got the file.
  const got = result.receivers.filter((r) => r.state === 'done').length;
  const course = courseModeLine(result, 'receiver');
  const outcome = result.cancelled
    ? 'cancelled'
    : result.ok
      ? 'complete'
      : got > 0
        ? `incomplete: ${got} of ${result.receivers.length} receivers got the file`
        : 'failed: no receiver got the file';
  const perReceiver = result.receivers.reduce((sum, r) => sum + r.timeouts, 0);
  // The data's time; an offer phase long enough to notice (a receiver deciding, one silent) is said apart.
  const offerMs = result.offerMs ?? 0;
  const offer = offerMs >= 1000 ? `; the offer before the data took ${formatSeconds(offerMs)}` : '';
  // Aligned with spaces (a tab stop cannot know how long a name is), failures each on a line of their own.
  const table = textTable([
    ['Receiver', 'State', 'ACKs', 'Timeouts', 'Retransmissions', 'RTT mean (ms)', 'Time (s)'],
    ...result.receivers.map((r) => [
      r.receiver.label,
      r.state,
      String(r.acks),
      String(r.timeouts),
      String(r.retransmissions),
      r.rtt ? formatMs(r.rtt.mean) : '-',
      (r.timeMs / 1000).toFixed(2),
    ]),
  ]);
  return {
    head: [
      `P2MP-FTP transfer ${outcome}`,
      ...(fileName ? [`File: ${fileName}`] : []),
      `Size: ${formatBytes(result.fileSize)} in ${counted(result.chunks, 'chunk')} of MSS ${result.mss}`,
      // A rate only for a file that arrived somewhere: nothing delivered in no time is no speed.
      `Time: ${(result.durationMs / 1000).toFixed(2)} s${got > 0 ? `, ${formatRate(result.fileSize, result.durationMs)}` : ''}${offer}`,
      // "Rounds" are the timeline's transmission rounds; timer expiries get their own name. One expiry can find
      // several receivers owing an ACK: the timeline and the log count those, so the sum is said when it differs.
      `Timeout: ${result.timeoutMs} ms, expired ${result.timeoutRounds} ${result.timeoutRounds === 1 ? 'time' : 'times'}` +
        // Stop-and-wait only: there one expiry is one round for every receiver owing the ACK (other protocols
        // time each receiver, or each segment, on its own).
        ((result.protocol ?? 'saw') === 'saw' && perReceiver > result.timeoutRounds
          ? ` (${counted(perReceiver, 'timeout')} across the receivers: one expiry can find several owing an ACK)`
          : ''),
    ],
    table,
    failures: result.receivers.flatMap((r) =>
      r.failure ? [`${r.receiver.label} failed: ${r.failure}`] : [],
    ),
    kept: result.receivers.flatMap((r) =>
      r.keptAs !== undefined && r.state === 'done'
        ? [`${r.receiver.label} kept it as ${JSON.stringify(r.keptAs)}`]
        : [],
    ),
    unverified: course === null ? [] : [course],
  };
}

/** The parts as plain text: what "Copy" puts on the clipboard and "Save" writes to a file. */
export const summaryText = ({ head, table, failures, kept, unverified }: SummaryParts): string =>
  `${[...head, '', table, ...failures, ...kept, ...unverified].join('\n')}\n`;
