import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DIALECT_TOKENS,
  formatDialect,
  parseDialect,
  STANDARD_DIALECT,
  type Dialect,
} from '../../src/shared/protocol/dialect.js';

describe('dialect names (--dialect)', () => {
  it('reads standard and token lists, in any order and case', () => {
    expect(parseDialect('standard')).toEqual(STANDARD_DIALECT);
    expect(parseDialect(' Seq0 , ACK-NEXT ')).toEqual({ ...STANDARD_DIALECT, base: 0, ack: 'next' });
    expect(parseDialect('eof-fin,le,bytes,sum-payload')).toEqual({
      order: 'little',
      coverage: 'payload',
      base: 1,
      unit: 'byte',
      ack: 'received',
      eof: 'fin',
    });
  });

  it('refuses unknown tokens and a field set twice, in one line a user can act on', () => {
    expect(parseDialect('seq2')).toBe(
      'unknown dialect "seq2": use standard or a comma-separated list of le, sum-payload, seq0, bytes, ack-next, eof-none, eof-type0, eof-fin',
    );
    expect(parseDialect('')).toMatch(/^unknown dialect ""/);
    expect(parseDialect('eof-none,eof-fin')).toBe('dialect "eof-none,eof-fin" sets the end of file twice');
    expect(parseDialect('toString')).toMatch(/^unknown dialect "tostring"/);
  });

  it('prints the canonical name, which reads back as the same dialect', () => {
    expect(formatDialect(STANDARD_DIALECT)).toBe('standard');
    expect(formatDialect({ ...STANDARD_DIALECT, ack: 'next', base: 0, eof: 'none' })).toBe(
      'seq0,ack-next,eof-none',
    );
    const subsets = fc.subarray(DIALECT_TOKENS).filter((tokens) => {
      const eofs = tokens.filter((t) => t.startsWith('eof-')).length;
      return eofs <= 1;
    });
    fc.assert(
      fc.property(subsets, (tokens) => {
        const dialect = parseDialect(tokens.length ? tokens.join(',') : 'standard') as Dialect;
        expect(formatDialect(dialect)).toBe(tokens.length ? tokens.join(',') : 'standard');
        expect(parseDialect(formatDialect(dialect))).toEqual(dialect);
      }),
    );
  });
});
