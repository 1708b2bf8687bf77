// p2mpcheck's probe plan for a receiver: find the dialect it speaks from its answers to a first segment, then
// probe each rule with crafted segments and judge what comes back. Pure over a Transport, so it runs against a
// UDP socket (src/cli/check.ts) or anything else. Bounded: the wait for a reply is at most 2 x (tries + 1) x
// timeoutMs (it grows only for a receiver slower than timeoutMs); the plan makes at most 61 x tries + 36 +
// lossProbes exchanges; a probe answered only once sent again then listens for its other copies' late answers at
// most as long again as it took, plus half a wait (settle); and there are 3 end-of-file waits.
import type { EndOfFile } from '../protocol/dialect.js';
import { TYPE_ACK, TYPE_DATA, TYPE_EOF } from '../protocol/segment.js';
import { COURSE_ENCODING, EMPTY, encodeFin } from '../protocol/wire.js';
import {
  ackOf,
  CANDIDATE_ENCODINGS,
  checksumOf,
  decodeAck,
  encodeSegment,
  HEADER,
  indexOfAck,
  largestPayload,
  seqOf,
  whyNotAck,
  type Ack,
  type Dialect,
  type Encoding,
} from './dialect.js';
import {
  chanceOfMissing,
  estimateLoss,
  judgeWritten,
  NOTHING_LISTENING,
  RULE_IDS,
  type CheckReport,
  type FileSeen,
  type RuleId,
  type Status,
  type Verdict,
} from './rules.js';
import { counted } from '../format.js';

/** Where the checker sends from and hears replies: the Transport's usual port, or a new one (Transport.newPort). */
export interface Exchanges<Reply> {
  /** Sends `datagram` (dropping replies still queued) and resolves with the next reply, or null after timeoutMs. */
  exchange(datagram: Uint8Array, timeoutMs: number): Promise<Reply | null>;
  /** Resolves with the next reply, sending nothing (a late answer to what was sent before), or null after timeoutMs. */
  listen(timeoutMs: number): Promise<Reply | null>;
}

/** A reply to a datagram sent from a new port: it went to that port, or to the port of the datagrams before. */
export interface Moved {
  reply: Uint8Array;
  to: 'new port' | 'old port';
}

export interface Transport extends Exchanges<Uint8Array> {
  /** The time in ms, to time each reply from the send it answers. */
  now(): number;
  /**
   * A new source port to send from, as the reference client sends every segment, open until closed (a late answer
   * to it is heard meanwhile): each reply says whether it went to that port or to the usual one.
   */
  newPort(): Promise<Exchanges<Moved> & { close(): void }>;
  /** Whether the receiver's host says nothing listens on the port (ICMP port unreachable), asked once. */
  portClosed(): Promise<boolean>;
}

export interface CheckOptions {
  /** Wait for one reply (ms); a receiver found slower is waited for longer (CheckReport's `slow`). */
  timeoutMs: number;
  /** Sends of one probe before "no answer": the receiver drops each with probability p. */
  tries: number;
  /** Single sends of a duplicate to estimate p (0: no estimate). */
  lossProbes: number;
  /** Silence after an end-of-file candidate before asking whether the receiver is still there (ms). */
  eofWaitMs: number;
  /**
   * The receiver's output file, where this machine can read it: its bytes, or why it cannot be read. Read around
   * the duplicate and the segment sent ahead of time, to tell which of them it wrote, and at the end.
   */
  file?: { path: string; read: () => Uint8Array | string };
}

/** New segments sent once each, so that their first copies outnumber what loss could leave unanswered. */
const FIRST_COPIES = 30;
/**
 * Below this chance of loss alone leaving every first copy unanswered, given the other sends' answers, it is not
 * loss (simulated: no false verdict in 20,000 checks of a receiver losing 30%, 50% or 70%, and 99.6% of receivers
 * losing 50% that answer only copies sent again caught).
 */
const SILENT_CHANCE = 1e-5;

/** Every probe segment carries this many bytes, so that byte-counting receivers step by a known amount. */
export const LENGTH = 100;
const payloadOf = (k: number): Uint8Array =>
  Uint8Array.from({ length: LENGTH }, (_, i) => (k * 31 + i) & 0xff);

/** The payloads of the segments a report says were ACKed in order: what the receiver's file should hold. */
const payloadsAcked = (report: CheckReport): Uint8Array[] =>
  Array.from({ length: Math.floor((report.ackedBytes ?? 0) / LENGTH) }, (_, k) => payloadOf(k));
/** A receiver may write a segment just after it sends its ACK: the wait before its file is read again. */
const WRITE_SETTLE_MS = 50;
const hex = (n: number, digits = 4): string => `0x${n.toString(16).padStart(digits, '0')}`;
/** What the first probe's checksum was, for a receiver that computes it another way to compare with its own. */
function probeChecksum(): string {
  const probe = encodeSegment(COURSE_ENCODING, 1, TYPE_DATA, payloadOf(0));
  return (
    `the first probe, seq 1 with ${LENGTH} bytes of data, carried checksum ${hex((probe[4]! << 8) | probe[5]!)} ` +
    "in bytes 4-5: the course's, RFC 1071 over seq+type+payload, high byte first"
  );
}
/** How a probe in a candidate encoding other than the course's was sent, for a reply to be read against it. */
const sentAs = (e: Encoding): string =>
  e.format === 'seed-text'
    ? ' (sent as seed-text)'
    : e.order === 'big' && e.coverage === 'header-and-payload'
      ? ''
      : ` (sent ${e.order}-endian${e.coverage === 'payload' ? ' with a payload-only checksum' : ''})`;
const sameEncoding = (x: Encoding, y: Encoding): boolean =>
  x.format === y.format && x.order === y.order && x.coverage === y.coverage;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** The wait per reply that suits a receiver answering in `answerMs`: twice that, in whole tenths of a second. */
const patienceFor = (answerMs: number): number => Math.ceil((2 * answerMs) / 100) * 100;
/** A 32-bit number with its four bytes in the other order. */
const swap32 = (n: number): number =>
  (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;

export async function checkReceiver(
  target: string,
  transport: Transport,
  options: CheckOptions,
): Promise<CheckReport> {
  const verdicts = new Map<RuleId, Verdict>();
  const judge = (id: RuleId, status: Status, detail: string): void =>
    void verdicts.set(id, { id, status, detail });
  const unknown = (id: RuleId): boolean => (verdicts.get(id)?.status ?? 'untested') === 'untested';
  /** Whether the duplicate and the segment sent ahead of time were appended to the receiver's file. */
  const seen: FileSeen = {};
  const report = (ackedBytes?: number, ended?: boolean): CheckReport => {
    const probed = probedReport(ackedBytes, ended);
    const file = options.file;
    return file && ackedBytes !== undefined
      ? judgeWritten(probed, file.path, file.read(), payloadsAcked(probed), seen)
      : probed;
  };
  const probedReport = (ackedBytes?: number, ended?: boolean): CheckReport => ({
    target,
    ...(dialect
      ? {
          dialect: {
            ...dialect,
            ...(unknown('end-of-file') ? { eofUnknown: true as const } : {}),
            ...(unknown('coverage') ? { coverageUnknown: true as const } : {}),
          },
        }
      : {}),
    ...(loss ? { loss } : {}),
    ...(ackedBytes !== undefined ? { ackedBytes } : {}),
    ...(ended ? { ended } : {}),
    ...(portClosed ? { closed: true as const } : {}),
    ...(slowest ? { slow: { answerMs: slowest, timeoutMs: options.timeoutMs, waitMs: wait } } : {}),
    verdicts: RULE_IDS.map((id) => verdicts.get(id) ?? { id, status: 'untested', detail: untested }),
  });
  let dialect: Dialect | undefined;
  let loss: ReturnType<typeof estimateLoss> | undefined;
  let untested = 'not tested: the receiver never ACKed a first segment';

  // A receiver slower than the wait answers a probe after it: its ACK would be read as the answer to the probe sent
  // next. So each reply is matched to the copy of its probe it answers (settle), no probe is sent while an answer
  // to the one before is still owed, and once an answer came late the wait grows to suit the receiver.
  let wait = options.timeoutMs;
  /** The longest delay of an answer that came after its wait (0: none did). */
  let slowest = 0;
  /** The longest delay of an answer to a probe sent once, within the wait (undefined: none yet). */
  let promptMs: number | undefined;
  /** Whether its answers come well within the wait: a probe unanswered then is lost, not late. */
  const answersPromptly = (): boolean => promptMs !== undefined && promptMs <= wait / 2;
  const noteLate = (delayMs: number): void => {
    slowest = Math.max(slowest, Math.round(delayMs));
    // No longer than a delay the first wait could have told.
    wait = Math.max(wait, Math.min(patienceFor(slowest), 2 * (options.tries + 1) * options.timeoutMs));
  };
  /**
   * A reply has just come to a probe whose copies were sent at `sentAt` (`afterAll`: after the last copy's wait, to
   * listening). The copies after the one it answers are owed answers still, which must not be read as the next
   * probe's: each one heard here shows that the reply answered an earlier copy, later than the wait. Returns the
   * copy it answered (1: the first). `via`: where the copies went, to hear their answers.
   */
  const settle = async (
    via: Exchanges<unknown>,
    sentAt: readonly number[],
    afterAll: boolean,
  ): Promise<number> => {
    const at = transport.now();
    const copies = sentAt.length;
    if (copies === 1 && !afterAll) {
      promptMs = Math.max(promptMs ?? 0, at - sentAt[0]!);
      return 1;
    }
    // Were it the first copy's answer, the last copy's would come as long after that copy (give or take).
    const until = sentAt[copies - 1]! + (at - sentAt[0]!) + wait / 2;
    let owed = 0;
    let lastHeard = at;
    while (owed < copies - 1 && transport.now() < until) {
      if (!(await via.listen(until - transport.now()))) break;
      owed++;
      lastHeard = transport.now();
    }
    const answered = copies - owed;
    // Both bounds from below: copies may have been lost between the one answered and the last.
    if (afterAll || owed > 0) noteLate(Math.max(at - sentAt[answered - 1]!, lastHeard - sentAt[copies - 1]!));
    return answered;
  };
  /**
   * Sends `via` the usual port or a new one until a reply comes (null: none after `tries` sends), and the copy it
   * answered (tries: none).
   */
  const send = async <Reply>(
    via: Exchanges<Reply>,
    datagram: Uint8Array,
    tries: number,
  ): Promise<[Reply | null, number]> => {
    const sentAt: number[] = [];
    for (let i = 0; i < tries; i++) {
      sentAt.push(transport.now());
      const reply = await via.exchange(datagram, wait);
      if (reply) return [reply, await settle(via, sentAt, false)];
    }
    // Unanswered: from a receiver not known to answer well within the wait, the answer may be on its way still.
    const late = answersPromptly() ? null : await via.listen(wait);
    return late ? [late, await settle(via, sentAt, true)] : [null, tries];
  };
  /** Listens for ms: a late reply heard meanwhile is dropped, not read as the next probe's answer. */
  const quiet = async (ms: number): Promise<void> => {
    const until = transport.now() + ms;
    for (let left = ms; left > 0; left = until - transport.now()) await transport.listen(left);
  };
  // Sends a course receiver must answer, by kind: a new segment's first copy, or a copy sent again (a retry, a
  // duplicate). Loss drops both kinds alike; a receiver that answers only copies sent again does not.
  const firstCopies = { sent: 0, missed: 0 };
  const otherSends = { sent: 0, missed: 0 };
  /** Counts the sends of one probe: `kind` 'new' when it was a new segment, whose first send was its first copy. */
  const tally = (kind: 'new' | 'again', sends: number, answered: boolean): void => {
    for (let i = 0; i < sends; i++) {
      const count = i === 0 && kind === 'new' ? firstCopies : otherSends;
      count.sent++;
      if (i < sends - 1 || !answered) count.missed++;
    }
  };
  /** `kind`: what the datagram is to a course receiver, counted with its kind; none: not counted. */
  const ask = async (
    datagram: Uint8Array,
    tries = options.tries,
    kind?: 'new' | 'again',
  ): Promise<Uint8Array | null> => {
    const [reply, sends] = await send(transport, datagram, tries);
    if (kind) tally(kind, sends, reply !== null);
    return reply;
  };

  // The dialect: the first encoding (byte order, checksum coverage) and base it ACKs a first segment in.
  let first: Ack | undefined;
  let unitKnown = false;
  /** The last ACK of a first segment whose number fits no numbering. */
  let heard: string | undefined;
  /** The first reply that was no ACK, field by field. */
  let notAck: string | undefined;
  /** The encoding in which seq 1 was ACKed 0: nothing in order yet, or an ACK one less than the number received. */
  let oneLess: Encoding | undefined;
  /** An ACK whose number reads right only with its bytes swapped: its ACK and its header differ in byte order. */
  let swapped: string | undefined;
  // Nothing listening: its host says so at the first silence, and the other dialects need not be tried.
  let portAsked = false;
  let portClosed = false;
  search: for (const encoding of CANDIDATE_ENCODINGS)
    for (const base of [1, 0] as const) {
      const [reply, sends] = await send(
        transport,
        encodeSegment(encoding, base, TYPE_DATA, payloadOf(0)),
        options.tries,
      );
      if (!reply && heard === undefined && notAck === undefined && !portAsked) {
        portAsked = true;
        portClosed = await transport.portClosed();
        if (portClosed) break search;
      }
      const ack = reply && decodeAck(reply, encoding);
      if (reply && !ack) notAck ??= `seq ${base}${sentAs(encoding)} got ${whyNotAck(reply, encoding)}`;
      if (!ack) continue;
      heard = `ACK ${ack.seq} to a first segment numbered ${base}`;
      if (base === 1 && ack.seq === 0) oneLess ??= encoding;
      const other = swap32(ack.seq);
      if (swapped === undefined && ack.seq !== other && (other === base || other === base + 1))
        swapped =
          `: ${ack.seq} is ${other} with its bytes swapped, so its ACKs put the sequence number in the other ` +
          'byte order than the data segments it reads';
      const step = ack.seq - base;
      if (step !== 0 && step !== 1 && step !== LENGTH) continue; // "nothing in order yet": try the other base
      const ackMeaning = step === 0 ? 'received' : 'next';
      // The end-of-file convention is found last (none until something ends the file).
      const unit = step === LENGTH ? 'byte' : 'segment';
      dialect = { ...encoding, base, ack: ackMeaning, unit, eof: 'none' };
      unitKnown = step !== 0;
      first = ack;
      tally('new', sends, true);
      break search;
    }
  if (!dialect || !first) {
    const tried =
      '(binary big- or little-endian with the checksum over seq+type+payload or payload only, seed-text; ' +
      `numbered from 1 or 0; ${counted(options.tries, 'try', 'tries')} each)`;
    judge(
      'in-order',
      'fails',
      heard
        ? `no dialect gets an ACK of a first data segment ${tried}: the last answer was ${heard}${swapped ?? ''}`
        : notAck
          ? `${notAck}; no dialect got an ACK of a first data segment ${tried}`
          : portClosed
            ? `no reply to a first data segment: ${NOTHING_LISTENING}`
            : `no reply to a first data segment in every dialect ${tried}: a receiver that drops every ` +
              `segment as corrupt is as silent as one not running (${probeChecksum()}), and so is one that lets in ` +
              'only a sender with its session code (p2mpserver --code: check it without)',
    );
    return report();
  }
  const d: Dialect = dialect;
  untested = 'not tested: the receiver stopped answering';

  let last = 0; // the segment the receiver last ACKed as in order, as its ACKs say
  const data = (k: number, payload = payloadOf(k), checksum?: number): Uint8Array =>
    encodeSegment(d, seqOf(d, k, LENGTH), TYPE_DATA, payload, checksum);
  /** The last reply readAck found no ACK, to tell what it was. */
  let lastOther: Uint8Array = EMPTY;
  /** A reply read as an ACK, following the receiver's idea of the last in-order segment. */
  const readAck = (reply: Uint8Array): Ack | 'other' => {
    const ack = decodeAck(reply, d);
    if (!ack) {
      lastOther = reply;
      return 'other';
    }
    const k = indexOfAck(d, ack.seq, LENGTH);
    if (k !== undefined && k >= -1 && k <= last + 2) last = k;
    return ack;
  };
  /** Sends until an ACK comes back (null: no reply); `kind` as ask's. */
  const askAck = async (
    datagram: Uint8Array,
    kind?: 'new' | 'again',
    tries?: number,
  ): Promise<Ack | 'other' | null> => {
    const reply = await ask(datagram, tries, kind);
    return reply && readAck(reply);
  };
  const fileNow = (): Uint8Array | undefined => {
    const content = options.file?.read();
    return typeof content === 'string' ? undefined : content;
  };
  /**
   * Sends the k-th segment with askAck and tells whether its payload was appended to the receiver's file (the size
   * before), or not (false); undefined when that cannot be told: no file, or another change (a receiver that
   * buffers its writes shows nothing yet).
   */
  const askAckWritten = async (
    k: number,
    kind?: 'new' | 'again',
  ): Promise<[Ack | 'other' | null, number | false | undefined]> => {
    const before = fileNow();
    const ack = await askAck(data(k), kind);
    if (!before) return [ack, undefined];
    await sleep(WRITE_SETTLE_MS);
    const after = fileNow();
    if (!after || before.some((b, i) => after[i] !== b)) return [ack, undefined];
    if (after.length === before.length) return [ack, false];
    const payload = payloadOf(k);
    const appended =
      after.length === before.length + payload.length &&
      payload.every((b, i) => after[before.length + i] === b);
    return [ack, appended ? before.length : undefined];
  };
  const path = options.file?.path;
  const ackSeq = (reply: Ack | 'other' | null): number | undefined =>
    reply !== null && reply !== 'other' ? reply.seq : undefined;
  const got = (ack: Ack | 'other' | null): string =>
    ack === null
      ? 'no ACK'
      : ack === 'other'
        ? `a reply that is not an ACK (${whyNotAck(lastOther, d)})`
        : `ACK ${ack.seq}`;

  // Second in-order segment: also tells segments from bytes when the first ACK could not.
  let second = await askAck(data(1), 'new');
  if (!unitKnown && ackSeq(second) !== ackOf(d, 1, LENGTH)) {
    const bytes: Dialect = { ...d, unit: 'byte' };
    const retry = await askAck(encodeSegment(d, seqOf(bytes, 1, LENGTH), TYPE_DATA, payloadOf(1)), 'new');
    if (ackSeq(retry) === ackOf(bytes, 1, LENGTH)) {
      d.unit = 'byte';
      last = 1;
      second = retry;
    }
  }
  const inOrder = ackSeq(second) === ackOf(d, 1, LENGTH);
  // A little-endian reading that works for seq 0 only (0 and 0x5555 read alike either way) may be a big-endian
  // receiver with its checksum's two bytes swapped: a big-endian seq 1 with such a checksum tells.
  let swappedChecksum = false;
  if (!inOrder && d.format === 'binary' && d.order === 'little' && d.base === 0) {
    const big: Encoding = { ...d, order: 'big' };
    const sum = checksumOf(big, 1, TYPE_DATA, payloadOf(1));
    const reply = await ask(encodeSegment(big, 1, TYPE_DATA, payloadOf(1), ((sum & 0xff) << 8) | (sum >> 8)));
    swappedChecksum = reply !== null && decodeAck(reply, big)?.seq === 1;
  }
  // A numbering from 0 with ACKs of the next number expected, found after seq 1 was ACKed 0, that failed here: the
  // receiver may number from 1 and ACK one less than the number received. Two more segments in order tell.
  let minusOne =
    !inOrder && second !== null && second !== 'other' && oneLess !== undefined && sameEncoding(oneLess, d);
  for (let seq = 2; seq <= 3 && minusOne; seq++) {
    const reply = await ask(encodeSegment(d, seq, TYPE_DATA, payloadOf(seq - 1)));
    minusOne = reply !== null && decodeAck(reply, d)?.seq === seq - 1;
  }
  judge(
    'in-order',
    inOrder ? 'pass' : 'fails',
    inOrder
      ? `seq ${seqOf(d, 0, LENGTH)} and ${seqOf(d, 1, LENGTH)} ACKed ${first.seq} and ${ackOf(d, 1, LENGTH)}`
      : swappedChecksum
        ? 'its checksum is in the wrong byte order: it takes big-endian segments only when their checksum has its ' +
          `two bytes swapped (seq 1 sent so was ACKed 1; checksum over ${d.coverage === 'payload' ? 'the payload' : 'seq+type+payload'}): ` +
          'compute and compare the checksum high byte first (network byte order), as it reads the sequence number'
        : minusOne
          ? 'seq 1 was ACKed 0, seq 2 ACKed 1 and seq 3 ACKed 2: each ACK one less than the number received'
          : `seq ${seqOf(d, 0, LENGTH)} ACKed ${first.seq}, then seq ${seqOf(d, 1, LENGTH)} got ${got(second)}`,
  );
  // The numbering its first ACK suggested did not predict its second: no dialect of ours talks to it ("Talk to it
  // with" must not offer that numbering), and every rule after this would be about the mismatch, not the receiver.
  if (!inOrder) {
    if (swappedChecksum) untested = 'not tested: no dialect matches its checksum (see the first rule)';
    else if (second !== null)
      untested = 'not tested: no numbering of ours fits its ACKs (see the first rule)';
    dialect = undefined;
    return report();
  }

  // Duplicate: the last in-order segment again. Several probes below are duplicates too (they tell without moving
  // the transfer on): for a receiver that does not re-ACK them, they are untested or use the next segment instead.
  const k0 = last;
  const [dup, dupFrom] = await askAckWritten(k0, 'again');
  seen.duplicate = dupFrom === undefined ? undefined : dupFrom !== false;
  const reAcks = ackSeq(dup) === ackOf(d, k0, LENGTH);
  const reAcked = `a second copy of seq ${seqOf(d, k0, LENGTH)} got ${got(dup)} (expected ACK ${ackOf(d, k0, LENGTH)})`;
  judge(
    'duplicate',
    reAcks && !seen.duplicate ? 'pass' : 'fails',
    // Which half failed: a right re-ACK of a duplicate written again is still a file one segment too long.
    typeof dupFrom === 'number'
      ? `${reAcks ? 're-ACKed, but written again' : 'not re-ACKed, and written again'}: ${reAcked}, and ${path} ` +
          `grew by its ${LENGTH} bytes (${dupFrom} to ${dupFrom + LENGTH})`
      : `${reAcked}; whether it is written once is not visible over the network (give its output file: --file, or in the app)`,
  );
  const noReAck = 'not tested: it does not re-ACK a duplicate (see that rule), and this test sends one';

  // The reference client sends each segment from a new socket: an ACK must go where its segment came from. A
  // copy of the last segment (answered with the same ACK again) tells it without moving the transfer on. Its
  // copies go from one new port, kept open, so that a late answer to one is heard and matched as any probe's.
  if (inOrder && !reAcks) judge('source-port', 'untested', noReAck);
  else if (inOrder) {
    const seq = seqOf(d, last, LENGTH);
    const port = await transport.newPort();
    const [moved] = await send(port, data(last), options.tries).finally(() => port.close());
    const ack = moved && decodeAck(moved.reply, d);
    judge(
      'source-port',
      moved?.to === 'new port' && ack ? 'pass' : 'fails',
      moved === null
        ? `a copy of seq ${seq}, sent from a new source port, got no reply (${options.tries} tries)`
        : moved.to === 'old port'
          ? `it sent the reply to a copy of seq ${seq} to the port the earlier segments came from, not to the new ` +
            'port this one came from: the reference client, which sends each segment from a new socket, never hears it'
          : ack
            ? `a copy of seq ${seq}, sent from a new source port, was ACKed ${ack.seq} at that port`
            : `a copy of seq ${seq}, sent from a new source port, got ${whyNotAck(moved.reply, d)}, not an ACK`,
    );
  }

  judge(
    'base',
    d.base === 0 ? 'differs' : 'pass',
    d.base === 0
      ? 'sequence numbers from 0: it ACKs a first segment numbered 0, not 1'
      : 'the first segment is numbered 1',
  );
  judge(
    'unit',
    d.unit === 'byte' ? 'differs' : 'pass',
    d.unit === 'byte'
      ? `sequence numbers count bytes: the segment after seq ${d.base} is seq ${d.base + LENGTH}`
      : 'one sequence number per segment',
  );
  judge(
    'ack-meaning',
    d.ack === 'next' ? 'differs' : 'pass',
    d.ack === 'next'
      ? `ACKs next-expected: seq ${seqOf(d, 0, LENGTH)} is ACKed ${first.seq}, the number it expects next, not the number received`
      : 'the ACK carries the number received',
  );
  const ackChecksum = checksumOf(COURSE_ENCODING, first.seq, TYPE_ACK, EMPTY);
  judge(
    'middle-field',
    first.middle === 0 ? 'pass' : 'differs',
    first.middle === 0
      ? 'all zeros'
      : first.middle === ackChecksum
        ? `a checksum over sequence number and type (${hex(first.middle)}), as the reference implementation, not zeros`
        : `${hex(first.middle)}, not all zeros`,
  );
  judge(
    'byte-order',
    d.format === 'binary' && d.order === 'big' ? 'pass' : 'differs',
    d.format === 'seed-text'
      ? "seed-text: every bit an ASCII '0' or '1' (the reference implementation's format), not a binary header"
      : d.order === 'little'
        ? 'little-endian header: it reads seq 1 from bytes 01 00 00 00 and sends its fields little-endian'
        : 'binary, big-endian (network byte order)',
  );

  // Out of order: skip one segment, then fill the gap.
  const k1 = last;
  const ahead = seqOf(d, k1 + 2, LENGTH);
  const [ooo, oooFrom] = await askAckWritten(k1 + 2);
  seen.outOfOrder = oooFrom === undefined ? undefined : oooFrom !== false;
  if (ackSeq(ooo) === ackOf(d, k1, LENGTH)) {
    const gap = await askAck(data(k1 + 1), 'new');
    const gapSeq = seqOf(d, k1 + 1, LENGTH);
    if (ackSeq(gap) === ackOf(d, k1 + 1, LENGTH))
      judge(
        'out-of-order',
        'pass',
        `seq ${ahead} ahead of time got ${got(ooo)} (the last in order) and was discarded`,
      );
    else if (ackSeq(gap) === ackOf(d, k1 + 2, LENGTH))
      judge(
        'out-of-order',
        'differs',
        `seq ${ahead} ahead of time got ${got(ooo)} but was kept: filling the gap with seq ${gapSeq} got ${got(gap)}`,
      );
    else
      judge(
        'out-of-order',
        'fails',
        `seq ${ahead} ahead of time got ${got(ooo)}; then seq ${gapSeq}, now in order, got ${got(gap)}`,
      );
  } else
    judge(
      'out-of-order',
      'fails',
      `seq ${ahead} sent ahead of time (seq ${seqOf(d, k1 + 1, LENGTH)} missing) got ${got(ooo)}, ` +
        `not ACK ${ackOf(d, k1, LENGTH)} of the last in-order segment`,
    );
  // Its ACKs may be right, its file is not: the receiver's file grew by that segment as it was ACKed.
  if (typeof oooFrom === 'number')
    judge(
      'out-of-order',
      'fails',
      `seq ${ahead} was written to the file: sent ahead of time (seq ${seqOf(d, k1 + 1, LENGTH)} missing), it got ` +
        `${got(ooo)} and ${path} grew by its ${LENGTH} bytes (${oooFrom} to ${oooFrom + LENGTH})`,
    );

  // Bad checksum: the next in-order segment with one payload bit flipped under its right checksum.
  const k2 = last + 1;
  const good = payloadOf(k2);
  const flipped = Uint8Array.from(good, (b, i) => (i === 0 ? b ^ 1 : b));
  const corrupt = await askAck(data(k2, flipped, checksumOf(d, seqOf(d, k2, LENGTH), TYPE_DATA, good)));
  // Taken: ACKed as its own segment (it checks no checksum). Another answer (the last in-order ACK again) is no
  // write, but the course's receiver sends nothing at all for it.
  const taken = ackSeq(corrupt) === ackOf(d, k2, LENGTH);
  judge(
    'bad-checksum',
    corrupt === null ? 'pass' : 'fails',
    corrupt === null
      ? `seq ${seqOf(d, k2, LENGTH)} with a corrupted payload, sent ${options.tries} times: no ACK`
      : taken
        ? `ACKs corrupted data: seq ${seqOf(d, k2, LENGTH)} with a bad checksum got ${got(corrupt)}`
        : `answers a bad checksum: seq ${seqOf(d, k2, LENGTH)} with a corrupted payload got ${got(corrupt)} ` +
          `(not its own ACK; the course's receiver sends nothing for it)`,
  );
  // The first encoding tried that got an ACK gave the coverage, unless it takes any checksum.
  judge(
    'coverage',
    taken ? 'untested' : d.coverage === 'payload' ? 'differs' : 'pass',
    taken
      ? 'not tested: it ACKs a segment whatever its checksum (see "bad checksum ignored"), so what its checksum ' +
          'would cover cannot be told'
      : d.coverage === 'payload'
        ? 'payload-only checksum: it ACKs a checksum over the payload alone and ignores one over seq+type+payload'
        : 'checksum over sequence number, type and payload',
  );

  // New segments, each sent once and again only when unanswered: their first copies, against every other send.
  for (let i = 0; i < FIRST_COPIES; i++)
    if ((await askAck(data(last + 1), 'new', 1 + options.tries)) === null) break;

  // Loss: single sends of the last in-order segment again; each unanswered one was dropped (or its ACK lost).
  if (options.lossProbes > 0 && !reAcks) judge('loss', 'untested', noReAck);
  else if (options.lossProbes > 0) {
    let missing = 0;
    for (let i = 0; i < options.lossProbes; i++) if (!(await ask(data(last), 1, 'again'))) missing++;
    loss = estimateLoss(missing, options.lossProbes);
    judge(
      'loss',
      'pass',
      `p ≈ ${loss.p.toFixed(3)} (95% interval ${loss.low.toFixed(3)} to ${loss.high.toFixed(3)}): ` +
        `${missing} of ${options.lossProbes} duplicates unanswered`,
    );
  } else judge('loss', 'untested', 'not estimated (--loss-probes 0)');

  // Every first copy unanswered, while the copies sent again were answered more often than loss alone would make
  // likely: it ACKs a new segment only when it comes again. A receiver slower than --timeout does not look the same:
  // its late ACK is matched to the first copy it answers (settle).
  if (
    firstCopies.missed === firstCopies.sent &&
    chanceOfMissing(firstCopies.missed, firstCopies.sent, otherSends.missed, otherSends.sent) < SILENT_CHANCE
  )
    judge(
      'in-order',
      'fails',
      `each new segment was ACKed only when sent again (its first copy unanswered ${firstCopies.missed} of ` +
        `${firstCopies.sent} times, while ${otherSends.sent - otherSends.missed} of ${otherSends.sent} ` +
        'duplicates and copies sent again were answered: not loss, which drops both alike): a sender that waits ' +
        'for each ACK loses a timeout on every segment',
    );

  // Malformed and oversized datagrams, each followed by a duplicate that must still be answered (by the next
  // segment, for a receiver that does not re-ACK duplicates).
  const malformed: [string, () => Uint8Array][] = [
    ['an empty datagram', () => EMPTY],
    ['a 1-byte datagram', () => Uint8Array.of(0x55)],
    ['a 7-byte datagram (shorter than the header)', () => data(last).subarray(0, HEADER - 1)],
    ['an ACK (type 0xAAAA) sent to it', () => encodeSegment(d, seqOf(d, last, LENGTH), TYPE_ACK, EMPTY)],
    [
      'a segment of unknown type 0x1234',
      () => encodeSegment(d, seqOf(d, last + 1, LENGTH), 0x1234, payloadOf(0)),
    ],
    [
      'a segment as large as a UDP datagram allows, out of order',
      () => data(last + 2, new Uint8Array(largestPayload(d))),
    ],
  ];
  let dead: string | undefined;
  for (const [name, make] of malformed) {
    // A course receiver answers none but the oversized segment (out of order: the last in-order ACK), yet any
    // answer must be heard as this datagram's, late or not, and not taken for the duplicate's.
    await ask(make(), 1);
    if ((await askAck(data(reAcks ? last : last + 1))) === null) {
      dead = name;
      break;
    }
  }
  const probe = reAcks ? 'a duplicate' : 'the next segment';
  judge(
    'malformed',
    dead ? 'fails' : 'pass',
    dead
      ? `stopped answering after ${dead}: no ACK to ${probe} sent ${options.tries} times`
      : `still answers after each of: ${malformed.map(([name]) => name).join('; ')} (${probe} ACKed after each)`,
  );
  // Before the empty end-of-file segment, which may move `last`; or what a receiver that stopped answering had
  // ACKed, which its file still shows (--file).
  const ackedBytes = (last + 1) * LENGTH;
  if (dead) return report(ackedBytes);

  // A receiver that does not re-ACK is silent after any segment it has: silence would not tell an end.
  if (!reAcks) {
    judge(
      'end-of-file',
      'untested',
      `${noReAck} (only a repeat tells an end from a receiver that has the segment)`,
    );
    return report(ackedBytes);
  }

  // End of file, last because it may end the receiver: which candidate makes it stop answering.
  const candidates: [string, EndOfFile, () => Uint8Array][] = [
    ['an empty data segment', 'empty', () => data(last + 1, EMPTY)],
    ['a header of type 0x0000', 'type0', () => encodeSegment(d, seqOf(d, last + 1, LENGTH), TYPE_EOF, EMPTY)],
    ['a FIN of all ones', 'fin', () => encodeFin(d)],
  ];
  const acked: string[] = [];
  let finisher: string | undefined;
  let startedOver = false;
  const eofIndex = last + 1;
  /** The segment an ACK says is the last in order, in this check's numbering. */
  const inOrderOf = (reply: Uint8Array | null): number | undefined => {
    const ack = reply && decodeAck(reply, d);
    return ack ? indexOfAck(d, ack.seq, LENGTH) : undefined;
  };
  let followedOn = false;
  /** A candidate it never ACKed, after which it answered nothing more: it ended (or died) there, unheard. */
  let silentEnd: string | undefined;
  for (const [name, eof, make] of candidates) {
    const datagram = make();
    const first = await askAck(datagram);
    // Unanswered: ignored, if it still answers a duplicate.
    if (first === null && (await askAck(data(last))) === null) {
      silentEnd = name;
      break;
    }
    if (first === null) continue;
    acked.push(name);
    // ACKed as the segment after the last in order: the candidate was read where this check put it.
    if (ackSeq(first) === ackOf(d, eofIndex, LENGTH)) followedOn = true;
    await quiet(options.eofWaitMs);
    const again = await ask(datagram);
    // Ended: it stopped answering, or (a receiver serving transfer after transfer) it ACKed this segment as the
    // file's last, then answered it as a stranger to a fresh transfer (nothing in order any more).
    const againInOrder = inOrderOf(again);
    const fresh =
      ackSeq(first) !== undefined &&
      indexOfAck(d, ackSeq(first)!, LENGTH) === eofIndex &&
      againInOrder !== undefined &&
      againInOrder < eofIndex;
    if (again === null || fresh) {
      finisher = name;
      startedOver = fresh;
      d.eof = eof;
      break;
    }
  }
  if (silentEnd) {
    judge(
      'end-of-file',
      'untested',
      `not tested: it stopped answering after ${silentEnd}, which it never ACKed: it ended there without an ACK ` +
        '(a sender waiting for that ACK resends it until it gives up), or crashed',
    );
    return report(ackedBytes);
  }
  // Kept answering, yet never ACKed a candidate as the next segment: its numbering went astray earlier (a rule
  // that failed), so that it kept answering says nothing of its end of file.
  if (!finisher && !followedOn && acked.length) {
    judge(
      'end-of-file',
      'untested',
      `not tested: it ACKed ${acked.join(', ')} but never as the segment after the last in order (see the rules ` +
        'that failed)',
    );
    return report(ackedBytes);
  }
  judge(
    'end-of-file',
    d.eof === 'empty' ? 'pass' : 'differs',
    finisher
      ? `${finisher} ends the file: it ACKed it, then ${startedOver ? 'answered it as the start of a new transfer' : 'stopped answering'}`
      : acked.length
        ? `no end-of-file signal observed: it ACKed ${acked.join(', ')} and kept answering (the reference ` +
          'implementation never ends either)'
        : // It ignores every candidate: a sender that sends one waits for an ACK that never comes.
          `it ACKs no end-of-file signal: ${candidates.map(([name]) => name).join(', ')} each went unanswered ` +
          'while it kept answering duplicates; a transfer to it ends when the sender stops sending, as with the ' +
          'reference implementation',
  );
  return report(ackedBytes, finisher !== undefined);
}
