// What p2mpcheck judges a receiver on: each rule with the course text it refers to, a verdict per rule, and the
// human-readable report. Pure, so the app can show the same report.
import { formatDialect, type Dialect as ProtocolDialect, type EndOfFile } from '../protocol/dialect.js';
import { counted } from '../format.js';

/**
 * The dialect found (check/dialect.ts's Dialect), spelled out here so that the app's page can read reports
 * without the codecs behind check/dialect.ts. p2mpcheck client judges a sender the same way (below).
 */
type Dialect = ProtocolDialect & {
  format: 'binary' | 'seed-text';
  eofUnknown?: true;
  coverageUnknown?: true;
};

export const RULE_IDS = [
  'in-order',
  'source-port',
  'duplicate',
  'out-of-order',
  'bad-checksum',
  'malformed',
  'coverage',
  'base',
  'unit',
  'ack-meaning',
  'middle-field',
  'byte-order',
  'end-of-file',
  'loss',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** pass; differs: a convention the course leaves open or other implementations chose; fails: a course rule broken. */
export type Status = 'pass' | 'differs' | 'fails' | 'untested';

export const RULES: Record<RuleId, { title: string; course: string }> = {
  'in-order': {
    title: 'in-order data ACKed',
    course: 'in-sequence packet: write it and send an ACK with "the 32-bit sequence number being ACKed"',
  },
  'source-port': {
    title: 'ACK to the source port of its segment',
    course:
      'the reference client sends each segment from a new socket (a new source port): an ACK must go to the port its segment came from',
  },
  duplicate: {
    title: 'duplicate re-ACKed and written once',
    course: 'a duplicate is out of sequence: "an ACK for the last received in-sequence packet is sent"',
  },
  'out-of-order': {
    title: 'out-of-order segment discarded',
    course: 'out-of-sequence: "an ACK for the last received in-sequence packet is sent"',
  },
  'bad-checksum': {
    title: 'bad checksum ignored',
    course: 'checksum error: "the receiver does nothing"',
  },
  malformed: {
    title: 'malformed and oversized datagrams survived',
    course: 'a receiver on port 7735 must keep serving whatever datagram arrives',
  },
  coverage: {
    title: 'checksum coverage',
    course:
      '"a 16-bit checksum ... computed in the same way as the UDP checksum": over sequence number, type and data',
  },
  base: { title: 'sequence base', course: 'reference implementation: "Sequence numbers start at 1"' },
  unit: {
    title: 'sequence unit',
    course: 'a 32-bit sequence number per segment (the reference counts segments)',
  },
  'ack-meaning': {
    title: 'ACK meaning',
    course: 'ACK: "the 32-bit sequence number being ACKed" (the number received)',
  },
  'middle-field': { title: 'middle field of the ACK', course: 'ACK: "a 16-bit field that is all zeroes"' },
  'byte-order': {
    title: 'header format and byte order',
    course: 'binary header fields in network byte order (big-endian), as the UDP checksum reads them',
  },
  'end-of-file': {
    title: 'end of file',
    course: 'the course defines no end-of-file signal; ours is an empty data segment (docs/PROTOCOL.md)',
  },
  loss: {
    title: 'simulated loss p',
    course: '"If r <= p, then this received packet is discarded and no other action is taken"',
  },
};

export interface Verdict {
  id: RuleId;
  status: Status;
  detail: string;
}

export interface LossEstimate {
  probes: number;
  missing: number;
  p: number;
  /** 95% Wilson score interval. */
  low: number;
  high: number;
}

export interface CheckReport {
  target: string;
  dialect?: Dialect;
  verdicts: Verdict[];
  loss?: LossEstimate;
  /**
   * Data bytes the receiver ACKed in order before the end-of-file probes (or before it stopped answering): what
   * its file should hold.
   */
  ackedBytes?: number;
  /** An end-of-file signal ended the transfer (it stopped answering, or started a new one): its file is closed. */
  ended?: boolean;
  /** Its host said nothing listens on the port: nothing else was checked. */
  closed?: true;
  /**
   * It answered later than --timeout (timeoutMs): the longest delay measured from the probe it answered, and the
   * wait per reply the check used from then on (the --timeout that suits it). Absent: every answer came in time.
   */
  slow?: { answerMs: number; timeoutMs: number; waitMs: number };
}

/**
 * The report's line for a receiver slower than the wait for a reply: how slow, what the check did, and on the
 * command line the --timeout to use (the app's check has no such setting: it adapts, and says so).
 */
export const slowLine = (
  { answerMs, timeoutMs, waitMs }: NonNullable<CheckReport['slow']>,
  where: 'cli' | 'app' = 'cli',
): string =>
  `Slow: it answers up to ${answerMs} ms after a probe, later than ` +
  (where === 'cli'
    ? `--timeout ${timeoutMs / 1000} s`
    : `the check's ${timeoutMs / 1000} s wait for a reply`) +
  `; late ACKs were matched to their own probes and the check waited ${waitMs / 1000} s from then on` +
  (where === 'cli' ? ` (use --timeout ${waitMs / 1000})` : '');

/** What a closed port says of the receiver. */
export const NOTHING_LISTENING =
  'nothing is listening there (its host answered that the port is closed): is the receiver running, on that port?';

/** p from `missing` of `probes`, with a 95% Wilson interval (sound at 0 and at every probe missing). */
export function estimateLoss(missing: number, probes: number): LossEstimate {
  const z = 1.96;
  const p = missing / probes;
  const centre = (p + (z * z) / (2 * probes)) / (1 + (z * z) / probes);
  const half =
    (z / (1 + (z * z) / probes)) * Math.sqrt((p * (1 - p)) / probes + (z * z) / (4 * probes * probes));
  return { probes, missing, p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * How likely chance alone leaves at least `missed` of `sent` sends of one kind unanswered, when the sends of
 * another kind went unanswered `otherMissed` of `otherSent` times and each send, whatever its kind, is dropped
 * with the same probability (Fisher's exact test, one-sided): a small value says the kinds are not dropped alike.
 */
export function chanceOfMissing(
  missed: number,
  sent: number,
  otherMissed: number,
  otherSent: number,
): number {
  const total = sent + otherSent;
  const misses = missed + otherMissed;
  const lnFactorial = [0];
  for (let i = 1; i <= total; i++) lnFactorial.push(lnFactorial[i - 1]! + Math.log(i));
  const f = (n: number): number => lnFactorial[n]!;
  // The probability that exactly x of the misses fall on the first kind, all arrangements alike.
  const ln = (x: number): number =>
    f(misses) +
    f(total - misses) +
    f(sent) +
    f(otherSent) -
    f(total) -
    f(x) -
    f(misses - x) -
    f(sent - x) -
    f(otherSent - misses + x);
  let chance = 0;
  for (let x = missed; x <= Math.min(sent, misses); x++) chance += Math.exp(ln(x));
  return Math.min(1, chance);
}

/**
 * What the receiver's file showed as the check went: whether the duplicate, and the segment sent ahead of time,
 * were appended to it (undefined: not told, as when it buffers its writes). The checker has judged those already.
 */
export interface FileSeen {
  duplicate?: boolean;
  outOfOrder?: boolean;
}

/**
 * "Written once", judged from the receiver's file (`content`: why it was not read, when it was not) against the
 * payloads it ACKed in order (`sent`, one per segment): the same bytes, no more; and, once the receiver has ended
 * (closed its file), no fewer. Before that, a shorter file may still sit in the receiver's buffers.
 */
export function judgeWritten(
  report: CheckReport,
  path: string,
  content: Uint8Array | string,
  sent: readonly Uint8Array[],
  seen: FileSeen = {},
): CheckReport {
  const acked = report.ackedBytes;
  const expected = new Uint8Array(sent.reduce((n, segment) => n + segment.length, 0));
  sent.reduce((at, segment) => (expected.set(segment, at), at + segment.length), 0);
  const corruptAcked = report.verdicts.some((v) => v.id === 'bad-checksum' && v.status === 'fails');
  const verdicts = report.verdicts.map((v): Verdict => {
    if (v.id !== 'duplicate' || acked === undefined || v.status === 'untested' || seen.duplicate) return v;
    const base = v.detail.split('; ')[0]!;
    const judged = (status: Status, what: string): Verdict => ({ ...v, status, detail: `${base}; ${what}` });
    if (typeof content === 'string') return judged(v.status, `${path} ${content}: written once not observed`);
    const size = content.length;
    let differs = 0;
    while (differs < Math.min(size, acked) && content[differs] === expected[differs]) differs++;
    // Where the file stops being what was sent: a copy of a segment sent (written again), or something else.
    const copyAt = (at: number): boolean =>
      sent.some((segment) => at + segment.length <= size && segment.every((b, i) => content[at + i] === b));
    const twice = `written more than once: ${path} holds ${size} bytes, ${acked} were ACKed in order`;
    // It wrote the segment sent ahead of time (that rule failed): its file is off from there on, whatever it did
    // with a duplicate.
    if ((differs < Math.min(size, acked) || size > acked) && seen.outOfOrder)
      return judged(
        v.status,
        seen.duplicate === false
          ? `written once: the duplicate left ${path} as it was (the file holds data it should not have written: ` +
              'see "out-of-order segment discarded")'
          : `${path} holds data it should not have written (see "out-of-order segment discarded"), so whether it ` +
              'writes each segment once cannot be told',
      );
    if (differs < Math.min(size, acked)) {
      if (size > acked && copyAt(differs)) return judged('fails', twice);
      // A receiver that ACKed corrupted data wrote it too: that rule's failure, not this one's.
      if (corruptAcked)
        return judged(
          v.status,
          `${path} differs from the data sent from byte ${differs} on: it wrote the corrupted segment it ACKed ` +
            '(see "bad checksum ignored"), so whether it writes each segment once cannot be told',
        );
      return judged(
        'fails',
        `${path} differs from the data sent from byte ${differs} on (it holds ${size} bytes, ${acked} were ` +
          'ACKed in order): it writes something other than the payloads, a header or another segment?',
      );
    }
    if (size > acked)
      return judged(
        'fails',
        copyAt(acked)
          ? twice
          : `${path} holds ${size - acked} bytes more than the ${acked} ACKed in order: it wrote data it should ` +
              'have discarded (a segment out of order?)',
      );
    if (size === acked)
      return judged(v.status, `written once: ${path} holds the ${acked} bytes ACKed in order`);
    return report.ended
      ? judged(
          'fails',
          `${path} holds only ${size} of the ${acked} bytes ACKed in order, and the receiver has ended: it ACKs ` +
            'data it does not write',
        )
      : judged(
          v.status,
          `${path} holds only ${size} of the ${acked} bytes ACKed in order (not flushed yet?)`,
        );
  });
  return { ...report, verdicts };
}

export const passes = (report: { verdicts: readonly { status: Status }[] }): boolean =>
  report.verdicts.every((v) => v.status !== 'fails');

export function describeDialect(d: Dialect): string {
  return (
    `${d.format === 'seed-text' ? 'seed-text (ASCII bits)' : `${d.order}-endian`} header, sequence numbers from ${d.base} counting ${d.unit}s, ` +
    `ACK = ${d.ack === 'received' ? 'number received' : 'next number expected'}, ` +
    `checksum ${d.coverageUnknown ? 'coverage not tested' : `over ${d.coverage === 'payload' ? 'the payload only' : 'sequence number, type and payload'}`}, ` +
    `end of file: ${d.eofUnknown ? 'not tested' : EOF_NAMES[d.eof]}`
  );
}

const EOF_NAMES: Record<EndOfFile, string> = {
  empty: 'an empty data segment',
  none: 'none seen',
  type0: 'a header of type 0x0000',
  fin: 'a FIN of all ones',
};

/** The options that make our p2mpclient (or p2mpserver) speak a dialect found (an end of file not tested: the course's). */
export const dialectOption = (d: Dialect): string =>
  `${d.format === 'seed-text' ? '--profile seed-text ' : ''}--dialect ${formatDialect(d.eofUnknown ? { ...d, eof: 'empty' } : d)}`;

export function renderReport(report: CheckReport): string {
  const lines = [
    `p2mpcheck: receiver at ${report.target}`,
    `Dialect: ${report.dialect ? describeDialect(report.dialect) : 'not found'}`,
    ...(report.slow ? [slowLine(report.slow)] : []),
    '',
    ...verdictLines(RULE_IDS, report.verdicts),
  ];
  lines.push('', resultLine(report.verdicts));
  if (report.dialect) lines.push(`Talk to it with: ${dialectOption(report.dialect)}`);
  return lines.join('\n');
}

/**
 * The verdict lines of a report: status, title and detail, then the course text under them. When one rule failed
 * and every other went untested for one reason (it never got going), those others are one line.
 */
function verdictLines<Id extends RuleId | ClientRuleId>(
  ids: readonly Id[],
  verdicts: readonly { id: Id; status: Status; detail: string }[],
): string[] {
  const width = Math.max(...ids.map((id) => ruleOf(id).title.length));
  const rest = verdicts.filter((v) => v.status === 'untested');
  const together =
    rest.length > 1 && rest.length === verdicts.length - 1 && new Set(rest.map((v) => v.detail)).size === 1;
  const lines: string[] = [];
  for (const v of together ? verdicts.filter((v) => v.status !== 'untested') : verdicts) {
    const rule = ruleOf(v.id);
    lines.push(`${v.status.padEnd(8)} ${rule.title.padEnd(width)}  ${v.detail}`);
    lines.push(`${''.padEnd(8 + width + 3)}course: ${rule.course}`);
  }
  if (together)
    lines.push(
      `${'untested'.padEnd(8)} ${`the ${rest.length} other rules`.padEnd(width)}  ${rest[0]!.detail}`,
    );
  return lines;
}

/** `unreached`: receivers a sender sent nothing to, so its rules were judged on the others alone. */
export function resultLine(
  verdicts: readonly { id: RuleId | ClientRuleId; status: Status; detail: string }[],
  unreached: readonly string[] = [],
): string {
  const failing = verdicts.filter((v) => v.status === 'fails');
  // One failure and nothing else tested: it never got going (nothing listening, another protocol), which is what
  // to say, not that a rule of the student's code failed.
  if (failing.length === 1 && verdicts.every((v) => v.status === 'fails' || v.status === 'untested'))
    return `Result: no course rule could be checked: ${failing[0]!.detail}`;
  const failed = failing.map((v) => ruleOf(v.id).title);
  // A sender that skips a receiver (an off-by-one in its loop) looks like one given too few addresses: said here
  // too, so that "every rule passes" never stands alone over it.
  const only = unreached.length
    ? ` (judged on the receivers it sent to: ${unreached.join(', ')} received nothing)`
    : '';
  return failed.length === 0
    ? `Result: every course rule passes${only}`
    : `Result: ${counted(failed.length, 'course rule fails', 'course rules fail')}: ${failed.join('; ')}${only}`;
}

// ---- The sender (p2mpcheck client): p2mpcheck plays its receivers.

export const CLIENT_RULE_IDS = [
  'retransmits',
  'only-unacked',
  'waits-all',
  'garbage-acks',
  'segment-size',
  'file',
  'coverage',
  'base',
  'unit',
  'ack-meaning',
  'byte-order',
  'end-of-file',
] as const;
export type ClientRuleId = (typeof CLIENT_RULE_IDS)[number];
type SenderRuleId = Exclude<ClientRuleId, RuleId>;

export const SENDER_RULES: Record<SenderRuleId, { title: string; course: string }> = {
  retransmits: {
    title: 'retransmits on timeout',
    course: 'reference implementation: "The client uses a socket timeout value of 0.1" and then retransmits',
  },
  'only-unacked': {
    title: 'retransmits only to receivers without an ACK',
    course:
      'on timeout it "re-transmits the segment, but only to those receivers from which it has not received an ACK yet"',
  },
  'waits-all': {
    title: 'waits for every ACK before the next segment',
    course:
      'reference implementation: "Once acknowledgement from all the servers is received, the client transmit the next chunk"',
  },
  'garbage-acks': {
    title: 'survives garbage in place of ACKs',
    course: 'a sender matches an ACK by address, port and sequence number and keeps running whatever arrives',
  },
  'segment-size': {
    title: 'full segments but the last',
    course: '"all segments sent, except possibly for the very last one, will have exactly MSS bytes of data"',
  },
  file: {
    title: 'file arrived byte-identical',
    course: "every receiver ends with the sender's file F, byte for byte (the point of the protocol)",
  },
};

export function ruleOf(id: RuleId | ClientRuleId): { title: string; course: string } {
  return Object.hasOwn(RULES, id) ? RULES[id as RuleId] : SENDER_RULES[id as SenderRuleId];
}

export interface ClientVerdict {
  id: ClientRuleId;
  status: Status;
  detail: string;
}

/** The sender's retransmission timeout, from the time between a send and its retransmission. */
export interface TimeoutEstimate {
  samples: number;
  medianMs: number;
  lowMs: number;
  highMs: number;
}

/**
 * One datagram of the check, as evidence: from the sender to a receiver, or a receiver's answer; or 'none', what
 * p2mpcheck chose not to send ("ACK withheld").
 */
export interface Exchange {
  /** ms since the check started. */
  t: number;
  dir: 'to-receiver' | 'to-sender' | 'none';
  /** Index into the report's receivers. */
  receiver: number;
  seq?: number;
  /** What it was, or what p2mpcheck meant by it ("ACK withheld", "garbage: ..."). */
  what: string;
  /** How the sequence diagram draws it (a segment, a repeat, an ACK); nothing for the rest. */
  mark?: 'send' | 'resend' | 'ack';
}

export interface ClientReport {
  /** The addresses p2mpcheck's receivers listened on, and their port (0 where each has a port of its own). */
  receivers: string[];
  port: number;
  /** Address and first source port of the sender, once it was heard. */
  sender?: string;
  /** Not heard within the wait: nothing else was checked. */
  silent?: boolean;
  dialect?: Dialect;
  timeout?: TimeoutEstimate;
  /** Bytes each receiver holds in order at the end. */
  received?: number[];
  /** The receivers it sent nothing to (it was not given their addresses): left out of every rule. */
  unreached?: string[];
  verdicts: ClientVerdict[];
  evidence: Exchange[];
}

/**
 * The verdict on a peer's format and byte order, the same for a receiver and a sender: `little` says how a
 * little-endian header showed.
 */
export function formatVerdict(
  d: Pick<Dialect, 'format' | 'order'>,
  little: string,
): ['byte-order', Status, string] {
  if (d.format === 'seed-text')
    return [
      'byte-order',
      'differs',
      "seed-text: every bit an ASCII '0' or '1' (the reference implementation's format), not a binary header",
    ];
  return d.order === 'little'
    ? ['byte-order', 'differs', little]
    : ['byte-order', 'pass', 'binary, big-endian (network byte order)'];
}

/** What to tell of receivers a sender sent nothing to: its user left their addresses out. */
export const receivedNothing = (receivers: string): string =>
  `${receivers} received nothing: give the sender every address printed above`;

/** Our receiver's command line that talks to this sender. */
export const talkCommand = (dialect: Dialect, port: number): string =>
  `p2mpserver ${port || 7735} FILE P ${dialectOption(dialect)}`;

export function renderClientReport(report: ClientReport): string {
  const lines = [
    `p2mpcheck: sender${report.sender ? ` at ${report.sender}` : ''}, received on ${report.receivers.join(' ')}${report.port ? ` port ${report.port}` : ''}`,
    `Dialect: ${report.dialect ? describeDialect(report.dialect) : 'not found'}`,
    ...(report.unreached ? [receivedNothing(report.unreached.join(', '))] : []),
    '',
    ...verdictLines(CLIENT_RULE_IDS, report.verdicts),
    '',
    resultLine(report.verdicts, report.unreached),
  ];
  if (report.dialect) lines.push(`Talk to it with: ${talkCommand(report.dialect, report.port)}`);
  return lines.join('\n');
}
