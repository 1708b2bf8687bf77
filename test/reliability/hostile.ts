// Hostile datagrams for the fuzz tests: random bytes of every length and mutations of valid segments (truncated,
// extended, wrong type, wrong checksum, flipped bits, edge sequence numbers with valid checksums, the other
// profile's encoding). Deterministic for a seed, so a failure can be replayed.
import { getProfile } from '../../src/shared/protocol/profiles.js';
import { MAX_DATAGRAM, type ProfileName, type WireProfile } from '../../src/shared/protocol/segment.js';
import { seededRandom, type RandomSource } from '../../src/shared/network/random.js';

export const KINDS = [
  'random-short',
  'random-any',
  'empty-or-max',
  'truncated',
  'extended',
  'wrong-type',
  'wrong-checksum',
  'edge-seq',
  'bit-flips',
  'ack',
  'data',
  'other-profile',
] as const;
export type Kind = (typeof KINDS)[number];

export interface Hostile {
  /** Next datagram; `near` is the sequence number the peer is at, so edge cases cluster around it. */
  next(near: number): { kind: Kind; data: Buffer };
  random: RandomSource;
}

// Sequence numbers worth trying: zero, the extremes of 16 and 32 bits, and around the current one.
function edgeSeq(random: RandomSource, near: number): number {
  const pick = Math.floor(random() * 10);
  const candidates = [0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
  if (pick < 4) return candidates[Math.floor(random() * candidates.length)]!;
  if (pick < 6) return Math.floor(random() * 0x100000000);
  return Math.max(0, Math.min(0xffffffff, near + Math.floor(random() * 7) - 3));
}

/** The header fields of a profile: where seq, checksum and type are and how wide. */
function setField(
  profile: WireProfile,
  buf: Buffer,
  field: 'seq' | 'checksum' | 'type',
  value: number,
): void {
  if (profile.name === 'standard') {
    if (field === 'seq') buf.writeUInt32BE(value >>> 0, 0);
    else buf.writeUInt16BE(value & 0xffff, field === 'checksum' ? 4 : 6);
    return;
  }
  const [offset, bits] = field === 'seq' ? [0, 32] : field === 'checksum' ? [32, 16] : [48, 16];
  for (let i = 0; i < bits; i++) buf[offset + i] = Math.floor(value / 2 ** (bits - 1 - i)) % 2 ? 0x31 : 0x30;
}

export function createHostile(profileName: ProfileName, seed: number, mss: number): Hostile {
  const profile = getProfile(profileName);
  const other = getProfile(profileName === 'standard' ? 'seed-text' : 'standard');
  const random = seededRandom(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const bytes = (length: number): Buffer => {
    const buf = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i += 4) {
      const word = Math.floor(random() * 0x100000000);
      for (let k = 0; k < 4 && i + k < length; k++) buf[i + k] = (word >>> (8 * k)) & 0xff;
    }
    return buf;
  };
  const payload = (max = mss): Buffer => bytes(int(max + 1));
  const data = (near: number, p: WireProfile = profile): Buffer =>
    p.encodeData(edgeSeq(random, near), payload());
  const valid = (near: number): Buffer =>
    random() < 0.5 ? data(near) : profile.encodeAck(edgeSeq(random, near));

  function make(kind: Kind, near: number): Buffer {
    switch (kind) {
      case 'random-short':
        return bytes(int(80));
      case 'random-any':
        return bytes(int(MAX_DATAGRAM + 1));
      case 'empty-or-max': {
        if (random() < 0.5) return Buffer.alloc(0);
        // A maximal datagram: random, or a valid data segment as large as the profile allows.
        if (random() < 0.5) return bytes(MAX_DATAGRAM);
        return profile.encodeData(edgeSeq(random, near), bytes(profile.maxMss));
      }
      case 'truncated': {
        const whole = valid(near);
        return whole.subarray(0, int(whole.length));
      }
      case 'extended':
        return Buffer.concat([valid(near), random() < 0.5 ? Buffer.alloc(1 + int(16)) : bytes(1 + int(64))]);
      case 'wrong-type': {
        const buf = valid(near);
        setField(profile, buf, 'type', int(0x10000));
        return buf;
      }
      case 'wrong-checksum': {
        const buf = data(near);
        const decoded = profile.decode(buf);
        const checksum = decoded.ok ? decoded.segment.checksum : 0;
        setField(profile, buf, 'checksum', (checksum + 1 + int(0xfffe)) & 0xffff);
        return buf;
      }
      case 'edge-seq':
        return valid(near); // valid checksum, sequence number from the edge list
      case 'bit-flips': {
        const buf = Buffer.from(valid(near));
        const flips = 1 + int(random() < 0.5 ? 1 : 16);
        for (let i = 0; i < flips && buf.length > 0; i++) {
          const bit = int(buf.length * 8);
          buf[bit >> 3]! ^= 1 << (bit & 7);
        }
        return buf;
      }
      case 'ack':
        return profile.encodeAck(edgeSeq(random, near));
      case 'data':
        return data(near);
      case 'other-profile':
        return random() < 0.5 ? data(near, other) : other.encodeAck(edgeSeq(random, near));
    }
  }

  // Mostly small and cheap datagrams; large ones are rarer so a run stays within seconds.
  const weights: [Kind, number][] = [
    ['random-short', 14],
    ['random-any', 2],
    ['empty-or-max', 2],
    ['truncated', 12],
    ['extended', 8],
    ['wrong-type', 8],
    ['wrong-checksum', 10],
    ['edge-seq', 14],
    ['bit-flips', 14],
    ['ack', 6],
    ['data', 6],
    ['other-profile', 4],
  ];
  const total = weights.reduce((a, [, w]) => a + w, 0);
  return {
    random,
    next(near) {
      let r = random() * total;
      for (const [kind, w] of weights) {
        if ((r -= w) < 0) return { kind, data: make(kind, near) };
      }
      return { kind: 'random-short', data: make('random-short', near) };
    },
  };
}
