// Text the CLIs print: the per-server summary table, the receiver's counters, the progress bar.
import type { LocalAddress } from '../shared/contract.js';
import { basename } from 'node:path';
import {
  unverifiedNote,
  type CompletedFile,
  type ReceiverCounters,
  type SendResult,
} from '../shared/events.js';
import { courseModeLine } from '../shared/offer/courseMode.js';
import { endpointText } from '../shared/reachableAt.js';
import { counted, formatBytes, formatMs, formatSeconds, textTable, timeAndRate } from '../shared/format.js';
import { ANSWERS_FROM } from '../shared/engine/sending.js';

/**
 * What the timeouts cost. Stop-and-wait with the fixed RTO: the course's rounds of T each (wall time is about
 * rounds x T beyond the data). Otherwise they are no such rounds: the RTO is learned, or each receiver has its own
 * timer and they run side by side (Go-Back-N's Timeouts column adds up to the expiries; Selective Repeat's counts
 * the segments timed out, several at one expiry when their deadlines met).
 */
export function timeoutsText(result: SendResult): string {
  const n = result.timeoutRounds;
  const t = formatSeconds(result.timeoutMs);
  const adaptive = result.rto === 'adaptive';
  const rounds = counted(n, 'timeout round');
  if ((result.protocol ?? 'saw') === 'saw')
    return adaptive ? `${rounds}, adaptive RTO from ${t}` : `${rounds} of ${t}`;
  const segments = result.receivers.reduce((sum, r) => sum + r.timeouts, 0);
  const timedOut = result.protocol === 'sr' && segments > n ? ` timing out ${segments} segments` : '';
  return (
    `${n} timer expir${n === 1 ? 'y' : 'ies'} across the receivers${timedOut} ` +
    `(${adaptive ? `adaptive RTO from ${t}` : `T = ${t}`}, a timer per receiver)`
  );
}

export function summaryTable(result: SendResult): string {
  const header = [
    'Server',
    'State',
    // Chunks acknowledged (a cumulative ACK or a SACK covers several): the end marker's ACK is not a chunk, so a
    // receiver that has the file reads "200" beside "200 chunks", not 201.
    'ACKed',
    'Timeouts',
    'Retrans',
    'Keepalive',
    'RTT min/mean/max ms',
    'Bytes',
    'Time',
  ];
  const rows = result.receivers.map((r) => [
    r.receiver.label,
    r.state,
    String(Math.min(r.acks, result.chunks)),
    String(r.timeouts),
    String(r.retransmissions),
    String(r.keepalives),
    r.rtt ? `${formatMs(r.rtt.min)}/${formatMs(r.rtt.mean)}/${formatMs(r.rtt.max)}` : '-',
    String(r.bytes),
    formatSeconds(r.timeMs),
  ]);
  const failures = result.receivers
    .filter((r) => r.failure !== undefined)
    .map((r) => `${r.receiver.label} failed: ${r.failure}`);
  const n = result.receivers.length;
  const delivered = result.receivers.filter((r) => r.state === 'done').length;
  const rounds = timeoutsText(result);
  const file = `${counted(result.fileSize, 'byte')} (${formatBytes(result.fileSize)}) in ${counted(result.chunks, 'chunk')} of MSS ${result.mss}`;
  // Only what really arrived is claimed: no size or throughput for receivers that do not have the file.
  // Receivers that answered the offer and refused (declined, wrong code) did answer.
  const refused = result.receivers.every(
    (r) => r.mode === 'verified' && r.failure !== undefined && r.acks === 0 && r.timeouts === 0,
  );
  // Accepted and then acknowledged nothing (data was sent to them: a timeout), or answered the data in a way this
  // sender cannot read (another dialect): they answered.
  const accepted = result.receivers.some(
    (r) => (r.mode === 'verified' && r.timeouts > 0) || r.unread !== undefined,
  );
  const none = refused
    ? 'No receiver took the file'
    : accepted
      ? 'No receiver acknowledged any data'
      : 'No receiver answered';
  // The times are the data's; an offer phase long enough to notice (a receiver busy or deciding, course
  // receivers that never answer it) is said apart, and counts in full when no data went out.
  const offerMs = result.offerMs ?? 0;
  const offer = offerMs >= 1000 ? `; the offer before the data took ${formatSeconds(offerMs)}` : '';
  // With no data ACKed the offer counts in the time too: said apart wherever the table's (the data's) differs.
  const spent = formatSeconds(offerMs + result.durationMs);
  const parts =
    !refused && spent !== formatSeconds(result.durationMs)
      ? `, the offer's ${formatSeconds(offerMs)} and the data's ${formatSeconds(result.durationMs)}`
      : '';
  const total = !result.receivers.some((r) => r.acks > 0)
    ? `${none}: 0 bytes delivered to ${counted(n, 'receiver')} in ${spent}${parts}` +
      // Silence is most often a server that is not there, or one that speaks the other wire profile, or (to a
      // sender without the code) one started with a session code: it drops every datagram unsealed, unanswered.
      (none === 'No receiver answered' && !result.receivers.some((r) => r.failure?.startsWith(ANSWERS_FROM))
        ? ' (is p2mpserver running there, on that port, with the same --profile and --dialect?' +
          (result.counters?.forged === undefined
            ? ' Or was it started with --code: then send with the same --code)'
            : ')')
        : '')
    : delivered === n
      ? `Total: ${file} to ${counted(n, 'receiver')} ${timeAndRate(result.fileSize, result.durationMs)}; ` +
        `${rounds}${offer}`
      : // The file's size said apart: it is not what arrived (a cancelled transfer delivered it to no one).
        `Delivered to ${delivered} of ${counted(n, 'receiver')} (the file: ${file}) ` +
        `${result.cancelled ? 'when cancelled after' : 'in'} ${formatSeconds(result.durationMs)}; ${rounds}${offer}`;
  const sealed =
    result.counters?.forged !== undefined
      ? [
          `Session code: every datagram sealed; ${rejectedBySession(result.counters.forged, result.counters.replayed ?? 0)}`,
        ]
      : [];
  // Selective Repeat: who got Go-Back-N instead, and why.
  const fallbacks = result.receivers
    .filter((r) => r.fallback !== undefined && r.failure === undefined)
    .map((r) => `${r.receiver.label}: ${r.fallback}`);
  // Multicast: who got each new segment from the group, who joined it but got nothing and was sent by unicast.
  const grouped = result.receivers
    .filter((r) => r.multicast === 'group' && r.failure === undefined)
    .map((r) => r.receiver.label);
  const multicast =
    grouped.length > 0 ? [`Multicast (each new segment sent once, to the group): ${grouped.join(', ')}`] : [];
  const unicast = result.receivers
    .filter((r) => r.multicast === 'unicast')
    .map(
      (r) =>
        `${r.receiver.label}: too little from the multicast group reached it (blocked on the way, or too busy to keep up), unicast instead`,
    );
  return [
    textTable([header, ...rows]),
    ...failures,
    ...fallbacks,
    ...multicast,
    ...unicast,
    total,
    ...verification(result),
    ...sealed,
  ].join('\n');
}

/**
 * Which copies were checked end to end: receivers that accepted the offer kept the file only once its SHA-256
 * matched; course receivers (no answer to the offer, or no offer made: --no-offer, --dialect) have it unverified.
 */
function verification(result: SendResult): string[] {
  const course = courseModeLine(result, 'server');
  const done = result.receivers.filter((r) => r.state === 'done');
  if (!result.receivers.some((r) => (r.offers ?? 0) > 0)) return course === null ? [] : [course];
  const verified = done.filter((r) => r.mode === 'verified').map((r) => r.receiver.label);
  // Under another name than the offered one (taken there, or made safe): which, grouped by name.
  const keptAs = new Map<string, string[]>();
  for (const r of done)
    if (r.keptAs !== undefined) keptAs.set(r.keptAs, [...(keptAs.get(r.keptAs) ?? []), r.receiver.label]);
  // The check guards against accidents; without a code its answer, like every ACK, could come from anyone.
  const sealed = result.counters?.forged !== undefined;
  return [
    ...(verified.length ? [`Verified end to end (SHA-256): ${verified.join(', ')}`] : []),
    ...[...keptAs].map(([name, labels]) => `Kept as ${JSON.stringify(name)}: ${labels.join(', ')}`),
    ...(verified.length && !sealed
      ? [
          'Not authenticated: without a session code, anyone on the network could forge these answers (--code)',
        ]
      : []),
    ...(course === null ? [] : [course]),
  ];
}

/**
 * Where senders reach a receiver bound to every address (reachableAt): the line p2mpserver prints under its
 * "Listening on 0.0.0.0:7735", which names no address a class could type. Null where there is none to give.
 */
export function reachLine(shown: readonly LocalAddress[], port: number): string | null {
  if (shown.length === 0) return null;
  const list = shown.map((a) => endpointText(a, port)).join(', ');
  return shown.every((a) => a.internal)
    ? `Senders on this machine reach it at ${list} (no network address found)`
    : `Senders reach this machine at ${list}`;
}

/** What p2mpserver says of a file it kept: its size, time and rate, sender, and SHA-256. */
export function receivedLines(file: CompletedFile): string {
  return (
    `Received ${basename(file.path)}: ${counted(file.bytes, 'byte')} (${formatBytes(file.bytes)}) ` +
    `${timeAndRate(file.bytes, file.durationMs)}, from ${file.from}${file.verified ? '' : ` (${unverifiedNote(file)})`}\n` +
    `SHA-256 ${file.sha256}${file.offeredName !== undefined ? ' (verified: it matches the offer)' : ''}`
  );
}

/**
 * The receiver's final counters. Bytes written count every transfer's, also those not kept (a stray's segments, a
 * transfer that failed): said apart from the files kept, so that no one reads the count for a file's size.
 */
export function describeCounters(c: ReceiverCounters, kept: readonly CompletedFile[]): string {
  const notKept = c.bytesWritten - kept.reduce((sum, f) => sum + f.bytes, 0);
  return (
    `Packets: ${c.received} received, ${c.dropped} dropped by p, ${c.corrupt} bad checksum, ` +
    `${c.malformed} malformed, ${c.duplicates} duplicate, ${c.outOfOrder} out of order, ${c.foreign} foreign; ` +
    `${counted(c.acksSent, 'ACK')} sent, ${counted(c.bytesWritten, 'byte')} written in all` +
    (notKept > 0 ? ` (${notKept} of them to transfers not kept)` : '') +
    (c.offers > 0 ? `; ${counted(c.offers, 'offer')} answered` : '') +
    (c.forged !== undefined
      ? `; session code: ${rejectedBySession(c.forged, c.replayed ?? 0)}, ` +
        // A sender with another code, or none: said apart when there was one (not an attack).
        (c.wrongCode ? `${counted(c.wrongCode, 'datagram')} under another code (or forged), ` : '') +
        (c.unsealed ? `${counted(c.unsealed, 'datagram')} without the code, ` : '') +
        `${counted(c.unproven ?? 0, 'datagram')} dropped before ${c.unproven === 1 ? 'its' : 'their'} sender ` +
        'answered a challenge'
      : '')
  );
}

/** What the session code kept out (counted apart: those datagrams never reached the protocol). */
function rejectedBySession(forged: number, replayed: number): string {
  // The noun goes with the count nearest it: "1 forged and 0 replayed datagrams", "0 forged and 1 replayed datagram".
  return `${forged} forged and ${counted(replayed, 'replayed datagram')} dropped`;
}

export function progressBar(done: number, total: number, elapsedMs: number, width = 30): string {
  const fraction = total === 0 ? 1 : done / total;
  const filled = Math.round(fraction * width);
  const eta =
    fraction > 0 && fraction < 1 ? ` ETA ${formatSeconds((elapsedMs / fraction) * (1 - fraction))}` : '';
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(1)}% ${done}/${total} chunks${eta}`;
}
