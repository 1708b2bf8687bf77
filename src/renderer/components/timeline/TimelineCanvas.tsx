// The sequence diagram on a <canvas>, redrawn in requestAnimationFrame only when its feed or view changed
// (batches never re-render React). Scroll and zoom with drag, Shift/Ctrl + wheel, the keyboard (arrows,
// + and -, Home, End) or the slider; it follows the head (newest event, or the replay cursor) until scrolled.
// The counts it draws are written as text (and data attributes) below it, for screen readers and tests.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { drawFrame, labelWidth, readPalette } from '../../timeline/draw';
import type { TimelineFeed } from '../../timeline/feeds';
import { GEOMETRY, gutterFor, layoutFrame, timelineHeight, type Frame } from '../../timeline/layout';
import { describeDrawn, describeTotals } from '../../timeline/summary';
import { emptyTotals } from '../../timeline/tally';
import {
  DEFAULT_VIEW,
  panView,
  scrollTo,
  windowOf,
  zoomView,
  type TimelineView,
} from '../../timeline/viewport';

interface Props {
  feed: TimelineFeed;
  /** Receiver lane labels, in receiver order. */
  labels: string[];
  /** "live" or "cursor": what following means here. */
  headName: string;
}

const EMPTY_FRAME: Frame = {
  arrows: [],
  drops: [],
  timers: [],
  drawn: { sends: 0, resends: 0, acks: 0, drops: 0, timeouts: 0 },
  leftOut: 0,
};

/** Sets text and data attributes only when they changed (this runs every frame). */
function write(el: HTMLElement | null, text: string, data: Record<string, number>): void {
  if (!el) return;
  if (el.textContent !== text) el.textContent = text;
  for (const [key, value] of Object.entries(data)) {
    const v = String(value);
    if (el.dataset[key] !== v) el.dataset[key] = v;
  }
}

export function TimelineCanvas({ feed, labels, headName }: Props) {
  const id = useId();
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const totalsRef = useRef<HTMLParagraphElement>(null);
  const drawnRef = useRef<HTMLParagraphElement>(null);
  const sliderRef = useRef<HTMLInputElement>(null);
  const viewRef = useRef<TimelineView>(DEFAULT_VIEW);
  const headRef = useRef(0);
  const gutterRef = useRef<number>(GEOMETRY.gutter);
  const dirtyRef = useRef(true);
  const dragRef = useRef<{ x: number; view: TimelineView } | null>(null);
  const [following, setFollowing] = useState(true);

  const setView = (next: TimelineView): void => {
    viewRef.current = next;
    dirtyRef.current = true;
    setFollowing(next.end === null);
  };
  const plotWidth = (): number =>
    Math.max(1, (wrapRef.current?.clientWidth ?? 1) - gutterRef.current - GEOMETRY.right);

  useEffect(() => feed.subscribe(() => (dirtyRef.current = true)), [feed]);

  useEffect(() => {
    dirtyRef.current = true;
    let shown = 0;
    let last = performance.now();
    let raf = 0;
    const resize = new ResizeObserver(() => (dirtyRef.current = true));
    if (wrapRef.current) resize.observe(wrapRef.current);
    const theme = new MutationObserver(() => (dirtyRef.current = true));
    theme.observe(document.documentElement, { attributes: true });

    const paint = (head: number): void => {
      const canvas = canvasRef.current;
      const wrap = wrapRef.current;
      if (!canvas || !wrap) return;
      const snap = feed.read();
      const receivers = Math.max(1, labels.length);
      const width = wrap.clientWidth;
      const height = timelineHeight(receivers);
      const dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
        canvas.width = Math.round(width * dpr);
        canvas.height = Math.round(height * dpr);
        canvas.style.height = `${height}px`;
      }
      const ctx = canvas.getContext('2d');
      const fontPx = Math.round(
        (parseFloat(getComputedStyle(document.documentElement).fontSize) || 15) * 0.85,
      );
      if (ctx) gutterRef.current = gutterFor(labelWidth(ctx, labels, fontPx), width);
      const view = viewRef.current;
      const { t0, t1 } = windowOf(view, head);
      const vp = { t0, t1, width, gutter: gutterRef.current, receivers };
      const frame = snap ? layoutFrame(snap.events, snap.limit, vp) : EMPTY_FRAME;
      const totals = snap ? snap.tally.moveTo(snap.limit) : emptyTotals();
      if (ctx) {
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        drawFrame(ctx, frame, vp, height, labels, readPalette(wrap), fontPx);
      }
      const { events, sends, resends, acks, drops, timeouts, rounds } = totals;
      write(totalsRef.current, describeTotals(totals), {
        events,
        sends,
        resends,
        acks,
        drops,
        timeouts,
        rounds,
      });
      write(drawnRef.current, describeDrawn(frame.drawn, frame.leftOut, snap?.notShown ?? 0), {
        drawnArrows: frame.arrows.length,
        drawnDrops: frame.drawn.drops,
        drawnTimeouts: frame.drawn.timeouts,
        notShown: snap?.notShown ?? 0,
      });
      const slider = sliderRef.current;
      if (slider) {
        const max = Math.max(headRef.current, view.span);
        slider.min = String(view.span);
        slider.max = String(max);
        slider.value = String(t1);
        slider.disabled = max <= view.span;
        slider.setAttribute('aria-valuetext', `${(t0 / 1000).toFixed(2)} to ${(t1 / 1000).toFixed(2)} s`);
      }
    };

    const tick = (now: number): void => {
      raf = requestAnimationFrame(tick);
      const dt = now - last;
      last = now;
      const head = feed.read()?.head ?? 0;
      if (head !== headRef.current) dirtyRef.current = true;
      headRef.current = head;
      // While following, glide toward the head so 20 Hz batches scroll smoothly; big jumps (a new session, a
      // scrub) snap.
      const gap = head - shown;
      const span = viewRef.current.span;
      if (gap < 0 || gap > span) shown = head;
      else if (gap > span / 2000) {
        shown += gap * (1 - Math.exp(-dt / 60));
        if (viewRef.current.end === null) dirtyRef.current = true;
      } else shown = head;
      if (!dirtyRef.current) return;
      dirtyRef.current = false;
      paint(shown);
    };
    raf = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(raf);
      resize.disconnect();
      theme.disconnect();
    };
  }, [feed, labels]);

  // Wheel needs a non-passive listener to keep the page from scrolling while it zooms.
  useEffect(() => {
    const wrap = wrapRef.current;
    if (!wrap) return;
    const onWheel = (e: WheelEvent): void => {
      const head = headRef.current;
      const view = viewRef.current;
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        const rect = wrap.getBoundingClientRect();
        const anchor = Math.min(1, Math.max(0, (e.clientX - rect.left - gutterRef.current) / plotWidth()));
        setView(zoomView(view, Math.exp(e.deltaY * 0.002), anchor, head));
      } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        e.preventDefault();
        const px = e.shiftKey ? e.deltaY : e.deltaX;
        setView(panView(view, (px / plotWidth()) * view.span, head));
      }
    };
    wrap.addEventListener('wheel', onWheel, { passive: false });
    return () => wrap.removeEventListener('wheel', onWheel);
  }, []);

  const onKeyDown = (e: KeyboardEvent): void => {
    const view = viewRef.current;
    const head = headRef.current;
    const step = view.span * (e.shiftKey ? 0.5 : 0.1);
    const next =
      e.key === 'ArrowLeft'
        ? panView(view, -step, head)
        : e.key === 'ArrowRight'
          ? panView(view, step, head)
          : e.key === '+' || e.key === '='
            ? zoomView(view, 0.5, 1, head)
            : e.key === '-' || e.key === '_'
              ? zoomView(view, 2, 1, head)
              : e.key === 'Home'
                ? scrollTo(view, view.span, head)
                : e.key === 'End'
                  ? { span: view.span, end: null }
                  : null;
    if (!next) return;
    e.preventDefault();
    setView(next);
  };

  const onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    dragRef.current = { x: e.clientX, view: viewRef.current };
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent): void => {
    const drag = dragRef.current;
    if (!drag) return;
    const dx = e.clientX - drag.x;
    if (Math.abs(dx) < 2) return;
    setView(panView(drag.view, (-dx / plotWidth()) * drag.view.span, headRef.current));
  };

  return (
    <div className="timeline">
      <div className="timeline-toolbar">
        <button type="button" onClick={() => setView(zoomView(viewRef.current, 0.5, 1, headRef.current))}>
          Zoom in
        </button>
        <button type="button" onClick={() => setView(zoomView(viewRef.current, 2, 1, headRef.current))}>
          Zoom out
        </button>
        <button
          type="button"
          aria-pressed={following}
          onClick={() => setView({ span: viewRef.current.span, end: null })}
        >
          Follow {headName}
        </button>
        <label className="timeline-scroll">
          <span className="visually-hidden">Scroll the timeline</span>
          <input
            ref={sliderRef}
            type="range"
            step="any"
            defaultValue={0}
            onChange={(e) => setView(scrollTo(viewRef.current, Number(e.target.value), headRef.current))}
          />
        </label>
      </div>
      <div
        ref={wrapRef}
        className="timeline-canvas"
        role="group"
        tabIndex={0}
        aria-roledescription="sequence diagram"
        aria-label="Timeline: arrow keys scroll, + and - zoom, Home goes to the start, End follows"
        aria-describedby={`${id}-totals ${id}-drawn`}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (dragRef.current = null)}
        onPointerCancel={() => (dragRef.current = null)}
      >
        <canvas ref={canvasRef} aria-hidden="true" />
      </div>
      <p id={`${id}-totals`} ref={totalsRef} className="timeline-totals" data-testid="timeline-totals" />
      <p id={`${id}-drawn`} ref={drawnRef} className="timeline-drawn hint" data-testid="timeline-drawn" />
    </div>
  );
}
