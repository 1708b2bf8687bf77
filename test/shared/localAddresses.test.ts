// The addresses the Receive view shows: LAN first (IPv4, then IPv6), loopback last, no link-local IPv6.
import { expect, it } from 'vitest';
import { localAddresses } from '../../src/shared/node/localAddresses.js';

const info = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({
  address,
  family,
  internal,
  netmask: '',
  mac: '00:00:00:00:00:00',
  cidr: null,
  ...(family === 'IPv6' ? { scopeid: 0 } : {}),
});

it('puts LAN IPv4 first, then IPv6, loopback last, and leaves link-local IPv6 out', () => {
  const list = localAddresses({
    lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
    eth0: [info('fe80::1', 'IPv6'), info('2001:db8::7', 'IPv6'), info('192.168.1.20', 'IPv4')],
    wlan0: [info('10.0.0.5', 'IPv4')],
  } as never);
  expect(list.map((a) => `${a.interface} ${a.address}`)).toEqual([
    'eth0 192.168.1.20',
    'wlan0 10.0.0.5',
    'eth0 2001:db8::7',
    'lo 127.0.0.1',
    'lo ::1',
  ]);
  expect(list[0]).toEqual({ address: '192.168.1.20', family: 4, interface: 'eth0', internal: false });
});
