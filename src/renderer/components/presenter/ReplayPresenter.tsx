// A recording's presenter mode: the class watches a transfer recorded beforehand (no network to fail in the room),
// the diagram filling the window under a few big counters, one event per key press of a presenter clicker, or
// played in slow motion. The Replay tab's player (useReplayPlayer): leaving, the tab is where it was.
import { useMemo } from 'react';
import { replayFeed } from '../../timeline/feeds';
import { indexAt } from '../../timeline/replay';
import { REPLAY_SPEEDS, useReplayPlayer } from '../replay/useReplayPlayer';
import { TimelineCanvas } from '../timeline/TimelineCanvas';
import { TimelineLegend } from '../timeline/TimelineLegend';
import { REPLAY_PRESENTER_KEYS, replayPresenterAction } from './keys';
import { Counter, KeysAndExit, PresenterBar, PresenterHelp, usePresenter } from './PresenterParts';

/** The next speed up or down the Replay tab's list, staying at its ends. */
function nextSpeed(speed: number, direction: 1 | -1): number {
  const at = REPLAY_SPEEDS.findIndex((s) => s >= speed);
  const index = (at < 0 ? REPLAY_SPEEDS.length - 1 : at) + direction;
  return REPLAY_SPEEDS[Math.min(REPLAY_SPEEDS.length - 1, Math.max(0, index))]!;
}

export function ReplayPresenter() {
  const player = useReplayPlayer();
  const { replay, cursor, duration, playing, speed, step, toggle, setSpeed } = player;
  const labels = useMemo(() => replay?.session.receivers.map((r) => r.label) ?? [], [replay]);
  const { help, setHelp, keysRef, closeRef } = usePresenter(replayPresenterAction, (action) => {
    if (action === 'next') step(1);
    else if (action === 'previous') step(-1);
    else if (action === 'play') toggle();
    else if (action === 'faster') setSpeed(nextSpeed(speed, 1));
    else if (action === 'slower') setSpeed(nextSpeed(speed, -1));
    else return false;
    return true;
  });

  if (!replay) return null;
  const at = indexAt(replay.ring, cursor);
  // The same totals as the diagram's: the tally follows the cursor both ways.
  const totals = replay.tally.moveTo(at);
  const seconds = (ms: number): string => (ms / 1000).toFixed(2);
  return (
    <div className="presenter" data-testid="presenter">
      <PresenterBar
        state={
          <Counter
            label="Replay"
            value={playing ? `Playing at ${speed}×` : `Paused (${speed}×)`}
            tone="pace"
          />
        }
        counters={
          <>
            <Counter label="Event" value={`${at - replay.ring.start} / ${replay.ring.size}`} />
            <Counter label="Time" value={`${seconds(cursor)} / ${seconds(duration)} s`} />
            <Counter label="Timeouts" value={String(totals.timeouts)} />
            <Counter label="Retransmissions" value={String(totals.resends)} />
          </>
        }
        actions={
          <>
            <button type="button" onClick={() => step(-1)} disabled={cursor <= 0}>
              ◀ Previous event
            </button>
            <button type="button" className="primary" onClick={() => step(1)} disabled={cursor >= duration}>
              Next event ▶
            </button>
            <button type="button" className="presenter-pause" aria-pressed={playing} onClick={toggle}>
              {playing ? 'Pause' : 'Play'}
            </button>
            <KeysAndExit keysRef={keysRef} onKeys={() => setHelp(true)} />
          </>
        }
      />
      <TimelineCanvas feed={replayFeed} labels={labels} headName="cursor" />
      <TimelineLegend network={replay.network} live={false} selective={replay.session.protocol === 'sr'} />
      {help && (
        <PresenterHelp bindings={REPLAY_PRESENTER_KEYS} closeRef={closeRef} onClose={() => setHelp(false)} />
      )}
    </div>
  );
}
