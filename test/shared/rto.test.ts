// RFC 6298's estimator, number by number.
import { describe, expect, it } from 'vitest';
import { initialRto, MAX_RTO_MS, rtoAcked, rtoBackoff, rtoSample } from '../../src/shared/engine/rto.js';

describe('adaptive retransmission timeout (RFC 6298)', () => {
  it('starts from the configured T, then SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR', () => {
    const first = rtoSample(initialRto(100), 40);
    expect(initialRto(100).rto).toBe(100);
    expect(first).toEqual({ srtt: 40, rttvar: 20, rto: 120, computed: 120 });
  });

  it('smooths later samples with alpha 1/8 and beta 1/4', () => {
    const second = rtoSample(rtoSample(initialRto(100), 40), 80);
    // RTTVAR = 3/4 * 20 + 1/4 * |40 - 80| = 25; SRTT = 7/8 * 40 + 1/8 * 80 = 45; RTO = 45 + 100.
    expect(second).toEqual({ srtt: 45, rttvar: 25, rto: 145, computed: 145 });
  });

  it('doubles on every timeout up to 60 s, and a sample brings it back', () => {
    let s = rtoSample(initialRto(100), 40);
    for (let i = 0; i < 3; i++) s = rtoBackoff(s);
    expect(s.rto).toBe(960);
    for (let i = 0; i < 20; i++) s = rtoBackoff(s);
    expect(s.rto).toBe(MAX_RTO_MS);
    expect(rtoSample(s, 40).rto).toBeLessThan(200);
  });

  it('an ACK of new data that is no sample (Karn) ends the back-off, leaving SRTT and RTTVAR as they were', () => {
    const learned = rtoSample(initialRto(100), 40);
    let s = learned;
    for (let i = 0; i < 3; i++) s = rtoBackoff(s);
    expect(rtoAcked(s, null)).toEqual(learned);
    // Before any sample, back to T.
    expect(rtoAcked(rtoBackoff(initialRto(100)), null)).toEqual(initialRto(100));
    // With a sample, RFC 6298 (2.3).
    expect(rtoAcked(s, 80)).toEqual(rtoSample(s, 80));
  });

  it('never goes below the floor, however steady the RTT', () => {
    let s = initialRto(100);
    for (let i = 0; i < 50; i++) s = rtoSample(s, 0.2, 10);
    expect(s.rto).toBe(10);
  });
});
