// One entry per receiver: state, ACKs, timeouts, retransmissions, RTT. Up to COMPACT_AFTER receivers each has its
// lane of recent chunks below its numbers; more are one line each, with their progress in place of the lane and
// the ACKs, and one RTT, so the name still fits in a small window; a failure or a note goes on a line below it.
import { Fragment } from 'react';
import type { ReceiverLive } from '../../../shared/contract';
import { formatMs, percent } from '../../format';
import { ChunkLane } from './ChunkLane';
import { chunksAcked } from './receiverView';
import { StateBadge } from './StateBadge';

/** What a receiver made of the offer so far, while it is out. */
const OFFER_NOTES: Record<NonNullable<ReceiverLive['offer']>, string> = {
  asking: 'offered: waiting for its answer',
  deciding:
    "asked to wait: its user is deciding whether to accept, or it is busy with another sender's transfer",
  accepted: 'accepted: the data starts once the others have answered, or stayed silent through every offer',
  silent: 'no answer to the offer: a course receiver, or nothing there (its ACKs will tell)',
  refused: 'refused the offer',
};

const rtt = (ms: number | null): string => (ms === null ? '–' : formatMs(ms));

interface Props {
  receivers: ReceiverLive[];
  /** Chunks in the file, for each receiver's progress. */
  chunks: number;
  compact: boolean;
  /** Receivers in the session (more than shown when filtered). */
  total: number;
}

/** What a row says of its receiver besides its figures: its failure, its answer to the offer, how it was served. */
function Notes({ r, compact }: { r: ReceiverLive; compact: boolean }) {
  return (
    <>
      {r.failure && <span className="failure">{r.failure}</span>}
      {/* Its failure, when it has one, says it all. */}
      {r.offer && !r.failure && <span className="course-mode">{OFFER_NOTES[r.offer]}</span>}
      {r.mode === 'course' && r.offer !== 'silent' && (
        <span
          className="course-mode"
          title="It did not answer the offer: it gets the plain course protocol, and nothing checks its copy end to end"
        >
          course mode, unverified
        </span>
      )}
      {r.keptAs !== undefined && !r.failure && (
        <span
          className="course-mode"
          title="The offered name was taken there, or not safe: the file was kept under this one"
        >
          kept as {r.keptAs}
        </span>
      )}
      {r.fallback && (
        <span className="course-mode" title={r.fallback}>
          Go-Back-N, not Selective Repeat
        </span>
      )}
      {/* The usual way, where rows are many: a line for it on every row would say nothing. */}
      {r.multicast === 'group' && !compact && (
        <span className="course-mode" title="Each new segment reached it from the transfer's multicast group">
          multicast
        </span>
      )}
      {r.multicast === 'unicast' && (
        <span
          className="course-mode"
          title="Too little from the multicast group reached it (blocked on the way, or too busy to keep up): it got the rest by unicast"
        >
          unicast: the group did not get through
        </span>
      )}
    </>
  );
}

/** Whether a compact row's Notes have anything to say (it then gets a line for them). */
const hasNotes = (r: ReceiverLive): boolean =>
  r.failure !== null ||
  r.offer !== undefined ||
  r.mode === 'course' ||
  r.keptAs !== undefined ||
  r.fallback !== undefined ||
  r.multicast === 'unicast';

function Cells({ r, chunks, compact }: { r: ReceiverLive; chunks: number; compact: boolean }) {
  const acked = chunksAcked(r, chunks);
  const rtts = `mean ${rtt(r.rtt?.mean ?? null)} / last ${rtt(r.lastRttMs)} ms`;
  // Its name (as announced, or as given) and where it is: whole in a compact row, where the line below has the rest.
  const at = `${r.receiver.address}:${r.receiver.port}`;
  const whole = r.receiver.label.includes(at) ? r.receiver.label : `${r.receiver.label} (${at})`;
  return (
    <>
      <th scope="row" title={`${whole}${r.failure ? `: ${r.failure}` : ''}`}>
        {r.receiver.label}
        {compact && whole !== r.receiver.label && <span className="address"> ({at})</span>}
        {!compact && <Notes r={r} compact={false} />}
      </th>
      <td>
        <StateBadge state={r.state} />
      </td>
      {compact ? (
        <td className="num" title={`${acked.toLocaleString('en')} of ${chunks.toLocaleString('en')} chunks`}>
          {Math.floor(percent(acked, chunks))}%
        </td>
      ) : (
        <td className="num">{r.acks.toLocaleString('en')}</td>
      )}
      <td className="num" data-testid="timeouts">
        {r.timeouts.toLocaleString('en')}
      </td>
      <td className="num" data-testid="retransmissions">
        {r.retransmissions.toLocaleString('en')}
      </td>
      {/* Compact: one RTT, the one the RTT sort uses (the mean, else the last before there is a mean). */}
      <td className={compact ? 'num' : 'num rtt'} title={rtts}>
        {/* The mean first; a column too narrow for both (large type, a small window) puts the last under it. */}
        {compact ? (
          rtt(r.rtt?.mean ?? r.lastRttMs)
        ) : (
          <span className="rtt-figures">
            <span>{rtt(r.rtt?.mean ?? null)}</span> <span>/ {rtt(r.lastRttMs)}</span>
          </span>
        )}
      </td>
    </>
  );
}

export function ReceiverTable({ receivers, chunks, compact, total }: Props) {
  return (
    <table className={`receiver-table${compact ? ' compact' : ''}`}>
      <caption>Receivers</caption>
      <thead>
        <tr>
          <th scope="col">Receiver</th>
          <th scope="col">State</th>
          {compact ? (
            <th scope="col" className="num" title="Chunks this receiver has ACKed">
              Progress
            </th>
          ) : (
            <th scope="col" className="num">
              ACKs
            </th>
          )}
          {/* A soft hyphen: in a narrow column it breaks as "Time-outs", never mid-syllable. */}
          <th scope="col" className="num">
            Time{'\u00ad'}outs
          </th>
          <th scope="col" className="num">
            Re{'\u00ad'}trans.
          </th>
          <th
            scope="col"
            className="num"
            title={
              compact
                ? 'Mean round-trip time of first-transmission ACKs'
                : 'Mean round-trip time of first-transmission ACKs / round-trip time of the last ACK'
            }
          >
            {compact ? 'RTT ms' : 'RTT ms, mean / last'}
          </th>
        </tr>
      </thead>
      {compact ? (
        <tbody>
          {/* Keyed by slot, not by receiver: a re-sort changes what each line shows, never where lines are
              (nothing moves on the page while a live sort reorders 30 receivers). */}
          {receivers.map((r, slot) => (
            <Fragment key={slot}>
              <tr data-testid={`receiver-row-${r.receiver.id}`}>
                <Cells r={r} chunks={chunks} compact />
              </tr>
              {/* Its failure and notes in full, across the table: the name's column has no room for them. */}
              {hasNotes(r) && (
                <tr className="note-row" data-testid={`receiver-notes-${r.receiver.id}`}>
                  <td colSpan={6}>
                    <Notes r={r} compact />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
          {receivers.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">
                None of the {total} receivers match the filter.
              </td>
            </tr>
          )}
        </tbody>
      ) : (
        receivers.map((r) => (
          // One tbody per receiver: its numbers, then its lane across the full width (readable in large type).
          <tbody key={r.receiver.id}>
            <tr data-testid={`receiver-row-${r.receiver.id}`}>
              <Cells r={r} chunks={chunks} compact={false} />
            </tr>
            <tr className="lane-row">
              <td colSpan={6}>
                <ChunkLane cells={r.lane} label={r.receiver.label} />
              </td>
            </tr>
          </tbody>
        ))
      )}
    </table>
  );
}
