// p2mpcheck client: p2mpcheck plays N course receivers for someone else's sender and judges how it behaves. It
// reads the dialect from the first segments (encoding from the first datagram, ACK meaning from which ACK moves
// the sender on, unit from the second segment), then runs three episodes on segments 2, 3 and 4: every receiver
// withholds its ACK (the timeout, measured), one receiver withholds its ACK (retransmits only to it? waits for
// it?), one receiver answers with garbage (survived?). Everything else is answered as a course receiver does:
// ACK of the last in-order segment, to the port the segment came from. Pure over a ClientTransport, so it runs
// on UDP sockets (src/shared/node/checkTransport.ts) or anything else. Bounded: every wait is one of the options.
import { advance, ackAt, type Cursor, type Numbering } from '../protocol/numbering.js';
import { TYPE_DATA, TYPE_EOF } from '../protocol/segment.js';
import {
  checksumOf,
  EMPTY,
  encodeAck,
  encodeSegment,
  isFin,
  readSegment,
  type Encoding,
} from '../protocol/wire.js';
import { CANDIDATE_ENCODINGS, type Dialect } from './dialect.js';
import { startsAsEnvelope } from '../session/envelope.js';
import { MAX_EVIDENCE } from './evidence.js';
import {
  CLIENT_RULE_IDS,
  formatVerdict,
  receivedNothing,
  type ClientReport,
  type ClientRuleId,
  type ClientVerdict,
  type Exchange,
  type Status,
  type TimeoutEstimate,
} from './rules.js';
import { counted, hostOf } from '../format.js';

/**
 * The course's timeout, and the measured ones still taken for it: timers never fire early, but a busy machine
 * runs them late (up to double, here under load); 0.5 s or 30 ms are another timeout.
 */
const COURSE_TIMEOUT_MS = 100;
const COURSE_TIMEOUT_RANGE_MS = [70, 200] as const;

/** A datagram the sender sent to one of the receivers. */
export interface Arrival {
  receiver: number;
  /** Where it came from: an answer goes back there. */
  address: string;
  port: number;
  datagram: Uint8Array;
  /** transport.now() when it arrived. */
  t: number;
}

export interface ClientTransport {
  /** The next datagram to any receiver, or null after timeoutMs. */
  next(timeoutMs: number): Promise<Arrival | null>;
  /** Sends from receiver `receiver` to address:port. */
  send(receiver: number, address: string, port: number, datagram: Uint8Array): void;
  now(): number;
}

export interface ClientCheckOptions {
  /** How the receivers are named to the user (their addresses), one per receiver. */
  receivers: string[];
  /** The port they listen on (0: each has a port of its own, in its name). */
  port: number;
  /** Wait for the sender's first datagram (ms). */
  waitMs: number;
  /** While an ACK is withheld, the longest wait for the next retransmission (ms). */
  retransmitWaitMs: number;
  /** Silence that means the sender has finished (or stopped), ms. */
  quietMs: number;
  /** Retransmissions awaited while an ACK is withheld. */
  withhold: number;
  /** The file the sender sends, when the user has it: every receiver must end with exactly these bytes. */
  file?: { name: string; data: Uint8Array };
  /** The MSS the sender was given, when the user says: every segment but the last must carry that many bytes. */
  mss?: number;
}

/**
 * Data a receiver holds to compare with the file; a longer transfer is compared by its length only (a sent file
 * given to compare with is at most this: checkFiles.ts sentFile).
 */
export const MAX_HELD = 64 << 20;

type Eof = 'empty' | 'type0' | 'fin';
type Frame =
  | { kind: 'data'; seq: number; payload: Uint8Array }
  | { kind: 'end'; seq: number; eof: Eof }
  | { kind: 'other'; why: string };

/** What a datagram from the sender is, read in the encoding. */
function readFrame(encoding: Encoding, datagram: Uint8Array): Frame {
  const read = readSegment(encoding, datagram);
  if (!read.ok) return { kind: 'other', why: `${datagram.length} bytes (${read.reason})` };
  const { seq, checksum, type, payload } = read.fields;
  if (isFin(read.fields)) return { kind: 'end', seq, eof: 'fin' };
  if (type === TYPE_EOF && payload.length === 0) return { kind: 'end', seq, eof: 'type0' };
  if (type !== TYPE_DATA) return { kind: 'other', why: `type 0x${type.toString(16).padStart(4, '0')}` };
  if (checksum !== checksumOf(encoding, seq, type, payload))
    return { kind: 'other', why: `seq ${seq} with a bad checksum` };
  return payload.length === 0 ? { kind: 'end', seq, eof: 'empty' } : { kind: 'data', seq, payload };
}

/** A datagram of a sender with a session code (P2MP-FTP's envelope): no protocol error, and no check possible. */
function sealedWhy(datagram: Uint8Array): { swapped: boolean; text: string } | undefined {
  if (!startsAsEnvelope(datagram)) return undefined;
  return {
    swapped: false,
    text:
      'its datagrams are sealed with a session code (P2MP-FTP\'s envelope, "P2MS"): the checker reads the course ' +
      'protocol only, so check the sender without --code',
  };
}

const hex16 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
const swap16 = (n: number): number => ((n & 0xff) << 8) | (n >> 8);

/**
 * Why a datagram no encoding reads is still, most likely, a data segment: type 0x5555 in bytes 6-7 (it reads the
 * same in both byte orders) with a checksum in the wrong byte order (a classic slip: the sequence number packed
 * big-endian, the checksum little-endian), or with a checksum computed wrong. Undefined when it is no data segment.
 */
function whyNotData(datagram: Uint8Array): { swapped: boolean; text: string } | undefined {
  const binary = CANDIDATE_ENCODINGS.filter((e) => e.format === 'binary');
  const over = (e: Encoding): string => (e.coverage === 'payload' ? 'the payload' : 'seq+type+payload');
  for (const e of binary) {
    const read = readSegment(e, datagram);
    if (!read.ok || read.fields.type !== TYPE_DATA) continue;
    const { seq, checksum, type, payload } = read.fields;
    const right = checksumOf(e, seq, type, payload);
    if (swap16(checksum) === right && checksum !== right)
      return {
        swapped: true,
        text:
          `its checksum is in the wrong byte order: seq ${seq} carries ${hex16(checksum)} in bytes 4-5, the checksum ` +
          `over ${over(e)} (${hex16(right)}) with its two bytes swapped: write it ` +
          (e.order === 'big'
            ? 'high byte first (network byte order), as its sequence number'
            : 'in the byte order of its other fields'),
      };
  }
  const read = readSegment(binary[0]!, datagram);
  if (!read.ok || read.fields.type !== TYPE_DATA) return undefined;
  const { seq, checksum, type, payload } = read.fields;
  const sums = binary
    .filter((e) => e.order === 'big')
    .map((e) => `${hex16(checksumOf(e, seq, type, payload))} over ${over(e)}`);
  return {
    swapped: false,
    text:
      `its segments look like data (type 0x5555, seq ${seq}, ${payload.length} bytes of payload) but their ` +
      `checksum is wrong: bytes 4-5 hold ${hex16(checksum)}, where the course's checksum is ${sums.join(' or ')} ` +
      '(RFC 1071, as UDP: add 16-bit words high byte first, an odd last byte padded with a zero, fold each carry ' +
      'back in, then take the complement)',
  };
}

interface Receiver {
  /** Where its last datagram came from: the sender's port for this receiver now ('' before the first). */
  address: string;
  port: number;
  /** undefined until it has taken the first segment. */
  cursor: Cursor | undefined;
  /** Highest segment index it has ACKed (-1: none). */
  acked: number;
  /** It has taken the end-of-file signal. */
  ended: boolean;
  held: Uint8Array[];
  bytes: number;
}

/** One receiver withholds its ACK ('withhold') or answers with garbage ('garbage') until released. */
interface Episode {
  k: number;
  seq: number;
  modes: ('ack' | 'withhold' | 'garbage')[];
  /** Arrival times of the segment at each receiver. */
  times: number[][];
  released: boolean[];
  /** Arrivals at receivers that had already ACKed it, while another still withheld. */
  repeats: number[];
  /** Why the episode ended early: the sender moved on to this seq. */
  movedOn?: number;
}

const median = (sorted: number[]): number => {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function checkSender(
  transport: ClientTransport,
  options: ClientCheckOptions,
): Promise<ClientReport> {
  const n = options.receivers.length;
  const names = options.receivers;
  const started = transport.now();
  const evidence: Exchange[] = [];
  const log = (entry: Omit<Exchange, 't'>, t = transport.now()): void => {
    if (evidence.length < MAX_EVIDENCE) evidence.push({ t: Math.round(t - started), ...entry });
  };
  const verdicts = new Map<ClientRuleId, ClientVerdict>();
  const judge = (id: ClientRuleId, status: Status, detail: string): void =>
    void verdicts.set(id, { id, status, detail });
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

  const receivers: Receiver[] = Array.from({ length: n }, () => ({
    address: '',
    port: 0,
    cursor: undefined,
    acked: -1,
    ended: false,
    held: [],
    bytes: 0,
  }));
  let sender: string | undefined;
  let encodings: readonly Encoding[] = CANDIDATE_ENCODINGS;
  let encoding: Encoding | undefined;
  let first: { seq: number; length: number } | undefined;
  /** Sequence numbers of the segments in order, and their lengths. */
  const segments: { seq: number; length: number }[] = [];
  const indexOf = new Map<number, number>();
  // ACK meaning and unit: candidates tried in turn on the first segment until the sender moves on.
  const candidates: Pick<Numbering, 'ack' | 'unit'>[] = [
    { ack: 'received', unit: 'segment' },
    { ack: 'next', unit: 'segment' },
    { ack: 'next', unit: 'byte' },
  ];
  let candidate = 0;
  let settled = false;
  let unitKnown = false;
  let numbering: Numbering = { base: 1, ...candidates[0]! };
  let firstRepeats = new Array<number>(n).fill(0);
  /**
   * When each receiver last answered. A datagram stamped before that is no reaction to the answer: a checker held
   * still (a busy machine) reads what queued up meanwhile all at once, after the sender had no answer to read.
   */
  const answeredAt = new Array<number>(n).fill(-Infinity);
  const afterAnswer = (a: Arrival): boolean => a.t > answeredAt[a.receiver]!;
  /** When the ACK meaning being tried was first answered with. */
  let triedSince: number | undefined;
  let lastActivity = started;
  let eof: Eof | undefined;
  let firstHeard = started;
  let lastProgress = started;
  let unreadable: string | undefined;
  /** Why the first datagram no encoding reads is no data segment, where that can be told. */
  let unreadableWhy: ReturnType<typeof whyNotData>;
  /** The first datagram the encoding taken could not read: a segment read in the wrong byte order may have misled it. */
  let misread: Uint8Array | undefined;
  /** No datagram of it was read: every rule but the format's is untested for that. */
  let noneRead = false;
  /** The first time the sender moved on while a receiver had not ACKed. */
  let violation: { seq: number; previous: number; missing: number[] } | undefined;
  const episodes: Episode[] = [];
  let episode: Episode | undefined;
  /** Garbage sent in place of an ACK: what, and how the sender took it. */
  let garbage:
    | {
        seq: number;
        receiver: number;
        items: string[];
        outcome?: 'retransmitted' | 'went-on' | 'moved-on' | 'stopped';
      }
    | undefined;
  let awaitingLife = false; // the garbage receiver was sent its ACK without a retransmission: alive?
  let done = false;

  /** The sender has sent this receiver something. */
  const reached = (r: Receiver): boolean => r.address !== '';
  /** The receivers it has sent something to (true), or nothing yet (false). */
  const whichReached = (yes: boolean): number[] =>
    receivers.flatMap((r, i) => (reached(r) === yes ? [i] : []));
  const cursor0 = (seq: number): Cursor => ({ taken: 0, last: (seq - 1) >>> 0, next: seq });

  function reply(i: number, datagram: Uint8Array, what: string, ackSeq?: number): void {
    const r = receivers[i]!;
    transport.send(i, r.address, r.port, datagram);
    lastActivity = answeredAt[i] = transport.now(); // silence counts from the last datagram either way
    log({
      dir: 'to-sender',
      receiver: i,
      what,
      ...(ackSeq !== undefined ? { seq: ackSeq, mark: 'ack' } : {}),
    });
  }

  /** Receiver i's ACK of where it stands, or of `cursor` (behind it). */
  function ack(i: number, cursor = receivers[i]!.cursor): void {
    const r = receivers[i]!;
    if (!cursor) return;
    const number = ackAt(numbering, cursor);
    r.acked = Math.max(r.acked, cursor.taken - 1);
    reply(i, encodeAck(encoding!, number), `ACK ${number}`, number);
  }

  function garbageFor(i: number, seq: number): [string, Uint8Array][] {
    const e = encoding!;
    const real = encodeAck(e, ackAt(numbering, receivers[i]!.cursor!));
    return [
      ['an empty datagram', EMPTY],
      ['3 bytes', Uint8Array.of(0x41, 0x43, 0x4b)],
      ['an ACK cut short', real.subarray(0, real.length - 1)],
      ['a header of unknown type 0x1234', encodeSegment(e, seq, 0x1234, EMPTY)],
      ['an ACK of a segment never sent', encodeAck(e, (seq + 1000) >>> 0)],
    ];
  }

  function startEpisode(k: number, seq: number): void {
    // Only receivers the sender sends to take part: it was started with the others' addresses left out (by the
    // time a stop-and-wait sender sends a second segment, it has sent the first to each of its receivers).
    const sentTo = whichReached(true);
    let modes: Episode['modes'] | undefined;
    if (k === 1) modes = names.map((_, i) => (sentTo.includes(i) ? 'withhold' : 'ack'));
    else if (k === 2 && sentTo.length >= 2)
      modes = names.map((_, i) => (i === sentTo.at(-1) ? 'withhold' : 'ack'));
    else if (k === 3) modes = names.map((_, i) => (i === sentTo[0] ? 'garbage' : 'ack'));
    if (!modes) return;
    episode = {
      k,
      seq,
      modes,
      times: names.map(() => []),
      released: modes.map((m) => m === 'ack'),
      repeats: new Array(n).fill(0),
    };
    episodes.push(episode);
  }

  function release(e: Episode, i: number, why: string): void {
    if (e.released[i]) return;
    e.released[i] = true;
    log({ dir: 'none', receiver: i, seq: e.seq, what: why });
    ack(i);
    if (e.released.every(Boolean) && episode === e) episode = undefined;
  }

  /** The numbering settled (ACK meaning, unit): every receiver's cursor is recomputed for it. */
  function settle(unit: Numbering['unit']): void {
    numbering = { ...numbering, unit };
    unitKnown = true;
    settled = true;
    for (const r of receivers)
      if (r.cursor) r.cursor = advance(numbering, cursor0(first!.seq), first!.length, false);
  }

  /** The unit, from the second number the sender uses; false (and the check ends) when neither fits. */
  function learnUnit(seq: number): boolean {
    const f = first!;
    const unit = seq === f.seq + 1 ? 'segment' : seq === f.seq + f.length ? 'byte' : undefined;
    const tried = candidates[candidate]!;
    if (!unit || (tried.ack === 'next' && tried.unit !== unit)) {
      judge(
        'unit',
        'fails',
        `after seq ${f.seq} (${f.length} bytes) came seq ${seq}, neither the next segment nor the next byte`,
      );
      done = true;
      return false;
    }
    settle(unit);
    return true;
  }

  /**
   * The sender sent `seq`, new to every receiver: stop-and-wait says each receiver has ACKed the previous
   * segment (the garbage receiver aside: that is the garbage rule's question). A running episode ends here.
   */
  function movedOn(seq: number): void {
    lastProgress = transport.now();
    const k = segments.length;
    if (k === 0) return;
    const missing = receivers.flatMap((r, i) =>
      r.acked < k - 1 && reached(r) && !(garbage?.receiver === i && !garbage.outcome) ? [i] : [],
    );
    if (missing.length && !violation) violation = { seq, previous: segments[k - 1]!.seq, missing };
    if (garbage && !garbage.outcome) garbage.outcome = 'moved-on';
    const e = episode;
    if (!e) return;
    e.movedOn = seq;
    for (let i = 0; i < n; i++) release(e, i, 'released: the sender moved on');
  }

  /** A data segment new to every receiver: its index, or undefined when it is not the next one in order. */
  function newSegment(seq: number, length: number): number | undefined {
    if (!first) {
      first = { seq, length };
      numbering = { base: seq === 0 ? 0 : 1, ...candidates[0]! };
    } else if (!unitKnown) {
      if (!learnUnit(seq)) return undefined;
    } else {
      const last = segments.at(-1)!;
      if (seq !== (last.seq + (numbering.unit === 'byte' ? last.length : 1)) >>> 0) return undefined;
    }
    movedOn(seq);
    const k = segments.length;
    segments.push({ seq, length });
    indexOf.set(seq, k);
    startEpisode(k, seq);
    return k;
  }

  const endName = {
    empty: 'an empty data segment',
    type0: 'a header of type 0x0000',
    fin: 'a FIN of all ones',
  };

  function onSegment(a: Arrival, seq: number, payload: Uint8Array | undefined, end: Eof | undefined): void {
    const i = a.receiver;
    const r = receivers[i]!;
    const length = payload?.length ?? 0;
    let k = indexOf.get(seq);
    if (end) {
      if (eof === undefined) {
        if (first && !unitKnown && end !== 'fin' && !learnUnit(seq)) return;
        settled = true;
        eof = end;
        movedOn(seq);
      }
    } else if (k === undefined) k = newSegment(seq, length);
    if (done) return;
    const inOrder = end
      ? !r.ended && (end === 'fin' || seq === r.cursor?.next)
      : seq === (r.cursor?.next ?? first?.seq);
    const again =
      !inOrder && (end ? r.ended : k !== undefined && r.cursor !== undefined && k < r.cursor.taken);
    const what = end
      ? `end of file: ${endName[end]}`
      : `segment ${k === undefined ? '(out of order)' : k + 1}`;
    log(
      {
        dir: 'to-receiver',
        receiver: i,
        seq,
        what: again ? `${what}, again` : what,
        mark: again ? 'resend' : 'send',
      },
      a.t,
    );
    if (inOrder) {
      r.cursor = advance(numbering, r.cursor ?? cursor0(seq), length, end !== undefined);
      r.ended = end !== undefined;
      if (payload && r.bytes + length <= MAX_HELD) r.held.push(payload);
      r.bytes += length;
    }
    // The first segment: which ACK moves the sender on. Repeats after an ACK say it was not the one, but a busy
    // machine can hold a sender that read it still for a timeout or three: three repeats, and the sender still
    // repeating the full retransmission wait after that ACK meaning was first tried.
    if (!settled && k === 0) {
      triedSince ??= a.t;
      if (again && afterAnswer(a) && ++firstRepeats[i]! >= 3 && a.t - triedSince >= options.retransmitWaitMs)
        return nextCandidate();
      return ack(i);
    }
    const e = episode;
    if (e && k === e.k && !e.released[i]) {
      e.times[i]!.push(a.t);
      if (e.modes[i] === 'garbage') {
        if (e.times[i]!.length > 1 && !afterAnswer(a)) return; // sent before it could read the garbage
        if (e.times[i]!.length === 1) {
          const items = garbageFor(i, seq);
          garbage = { seq, receiver: i, items: items.map(([name]) => name) };
          for (const [name, datagram] of items) reply(i, datagram, `garbage: ${name}`);
          return;
        }
        garbage!.outcome = 'retransmitted';
        return release(e, i, 'ACK no longer withheld');
      }
      if (e.times[i]!.length > options.withhold) return release(e, i, 'ACK no longer withheld');
      return log({ dir: 'none', receiver: i, seq, what: 'ACK withheld' });
    }
    if (e && k === e.k && again && afterAnswer(a)) e.repeats[i]!++;
    // An earlier segment again (a keepalive, a late copy) while its ACK of the episode's segment is held back:
    // answered as if that segment had not come, or the answer would be the withheld ACK after all.
    if (e && k !== undefined && k < e.k && !e.released[i])
      return ack(i, { taken: e.k, last: segments[e.k - 1]!.seq, next: e.seq });
    ack(i);
  }

  /** The sender did not move on after the first segment's ACK: try the next meaning. */
  function nextCandidate(): void {
    firstRepeats = new Array<number>(n).fill(0);
    candidate++;
    if (candidate >= candidates.length) {
      judge(
        'ack-meaning',
        'fails',
        `it never moved on from seq ${first!.seq}: ACKs ${first!.seq}, ${first!.seq + 1} and ${first!.seq + first!.length} (received, next segment, next byte) each left it retransmitting`,
      );
      done = true;
      return;
    }
    numbering = { ...numbering, ...candidates[candidate]! };
    triedSince = transport.now();
    for (const [i, r] of receivers.entries())
      if (r.cursor) {
        r.cursor = advance(numbering, cursor0(first!.seq), first!.length, false);
        ack(i);
      }
  }

  function onArrival(a: Arrival): void {
    if (sender === undefined) {
      sender = `${a.address}:${a.port}`;
      firstHeard = lastProgress = a.t;
    } else if (a.address !== hostOf(sender))
      return log(
        { dir: 'to-receiver', receiver: a.receiver, what: `from another host (${a.address}), ignored` },
        a.t,
      );
    lastActivity = a.t;
    const r = receivers[a.receiver]!;
    // Reached only now, when another receiver already has a second segment: it did not wait for this one.
    if (!reached(r) && segments.length > 1 && !violation)
      violation = { seq: segments[1]!.seq, previous: segments[0]!.seq, missing: [a.receiver] };
    r.address = a.address;
    r.port = a.port;
    if (awaitingLife) {
      awaitingLife = false;
      garbage!.outcome = 'went-on';
    }
    if (!encoding) {
      const readable = encodings.filter((e) => readFrame(e, a.datagram).kind === 'data');
      if (readable.length === 0) {
        if (a.t - firstHeard > options.quietMs) done = true;
        if (unreadable === undefined) unreadableWhy = whyNotData(a.datagram) ?? sealedWhy(a.datagram);
        unreadable ??= `${a.datagram.length} bytes starting ${Array.from(a.datagram.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
        return log(
          { dir: 'to-receiver', receiver: a.receiver, what: `not understood: ${a.datagram.length} bytes` },
          a.t,
        );
      }
      // Sequence numbers start at 0 or 1: the byte order that reads one of them comes first.
      const small = (e: Encoding): number => {
        const f = readFrame(e, a.datagram);
        return f.kind === 'data' && f.seq <= 1 ? 0 : 1;
      };
      encodings = readable.sort((x, y) => small(x) - small(y));
      encoding = encodings[0];
    } else if (encodings.length > 1) {
      // Narrowed by every datagram until one encoding is left (seq 0 reads the same in both byte orders).
      const still = encodings.filter((e) => readFrame(e, a.datagram).kind !== 'other');
      if (still.length) {
        encodings = still;
        encoding = still[0];
      }
    }
    const frame = readFrame(encoding!, a.datagram);
    if (frame.kind === 'other') misread ??= a.datagram;
    if (frame.kind === 'other')
      return log({ dir: 'to-receiver', receiver: a.receiver, what: `not understood: ${frame.why}` }, a.t);
    onSegment(
      a,
      frame.seq,
      frame.kind === 'data' ? frame.payload : undefined,
      frame.kind === 'end' ? frame.eof : undefined,
    );
  }

  /** When the next silence means something, and what. */
  function deadline(): { at: number; on: () => void } {
    if (!sender) return { at: started + options.waitMs, on: () => (done = true) };
    if (!encoding) return { at: firstHeard + options.quietMs, on: () => (done = true) };
    if (!settled && segments.length === 1 && !eof)
      return { at: lastActivity + options.retransmitWaitMs, on: nextCandidate };
    const e = episode;
    if (e) {
      const waiting = e.released.flatMap((r, i) => (r ? [] : [i]));
      const at = (i: number): number => (e.times[i]!.at(-1) ?? lastActivity) + options.retransmitWaitMs;
      const soonest = Math.min(...waiting.map(at));
      return {
        at: soonest,
        on: () => {
          for (const i of waiting)
            if (at(i) <= transport.now()) {
              if (e.modes[i] === 'garbage') awaitingLife = true;
              release(e, i, `ACK sent: no retransmission in ${seconds(options.retransmitWaitMs)}`);
            }
        },
      };
    }
    return {
      at: lastActivity + options.quietMs,
      on: () => {
        if (awaitingLife) garbage!.outcome = 'stopped';
        done = true;
      },
    };
  }

  // A sender that keeps resending without moving on (whatever the ACK) is not waited for forever.
  const stallMs = options.retransmitWaitMs * (options.withhold + 2) + options.quietMs;
  let stalled: number | undefined;
  while (!done) {
    if (transport.now() - lastProgress > stallMs) {
      stalled = transport.now() - lastProgress;
      break;
    }
    const { at, on } = deadline();
    const arrival = await transport.next(
      Math.max(0, Math.min(at, lastProgress + stallMs + 1) - transport.now()),
    );
    if (arrival) onArrival(arrival);
    else on();
  }

  // ---- Verdicts.
  if (!sender) return report({ silent: true });
  const dialect: Dialect | undefined =
    encoding && first ? { ...encoding, ...numbering, eof: eof ?? 'none' } : undefined;
  // A segment can read in a byte order its sender does not use for its checksum: a seq 0 reads alike in both, and
  // one checksum in 256 has two equal bytes (0x3f3f), so a big-endian sender whose checksum has its bytes swapped
  // passes that one segment, and none after it. That is no dialect: the checksum's byte order is the bug.
  const swappedAfterAll = misread ? whyNotData(misread) : undefined;
  if (!encoding || !first || swappedAfterAll?.swapped) {
    noneRead = true;
    verdicts.clear(); // anything judged so far read its segments as they are not (an ACK meaning it "ignored")
    judge(
      'byte-order',
      'fails',
      (swappedAfterAll?.swapped ? swappedAfterAll : unreadableWhy)?.text ??
        `its datagrams are in no known format: the first was ${unreadable ?? 'empty'}`,
    );
    return report({});
  }
  const d = dialect!;
  const name = (i: number): string => names[i]!;
  const list = (is: number[]): string => is.map(name).join(', ');
  // Receivers it sent nothing to (it was started without their addresses) are left out of every rule.
  const sentTo = whichReached(true);
  const unreached = whichReached(false);

  // Timeout: the time from a send to its retransmission, where an ACK was withheld.
  const samples = episodes
    .flatMap((e) =>
      e.times.flatMap((ts, i) => (e.modes[i] === 'ack' ? [] : ts.slice(1).map((t, j) => t - ts[j]!))),
    )
    .sort((x, y) => x - y);
  let timeout: TimeoutEstimate | undefined;
  const allWithhold = episodes.find((e) => e.k === 1);
  const longer = '(its timeout may be longer: raise --retransmit-wait)';
  if (samples.length) {
    timeout = {
      samples: samples.length,
      medianMs: Math.round(median(samples)),
      lowMs: Math.round(samples[0]!),
      highMs: Math.round(samples.at(-1)!),
    };
    // The course's 0.1 s, give or take what a busy machine adds to a timer; far from it, the experiments' numbers
    // (rounds x T) are not the course's.
    const course =
      timeout.medianMs >= COURSE_TIMEOUT_RANGE_MS[0] && timeout.medianMs <= COURSE_TIMEOUT_RANGE_MS[1];
    judge(
      'retransmits',
      course ? 'pass' : 'differs',
      `timeout ≈ ${timeout.medianMs} ms: median of ${samples.length} retransmissions (spread ${timeout.lowMs}–${timeout.highMs} ms)` +
        (course ? '' : `; the course's is 0.1 s (${COURSE_TIMEOUT_MS} ms)`),
    );
  } else if (allWithhold && allWithhold.movedOn === undefined)
    // Failed: a sender that never retransmits is the common bug, and within the wait it looks like one whose
    // timeout is longer than the wait (rare: the course's is 0.1 s), which the line tells how to tell apart.
    judge(
      'retransmits',
      'fails',
      `no retransmission within ${seconds(options.retransmitWaitMs)}: seq ${allWithhold.seq} went once to each ` +
        `receiver, whose ACKs were withheld that long ${longer}`,
    );
  else if (allWithhold) {
    // Receivers it had not reached when the episode began were not part of it: they ACKed the segment. A sender
    // that moves on after one ACK (see "waits for every ACK") then had an ACK, not a timeout.
    const ackedAnyway = allWithhold.modes.flatMap((m, i) => (m === 'ack' && sentTo.includes(i) ? [i] : []));
    const withholding = allWithhold.modes.flatMap((m, i) => (m === 'withhold' ? [i] : []));
    judge(
      'retransmits',
      ackedAnyway.length && violation ? 'untested' : 'fails',
      ackedAnyway.length && violation
        ? 'not tested: it does not wait for every ACK (see that rule), so withholding ACKs brought no timeout: ' +
            `while ${list(withholding)} withheld ${withholding.length > 1 ? 'their ACKs' : 'its ACK'} of seq ` +
            `${allWithhold.seq}, the ${ackedAnyway.length > 1 ? 'ACKs' : 'ACK'} of ${list(ackedAnyway)} (not ` +
            `withholding: nothing had reached ${ackedAnyway.length > 1 ? 'them' : 'it'} yet when the withholding ` +
            `began) moved it on to seq ${allWithhold.movedOn}`
        : `never retransmits: with no ACK for seq ${allWithhold.seq}, it sent seq ${allWithhold.movedOn} instead`,
    );
  }

  // Only the receivers without an ACK get a retransmission.
  const one = episodes.find((e) => e.k === 2);
  if (n < 2) judge('only-unacked', 'untested', 'needs two or more receivers (--receivers)');
  else if (sentTo.length < 2)
    judge(
      'only-unacked',
      'untested',
      `not tested: it sent to ${list(sentTo)} only (${receivedNothing(list(unreached))})`,
    );
  else if (one) {
    const w = one.modes.indexOf('withhold');
    const resent = one.times[w]!.length - 1;
    const others = one.repeats.flatMap((count, i) => (i !== w && count >= 2 ? [i] : []));
    if (others.length)
      judge(
        'only-unacked',
        'fails',
        `retransmits to everyone: seq ${one.seq} went again to ${others.map((i) => `${name(i)} (${one.repeats[i]} times)`).join(', ')}, which had ACKed it, while ${name(w)} withheld its ACK`,
      );
    else if (resent > 0)
      judge(
        'only-unacked',
        'pass',
        `seq ${one.seq} went again ${resent} times to ${name(w)} only, the receiver withholding its ACK`,
      );
    else
      judge(
        'only-unacked',
        'untested',
        one.movedOn !== undefined
          ? `not tested: with ${name(w)} withholding its ACK of seq ${one.seq}, it moved on to seq ${one.movedOn} ` +
              `without retransmitting to it${violation ? ' (it does not wait for every ACK: see that rule)' : ''}`
          : `not tested: no retransmission of seq ${one.seq} to ${name(w)} within ${seconds(options.retransmitWaitMs)} ${longer}`,
      );
  }

  // Stop-and-wait across receivers.
  const held = episodes.filter((e) => e.modes.some((m) => m === 'withhold'));
  if (violation)
    judge(
      'waits-all',
      'fails',
      `does not wait for every ACK: it sent seq ${violation.seq} while ${list(violation.missing)} had not ACKed seq ${violation.previous}` +
        // A student checking a windowed sender (Go-Back-N, ours) gets this by design: say so.
        " (a windowed sender, such as Go-Back-N, does so by design: these rules are the course's stop-and-wait)",
    );
  else if (held.length)
    judge(
      'waits-all',
      'pass',
      `withheld ACKs of seq ${held.map((e) => e.seq).join(' and ')} held it back until every receiver had ACKed`,
    );

  // Garbage in place of an ACK.
  const garbled = episodes.find((e) => e.modes.includes('garbage'));
  if (!garbage && garbled?.movedOn !== undefined)
    judge(
      'garbage-acks',
      'untested',
      `not tested: it moved on to seq ${garbled.movedOn} before seq ${garbled.seq} reached ` +
        `${name(garbled.modes.indexOf('garbage'))}, the receiver that was to answer it with garbage` +
        (violation ? ' (it does not wait for every ACK: see that rule)' : ''),
    );
  if (garbage) {
    const what = `${name(garbage.receiver)} answered seq ${garbage.seq} with garbage instead of its ACK (${garbage.items.join(', ')})`;
    const outcome = garbage.outcome;
    if (outcome === 'retransmitted')
      judge('garbage-acks', 'pass', `after ${what}, it sent seq ${garbage.seq} again and went on`);
    else if (outcome === 'went-on')
      judge('garbage-acks', 'pass', `after ${what}, it went on once the real ACK came`);
    else if (outcome === 'stopped')
      judge(
        'garbage-acks',
        'fails',
        `stopped after ${what}: nothing more came, not even after the real ACK (${seconds(options.quietMs)} of silence)`,
      );
    else if (outcome === 'moved-on')
      judge(
        'garbage-acks',
        violation ? 'untested' : 'fails',
        violation
          ? `not tested: it moved on from seq ${garbage.seq} without waiting for ${name(garbage.receiver)}, which ` +
              'answered with garbage, as it moves on without waiting for every ACK (see that rule): whether it takes ' +
              'garbage for an ACK cannot be told'
          : `takes garbage for an ACK: after ${what}, it moved on to the next segment; an ACK moves a sender on ` +
              `only when it is whole, of type 0xAAAA and carries the segment's number (it took one of: the header ` +
              `of type 0x1234, which carries seq ${garbage.seq}: is the type field checked?; the ACK cut short: ` +
              `is the length checked?; ACK ${(garbage.seq + 1000) >>> 0} of a segment never sent: is the number ` +
              'checked?)',
      );
  }

  // Segment sizes: MSS bytes each but the last. Without --mss, the first segment's size is taken for the MSS, and
  // said, for the user to compare with the MSS the sender was given (one byte short is a classic slip).
  const data = segments;
  if (data.length) {
    const mss = options.mss ?? data[0]!.length;
    const short = data.findIndex((s, k) => k < data.length - 1 && s.length !== mss);
    const wrong = short >= 0 ? short : data.length - 1;
    const last = data.at(-1)!;
    if (short >= 0 || last.length > mss) {
      const size = data[wrong]!.length;
      const than = options.mss ? `the MSS of ${mss} (--mss)` : `the first segment (${mss})`;
      judge(
        'segment-size',
        'fails',
        `segment ${wrong + 1} (seq ${data[wrong]!.seq}) carries ${size} bytes, ` +
          (size < mss
            ? `fewer than ${than}: only the last may carry fewer`
            : `more than ${than}${options.mss ? '' : ': every segment but the last carries the MSS'}`),
      );
    } else
      judge(
        'segment-size',
        'pass',
        (data.length === 1
          ? `one segment of ${last.length} bytes`
          : `${data.length} segments of ${mss} bytes${last.length !== mss ? ` but the last (${last.length})` : ''}`) +
          (options.mss
            ? `, the MSS given (--mss ${mss})`
            : data.length > 1
              ? `: is ${mss} your MSS? (--mss N checks it)`
              : ''),
      );
  }

  // The file.
  const bytes = receivers.map((r) => r.bytes);
  const join = (r: Receiver): Uint8Array => {
    const out = new Uint8Array(r.bytes);
    let o = 0;
    for (const part of r.held) {
      out.set(part, o);
      o += part.length;
    }
    return out;
  };
  const firstDifference = (x: Uint8Array, y: Uint8Array): number => {
    const shorter = Math.min(x.length, y.length);
    for (let i = 0; i < shorter; i++) if (x[i] !== y[i]) return i;
    return x.length === y.length ? -1 : shorter;
  };
  const reference = options.file;
  const whole = receivers.every((r) => r.bytes <= MAX_HELD);
  const base = sentTo[0]!; // the sender was heard: it sent to one at least
  const expected = reference?.data ?? join(receivers[base]!);
  const problems = sentTo.flatMap((i) => {
    const r = receivers[i]!;
    if (r.bytes !== expected.length)
      return [
        `${name(i)} holds ${r.bytes} bytes${reference ? ` of ${reference.name}'s ${expected.length}` : `, ${name(base)} ${expected.length}`}`,
      ];
    const at = whole ? firstDifference(join(r), expected) : -1;
    return at >= 0
      ? [`${name(i)} differs from ${reference ? reference.name : name(base)} at byte ${at}`]
      : [];
  });
  const every = unreached.length ? 'every receiver it sent to' : 'every receiver';
  const last = segments.at(-1);
  if (stalled !== undefined)
    judge(
      'file',
      'fails',
      `the transfer never finished: nothing new for ${seconds(stalled)} after seq ${last?.seq ?? first.seq}, though every receiver ACKed what it had in order`,
    );
  else if (problems.length) judge('file', 'fails', problems.join('; '));
  else if (reference)
    judge('file', 'pass', `${every} holds ${reference.name} byte for byte (${reference.data.length} bytes)`);
  else
    judge(
      'file',
      'untested',
      `${every} holds the same ${bytes[base]} bytes; given the file sent (--file, or in the app), the check compares them with it`,
    );

  // The dialect, rule by rule: each fact passes (the course's way), differs, or was not seen.
  const fact = (
    id: ClientRuleId,
    status: 'pass' | 'differs' | 'untested',
    says: Record<typeof status, string>,
  ) => verdicts.has(id) || judge(id, status, says[status]);
  const single = 'not tested: it sent one segment only';
  const littleBytes = Array.from(encodeSegment(d, first.seq, TYPE_DATA, EMPTY).subarray(0, 4), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join(' ');
  judge(
    ...formatVerdict(d, `little-endian header: its first segment starts ${littleBytes} for seq ${first.seq}`),
  );
  fact('coverage', d.coverage === 'payload' ? 'differs' : 'pass', {
    differs: 'payload-only checksum: its checksums cover the payload alone, not seq+type+payload',
    pass: 'checksum over sequence number, type and payload',
    untested: single,
  });
  judge(
    'base',
    first.seq === 1 ? 'pass' : first.seq === 0 ? 'differs' : 'fails',
    first.seq === 1
      ? 'the first segment is numbered 1'
      : first.seq === 0
        ? 'sequence numbers from 0: its first segment is seq 0, not 1'
        : `its first segment is seq ${first.seq}, neither 1 nor 0`,
  );
  fact('unit', !unitKnown ? 'untested' : d.unit === 'byte' ? 'differs' : 'pass', {
    differs: `sequence numbers count bytes: after seq ${first.seq} (${first.length} bytes) came seq ${first.seq + first.length}`,
    pass: 'one sequence number per segment',
    untested: single,
  });
  fact('ack-meaning', !settled ? 'untested' : d.ack === 'next' ? 'differs' : 'pass', {
    differs: `waits for ACKs of the next number expected: ACK ${first.seq} of seq ${first.seq} left it retransmitting, ACK ${ackAt(d, advance(d, cursor0(first.seq), first.length, false))} moved it on`,
    pass: 'moves on when an ACK carries the number received',
    untested: single,
  });
  const crashed = garbage?.outcome === 'stopped';
  judge(
    'end-of-file',
    crashed ? 'untested' : d.eof === 'empty' ? 'pass' : 'differs',
    crashed
      ? 'not tested: it stopped before the end'
      : d.eof === 'empty'
        ? 'an empty data segment ends the file'
        : d.eof === 'none'
          ? `no end-of-file signal: after its last segment it went quiet (${seconds(options.quietMs)}), as the reference implementation does`
          : d.eof === 'type0'
            ? 'a header of type 0x0000 ends the file, not an empty data segment'
            : 'a FIN of all ones ends the file, not an empty data segment',
  );
  return report({
    dialect: crashed ? { ...d, eofUnknown: true as const } : d,
    ...(unreached.length ? { unreached: unreached.map(name) } : {}),
    received: bytes,
    ...(timeout ? { timeout } : {}),
  });

  function report(extra: Partial<ClientReport>): ClientReport {
    return {
      receivers: names,
      port: options.port,
      ...(sender ? { sender } : {}),
      ...extra,
      verdicts: CLIENT_RULE_IDS.map(
        (id) =>
          verdicts.get(id) ?? {
            id,
            status: 'untested',
            detail: extra.silent
              ? 'not tested: no sender was heard'
              : noneRead
                ? 'not tested: its segments could not be read (see "header format and byte order")'
                : `not tested: the sender stopped after ${counted(segments.length, 'segment')}`,
          },
      ),
      evidence,
    };
  }
}
