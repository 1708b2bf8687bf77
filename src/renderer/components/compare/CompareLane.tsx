// One protocol's lane of the comparison: its sequence diagram (the live timeline, packets flying at a teaching
// pace) and its sender window over time, under a heading that says how it is going.
import { useMemo } from 'react';
import { TimelineKind } from '../../../shared/live/timeline';
import type { CompareLaneView } from '../../store/compare';
import { compareFeed } from '../../timeline/feeds';
import { TimelineCanvas } from '../timeline/TimelineCanvas';
import { protocolName } from './protocolNames';
import { WindowChart } from './WindowChart';

/** Segments retransmitted at least once, from the lane's timeline. */
function retransmittedIn(lane: CompareLaneView): Set<number> {
  const { ring } = lane.sender.timeline;
  const out = new Set<number>();
  for (let i = ring.start; i < ring.end; i++) if (ring.kind(i) === TimelineKind.resend) out.add(ring.seq(i));
  return out;
}

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
  const retransmitted = useMemo(() => retransmittedIn(lane), [lane]);
  const name = protocolName(lane.protocol, lane.window);
  const state = lane.error
    ? `failed: ${lane.error}`
    : lane.result
      ? lane.result.ok
        ? 'done, every file verified'
        : 'ended without every file'
      : snapshot.running
        ? `${snapshot.chunksDone} of ${snapshot.chunks} segments everywhere`
        : 'starting';
  const head = timeline.ring.size > 0 ? timeline.ring.t(timeline.ring.end - 1) : 0;
  return (
    <section className="compare-lane" data-winner={winner} aria-labelledby={`compare-lane-${index}`}>
      <h3 id={`compare-lane-${index}`}>
        {name}
        {winner && <span className="winner-badge"> ★ Winner</span>}
      </h3>
      <p className="compare-lane-state" data-protocol={lane.protocol}>
        {state}
      </p>
      {labels.length > 0 ? (
        <TimelineCanvas feed={feed} labels={labels} headName="live" />
      ) : (
        <p className="placeholder">Its sequence diagram appears here.</p>
      )}
      <WindowChart
        spans={lane.spans}
        retransmitted={retransmitted}
        head={head}
        window={lane.window}
        label={`${name}, sender window`}
      />
    </section>
  );
}
