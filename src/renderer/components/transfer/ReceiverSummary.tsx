// The line above the receivers ("27/30 done, 2 retransmitting, 1 failed"). With many receivers it is also read
// out, politely, when a receiver finishes or fails: not at every retransmission, which would never stop talking.
import { useEffect, useRef, useState } from 'react';
import type { ReceiverLive } from '../../../shared/contract';
import { countStates, summaryLine, summaryParts, type ShowOption, type SummaryPart } from './receiverView';

/** Receivers finishing in a burst (the last chunk's ACKs) are read as one line, this long after the last. */
const SETTLE_MS = 1000;

/** A part's count in room for the largest it can be (as many digits as receivers), so 9 to 10 moves nothing after it. */
function PartText({ part, digits }: { part: SummaryPart; digits: number }) {
  const count = (
    <span className="summary-count" style={{ minWidth: `${digits}ch` }}>
      {part.count}
    </span>
  );
  return part.of === undefined ? (
    <>
      {count} {part.state}
    </>
  ) : (
    <>
      {count}/{part.of} {part.state}
    </>
  );
}

export function ReceiverSummary({
  receivers,
  announce,
  onShow,
}: {
  receivers: ReceiverLive[];
  announce: boolean;
  /** With many receivers: "1 failed" and "2 retransmitting" show just those (a long list hides them). */
  onShow?: (show: ShowOption) => void;
}) {
  const line = summaryLine(receivers);
  const digits = String(receivers.length).length;
  const counts = countStates(receivers);
  const milestone = `${counts.done} ${counts.failed}`;
  const latest = useRef(line);
  useEffect(() => {
    latest.current = line;
  });
  // What the view opened with is on screen already: only what changes after that is read.
  const opened = useRef(milestone);
  const [said, setSaid] = useState('');
  useEffect(() => {
    if (!announce || milestone === opened.current) return;
    const timer = setTimeout(() => setSaid(latest.current), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [announce, milestone]);
  return (
    <>
      <p className="receiver-summary" data-testid="receiver-summary">
        {summaryParts(receivers, true).map((part, i) => (
          <span key={part.state}>
            {i > 0 && ', '}
            {onShow !== undefined &&
            part.count > 0 &&
            (part.state === 'failed' || part.state === 'retransmitting') ? (
              <button
                type="button"
                className={`summary-part ${part.state}`}
                title={`Show only the ${part.state} receivers`}
                onClick={() => onShow(part.state as ShowOption)}
              >
                <PartText part={part} digits={digits} />
              </button>
            ) : (
              <PartText part={part} digits={digits} />
            )}
          </span>
        ))}
      </p>
      {announce && (
        <p className="visually-hidden" aria-live="polite" data-testid="receiver-summary-announced">
          {said}
        </p>
      )}
    </>
  );
}
