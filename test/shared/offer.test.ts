// The offer before the data: its codec and rules (pure, with the default timings), then whole transfers over
// loopback: accepted and verified under the offered name, declined up front, a course receiver beside ours, a
// file that changed after it was offered, hostile names.
import { createSocket } from 'node:dgram';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FALLBACK_NAME, numberedName, safeFileName } from '../../src/shared/offer/fileName.js';
import {
  decodeAnswer,
  decodeCancel,
  decodeOffer,
  encodeAnswer,
  encodeCancel,
  encodeOffer,
  type Offer,
} from '../../src/shared/offer/message.js';
import {
  answered,
  answeredElsewhere,
  DEFAULT_DECIDE_MS,
  DEFAULT_OFFER_TRIES,
  startOffers,
  tick,
  type OfferState,
} from '../../src/shared/offer/offerPhase.js';
import { getProfile } from '../../src/shared/protocol/profiles.js';
import { ENCODINGS, readsAsData } from '../../src/shared/protocol/wire.js';
import { nodeFileOps } from '../../src/shared/node/partFile.js';
import {
  startReceiver,
  withoutFolders,
  type ReceiveOptions,
  type ReceiverSession,
} from '../../src/shared/node/receiver.js';
import { sackTerms, send } from '../../src/shared/node/sender.js';
import { offerOutcome } from '../../src/shared/engine/sending.js';
import { sha256, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { startPeer } from '../check/peers.js';

const offer: Offer = {
  id: '00112233aabbccdd',
  name: 'report.pdf',
  size: 4_200_000,
  sha256: 'ab'.repeat(32),
  mss: 500,
  protocol: 'saw',
  profile: 'standard',
};

describe('offered names made safe', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../x', '_.._x'],
    ['/etc/passwd', '_etc_passwd'],
    ['..\\..\\win.ini', '_.._win.ini'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['LPT9.log', '_LPT9.log'],
    // Found by a security review: devices Windows also knows, and a space before the extension.
    ['COM0', '_COM0'],
    ['lpt0.txt', '_lpt0.txt'],
    ['CONIN$', '_CONIN$'],
    ['conout$.log', '_conout$.log'],
    ['CON .txt', '_CON .txt'],
    ['NUL\u00a0.txt', '_NUL .txt'],
    ['CONSOLE.txt', 'CONSOLE.txt'],
    ['a\u0000b', 'ab'],
    ['evil\u202Efdp.exe', 'evilfdp.exe'],
    ['name. . .', 'name'],
    ['..', FALLBACK_NAME],
    ['', FALLBACK_NAME],
    ['a:b*c?"d<e>f|g', 'a_b_c__d_e_f_g'],
    // A finished file named like a receiver's unfinished data was reported as a leftover, "delete it".
    ['notes.part', 'notes_part'],
    ['x.PART', 'x_PART'],
    ['report.pdf.part', 'report.pdf_part'],
    ['partial.txt', 'partial.txt'],
  ])('%j becomes %j', (offered, safe) => {
    expect(safeFileName(offered)).toBe(safe);
  });

  it('caps names at 200 bytes of UTF-8 keeping the extension, and unifies Unicode forms', () => {
    const long = safeFileName(`${'é'.repeat(300)}.pdf`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long.endsWith('.pdf')).toBe(true);
    // A double extension is kept whole, never cut to "x..gz".
    const archive = safeFileName(`${'x'.repeat(250)}.tar.gz`);
    expect(archive).toBe(`${'x'.repeat(193)}.tar.gz`);
    expect(safeFileName('Cafe\u0301.txt')).toBe(safeFileName('Caf\u00e9.txt'));
    expect(numberedName('report.pdf', 2)).toBe('report (2).pdf');
    expect(numberedName('README', 3)).toBe('README (3)');
    expect(numberedName('archive.tar.gz', 2)).toBe('archive (2).tar.gz');
    expect(numberedName('backup.TAR.XZ', 2)).toBe('backup (2).TAR.XZ');
    expect(numberedName('.tar.gz', 2)).toBe('.tar (2).gz');
    expect(numberedName('notes.v2.txt', 2)).toBe('notes.v2 (2).txt');
  });
});

describe("a receiver's failure, as its sender is told it", () => {
  it('names files, never the folders they are in', () => {
    expect(withoutFolders('cannot write "/home/ana/Received/x.part": disk full')).toBe(
      'cannot write "x.part": disk full',
    );
    expect(withoutFolders('cannot save "C:\\Users\\ana\\r (2).pdf": EACCES: open \'C:\\tmp\\y\'')).toBe(
      'cannot save "r (2).pdf": EACCES: open \'y\'',
    );
    expect(withoutFolders('the file (58.6 KiB) is larger than this receiver accepts')).toBe(
      'the file (58.6 KiB) is larger than this receiver accepts',
    );
  });
});

describe('offer datagrams', () => {
  it('travel as a data segment numbered 0xFFFFFFFF with an inverted checksum, which course receivers drop', () => {
    const bytes = encodeOffer('standard', offer);
    expect(bytes.subarray(0, 4).toString('hex')).toBe('ffffffff');
    expect(bytes.subarray(6, 8).toString('hex')).toBe('5555');
    expect(bytes.subarray(8, 16).toString()).toBe('P2MPOFR1');
    expect(getProfile('standard').decode(bytes)).toMatchObject({ ok: false, reason: 'bad-checksum' });
    expect(getProfile('seed-text').decode(encodeOffer('seed-text', offer))).toMatchObject({
      ok: false,
      reason: 'bad-checksum',
    });
    for (const profile of ['standard', 'seed-text'] as const) {
      expect(decodeOffer(encodeOffer(profile, { ...offer, profile }), profile)).toEqual({
        ...offer,
        profile,
      });
      const answer = { id: offer.id, answer: 'decline', reason: 'busy' } as const;
      expect(decodeAnswer(encodeAnswer(profile, answer), profile)).toEqual(answer);
    }
  });

  // A checksum masked in the profile's encoding still sums right in another 1 time in 65,536 (a payload-only sum,
  // the other byte order): a course receiver of that dialect would take the offer as data, and p2mpcheck once
  // read a sender's dialect from it and failed our sender. 120,000 ids meet that about 7 times unguarded.
  it('are never a valid data segment in any encoding a course receiver may speak, whatever the id', () => {
    for (const profile of ['standard', 'seed-text'] as const) {
      const count = profile === 'standard' ? 120_000 : 2_000; // seed-text is 8 times the bytes
      let readable = 0;
      for (let i = 0; i < count; i++) {
        const id = i.toString(16).padStart(16, '0');
        const bytes = encodeOffer(profile, { ...offer, id, profile });
        if (ENCODINGS.some((e) => readsAsData(e, bytes))) readable++;
        if (i % 997 === 0) expect(decodeOffer(bytes, profile)?.id).toBe(id);
      }
      expect(readable, profile).toBe(0);
    }
  });

  it('are refused when anything is off: a flipped bit, another profile, bad fields', () => {
    const bytes = encodeOffer('standard', offer);
    for (let i = 0; i < bytes.length; i += 7) {
      const copy = Buffer.from(bytes);
      copy[i] = copy[i]! ^ 0x10;
      expect(decodeOffer(copy, 'standard'), `byte ${i}`).toBeUndefined();
    }
    expect(decodeOffer(bytes, 'seed-text')).toBeUndefined();
    // The sender's own name is shown, never trusted: made printable like a discovery name.
    const named = encodeOffer('standard', { ...offer, sender: 'lab\u202Epc\u0000-07' });
    expect(decodeOffer(named, 'standard')?.sender).toBe('lab pc -07');
    expect(decodeOffer(encodeOffer('standard', { ...offer, sha256: 'nope' }), 'standard')).toBeUndefined();
    expect(decodeOffer(encodeOffer('standard', { ...offer, size: -1 }), 'standard')).toBeUndefined();
    // A decline's reason is shown to a user: no control or bidi characters survive.
    const shown = decodeAnswer(
      encodeAnswer('standard', { id: offer.id, answer: 'decline', reason: 'no\u202E\u0007pe' }),
      'standard',
    );
    expect(shown).toEqual({ id: offer.id, answer: 'decline', reason: 'no  pe' });
  });

  it('say the name a file was kept under, when not the offered one (docs/PROTOCOL.md bytes)', () => {
    const kept = encodeAnswer('standard', { id: '0123456789abcdef', answer: 'kept', name: 'report (2).pdf' });
    expect(kept.toString('hex')).toBe(
      'ffffffff' +
        'a6bc' +
        '5555' +
        Buffer.from('P2MPANS1{"id":"0123456789abcdef","answer":"kept","name":"report (2).pdf"} ').toString(
          'hex',
        ),
    );
    expect(decodeAnswer(kept, 'standard')).toEqual({
      id: '0123456789abcdef',
      answer: 'kept',
      name: 'report (2).pdf',
    });
    const told = (name: string) =>
      decodeAnswer(encodeAnswer('seed-text', { id: offer.id, answer: 'kept', name }), 'seed-text');
    // Shown to the sender's user: made printable; never a path, never empty, never longer than a name can be.
    expect(told('r\u202Eport\u0007.pdf')).toEqual({ id: offer.id, answer: 'kept', name: 'r port .pdf' });
    for (const name of ['../x.pdf', 'C:\\x.pdf', '', '  ', 'x'.repeat(256)])
      expect(told(name), name).toBeUndefined();
    expect(told('x'.repeat(255))?.answer).toBe('kept');
  });

  it("tell a receiver that the sender's user cancelled (docs/PROTOCOL.md bytes); nothing else reads as one", () => {
    const cancel = encodeCancel('standard', { id: '0123456789abcdef' });
    expect(cancel.toString('hex')).toBe(
      'ffffffff' + '617d' + '5555' + Buffer.from('P2MPCAN1{"id":"0123456789abcdef"} ').toString('hex'),
    );
    expect(decodeCancel(cancel, 'standard')).toEqual({ id: '0123456789abcdef' });
    expect(decodeCancel(encodeCancel('seed-text', { id: offer.id }), 'seed-text')).toEqual({ id: offer.id });
    // Its file could not be read any more: said, so that its receivers do not blame its user.
    const unreadable = encodeCancel('standard', { id: '0123456789abcdef', unreadable: true });
    expect(unreadable.subarray(8).toString()).toBe('P2MPCAN1{"id":"0123456789abcdef","unreadable":true} ');
    expect(decodeCancel(unreadable, 'standard')).toEqual({ id: '0123456789abcdef', unreadable: true });
    // Not an offer nor an answer; an offer or answer is not a cancel; a corrupted one (its mask broken) is nothing.
    expect(decodeOffer(cancel, 'standard')).toBeUndefined();
    expect(decodeAnswer(cancel, 'standard')).toBeUndefined();
    expect(decodeCancel(encodeOffer('standard', offer), 'standard')).toBeUndefined();
    expect(
      decodeCancel(encodeAnswer('standard', { id: offer.id, answer: 'wait' }), 'standard'),
    ).toBeUndefined();
    const corrupted = Buffer.from(cancel);
    corrupted[20]! ^= 1;
    expect(decodeCancel(corrupted, 'standard')).toBeUndefined();
  });

  it('agree on Selective Repeat: the offer carries the window, the accept answers protocol sr (docs/PROTOCOL.md bytes)', () => {
    const sr: Offer = { ...offer, id: '0123456789abcdef', protocol: 'sr', window: 64 };
    expect(decodeOffer(encodeOffer('standard', sr), 'standard')).toEqual(sr);
    // Selective Repeat without a window, or with one out of range, is no offer.
    const { window: _w, ...windowless } = sr;
    expect(decodeOffer(encodeOffer('standard', windowless), 'standard')).toBeUndefined();
    expect(decodeOffer(encodeOffer('standard', { ...sr, window: 1025 }), 'standard')).toBeUndefined();
    const agreed = encodeAnswer('standard', { id: sr.id, answer: 'accept', protocol: 'sr' });
    expect(agreed.toString('hex')).toBe(
      'ffffffff' +
        'ee3e' +
        '5555' +
        Buffer.from('P2MPANS1{"id":"0123456789abcdef","answer":"accept","protocol":"sr"} ').toString('hex'),
    );
    expect(decodeAnswer(agreed, 'standard')).toEqual({ id: sr.id, answer: 'accept', protocol: 'sr' });
    // An answer from before Selective Repeat (or a receiver that will not buffer) reads as a plain accept.
    const plain = encodeAnswer('standard', { id: sr.id, answer: 'accept' });
    expect(decodeAnswer(plain, 'standard')).toEqual({ id: sr.id, answer: 'accept' });
    expect(answered([{ kind: 'asking', tries: 1 }], 0, { answer: 'accept', protocol: 'sr' }, 0)).toEqual([
      { kind: 'accepted', selective: true },
    ]);
    expect(answered([{ kind: 'asking', tries: 1 }], 0, { answer: 'accept' }, 0)).toEqual([
      { kind: 'accepted' },
    ]);
    // Ours add that their ACKs carry the checksum; the sender then drops one that does not.
    const summed = encodeAnswer('standard', { id: sr.id, answer: 'accept', protocol: 'sr', summed: true });
    expect(decodeAnswer(summed, 'standard')).toEqual({
      id: sr.id,
      answer: 'accept',
      protocol: 'sr',
      summed: true,
    });
    expect(
      decodeAnswer(encodeAnswer('standard', { id: sr.id, answer: 'accept', summed: true }), 'standard'),
    ).toEqual({
      id: sr.id,
      answer: 'accept',
      summed: true,
    });
    const accepted = answered([{ kind: 'asking', tries: 1 }], 0, { answer: 'accept', summed: true }, 0);
    expect(offerOutcome(accepted[0])).toMatchObject({ mode: 'verified', summed: true });
    expect(offerOutcome({ kind: 'accepted' })).not.toHaveProperty('summed');
  });

  it('agree on multicast: an sr offer names a group, the accept says it joined (docs/PROTOCOL.md bytes)', () => {
    const group = { address: '239.255.12.34', port: 50_123 };
    const sr: Offer = { ...offer, id: '0123456789abcdef', protocol: 'sr', window: 64, group };
    expect(decodeOffer(encodeOffer('standard', sr), 'standard')).toEqual(sr);
    expect(encodeOffer('standard', sr).toString()).toContain(
      '"group":{"address":"239.255.12.34","port":50123}',
    );
    // Only organization-local groups, on a port above 1023, are taken; any other group field is ignored.
    const { group: _g, ...unicast } = sr;
    for (const bad of [
      { address: '224.0.0.1', port: 50_123 },
      { address: '239.255.1.256', port: 50_123 },
      { address: '239.255.1.2', port: 80 },
      { address: '239.255.1.2' },
      '239.255.1.2:50123',
    ])
      expect(decodeOffer(encodeOffer('standard', { ...sr, group: bad as never }), 'standard')).toEqual(
        unicast,
      );
    // The port the group's data comes from, when the sender says it (a receiver reached through a relay stays
    // unicast); a bad one makes the group invalid like the rest.
    const from: Offer = { ...sr, group: { ...group, from: 40_001 } };
    expect(decodeOffer(encodeOffer('standard', from), 'standard')).toEqual(from);
    expect(encodeOffer('standard', from).toString()).toContain(
      '"group":{"address":"239.255.12.34","port":50123,"from":40001}',
    );
    for (const bad of [0, 65_536, 1.5, '40001'])
      expect(
        decodeOffer(encodeOffer('standard', { ...sr, group: { ...group, from: bad as never } }), 'standard'),
      ).toEqual(unicast);
    // Go-Back-N and stop-and-wait offers never carry one.
    const gbn: Offer = { ...offer, protocol: 'gbn', group } as Offer;
    expect(decodeOffer(encodeOffer('standard', gbn), 'standard')).not.toHaveProperty('group');
    const joined = encodeAnswer('standard', { id: sr.id, answer: 'accept', protocol: 'sr', multicast: true });
    expect(joined.toString('hex')).toBe(
      'ffffffff' +
        'c88a' +
        '5555' +
        Buffer.from(
          'P2MPANS1{"id":"0123456789abcdef","answer":"accept","protocol":"sr","multicast":true}',
        ).toString('hex'),
    );
    expect(decodeAnswer(joined, 'standard')).toEqual({
      id: sr.id,
      answer: 'accept',
      protocol: 'sr',
      multicast: true,
    });
    expect(
      answered([{ kind: 'asking', tries: 1 }], 0, { answer: 'accept', protocol: 'sr', multicast: true }, 0),
    ).toEqual([{ kind: 'accepted', selective: true, multicast: true }]);
    // A plain sr accept (a receiver that could not join, or from before multicast) means unicast.
    const plain = encodeAnswer('standard', { id: sr.id, answer: 'accept', protocol: 'sr' });
    expect(decodeAnswer(plain, 'standard')).toEqual({ id: sr.id, answer: 'accept', protocol: 'sr' });
  });
});

describe('SACK agreement (docs/PROTOCOL.md bytes)', () => {
  const sr: Offer = { ...offer, id: '0123456789abcdef', protocol: 'sr', window: 64 };

  it('an sr offer carries the terms (k, D), the accept says it agrees; anything off is no agreement', () => {
    const terms = sackTerms(64);
    expect(terms).toEqual({ every: 16, delayMs: 2 });
    expect(sackTerms(8)).toEqual({ every: 2, delayMs: 2 });
    expect(sackTerms(1)).toEqual({ every: 1, delayMs: 2 });
    const withSack: Offer = { ...sr, sack: terms };
    expect(encodeOffer('standard', withSack).toString()).toContain('"sack":{"every":16,"delayMs":2}');
    expect(decodeOffer(encodeOffer('standard', withSack), 'standard')).toEqual(withSack);
    // Terms out of range (k beyond W, D of 0 or over 1 s, not whole numbers) are ignored: per-segment ACKs.
    for (const bad of [
      { every: 65, delayMs: 2 },
      { every: 0, delayMs: 2 },
      { every: 16, delayMs: 0 },
      { every: 16, delayMs: 1001 },
      { every: 1.5, delayMs: 2 },
      { every: 16 },
      'k16',
    ])
      expect(decodeOffer(encodeOffer('standard', { ...sr, sack: bad as never }), 'standard')).toEqual(sr);
    // Never in a Go-Back-N offer.
    const gbn = { ...offer, protocol: 'gbn', sack: terms } as Offer;
    expect(decodeOffer(encodeOffer('standard', gbn), 'standard')).not.toHaveProperty('sack');
    const agreed = encodeAnswer('standard', { id: sr.id, answer: 'accept', protocol: 'sr', sack: true });
    expect(agreed.toString('hex')).toBe(
      'ffffffff' +
        'fd3f' +
        '5555' +
        Buffer.from(
          'P2MPANS1{"id":"0123456789abcdef","answer":"accept","protocol":"sr","sack":true} ',
        ).toString('hex'),
    );
    expect(decodeAnswer(agreed, 'standard')).toEqual({
      id: sr.id,
      answer: 'accept',
      protocol: 'sr',
      sack: true,
    });
    expect(
      answered([{ kind: 'asking', tries: 1 }], 0, { answer: 'accept', protocol: 'sr', sack: true }, 0),
    ).toEqual([{ kind: 'accepted', selective: true, sack: true }]);
    // The sender's outcome: SACK only with Selective Repeat agreed.
    expect(offerOutcome({ kind: 'accepted', selective: true, sack: true })).toMatchObject({ sack: true });
    expect(offerOutcome({ kind: 'accepted', sack: true })).not.toHaveProperty('sack');
  });
});

describe('the offer phase, with the default timings (T = 100 ms, 5 tries, 60 s to decide)', () => {
  const rules = { intervalMs: 100, tries: DEFAULT_OFFER_TRIES, decideMs: DEFAULT_DECIDE_MS };
  const run = (answers: Map<number, () => Parameters<typeof answered>[2]>, untilMs: number) => {
    let { states, send: sent } = startOffers(3);
    const lastSentAt = [0, 0, 0];
    const log: string[] = [];
    for (let t = 0; t <= untilMs; t += rules.intervalMs) {
      for (const [i, answer] of answers) if (sent.includes(i)) states = answered(states, i, answer(), t);
      if (states.every((s) => s.kind !== 'asking' && s.kind !== 'deciding')) break;
      const next = tick(states, t + rules.intervalMs, rules, lastSentAt);
      next.send.forEach((i) => (lastSentAt[i] = t + rules.intervalMs));
      states = next.states;
      sent = next.send;
      log.push(`${t + rules.intervalMs}:${sent.join('')}`);
    }
    return { states, log };
  };

  it('ours accept at once; a course receiver is given up on after 5 offers 100 ms apart', () => {
    const { states, log } = run(new Map([[0, () => ({ answer: 'accept' as const })]]), 2000);
    expect(states.map((s: OfferState) => s.kind)).toEqual(['accepted', 'course', 'course']);
    expect(log).toEqual(['100:12', '200:12', '300:12', '400:12', '500:']);
  });

  it('a person deciding is asked again every second, and declined after 60 s of no answer', () => {
    const { states, log } = run(new Map([[1, () => ({ answer: 'wait' as const })]]), 70_000);
    expect(states[1]).toEqual({
      kind: 'declined',
      reason:
        "no answer within 60 s (its user did not decide, or it stayed busy with another sender's transfer)",
    });
    const repeats = log.filter((l) => /:.*1/.test(l)).map((l) => Number(l.split(':')[0]));
    expect(repeats.slice(0, 3)).toEqual([1000, 2000, 3000]);
  });
});

describe('a receiver answering from another address of its machine', () => {
  it('is given up on after 3 answers from its port elsewhere, with the fix, when only it can be the one', () => {
    // Three receivers at port 7735: 0 and 1 still asking, 2 accepted from its own address.
    let states: OfferState[] = answered(startOffers(3).states, 2, { answer: 'accept' }, 10);
    // Two could be the one answering from 127.0.0.1: nothing is counted.
    expect(answeredElsewhere(states, [0, 1, 2], '127.0.0.1:7735')).toEqual(states);
    states = answered(states, 1, { answer: 'accept' }, 20);
    states = answeredElsewhere(states, [0, 1, 2], '127.0.0.1:7735');
    states = answeredElsewhere(states, [0, 1, 2], '127.0.0.1:7735');
    expect(states[0]).toEqual({ kind: 'asking', tries: 1, elsewhere: 2 });
    states = answeredElsewhere(states, [0, 1, 2], '127.0.0.1:7735');
    expect(states.map((s) => s.kind)).toEqual(['elsewhere', 'accepted', 'accepted']);
    expect(offerOutcome(states[0], 3)).toEqual({
      mode: 'verified',
      offers: 3,
      failure:
        "it answers from 127.0.0.1:7735, another address of its machine (a receiver listening on every address answers from the one its system picks): bind it to the address you send to (p2mpserver --bind, Receive mode's bind address), or send to 127.0.0.1",
    });
    // Settled receivers change no more.
    expect(answeredElsewhere(states, [0], '127.0.0.1:7735')).toEqual(states);
  });
});

describe('a receiver that goes away while its user decides', () => {
  it('is given up on after 5 s without an answer, not after the whole minute', () => {
    const rules = { intervalMs: 100, tries: DEFAULT_OFFER_TRIES, decideMs: DEFAULT_DECIDE_MS };
    let states = answered(startOffers(1).states, 0, { answer: 'wait' }, 0);
    const lastSentAt = [0];
    let t = 0;
    while (states[0]!.kind === 'deciding' && t < 70_000) {
      t += rules.intervalMs;
      const next = tick(states, t, rules, lastSentAt);
      next.send.forEach((i) => (lastSentAt[i] = t));
      states = next.states;
    }
    expect(t).toBe(5_000);
    expect(states[0]).toEqual({
      kind: 'declined',
      reason:
        "it stopped answering after asking to wait (its user deciding, or busy with another sender's transfer)",
    });
  });
});

describe('a receiver that accepted while another decides', () => {
  it('is offered again once a second until the data starts, so it knows its sender is still there', () => {
    // Defaults: T = 100 ms, a minute for a person to decide. Receiver 0 accepts at once, receiver 1 asks to wait.
    const rules = { intervalMs: 100, tries: DEFAULT_OFFER_TRIES, decideMs: DEFAULT_DECIDE_MS };
    let states = answered(startOffers(2).states, 0, { answer: 'accept' }, 0);
    states = answered(states, 1, { answer: 'wait' }, 0);
    const lastSentAt = [0, 0];
    const sentTo0: number[] = [];
    for (let t = 100; t <= 10_000; t += rules.intervalMs) {
      const next = tick(states, t, rules, lastSentAt);
      next.send.forEach((i) => (lastSentAt[i] = t));
      if (next.send.includes(0)) sentTo0.push(t);
      states = next.states;
      // Receiver 1 keeps asking to wait (its user decides).
      states = answered(states, 1, { answer: 'wait' }, t);
    }
    expect(sentTo0).toEqual(Array.from({ length: 10 }, (_, k) => (k + 1) * 1_000));
    expect(states[0]!.kind).toBe('accepted');
  });
});

describe('offers between our sender and receivers, over loopback', () => {
  const dir = tempDir();
  const sessions: ReceiverSession[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.stop()));
  });

  async function receiver(name: string, options: Partial<ReceiveOptions> = {}): Promise<ReceiverSession> {
    const folder = dir.file(name);
    mkdirSync(folder, { recursive: true });
    const session = await startReceiver({
      port: 0,
      bind: '127.0.0.2',
      destination: (i) => join(folder, `received-${i + 1}.bin`),
      folder,
      p: 0.1,
      seed: 5,
      lingerMs: 100,
      ...options,
    });
    sessions.push(session);
    return session;
  }
  const spec = (r: ReceiverSession, label = 'ours') => ({
    host: r.address.address,
    port: r.address.port,
    label,
  });

  it('keeps the offered name, verified; a second file of that name becomes "name (2)"', async () => {
    const input = dir.file('Quarterly report.pdf');
    writeRandomFile(input, 12_345);
    const ours = await receiver('named', { keepListening: true });
    const kept: (string | undefined)[] = [];
    for (let round = 0; round < 2; round++) {
      const result = await send({ file: input, receivers: [spec(ours)], mss: 500 });
      expect(result.ok).toBe(true);
      expect(result.receivers[0]).toMatchObject({ state: 'done', mode: 'verified' });
      kept.push(result.receivers[0]!.keptAs);
    }
    // The sender learns the second one's name: under the offered one, nothing is said.
    expect(kept).toEqual([undefined, 'Quarterly report (2).pdf']);
    const folder = dir.file('named');
    expect(readdirSync(folder).sort()).toEqual(['Quarterly report (2).pdf', 'Quarterly report.pdf']);
    for (const name of readdirSync(folder)) expect(sha256(join(folder, name))).toBe(sha256(input));
  });

  it('a link to nothing under the offered name counts as taken: the file is received and kept as "name (2)" from the start', async () => {
    const input = dir.file('dang.txt');
    writeRandomFile(input, 2_000);
    const folder = dir.file('linked');
    mkdirSync(folder, { recursive: true });
    symlinkSync(dir.file('nowhere/at/all'), join(folder, 'dang.txt'));
    const starts: string[] = [];
    const ours = await receiver('linked', {
      p: 0,
      onEvent: (e) => void (e.type === 'transfer-start' && starts.push(basename(e.path))),
    });
    const result = await send({ file: input, receivers: [spec(ours)], mss: 500 });
    expect(result.ok).toBe(true);
    expect(result.receivers[0]?.keptAs).toBe('dang (2).txt');
    const done = await ours.done;
    // The name it said it would use is the one it kept; the link is left as it was, and nothing was written through it.
    expect(starts).toEqual(['dang (2).txt']);
    expect(done.files.map((f) => basename(f.path))).toEqual(['dang (2).txt']);
    expect(lstatSync(join(folder, 'dang.txt')).isSymbolicLink()).toBe(true);
    expect(existsSync(dir.file('nowhere'))).toBe(false);
    expect(sha256(join(folder, 'dang (2).txt'))).toBe(sha256(input));
  });

  it('a file there under another Unicode form of the name counts as taken: "café" from a Mac (NFD) and the offered "café" (NFC)', async () => {
    const composed = 'caf\u00e9.txt';
    const decomposed = 'cafe\u0301.txt';
    const input = dir.file(composed);
    writeRandomFile(input, 2_000);
    const folder = dir.file('forms');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, decomposed), 'copied from a Mac');
    const ours = await receiver('forms', { keepListening: true });
    const result = await send({ file: input, receivers: [spec(ours)], mss: 500 });
    expect(result.ok).toBe(true);
    // Two names that look the same never stand side by side: the new one is numbered, and its sender told.
    expect(result.receivers[0]?.keptAs).toBe('caf\u00e9 (2).txt');
    expect(readdirSync(folder).sort()).toEqual([decomposed, 'caf\u00e9 (2).txt'].sort());
    expect(readFileSync(join(folder, decomposed), 'utf8')).toBe('copied from a Mac');
    expect(sha256(join(folder, 'caf\u00e9 (2).txt'))).toBe(sha256(input));
  });

  it('a course transfer (no offer) into a folder never replaces a file there: received-1.bin becomes "received-1 (2).bin"', async () => {
    const input = dir.file('course-into-folder.bin');
    writeRandomFile(input, 3_000);
    const folder = dir.file('kept');
    mkdirSync(folder, { recursive: true });
    // Kept earlier (say, a file offered as received-1.bin, verified): an unverified transfer must not replace it.
    writeFileSync(join(folder, 'received-1.bin'), 'precious');
    const ours = await receiver('kept', { p: 0 });
    const result = await send({ file: input, receivers: [spec(ours)], mss: 500, offer: false });
    expect(result.ok).toBe(true);
    const done = await ours.done;
    expect(done.files.map((f) => basename(f.path))).toEqual(['received-1 (2).bin']);
    expect(readFileSync(join(folder, 'received-1.bin'), 'utf8')).toBe('precious');
    expect(sha256(join(folder, 'received-1 (2).bin'))).toBe(sha256(input));
  });

  it('one of ours and a course receiver in one transfer: both byte-identical, only ours verified', async () => {
    const input = dir.file('mixed.bin');
    writeRandomFile(input, 8_000);
    const ours = await receiver('mixed');
    const courseFile = dir.file('course-copy.bin');
    const course = await startPeer({ file: courseFile }, '127.0.0.3');
    try {
      const result = await send({
        file: input,
        receivers: [spec(ours), { host: '127.0.0.3', port: course.port, label: 'course' }],
        mss: 1000,
      });
      expect(result.ok).toBe(true);
      expect(result.receivers.map((r) => [r.receiver.label, r.state, r.mode])).toEqual([
        ['ours', 'done', 'verified'],
        ['course', 'done', 'course'],
      ]);
      // The course receiver dropped every offer (bad checksum) and wrote none of it.
      expect(readFileSync(courseFile).equals(readFileSync(input))).toBe(true);
      expect(sha256(dir.file('mixed/mixed.bin'))).toBe(sha256(input));
    } finally {
      course.close();
    }
  });

  it('a receiver of ours from before checksummed ACKs (no "summed" in its accept) still gets the file, verified', async () => {
    // It accepts the offer and ACKs as the course does (middle field zero); it keeps nothing, it only answers.
    const input = dir.file('to-older.bin');
    writeRandomFile(input, 5_000);
    const standard = getProfile('standard');
    const older = createSocket('udp4');
    await new Promise<void>((resolve) => older.bind(0, '127.0.0.4', resolve));
    let expected = 1;
    older.on('message', (datagram, from) => {
      const offered = decodeOffer(datagram, 'standard');
      if (offered)
        return older.send(
          encodeAnswer('standard', { id: offered.id, answer: 'accept' }),
          from.port,
          from.address,
        );
      const decoded = standard.decode(datagram);
      if (!decoded.ok || decoded.segment.kind === 'ack') return;
      if (decoded.segment.seq === expected) expected++;
      older.send(standard.encodeAck(expected - 1), from.port, from.address);
    });
    try {
      const result = await send({
        file: input,
        receivers: [{ host: '127.0.0.4', port: older.address().port, label: 'older' }],
        mss: 500,
      });
      expect(result.receivers[0]).toMatchObject({ state: 'done', mode: 'verified' });
      expect(result.receivers[0]!.failure).toBeUndefined();
      expect(expected).toBe(12); // 10 chunks and the end marker, each ACKed once in order
    } finally {
      older.close();
    }
  });

  it("answers at the end that name another offer's id are not taken: a forger who cannot see the offer neither fails a receiver nor names its file", async () => {
    // From the receiver's own address and port (a blind forgery, or a stale answer): a decline mid-transfer, a
    // kept name before the end marker's ACK, both with an id the sender never offered.
    const input = dir.file('to-forged.bin');
    writeRandomFile(input, 5_000);
    const standard = getProfile('standard');
    const ours = createSocket('udp4');
    await new Promise<void>((resolve) => ours.bind(0, '127.0.0.4', resolve));
    const other = '0000000000000000';
    let expected = 1;
    ours.on('message', (datagram, from) => {
      const offered = decodeOffer(datagram, 'standard');
      if (offered)
        return ours.send(
          encodeAnswer('standard', { id: offered.id, answer: 'accept' }),
          from.port,
          from.address,
        );
      const decoded = standard.decode(datagram);
      if (!decoded.ok || decoded.segment.kind === 'ack') return;
      const forged =
        decoded.segment.seq === 5
          ? encodeAnswer('standard', { id: other, answer: 'decline', reason: 'forged' })
          : decoded.segment.kind === 'end' || decoded.segment.payload.length === 0
            ? encodeAnswer('standard', { id: other, answer: 'kept', name: 'forged.bin' })
            : null;
      if (forged) ours.send(forged, from.port, from.address);
      if (decoded.segment.seq === expected) expected++;
      ours.send(standard.encodeAck(expected - 1), from.port, from.address);
    });
    try {
      const result = await send({
        file: input,
        receivers: [{ host: '127.0.0.4', port: ours.address().port, label: 'ours' }],
        mss: 500,
      });
      expect(result.receivers[0]).toMatchObject({ state: 'done', mode: 'verified' });
      expect(result.receivers[0]!.failure).toBeUndefined();
      expect(result.receivers[0]!.keptAs).toBeUndefined();
    } finally {
      ours.close();
    }
  });

  it('a file over the size limit is declined before any data, with the reason at the sender', async () => {
    const input = dir.file('big.bin');
    writeRandomFile(input, 50_000);
    const ours = await receiver('limited', { maxBytes: 40_000 });
    const result = await send({ file: input, receivers: [spec(ours)], mss: 1000 });
    expect(result.receivers[0]).toMatchObject({
      state: 'failed',
      failure: 'declined: the file (48.8 KiB) is larger than this receiver accepts (39.1 KiB)',
      bytes: 0,
    });
    expect(readdirSync(dir.file('limited'))).toEqual([]);
    expect(ours.counters().bytesWritten).toBe(0);
  });

  it("the receiver's user declines, or accepts after a while", async () => {
    const input = dir.file('asked.bin');
    writeRandomFile(input, 3_000);
    const asked: string[] = [];
    const no = await receiver('asked-no', {
      decide: async (o) => (asked.push(`${o.from} ${o.name} ${o.size}`), false),
    });
    const declined = await send({ file: input, receivers: [spec(no)], mss: 500 });
    expect(declined.receivers[0]!.failure).toBe("declined: the receiver's user declined the file");
    expect(asked).toEqual(['127.0.0.1 asked.bin 3000']);
    await no.stop();
    const later = await receiver('asked-yes', {
      decide: () => new Promise((resolve) => setTimeout(() => resolve(true), 1500)),
    });
    const accepted = await send({ file: input, receivers: [spec(later)], mss: 500 });
    expect(accepted.receivers[0]).toMatchObject({ state: 'done', mode: 'verified' });
    expect(accepted.receivers[0]!.offers).toBeGreaterThanOrEqual(2); // asked again while the person decided
  });

  it('a file that changed after it was offered is not kept, and the sender is told why', async () => {
    const input = dir.file('moving.bin');
    writeRandomFile(input, 6_000);
    const ours = await receiver('moving', {
      // The file is rewritten (same size) between the offer and the data: what arrives is not what was offered.
      decide: async () => {
        writeFileSync(input, Buffer.alloc(6_000, 7));
        return true;
      },
    });
    const result = await send({ file: input, receivers: [spec(ours)], mss: 1000 });
    expect(result.receivers[0]).toMatchObject({
      state: 'failed',
      failure: "the file is not the one offered: its SHA-256 does not match the offer's; nothing was kept",
    });
    const outcome = await ours.done;
    expect(outcome.files).toEqual([]);
    expect(readdirSync(dir.file('moving'))).toEqual([]);
    expect(existsSync(dir.file('moving/moving.bin'))).toBe(false);
  });

  it('a sender cancelled while a receiver is deciding says it cancelled, not that the receiver declined', async () => {
    const input = dir.file('undecided.bin');
    writeRandomFile(input, 3_000);
    const stop = new AbortController();
    let answer: (yes: boolean) => void = () => undefined;
    const ours = await receiver('undecided', { decide: () => new Promise((resolve) => (answer = resolve)) });
    const offers: { state: string; reason?: string }[] = [];
    const result = await send({
      file: input,
      receivers: [spec(ours)],
      mss: 500,
      signal: stop.signal,
      onEvent: (event) => {
        if (event.type !== 'offer') return;
        offers.push({ state: event.state, ...(event.reason ? { reason: event.reason } : {}) });
        if (event.state === 'deciding') stop.abort();
      },
    });
    answer(false);
    expect(result.ok).toBe(false);
    expect(result.receivers[0]).toMatchObject({ state: 'failed', failure: 'cancelled' });
    expect(offers.at(-1)).toEqual({ state: 'cancelled', reason: 'cancelled' });
    expect(readdirSync(dir.file('undecided'))).toEqual([]);
  });

  it('a sender stopped mid-transfer and run again at once delivers the file, even to a one-file receiver', async () => {
    const input = dir.file('exam.img');
    writeRandomFile(input, 40_000);
    const ours = await receiver('restarted');
    const stop = new AbortController();
    let sent = 0;
    const cancelled = await send({
      file: input,
      receivers: [spec(ours)],
      mss: 500,
      signal: stop.signal,
      onEvent: (event) => {
        if (event.type === 'send' && ++sent === 20) stop.abort();
      },
    });
    expect(cancelled.ok).toBe(false);
    // At once, as an admin would: the receiver gives up the old transfer for the new one.
    const again = await send({ file: input, receivers: [spec(ours)], mss: 500 });
    expect(again.receivers[0]).toMatchObject({ state: 'done', mode: 'verified' });
    expect((await ours.done).files).toMatchObject([{ verified: true }]);
    expect(readdirSync(dir.file('restarted'))).toEqual(['exam.img']);
    expect(sha256(dir.file('restarted/exam.img'))).toBe(sha256(input));
  });

  it('a receiver whose disk fills up mid-transfer tells the sender at once, not after 30 s of silence', async () => {
    const input = dir.file('large.img');
    writeRandomFile(input, 40_000);
    let writes = 0;
    const ours = await receiver('full', {
      p: 0,
      fileOps: {
        ...nodeFileOps,
        writeSync: (fd, data, offset, length) => {
          if (++writes > 3)
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          return nodeFileOps.writeSync(fd, data, offset, length);
        },
      },
    });
    const result = await send({ file: input, receivers: [spec(ours)], mss: 500 });
    // Only the receiver's own words can say why; a silent one would be "no ACK for sequence number 4 within 30.0 s".
    // They name the file, not the receiver's folders.
    expect(result.receivers[0]).toMatchObject({
      state: 'failed',
      failure: 'cannot write "large.img.part": disk full',
    });
    expect(readdirSync(dir.file('full'))).toEqual([]);
  });
});
