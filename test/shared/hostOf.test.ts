// The host of a peer as the app shows it ("from 10.0.0.7"): the engine names peers "address:port", IPv6 unbracketed.
import { expect, it } from 'vitest';
import { hostOf } from '../../src/shared/format.js';

it.each([
  ['10.0.0.7:57519', '10.0.0.7'],
  ['fe80::1:40000', 'fe80::1'],
  ['::ffff:10.0.0.7:7735', '::ffff:10.0.0.7'],
  // No port: the whole of it (it lost its last character).
  ['lab-pc-07', 'lab-pc-07'],
])('the host of %s is %s', (peer, host) => expect(hostOf(peer)).toBe(host));
