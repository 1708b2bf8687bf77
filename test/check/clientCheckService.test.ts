// The app's side of "Check an implementation": what main accepts from the page (loopback and LAN addresses as
// typed, nothing else), one check at a time, and Cancel.
import { describe, expect, it } from 'vitest';
import { CheckService } from '../../src/main/services/checkService.js';
import { parseRequest } from '../../src/main/validate.js';

const refusal = (payload: unknown): string | null => {
  try {
    parseRequest('check:start', payload);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('check:start', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.7',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.20',
    '169.254.3.4',
    '::1',
    'fd12::1',
    'fe80::1',
  ])('takes a receiver at %s', (host) => expect(refusal({ kind: 'receiver', host, port: 7735 })).toBeNull());

  it.each([
    ['8.8.8.8', /8\.8\.8\.8 is not on this machine or a local network/],
    ['172.32.0.1', /not on this machine or a local network/],
    ['2001:db8::1', /not on this machine or a local network \(::1, fc00::\/7, fe80::\/10\)/],
    ['localhost', /enter the receiver's address as numbers/],
    ['lab-pc-2.example.com', /enter the receiver's address as numbers/],
    ['127.0.0.256', /"127\.0\.0\.256" is not an IPv4 address/],
  ])('refuses a receiver at %s', (host, message) =>
    expect(refusal({ kind: 'receiver', host, port: 7735 })).toMatch(message),
  );

  it.each([
    [{ kind: 'sender', port: 7735, receivers: 0 }, /receivers must be a whole number from 1 to 8/],
    [{ kind: 'sender', port: 7735, receivers: 9 }, /receivers must be a whole number from 1 to 8/],
    [{ kind: 'sender', port: 0, receivers: 3 }, /port must be/],
    [{ kind: 'receiver', host: '127.0.0.1', port: 7735, receivers: 3 }, /unexpected field "receivers"/],
    [{ kind: 'shell', port: 7735 }, /expected/],
  ])('refuses %j', (payload, message) => expect(refusal(payload)).toMatch(message));
});

describe('CheckService', () => {
  it('runs one check at a time, and Cancel ends it at once', async () => {
    const service = new CheckService();
    const started = await service.start({ kind: 'sender', port: 17_945, receivers: 2 });
    expect(started).toEqual({
      kind: 'sender',
      addresses: ['127.0.0.2', '127.0.0.3'],
      port: 17_945,
      waitMs: 60_000,
      quietMs: 3_000,
    });
    await expect(service.start({ kind: 'receiver', host: '127.0.0.1', port: 7735 })).rejects.toThrow(
      'a check is running: cancel it first',
    );
    const result = service.result();
    await service.cancel();
    await expect(result).rejects.toThrow('the check was stopped');
    // The receivers' port is free again: a new check binds it.
    await service.start({ kind: 'sender', port: 17_945, receivers: 2 });
    await service.cancel();
  });
});
