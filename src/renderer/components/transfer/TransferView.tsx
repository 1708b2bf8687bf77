// Everything live about one sender session (send mode or local demo): progress, receivers, timeline, log,
// summary.
import type { ReactNode } from 'react';
import type { SenderSource } from '../../../shared/contract';
import { demoClockRate } from '../../../shared/network/flights';
import { useAppStore } from '../../store/appStore';
import { demoRelayed } from '../../timeline/feeds';
import { TimelinePanel } from '../timeline/TimelinePanel';
import { LiveReceivers } from './LiveReceivers';
import { SummaryPanel } from './SummaryPanel';
import { TimeoutLog } from './TimeoutLog';
import { TransferProgress } from './TransferProgress';

interface Props {
  source: SenderSource;
  fileName: string | null;
  /** Shown right below the receivers table (the local demo puts its receiver cards there). */
  children?: ReactNode;
}

export function TransferView({ source, fileName, children }: Props) {
  const view = useAppStore((s) => s.senders[source]);
  const pace = useAppStore((s) => s.pace[source]);
  // The demo's relays run on a slowed clock at a teaching pace (demoService.ts): its times are the protocol's.
  const relayed = useAppStore((s) => demoRelayed(s, source));
  if (!view)
    return (
      <>
        <p className="placeholder">No transfer yet. Start one to see every receiver live.</p>
        {children}
        <TimelinePanel source={source} />
      </>
    );
  const { snapshot } = view;
  return (
    <div className="transfer-view">
      <TransferProgress
        snapshot={snapshot}
        pace={pace}
        clockRate={relayed ? demoClockRate(pace.mode, snapshot.timeoutMs) : 1}
      />
      {snapshot.error && (
        <p className="error-note" role="alert">
          {snapshot.error}
        </p>
      )}
      <LiveReceivers source={source} snapshot={snapshot} />
      {children}
      <TimelinePanel source={source} />
      <TimeoutLog log={view.timeoutLog} dropped={view.timeoutsDropped} receivers={snapshot.receivers} />
      {/* Last: appearing at the end, it moves nothing. */}
      {snapshot.result && <SummaryPanel result={snapshot.result} fileName={fileName} />}
    </div>
  );
}
