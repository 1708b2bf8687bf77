// The session code (issue 11): the pure parts (codes, the envelope's bytes, the replay window) and whole
// transfers over loopback with the default timings: the right code moves files byte-identical with loss on, a
// wrong code is refused on both sides, and an attacker on the path (forged, bit-flipped and replayed datagrams in
// both directions, from the expected addresses and ports) changes nothing but the counters.
import { createCipheriv, hkdfSync, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReceiverEvent } from '../../src/shared/events.js';
import { NEEDS_CODE, startReceiver, type ReceiverSession } from '../../src/shared/node/receiver.js';
import { send } from '../../src/shared/node/sender.js';
import { open, partyKey, scryptStretch, seal } from '../../src/shared/node/sessionCrypto.js';
import { nodeUdp } from '../../src/shared/node/udp.js';
import { getProfile } from '../../src/shared/protocol/profiles.js';
import {
  CODE_ALPHABET,
  codeProblem,
  formatCode,
  newSessionCode,
  normalizeCode,
} from '../../src/shared/session/code.js';
import {
  BY_RECEIVER,
  BY_SENDER,
  decodeHeader,
  encodeHeader,
  HEADER_BYTES,
  PROVEN,
  SESSION_OVERHEAD,
  WRONG_CODE,
} from '../../src/shared/session/envelope.js';
import { isFresh, newReplayWindow, REPLAY_WINDOW, take } from '../../src/shared/session/replayWindow.js';
import {
  answered,
  DEFAULT_DECIDE_MS,
  DEFAULT_OFFER_TRIES,
  DEFAULT_SEALED_MS,
  noticedWrongCode,
  startOffers,
  tick,
  type OfferState,
} from '../../src/shared/offer/offerPhase.js';
import { offerOutcome } from '../../src/shared/engine/sending.js';
import { tap } from '../helpers/attacker.js';
import { rawPeer, specsOf, tempDir, writeRandomFile } from '../helpers/loopback.js';
import { needMulticast } from '../helpers/multicast.js';

describe('session codes', () => {
  it('are 12 base32 characters, 60 random bits, read back whatever the case, dashes and look-alikes', () => {
    const code = newSessionCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(normalizeCode(code.toLowerCase())).toBe(code.replace(/-/g, ''));
    expect(normalizeCode(' 7k3m q9xd-2hfa ')).toBe('7K3MQ9XD2HFA');
    expect(normalizeCode('O1IL-0000-0000')).toBe('011100000000');
    // Dashes as a word processor makes them (en and em dash, non-breaking hyphen), and non-breaking spaces.
    expect(normalizeCode('7k3m\u2013q9xd\u2014\u00a02hfa\u2011')).toBe('7K3MQ9XD2HFA');
    expect(formatCode('7k3mq9xd2hfa')).toBe('7K3M-Q9XD-2HFA');
    // Every character of the alphabet, from every value of the random byte (uniform: 256 = 8 x 32).
    const all = newSessionCode(() => Uint8Array.from({ length: 12 }, (_, i) => i * 3 + 224));
    expect([...all.replace(/-/g, '')].every((c) => CODE_ALPHABET.includes(c))).toBe(true);
    expect(new Set(Array.from({ length: 200 }, () => newSessionCode())).size).toBe(200);
    for (const bad of ['1234', '7K3M-Q9XD-2HF', '7K3M-Q9XD-2HFAB', ''])
      expect(codeProblem(bad)).toMatch(/^a session code is 12 letters and digits/);
    // The right length, with a character no code has: which one.
    expect(codeProblem('V3ES-8010-2WSU')).toBe(
      'a session code has no "U": it is written with the digits and the letters but U, got "V3ES-8010-2WSU"',
    );
    expect(codeProblem('7K3M-Q9XD-2HF!')).toMatch(/^a session code has no "!"/);
    expect(codeProblem('7K3M-Q9XD-2HFA')).toBeNull();
  });

  it('seal every datagram in an envelope whose header is exactly as documented', () => {
    const salt = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const party = Uint8Array.from({ length: 8 }, (_, i) => 0xa0 + i);
    const header = encodeHeader({ kind: BY_SENDER, salt, party, counter: 2 ** 32 + 5 });
    expect(Buffer.from(header).toString('hex')).toBe(
      '50324d53' + '01' + '01' + '0102030405060708090a0b0c0d0e0f10' + 'a0a1a2a3a4a5a6a7' + '0000000100000005',
    );
    expect(HEADER_BYTES).toBe(38);
    expect(SESSION_OVERHEAD).toBe(54);
    // Not an envelope: too short, other magic or version, unknown kind, a sealed one without room for its tag,
    // a notice with a body, counters beyond what a transfer reaches.
    const sealed = Buffer.concat([header, Buffer.alloc(16)]);
    expect(decodeHeader(sealed)).toMatchObject({ kind: BY_SENDER, counter: 2 ** 32 + 5 });
    expect(decodeHeader(header)).toBeNull();
    const notice = encodeHeader({ kind: WRONG_CODE, salt, party: new Uint8Array(8), counter: 0 });
    expect(decodeHeader(notice)).toMatchObject({ kind: WRONG_CODE });
    expect(decodeHeader(Buffer.concat([notice, Buffer.of(0)]))).toBeNull();
    for (const [offset, value] of [
      [0, 0x51],
      [4, 2],
      [5, 0],
      [5, 4],
      [30, 0xff],
    ] as const) {
      const bad = Buffer.from(sealed);
      bad[offset] = value;
      expect(decodeHeader(bad)).toBeNull();
    }
    expect(decodeHeader(new Uint8Array(0))).toBeNull();
  });

  it('seal with ChaCha20-Poly1305 (RFC 8439): node:crypto makes the same bytes, and one flipped bit fails', () => {
    const key = randomBytes(32);
    const header = encodeHeader({
      kind: BY_SENDER,
      salt: randomBytes(16),
      party: randomBytes(8),
      counter: 7,
    });
    const inner = randomBytes(500);
    const envelope = seal(key, header, 7, inner);
    // The same AEAD from another implementation: nonce = 4 zero bytes || counter, the header as associated data.
    const nonce = Buffer.concat([Buffer.alloc(4), Buffer.from(header.subarray(30, 38))]);
    const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
    cipher.setAAD(header, { plaintextLength: inner.length });
    const expected = Buffer.concat([header, cipher.update(inner), cipher.final(), cipher.getAuthTag()]);
    expect(envelope.toString('hex')).toBe(expected.toString('hex'));
    // Opened in place: the inner datagram is decrypted over its ciphertext, the header stays as it came.
    const opened = Buffer.from(envelope);
    const got = open(key, opened, 7);
    expect(got).toEqual(inner);
    expect(got!.buffer).toBe(opened.buffer);
    expect(opened.subarray(0, 38)).toEqual(envelope.subarray(0, 38));
    // Any bit of the header, the ciphertext or the tag, another counter or another key: refused.
    for (const at of [0, 5, 21, 37, 38, 300, envelope.length - 1]) {
      const bad = Buffer.from(envelope);
      bad[at]! ^= 1;
      expect(open(key, bad, 7)).toBeNull();
    }
    expect(open(key, Buffer.from(envelope), 8)).toBeNull();
    expect(open(randomBytes(32), Buffer.from(envelope), 7)).toBeNull();
  });

  it('key each party from the code stretched once (scrypt, fixed salt) and the transfer salt (HKDF), as documented', async () => {
    const code = normalizeCode('7k3m-q9xd-2hfa')!;
    const salt = Uint8Array.from({ length: 16 }, (_, i) => i);
    const party = Uint8Array.from({ length: 8 }, (_, i) => 0xf0 + i);
    // docs/PROTOCOL.md, "Keys", computed here by hand with node:crypto.
    const byHand = scryptSync('7K3MQ9XD2HFA', 'p2mp-ftp session code v1', 32, {
      N: 2 ** 14,
      r: 8,
      p: 1,
      maxmem: 64 << 20,
    });
    const info = Buffer.concat([Buffer.from('p2mp-ftp session v1 '), Buffer.of(BY_SENDER), party]);
    const stretching = scryptStretch(code);
    // Once per process: the next transfer with this code (or a receiver listening again) waits for nothing.
    expect(scryptStretch(code)).toBe(stretching);
    const stretched = await stretching;
    expect(stretched).toEqual(byHand);
    const key = partyKey(stretched, salt, BY_SENDER, party);
    expect(key).toEqual(Buffer.from(hkdfSync('sha256', byHand, salt, info, 32)));
    // Another transfer (salt), another kind of party or another party id: another key.
    const otherSalt = Uint8Array.from(salt, (b) => b ^ 1);
    for (const other of [
      partyKey(stretched, otherSalt, BY_SENDER, party),
      partyKey(stretched, salt, BY_RECEIVER, party),
      partyKey(
        stretched,
        salt,
        BY_SENDER,
        Uint8Array.from(party, (b) => b ^ 1),
      ),
      partyKey(await scryptStretch(newSessionCode()), salt, BY_SENDER, party),
    ])
      expect(other.equals(key)).toBe(false);
  });

  it('take each counter once, and nothing older than the window', () => {
    const w = newReplayWindow();
    expect(isFresh(w, 0)).toBe(false);
    for (const c of [1, 3, 2, 10]) {
      expect(isFresh(w, c)).toBe(true);
      take(w, c);
      expect(isFresh(w, c)).toBe(false);
    }
    expect([4, 5, 9].every((c) => isFresh(w, c))).toBe(true);
    take(w, 10 + REPLAY_WINDOW);
    expect(isFresh(w, 10)).toBe(false); // too old to tell: refused
    expect(isFresh(w, 11)).toBe(true); // just inside the window, never seen
    take(w, 11);
    expect(isFresh(w, 11)).toBe(false);
    // A jump past the whole window forgets every slot it passes.
    take(w, 10 + 3 * REPLAY_WINDOW);
    expect(isFresh(w, 10 + 3 * REPLAY_WINDOW - 1)).toBe(true);
  });
});

describe('the offer with a session code (pure rules, default timings)', () => {
  const T = 100;
  const rules = {
    intervalMs: T,
    tries: DEFAULT_OFFER_TRIES,
    decideMs: DEFAULT_DECIDE_MS,
    sealedMs: DEFAULT_SEALED_MS,
  };

  it('asks a silent receiver every T for 10 s, then gives up on it ("no answer"), never course mode', () => {
    let { states } = startOffers(1);
    let sent = 1;
    for (let now = T; now < DEFAULT_SEALED_MS; now += T) {
      const next = tick(states, now, rules, [now - T]);
      states = next.states;
      sent += next.send.length;
      expect(states[0]!.kind).toBe('asking');
    }
    expect(sent).toBe(DEFAULT_SEALED_MS / T);
    expect(tick(states, DEFAULT_SEALED_MS, rules, [0]).states[0]).toEqual({ kind: 'silent' });
    // Said for the app and the command line alike: a machine off or unreachable first.
    expect(offerOutcome({ kind: 'silent' }).failure).toBe(
      'no answer sealed with the session code: is that machine on and reachable, and its receiver listening ' +
        'with this code and the same wire profile (p2mpserver --code and --profile, or Receive mode)?',
    );
  });

  it('takes three "wrong code" notices for a wrong code; an answer in between wins (a forged notice only delays)', () => {
    let states: OfferState[] = startOffers(2).states;
    states = noticedWrongCode(states, 0);
    states = noticedWrongCode(states, 0);
    expect(states[0]).toMatchObject({ kind: 'asking', wrongCode: 2 });
    states = noticedWrongCode(states, 0);
    expect(states[0]).toEqual({ kind: 'wrong-code' });
    states = noticedWrongCode(states, 1);
    states = answered(states, 1, { answer: 'accept' }, 50);
    expect(states[1]).toEqual({ kind: 'accepted' });
    expect(noticedWrongCode(states, 1)[1]).toEqual({ kind: 'accepted' });
    // "No code" notices (a receiver started without one) count the same way, and say so.
    let none: OfferState[] = startOffers(1).states;
    for (let k = 0; k < 3; k++) none = noticedWrongCode(none, 0, 'no-code');
    expect(none[0]).toEqual({ kind: 'no-code' });
  });
});

describe('transfers with a session code (loopback, default timings)', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  const sessions: ReceiverSession[] = [];
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.stop()));
    dirs.splice(0).forEach((d) => d.cleanup());
  });

  async function receivers(
    n: number,
    code: string,
    p: number,
    extra: Parameters<typeof startReceiver>[0] | object = {},
  ) {
    const dir = tempDir();
    dirs.push(dir);
    const events: ReceiverEvent[][] = [];
    const started = await Promise.all(
      Array.from({ length: n }, (_, i) => {
        events.push([]);
        return startReceiver({
          port: 0,
          bind: `127.0.0.${2 + i}`,
          destination: () => dir.file(`unused-${i}`),
          folder: dir.file(''),
          p,
          seed: 40 + i,
          code,
          onEvent: (e) => events[i]!.push(e),
          ...extra,
        });
      }),
    );
    sessions.push(...started);
    return { dir, started, events };
  }

  /** A file of `size` random bytes, named `name`, in a folder of its own (removed after the test). */
  function sourceFile(name: string, size: number): { path: string; data: Buffer } {
    const src = tempDir();
    dirs.push(src);
    return { path: src.file(name), data: writeRandomFile(src.file(name), size) };
  }

  it('right code: three receivers at p = 0.1 get the file byte-identical, verified, nothing rejected', async () => {
    const code = newSessionCode();
    const { dir, started } = await receivers(3, code, 0.1);
    const { path: source, data } = sourceFile('lecture.pdf', 30_000);
    const result = await send({ file: source, mss: 500, receivers: specsOf(started), code });
    expect(result.ok).toBe(true);
    expect(result.receivers.map((r) => r.mode)).toEqual(['verified', 'verified', 'verified']);
    expect(result.counters).toMatchObject({ forged: 0, replayed: 0 });
    // Each receiver in its own folder? One folder: the names clash, so "(2)" and "(3)" — all three copies whole.
    const kept = readdirSync(dir.path).filter((f) => !f.endsWith('.part'));
    expect(kept.sort()).toEqual(['lecture (2).pdf', 'lecture (3).pdf', 'lecture.pdf']);
    for (const f of kept) expect(readFileSync(dir.file(f)).equals(data)).toBe(true);
    for (const s of started) expect(s.counters()).toMatchObject({ forged: 0, replayed: 0 });
    expect(started.some((s) => s.counters().dropped > 0)).toBe(true);
    // Each receiver held back the sender's first datagram and challenged it; each challenge was answered.
    for (const s of started) expect(s.counters().unproven).toBeGreaterThanOrEqual(1);
    for (const r of result.receivers) expect(r.proofs).toBeGreaterThanOrEqual(1);
  });

  it('a receiver stretches the code once, before it listens: its transfers key from their salts alone', async () => {
    const code = newSessionCode();
    let stretches = 0;
    const counted = (c: string) => {
      stretches++;
      return scryptStretch(c);
    };
    const { started } = await receivers(2, code, 0, { sessionKdf: counted });
    expect(stretches).toBe(2);
    const src = tempDir();
    dirs.push(src);
    for (const name of ['a.bin', 'b.bin']) {
      writeRandomFile(src.file(name), 5_000);
      const result = await send({ file: src.file(name), mss: 500, receivers: specsOf(started), code });
      expect(result.receivers.map((r) => r.mode)).toEqual(['verified', 'verified']);
    }
    expect(stretches).toBe(2);
  });

  it('right code over multicast (Selective Repeat): one sealed copy to the group opens at every receiver', async (ctx) => {
    await needMulticast(ctx);
    const code = newSessionCode();
    const { dir, started } = await receivers(3, code, 0.1);
    const { path: source, data } = sourceFile('slides.bin', 30_000);
    const result = await send({
      file: source,
      mss: 500,
      receivers: specsOf(started),
      code,
      protocol: 'sr',
    });
    expect(result.ok).toBe(true);
    expect(result.receivers.map((r) => r.multicast)).toEqual(['group', 'group', 'group']);
    expect(result.counters).toMatchObject({ forged: 0, replayed: 0 });
    const kept = readdirSync(dir.path).filter((f) => !f.endsWith('.part'));
    expect(kept).toHaveLength(3);
    for (const f of kept) expect(readFileSync(dir.file(f)).equals(data)).toBe(true);
    // A group datagram is one sealed copy: each receiver opens its counter once, never as a replay.
    for (const s of started) expect(s.counters()).toMatchObject({ forged: 0, replayed: 0 });
  });

  it('wrong code: the sender reports "wrong code", the receiver reports it once and keeps nothing', async () => {
    const { dir, started, events } = await receivers(1, newSessionCode(), 0);
    const { path: source } = sourceFile('a.bin', 5_000);
    const result = await send({
      file: source,
      mss: 500,
      receivers: specsOf(started),
      code: newSessionCode(),
    });
    expect(result.ok).toBe(false);
    expect(result.receivers[0]!.failure).toBe(
      'wrong code: it cannot open our datagrams (it was given another session code)',
    );
    const wrong = events[0]!.filter((e) => e.type === 'wrong-code');
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatchObject({ from: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    // Every one of them counted as another code's, the first ones too (counted as forged until the third).
    expect(started[0]!.counters()).toMatchObject({ forged: 0, wrongCode: expect.any(Number) });
    expect(started[0]!.counters().wrongCode).toBeGreaterThanOrEqual(3);
    expect(started[0]!.counters().received).toBe(0);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('a receiver with a code takes nothing from a sender without one, and tells ours why at once', async () => {
    const { dir, started, events } = await receivers(1, newSessionCode(), 0);
    const { path: source } = sourceFile('a.bin', 2_000);
    const ours = await send({ file: source, mss: 500, receivers: specsOf(started) });
    expect(ours.ok).toBe(false);
    expect(ours.receivers[0]!.failure).toBe(`declined: ${NEEDS_CODE}`);
    // Said to the app's Send view too (a lab review read "(--code)" there, a flag its user has nowhere to give).
    expect(NEEDS_CODE).toBe(
      "this receiver lets in only a sender with its session code (Send mode's Session code field, or p2mpclient --code)",
    );
    // A course sender (no offer) gets nothing: its segments are dropped and counted, never written.
    const course = await send({
      file: source,
      mss: 500,
      receivers: specsOf(started),
      offer: false,
      receiverTimeoutMs: 1_500,
    });
    expect(course.ok).toBe(false);
    expect(started[0]!.counters()).toMatchObject({ received: 0 });
    expect(started[0]!.counters()).toMatchObject({ forged: 0, unsealed: expect.any(Number) });
    expect(started[0]!.counters().unsealed).toBeGreaterThan(5);
    // Reported once per host, however many datagrams.
    expect(events[0]!.filter((e) => e.type === 'unsealed')).toEqual([
      { type: 'unsealed', t: expect.any(Number), from: expect.stringMatching(/^127\.0\.0\.1:\d+$/) },
    ]);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('a receiver without a code tells a sender with one at once: the room gets its file, that receiver a reason', async () => {
    const code = newSessionCode();
    const withCode = await receivers(1, code, 0);
    const without = await receivers(1, code, 0, { code: undefined, bind: '127.0.0.3' });
    const { path: source, data } = sourceFile('room.bin', 3_000);
    const result = await send({
      file: source,
      mss: 500,
      receivers: [...specsOf(withCode.started), ...specsOf(without.started)],
      code,
    });
    expect(result.receivers.map((r) => r.mode)).toEqual(['verified', 'verified']);
    expect(result.receivers[0]!.failure).toBeUndefined();
    expect(readFileSync(withCode.dir.file('room.bin')).equals(data)).toBe(true);
    // Its "no code" notices, not 10 s of silence ("no answer sealed..."), ended it.
    expect(result.receivers[1]!.failure).toBe(
      'it has no session code: start it with --code and the same code (or Receive mode with the code), or send without one',
    );
    // That receiver says so once, and keeps nothing.
    expect(without.events[0]!.filter((e) => e.type === 'needs-code')).toEqual([
      { type: 'needs-code', t: expect.any(Number), from: expect.stringMatching(/^127\.0\.0\.1:\d+$/) },
    ]);
    expect(readdirSync(without.dir.path)).toEqual([]);
  });

  /**
   * Forged ACKs for every segment of a 10-segment file and its end marker, with the checksum an offered transfer's
   * ACKs carry (it guards against corruption, not against anyone: it is no secret), and a forged end marker.
   */
  const forgeries = (profile = getProfile('standard')) => ({
    acks: Array.from({ length: 11 }, (_, k) => profile.encodeAck(k + 1, true)),
    end: profile.encodeEnd(3),
  });

  /** `file` to `started` from 127.0.0.1 through a tap (which sees every datagram as it leaves). */
  const sendTapped = (
    sendTap: ReturnType<typeof tap>,
    file: string,
    started: ReceiverSession[],
    code: string | undefined,
  ) =>
    send({
      file,
      mss: 500,
      receivers: specsOf(started),
      bind: '127.0.0.1',
      udp: sendTap.udp,
      ...(code === undefined ? {} : { code }),
    });

  async function attacked(code: string | undefined) {
    const recvTap = tap(nodeUdp);
    const sendTap = tap(nodeUdp);
    const { dir, started, events } = await receivers(1, code ?? newSessionCode(), 0.2, {
      udp: recvTap.udp,
      keepListening: true,
      ...(code === undefined ? { code: undefined } : {}),
    });
    const receiver = started[0]!.address;
    const { path: source, data } = sourceFile('exam.bin', 4_500);
    const { acks, end } = forgeries();
    let ends = 0;
    // Sender to receiver: every datagram again from the sender's own socket (a replay), a copy with one bit of
    // its body flipped, and a forged course end marker. Receiver to sender: forged course ACKs for every segment,
    // from the receiver's own address and port, right after each datagram the sender sends.
    sendTap.onSend = (datagram, to) =>
      setImmediate(() => {
        sendTap.sendAs(datagram, to);
        const flipped = Buffer.from(datagram);
        flipped[flipped.length - 20]! ^= 0x01;
        sendTap.sendAs(flipped, to);
        sendTap.sendAs(end, to);
        ends++;
        // Malformed in the envelope (when sealed): cut short, and a counter beyond any transfer's.
        if (datagram.length >= SESSION_OVERHEAD) {
          sendTap.sendAs(datagram.subarray(0, 40), to);
          const far = Buffer.from(datagram);
          far.fill(0xff, 30, 34);
          sendTap.sendAs(far, to);
        }
        for (const ack of acks) sendTap.inject(ack, receiver);
      });
    // And every ACK again (a replay).
    recvTap.onSend = (datagram, to) => setImmediate(() => recvTap.sendAs(datagram, to));
    const result = await sendTapped(sendTap, source, started, code);
    sendTap.onSend = undefined;
    recvTap.onSend = undefined;
    return { result, dir, data, receiver: started[0]!, sendTap, recvTap, events: events[0]!, ends };
  }

  it('an attacker on the path (forged, bit-flipped and replayed datagrams both ways) changes nothing but the counters', async () => {
    const code = newSessionCode();
    const { result, dir, data, receiver, sendTap, events, ends } = await attacked(code);
    expect(result.ok).toBe(true);
    // Only the forged course end markers are "without the session code"; malformed envelopes are forgeries (that
    // advice, "give the sender --code", would mislead).
    const unsealed = events.filter((e) => e.type === 'rejected' && e.why === 'unsealed');
    expect(unsealed.length).toBeLessThanOrEqual(ends);
    expect(readFileSync(`${dir.path}/exam.bin`).equals(data)).toBe(true);
    const atReceiver = receiver.counters();
    expect(atReceiver.replayed).toBeGreaterThan(5);
    expect(atReceiver.forged).toBeGreaterThan(10);
    expect(result.counters!.replayed).toBeGreaterThan(5);
    expect(result.counters!.forged).toBeGreaterThan(50);
    // The whole transfer recorded and played again afterwards, from the sender's address (its socket is closed
    // by now): every datagram a replay, no second file.
    const before = atReceiver.replayed!;
    const replayer = await rawPeer('127.0.0.1');
    for (const { datagram, to } of sendTap.sent) replayer.socket.send(datagram, to.port, to.address);
    await until(() => receiver.counters().replayed! >= before + sendTap.sent.length);
    expect(readdirSync(dir.path)).toEqual(['exam.bin']);
    replayer.close();
  });

  it('a receiver on every address challenging from another one is given up on at once, with the fix', async () => {
    const code = newSessionCode();
    // Bound to every address, sent to at 127.0.0.2: it answers from 127.0.0.1, the address its system picks.
    const { started, dir } = await receivers(1, code, 0, { bind: '0.0.0.0' });
    const port = started[0]!.address.port;
    const { path: source } = sourceFile('a.bin', 2_000);
    const result = await send({
      file: source,
      mss: 500,
      receivers: [{ host: '127.0.0.2', port, label: 'r' }],
      code,
    });
    expect(result.ok).toBe(false);
    // Its challenges were never answered (nothing was sent there): it took nothing, and the user is told why,
    // after its third challenge, not once the 10 s for a silent receiver are over.
    expect(result.receivers[0]!.failure).toMatch(
      new RegExp(
        `^it answers from 127\\.0\\.0\\.1:${port}, another address of its machine .* or send to 127\\.0\\.0\\.1$`,
      ),
    );
    expect(result.offerMs).toBeLessThan(DEFAULT_SEALED_MS);
    expect(result.receivers[0]!.proofs).toBe(0);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('a receiver that challenges but never gets our proofs is named as one that has the code, not as one without', async () => {
    const code = newSessionCode();
    const { started, dir } = await receivers(1, code, 0);
    const { path: source } = sourceFile('lost.bin', 2_000);
    // The path to it loses every proof (below the sender's session layer, which sends them all the same).
    const sendTap = tap(nodeUdp);
    const lossy: typeof nodeUdp = async (options) => {
      const socket = await sendTap.udp(options);
      return {
        ...socket,
        send: (datagram, port, address) => {
          if (datagram[5] !== PROVEN) socket.send(datagram, port, address);
        },
      };
    };
    const offers: string[] = [];
    const result = await send({
      file: source,
      mss: 500,
      receivers: specsOf(started),
      code,
      udp: lossy,
      onEvent: (e) => void (e.type === 'offer' && e.reason !== undefined && offers.push(e.reason)),
    });
    expect(result.ok).toBe(false);
    const { proofs, failure } = result.receivers[0]!;
    expect(proofs).toBeGreaterThanOrEqual(2);
    expect(failure).toBe(
      `it has the session code (it challenged us and was sent ${proofs} proofs) but never answered the offer: ` +
        'our datagrams are lost on the way to it (its p, or the network)',
    );
    expect(offers).toEqual([failure]);
    expect(started[0]!.counters()).toMatchObject({ received: 0, forged: 0 });
    expect(started[0]!.counters().unproven).toBeGreaterThanOrEqual(proofs!);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('a recorded transfer played to another receiver of the room (the same code) leaves nothing there', async () => {
    const code = newSessionCode();
    const sendTap = tap(nodeUdp);
    const { started } = await receivers(1, code, 0);
    const { path: source } = sourceFile('exam.bin', 4_500);
    const result = await sendTapped(sendTap, source, started, code);
    expect(result.ok).toBe(true);
    // The receiver challenged the sender, and the sender answered: once, unless the machine was so slow that the
    // offer went again before the proof came (every proof is in the recording either way).
    const proofs = sendTap.sent.filter(({ datagram }) => datagram[5] === PROVEN).length;
    expect(proofs).toBeGreaterThanOrEqual(1);
    expect(result.receivers[0]!.proofs).toBe(proofs);
    expect(started[0]!.counters().unproven).toBeGreaterThanOrEqual(1);
    // Another machine of the room, listening with the same code: the whole recording, in order, from the
    // sender's address (its socket is closed by now). Every datagram authenticates; none may deliver anything.
    const other = await receivers(1, code, 0, { keepListening: true });
    const target = other.started[0]!;
    const replayer = await rawPeer('127.0.0.1');
    for (const { datagram } of sendTap.sent) {
      replayer.socket.send(datagram, target.address.port, target.address.address);
      await new Promise((r) => setTimeout(r, 2));
    }
    const recorded = sendTap.sent.length;
    await until(() => target.counters().unproven! + target.counters().replayed! >= recorded);
    replayer.close();
    // Dropped, each one: all but the proofs, which carry the first receiver's challenge, not this one's.
    expect(target.counters()).toMatchObject({
      received: 0,
      unproven: recorded - proofs,
      replayed: proofs,
      forged: 0,
    });
    expect(other.events[0]!.filter((e) => e.type === 'offer' || e.type === 'transfer-start')).toEqual([]);
    expect(readdirSync(other.dir.path)).toEqual([]);
  });

  it("a sender keeps every receiver's replay window: ten receivers, each of their datagrams replayed once, all refused", async () => {
    const code = newSessionCode();
    const { dir, started } = await receivers(10, code, 0);
    const { path: source, data } = sourceFile('roll.bin', 3_000);
    const sendTap = tap(nodeUdp);
    let replays = 0;
    sendTap.onReceive = (datagram, from) =>
      setImmediate(() => {
        if (!sendTap.isOpen()) return;
        replays++;
        sendTap.inject(datagram, from);
      });
    const result = await send({
      file: source,
      mss: 500,
      receivers: specsOf(started),
      udp: sendTap.udp,
      code,
    });
    expect(result.ok).toBe(true);
    expect(replays).toBeGreaterThan(60);
    expect(result.counters!.replayed).toBe(replays);
    const kept = readdirSync(dir.path).filter((f) => !f.endsWith('.part'));
    expect(kept).toHaveLength(10);
    for (const f of kept) expect(readFileSync(dir.file(f)).equals(data)).toBe(true);
  });

  it('without a code the same forged ACKs break the transfer (the attack the code stops is real)', async () => {
    const { result, dir } = await attacked(undefined);
    // The sender believes the forged ACKs and reports the file delivered; the receiver never got it.
    expect(result.receivers[0]).toMatchObject({ state: 'done' });
    expect(existsSync(`${dir.path}/exam.bin`)).toBe(false);
  });
});

/** Waits for `condition` (real I/O: datagrams on loopback), bounded generously. */
async function until(condition: () => boolean, boundMs = 10_000): Promise<void> {
  const end = Date.now() + boundMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
