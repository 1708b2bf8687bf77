// Whether multicast works on this machine's loopback, as multicastUdp.ts uses it: a socket bound to a group's port
// with reuseAddr and joined on 127.0.0.1 gets a datagram sent to the group through 127.0.0.1. Tests that need it
// skip, saying why, when it does not.
import { createSocket } from 'node:dgram';
import { randomGroup } from '../../src/shared/node/multicastUdp.js';

/** Null when multicast works on loopback; otherwise why not (within 2 s). */
export async function multicastProblem(): Promise<string | null> {
  const group = randomGroup();
  const member = createSocket({ type: 'udp4', reuseAddr: true });
  const sender = createSocket('udp4');
  try {
    return await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve('a datagram sent to a loopback group never arrived'), 2_000);
      member.on('error', (error) => resolve(`cannot join a group on loopback: ${error.message}`));
      member.on('message', () => {
        clearTimeout(timer);
        resolve(null);
      });
      member.bind(group.port, group.address, () => {
        try {
          member.addMembership(group.address, '127.0.0.1');
        } catch (error) {
          clearTimeout(timer);
          return resolve(`cannot join a group on loopback: ${(error as Error).message}`);
        }
        sender.bind(0, '127.0.0.1', () => {
          sender.setMulticastInterface('127.0.0.1');
          sender.send(Buffer.from('probe'), group.port, group.address);
        });
      });
    });
  } finally {
    member.close();
    sender.close();
  }
}

/** Skips the running test, printing why, when multicast does not work on this machine's loopback. */
export async function needMulticast(ctx: { skip(): void }): Promise<void> {
  const problem = await multicastProblem();
  if (problem === null) return;
  console.log(`skipped: ${problem}`);
  ctx.skip();
}
