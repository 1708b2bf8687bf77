// Overall progress of a send: bar, chunks done of total, elapsed time, throughput and ETA; for an offered send, a
// note of what it waits on.
import { useEffect, useState, type CSSProperties } from 'react';
import type { PaceState, SenderSnapshot } from '../../../shared/contract';
import { formatBytes, formatClock, formatRate, percent, timeLeftMs } from '../../format';
import { ProgressBar } from '../common/ProgressBar';
import { offered, waitNote } from './waitNote';

/**
 * What the bar and the figures stand for. Running, the chunks every receiver still in the transfer has ACKed (a
 * row's percentage is its own receiver's, ahead of it while another lags). Ended with failures, the receivers that
 * got the whole file: "36/39", never a "100%" that reads as done for all.
 */
function reachOf(snapshot: SenderSnapshot): {
  bar: { percent: number; text?: string; of: string; failed?: string };
  /** After "Chunks" and "Data": to whom ("to all 39", "to 36 of 39"); short enough to fit above their figures. */
  to: string;
} {
  const total = snapshot.receivers.length;
  const failed = snapshot.receivers.filter((r) => r.state === 'failed').length;
  const left = total - failed;
  const to = failed > 0 ? ` to ${left} of ${total}` : total > 1 ? ` to all ${total}` : '';
  if (failed > 0 && snapshot.result !== null)
    return {
      bar: {
        percent: percent(left, total),
        text: `${left}/${total}`,
        of: 'receivers got the whole file',
        failed: `${failed} did not`,
      },
      to,
    };
  const of = failed > 0 ? `ACKed by the ${left} left` : `ACKed by all ${total}`;
  const bar = { percent: percent(snapshot.chunksDone, snapshot.chunks), of };
  return { bar: failed > 0 ? { ...bar, failed: `${failed} of ${total} failed` } : bar, to };
}

/**
 * Room for the widest text a stat takes in this transfer (digits are tabular: a ch each), so that a value growing
 * ("0 B" to "1.95 KiB") never moves the stats after it, nor wraps one onto the next line as the transfer runs.
 */
const room = (widest: string): CSSProperties => ({ minWidth: `${widest.length + 1}ch` });
/** The widest count of bytes up to `total`: itself, or one just below a unit's end ("1023 B", "1024.0 KiB"). */
function widestBytes(total: number): string {
  let widest = formatBytes(total);
  for (let end = 1024; end <= total; end *= 1024) {
    const below = formatBytes(end - 1);
    if (below.length > widest.length) widest = below;
  }
  return widest;
}
/** A clock reading up to an hour's: the elapsed time and the ETA. */
const CLOCK_ROOM = room('0:00:00');

interface Props {
  snapshot: SenderSnapshot;
  pace: PaceState;
  /** The engine's clock against the wall's (engine ms per wall ms): below 1 where the demo slows it down. */
  clockRate: number;
}

/** Where a send went full speed: the time of its last event before, and its first batch after (none yet: null). */
interface WentFull {
  from: number;
  since: { t: number; bytesDone: number } | null;
}

/**
 * The slow-motion ETA between events: a round there takes seconds (five at 0.2 a second), and a figure that stood
 * still all that while, then jumped, read as stuck. It counts down once a second from what the last event gave,
 * never more than one round's time below it: the next round's event then gives the figure again.
 */
function useCountdown(eta: number | null, roundMs: number | null): number | null {
  const [tick, setTick] = useState<{ eta: number; gone: number } | null>(null);
  useEffect(() => {
    if (eta === null || roundMs === null) return;
    const from = performance.now();
    const timer = setInterval(() => setTick({ eta, gone: performance.now() - from }), 1000);
    return () => clearInterval(timer);
  }, [eta, roundMs]);
  if (eta === null || roundMs === null || tick?.eta !== eta) return eta;
  return Math.max(eta - tick.gone, eta - roundMs, 0);
}

export function TransferProgress({ snapshot, pace, clockRate }: Props) {
  const { chunksDone, chunks, bytesDone, fileSize, t, running } = snapshot;
  // At full speed after slow motion, steps or a pause, the ETA goes at the rate since its first batch then: the
  // average from the start counted a minute's talk in step mode as a minute of transfer ("4:09" for a second).
  const atFull = pace.mode.kind === 'full' && !pace.paused;
  const [wasFull, setWasFull] = useState(atFull);
  const [wentFull, setWentFull] = useState<WentFull | null>(null);
  if (wasFull !== atFull) {
    setWasFull(atFull);
    setWentFull(atFull ? { from: t, since: null } : null);
  } else if (wentFull && (t < wentFull.from || bytesDone < (wentFull.since?.bytesDone ?? 0)))
    setWentFull(null); // a new session
  else if (wentFull?.since === null && t > wentFull.from)
    setWentFull({ ...wentFull, since: { t, bytesDone } });
  const estimate = running && wentFull?.since !== null ? timeLeftMs(snapshot, pace, wentFull?.since) : null;
  // Once the demo's clock ran slowed, the elapsed time (and the rate) stay on it for the rest of the session: at
  // full speed after a minute of slow motion they read "Elapsed 0:02", unqualified, beside a class's minute.
  const [clock, setClock] = useState({ slowed: clockRate < 1, t });
  if (t < clock.t)
    setClock({ slowed: clockRate < 1, t }); // a new session
  else if (t !== clock.t || (clockRate < 1 && !clock.slowed))
    setClock({ slowed: clock.slowed || clockRate < 1, t });
  const eta = useCountdown(
    estimate,
    pace.mode.kind === 'slow' && !pace.paused ? 1000 / pace.mode.roundsPerSecond : null,
  );
  const { bar, to } = reachOf(snapshot);
  const note = offered(snapshot) ? (waitNote(snapshot) ?? '') : null;
  // On the demo's slowed clock (a teaching pace through its network) the elapsed time and the rate are the
  // protocol's, as the diagram's times are: said, or 0:01 after nine seconds of watching reads as a fault.
  const slowed = clock.slowed;
  const onClock = !slowed
    ? undefined
    : clockRate < 1
      ? `On the demo's clock, which runs ${Math.round(1 / clockRate)} times slower than yours at this pace so a ` +
        `${snapshot.timeoutMs} ms timeout can be watched (the diagram's times are on it too)`
      : `On the demo's clock, which ran slower than yours at a teaching pace earlier in this transfer so a ` +
        `${snapshot.timeoutMs} ms timeout could be watched (the diagram's times are on it too)`;
  return (
    <section className="transfer-progress" aria-label="Progress">
      <ProgressBar label="Transfer progress" {...bar} />
      <dl className="stats">
        <div>
          <dt>Chunks{to}</dt>
          <dd
            data-testid="chunks"
            style={room(`${chunks.toLocaleString('en')} / ${chunks.toLocaleString('en')}`)}
          >
            {chunksDone.toLocaleString('en')} / {chunks.toLocaleString('en')}
          </dd>
        </div>
        <div>
          <dt>Data{to}</dt>
          <dd style={room(`${widestBytes(fileSize)} / ${formatBytes(fileSize)}`)}>
            {formatBytes(bytesDone)} / {formatBytes(fileSize)}
          </dd>
        </div>
        <div title={onClock}>
          <dt>{slowed ? 'Elapsed, demo clock' : 'Elapsed'}</dt>
          <dd style={CLOCK_ROOM}>{formatClock(t)}</dd>
        </div>
        <div title={onClock}>
          <dt>{slowed ? 'Throughput, demo clock' : 'Throughput'}</dt>
          <dd style={room('999.99 Mbit/s')}>{formatRate(bytesDone, t)}</dd>
        </div>
        <div
          title={
            running && eta === null && !pace.paused && pace.mode.kind === 'step'
              ? 'Each round waits for Next round'
              : undefined
          }
        >
          <dt>ETA</dt>
          <dd style={CLOCK_ROOM}>{eta === null ? '–' : formatClock(eta)}</dd>
        </div>
      </dl>
      {/* Kept from the offer to the end, empty or not: a note coming and going moves nothing below it. */}
      {note !== null && (
        <p className="wait-note" role="status" data-testid="wait-note">
          {note}
        </p>
      )}
    </section>
  );
}
