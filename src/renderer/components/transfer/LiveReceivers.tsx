// The receivers of a live session: the summary line, then the table. With more than COMPACT_AFTER receivers the
// table is compact, filtered and sorted as chosen, and scrolls in a box of fixed height, so neither a long list
// nor a filter that empties it as receivers finish moves anything below it.
import type { SenderSnapshot, SenderSource } from '../../../shared/contract';
import { useAppStore } from '../../store/appStore';
import { ReceiverFilters } from './ReceiverFilters';
import { ReceiverSummary } from './ReceiverSummary';
import { ReceiverTable } from './ReceiverTable';
import { COMPACT_AFTER, viewOf } from './receiverView';

export function LiveReceivers({ source, snapshot }: { source: SenderSource; snapshot: SenderSnapshot }) {
  const options = useAppStore((s) => s.receiverView[source]);
  const setView = useAppStore((s) => s.setReceiverView);
  const { receivers, chunks } = snapshot;
  const compact = receivers.length > COMPACT_AFTER;
  if (!compact)
    return (
      <>
        <ReceiverSummary receivers={receivers} announce={false} />
        <ReceiverTable receivers={receivers} chunks={chunks} compact={false} total={receivers.length} />
      </>
    );
  const rows = viewOf(receivers, options, chunks);
  return (
    <>
      <ReceiverSummary receivers={receivers} announce onShow={(show) => setView(source, { show })} />
      <ReceiverFilters source={source} shown={rows.length} total={receivers.length} />
      {/* Focusable, so the keyboard scrolls it. */}
      <div className="receiver-scroll" tabIndex={0} role="region" aria-label="Receivers (scrolls)">
        <ReceiverTable receivers={rows} chunks={chunks} compact total={receivers.length} />
      </div>
    </>
  );
}
