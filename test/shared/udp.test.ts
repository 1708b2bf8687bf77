// The engine's one UDP helper keeps its promise: sending is fire and forget. A destination dgram refuses (port
// 0, which a crafted datagram's source port could name) or a closed socket loses the datagram; nothing throws
// into the receiver's handler (it would end the process: a LAN host could crash any receiver with 3 datagrams).
import { describe, expect, it } from 'vitest';
import { nodeUdp } from '../../src/shared/node/udp.js';

describe('nodeUdp', () => {
  it('loses a datagram to port 0 or from a closed socket instead of throwing', async () => {
    const socket = await nodeUdp({ address: '127.0.0.1', port: 0, family: 4, onMessage: () => undefined });
    expect(() => socket.send(Buffer.from('x'), 0, '127.0.0.1')).not.toThrow();
    socket.close();
    expect(() => socket.send(Buffer.from('x'), 9, '127.0.0.1')).not.toThrow();
  });
});
