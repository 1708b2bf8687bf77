// Lists of receivers as a lab admin pastes them: separators, ranges, comments, and clear refusals.
import { describe, expect, it } from 'vitest';
import {
  expandReceiverList,
  MAX_LISTED_RECEIVERS,
  portlessAfterPort,
} from '../../src/shared/receiverList.js';

describe('a pasted list of receivers', () => {
  it('takes commas, spaces, semicolons and new lines', () => {
    expect(expandReceiverList('lab-pc-1, lab-pc-2\n10.0.0.7:7736;  [::1]:7735\r\n')).toEqual([
      'lab-pc-1',
      'lab-pc-2',
      '10.0.0.7:7736',
      '[::1]:7735',
    ]);
  });

  it('expands ranges of the last byte, with or without a port', () => {
    expect(expandReceiverList('127.0.0.2-4')).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    expect(expandReceiverList('10.0.0.10-40')).toHaveLength(31);
    expect(expandReceiverList('10.0.0.9-9:7736')).toEqual(['10.0.0.9:7736']);
    // Typed with spaces around the dash, or with a word processor's en dash.
    expect(expandReceiverList('127.0.0.61 - 63, 10.0.0.1\u20132')).toEqual([
      '127.0.0.61',
      '127.0.0.62',
      '127.0.0.63',
      '10.0.0.1',
      '10.0.0.2',
    ]);
    // Names with dashes stay as they are.
    expect(expandReceiverList('lab-pc-3 pc-10')).toEqual(['lab-pc-3', 'pc-10']);
  });

  it('reads a file of hosts with comments', () => {
    expect(expandReceiverList('# Room 2.14\nlab-pc-3   # by the window\n\n10.1.2.3\n')).toEqual([
      'lab-pc-3',
      '10.1.2.3',
    ]);
  });

  it('refuses a backwards or too large range and an endless list, in one line', () => {
    expect(expandReceiverList('10.0.0.40-10')).toBe(
      '"10.0.0.40-10" is not a range: write first-last with first <= last <= 255',
    );
    expect(expandReceiverList('10.0.0.1-300')).toMatch(/is not a range/);
    const many = Array.from({ length: 5 }, (_, i) => `10.0.${i}.0-255`).join(' ');
    expect(expandReceiverList(many)).toBe(`more than ${MAX_LISTED_RECEIVERS} receivers in one list`);
  });
});

describe('a word without a port after one with a port', () => {
  it('"pc-3:7736 p": a slip, found; with a comma, or on its own line, meant', () => {
    expect(portlessAfterPort('pc-3:7736 p')).toEqual({ word: 'p', after: 'pc-3:7736' });
    expect(portlessAfterPort('127.0.0.2-40:7736   p # the lab')).toEqual({
      word: 'p',
      after: '127.0.0.2-40:7736',
    });
    expect(portlessAfterPort('pc-3:7736, p')).toBeNull();
    expect(portlessAfterPort('pc-3:7736\np')).toBeNull();
    expect(portlessAfterPort('127.0.0.2-4 lab-pc-3:7736 [::1]:7735 pc-4:7736')).toBeNull();
    expect(portlessAfterPort('pc-1 pc-2 pc-3')).toBeNull();
    // An address, a range, an IPv6 address: meant (and "::1:7736" would be no fix for the last).
    expect(portlessAfterPort('pc:7736 10.0.0.10-40')).toBeNull();
    expect(portlessAfterPort('pc:7736 10.0.0.9')).toBeNull();
    expect(portlessAfterPort('pc:7736 ::1')).toBeNull();
    expect(portlessAfterPort('pc:7736 fe80::1')).toBeNull();
  });
});
