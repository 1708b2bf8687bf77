// Small receivers for p2mpcheck's tests, each with one classic bug or dialect of student implementations: the
// course's stop-and-wait receiver logic (ACK the last in-order segment) with a switch per deviation. Written
// from the datagram up, not with our codec, so that they check it.
import { createSocket } from 'node:dgram';
import { appendFileSync } from 'node:fs';
import type { Dialect, EndOfFile } from '../../src/shared/protocol/dialect.js';
import { complement, headerSum, onesComplementSum } from '../../src/shared/protocol/checksum.js';
import { seededRandom } from '../../src/shared/network/random.js';

export interface Quirks {
  /** Closes its socket (as a crash would) on a datagram shorter than the 8-byte header. */
  crashOnShort?: boolean;
  /** ACKs the next sequence number expected instead of the one received. */
  ackNext?: boolean;
  /** Checksum over the payload only. */
  payloadOnly?: boolean;
  /** First segment is numbered 0. */
  base0?: boolean;
  /** Header fields little-endian. */
  littleEndian?: boolean;
  /** Never checks the checksum, so it ACKs corrupted data. */
  ackCorrupt?: boolean;
  /** Checks the checksum, but answers a bad one as anything out of order: the last in-order ACK again. */
  reAcksCorrupt?: boolean;
  /** Sequence numbers are byte offsets. */
  byteOffsets?: boolean;
  /**
   * What ends the file: it ACKs that signal in order, then stops answering (its socket closed). Absent or
   * 'none': nothing does (an empty data segment is just data), as the reference receiver.
   */
  eof?: EndOfFile;
  /** Drops each data datagram with this probability (seeded), before looking at it. */
  loss?: number;
  /** Appends each in-order payload to this file. */
  file?: string;
  /** With `file`: appends a duplicate of the last in-order segment again. */
  writesDuplicatesTwice?: boolean;
  /** With `file`: appends a segment that comes ahead of the one expected too (its ACK still the last in order). */
  writesOutOfOrder?: boolean;
  /** Sends every ACK to the port the first segment came from (the reference client never hears them). */
  pinsFirstPort?: boolean;
  /** With `file`: creates it, then ACKs every segment without writing any. */
  writesNothing?: boolean;
  /** Reads the header big-endian but writes its ACK's sequence number little-endian. */
  ackLittleEndian?: boolean;
  /** Reads the checksum field in the other byte order than the rest of the header. */
  checksumSwapped?: boolean;
  /** Never answers a segment it already has (a duplicate); new ones, in order or ahead, as the course says. */
  ignoresDuplicates?: boolean;
  /** Ignores a data segment without payload: it ACKs no end-of-file signal, and ends by silence. */
  ignoresEmpty?: boolean;
  /**
   * Takes a new segment in order without ACKing it (nor ending on it): only a copy sent again, a duplicate by
   * then, is ACKed. Against a sender that waits for each ACK, every segment costs a timeout.
   */
  ignoresFirstCopies?: boolean;
  /** The type its ACKs carry, where not the course's 0xAAAA. */
  ackType?: number;
  /** Writes its ACK's middle field and type the other way round (0xAAAA in bytes 4-5). */
  ackFieldsSwapped?: boolean;
  /** Zero bytes sent after its ACK's 8-byte header. */
  ackPadding?: number;
  /** ACKs a segment it takes in order with its number minus one (anything else as the course says). */
  ackOneLess?: boolean;
  /** Sends each reply this long after the datagram it answers came (a slow receiver). */
  answerDelayMs?: number;
}

/** The quirks of a receiver speaking `dialect`. */
export const quirksOf = (dialect: Dialect): Quirks => ({
  littleEndian: dialect.order === 'little',
  payloadOnly: dialect.coverage === 'payload',
  base0: dialect.base === 0,
  byteOffsets: dialect.unit === 'byte',
  ackNext: dialect.ack === 'next',
  eof: dialect.eof,
});

export interface Peer {
  port: number;
  close: () => void;
  /** Resolves when an end-of-file signal has ended it. */
  ended: Promise<void>;
}

const TYPE_DATA = 0x5555;
const TYPE_EOF = 0x0000;

/** What a peer does with one datagram: the reply it sends (none: silent), and whether it closes its socket then. */
export interface Answer {
  reply?: Buffer;
  /** Closes its socket: at once (a crash), or after the reply (an end-of-file signal ended it). */
  closes?: 'now' | 'after reply';
}

/**
 * A peer's receiver logic, without its socket: `write` gets each payload it appends to its file (none: no file).
 * Shared by startPeer's UDP peers and the virtual-time transports of the tests.
 */
export function receiverLogic(quirks: Quirks, write?: (payload: Buffer) => void): (msg: Buffer) => Answer {
  const le = quirks.littleEndian === true;
  const drop = seededRandom(7);
  let expected = quirks.base0 ? 0 : 1;
  let last = expected - 1; // the last in-order sequence number (-1, sent as 0xFFFFFFFF, when counting from 0)
  return (msg) => {
    if (msg.length < 8) return quirks.crashOnShort ? { closes: 'now' } : {};
    if (quirks.loss !== undefined && drop() < quirks.loss) return {};
    const seq = le ? msg.readUInt32LE(0) : msg.readUInt32BE(0);
    const checksum = le !== (quirks.checksumSwapped === true) ? msg.readUInt16LE(4) : msg.readUInt16BE(4);
    const type = le ? msg.readUInt16LE(6) : msg.readUInt16BE(6);
    const payload = msg.subarray(8);
    const fin = quirks.eof === 'fin' && msg.length === 8 && msg.every((b) => b === 0xff);
    const type0 = quirks.eof === 'type0' && type === TYPE_EOF && payload.length === 0;
    if (type !== TYPE_DATA && !type0 && !fin) return {};
    if (quirks.ignoresEmpty && type === TYPE_DATA && payload.length === 0) return {};
    const sum = onesComplementSum(payload, quirks.payloadOnly ? 0 : headerSum(seq, type));
    const bad = !fin && !quirks.ackCorrupt && complement(sum) !== checksum;
    if (bad && !quirks.reAcksCorrupt) return {};
    if (quirks.ignoresDuplicates && !fin && seq !== expected && seq <= last) return {};
    const end = fin || type0 || (quirks.eof === 'empty' && payload.length === 0);
    const endsNow = end && (seq === expected || fin);
    const takes = !bad && (seq === expected || fin);
    if (takes) {
      last = expected;
      // In byte units an end signal takes one number, as TCP's FIN (and our numbering) does.
      expected += quirks.byteOffsets && !end ? payload.length : 1;
      if (!quirks.writesNothing) write?.(payload);
      if (quirks.ignoresFirstCopies) return {};
    } else if (!bad && quirks.writesDuplicatesTwice && seq === last) write?.(payload);
    else if (!bad && quirks.writesOutOfOrder && seq > expected) write?.(payload);
    const ack = Buffer.alloc(8 + (quirks.ackPadding ?? 0));
    const number = (quirks.ackNext ? expected : takes && quirks.ackOneLess ? last - 1 : last) >>> 0;
    if (le || quirks.ackLittleEndian) ack.writeUInt32LE(number, 0);
    else ack.writeUInt32BE(number, 0);
    ack.writeUInt16BE(quirks.ackType ?? 0xaaaa, quirks.ackFieldsSwapped ? 4 : 6);
    return { reply: ack, ...(endsNow ? { closes: 'after reply' as const } : {}) };
  };
}

export async function startPeer(quirks: Quirks, address = '127.0.0.1'): Promise<Peer> {
  if (quirks.file && quirks.writesNothing) appendFileSync(quirks.file, '');
  const socket = createSocket('udp4');
  let open = true;
  let markEnded!: () => void;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const close = (): void => {
    if (open) socket.close();
    open = false;
  };
  const file = quirks.file;
  const answer = receiverLogic(quirks, file ? (payload) => appendFileSync(file, payload) : undefined);
  let firstFrom: { port: number; address: string } | undefined;
  socket.on('message', (msg, received) => {
    if (!open) return;
    firstFrom ??= received;
    const from = quirks.pinsFirstPort ? firstFrom : received;
    const { reply, closes } = answer(msg);
    if (closes === 'now') close();
    if (!reply) return;
    const send = (): void =>
      socket.send(reply, from.port, from.address, () => {
        if (closes !== 'after reply') return;
        close();
        markEnded();
      });
    if (quirks.answerDelayMs === undefined) send();
    else setTimeout(() => open && send(), quirks.answerDelayMs);
  });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return { port: socket.address().port, close, ended };
}
