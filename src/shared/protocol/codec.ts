// A wire profile (standard binary or seed-text) speaking a dialect's bytes: its byte order, checksum coverage and
// end-of-file signal, over the one segment codec (wire.ts). Numbering (base, unit, ACK meaning) is numbering.ts's.
import { MAX_MSS, type ProfileName } from '../limits.js';
import { STANDARD_DIALECT, type Dialect } from './dialect.js';
import { senderNumbering, type SenderNumbering } from './numbering.js';
import { decodeSack, encodeSack } from './sack.js';
import { MAX_SEQ, TYPE_ACK, TYPE_DATA, TYPE_EOF, type WireProfile } from './segment.js';
import {
  ackChecksum,
  ackSummed,
  checksumOf,
  EMPTY,
  encodeAck,
  encodeFin,
  encodeSegment,
  encodingOf,
  isFin,
  readSegment,
  segmentLength,
} from './wire.js';

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);

export function wireProfile(name: ProfileName, dialect: Dialect = STANDARD_DIALECT): WireProfile {
  const encoding = encodingOf(name, dialect);
  const { eof } = dialect;
  return {
    name,
    maxMss: MAX_MSS[name],
    eof,
    encodeData: (seq, payload) => asBuffer(encodeSegment(encoding, seq, TYPE_DATA, payload)),
    encodeAck: (seq, summed) => asBuffer(encodeAck(encoding, seq, summed)),
    encodeSack: (sack, summed) => asBuffer(encodeSack(encoding, sack, summed)),
    ackSummed: (datagram) => ackSummed(encoding, datagram),
    decodeSack: (datagram) => decodeSack(encoding, datagram),
    encodeEnd: (seq) =>
      asBuffer(
        eof === 'fin'
          ? encodeFin(encoding)
          : encodeSegment(encoding, seq, eof === 'type0' ? TYPE_EOF : TYPE_DATA, EMPTY),
      ),
    dataLength: (payloadLength) => segmentLength(encoding, payloadLength),
    decode(datagram) {
      const read = readSegment(encoding, datagram);
      if (!read.ok) return read;
      const { seq, checksum, type, payload } = read.fields;
      if (type === TYPE_ACK) {
        if (payload.length !== 0) return { ok: false, reason: 'bad-length', seq };
        // A binary ACK's middle field is ignored: implementations fill it with zeros or a checksum. Every
        // seed-text ACK (the reference's and ours) carries a real one: checked, so a corrupted ACK cannot pass
        // for the ACK of another chunk.
        if (encoding.format === 'seed-text' && checksum !== ackChecksum(seq))
          return { ok: false, reason: 'bad-checksum', seq };
        return { ok: true, segment: { kind: 'ack', seq, checksum } };
      }
      if (eof === 'fin' && isFin(read.fields))
        return { ok: true, segment: { kind: 'end', seq, checksum, numbered: false } };
      const end = eof === 'type0' && type === TYPE_EOF && payload.length === 0;
      if (type !== TYPE_DATA && !end) return { ok: false, reason: 'bad-type', seq };
      // Only a dialect whose end marker is an empty data segment has empty data segments.
      if (type === TYPE_DATA && payload.length === 0 && eof !== 'empty')
        return { ok: false, reason: 'bad-length', seq };
      if (checksum !== checksumOf(encoding, seq, type, payload))
        return { ok: false, reason: 'bad-checksum', seq };
      if (end) return { ok: true, segment: { kind: 'end', seq, checksum, numbered: true } };
      return { ok: true, segment: { kind: 'data', seq, checksum, payload: asBuffer(payload) } };
    },
  };
}

/** What the sender of one transfer speaks: chunks 1..chunks, then the end signal, in the dialect's numbers. */
export interface SenderCodec {
  profile: WireProfile;
  numbering: SenderNumbering;
  /** The last segment sent: the end marker (chunks + 1), or the last chunk when the dialect has no end signal. */
  last: number;
  /** Segment k: chunk k's payload, or the end signal at k = chunks + 1. */
  segment(k: number, payload: Uint8Array): Buffer;
  /**
   * The end signal carries no number (a FIN): a receiver takes it wherever it stands, so it may go out only
   * once every receiver has every chunk (Go-Back-N must not send it ahead in its window).
   */
  endAfterAll: boolean;
  /** Why this transfer cannot be numbered in 32 bits, or null. */
  problem: string | null;
}

export function senderCodec(name: ProfileName, dialect: Dialect, mss: number, size: number): SenderCodec {
  const profile = wireProfile(name, dialect);
  const numbering = senderNumbering(dialect, mss, size);
  const chunks = Math.ceil(size / mss);
  const last = dialect.eof === 'none' ? chunks : chunks + 1;
  const tooLarge = numbering.highest(last) > MAX_SEQ;
  return {
    profile,
    numbering,
    last,
    endAfterAll: dialect.eof === 'fin',
    segment: (k, payload) =>
      k > chunks ? profile.encodeEnd(numbering.seq(k)) : profile.encodeData(numbering.seq(k), payload),
    problem:
      // Without an end marker an empty file is nothing at all, and a FIN alone starts no transfer.
      size === 0 && (dialect.eof === 'none' || dialect.eof === 'fin')
        ? `an empty file cannot be sent in dialect eof-${dialect.eof}: nothing would tell a receiver it exists; send at least one byte`
        : !tooLarge
          ? null
          : dialect.unit === 'byte'
            ? `file too large for dialect bytes: its byte offsets exceed the 32-bit sequence space`
            : `file too large for MSS ${mss}: ${chunks} chunks exceed the 32-bit sequence space`,
  };
}
