// A receiver's state as a word plus a symbol, so it reads without colour too (colour-blind safe palette in CSS).
import type { ReceiverState } from '../../../shared/events';

const SYMBOL: Record<ReceiverState, string> = {
  waiting: '…',
  retransmitting: '↻',
  failed: '✕',
  done: '✓',
};

export function StateBadge({ state }: { state: ReceiverState }) {
  return (
    <span className={`badge state-${state}`} title={state}>
      <span aria-hidden="true">{SYMBOL[state]}</span> {state}
    </span>
  );
}
