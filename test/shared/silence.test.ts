// What a receiver says, when a transfer starts, about a sender that may send no end marker: true to what its
// silence will then do (kept, removed, or nothing until stopped), and nothing where an end marker is expected.
import { describe, expect, it } from 'vitest';
import { dialectFor, STANDARD_DIALECT, type Dialect } from '../../src/shared/protocol/dialect.js';
import { defaultIdleAction, silenceNote } from '../../src/shared/protocol/silence.js';

const eofNone = dialectFor('eof-none', 'standard') as Dialect;

describe('silence', () => {
  it('keeps the file of a sender without an end marker by default, and fails one that should have sent one', () => {
    expect(defaultIdleAction('standard', eofNone)).toBe('complete');
    expect(defaultIdleAction('seed-text', STANDARD_DIALECT)).toBe('complete');
    expect(defaultIdleAction('standard', STANDARD_DIALECT)).toBe('fail');
  });

  it('says what silence does, as the receiver is set', () => {
    expect(silenceNote('standard', eofNone, 'complete', 10_000)).toBe(
      'no end marker in this dialect: kept after 10 s without a packet',
    );
    expect(silenceNote('standard', eofNone, 'fail', 1_500)).toBe(
      'no end marker in this dialect: removed after 1.5 s without a packet (--on-idle fail)',
    );
    expect(silenceNote('standard', eofNone, 'complete', 0)).toBe(
      'no end marker in this dialect, and no idle timeout: only stopping ends the transfer',
    );
    expect(silenceNote('seed-text', STANDARD_DIALECT, 'complete', 10_000)).toBe(
      'the reference client sends no end marker: kept after 10 s without a packet',
    );
    // An end marker expected: nothing to say (a silent sender then failed, as the failure says).
    expect(silenceNote('standard', STANDARD_DIALECT, 'fail', 10_000)).toBeNull();
    expect(silenceNote('standard', STANDARD_DIALECT, 'complete', 10_000)).toBeNull();
  });
});
