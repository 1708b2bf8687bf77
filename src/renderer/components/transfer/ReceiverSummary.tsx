// The line above the receivers ("27/30 done, 2 retransmitting, 1 failed"). With many receivers it is also read
// out, politely, when a receiver finishes or fails: not at every retransmission, which would never stop talking.
import { useEffect, useRef, useState } from 'react';
import type { ReceiverLive } from '../../../shared/contract';
import { countStates, summaryLine, summaryParts, type ShowOption } from './receiverView';

/** Receivers finishing in a burst (the last chunk's ACKs) are read as one line, this long after the last. */
const SETTLE_MS = 1000;

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
        {onShow === undefined
          ? line
          : summaryParts(receivers).map(({ text, state }, i) => (
              <span key={state}>
                {i > 0 && ', '}
                {state === 'failed' || state === 'retransmitting' ? (
                  <button
                    type="button"
                    className={`summary-part ${state}`}
                    title={`Show only the ${state} receivers`}
                    onClick={() => onShow(state)}
                  >
                    {text}
                  </button>
                ) : (
                  text
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
