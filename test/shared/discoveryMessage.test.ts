import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  displayName,
  encodeAnnounce,
  encodeGoodbye,
  encodeQuery,
  MAX_MESSAGE,
  type Announcement,
} from '../../src/shared/discovery/message.js';
import {
  current,
  FORGET_AFTER_MS,
  hear,
  reachableAddress,
  MAX_ROSTER,
  mayAnswer,
  NO_ANSWERS,
  type Roster,
} from '../../src/shared/discovery/roster.js';
import { announcingInterfaces, broadcastAddress, inNetworkOf } from '../../src/shared/node/discovery.js';

const lab7: Announcement = {
  id: '0123456789abcdef',
  name: 'lab-pc-07',
  port: 7735,
  profile: 'standard',
  addresses: ['10.0.0.17', '127.0.0.1'],
  code: false,
  busy: false,
};
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('discovery messages', () => {
  it('frames a query as the documented header and zeros to 1,200 bytes, no larger than any answer', () => {
    const query = encodeQuery();
    expect(query.length).toBe(1200);
    expect(hex(query.subarray(0, 8))).toBe('50324d50010104a8');
    expect(query.subarray(8).every((byte) => byte === 0)).toBe(true);
    expect(decodeMessage(query)).toEqual({ kind: 'query' });
    // The longest announcement fits in it.
    const full = { ...lab7, name: 'x'.repeat(64), addresses: Array(16).fill('fe80::1234:5678:9abc:def0') };
    expect(encodeAnnounce(full).length).toBeLessThanOrEqual(query.length);
    // Any length of padding is a query (how large an answer it may draw); anything but zeros is not ours.
    expect(decodeMessage(Buffer.from('50324d5001010000', 'hex'))).toEqual({ kind: 'query' });
    const dirty = Buffer.from(query);
    dirty[600] = 1;
    expect(decodeMessage(dirty)).toBeUndefined();
  });

  it('frames an announcement: magic, version, kind 2, body length, JSON body', () => {
    const bytes = encodeAnnounce(lab7);
    const body = JSON.stringify(lab7);
    expect(hex(bytes.subarray(0, 8))).toBe(`50324d500102${body.length.toString(16).padStart(4, '0')}`);
    expect(Buffer.from(bytes.subarray(8)).toString('utf8')).toBe(body);
    expect(decodeMessage(bytes)).toEqual({ kind: 'announce', announcement: lab7 });
    expect(decodeMessage(encodeGoodbye(lab7.id))).toEqual({ kind: 'goodbye', id: lab7.id });
  });

  it('shows hostile names harmlessly: no control or bidi characters, NFC, at most 64 characters, a cut one ending in an ellipsis', () => {
    expect(displayName('evil\u202Egnp.exe')).toBe('evil gnp.exe');
    expect(displayName('a\u0000b\r\nc\u200Bd')).toBe('a b c d');
    expect(displayName('Cafe\u0301')).toBe('Café');
    expect(displayName('x'.repeat(300))).toBe(`${'x'.repeat(63)}…`);
    expect(displayName('x'.repeat(64))).toBe('x'.repeat(64));
    expect(displayName(`${'x'.repeat(62)} yz`)).toBe(`${'x'.repeat(62)}…`);
    expect(displayName('\u0000\u0007')).toBe('');
    const decoded = decodeMessage(encodeAnnounce({ ...lab7, name: `${'é'.repeat(70)}\u202E` }));
    expect(decoded?.kind === 'announce' && decoded.announcement.name).toBe(`${'é'.repeat(63)}…`);
  });

  it('keeps an announcement with many addresses within one datagram', () => {
    const many = { ...lab7, addresses: Array.from({ length: 40 }, (_, i) => `fd00::${i}:1234:5678:9abc`) };
    const bytes = encodeAnnounce(many);
    expect(bytes.length).toBeLessThanOrEqual(MAX_MESSAGE);
    const decoded = decodeMessage(bytes);
    expect(decoded?.kind).toBe('announce');
  });

  it('refuses anything not exactly ours: wrong magic, version, length, kind, fields', () => {
    const good = encodeAnnounce(lab7);
    const variant = (i: number, value: number): Uint8Array => {
      const copy = Uint8Array.from(good);
      copy[i] = value;
      return copy;
    };
    expect(decodeMessage(variant(0, 0x51))).toBeUndefined();
    expect(decodeMessage(variant(4, 2))).toBeUndefined();
    expect(decodeMessage(variant(5, 9))).toBeUndefined();
    expect(decodeMessage(variant(7, good[7]! + 1))).toBeUndefined();
    expect(decodeMessage(good.subarray(0, good.length - 1))).toBeUndefined();
    const withBody = (body: unknown): Uint8Array => {
      const text = new TextEncoder().encode(JSON.stringify(body));
      return Uint8Array.from([0x50, 0x32, 0x4d, 0x50, 1, 2, text.length >> 8, text.length & 0xff, ...text]);
    };
    expect(decodeMessage(withBody(lab7))).toBeDefined();
    for (const bad of [
      { ...lab7, id: '../../etc' },
      { ...lab7, port: 0 },
      { ...lab7, port: 7735.5 },
      { ...lab7, profile: 'telnet' },
      { ...lab7, addresses: ['<script>'] },
      // Not addresses: a send to one would look it up in DNS ("127.bad.cafe" passed for loopback), or fail.
      { ...lab7, addresses: ['127.bad.cafe'] },
      { ...lab7, addresses: ['cafe.bad'] },
      { ...lab7, addresses: ['127.999.0.1'] },
      { ...lab7, addresses: ['10.0.0.256'] },
      { ...lab7, addresses: ['...'] },
      { ...lab7, addresses: '10.0.0.1' },
      { ...lab7, busy: 'no' },
      { ...lab7, name: '\u0000' },
      [lab7],
      null,
    ])
      expect(decodeMessage(withBody(bad)), JSON.stringify(bad)).toBeUndefined();
  });

  it('never throws on arbitrary bytes, and what it accepts re-encodes to a message it accepts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1400 }), (bytes) => {
        const message = decodeMessage(bytes);
        if (message?.kind === 'announce')
          expect(decodeMessage(encodeAnnounce(message.announcement))).toEqual(message);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.nat(encodeAnnounce(lab7).length - 1), fc.integer({ min: 0, max: 255 }), (i, value) => {
        const copy = Uint8Array.from(encodeAnnounce(lab7));
        copy[i] = value;
        decodeMessage(copy); // any outcome but a throw
      }),
    );
  });
});

describe('the roster of discovered receivers', () => {
  it('lists each receiver once, by name, at the address that reaches it, until it goes quiet or says goodbye', () => {
    let roster: Roster = new Map();
    const b: Announcement = { ...lab7, id: 'fedcba9876543210', name: 'lab-pc-02', addresses: ['127.0.0.5'] };
    roster = hear(roster, { kind: 'announce', announcement: lab7 }, '10.0.0.17', 0);
    // The same receiver through a second interface: the entry stays with the address it was first heard from.
    roster = hear(roster, { kind: 'announce', announcement: lab7 }, '127.0.0.1', 10);
    roster = hear(roster, { kind: 'announce', announcement: b }, '127.0.0.1', 20); // bound to .5, answers from .1
    expect(current(roster, 100).map((r) => [r.name, r.address])).toEqual([
      ['lab-pc-02', '127.0.0.5'],
      ['lab-pc-07', '10.0.0.17'],
    ]);
    expect(current(roster, 20 + FORGET_AFTER_MS + 1)).toEqual([]);
    roster = hear(roster, { kind: 'goodbye', id: b.id }, '127.0.0.1', 30);
    expect(current(roster, 40).map((r) => r.name)).toEqual(['lab-pc-07']);
  });

  it('never sends elsewhere than the network an announcement came from, and an id stays with the host first heard using it', () => {
    // An announcer listing an address on another network: the file would go wherever it likes.
    const far: Announcement = { ...lab7, addresses: ['203.0.113.66'] };
    expect(reachableAddress(far, '10.0.0.9')).toBe('10.0.0.9');
    expect(reachableAddress(far, '127.0.0.1')).toBe('127.0.0.1');
    expect(reachableAddress({ ...lab7, addresses: ['127.0.0.5'] }, '10.0.0.9')).toBe('10.0.0.9');
    // Its own addresses on the network it announced from are taken: another of its addresses, loopback to loopback.
    expect(reachableAddress({ ...lab7, addresses: ['203.0.113.66', '10.0.0.17'] }, '10.0.0.9')).toBe(
      '10.0.0.17',
    );
    expect(reachableAddress({ ...lab7, addresses: ['127.0.0.5'] }, '127.0.0.1')).toBe('127.0.0.5');
    // Loopback of the other family is another network: an IPv4 announcement never sends to ::1.
    expect(reachableAddress({ ...lab7, addresses: ['::1', '127.0.0.99'] }, '127.0.0.13')).toBe('127.0.0.99');
    expect(reachableAddress({ ...lab7, addresses: ['::1'] }, '127.0.0.13')).toBe('127.0.0.13');
    // Another host using a receiver's id (ids are in every announcement) neither takes its entry nor removes it.
    let roster: Roster = hear(new Map(), { kind: 'announce', announcement: lab7 }, '10.0.0.17', 0);
    roster = hear(roster, { kind: 'announce', announcement: { ...lab7, name: 'evil' } }, '10.0.0.66', 10);
    roster = hear(roster, { kind: 'goodbye', id: lab7.id }, '10.0.0.66', 20);
    expect(current(roster, 30).map((r) => [r.name, r.address])).toEqual([['lab-pc-07', '10.0.0.17']]);
    // Once the receiver has gone quiet long enough to be forgotten, the id is free again.
    roster = hear(
      roster,
      { kind: 'announce', announcement: { ...lab7, name: 'moved', addresses: ['10.0.0.66'] } },
      '10.0.0.66',
      FORGET_AFTER_MS + 1,
    );
    expect(current(roster, FORGET_AFTER_MS + 2).map((r) => [r.name, r.address])).toEqual([
      ['moved', '10.0.0.66'],
    ]);
  });

  it('orders names as people count: Lab PC 9 before Lab PC 10', () => {
    let roster: Roster = new Map();
    for (const [i, n] of [10, 2, 9, 30].entries())
      roster = hear(
        roster,
        { kind: 'announce', announcement: { ...lab7, id: `00000000000000${10 + i}`, name: `Lab PC ${n}` } },
        `127.0.0.${n}`,
        0,
      );
    expect(current(roster, 1).map((r) => r.name)).toEqual(['Lab PC 2', 'Lab PC 9', 'Lab PC 10', 'Lab PC 30']);
  });

  it('stays bounded under a flood of forged announcements', () => {
    let roster: Roster = new Map();
    for (let i = 0; i < MAX_ROSTER + 50; i++)
      roster = hear(
        roster,
        { kind: 'announce', announcement: { ...lab7, id: i.toString(16).padStart(16, '0') } },
        '10.0.0.1',
        i,
      );
    expect(roster.size).toBe(MAX_ROSTER);
  });

  it('a flood of forged announcements keeps no receiver out once it has gone quiet', () => {
    let roster: Roster = new Map();
    for (let i = 0; i < MAX_ROSTER; i++)
      roster = hear(
        roster,
        { kind: 'announce', announcement: { ...lab7, id: i.toString(16).padStart(16, '0') } },
        '10.0.0.66',
        0,
      );
    // The forged entries are forgotten: a real receiver heard afterwards is listed, and memory holds it alone.
    const later = FORGET_AFTER_MS + 1;
    roster = hear(roster, { kind: 'announce', announcement: lab7 }, '10.0.0.17', later);
    expect(current(roster, later).map((r) => [r.name, r.address])).toEqual([['lab-pc-07', '10.0.0.17']]);
    expect(roster.size).toBe(1);
  });

  it('answers one query per asker per 200 ms and at most 50 a second', () => {
    let log = NO_ANSWERS;
    const ask = (from: string, now: number): boolean => {
      const verdict = mayAnswer(log, from, now);
      log = verdict.log;
      return verdict.answer;
    };
    expect([ask('10.0.0.1', 0), ask('10.0.0.1', 100), ask('10.0.0.1', 200)]).toEqual([true, false, true]);
    const answered = Array.from({ length: 100 }, (_, i) => ask(`10.0.1.${i}`, 300 + i)).filter(Boolean);
    expect(answered).toHaveLength(48); // 50 in the second, 2 already spent
    expect(ask('10.0.2.1', 1300)).toBe(true);
  });

  it('a receiver bound to one address announces only through the interfaces whose network holds it', () => {
    const lo = { address: '127.0.0.1', netmask: '255.0.0.0' };
    const lan = { address: '192.0.2.10', netmask: '255.255.255.0' };
    const lab = { address: '10.4.0.1', netmask: '255.255.0.0' };
    expect(announcingInterfaces(undefined, [lo, lan, lab])).toEqual([lo, lan, lab]);
    expect(announcingInterfaces('0.0.0.0', [lo, lan, lab])).toEqual([lo, lan, lab]);
    expect(announcingInterfaces('127.0.0.5', [lo, lan, lab])).toEqual([lo]);
    expect(announcingInterfaces('192.0.2.10', [lo, lan, lab])).toEqual([lan]);
    expect(announcingInterfaces('10.4.200.7', [lo, lan, lab])).toEqual([lab]);
    expect(inNetworkOf('192.0.3.10', lan)).toBe(false);
    expect(inNetworkOf('255.255.255.255', lo)).toBe(false);
  });

  it('finds the broadcast address of an interface', () => {
    expect(broadcastAddress({ address: '192.168.1.20', netmask: '255.255.255.0' })).toBe('192.168.1.255');
    expect(broadcastAddress({ address: '10.231.7.1', netmask: '255.255.0.0' })).toBe('10.231.255.255');
    expect(broadcastAddress({ address: '127.0.0.1', netmask: '255.0.0.0' })).toBe('127.255.255.255');
  });
});
