// The loopback policy: its own address per receiver where the loopback has them (Linux), 127.0.0.1 with a port
// each where it has only that address (macOS, simulated with a probe that refuses the rest).
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/shared/errors.js';
import { bindProbe, loopbackPlan, MAX_LOOPBACK_PEERS } from '../../src/shared/node/loopback.js';
import { loopbackWith, onlyLocalhost } from '../helpers/fakeLoopback.js';

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

/** Binds a socket where the plan says, as a receiver would; returns what the OS gave. */
async function bound(at: { address: string; port: number }): Promise<{ address: string; port: number }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(at.port, at.address, resolve));
  return socket.address();
}

describe('loopbackPlan', () => {
  it('puts every receiver on 127.0.0.1 with a port of its own where that is the only local address', async () => {
    const plan = await loopbackPlan({ count: 3, port: 7735, probe: onlyLocalhost });
    expect(plan.shared).toBe(true);
    expect(plan.endpoints).toEqual(Array(3).fill({ address: '127.0.0.1', port: 0 }));
    const endpoints = await Promise.all(plan.endpoints.map(bound));
    expect(new Set(endpoints.map((e) => e.port)).size).toBe(3);
    expect(endpoints.map((e) => plan.label(e))).toEqual(endpoints.map((e) => `127.0.0.1:${e.port}`));
  });

  it('falls back as well where only some of the addresses are local (an alias for 127.0.0.2 alone)', async () => {
    const aliased = loopbackWith('127.0.0.1', '127.0.0.2');
    expect((await loopbackPlan({ count: 1, port: 7735, probe: aliased })).shared).toBe(false);
    expect((await loopbackPlan({ count: 3, port: 7735, probe: aliased })).shared).toBe(true);
  });

  it.runIf(process.platform === 'linux')(
    'gives every receiver its own address and the same port on the real loopback (all of 127/8)',
    async () => {
      const plan = await loopbackPlan({ count: 3, port: 7735 });
      expect(plan.shared).toBe(false);
      expect(plan.endpoints).toEqual(
        ['127.0.0.2', '127.0.0.3', '127.0.0.4'].map((address) => ({ address, port: 7735 })),
      );
      expect(plan.label({ address: '127.0.0.3', port: 7735 })).toBe('127.0.0.3');
      const relays = await loopbackPlan({ count: 2, port: 0, subnet: 1 });
      expect(relays.endpoints.map((e) => e.address)).toEqual(['127.0.1.2', '127.0.1.3']);
    },
  );

  it('passes on a probe failure other than a missing address', async () => {
    const denied = Object.assign(new Error('bind EACCES'), { code: 'EACCES' });
    await expect(loopbackPlan({ count: 2, port: 0, probe: () => Promise.reject(denied) })).rejects.toBe(
      denied,
    );
  });

  it('refuses more receivers than 127.0.0.2-254 holds, before probing', async () => {
    const probe = () => Promise.reject(new Error('probed'));
    for (const count of [0, MAX_LOOPBACK_PEERS + 1])
      await expect(loopbackPlan({ count, port: 0, probe })).rejects.toThrow(InputError);
  });
});

describe('bindProbe', () => {
  it('binds a local address and reports a foreign one as EADDRNOTAVAIL', async () => {
    await expect(bindProbe('127.0.0.1')).resolves.toBeUndefined();
    // 192.0.2.1 (TEST-NET-1) is never an address of this machine.
    await expect(bindProbe('192.0.2.1')).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
  });
});
