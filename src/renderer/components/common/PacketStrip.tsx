// The most recent packets a receiver saw, oldest left: written, dropped by p, corrupt, duplicate, ...
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
};

export function PacketStrip({ packets, label }: { packets: PacketMark[]; label: string }) {
  return (
    <ol className="packet-strip" aria-label={label}>
      {packets.map((p, i) => (
        <li
          // The strip is a sliding window; position plus seq is stable enough for React to diff it.
          key={`${i}-${p.seq ?? 'x'}`}
          className={`packet outcome-${p.outcome}`}
          title={`${p.seq === null ? 'unreadable' : `seq ${p.seq}`}: ${p.outcome}`}
        >
          {LETTER[p.outcome]}
        </li>
      ))}
    </ol>
  );
}
