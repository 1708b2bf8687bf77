// What a datagram means once decoded, whatever the wire profile and dialect. Profiles are pure codecs over Buffers.
import type { ProfileName } from '../limits.js';
import type { EndOfFile } from './dialect.js';
import type { Sack } from './sack.js';

export { MAX_DATAGRAM, PROFILE_NAMES, type ProfileName } from '../limits.js';

export const TYPE_DATA = 0x5555;
export const TYPE_ACK = 0xaaaa;
/** Type of the end-of-file header some implementations send instead of an empty data segment (dialect eof-type0). */
export const TYPE_EOF = 0x0000;
/** Sequence numbers are 32-bit and start at 1; the end marker takes one number too. */
export const MAX_SEQ = 0xffff_ffff;

export type Segment =
  | { kind: 'data'; seq: number; checksum: number; payload: Buffer }
  | { kind: 'ack'; seq: number; checksum: number }
  /** A dialect's end-of-file header: type 0x0000 at the next number, or a FIN, which carries none (numbered false). */
  | { kind: 'end'; seq: number; checksum: number; numbered: boolean };

/** Why a datagram was refused. Decoding never throws: hostile bytes end up as one of these. */
export type Rejection =
  | 'too-short' // shorter than a header
  | 'bad-length' // a length the profile cannot produce (e.g. an ACK with a payload)
  | 'bad-encoding' // seed-text: a character other than '0' or '1'
  | 'bad-type' // neither 0x5555 nor 0xAAAA (nor the dialect's end-of-file header)
  | 'bad-checksum';

export type Decoded = { ok: true; segment: Segment } | { ok: false; reason: Rejection; seq?: number };

export interface WireProfile {
  name: ProfileName;
  /** Largest payload (MSS) whose data segment fits one UDP datagram. */
  maxMss: number;
  /** How the sender says the file is complete in this dialect. */
  eof: EndOfFile;
  encodeData(seq: number, payload: Uint8Array): Buffer;
  /** `summed`: with its checksum in binary too, as our receivers ACK an offered transfer. */
  encodeAck(seq: number, summed?: boolean): Buffer;
  /** Selective Repeat's cumulative ACK with a bitmap (sack.ts), agreed through the offer. */
  encodeSack(sack: Sack, summed?: boolean): Buffer;
  decodeSack(datagram: Buffer): Sack | undefined;
  /** Whether an ACK carries its checksum (a binary course ACK's middle field is zeros, or anything). */
  ackSummed(datagram: Buffer): boolean;
  /** The end-of-file signal at `seq`: an empty data segment, a header of type 0x0000, or a FIN (no number). */
  encodeEnd(seq: number): Buffer;
  /** Datagram length of a data segment carrying `payloadLength` bytes. */
  dataLength(payloadLength: number): number;
  decode(datagram: Buffer): Decoded;
}
