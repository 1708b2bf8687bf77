// Whether nothing listens on a UDP port: a connected socket hears the host's ICMP "port unreachable", which the
// unconnected sockets a checker or a sender talks through never see. Used by p2mpcheck server (a receiver that is
// not there) and p2mpclient (a server that has said nothing: a wrong port, or one not started yet).
import { createSocket } from 'node:dgram';

/** How long a "port unreachable" may take to come back (on a LAN, well under a millisecond). */
const PORT_CLOSED_WAIT_MS = 500;
/**
 * What asks whether the port is closed: a whole header no receiver takes or counts as progress (numbered
 * 0xFFFFFFFF, far out of order; type 0x1234; a wrong checksum). An empty datagram would crash a fragile receiver
 * before it is checked, and a real segment could move it on unseen.
 */
const PORT_PROBE = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x12, 0x34);

/** True when `address`'s host answers that nothing listens on `port`; false when it does not say so in time. */
export function portClosed(address: { address: string; family: number }, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createSocket(address.family === 6 ? 'udp6' : 'udp4');
    let finished = false;
    const done = (closedPort: boolean): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      try {
        probe.close();
      } catch {
        // closed already by the error
      }
      resolve(closedPort);
    };
    const timer = setTimeout(() => done(false), PORT_CLOSED_WAIT_MS);
    probe.on('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
    probe.connect(port, address.address, () => probe.send(PORT_PROBE));
  });
}
