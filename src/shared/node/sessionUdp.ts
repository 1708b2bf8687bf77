// The session code as a layer around the engine's `Udp` (docs/PROTOCOL.md, "Session code"): every datagram the
// engine sends leaves sealed in the envelope, and only datagrams that authenticate, and were not seen before,
// reach the engine. Everything else is dropped and reported through `onRejected`, so the protocol's rules stay
// exactly as they are, code or no code.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  BY_RECEIVER,
  BY_SENDER,
  bytesAt,
  CHALLENGE,
  CHALLENGE_BYTES,
  counterOf,
  encodeHeader,
  envelopeKind,
  NO_CODE,
  PARTY_AT,
  PARTY_BYTES,
  PROVEN,
  SALT_AT,
  SALT_BYTES,
  startsAsEnvelope,
  WRONG_CODE,
  writeCounter,
  type EnvelopeKind,
} from '../session/envelope.js';
import { hostTries } from '../session/hostTries.js';
import { IdTable } from '../session/idTable.js';
import { isFresh, newReplayWindow, take, type ReplayWindow } from '../session/replayWindow.js';
import { open, partyKey, scryptStretch, seal, type StretchCode } from './sessionCrypto.js';
import type { BindOptions, Peer, Rejection, Udp, UdpSocket } from './udp.js';

export interface SessionOptions {
  /** The normalized code (session/code.ts). */
  code: string;
  /** scrypt, once per code and process, by default; the simulator, in virtual time, passes one that answers at once. */
  stretch?: StretchCode;
}

/**
 * A receiver keeps transfers (salts) in three tables of 64, so that no kind of junk can push out a real
 * transfer: live ones (a sender proved itself live under it: the least recently used out first); pending ones
 * (something authenticated under it, no sender live yet: a transfer waiting for its proof, or a recording; the
 * oldest out first); and unproven ones (nothing authenticated yet: a wrong code's, or forged; the oldest out first).
 */
const MAX_SALTS = 64;
/** Senders (parties) a receiver keeps per salt: a sender that restarts its socket under the same salt is a new one. */
const MAX_SENDER_PARTIES = 8;
/** Receivers (parties) a sender keeps: every receiver of the largest transfer, and restarts. */
const MAX_RECEIVER_PARTIES = 4_096;
/** Hosts a receiver can reply to (the last salt each one authenticated under). */
const MAX_REPLY_TO = 4_096;
/** Datagrams of a transfer that fail to open, none having opened, before it counts as sealed with another code. */
const WRONG_CODE_AFTER = 3;
/**
 * "Wrong code" notices, and first reports of a wrong code, from all salts together are at least this far apart:
 * a fresh salt costs an attacker nothing, so salts must not become a flood of reports or a reflector.
 */
const NOTICE_GAP_MS = 50;
const REPORT_GAP_MS = 1_000;
/** A host sending without the code is reported again once it has sent nothing unsealed for this long (a new try). */
const UNSEALED_QUIET_MS = 10_000;
/**
 * A sender party not yet live is challenged again at most this often (its retransmissions ask again). Only a
 * datagram that authenticated earns a challenge, and one no larger: a recording replayed from spoofed addresses
 * gets no amplification out of a receiver.
 */
const RECHALLENGE_MS = 50;

interface Opener {
  key: Buffer;
  window: ReplayWindow;
}

/** A receiver party at a sender: the address and port it answers from. */
interface ReceiverParty extends Opener, Peer {}

/** A datagram as the sender sent it (one sealed copy for every destination that got it). */
interface Sent {
  inner: Uint8Array;
  sealed: Buffer;
}

/** A sender party at a receiver: nothing of it reaches the protocol until it answers its challenge (live). */
interface SenderParty extends Opener {
  live: boolean;
  challenge: Buffer;
  challengedAt: number;
}

/** What one party seals with: its key, and a header whose counter goes up by one per datagram. */
interface Sealer {
  key: Buffer;
  header: Uint8Array;
  counter: number;
}

function sealer(stretched: Buffer, kind: EnvelopeKind, salt: Uint8Array): Sealer {
  const party = randomBytes(PARTY_BYTES);
  return {
    key: partyKey(stretched, salt, kind, party),
    header: encodeHeader({ kind, salt, party, counter: 0 }),
    counter: 0,
  };
}

/** Seals `inner` with the party's next counter; as another kind than its own when asked (a challenge, a proof). */
function sealNext(s: Sealer, inner: Uint8Array, kind?: EnvelopeKind): Buffer {
  s.counter++;
  writeCounter(s.header, 30, s.counter);
  if (kind === undefined) return seal(s.key, s.header, s.counter, inner);
  const own = s.header[5]!;
  s.header[5] = kind;
  const sealed = seal(s.key, s.header, s.counter, inner);
  s.header[5] = own;
  return sealed;
}

/** An envelope that authenticated, with a counter not taken yet: `commit` takes it (and remembers a new party). */
interface Opened<T> {
  inner: Buffer;
  /** The party's entry; null for a party not seen before (made by commit). */
  opener: T | null;
  key: Buffer;
  window: ReplayWindow;
  counter: number;
  party: Uint8Array;
}

/**
 * Opens an envelope (in place) under its party's key (from the stretched code and the transfer's salt), checking
 * its counter against that party's window. Nothing is taken or remembered yet: see commit.
 */
function openFrom<T extends Opener>(
  openers: IdTable<T>,
  stretched: Buffer,
  salt: Uint8Array,
  kind: EnvelopeKind,
  envelope: Buffer,
): Opened<T> | 'forged' | 'replayed' {
  const opener = openers.find(envelope, PARTY_AT) ?? null;
  const party = envelope.subarray(PARTY_AT, PARTY_AT + PARTY_BYTES);
  const key = opener ? opener.key : partyKey(stretched, salt, kind, party);
  const counter = counterOf(envelope);
  const inner = open(key, envelope, counter);
  if (inner === null) return 'forged';
  const window = opener ? opener.window : newReplayWindow();
  if (!isFresh(window, counter)) return 'replayed';
  return { inner, opener, key, window, counter, party };
}

/** Takes an opened envelope's counter; a new party is remembered (only one that authenticated: forged ids cost an HKDF, never memory). */
function commit<T extends Opener>(
  openers: IdTable<T>,
  capacity: number,
  o: Opened<T>,
  make: (opener: Opener) => T,
): T {
  take(o.window, o.counter);
  if (o.opener) return o.opener;
  const opener = make({ key: o.key, window: o.window });
  if (openers.size >= capacity) openers.delete(openers.values().next().value!);
  openers.add(o.party, opener);
  return opener;
}

/**
 * A sender's side: one salt for the transfer, its own key, and a key per receiver that answers. The engine sends
 * one segment to every receiver with the same buffer: it is sealed once and that copy goes to each of them; a
 * repeat to a receiver that already got it (a retransmission) is sealed anew, so its counter is fresh. A
 * receiver's challenge is answered at once with the datagram it was last sent, the challenge in front (PROVEN).
 */
export function senderSession(udp: Udp, options: SessionOptions): Udp {
  return async (bind: BindOptions) => {
    const salt = randomBytes(SALT_BYTES);
    const stretched = await (options.stretch ?? scryptStretch)(options.code);
    const mine = sealer(stretched, BY_SENDER, salt);
    // Each receiver party answers from one address and port, the first it authenticated from: its datagram from
    // elsewhere is a copy (one receiver counted as another destination too). A new party at a known place is
    // taken: a receiver started again, or one that forgot this transfer, answers with a new one.
    const receivers = new IdTable<ReceiverParty>();
    // The copy of the segment being sent, and the last copy each destination (address, then port) was sent.
    let current: Sent | null = null;
    const sentTo = new Map<string, Map<number, Sent>>();
    // When each destination was last sent a proof ("address:port"; as many as destinations).
    const provedAt = new Map<string, number>();
    const reject = (why: Rejection['why'], from: Peer): void =>
      bind.onRejected?.({ why, from, first: false });

    /** Answers a receiver's challenge: what it was last sent, again, proving this party is live. */
    function answer(challenge: Buffer, to: Peer, last: Sent): void {
      // As often as a receiver challenges, no more: a proof carries a whole datagram, and must not be a way to
      // make the sender pour them out.
      const now = performance.now();
      const at = `${to.address}:${to.port}`;
      if (now - (provedAt.get(at) ?? -Infinity) < RECHALLENGE_MS) return;
      provedAt.set(at, now);
      socket.send(sealNext(mine, Buffer.concat([challenge, last.inner]), PROVEN), to.port, to.address);
      bind.onProof?.(to);
    }

    function receive(kind: EnvelopeKind, envelope: Buffer, from: Peer): void {
      const o = openFrom(receivers, stretched, salt, BY_RECEIVER, envelope);
      if (typeof o === 'string') return reject(o, from);
      if (o.opener && (o.opener.port !== from.port || o.opener.address !== from.address))
        return reject('replayed', from);
      // A challenge from where nothing was sent has nothing to prove (and a proof sent there would be a
      // reflection): not answered, and its counter not taken, so a copy sent first cannot spend the real one's.
      const last = kind === CHALLENGE ? sentTo.get(from.address)?.get(from.port) : undefined;
      if (kind === CHALLENGE && last === undefined) return reject('elsewhere', from);
      commit(receivers, MAX_RECEIVER_PARTIES, o, (opener) => ({
        ...opener,
        address: from.address,
        port: from.port,
      }));
      if (kind === CHALLENGE) return answer(o.inner, from, last!);
      bind.onMessage(o.inner, from);
    }

    const socket = await udp({
      ...bind,
      onMessage: (envelope, from) => {
        const kind = envelopeKind(envelope);
        if (kind === 0 || kind === BY_SENDER || kind === PROVEN || !bytesAt(envelope, SALT_AT, salt))
          return reject('forged', from);
        if (kind === WRONG_CODE) return reject('wrong-code', from);
        if (kind === NO_CODE) return reject('no-code', from);
        receive(kind, envelope, from);
      },
    });
    return {
      local: socket.local,
      send: (inner, port, address) => {
        let ports = sentTo.get(address);
        if (ports === undefined) sentTo.set(address, (ports = new Map()));
        if (current === null || current.inner !== inner || ports.get(port) === current)
          current = { inner, sealed: sealNext(mine, inner) };
        ports.set(port, current);
        socket.send(current.sealed, port, address);
      },
      close: () => socket.close(),
    };
  };
}

/** What a receiver keeps per transfer (salt). */
interface Salted {
  salt: Uint8Array;
  senders: IdTable<SenderParty>;
  /** What it seals its challenges, answers and ACKs under this salt with: made once something authenticated. */
  mine: Sealer | null;
  /** Datagrams that authenticated under it: none means whoever seals under it has another code. */
  authenticated: number;
  /** Datagrams under it that did not open. */
  failures: number;
  reported: boolean;
  /** Whether a sender proved itself live under it (it is then among the live salts). */
  live: boolean;
  /** When something last authenticated under it (a count of such datagrams at the receiver): which salt goes first. */
  usedAt: number;
}

const newParty = (opener: Opener): SenderParty => ({
  ...opener,
  live: false,
  challenge: randomBytes(CHALLENGE_BYTES),
  challengedAt: -Infinity,
});

/**
 * A receiver's side: it stretches the code once, before it listens; each transfer's keys then come from the salt
 * in its datagrams at once (HKDF). It challenges each new sender party and lets nothing of it through until the
 * party answers (a recording cannot), and it seals its answers and ACKs to a host under the salt that host last
 * proved itself live with.
 */
export function receiverSession(udp: Udp, options: SessionOptions): Udp {
  return async (bind: BindOptions) => {
    const stretched = await (options.stretch ?? scryptStretch)(options.code);
    const salts = new IdTable<Salted>();
    const pending = new IdTable<Salted>();
    const unproven = new IdTable<Salted>();
    let used = 0;
    let noticeAt = -Infinity;
    let reportAt = -Infinity;
    const replyTo = new Map<string, Salted>();
    // The host answered last, and its salt: in a transfer every datagram and every ACK is theirs, so the Map
    // (and the string its key needs) is only consulted when another host comes.
    let lastHost: { address: string; port: number; salted: Salted } | null = null;

    const reject = (why: Rejection['why'], from: Peer, first = false, recounted?: number): void =>
      bind.onRejected?.({ why, from, first, ...(recounted ? { recounted } : {}) });

    /** Hosts sending without the code: each reported once per try (bounded: a flood of sources in part). */
    const unsealedTry = hostTries(UNSEALED_QUIET_MS, MAX_REPLY_TO);
    function unsealed(datagram: Buffer, from: Peer): void {
      const first = unsealedTry(from.address, performance.now());
      bind.onRejected?.({
        why: 'unsealed',
        from,
        first,
        plain: { datagram, answer: (reply) => socket.send(reply, from.port, from.address) },
      });
    }

    function wrongCode(s: Salted, from: Peer): void {
      const now = performance.now();
      const first = !s.reported && now - reportAt >= REPORT_GAP_MS;
      if (first) [s.reported, reportAt] = [true, now];
      // The failures before this one were reported as forged: they were this code's too.
      reject('wrong-code', from, first, s.failures === WRONG_CODE_AFTER ? WRONG_CODE_AFTER - 1 : 0);
      if (now - noticeAt < NOTICE_GAP_MS) return;
      noticeAt = now;
      const notice = encodeHeader({
        kind: WRONG_CODE,
        salt: s.salt,
        party: Buffer.alloc(PARTY_BYTES),
        counter: 0,
      });
      socket.send(notice, from.port, from.address);
    }

    /** A sender party not live yet: its datagram dropped (the proof brings it again), and its challenge sent (not too often). */
    function challenge(s: Salted, party: SenderParty, from: Peer): void {
      reject('unproven', from);
      const now = performance.now();
      if (now - party.challengedAt < RECHALLENGE_MS) return;
      party.challengedAt = now;
      socket.send(sealNext(s.mine!, party.challenge, CHALLENGE), from.port, from.address);
    }

    function admit(s: Salted, kind: EnvelopeKind, envelope: Buffer, from: Peer): void {
      const o = openFrom(s.senders, stretched, s.salt, BY_SENDER, envelope);
      // A transfer none of whose datagrams opens has another code; one or two failures may be corruption.
      if (o === 'forged' && s.authenticated === 0 && ++s.failures >= WRONG_CODE_AFTER)
        return wrongCode(s, from);
      if (typeof o === 'string') return reject(o, from);
      const party = commit(s.senders, MAX_SENDER_PARTIES, o, newParty);
      if (s.authenticated++ === 0) pend(s);
      s.usedAt = ++used;
      let inner = o.inner;
      if (kind === PROVEN) {
        // The challenge of this party, or a proof recorded elsewhere (another receiver's challenge): a replay.
        if (!timingSafeEqual(inner.subarray(0, CHALLENGE_BYTES), party.challenge))
          return reject('replayed', from);
        inner = inner.subarray(CHALLENGE_BYTES);
        party.live = true;
        if (!s.live) live(s);
      } else if (!party.live) return challenge(s, party, from);
      if (lastHost?.salted === s && lastHost.port === from.port && lastHost.address === from.address)
        return bind.onMessage(inner, from);
      lastHost = { address: from.address, port: from.port, salted: s };
      const to = `${from.address}:${from.port}`;
      if (replyTo.get(to) !== s) {
        replyTo.delete(to);
        if (replyTo.size >= MAX_REPLY_TO) replyTo.delete(replyTo.keys().next().value!);
        replyTo.set(to, s);
      }
      bind.onMessage(inner, from);
    }

    /** A salt seen for the first time: unproven until something authenticates under it. */
    function unprove(envelope: Buffer): Salted {
      if (unproven.size >= MAX_SALTS) unproven.delete(unproven.values().next().value!);
      const s: Salted = {
        salt: Uint8Array.from(envelope.subarray(SALT_AT, SALT_AT + SALT_BYTES)),
        senders: new IdTable(),
        mine: null,
        authenticated: 0,
        failures: 0,
        reported: false,
        live: false,
        usedAt: 0,
      };
      unproven.add(s.salt, s);
      return s;
    }

    /** A salt something authenticated under (only the code makes one, or a recording): pending, until a sender is live. */
    function pend(s: Salted): void {
      unproven.delete(s);
      if (pending.size >= MAX_SALTS) pending.delete(pending.values().next().value!);
      s.mine = sealer(stretched, BY_RECEIVER, s.salt);
      pending.add(s.salt, s);
    }

    /** A salt a sender proved itself live under: kept among the live, the least recently used going first. */
    function live(s: Salted): void {
      pending.delete(s);
      s.live = true;
      if (salts.size >= MAX_SALTS) {
        let idle = s;
        for (const old of salts.values()) if (idle === s || old.usedAt < idle.usedAt) idle = old;
        for (const [to, held] of replyTo) if (held === idle) replyTo.delete(to);
        if (lastHost?.salted === idle) lastHost = null;
        salts.delete(idle);
      }
      salts.add(s.salt, s);
    }

    const socket: UdpSocket = await udp({
      ...bind,
      onMessage: (envelope, from) => {
        const kind = envelopeKind(envelope);
        // Malformed, yet in the envelope: someone with the code's format, not a sender without the code.
        if (kind === 0) return startsAsEnvelope(envelope) ? reject('forged', from) : unsealed(envelope, from);
        if (kind !== BY_SENDER && kind !== PROVEN) return reject('forged', from);
        const s =
          salts.find(envelope, SALT_AT) ??
          pending.find(envelope, SALT_AT) ??
          unproven.find(envelope, SALT_AT) ??
          unprove(envelope);
        admit(s, kind, envelope, from);
      },
    });
    return {
      local: socket.local,
      send: (inner, port, address) => {
        const s =
          lastHost !== null && lastHost.port === port && lastHost.address === address
            ? lastHost.salted
            : replyTo.get(`${address}:${port}`);
        // Only hosts that authenticated are answered (the engine answers nothing else: nothing else reaches it).
        if (s) socket.send(sealNext(s.mine!, inner), port, address);
      },
      close: () => socket.close(),
    };
  };
}

/**
 * For a receiver without a code: the "no code" notice that answers a datagram sealed by a sender with one (so
 * that sender gives up on it at once, not after sealedMs), or null for anything else. Header only, as a "wrong
 * code" notice: nothing to authenticate it with, so the sender believes it only as it believes those.
 */
export function noCodeNotice(datagram: Uint8Array): Uint8Array | null {
  if (envelopeKind(datagram) !== BY_SENDER) return null;
  const salt = datagram.subarray(SALT_AT, SALT_AT + SALT_BYTES);
  return encodeHeader({ kind: NO_CODE, salt, party: new Uint8Array(PARTY_BYTES), counter: 0 });
}
