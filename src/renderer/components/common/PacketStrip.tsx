// The most recent packets a receiver saw, newest right: written, dropped by p, corrupt, duplicate, ...
// Colour plus a letter per outcome, so drops are visible the moment they happen, without relying on colour.
import type { PacketMark } from '../../../shared/contract';
import type { PacketOutcome } from '../../../shared/events';

const LETTER: Record<PacketOutcome, string> = {
  written: '',
  dropped: '✕',
  corrupt: 'C',
  malformed: 'M',
  duplicate: 'D',
  'out-of-order': 'O',
  foreign: 'F',
  empty: 'E',
};

export function PacketStrip({ packets, label }: { packets: PacketMark[]; label: string }) {
  return (
    <ol className="packet-strip" aria-label={label}>
      {/* Newest first, keyed by slot: each mark stays put and only changes what it shows (no layout shift). */}
      {[...packets].reverse().map((p, slot) => (
        <li
          key={slot}
          className={`packet outcome-${p.outcome}`}
          title={`${p.seq === null ? 'unreadable' : `seq ${p.seq}`}: ${p.outcome}`}
        >
          {LETTER[p.outcome]}
        </li>
      ))}
    </ol>
  );
}
