// The input checks every surface shares (CLI, engine, IPC, the app's inline validation).
import { describe, expect, it } from 'vitest';
import { mssProblem, parseServer, portProblem, timeoutProblem } from '../../src/shared/limits.js';

describe('parseServer', () => {
  it.each([
    ['127.0.0.2', { host: '127.0.0.2', port: 7735, label: '127.0.0.2' }],
    [' lab-pc-3:9000 ', { host: 'lab-pc-3', port: 9000, label: 'lab-pc-3:9000' }],
    ['host.example.org', { host: 'host.example.org', port: 7735, label: 'host.example.org' }],
    ['[::1]:7736', { host: '::1', port: 7736, label: '[::1]:7736' }],
    ['fe80::1', { host: 'fe80::1', port: 7735, label: 'fe80::1' }],
    ['', 'enter a host name or address'],
    ['a b', '"a b" is not host or host:port'],
    ['300.1.1.1', '"300.1.1.1" is not a valid host name or IPv4 address'],
    ['-bad-', '"-bad-" is not a valid host name or IPv4 address'],
    ['host:0', 'port must be a whole number from 1 to 65535, got 0'],
    ['host:99999', 'port must be a whole number from 1 to 65535, got 99999'],
    // Typos a lab admin makes: a range mistyped, a colon with no port after it.
    ['127.0.0.61-6x', '"127.0.0.61-6x" is neither an IPv4 address nor a range like 10.0.0.10-40'],
    ['10.0.0.1O', '"10.0.0.1O" is neither an IPv4 address nor a range like 10.0.0.10-40'],
    // Names that begin with an address are names (wildcard DNS services).
    ['10.0.0.5.nip.io', { host: '10.0.0.5.nip.io', port: 7735, label: '10.0.0.5.nip.io' }],
    ['127.0.0.61:', '"127.0.0.61:" has no port after its colon: write 127.0.0.61 or 127.0.0.61:7735'],
    ['pc-3:', '"pc-3:" has no port after its colon: write pc-3 or pc-3:7735'],
  ])('%j', (text, expected) => {
    expect(parseServer(text, 7735)).toEqual(expected);
  });
});

describe('checks', () => {
  it('names the limit and the value', () => {
    expect(portProblem(7735)).toBeNull();
    expect(portProblem(0, true)).toBeNull();
    expect(portProblem(1.5)).toBe('port must be a whole number from 1 to 65535, got 1.5');
    expect(mssProblem(65_499, 'standard')).toBeNull();
    expect(mssProblem(8181, 'seed-text')).toBe(
      'MSS must be a whole number from 1 to 8180 (seed-text profile), got 8181',
    );
    expect(timeoutProblem(100)).toBeNull();
    expect(timeoutProblem(0)).toBe('timeout must be from 1 ms to 600 s, got 0 ms');
  });
});
