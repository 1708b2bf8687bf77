// A receiver session as the app shows it: engine events folded into one snapshot (counters, the transfer,
// completed files, offers, failures) and a bounded ring of recent packets.
import type { PacketMark, ReceiverBatch, ReceiverSnapshot } from '../contract.js';
import {
  emptyCounters,
  emptyCourseFile,
  leftoverNote,
  unacceptedData,
  type ReceiverEvent,
} from '../events.js';
import type { RelayStats } from '../network/impairments.js';
import { fileNameOf, formatBytes, hostOf, sentence } from '../format.js';
import { countRejection, noSessionRejections } from '../session/rejections.js';
import { Ring } from './ring.js';

export const RECENT_PACKETS = 64;
export const MAX_COMPLETED = 50;
export const MAX_FAILURES = 20;
export const MAX_HELD = 8;

export class ReceiverAggregator {
  private snapshot: ReceiverSnapshot = emptyReceiver(0);
  private recent = new Ring<PacketMark>(RECENT_PACKETS);
  private completed = new Ring<ReceiverSnapshot['completed'][number]>(MAX_COMPLETED);
  private failures = new Ring<string>(MAX_FAILURES);
  /** Notes made by this receiver source, over every listening session: a view's Clear stays valid across them. */
  private notes = 0;
  private transferStart = 0;
  private transferBytes = 0;
  private fresh = false;
  /** The counters of the relay in front of this receiver (local demo with a network), read at each flush. */
  relayStats: (() => RelayStats) | null = null;

  apply(e: ReceiverEvent): void {
    const s = this.snapshot;
    s.t = e.t;
    switch (e.type) {
      case 'listening':
        this.snapshot = { ...emptyReceiver(e.p), failuresTotal: this.notes };
        if (e.sealed) Object.assign(this.snapshot.counters, noSessionRejections());
        this.snapshot.listening = {
          address: e.address,
          port: e.port,
          profile: e.profile,
          ...(e.silence !== undefined ? { silence: e.silence } : {}),
        };
        this.snapshot.t = e.t;
        this.recent = new Ring<PacketMark>(RECENT_PACKETS);
        this.completed = new Ring(MAX_COMPLETED);
        this.failures = new Ring<string>(MAX_FAILURES);
        this.fresh = true;
        return;
      case 'transfer-start':
        // Its host was told to wait before (this receiver was lingering on the last transfer's end): no longer.
        s.held = s.held.filter((h) => h.from !== hostOf(e.from));
        s.transfer = {
          from: e.from,
          path: e.path,
          bytes: 0,
          ...(e.offered ? { offered: true as const } : {}),
          ...(e.size !== undefined ? { size: e.size } : {}),
        };
        this.transferStart = e.t;
        this.transferBytes = 0;
        return;
      case 'packet':
        this.countPacket(e.outcome, e.bytes, e.t, e.kept === true);
        if (s.transfer) s.transfer.bytes = this.transferBytes;
        this.recent.push({ seq: e.seq ?? null, outcome: e.outcome });
        return;
      case 'verifying':
        if (s.transfer) s.transfer.verifying = true;
        return;
      case 'loss-changed':
        s.p = e.p;
        return;
      case 'offer':
        // The host told to wait is now asked about: its question stands in place of the note.
        s.held = s.held.filter((h) => h.from !== e.offer.from);
        s.offers = [...s.offers, e.offer];
        return;
      case 'offer-settled': {
        const offer = s.offers.find((o) => o.id === e.id);
        s.offers = s.offers.filter((o) => o.id !== e.id);
        // Taken down under the user's eyes: said, or the prompt just vanishes.
        if (offer && e.withdrawn)
          this.note(
            offer.course
              ? `${offer.from} stopped sending before it was let in: its question was taken down`
              : `${offer.from} stopped offering ${offer.name} before it was answered (its sender gave up or was stopped)`,
          );
        return;
      }
      case 'offer-held': {
        // Its latest offer per host, a bounded few: each such host asks again every second.
        const others = s.held.filter((h) => h.from !== e.from).slice(-(MAX_HELD - 1));
        s.held = [...others, { from: e.from, name: e.name, size: e.size }];
        return;
      }
      case 'complete':
        this.completed.push(e.file);
        s.transfer = null;
        s.held = [];
        return;
      case 'rejected':
        countRejection(s.counters, e.why, e.recounted);
        return;
      case 'wrong-code':
        this.note(`Wrong code: ${e.from} sent packets that do not open with this code (dropped)`);
        return;
      case 'other-profile':
        this.note(
          `${e.from} sends packets of the ${e.profile} wire profile, which this receiver cannot read: was its ` +
            `sender set to another profile?`,
        );
        return;
      case 'other-checksum':
        this.note(
          `${e.from} sends segments whose checksum is right only in dialect ${e.dialect} (dropped as corrupt): ` +
            `was its sender set to that dialect?`,
        );
        return;
      case 'other-numbering':
        this.note(
          `${e.from} sent segment ${e.seq}, but transfers here start at segment ${e.first} (not ACKed): was its ` +
            `sender set to number its segments from 0 (dialect seq0 or bytes)?`,
        );
        return;
      case 'empty-course-file':
        this.note(emptyCourseFile(e.from));
        return;
      case 'leftovers':
        this.note(sentence(leftoverNote(e)));
        return;
      case 'unaccepted-data':
        this.note(unacceptedData(e));
        return;
      case 'needs-code':
        this.note(
          `${e.from} sent packets sealed with a session code (dropped): listen with that code to take its file`,
        );
        return;
      case 'unsealed':
        this.note(`${e.from} sent packets without the session code (dropped): give its sender the code`);
        return;
      case 'offer-declined':
        this.note(`Declined ${e.name} (${formatBytes(e.size)}) from ${e.from}: ${e.reason}`);
        return;
      case 'transfer-failed':
        s.held = [];
        // Nothing of it is kept (its .part is gone): said once, in the reason or after it; which file, from whom.
        this.note(
          `${e.path && e.from ? `${fileNameOf(e.path)} from ${hostOf(e.from)}: ` : ''}${
            e.bytes === 0 || e.reason.includes('removed')
              ? e.reason
              : `${e.reason}; the ${formatBytes(e.bytes)} received were removed`
          }`,
        );
        s.transfer = null;
        return;
      case 'stopped':
        s.counters = { ...e.counters };
        s.listening = null;
        s.transfer = null;
        s.held = [];
        return;
    }
  }

  private countPacket(outcome: PacketMark['outcome'], bytes: number, t: number, kept: boolean): void {
    const c = this.snapshot.counters;
    c.received++;
    switch (outcome) {
      case 'written':
        c.bytesWritten += bytes;
        c.acksSent++;
        this.transferBytes += bytes;
        break;
      case 'dropped':
        c.dropped++;
        break;
      case 'corrupt':
        c.corrupt++;
        break;
      case 'malformed':
        c.malformed++;
        break;
      case 'duplicate':
        c.duplicates++;
        c.acksSent++;
        break;
      case 'out-of-order':
        c.outOfOrder++;
        c.acksSent++;
        // Kept ahead (Selective Repeat): received now, and written later without another event.
        if (kept) this.transferBytes += bytes;
        break;
      case 'foreign':
        c.foreign++;
        break;
      case 'empty':
        c.acksSent++;
        break;
    }
    const seconds = (t - this.transferStart) / 1000;
    this.snapshot.rate = seconds > 0 ? this.transferBytes / seconds : 0;
  }

  /** A note for the user (a failure, a refusal): kept among the last few, and counted. */
  private note(text: string): void {
    this.failures.push(text);
    this.snapshot.failuresTotal = ++this.notes;
  }

  take(): ReceiverBatch {
    const batch: ReceiverBatch = {
      snapshot: {
        ...this.snapshot,
        counters: { ...this.snapshot.counters },
        transfer: this.snapshot.transfer && { ...this.snapshot.transfer },
        recent: this.recent.toArray(),
        completed: this.completed.toArray(),
        failures: this.failures.toArray(),
        relay: this.relayStats?.() ?? null,
      },
      fresh: this.fresh,
    };
    this.fresh = false;
    return batch;
  }
}

function emptyReceiver(p: number): ReceiverSnapshot {
  return {
    listening: null,
    p,
    counters: emptyCounters(),
    rate: 0,
    transfer: null,
    completed: [],
    offers: [],
    held: [],
    failures: [],
    failuresTotal: 0,
    recent: [],
    t: 0,
    relay: null,
  };
}
