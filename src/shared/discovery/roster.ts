// What a sender knows about the receivers on the network: pure transitions over the announcements it has heard.
// An entry lives while the receiver keeps answering (it announces every ANNOUNCE_INTERVAL_MS) and leaves at its
// goodbye. Renderer-safe.
import type { Announcement, Message } from './message.js';

export const ANNOUNCE_INTERVAL_MS = 2000;
/** Three announcements missed: gone. */
export const FORGET_AFTER_MS = 3 * ANNOUNCE_INTERVAL_MS + 500;
/** At most this many receivers remembered, so a flood of forged announcements cannot grow memory without bound. */
export const MAX_ROSTER = 512;

/** A receiver as the Send view and `p2mpclient --discover` list it. */
export interface DiscoveredReceiver extends Omit<Announcement, 'addresses'> {
  /** The address to send to: where its announcement came from, or the address it listens on. */
  address: string;
  addresses: string[];
  /** ms timestamp of the last announcement heard. */
  seenAt: number;
  /** Where its announcements come from: the entry is that host's until it is forgotten. */
  source: string;
}

export type Roster = ReadonlyMap<string, DiscoveredReceiver>;

/**
 * The address a sender should use: the one the announcement came from when the receiver listens there (or on
 * every address), else the first it listens on in the same network (a receiver bound to 127.0.0.5 announces from
 * 127.0.0.1); never one elsewhere, or anyone could send a lab's files wherever they like by announcing it.
 */
export function reachableAddress(a: Announcement, from: string): string {
  if (a.addresses.length === 0 || a.addresses.includes(from)) return from;
  return a.addresses.find((address) => sameNetwork(address, from)) ?? from;
}

/** Loopback, by family: an IPv4 sender cannot reach ::1, nor an IPv6 one 127.0.0.1. */
const loopback = (address: string): 'v4' | 'v6' | null =>
  address.startsWith('127.') ? 'v4' : address === '::1' ? 'v6' : null;

/** Both loopback of one family, or both IPv4 in one /24 (a lab's subnet): addresses of one host or its neighbours. */
function sameNetwork(a: string, b: string): boolean {
  if (loopback(a) !== null || loopback(b) !== null) return loopback(a) === loopback(b);
  const prefix = (address: string): string | null => /^(\d+\.\d+\.\d+)\.\d+$/.exec(address)?.[1] ?? null;
  return prefix(a) !== null && prefix(a) === prefix(b);
}

/** The roster after a message from `from` at `now`; queries leave it as it is. */
export function hear(roster: Roster, message: Message, from: string, now: number): Roster {
  if (message.kind === 'query') return roster;
  const id = message.kind === 'goodbye' ? message.id : message.announcement.id;
  // Ids are heard by everyone: another host using one (to take over or remove an entry) is not listened to.
  const known = roster.get(id);
  if (known !== undefined && known.source !== from && now - known.seenAt <= FORGET_AFTER_MS) return roster;
  const next = new Map(roster);
  if (message.kind === 'goodbye') {
    next.delete(id);
    return next;
  }
  const a = message.announcement;
  if (!next.has(a.id) && next.size >= MAX_ROSTER) {
    // Full: entries gone quiet make room (else a flood of forged ids, once forgotten, would keep every receiver
    // heard after it out for good). Only then: this runs for every datagram heard.
    for (const [key, r] of next) if (now - r.seenAt > FORGET_AFTER_MS) next.delete(key);
    if (next.size >= MAX_ROSTER) return roster;
  }
  next.set(a.id, { ...a, address: reachableAddress(a, from), seenAt: now, source: from });
  return next;
}

/** Receivers heard recently enough, by name (Lab PC 9 before Lab PC 10) then address, for a stable list. */
export function current(roster: Roster, now: number): DiscoveredReceiver[] {
  return [...roster.values()]
    .filter((r) => now - r.seenAt <= FORGET_AFTER_MS)
    .sort(
      (a, b) =>
        a.name.localeCompare(b.name, 'en', { numeric: true }) ||
        compareAddresses(a.address, b.address) ||
        a.port - b.port,
    );
}

/** 127.0.0.10 after 127.0.0.9: numeric per part where both are numbers. */
export function compareAddresses(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export interface AnswerLog {
  /** When each asker was last answered. */
  last: ReadonlyMap<string, number>;
  /** Times of the answers of the last second. */
  recent: readonly number[];
}

export const NO_ANSWERS: AnswerLog = { last: new Map(), recent: [] };
const PER_ASKER_MS = 200;
const MAX_ANSWERS_PER_SECOND = 50;

/**
 * Whether a receiver answers a query from `from` at `now`: one answer per asker per 200 ms and at most 50 a
 * second in all, so forged queries cannot turn a room of receivers into a flood.
 */
export function mayAnswer(log: AnswerLog, from: string, now: number): { answer: boolean; log: AnswerLog } {
  const recent = log.recent.filter((t) => now - t < 1000);
  const previous = log.last.get(from);
  if ((previous !== undefined && now - previous < PER_ASKER_MS) || recent.length >= MAX_ANSWERS_PER_SECOND)
    return { answer: false, log: { last: log.last, recent } };
  const last = new Map([...log.last].filter(([, t]) => now - t < PER_ASKER_MS));
  last.set(from, now);
  return { answer: true, log: { last, recent: [...recent, now] } };
}
