// A sender that behaves like the course's reference client (protocol-facts.md), not like ours: every segment to
// every receiver goes out from a NEW UDP socket (so from a new source port), the ACK is awaited on that socket,
// stop-and-wait with a fixed timeout and retransmission only to the receivers that have not ACKed, and no end
// marker: after the last chunk it just stops.
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { getProfile } from '../../src/shared/protocol/profiles.js';
import type { ProfileName } from '../../src/shared/protocol/segment.js';
import { systemTimers, type Timers } from '../../src/shared/engine/timers.js';

export interface ReferenceSendResult {
  /** Source ports used, per receiver: one per datagram sent. */
  ports: number[][];
  timeouts: number;
}

export async function referenceSend(options: {
  file: string;
  receivers: { address: string; port: number }[];
  mss: number;
  profile: ProfileName;
  timeoutMs?: number;
  timers?: Timers;
}): Promise<ReferenceSendResult> {
  const profile = getProfile(options.profile);
  const timers = options.timers ?? systemTimers;
  const data = readFileSync(options.file);
  const chunks = Math.ceil(data.length / options.mss);
  const ports: number[][] = options.receivers.map(() => []);
  const open = new Set<Socket>();
  let timeouts = 0;

  /** One send on a fresh socket, which calls onAck when the receiver ACKs `seq` on it. */
  const sendOnce = (i: number, datagram: Buffer, seq: number, onAck: () => void): Promise<Socket> =>
    new Promise((resolve) => {
      const socket = createSocket('udp4');
      open.add(socket);
      socket.on('message', (msg) => {
        const d = profile.decode(msg);
        if (d.ok && d.segment.kind === 'ack' && d.segment.seq === seq) onAck();
      });
      socket.bind(0, '127.0.0.1', () => {
        ports[i]!.push(socket.address().port);
        socket.send(datagram, options.receivers[i]!.port, options.receivers[i]!.address, () =>
          resolve(socket),
        );
      });
    });

  try {
    for (let seq = 1; seq <= chunks; seq++) {
      const datagram = profile.encodeData(seq, data.subarray((seq - 1) * options.mss, seq * options.mss));
      const acked = options.receivers.map(() => false);
      for (;;) {
        const waiting = acked.flatMap((a, i) => (a ? [] : [i]));
        if (waiting.length === 0) break;
        const round = await Promise.all(
          waiting.map((i) => sendOnce(i, datagram, seq, () => (acked[i] = true))),
        );
        // Wait out the timeout, or less if every ACK is in.
        await new Promise<void>((resolve) => {
          const deadline = timers.now() + (options.timeoutMs ?? 100);
          const poll = (): void => {
            if (acked.every(Boolean) || timers.now() >= deadline) resolve();
            else timers.setTimeout(poll, 1);
          };
          poll();
        });
        if (!acked.every(Boolean)) timeouts++;
        for (const socket of round) {
          socket.close();
          open.delete(socket);
        }
      }
    }
  } finally {
    for (const socket of open) socket.close();
  }
  return { ports, timeouts };
}
