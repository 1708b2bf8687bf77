// Sizes as the CLIs take them (p2mpserver --max-size, --reserve; p2mplab --size): units, and the way scripts write them.
import { describe, expect, it } from 'vitest';
import { byteSize } from '../../src/cli/cli.js';

describe('byteSize', () => {
  it.each([
    ['4000', 4000],
    ['3.5K', 3584],
    ['10M', 10 * 2 ** 20],
    ['10MB', 10 * 2 ** 20],
    ['2 GiB', 2 * 2 ** 30],
    ['1e6', 1_000_000],
    ['2.5e3', 2500],
    ['1E+6', 1_000_000],
  ])('%s is %d bytes', (text, bytes) => expect(byteSize(text, '--size')).toBe(bytes));

  it.each(['0', '-1', '10X', 'e6', '1e', '0.1', ''])('refuses %j in one line', (text) =>
    expect(() => byteSize(text, '--size')).toThrow(`--size must be a size such as 500M or 2G, got "${text}"`),
  );
});
