import { describe, expect, it } from 'vitest';
import { MSS_MAX, parseReceiverAddress, PROFILES } from '../../src/shared/contract.js';
import { getProfile } from '../../src/shared/protocol/profiles.js';

describe('contract', () => {
  it('knows the same MSS limits as the wire profiles', () => {
    for (const profile of PROFILES) expect(MSS_MAX[profile]).toBe(getProfile(profile).maxMss);
  });

  it.each([
    ['127.0.0.2', { host: '127.0.0.2', port: 7735 }],
    [' lab-pc-3:9000 ', { host: 'lab-pc-3', port: 9000 }],
    ['host.example.org', { host: 'host.example.org', port: 7735 }],
    ['', 'enter a host name or IPv4 address'],
    ['a b', '"a b" is not host or host:port'],
    ['300.1.1.1', '"300.1.1.1" is not a valid host name or IPv4 address'],
    ['-bad-', '"-bad-" is not a valid host name or IPv4 address'],
    ['host:0', 'port must be a whole number 1-65535'],
    ['host:99999', 'port must be a whole number 1-65535'],
  ])('parses %j', (text, expected) => {
    expect(parseReceiverAddress(text, 7735)).toEqual(expected);
  });
});
