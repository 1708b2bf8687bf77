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

  // A wrong code's first two datagrams are counted as forged until its third says whose they are (recounted): a
  // reader summing the lines must find them moved, however many lines of that second were folded into one.
  it("keeps every recount of a wrong code's first datagrams, in the lines it folds too", () => {
    const clock = virtualClock();
    const lines: DigestLine[] = [];
    const digest = rejectionDigest((l) => lines.push(l), clock);
    const wrong = (from: string, recounted?: number) => ({
      type: 'rejected' as const,
      t: 0,
      why: 'wrong-code' as const,
      from,
      ...(recounted ? { recounted } : {}),
    });
    // One host: a transfer under another code, then a second one (a new salt) in the same second; then 100 hosts.
    const events = [
      ...[
        forged('10.0.0.9:4000'),
        forged('10.0.0.9:4000'),
        wrong('10.0.0.9:4000', 2),
        wrong('10.0.0.9:4000'),
      ],
      ...[
        forged('10.0.0.9:4000'),
        forged('10.0.0.9:4000'),
        wrong('10.0.0.9:4000', 2),
        wrong('10.0.0.9:4000'),
      ],
      ...Array.from({ length: 100 }, (_, i) => wrong(`10.1.0.${i}:4000`, 2)),
    ];
    for (const e of events) digest.add(e);
    clock.advance(DIGEST_MS);
    const total = (why: string, field: 'more' | 'recounted'): number =>
      lines
        .filter((l) => l.why === why)
        .reduce((n, l) => n + (field === 'more' ? (l.more ?? 1) : (l.recounted ?? 0)), 0);
    expect(total('forged', 'more')).toBe(4);
    expect(total('wrong-code', 'more')).toBe(104);
    // Every forged one was a wrong code's: recounted, 2 per transfer, 102 transfers.
    expect(total('wrong-code', 'recounted')).toBe(204);
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
