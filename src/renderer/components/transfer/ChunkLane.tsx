// One receiver's most recent chunks, oldest left: each cell shows whether it is sent, ACKed, timed out or
// retransmitted (and how many timeouts it cost), by colour and by symbol.
import type { LaneCell } from '../../../shared/contract';

const SYMBOL: Record<LaneCell['mark'], string> = { sent: '·', acked: '', timeout: '✕', retransmitted: '↻' };

function describe(cell: LaneCell): string {
  const extra = cell.timeouts > 0 ? ` after ${cell.timeouts} timeout${cell.timeouts > 1 ? 's' : ''}` : '';
  return `chunk ${cell.seq}: ${cell.mark}${extra}`;
}

export function ChunkLane({ cells, label }: { cells: LaneCell[]; label: string }) {
  return (
    <ol className="lane" aria-label={`Recent chunks for ${label}`}>
      {/* Newest first, keyed by slot: each cell stays put and only changes what it shows (no layout shift). */}
      {[...cells].reverse().map((cell, slot) => (
        <li
          key={slot}
          className={`cell mark-${cell.mark}${cell.timeouts > 0 ? ' had-timeout' : ''}`}
          title={describe(cell)}
        >
          {cell.mark === 'acked' && cell.timeouts > 0 ? cell.timeouts : SYMBOL[cell.mark]}
        </li>
      ))}
    </ol>
  );
}
