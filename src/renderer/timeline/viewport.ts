// Which stretch of time the diagram shows: a span (the zoom) and either "follow the head" (the newest event
// live, the cursor in a replay) or a fixed end the user scrolled to. Pure, so zoom and scroll are tested alone.

export interface TimelineView {
  /** ms shown across the plot. */
  span: number;
  /** null: follow the head. */
  end: number | null;
}

export const SPAN_RANGE = { min: 0.5, max: 600_000 } as const;
export const DEFAULT_VIEW: TimelineView = { span: 2000, end: null };
/** While following, the head sits this share of the span from the right edge, so the newest arrows show whole. */
const LEAD = 0.04;

/** The window's end while following: just after the head, or one span while the head is younger than that
 *  (a new transfer fills the plot from the left). */
function followEnd(span: number, head: number): number {
  return Math.max(head + span * LEAD, span);
}

/** The window [t0, t1] for a view, given the head time. */
export function windowOf(view: TimelineView, head: number): { t0: number; t1: number } {
  const end = view.end ?? followEnd(view.span, head);
  return { t0: end - view.span, t1: end };
}

function clampSpan(span: number): number {
  return Math.min(SPAN_RANGE.max, Math.max(SPAN_RANGE.min, span));
}

/** Zooms by `factor` (< 1 zooms in) keeping the time under `anchor` (0 = left edge, 1 = right edge) in place. */
export function zoomView(view: TimelineView, factor: number, anchor: number, head: number): TimelineView {
  const { t0, t1 } = windowOf(view, head);
  const span = clampSpan(view.span * factor);
  const at = t0 + (t1 - t0) * anchor;
  // Zooming at the right edge while following keeps following.
  if (view.end === null && anchor >= 0.999) return { span, end: null };
  return scrollTo({ span, end: view.end }, at + span * (1 - anchor), head);
}

/** Scrolls by `deltaMs` (positive: later). Reaching the head resumes following. */
export function panView(view: TimelineView, deltaMs: number, head: number): TimelineView {
  const { t1 } = windowOf(view, head);
  return scrollTo(view, t1 + deltaMs, head);
}

/** Puts the window's end at `end`; at or past the head it follows again. */
export function scrollTo(view: TimelineView, end: number, head: number): TimelineView {
  if (end >= followEnd(view.span, head)) return { span: view.span, end: null };
  return { span: view.span, end: clampEnd(end, view.span, head) };
}

function clampEnd(end: number, span: number, head: number): number {
  return Math.min(followEnd(span, head), Math.max(span, end));
}
