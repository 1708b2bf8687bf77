// Small senders for p2mpcheck client's tests, written like the course's reference client (protocol-facts.md):
// every datagram goes out from a NEW UDP socket (a fresh source port), and its ACK is awaited on that socket;
// stop-and-wait over N receivers with a fixed timeout, retransmitting only to the receivers that have not ACKed.
// Each speaks a dialect (src/shared/protocol/dialect.ts) through p2mpcheck's codec, and has one switch per
// classic bug of student senders.
import { createSocket, type Socket } from 'node:dgram';
import {
  checksumOf,
  decodeAck,
  encodeSegment,
  HEADER,
  spell,
  type Encoding,
  type Format,
} from '../../src/shared/check/dialect.js';
import { STANDARD_DIALECT, type Dialect } from '../../src/shared/protocol/dialect.js';
import { TYPE_DATA } from '../../src/shared/protocol/segment.js';

export interface SenderBugs {
  /** Sends each segment once and waits for its ACKs forever (up to giveUpMs). */
  neverRetransmits?: boolean;
  /** On a timeout, sends the segment again to every receiver, also to those that ACKed it. */
  retransmitsToAll?: boolean;
  /** Moves on to the next segment as soon as one receiver has ACKed. */
  doesNotWaitForAll?: boolean;
  /** Stops dead (all sockets closed, nothing more sent) on a datagram that is not an ACK. */
  crashesOnGarbage?: boolean;
  /** Sends no end-of-file marker, whatever its dialect says. */
  noEndMarker?: boolean;
  /** Takes any ACK for the segment's, whatever number it carries. */
  ignoresAckNumber?: boolean;
  /** Reads the number of any whole header as an ACK's, never checking its type field (binary only). */
  ignoresAckType?: boolean;
  /** Writes the checksum of its data segments with its two bytes swapped (binary only). */
  checksumSwapped?: boolean;
  /** Leaves out the final complement of the checksum of its data segments (binary only). */
  checksumNotComplemented?: boolean;
}

export interface SenderPeerOptions {
  data: Uint8Array;
  receivers: { address: string; port: number }[];
  mss: number;
  dialect?: Dialect;
  /** binary (default) or the reference implementation's ASCII bits. */
  format?: Format;
  /** Retransmission timeout (ms), the reference's 0.1 s by default. */
  timeoutMs?: number;
  /** A segment not fully ACKed this long after its first send ends the sender (bounds every test). */
  giveUpMs?: number;
  bugs?: SenderBugs;
}

export interface Send {
  /** ms since the sender started. */
  t: number;
  receiver: number;
  seq: number;
  what: 'data' | 'end';
  retransmission: boolean;
}

export interface SenderPeerResult {
  /** 'done': every segment (and end marker) ACKed; 'crashed': stopped on garbage; 'gave-up': giveUpMs passed. */
  outcome: 'done' | 'crashed' | 'gave-up';
  sends: Send[];
  /** Why it crashed: the first datagram that was no ACK, in hex. */
  garbage?: string;
}

/** An end marker resent this many times without its ACK is given up on, as real senders that just exit do. */
const END_TRIES = 5;
const FIN = new Uint8Array(HEADER).fill(0xff);

export async function sendAsPeer(options: SenderPeerOptions): Promise<SenderPeerResult> {
  const dialect = options.dialect ?? STANDARD_DIALECT;
  const bugs = options.bugs ?? {};
  const codec: Encoding = {
    format: options.format ?? 'binary',
    order: dialect.order,
    coverage: dialect.coverage,
  };
  const timeoutMs = options.timeoutMs ?? 100;
  const giveUpMs = options.giveUpMs ?? 10_000;
  const started = performance.now();
  const sends: Send[] = [];
  const open = new Set<Socket>();
  let garbage: string | undefined;
  let crash: () => void = () => undefined;
  const crashed = new Promise<'crashed'>((resolve) => (crash = () => resolve('crashed')));

  /** One send to receiver i from a fresh socket, which reports the ACK numbers that come back to it. */
  const sendOnce = (i: number, datagram: Uint8Array, onAck: (seq: number) => void): Socket => {
    const socket = createSocket('udp4');
    open.add(socket);
    socket.on('error', () => undefined);
    socket.on('message', (msg) => {
      const ack =
        bugs.ignoresAckType && codec.format === 'binary' && msg.length === HEADER
          ? { seq: codec.order === 'little' ? msg.readUInt32LE(0) : msg.readUInt32BE(0) }
          : decodeAck(msg, codec);
      if (ack) return onAck(ack.seq);
      if (!bugs.crashesOnGarbage || garbage !== undefined) return;
      garbage = Buffer.from(msg).toString('hex');
      crash();
    });
    socket.bind(0, '127.0.0.1', () => {
      const to = options.receivers[i]!;
      if (open.has(socket)) socket.send(datagram, to.port, to.address);
    });
    return socket;
  };
  const close = (sockets: Socket[]): void => {
    for (const socket of sockets) if (open.delete(socket)) socket.close();
  };

  /**
   * One stop-and-wait round: `datagram` to every receiver until each has sent an `expected` ACK, at most
   * `tries` transmissions each.
   */
  const round = (
    datagram: Uint8Array,
    seq: number,
    what: Send['what'],
    expected: (ack: number) => boolean,
    tries = Infinity,
  ): Promise<'done' | 'gave-up'> =>
    new Promise((resolve) => {
      const n = options.receivers.length;
      const acked = new Array<boolean>(n).fill(false);
      const sent = new Array<number>(n).fill(0);
      const firstSent = performance.now();
      const sockets: Socket[] = [];
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Late ACKs of a finished round go nowhere, as with the reference client's per-send sockets.
      const finish = (outcome: 'done' | 'gave-up'): void => {
        clearTimeout(timer);
        close(sockets);
        resolve(outcome);
      };
      const enough = (): boolean => (bugs.doesNotWaitForAll ? acked.some(Boolean) : acked.every(Boolean));
      const transmit = (i: number): void => {
        sends.push({
          t: performance.now() - started,
          receiver: i,
          seq,
          what,
          retransmission: sent[i]! > 0,
        });
        sent[i]!++;
        sockets.push(
          sendOnce(i, datagram, (ack) => {
            if ((!expected(ack) && !bugs.ignoresAckNumber) || acked[i]) return;
            acked[i] = true;
            if (enough()) finish('done');
          }),
        );
      };
      const tick = (): void => {
        if (garbage !== undefined) return finish('done'); // the crash wins the race below
        if (performance.now() - firstSent >= giveUpMs) return finish('gave-up');
        const again = options.receivers
          .map((_, i) => i)
          .filter((i) => (bugs.retransmitsToAll || !acked[i]) && sent[i]! < tries);
        if (again.length === 0 && acked.some((a, i) => !a && sent[i]! >= tries)) return finish('done');
        if (!bugs.neverRetransmits) again.forEach(transmit);
        timer = setTimeout(tick, timeoutMs);
      };
      for (let i = 0; i < n; i++) transmit(i);
      timer = setTimeout(tick, timeoutMs);
    });

  const run = async (): Promise<'done' | 'gave-up'> => {
    // In byte units the end marker takes one number, as TCP's FIN does (src/shared/protocol/numbering.ts).
    const step = (length: number, end = false): number => (dialect.unit === 'byte' && !end ? length : 1);
    const ackOf = (seq: number, length: number, end = false): number =>
      (dialect.ack === 'next' ? seq + step(length, end) : seq) >>> 0;
    let seq = dialect.base;
    for (let offset = 0; offset < options.data.length; offset += options.mss) {
      const payload = options.data.subarray(offset, offset + options.mss);
      const sum = checksumOf(codec, seq, TYPE_DATA, payload);
      const checksum = bugs.checksumSwapped
        ? ((sum & 0xff) << 8) | (sum >> 8)
        : bugs.checksumNotComplemented
          ? ~sum & 0xffff
          : sum;
      const datagram = encodeSegment(codec, seq, TYPE_DATA, payload, checksum);
      const want = ackOf(seq, payload.length);
      if ((await round(datagram, seq, 'data', (ack) => ack === want)) === 'gave-up') return 'gave-up';
      if (garbage !== undefined) return 'done';
      seq = (seq + step(payload.length)) >>> 0;
    }
    const eof = bugs.noEndMarker ? 'none' : dialect.eof;
    if (eof === 'none') return 'done';
    const marker =
      eof === 'empty'
        ? encodeSegment(codec, seq, TYPE_DATA, new Uint8Array(0))
        : eof === 'type0'
          ? encodeSegment(codec, seq, 0x0000, new Uint8Array(0))
          : spell(codec, FIN);
    const want = ackOf(seq, 0, true);
    // A FIN carries no number of its own: any ACK answers it.
    const expected = eof === 'fin' ? () => true : (ack: number) => ack === want;
    return round(marker, eof === 'fin' ? 0xffff_ffff : seq, 'end', expected, END_TRIES);
  };

  try {
    const outcome = await Promise.race([run(), crashed]);
    return { outcome, sends, ...(garbage !== undefined ? { garbage } : {}) };
  } finally {
    close([...open]);
  }
}
