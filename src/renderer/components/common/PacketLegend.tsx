// What the packet strip's colours and letters mean: every outcome it can show.
import type { PacketOutcome } from '../../../shared/events';
import { OUTCOMES } from './PacketStrip';

export function PacketLegend() {
  return (
    <p className="legend">
      {(Object.entries(OUTCOMES) as [PacketOutcome, (typeof OUTCOMES)[PacketOutcome]][]).map(
        ([outcome, { letter, meaning }]) => (
          <span key={outcome} className="legend-item">
            <span className={`packet outcome-${outcome}`}>{letter}</span> {meaning}{' '}
          </span>
        ),
      )}
    </p>
  );
}
