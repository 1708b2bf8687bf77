// The live timeline of a sender session (send mode or local demo): teaching pace, the sequence diagram, and
// "Save recording" for replay later. The pace controls show before a transfer too, so it can start in step mode.
import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SenderSource } from '../../../shared/contract';
import { MAX_RECORDED_EVENTS } from '../../../shared/live/recording';
import { call, messageOf } from '../../api';
import { useAppStore } from '../../store/appStore';
import { liveFeed } from '../../timeline/feeds';
import { PaceControls } from './PaceControls';
import { TimelineCanvas } from './TimelineCanvas';
import { TimelineLegend } from './TimelineLegend';
import { useClickToLose } from './useClickToLose';

export function TimelinePanel({ source }: { source: SenderSource }) {
  const labels = useAppStore(
    useShallow((s) => s.senders[source]?.snapshot.receivers.map((r) => r.receiver.label) ?? []),
  );
  const recorded = useAppStore((s) => s.senders[source]?.snapshot.recorded ?? 0);
  // Losses mid-way exist only with the demo's simulated network on: the legend names them only then.
  const relays = useAppStore((s) => s.demo?.relays !== undefined);
  const selective = useAppStore((s) => s.settings?.protocol === 'sr');
  const truncated = useAppStore((s) => s.senders[source]?.snapshot.recordingTruncated ?? false);
  const feed = useMemo(() => liveFeed(source), [source]);
  const onLose = useClickToLose(source);
  // At a teaching pace in the local demo without click to lose, a teacher clicking a packet saw nothing happen:
  // say what it needs.
  const teaching = useAppStore((s) => s.pace[source].paused || s.pace[source].mode.kind !== 'full');
  const stopAndWait = useAppStore((s) => (s.settings?.protocol ?? 'saw') === 'saw');
  const loseNeeds =
    source !== 'demo' || onLose || !teaching
      ? null
      : !relays
        ? 'Click to lose needs the simulated network: stop the demo, tick “Simulate a network” under ' +
          '“Network between sender and receivers”, and start it again.'
        : !stopAndWait
          ? 'Click to lose works with stop-and-wait only.'
          : null;
  const [note, setNote] = useState<string | null>(null);
  const save = async (): Promise<void> => {
    try {
      const path = await call('recording:save', { source });
      setNote(path ? `Saved to ${path}` : 'Not saved');
    } catch (error) {
      setNote(messageOf(error));
    }
  };
  return (
    <section className="timeline-panel" aria-label="Timeline">
      <h3>Timeline</h3>
      <PaceControls source={source} />
      {labels.length > 0 ? (
        <>
          <TimelineCanvas feed={feed} labels={labels} headName="live" onLose={onLose} />
          {loseNeeds && <p className="hint">{loseNeeds}</p>}
          <TimelineLegend network={source === 'demo' && relays} selective={selective} />
          {source === 'send' && (
            <p className="hint">
              Drops by p happen inside the receivers, out of the sender&apos;s sight: here a lost packet or
              ACK shows as a timeout followed by a retransmission.
            </p>
          )}
          <div className="actions">
            <button type="button" disabled={recorded === 0} onClick={() => void save()}>
              Save recording…
            </button>
            <span role="status">{note}</span>
          </div>
          {truncated && (
            <p className="hint">
              Recording stopped at {MAX_RECORDED_EVENTS.toLocaleString('en')} events: a saved recording holds
              the start of this transfer only.
            </p>
          )}
        </>
      ) : (
        <p className="placeholder">The sequence diagram of packets, ACKs, drops and timeouts appears here.</p>
      )}
    </section>
  );
}
