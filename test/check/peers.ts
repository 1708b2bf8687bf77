// Small receivers for p2mpcheck's tests, each with one classic bug or dialect of student implementations: the
// course's stop-and-wait receiver logic (ACK the last in-order segment) with a switch per deviation.
import { createSocket } from 'node:dgram';
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
    if (seq === expected) expected++;
    const ack = Buffer.alloc(8);
    const number = (quirks.ackNext ? expected : expected - 1) >>> 0;
    if (le) ack.writeUInt32LE(number, 0);
    else ack.writeUInt32BE(number, 0);
    ack.writeUInt16BE(0xaaaa, 6);
    socket.send(ack, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, close };
}
