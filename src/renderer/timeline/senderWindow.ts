// The sender window, read off when each segment was outstanding (live/outstanding.ts): at time t the window
// is the W segments from its base, the oldest segment not yet ACKed by every receiver (or, with none
// outstanding, the next to send). Each of them is sent and outstanding, ACKed by everyone while an older one is
// not (Selective Repeat's ACKs arrive out of order), or usable and not sent yet. The sequence diagram draws it as a
// band beside the sender's line that slides as ACKs arrive. Pure.

/**
 * When each segment was outstanding: from its first send to the ACK of every receiver (-1: still). By seq, from
 * `first` on (index seq - first): every segment below it was ACKed by everyone before anything still drawn.
 */
export interface SpanTable {
  from: number[];
  to: number[];
  first: number;
  /** The highest segment seen. */
  last: number;
  /** The newest time in the table: a span closed by the sender's last events may be newer than its last packet. */
  latest: number;
}

export const emptySpans = (): SpanTable => ({ from: [], to: [], first: 1, last: 0, latest: 0 });

/** Folds spans as OutstandingSpans drains them (seq, from, to: flat) into a table, in place. */
export function applySpans(table: SpanTable, flat: readonly number[]): void {
  for (let i = 0; i + 2 < flat.length; i += 3) {
    const seq = flat[i]!;
    // (A span closes once: one forgotten is never told again.)
    if (seq < table.first) continue;
    table.from[seq - table.first] = flat[i + 1]!;
    table.to[seq - table.first] = flat[i + 2]!;
    table.last = Math.max(table.last, seq);
    table.latest = Math.max(table.latest, flat[i + 1]!, flat[i + 2]!);
  }
}

/** Spans forgotten at once, at least: the arrays are copied when they shrink, so not at every batch. */
const FORGET_STEP = 4096;

/**
 * Forgets the oldest spans that closed before `t` (nothing older is drawn any more: the live ring let those events
 * go), so a long transfer's table stays the size of what the diagram holds. Stops at the oldest still open.
 */
export function forgetSpansBefore(table: SpanTable, t: number): void {
  let n = 0;
  while (n < table.from.length && table.to[n]! >= 0 && table.to[n]! < t) n++;
  if (n < FORGET_STEP) return;
  table.from = table.from.slice(n);
  table.to = table.to.slice(n);
  table.first += n;
}

/** A window slot: sent and awaiting an ACK, ACKed by every receiver (the window waits for an older one), or usable. */
export type SlotState = 'outstanding' | 'acked' | 'usable';

export interface WindowState {
  /** The oldest segment of the window. */
  base: number;
  /** One state per segment base, base + 1, ... (fewer than W at the end of the file; none once it is all ACKed). */
  slots: SlotState[];
}

const sentBy = (spans: SpanTable, seq: number, t: number): boolean => {
  const from = spans.from[seq - spans.first];
  return from !== undefined && from <= t;
};
const ackedBy = (spans: SpanTable, seq: number, t: number): boolean => {
  const to = spans.to[seq - spans.first];
  return sentBy(spans, seq, t) && to !== undefined && to >= 0 && to <= t;
};

/**
 * The window at `t` given its size and the last segment there is (the end marker); `from`: a segment known to be
 * at or below the base (the base only moves up, so a sweep through growing times passes the last base back).
 */
export function windowAt(spans: SpanTable, t: number, size: number, lastSeq: number, from = 1): WindowState {
  let base = Math.max(spans.first, from);
  while (base <= lastSeq && ackedBy(spans, base, t)) base++;
  const slots: SlotState[] = [];
  for (let seq = base; seq < base + size && seq <= lastSeq; seq++)
    slots.push(ackedBy(spans, seq, t) ? 'acked' : sentBy(spans, seq, t) ? 'outstanding' : 'usable');
  return { base, slots };
}

/** The segments of a window in a given state. */
export function segmentsIn(window: WindowState, state: SlotState): number[] {
  return window.slots.flatMap((s, i) => (s === state ? [window.base + i] : []));
}

/** "12–19" runs of consecutive numbers, joined by commas. */
export function runsOf(seqs: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < seqs.length;) {
    let j = i;
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j]! + 1) j++;
    parts.push(i === j ? `${seqs[i]}` : `${seqs[i]}–${seqs[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** Each state the window's slots are in, its segments then `words[state]`: "5–6 sent, ...", "7–8 usable". */
function statesSaid(window: WindowState, words: Record<SlotState, string>): string[] {
  return (['outstanding', 'acked', 'usable'] as const).flatMap((state) => {
    const seqs = segmentsIn(window, state);
    return seqs.length === 0 ? [] : [`${runsOf(seqs)} ${words[state]}`];
  });
}

/** The segments a window spans: "5–8", or "5" alone. */
function spanOf(window: WindowState): string {
  const last = window.base + window.slots.length - 1;
  return last === window.base ? `${window.base}` : `${window.base}–${last}`;
}

/** The window in words: "segments 5–8: 5–6 sent, not yet ACKed by all; 7–8 usable, not sent yet". */
export function describeWindow(window: WindowState): string {
  if (window.slots.length === 0) return 'empty: every segment ACKed by every receiver';
  const said = statesSaid(window, {
    outstanding: 'sent, not yet ACKed by all',
    acked: 'ACKed by all, waiting for an older one',
    usable: 'usable, not sent yet',
  });
  return `${window.slots.length === 1 ? 'segment' : 'segments'} ${spanOf(window)}: ${said.join('; ')}`;
}

/**
 * The window on the state line, which never wraps and is read from the back of a room at presenter size: short,
 * "Window 2–5 (W = 4): 2–4 sent, awaiting ACKs · 5 usable" (describeWindow's words run too long for one line).
 */
export function describeWindowLine(window: WindowState, size: number): string {
  if (window.slots.length === 0) return `Window (W = ${size}) empty: every segment ACKed by every receiver`;
  const said = statesSaid(window, {
    outstanding: 'sent, awaiting ACKs',
    acked: 'ACKed by all',
    usable: 'usable',
  });
  return `Window ${spanOf(window)} (W = ${size}): ${said.join(' · ')}`;
}
