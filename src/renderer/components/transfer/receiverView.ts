// The receiver table with many receivers (a lab of 30): the summary line, the filter and the sort, as pure
// functions of the live rows, so they are tested without React.
import type { ReceiverLive } from '../../../shared/contract';
import type { ReceiverState } from '../../../shared/events';

/** Above this many receivers the table turns compact: one line each, filter and sort, scrolling in its box. */
export const COMPACT_AFTER = 8;

export const SHOW_OPTIONS = {
  all: 'All',
  'not-done': 'Not done',
  failed: 'Failed',
  retransmitting: 'Retransmitting',
} as const;
export type ShowOption = keyof typeof SHOW_OPTIONS;

// Every order but the list's puts the receivers that need a look first.
export const SORT_OPTIONS = {
  list: 'List order',
  state: 'State (problems first)',
  progress: 'Progress (least first)',
  retransmissions: 'Retransmissions (most first)',
  rtt: 'RTT (slowest first)',
} as const;
export type SortOption = keyof typeof SORT_OPTIONS;

export interface ReceiverViewOptions {
  show: ShowOption;
  /** Part of a receiver's name or address, as typed. */
  query: string;
  sort: SortOption;
}

export const DEFAULT_RECEIVER_VIEW: ReceiverViewOptions = { show: 'all', query: '', sort: 'list' };

export type StateCounts = Record<ReceiverState, number>;

export function countStates(receivers: readonly ReceiverLive[]): StateCounts {
  const counts: StateCounts = { done: 0, retransmitting: 0, failed: 0, waiting: 0 };
  for (const r of receivers) counts[r.state]++;
  return counts;
}

/** One part of the summary line: "27/30 done" (`of` the receivers), "2 retransmitting", "1 failed". */
export interface SummaryPart {
  state: ReceiverState;
  count: number;
  of?: number;
  text: string;
}

/**
 * The parts of the summary line, done first. Zero counts are left out, except `steady` while any receiver is still
 * going: then every part is there, zeros too, so the line keeps its shape as receivers come and go from
 * retransmitting (parts appearing and vanishing shifted the rest of the line several times a second).
 */
export function summaryParts(receivers: readonly ReceiverLive[], steady = false): SummaryPart[] {
  const counts = countStates(receivers);
  const going = counts.retransmitting + counts.waiting > 0;
  const rest = (['retransmitting', 'failed', 'waiting'] as const)
    .filter((state) => counts[state] > 0 || (steady && going))
    .map((state) => ({ state, count: counts[state], text: `${counts[state]} ${state}` }));
  const done = { state: 'done' as const, count: counts.done, of: receivers.length };
  return [{ ...done, text: `${counts.done}/${receivers.length} done` }, ...rest];
}

/** "27/30 done, 2 retransmitting, 1 failed" without the parts that are zero (done always): the line read out. */
export const summaryLine = (receivers: readonly ReceiverLive[]): string =>
  summaryParts(receivers)
    .map((part) => part.text)
    .join(', ');

/** Chunks this receiver has ACKed: all once done, else the newest ACKed chunk of its lane (ACKs are cumulative). */
export function chunksAcked(r: ReceiverLive, chunks: number): number {
  if (r.state === 'done') return chunks;
  let newest = 0;
  for (const cell of r.lane) if (cell.mark === 'acked' && cell.seq > newest) newest = cell.seq;
  return Math.min(newest, chunks);
}

const STATE_RANK: Record<ReceiverState, number> = { failed: 0, retransmitting: 1, waiting: 2, done: 3 };
/** The mean RTT, else the last one; -1 (below any real one) before the first ACK. */
const rttOf = (r: ReceiverLive): number => r.rtt?.mean ?? r.lastRttMs ?? -1;

function matches(r: ReceiverLive, show: ShowOption, query: string): boolean {
  if (show === 'not-done' && r.state === 'done') return false;
  if ((show === 'failed' || show === 'retransmitting') && r.state !== show) return false;
  if (query === '') return true;
  const { label, address, port } = r.receiver;
  return [label, `${address}:${port}`].some((text) => text.toLowerCase().includes(query));
}

/** The rows to show, in the order chosen; ties keep the list order. */
export function viewOf(
  receivers: readonly ReceiverLive[],
  options: ReceiverViewOptions,
  chunks: number,
): ReceiverLive[] {
  const query = options.query.trim().toLowerCase();
  const shown = receivers.filter((r) => matches(r, options.show, query));
  const key: Record<SortOption, (r: ReceiverLive) => number> = {
    list: () => 0,
    state: (r) => STATE_RANK[r.state],
    progress: (r) => chunksAcked(r, chunks),
    retransmissions: (r) => -r.retransmissions,
    rtt: (r) => -rttOf(r),
  };
  const by = key[options.sort];
  // Array.prototype.sort is stable: equal keys stay in list order.
  return shown.sort((a, b) => by(a) - by(b));
}
