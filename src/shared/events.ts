// Typed events of the transfer engine: what the CLI prints, what the app shows, what a recording stores.
// Pure types (and their zero values), safe to import from the renderer. `t` is milliseconds since the session started.
import type { ProfileName, Protocol } from './limits.js';
import type { RtoMode } from './engine/rto.js';
import { formatBytes } from './format.js';
import type { ReceiverRejection } from './session/rejections.js';

/** A receiver as the sender sees it: what the user typed, and the address it resolved to. */
export interface ReceiverEndpoint {
  /** Index in the sender's receiver list; events name receivers by it. */
  id: number;
  /** As the user gave it, e.g. "lab-pc-3" or "127.0.0.2:7736". */
  label: string;
  address: string;
  port: number;
}

export type ReceiverState = 'waiting' | 'retransmitting' | 'failed' | 'done';

export interface RttStats {
  min: number;
  mean: number;
  max: number;
  samples: number;
}

export interface ReceiverSummary {
  receiver: ReceiverEndpoint;
  state: 'done' | 'failed';
  /** Why it failed, in words a user can act on. */
  failure?: string;
  acks: number;
  timeouts: number;
  retransmissions: number;
  /** Repeats of a segment it had already ACKed, sent while it waited (a pause, a slow peer) to keep it alive. */
  keepalives: number;
  /** RTT in ms of ACKs that answered a first transmission; null when there was none. */
  rtt: RttStats | null;
  /** Payload bytes this receiver has ACKed. */
  bytes: number;
  /** ms from start until its last ACK (or its failure). */
  timeMs: number;
  /**
   * 'verified': one of ours, which answered the offer: if it accepted, it kept the file only after checking its
   * SHA-256, so "done" means byte-identical (one that declined or has another code is 'verified' and failed,
   * with the reason). 'course': it speaks only the course protocol ("course mode, unverified"). Absent in
   * results made before offers existed.
   */
  mode?: 'verified' | 'course';
  /** Offers sent to it before the data (absent in older results). */
  offers?: number;
  /** One of ours kept the file under this name, not the offered one (a name taken there, or made safe). */
  keptAs?: string;
  /**
   * It answered this many times, never with an ACK of a segment sent (it speaks another dialect or profile, or is
   * busy with another sender of this host):
   * present only then.
   */
  unread?: number;
  /**
   * Session code: its challenges answered (each with the datagram it was last sent, sealed behind the challenge):
   * one per transfer, more when one was lost. Absent without a code.
   */
  proofs?: number;
  /**
   * Selective Repeat transfers only: why this receiver got Go-Back-N instead (it did not agree to Selective
   * Repeat through the offer), e.g. "course mode, Go-Back-N: it cannot take Selective Repeat".
   */
  fallback?: string;
  /**
   * Selective Repeat with multicast: 'group' when it joined the transfer's group and got its data there;
   * 'unicast': it joined, but nothing from the group reached it, so it was sent everything by unicast.
   */
  multicast?: 'group' | 'unicast';
}

export interface SendResult {
  ok: boolean;
  cancelled: boolean;
  fileSize: number;
  mss: number;
  /** Data chunks, not counting the end marker. */
  chunks: number;
  /**
   * Timer expiries. Stop-and-wait: rounds that waited a whole timeout (T each with the fixed RTO); Go-Back-N and
   * Selective Repeat: expiries of the receivers' own timers, which run side by side.
   */
  timeoutRounds: number;
  timeoutMs: number;
  /** The offer phase, before the data (and before durationMs began): absent when no offer was made. */
  offerMs?: number;
  /** Absent in results made by older versions (stop-and-wait, fixed RTO). */
  protocol?: Protocol;
  rto?: RtoMode;
  durationMs: number;
  receivers: ReceiverSummary[];
  /** What arrived on the sender's socket (absent in results made by older versions). */
  counters?: SenderCounters;
}

/** Datagrams that reached the sender's socket: received = answers + acks + stale + malformed + foreign. */
export interface SenderCounters {
  received: number;
  /** Answers of our receivers: to the offer (accept, decline, wait), and at the end (decline, the name kept); absent in older results. */
  answers?: number;
  /** ACKs that completed a receiver's current chunk. */
  acks: number;
  /** Well-formed ACKs that did not: duplicates, other sequence numbers, from a receiver already failed, or the
   * ACK 0 of a receiver that restarted. */
  stale: number;
  /** From a receiver's address and port, but not an ACK of the profile in use. */
  malformed: number;
  /** From an address and port that is none of the receivers. */
  foreign: number;
  /** Session code: datagrams that did not authenticate (never counted in `received`); absent without a code. */
  forged?: number;
  /** Session code: authenticated datagrams seen before (replays), dropped; absent without a code. */
  replayed?: number;
}

export type SenderEvent =
  | {
      type: 'start';
      t: number;
      fileSize: number;
      mss: number;
      chunks: number;
      timeoutMs: number;
      profile: string;
      receivers: ReceiverEndpoint[];
      /** Absent in recordings made before it was said. */
      protocol?: Protocol;
      /** Go-Back-N's and Selective Repeat's window, in segments (absent for stop-and-wait). */
      window?: number;
      /**
       * Selective Repeat: the receivers (by index) that did not agree to it and ACK cumulatively, as Go-Back-N's
       * do (course mode); absent when there are none.
       */
      cumulative?: number[];
      /** A receiver with no ACK this long after a segment was first sent to it is given up on (0: never). */
      receiverTimeoutMs?: number;
    }
  /**
   * The offer goes out to these receivers, before any data (and before 'start'): the live view lists them at once,
   * each waiting for its answer, and the transfer can be cancelled from then on.
   */
  | {
      type: 'offering';
      t: number;
      receivers: ReceiverEndpoint[];
      fileSize: number;
      /** The transfer to come, and how long a silent receiver is offered the file (absent in older recordings). */
      mss?: number;
      chunks?: number;
      timeoutMs?: number;
      /** Offers T apart to a receiver that never answers, before it gets the course protocol. */
      tries?: number;
      /** Session code: how long a receiver that never answers is asked before it is given up on (no course mode). */
      sealedMs?: number;
    }
  /** The offer phase before any data: what a receiver answered (course: nothing; it gets the course protocol). */
  | {
      type: 'offer';
      t: number;
      receiver: number;
      state:
        | 'asking'
        | 'deciding'
        | 'accepted'
        | 'declined'
        | 'course'
        | 'wrong-code'
        | 'no-code'
        | 'silent'
        | 'elsewhere'
        | 'cancelled';
      /**
       * Declined: the receiver's reason; wrong-code, no-code, silent (session code), elsewhere (it answers from
       * another address), cancelled: what the user is told.
       */
      reason?: string;
    }
  /**
   * One datagram sent to one receiver. `seq` = chunks + 1 is the end marker. `round`: the transmission round it
   * belongs to, from 1 (a segment sent to the receivers that need it, or a retransmission after a timeout);
   * absent in older recordings. `fast`: a retransmission before its timer expired, later segments having arrived
   * (Selective Repeat's fast retransmission); absent otherwise, and in older recordings.
   */
  | {
      type: 'send';
      t: number;
      seq: number;
      receiver: number;
      retransmission: boolean;
      round?: number;
      fast?: true;
    }
  /**
   * `sample`: the ACK answers a segment sent to that receiver once, so `rttMs` is an RTT sample (Karn's rule);
   * absent in older recordings.
   */
  | { type: 'ack'; t: number; seq: number; receiver: number; rttMs: number; sample?: boolean }
  /**
   * `quietMs`: how long nothing at all (no ACK, not even a duplicate) has come from that receiver (the engine always
   * says; recordings made before it do not).
   */
  /** `wire`: the segment's number on the wire, where the dialect numbers otherwise (from 0, by bytes). */
  | { type: 'timeout'; t: number; seq: number; wire?: number; receiver: number; quietMs?: number }
  | { type: 'receiver-failed'; t: number; seq: number; receiver: number; reason: string }
  /** A chunk ACKed by every live receiver. */
  | { type: 'progress'; t: number; chunksDone: number; chunks: number; bytesDone: number; fileSize: number }
  | { type: 'done'; t: number; result: SendResult };

export interface ReceiverCounters {
  /** Every datagram that arrived. */
  received: number;
  /** Dropped by the simulated loss p. */
  dropped: number;
  /** Failed the checksum. */
  corrupt: number;
  /** Not a data segment of this profile (too short, bad type, bad encoding). */
  malformed: number;
  /** Already-written sequence numbers, re-ACKed. */
  duplicates: number;
  /** Ahead of the next expected number, ACKed with the last in-order one. */
  outOfOrder: number;
  /** From a source other than the sender being served. */
  foreign: number;
  /** Offers of a file (name, size, SHA-256) from our senders, answered. */
  offers: number;
  /** Session code: datagrams that did not authenticate (never counted in `received`); absent without a code. */
  forged?: number;
  /** Session code: authenticated datagrams seen before (replays), dropped; absent without a code. */
  replayed?: number;
  /**
   * Session code: authenticated datagrams of a sender not yet proven live (it had not answered this receiver's
   * challenge), dropped: the first of each transfer, and all of a recording replayed here. Absent without a code.
   */
  unproven?: number;
  /**
   * Session code: datagrams of a transfer none of whose datagrams opened (a sender given another code, or forged);
   * absent without a code.
   */
  wrongCode?: number;
  /** Session code: datagrams sent without the code (not in the envelope at all); absent without a code. */
  unsealed?: number;
  /** Every ACK sent (with SACK agreed, an ACK covers several segments: see acksDeferred). */
  acksSent: number;
  /** SACK agreed: data segments whose ACK was a later one they share (the k-th's, a gap's, the timer's). */
  acksDeferred?: number;
  /**
   * SACK agreed: ACKs that answered deferred segments only (counted in acksSent too): the delayed-ACK timer's, and
   * the one sent when the end marker arrives, before the file's check, which may take a while.
   */
  acksForDeferred?: number;
  /**
   * Data bytes written, to every transfer: also those not kept (a stray's segments, a transfer that failed). The
   * files kept are the 'complete' events' (their file.bytes).
   */
  bytesWritten: number;
}

/** All zero: a receiver before its first datagram. */
export function emptyCounters(): ReceiverCounters {
  return {
    received: 0,
    dropped: 0,
    corrupt: 0,
    malformed: 0,
    duplicates: 0,
    outOfOrder: 0,
    foreign: 0,
    offers: 0,
    acksSent: 0,
    bytesWritten: 0,
  };
}

export type PacketOutcome =
  | 'written'
  | 'dropped'
  | 'corrupt'
  | 'malformed'
  | 'duplicate'
  | 'out-of-order'
  | 'foreign'
  /** A course transfer's end marker with nothing before it, where transfers follow one another: nothing saved. */
  | 'empty';

export interface CompletedFile {
  path: string;
  bytes: number;
  sha256: string;
  durationMs: number;
  from: string;
  /**
   * 'marker': the sender's end marker arrived; 'idle': the sender went quiet (senders without a marker); 'stopped':
   * the receiver's user stopped it before any end marker came (a sender without one done, or still at it).
   */
  endedBy: 'marker' | 'idle' | 'stopped';
  /**
   * The sender said the file is whole (its end marker). False when the transfer ended by silence: the file holds
   * what arrived, and nothing says that was all ("unverified").
   */
  verified: boolean;
  /** The name its sender offered it under: the file was checked against the offer's SHA-256 before it was kept. */
  offeredName?: string;
}

/** An offered file waiting for this receiver's user to accept or decline it. */
export interface PendingOffer {
  /** The app's own id for the question (not the sender's). */
  id: string;
  /** The sender's address. */
  from: string;
  /** The name the sending machine gives itself (unverified). */
  sender?: string;
  /** The offered name, made safe. */
  name: string;
  size: number;
  sha256: string;
  /** A course sender (the reference implementation, a student's own): it offers nothing, so `name` and `sha256`
   *  are empty and `size` 0; its file is saved under a numbered name, with no checksum to check it against. */
  course?: true;
}

/** How an unverified file is described, in the CLI and the app alike ("unverified: ..."). */
export const unverifiedNote = (file: Pick<CompletedFile, 'endedBy'>): string =>
  file.endedBy === 'stopped'
    ? 'unverified: this receiver was stopped before any end marker came, so it may be incomplete'
    : 'unverified: its sender sent no end marker, so it may be incomplete';

export type ReceiverEvent =
  /** `sealed`: a session code is required (every datagram sealed). */
  /** `seed`: of the loss simulation, to repeat the run (absent in recordings from before it). */
  | {
      type: 'listening';
      t: number;
      address: string;
      port: number;
      profile: string;
      p: number;
      seed?: number;
      sealed?: true;
      /** A sender may send no end marker (profile, dialect): what silence then does (protocol/silence.ts). */
      silence?: string;
    }
  /**
   * `offered`: its sender's offer was accepted (verified; it ends with its end marker, never by silence), and `size`
   * is the offer's (a course sender says none).
   */
  | { type: 'transfer-start'; t: number; from: string; path: string; offered?: true; size?: number }
  /**
   * `seq` is absent when the datagram was too mangled to read one. `kept`: an out-of-order segment kept ahead for
   * Selective Repeat; it is written once the gap before it fills, and not reported again then.
   */
  | {
      type: 'packet';
      t: number;
      seq?: number;
      outcome: PacketOutcome;
      bytes: number;
      from: string;
      kept?: true;
    }
  /** An offered transfer's data is all in (its end marker): its SHA-256 is checked against the offer's now. */
  | { type: 'verifying'; t: number }
  | { type: 'loss-changed'; t: number; p: number }
  /** Session code: a datagram dropped before the protocol saw it (not counted as received). */
  | {
      type: 'rejected';
      t: number;
      why: ReceiverRejection;
      from: string;
      /** Datagrams of the same transfer counted as forged before, now known to be under another code. */
      recounted?: number;
    }
  /** Session code: a host sent datagrams without it (a sender not given the code); reported once per host. */
  | { type: 'unsealed'; t: number; from: string }
  /**
   * A host sent datagrams this receiver's wire profile cannot read but `profile`, the other one, can (a sender
   * started with another --profile): said once per host.
   */
  | { type: 'other-profile'; t: number; from: string; profile: ProfileName }
  /**
   * A host sent data segments whose checksum fails in this receiver's dialect but holds in `dialect`, another byte
   * order or checksum coverage (a student's sender): dropped as corrupt, said once per host.
   */
  | { type: 'other-checksum'; t: number; from: string; dialect: string }
  /**
   * A host's segment numbered `seq`, below `first`, where this receiver's transfers start: its sender numbers
   * another way (--dialect seq0 or bytes); not ACKed. Said once per host.
   */
  | { type: 'other-numbering'; t: number; from: string; seq: number; first: number }
  /**
   * A course sender's end marker with nothing before it (an empty file) where transfers follow one another: ACKed,
   * nothing saved (strays and forgeries would fill the folder with empty files). Said once per try of a host.
   */
  | { type: 'empty-course-file'; t: number; from: string }
  /**
   * .part files where it saves, found as it started (node/leftovers.ts): left by a transfer that never ended (the
   * receiver killed, a power cut). Not its own, so never touched: its user is told, once.
   */
  | { type: 'leftovers'; t: number; names: string[]; bytes: number }
  /**
   * A host sends data its offer (`id`, `name`) did not earn: declined (`declined`, why), or while its user decides.
   * Ignored; said once per host and offer.
   */
  | { type: 'unaccepted-data'; t: number; from: string; id: string; name: string; declined?: string }
  /** Session code: a host sealed datagrams under another code; reported once per transfer, all of it dropped. */
  | { type: 'wrong-code'; t: number; from: string }
  /** No session code here: a host sent datagrams sealed with one; reported once per try (10 s quiet between). */
  | { type: 'needs-code'; t: number; from: string }
  /** A sender offers a file and this receiver's user is asked (the app's Receive mode, unless it auto-accepts). */
  | { type: 'offer'; t: number; offer: PendingOffer }
  /** The user answered it (or the session stopped: declined). */
  /** `withdrawn`: taken down by the receiver, its sender having stopped asking (gave up, or was stopped). */
  | { type: 'offer-settled'; t: number; id: string; accepted: boolean; withdrawn?: true }
  /**
   * A host's offer told to wait while another host's transfer is on (its sender asks again every second): once per
   * try of that host (again after 10 s without asking), and one a second at most whichever hosts ask.
   */
  | { type: 'offer-held'; t: number; from: string; name: string; size: number }
  /** An offer refused before anyone was asked (over the size limit, not enough free space): said once per offer. */
  | { type: 'offer-declined'; t: number; from: string; name: string; size: number; reason: string }
  | { type: 'complete'; t: number; file: CompletedFile }
  /** The transfer ended without a complete file; what was received (`partPath`) has been removed. */
  | {
      type: 'transfer-failed';
      t: number;
      reason: string;
      /** Its sender ("address:port") and the file it was being saved as (absent in older recordings). */
      from?: string;
      path?: string;
      partPath: string;
      bytes: number;
      /** A course sender went silent mid-file: perhaps one that sends no end marker (silence ends its files). */
      silentCourse?: true;
    }
  | { type: 'stopped'; t: number; counters: ReceiverCounters };

/** What a receiver says of data its sender's offer did not earn (CLI and app alike). */
export function unacceptedData(e: Extract<ReceiverEvent, { type: 'unaccepted-data' }>): string {
  const offer = e.declined !== undefined ? `was declined (${e.declined})` : 'is not accepted yet';
  return `${e.from} sends data, but its offer of ${e.name} ${offer}: ignored until it offers a file that is accepted`;
}

/** What a receiver says of the .part files it found where it saves, at most 5 named (CLI and app alike). */
export function leftoverNote({ names, bytes }: { names: string[]; bytes: number }): string {
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? `, and ${names.length - 5} more` : '');
  const [what, them] =
    names.length === 1
      ? ['an unfinished file from a transfer that never ended is', 'it']
      : [`${names.length} unfinished files from transfers that never ended are`, 'them'];
  return (
    `${what} here: ${shown} (${formatBytes(bytes)}; partial data, never complete): delete ${them} once no ` +
    `receiver is writing to ${them}`
  );
}

/** What a receiver serving transfer after transfer says of a course sender's empty file (CLI and app alike). */
export const emptyCourseFile = (from: string): string =>
  `${from} sent an empty file in course mode (an end marker with nothing before it): ACKed, not saved (a receiver ` +
  'serving transfer after transfer keeps no empty file that was not offered)';
