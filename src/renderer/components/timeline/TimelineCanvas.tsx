// The sequence diagram on a <canvas>, redrawn in requestAnimationFrame only when its feed or view changed or a
// packet is in flight (batches never re-render React). Scroll and zoom with drag, Shift/Ctrl + wheel, the
// keyboard (up and down arrows, + and -, Home, End) or the slider; it follows the head (newest event, or the
// replay cursor) until scrolled. The counts it draws, the sender's state and the sizes it draws at are written
// as text (and data attributes) beside it, for screen readers and tests. Hover, tap or Left/Right select an arrow
// and show its details in a tooltip (a DOM element: the CSP allows no inline styles, CSSOM places it). With click
// to lose (useClickToLose), the next round's packets are drawn before they leave; a click or Enter loses one, or
// one in flight. Where packets really fly (Feed.realFlight) flights are drawn on the engine's clock, estimated
// from the newest event's time, so a packet is drawn where it is.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { PUBLISH_MS } from '../../store/appStore';
import { drawFrame, readPalette, type Drawing, type Progress } from '../../timeline/draw';
import type { TimelineFeed } from '../../timeline/feeds';
import {
  arrowAt,
  laneX,
  layoutFrame,
  metrics,
  windowBandX,
  windowCellPx,
  type Arrow,
  type Frame,
} from '../../timeline/layout';
import {
  describeArrow,
  describeCurrent,
  owedAsDrawn,
  describeDrawn,
  describeEvent,
  describeTotals,
  NOTHING_SENT,
  OWED_NAMED,
} from '../../timeline/summary';
import { emptyTotals } from '../../timeline/tally';
import { receiverNames } from '../../timeline/laneNames';
import { drawnInAir } from '../../timeline/drawnFlights';
import { squeezeOf } from '../../timeline/squeeze';
import { describeWindowLine, windowAt } from '../../timeline/senderWindow';
import {
  DEFAULT_VIEW,
  panView,
  scrollTo,
  windowOf,
  zoomView,
  type TimelineView,
} from '../../timeline/viewport';
import { DiagramExport } from './DiagramExport';
import type { LoseFn } from './useClickToLose';

interface Props {
  feed: TimelineFeed;
  /** Receiver lane labels, in receiver order. */
  labels: string[];
  /** "live" or "cursor": what following means here. */
  headName: string;
  /** Click to lose, when it applies (see useClickToLose). */
  onLose?: LoseFn | null;
}

/** A packet of the next round, as main's lose request names it. */
const chosenKey = (a: Arrow): string => `${a.kind === 'ack' ? 'backward' : 'forward'}:${a.receiver}:${a.seq}`;

/** A packet still flying, as far as the diagram knows: an ACK on its way back, or a data packet not yet landed. */
const stillFlying = (a: Arrow): boolean =>
  a.expected === true || (a.index >= 0 && a.kind !== 'ack' && a.t2 === null && !a.lost);

/** The same packet in another frame (frames are rebuilt on every paint). */
const sameArrow = (a: Arrow, b: Arrow): boolean =>
  a.index === b.index && a.kind === b.kind && a.receiver === b.receiver && a.seq === b.seq;

/** How near (px) a pointer must come to an arrow to pick it. */
const REACH_PX = 12;

const EMPTY_FRAME: Frame = {
  arrows: [],
  rounds: [],
  breaks: [],
  drops: [],
  timeouts: [],
  timers: [],
  drawn: { sends: 0, resends: 0, acks: 0, drops: 0, netLosses: 0, timeouts: 0 },
  leftOut: 0,
  current: null,
  next: [],
  window: [],
};

/** Sets text (null: leaves it) and data attributes only when they changed (this runs every frame). */
function write(el: HTMLElement | null, text: string | null, data: Record<string, number | string>): void {
  if (!el) return;
  if (text !== null && el.textContent !== text) el.textContent = text;
  for (const [key, value] of Object.entries(data)) {
    const v = String(value);
    if (el.dataset[key] !== v) el.dataset[key] = v;
  }
}

/** When batches arrived: the page-clock time each absolute event index was first seen (for flight animation). */
class Arrivals {
  private marks: { end: number; at: number }[] = [];
  /** Events below this index were there when the diagram was mounted (presenter mode in or out): long landed. */
  private before = -1;
  /** Events below this index came in batches forgotten since: long landed too. */
  private forgotten = 0;
  note(end: number, at: number): void {
    if (this.before < 0) this.before = end;
    const last = this.marks[this.marks.length - 1];
    if (!last || end > last.end) this.marks.push({ end, at });
    else if (end < last.end) [this.marks, this.before, this.forgotten] = [[{ end, at }], 0, 0]; // a new session
  }
  /** When event `index` arrived; -Infinity for events older than every mark kept, or than the diagram. */
  seen(index: number): number {
    // (Without `forgotten`, an event whose batch was forgotten took the oldest kept batch's time: in step mode
    // each round flew every earlier round in view again.)
    if (index < this.before || index < this.forgotten) return -Infinity;
    return this.marks.find((m) => index < m.end)?.at ?? -Infinity;
  }
  forget(before: number): void {
    while (this.marks.length > 1 && this.marks[0]!.at < before) this.forgotten = this.marks.shift()!.end;
  }
}

/** The newest events listed in words beside the diagram (when that list is open). */
const EVENTS_LISTED = 40;

/** The diagram's text size: the box's font size (CSS: 0.85rem, 1rem in presenter mode). */
const fontPxOf = (wrap: HTMLElement): number => Math.round(parseFloat(getComputedStyle(wrap).fontSize) || 13);

function plotHeightOf(wrap: HTMLElement): number {
  const m = metrics(fontPxOf(wrap));
  return Math.max(1, wrap.clientHeight - m.header - m.bottom);
}

export function TimelineCanvas({ feed, labels, headName, onLose = null }: Props) {
  const id = useId();
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const totalsRef = useRef<HTMLParagraphElement>(null);
  const drawnRef = useRef<HTMLParagraphElement>(null);
  const currentRef = useRef<HTMLParagraphElement>(null);
  const currentLineRef = useRef<HTMLSpanElement>(null);
  const currentFullRef = useRef<HTMLSpanElement>(null);
  const sliderRef = useRef<HTMLInputElement>(null);
  const eventsRef = useRef<HTMLDetailsElement>(null);
  const viewRef = useRef<TimelineView>(DEFAULT_VIEW);
  /** The head (newest event, or replay cursor): real ms, and as drawn (long waits drawn short, squeeze.ts), which
   *  the view's span, scrolling and zoom are in. */
  const realHeadRef = useRef(0);
  const headRef = useRef(0);
  const dirtyRef = useRef(true);
  const dragRef = useRef<{ y: number; view: TimelineView; moved: boolean } | null>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  /** The arrow whose details show (hover, tap or keyboard), by identity in the last frame. */
  const selectedRef = useRef<Arrow | null>(null);
  /** What its details say besides (a click's answer), and how many events there were when it was picked. */
  const noteRef = useRef<string | undefined>(undefined);
  const pickedAtRef = useRef(0);
  /** After each paint: the details shown follow their arrow (followTip, below). */
  const followTipRef = useRef<(frame: Frame, limit: number) => void>(() => undefined);
  /** The next round's packets chosen to be lost (chosenKey). */
  const chosenRef = useRef(new Set<string>());
  const loseRef = useRef(onLose);
  /** What was drawn last, for the export. */
  const lastRef = useRef<Drawing | null>(null);
  /** The words around the diagram are due: the store published, or the view changed. */
  const wordsDueRef = useRef(true);
  const [following, setFollowing] = useState(true);

  const setView = (next: TimelineView): void => {
    viewRef.current = next;
    dirtyRef.current = true;
    wordsDueRef.current = true;
    setFollowing(next.end === null);
  };

  useEffect(
    () =>
      feed.subscribe(() => {
        dirtyRef.current = true;
        wordsDueRef.current = true;
      }),
    [feed],
  );
  useEffect(() => {
    loseRef.current = onLose;
    dirtyRef.current = true;
  }, [onLose]);

  useEffect(() => {
    dirtyRef.current = true;
    let shown = 0;
    let last = performance.now();
    let raf = 0;
    let headAt = last;
    const arrivals = new Arrivals();
    // Reduced motion: no gliding and no flights; each batch is drawn where it belongs at once.
    const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
    const flightMs = (): number => (reducedMotion.matches ? 0 : feed.flightMs());
    const resize = new ResizeObserver(() => (dirtyRef.current = true));
    if (wrapRef.current) resize.observe(wrapRef.current);
    const theme = new MutationObserver(() => (dirtyRef.current = true));
    theme.observe(document.documentElement, { attributes: true });

    // The sender's state line: the timer's time left counts on with the engine's clock between batches,
    // rewritten at the store's pace (not a reason to redraw the canvas). A recording tells the state at its
    // cursor, the timer read there: scrubbing shows what the sender was waiting for at each moment.
    let current: Frame['current'] = null;
    let counting = false;
    // Named as the lanes name them ("127.0.0.4", the demo's one port said once by the sender's lane).
    const named = receiverNames(labels);
    /** Who owes an ACK as drawn, when more than the engine says (owedAsDrawn). */
    let drawnOwed: number[] | null = null;
    let timeoutMs = 0;
    /** The state line when it is not stop-and-wait's segment: a window protocol's window, or nothing sent yet. */
    let stateWords: string | null = null;
    /** Where the last window's base was, and in which table at which time: the next sweep starts there. */
    let windowFrom = { base: 1, t: 0, table: null as number[] | null };
    let statusAt = -Infinity;
    /** What the line last said, the timer's count aside: a change to it as drawn is written in its frame. */
    let saidAs = '';
    const sayingOf = (): string =>
      stateWords ?? `${current?.seq ?? ''} ${(drawnOwed ?? current?.owed ?? []).join(',')}`;
    /** The engine's time now: the newest event's, run on at the engine clock's rate since it came. */
    const engineNow = (now: number): number =>
      realHeadRef.current + (now - headAt) * (feed.realFlight?.()?.rate ?? 1);
    const writeStatus = (now: number): void => {
      statusAt = now;
      saidAs = sayingOf();
      // ACKs the engine has, still drawn on their way back: owed, and the timer running (the engine's stopped).
      const shown = current && drawnOwed ? { ...current, owed: drawnOwed } : current;
      const left =
        current && drawnOwed && current.owed.length === 0
          ? null
          : current
            ? // Never more than T: run on from a batch, the engine's clock can read a moment before the round began.
              Math.min(
                timeoutMs,
                Math.max(0, current.since + timeoutMs - (counting ? engineNow(now) : realHeadRef.current)),
              )
            : 0;
      const { line, full } =
        stateWords !== null ? { line: stateWords, full: stateWords } : describeCurrent(shown, named, left);
      write(currentLineRef.current, line, {});
      write(currentFullRef.current, full, {});
      const el = currentRef.current;
      // Only names that fit whole: a narrow diagram (a laptop's demo) cut "127.0.0.2, 127.0.0.3, 1…" mid-name.
      for (
        let k = OWED_NAMED - 1;
        k >= 0 && stateWords === null && el && el.scrollWidth > el.clientWidth;
        k--
      )
        write(currentLineRef.current, describeCurrent(shown, named, left, k).line, {});
      if (el && el.title !== full) el.title = full;
      write(el, null, { segment: current?.seq ?? '', owed: shown?.owed.length ?? 0 });
    };

    /** Draws; returns whether a packet is still in flight (then the next frame draws again). */
    const paint = (head: number, now: number): boolean => {
      const canvas = canvasRef.current;
      const wrap = wrapRef.current;
      if (!canvas || !wrap) return false;
      const snap = feed.read();
      const receivers = Math.max(1, labels.length);
      const width = wrap.clientWidth;
      const height = wrap.clientHeight;
      const dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
        canvas.width = Math.round(width * dpr);
        canvas.height = Math.round(height * dpr);
      }
      const ctx = canvas.getContext('2d');
      const view = viewRef.current;
      const { t0, t1 } = windowOf(view, head);
      const squeeze = snap ? squeezeOf(snap.events, snap.timeoutMs) : undefined;
      const vp = {
        t0,
        t1,
        ...(squeeze ? { squeeze } : {}),
        width,
        height,
        receivers,
        fontPx: fontPxOf(wrap),
        ...(snap?.window ? { window: snap.window.size, segmentTimers: snap.segmentTimers } : {}),
        ...(snap?.cumulative ? { cumulative: snap.cumulative } : {}),
      };
      const real = feed.realFlight?.() ?? null;
      const engine = engineNow(now);
      const timing = {
        timeoutMs: snap?.timeoutMs ?? 0,
        head: realHeadRef.current,
        follow: view.end === null,
        next:
          loseRef.current && snap?.running ? { inTransfer: snap.inTransfer, lastSeq: snap.lastSeq } : null,
        flight: real && snap?.running ? { now: engine, ms: real.ms } : null,
        window: snap?.window ? { spans: snap.window.spans, lastSeq: snap.lastSeq } : null,
      };
      const frame = snap ? layoutFrame(snap.events, snap.limit, vp, timing) : EMPTY_FRAME;
      const totals = snap ? snap.tally.moveTo(snap.limit) : emptyTotals();
      const flight = flightMs();
      let flying = false;
      const inAir = new Set<Arrow>();
      /** How far along an arrow is drawn: 0 to 1. */
      const along = (a: Arrow): number => {
        if (timing.flight) {
          // Really flying: as far as it is on the engine's clock (from its send to its landing or loss).
          const end = a.t2 ?? a.t1 + timing.flight.ms;
          return (engine - a.t1) / Math.max(1e-6, end - a.t1);
        }
        // Else from when its event came (an ACK: once its packet's flight is drawn), over the flight's time.
        let start = arrivals.seen(a.index);
        if (a.answers !== null) start = Math.max(start, arrivals.seen(a.answers) + flight);
        return (now - start) / flight;
      };
      const progress: Progress = (a) => {
        if (flight <= 0) return 1;
        const p = Math.min(1, Math.max(0, along(a)));
        if (p < 1) flying = true;
        if (p > 0 && p < 1) inAir.add(a);
        return p;
      };
      // A choice lasts while its packet is still to be sent.
      const upcoming = new Set(frame.next.map(chosenKey));
      for (const key of chosenRef.current) if (!upcoming.has(key)) chosenRef.current.delete(key);
      const chosen = (a: Arrow): boolean => chosenRef.current.has(chosenKey(a));
      const drawing: Drawing = { frame, vp, labels, palette: readPalette(wrap), progress, chosen };
      if (ctx) {
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        drawFrame(ctx, drawing);
      }
      lastRef.current = drawing;
      followTipRef.current(frame, snap?.limit ?? 0);
      const m = metrics(vp.fontPx);
      wrap.dataset['fontPx'] = String(vp.fontPx);
      wrap.dataset['arrowPx'] = String(m.arrow);
      wrap.dataset['lossPx'] = String(m.cross);
      wrap.dataset['head'] = String(realHeadRef.current);
      wrap.dataset['next'] = String(frame.next.length);
      wrap.dataset['flying'] = String(inAir.size);
      // From the sender's line to the last receiver's: what the receivers' arrows and loss marks have.
      wrap.dataset['receiversPx'] = String(Math.round(laneX(receivers, vp) - laneX(0, vp)));
      // The sender window's band (Compare): where its first slot is and how wide a slot, how many rows are drawn
      // and how many of them have a segment outstanding (for tests that look at the pixels).
      if (vp.window !== undefined) {
        wrap.dataset['windowX'] = String(windowBandX(vp));
        wrap.dataset['windowCell'] = String(windowCellPx(vp));
        wrap.dataset['windowRows'] = String(frame.window.length);
        wrap.dataset['windowFilled'] = String(
          frame.window.filter((w) => w.slots.includes('outstanding')).length,
        );
      }
      // A window protocol's sender waits on several segments at once (Go-Back-N's timer is its window base's,
      // Selective Repeat's one per segment): stop-and-wait's line named the newest segment sent, a timer that was
      // not the one running, and "every ACK in" with segments of the window still owed. Not told.
      const told = (snap?.running || snap?.replay) && !snap.windowed;
      // The state at the head (the newest event, the replay's cursor), wherever the view is scrolled: laid out
      // from the view's window, it told the state at the bottom of the view ("Segment 9 · timer expired" with the
      // cursor at segment 49).
      const atHead =
        told && !timing.follow
          ? layoutFrame(
              snap.events,
              snap.limit,
              { ...vp, ...windowOf({ span: view.span, end: null }, head) },
              { ...timing, follow: true, next: null },
            )
          : frame;
      current = told ? atHead.current : null;
      counting = snap?.running ?? false;
      // (Off the view, landed without counting as drawn in the air.)
      const landed =
        atHead === frame ? (a: Arrow) => progress(a) >= 1 : (a: Arrow) => flight <= 0 || along(a) >= 1;
      drawnOwed = current ? owedAsDrawn(current, atHead.arrows, landed) : null;
      // A recording at its start, or a transfer before its first segment: said, not left blank.
      stateWords = told && current === null ? NOTHING_SENT : null;
      if ((snap?.running || snap?.replay) && snap.windowLine && snap.window) {
        // Live, the spans may know of moments after the last packet (the transfer's progress); a replay's know
        // the whole recording, so its cursor decides. Not past an ACK still drawn on its way back, though (at a
        // teaching pace flights are drawn after the engine had them): the line tells the window the class sees.
        const { size, spans } = snap.window;
        let t = snap.replay ? realHeadRef.current : Math.max(realHeadRef.current, spans.latest);
        for (const a of atHead.arrows)
          if (a.kind === 'ack' && a.index >= 0 && !landed(a)) t = Math.min(t, snap.events.t(a.index) - 1e-6);
        if (windowFrom.table !== spans.from || t < windowFrom.t)
          windowFrom = { base: 1, t, table: spans.from };
        const w = windowAt(spans, t, size, snap.lastSeq, windowFrom.base);
        windowFrom = { base: w.base, t, table: spans.from };
        stateWords = describeWindowLine(w, size);
      }
      timeoutMs = timing.timeoutMs;
      // At a teaching pace an ACK lands as drawn between the store's publishes: the line says so in the same
      // frame, not up to a publish later (only then: at full speed nothing is drawn in the air, and a rewrite per
      // frame would lay out the page at every frame).
      if (flight > 0 && snap?.running && sayingOf() !== saidAs) writeStatus(now);
      // The words around the diagram change with every batch; while a transfer runs they are rewritten when the
      // store publishes, in the same frame as the counters (each rewrite lays out and repaints the page, which a
      // slow machine cannot afford at every batch).
      if (snap?.running && !wordsDueRef.current) return flying;
      wordsDueRef.current = false;
      const { events, sends, resends, acks, drops, timeouts, rounds } = totals;
      write(totalsRef.current, describeTotals(totals, snap?.windowed ?? false), {
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
        drawnNetLosses: frame.drawn.netLosses,
        drawnTimeouts: frame.drawn.timeouts,
        notShown: snap?.notShown ?? 0,
      });
      writeStatus(now);
      const list = eventsRef.current;
      if (snap && list?.open) {
        const { events: ev, limit } = snap;
        const lines: string[] = [];
        for (let i = Math.max(ev.start, limit - EVENTS_LISTED); i < limit; i++)
          lines.push(describeEvent(ev.t(i), ev.kind(i), ev.seq(i), labels[ev.receiver(i)] ?? '?'));
        const ol = list.querySelector('ol')!;
        if (ol.textContent !== lines.join(''))
          ol.replaceChildren(
            ...lines.map((l) => Object.assign(document.createElement('li'), { textContent: l })),
          );
      }
      const slider = sliderRef.current;
      if (slider) {
        const max = Math.max(headRef.current, view.span);
        slider.min = String(view.span);
        slider.max = String(max);
        slider.value = String(t1);
        slider.disabled = max <= view.span;
        const real = (shown: number): string => ((squeeze?.real(shown) ?? shown) / 1000).toFixed(2);
        slider.setAttribute('aria-valuetext', `${real(t0)} to ${real(t1)} s`);
      }
      return flying;
    };

    /** This diagram, among those whose packets in the air hold a step (drawnFlights.ts). */
    const diagram = Symbol('diagram');
    const tick = (now: number): void => {
      raf = requestAnimationFrame(tick);
      const dt = now - last;
      last = now;
      const snap = feed.read();
      const real = snap?.head ?? 0;
      const head = snap ? squeezeOf(snap.events, snap.timeoutMs).shown(real) : real;
      if (snap) arrivals.note(snap.limit, now);
      arrivals.forget(now - 2 * flightMs() - 1000);
      if (real !== realHeadRef.current) {
        dirtyRef.current = true;
        headAt = now;
      }
      realHeadRef.current = real;
      headRef.current = head;
      // In slow motion and step mode the view glides toward the head, so each round scrolls in smoothly; at
      // full speed, and for big jumps (a new session, a scrub), it snaps (redrawing at the batches' pace only).
      const gap = head - shown;
      const span = viewRef.current.span;
      if (gap < 0 || gap > span || flightMs() === 0) shown = head;
      else if (gap > span / 2000) {
        shown += gap * (1 - Math.exp(-dt / 60));
        if (viewRef.current.end === null) dirtyRef.current = true;
      } else shown = head;
      // The timer's time left counts on by itself only while no events come (step mode, a pause, a wait), and a
      // window's ACKs land as drawn: else the words are rewritten with each publish.
      if (
        (current || stateWords !== null) &&
        counting &&
        now - statusAt >= PUBLISH_MS &&
        now - headAt >= PUBLISH_MS
      )
        writeStatus(now);
      if (!dirtyRef.current) return;
      dirtyRef.current = paint(shown, now);
      if (feed.pace) drawnInAir(feed.pace, diagram, dirtyRef.current);
    };
    raf = requestAnimationFrame(tick);
    return () => {
      if (feed.pace) drawnInAir(feed.pace, diagram, false);
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
        const m = metrics(fontPxOf(wrap));
        const anchor = Math.min(1, Math.max(0, (e.clientY - rect.top - m.header) / plotHeightOf(wrap)));
        setView(zoomView(view, Math.exp(e.deltaY * 0.002), anchor, head));
      } else if (e.shiftKey) {
        e.preventDefault();
        setView(panView(view, ((e.deltaY || e.deltaX) / plotHeightOf(wrap)) * view.span, head));
      }
    };
    wrap.addEventListener('wheel', onWheel, { passive: false });
    return () => wrap.removeEventListener('wheel', onWheel);
  }, []);

  /** Shows an arrow's details beside it (null hides them). */
  const select = (arrow: Arrow | null, note?: string): void => {
    selectedRef.current = arrow;
    noteRef.current = note;
    pickedAtRef.current = feed.read()?.limit ?? 0;
    const tip = tipRef.current;
    const wrap = wrapRef.current;
    if (!tip || !wrap) return;
    if (!arrow) {
      tip.hidden = true;
      return;
    }
    const lines = describeArrow(arrow, labels[arrow.receiver] ?? `receiver ${arrow.receiver + 1}`);
    if (note) lines.push(note);
    else if (loseRef.current && stillFlying(arrow))
      lines.push('In flight: click (or press Enter) to lose it');
    tip.replaceChildren(
      ...lines.map((line) => Object.assign(document.createElement('div'), { textContent: line })),
    );
    tip.hidden = false;
    const x = (arrow.x1 + arrow.x2) / 2;
    const y = (arrow.y1 + arrow.y2) / 2;
    // Where the arrow is, for tests that click it.
    tip.dataset['x'] = String(Math.round(x));
    tip.dataset['y'] = String(Math.round(y));
    const gap = REACH_PX;
    const left = Math.max(0, Math.min(x + gap, wrap.clientWidth - tip.offsetWidth));
    const top =
      y + gap + tip.offsetHeight <= wrap.clientHeight ? y + gap : Math.max(0, y - gap - tip.offsetHeight);
    tip.style.left = `${left}px`;
    tip.style.top = `${top}px`;
  };

  /**
   * The details shown follow their arrow as the diagram moves on, and go when it is no longer drawn, or was a
   * packet of a next round that has left since (a retransmission's round has packets of the same name).
   */
  const followTip = (frame: Frame, limit: number): void => {
    const picked = selectedRef.current;
    if (!picked) return;
    const left = picked.index < 0 && !picked.expected && pickedAtRef.current !== limit;
    const again = left ? undefined : [...frame.arrows, ...frame.next].find((a) => sameArrow(a, picked));
    if (!again) select(null);
    else if (
      again.x1 !== picked.x1 ||
      again.y1 !== picked.y1 ||
      again.y2 !== picked.y2 ||
      again.t2 !== picked.t2 ||
      again.lost !== picked.lost ||
      stillFlying(again) !== stillFlying(picked)
    )
      select(again, noteRef.current);
    else selectedRef.current = again;
  };
  useEffect(() => {
    followTipRef.current = followTip;
  });

  /** Every arrow drawn, the next round's included, top to bottom. */
  const drawnArrows = (): Arrow[] => {
    const frame = lastRef.current?.frame;
    return frame ? [...frame.arrows, ...frame.next].sort((a, b) => a.y1 - b.y1 || a.x2 - b.x2) : [];
  };

  const arrowUnder = (clientX: number, clientY: number): Arrow | null => {
    const wrap = wrapRef.current;
    if (!wrap) return null;
    const rect = wrap.getBoundingClientRect();
    return arrowAt(drawnArrows(), clientX - rect.left, clientY - rect.top, REACH_PX);
  };

  /** Loses a packet of the next round, or one in flight (a click or Enter on it). */
  const loseArrow = (arrow: Arrow): void => {
    const lose = loseRef.current;
    const inFlight = stillFlying(arrow);
    if (!lose || (arrow.index >= 0 && !inFlight)) return;
    const direction = arrow.kind === 'ack' ? 'backward' : 'forward';
    lose({ direction, receiver: arrow.receiver, seq: arrow.seq, flying: inFlight }).then(
      (lost) => {
        if (!inFlight) chosenRef.current.add(chosenKey(arrow));
        dirtyRef.current = true;
        select(
          arrow,
          !inFlight
            ? 'Chosen: it will be lost mid-way in the network.'
            : lost
              ? 'Lost in flight: the network dropped it before it arrived.'
              : 'Too late: it had already arrived.',
        );
      },
      (error: unknown) => select(arrow, error instanceof Error ? error.message : String(error)),
    );
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    // Left starts picking (from the newest); Right only moves a pick, so with none it stays presenter mode's
    // "next round".
    if (e.key === 'ArrowLeft' || (e.key === 'ArrowRight' && selectedRef.current)) {
      e.preventDefault();
      const arrows = drawnArrows();
      // Frames are rebuilt on every paint: the selected arrow is found again by what it is.
      const was = selectedRef.current;
      const at = was ? arrows.findIndex((a) => sameArrow(a, was)) : -1;
      const step = e.key === 'ArrowRight' ? 1 : -1;
      const next = at < 0 ? (step > 0 ? 0 : arrows.length - 1) : at + step;
      select(arrows[Math.max(0, Math.min(arrows.length - 1, next))] ?? null);
      return;
    }
    if (e.key === 'Escape' && selectedRef.current) {
      e.preventDefault();
      select(null);
      return;
    }
    if (e.key === 'Enter' && selectedRef.current) {
      e.preventDefault();
      loseArrow(selectedRef.current);
      return;
    }
    const view = viewRef.current;
    const head = headRef.current;
    const step = view.span * (e.shiftKey ? 0.5 : 0.1);
    const next =
      e.key === 'ArrowUp'
        ? panView(view, -step, head)
        : e.key === 'ArrowDown'
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
    dragRef.current = { y: e.clientY, view: viewRef.current, moved: false };
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent): void => {
    const drag = dragRef.current;
    const wrap = wrapRef.current;
    if (!wrap) return;
    if (!drag) {
      // Hovering: the details of the arrow under the pointer.
      const arrow = arrowUnder(e.clientX, e.clientY);
      if (arrow !== selectedRef.current) select(arrow);
      return;
    }
    const dy = e.clientY - drag.y;
    if (Math.abs(dy) < 2) return;
    drag.moved = true;
    select(null);
    setView(panView(drag.view, (-dy / plotHeightOf(wrap)) * drag.view.span, headRef.current));
  };
  /** A click or tap that did not drag: the arrow's details, and a packet of the next round lost. */
  const onPointerUp = (e: PointerEvent): void => {
    const drag = dragRef.current;
    dragRef.current = null;
    if (!drag || drag.moved) return;
    const arrow = arrowUnder(e.clientX, e.clientY);
    select(arrow);
    if (arrow) loseArrow(arrow);
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
        <DiagramExport drawing={() => lastRef.current} canvas={() => canvasRef.current} />
      </div>
      {/* One line whatever the number of receivers (a few named, then "+N more"); the full list is read out. */}
      <p ref={currentRef} className="timeline-current" data-testid="timeline-current">
        <span ref={currentLineRef} aria-hidden="true" />
        <span ref={currentFullRef} className="visually-hidden" />
      </p>
      <div
        ref={wrapRef}
        className="timeline-canvas"
        data-testid="timeline-canvas"
        role="group"
        tabIndex={0}
        aria-roledescription="sequence diagram"
        aria-label={
          'Timeline, time running downward: up and down arrows scroll, + and - zoom, Home goes to the start, ' +
          'End follows; the left arrow picks an arrow and shows its details, left and right move the pick' +
          (onLose ? ', Enter loses a packet in flight or of the next round' : '')
        }
        aria-describedby={`${id}-totals ${id}-drawn`}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => (dragRef.current = null)}
        onPointerLeave={() => !dragRef.current && select(null)}
      >
        <canvas ref={canvasRef} aria-hidden="true" />
        <div ref={tipRef} className="timeline-tip" role="status" data-testid="timeline-tip" hidden />
      </div>
      {onLose && (
        <p className="hint timeline-lose-hint">
          Click to lose: click a packet in flight, or one of the next round&apos;s (drawn dotted before they
          leave), or pick it with the left and right arrows and press Enter, and the simulated network loses
          it.
        </p>
      )}
      <p id={`${id}-totals`} ref={totalsRef} className="timeline-totals" data-testid="timeline-totals" />
      <p id={`${id}-drawn`} ref={drawnRef} className="timeline-drawn hint" data-testid="timeline-drawn" />
      {/* The diagram's text alternative: its newest events in words, filled in while open. */}
      <details ref={eventsRef} className="timeline-events" onToggle={() => (dirtyRef.current = true)}>
        <summary>The newest {EVENTS_LISTED} events, in words</summary>
        <ol data-testid="timeline-events" />
      </details>
    </div>
  );
}
