// One protocol's lane of the comparison: its sequence diagram (the live timeline, packets flying at a teaching
// pace) with the sender window drawn in it, under a heading that says how it is going, and the window now in
// words.
import { useMemo } from 'react';
import { formatSeconds } from '../../../shared/format';
import type { CompareLaneView } from '../../store/compare';
import { compareFeed } from '../../timeline/feeds';
import { describeWindow, windowAt } from '../../timeline/senderWindow';
import { TimelineCanvas } from '../timeline/TimelineCanvas';
import { protocolName } from './protocolNames';

export function CompareLane({
  lane,
  index,
  winner,
}: {
  lane: CompareLaneView;
  index: number;
  winner: boolean;
}) {
  const feed = useMemo(() => compareFeed(index), [index]);
  const { snapshot, timeline } = lane.sender;
  const labels = snapshot.receivers.map((r) => r.receiver.label);
  const name = protocolName(lane.protocol, lane.window);
  // Its time too: in projector view the lanes come before the table, so each lane says how long it took.
  const took = lane.result ? formatSeconds(lane.result.durationMs) : '';
  const state = lane.error
    ? `failed: ${lane.error}`
    : lane.result
      ? lane.result.ok
        ? `done in ${took}, every file verified`
        : `ended in ${took} without every file`
      : snapshot.running
        ? `${snapshot.chunksDone} of ${snapshot.chunks} segments everywhere`
        : 'starting';
  const head = timeline.ring.size > 0 ? timeline.ring.t(timeline.ring.end - 1) : 0;
  const size = lane.window ?? 1;
  const { spans } = lane.sender;
  const now = windowAt(spans, Math.max(head, spans.latest), size, snapshot.chunks + 1);
  return (
    <section className="compare-lane" data-winner={winner} aria-labelledby={`compare-lane-${index}`}>
      {/* As tall as the tallest lane's heading (useLaneHeads): the diagrams start level. */}
      <header className="compare-lane-head">
        <h3 id={`compare-lane-${index}`}>
          {name}
          {winner && <span className="winner-badge"> ★ Winner</span>}
        </h3>
        <p className="compare-lane-state" data-protocol={lane.protocol}>
          {state}
        </p>
      </header>
      {labels.length > 0 ? (
        <TimelineCanvas feed={feed} labels={labels} headName="live" />
      ) : (
        <p className="placeholder">Its sequence diagram appears here.</p>
      )}
      {snapshot.chunks > 0 && (
        <p className="window-now" data-base={now.base} data-slots={now.slots.join(' ')}>
          Sender window (W = {size}): {describeWindow(now)}
        </p>
      )}
    </section>
  );
}
