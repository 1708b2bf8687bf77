// The sender's Total line says what its timeouts were: the course's rounds of T only where they are that.
import { describe, expect, it } from 'vitest';
import { timeoutsText } from '../../src/cli/report.js';
import type { SendResult } from '../../src/shared/events.js';

const result = (more: Partial<SendResult>): SendResult => ({
  ok: true,
  cancelled: false,
  fileSize: 1000,
  mss: 500,
  chunks: 2,
  timeoutRounds: 3,
  timeoutMs: 100,
  durationMs: 1000,
  receivers: [],
  ...more,
});

describe('timeoutsText', () => {
  it("stop-and-wait with the fixed RTO: the course's rounds of T (also for results without a protocol)", () => {
    expect(timeoutsText(result({ protocol: 'saw', rto: 'fixed' }))).toBe('3 timeout round(s) of 0.100 s');
    expect(timeoutsText(result({}))).toBe('3 timeout round(s) of 0.100 s');
  });

  it('stop-and-wait with the adaptive RTO: rounds, not of T', () => {
    expect(timeoutsText(result({ protocol: 'saw', rto: 'adaptive' }))).toBe(
      '3 timeout round(s), adaptive RTO from 0.100 s',
    );
  });

  it("Go-Back-N and Selective Repeat: each receiver's timer, side by side, not rounds", () => {
    expect(timeoutsText(result({ protocol: 'gbn', rto: 'fixed', timeoutRounds: 718 }))).toBe(
      '718 timer expiries across the receivers (T = 0.100 s, a timer per receiver)',
    );
    expect(timeoutsText(result({ protocol: 'sr', rto: 'adaptive', timeoutRounds: 1 }))).toBe(
      '1 timer expiry across the receivers (adaptive RTO from 0.100 s, a timer per receiver)',
    );
  });
});
