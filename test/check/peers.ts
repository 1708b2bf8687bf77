// Small receivers for p2mpcheck's tests, each with one classic bug or dialect of student implementations: the
// course's stop-and-wait receiver logic (ACK the last in-order segment) with a switch per deviation.
import { createSocket } from 'node:dgram';
import { appendFileSync } from 'node:fs';
import { complement, headerSum, onesComplementSum } from '../../src/shared/protocol/checksum.js';

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
  /** Sequence numbers are byte offsets. */
  byteOffsets?: boolean;
  /** Appends each in-order payload to this file. */
  file?: string;
  /** With `file`: appends a duplicate of the last in-order segment again. */
  writesDuplicatesTwice?: boolean;
}

export interface Peer {
  port: number;
  close: () => void;
}

export async function startPeer(quirks: Quirks): Promise<Peer> {
  const socket = createSocket('udp4');
  let open = true;
  const close = (): void => {
    if (open) socket.close();
    open = false;
  };
  const le = quirks.littleEndian === true;
  let expected = quirks.base0 ? 0 : 1;
  let last = expected - 1; // the last in-order sequence number (-1, sent as 0xFFFFFFFF, when counting from 0)
  socket.on('message', (msg, from) => {
    if (msg.length < 8) {
      if (quirks.crashOnShort) close();
      return;
    }
    const seq = le ? msg.readUInt32LE(0) : msg.readUInt32BE(0);
    const checksum = le ? msg.readUInt16LE(4) : msg.readUInt16BE(4);
    const type = le ? msg.readUInt16LE(6) : msg.readUInt16BE(6);
    if (type !== 0x5555) return;
    const payload = msg.subarray(8);
    const sum = onesComplementSum(payload, quirks.payloadOnly ? 0 : headerSum(seq, type));
    if (!quirks.ackCorrupt && complement(sum) !== checksum) return;
    if (seq === expected) {
      last = seq;
      expected += quirks.byteOffsets ? payload.length : 1;
      if (quirks.file) appendFileSync(quirks.file, payload);
    } else if (quirks.file && quirks.writesDuplicatesTwice && seq === last)
      appendFileSync(quirks.file, payload);
    const ack = Buffer.alloc(8);
    const number = (quirks.ackNext ? expected : last) >>> 0;
    if (le) ack.writeUInt32LE(number, 0);
    else ack.writeUInt32BE(number, 0);
    ack.writeUInt16BE(0xaaaa, 6);
    socket.send(ack, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, close };
}
