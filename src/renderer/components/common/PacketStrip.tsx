// The most recent packets a receiver saw, newest right: written, dropped by p, corrupt, duplicate, ...
// Colour plus a letter per outcome, so drops are visible the moment they happen, without relying on colour.
import type { PacketMark } from '../../../shared/contract';
import type { PacketOutcome } from '../../../shared/events';

/** Each outcome's letter in the strip (none: written), and what the legend says of it. */
export const OUTCOMES: Record<PacketOutcome, { letter: string; meaning: string }> = {
  written: { letter: '', meaning: 'written' },
  dropped: { letter: '✕', meaning: 'dropped by p' },
  duplicate: { letter: 'D', meaning: 'duplicate' },
  corrupt: { letter: 'C', meaning: 'checksum failure' },
  'out-of-order': { letter: 'O', meaning: 'out of order' },
  malformed: { letter: 'M', meaning: 'malformed' },
  // Also a course sender's data while its user decides whether to accept it: not "another sender" then.
  foreign: { letter: 'F', meaning: 'not taken (another sender’s, or not accepted yet)' },
  empty: { letter: 'E', meaning: 'an empty file (nothing to write)' },
};

export function PacketStrip({ packets, label }: { packets: PacketMark[]; label: string }) {
  return (
    <ol className="packet-strip" aria-label={label}>
      {/* Newest first, keyed by slot: each mark stays put and only changes what it shows (no layout shift). */}
      {[...packets].reverse().map((p, slot) => (
        <li
          key={slot}
          className={`packet outcome-${p.outcome}`}
          title={`${p.seq === null ? 'unreadable' : `seq ${p.seq}`}: ${OUTCOMES[p.outcome].meaning}`}
        >
          {OUTCOMES[p.outcome].letter}
        </li>
      ))}
    </ol>
  );
}
