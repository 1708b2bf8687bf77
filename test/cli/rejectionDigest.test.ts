// p2mpserver --json's digest of what a session code kept out (src/cli/rejectionDigest.ts), on a virtual clock with
// its default one-second window: a flood from one host, or from thousands of spoofed ones, is a handful of lines.
import { describe, expect, it } from 'vitest';
import { DIGEST_MS, MAX_HOSTS, rejectionDigest, type DigestLine } from '../../src/cli/rejectionDigest.js';
import { virtualClock } from '../../src/shared/simulation/virtualClock.js';

const forged = (from: string, t = 0) => ({ type: 'rejected' as const, t, why: 'forged' as const, from });

describe('the --json digest of rejected datagrams', () => {
  it('writes the first from a host at once and the rest of its second as one line (default 1 s)', () => {
    expect(DIGEST_MS).toBe(1_000);
    const clock = virtualClock();
    const lines: DigestLine[] = [];
    const digest = rejectionDigest((l) => lines.push(l), clock);
    for (let i = 0; i < 1_000; i++) {
      digest.add(forged('10.0.0.9:4000', i));
      if (i < 999) clock.advance(0.999);
    }
    digest.add({ type: 'rejected', t: 999, why: 'replayed', from: '10.0.0.9:4000' });
    // At once: the first of each reason.
    expect(lines).toEqual([
      forged('10.0.0.9:4000', 0),
      { type: 'rejected', t: 999, why: 'replayed', from: '10.0.0.9:4000' },
    ]);
    clock.advance(DIGEST_MS);
    // When the second ends: the rest, counted, as of the last of them.
    expect(lines.slice(2)).toEqual([{ ...forged('10.0.0.9:4000', 999), more: 999 }]);
    // The next second starts afresh: its first is written at once again.
    digest.add(forged('10.0.0.9:4000', 2_000));
    expect(lines.at(-1)).toEqual(forged('10.0.0.9:4000', 2_000));
    digest.flush();
    expect(lines).toHaveLength(4);
    // Every datagram stands in the digest once.
    expect(lines.reduce((n, l) => n + (l.more ?? 1), 0)).toBe(1_002);
  });

  it('writes at most 64 hosts by name in a second: 10,000 spoofed sources are 65 lines', () => {
    const clock = virtualClock();
    const lines: DigestLine[] = [];
    const digest = rejectionDigest((l) => lines.push(l), clock);
    for (let i = 0; i < 10_000; i++) digest.add(forged(`10.${i >> 8}.${i & 255}.1:9`, i / 20));
    expect(lines).toHaveLength(MAX_HOSTS);
    clock.advance(DIGEST_MS);
    expect(lines).toHaveLength(MAX_HOSTS + 1);
    expect(lines.at(-1)).toMatchObject({ why: 'forged', from: '*', more: 10_000 - MAX_HOSTS });
    expect(lines.reduce((n, l) => n + (l.more ?? 1), 0)).toBe(10_000);
  });
});
