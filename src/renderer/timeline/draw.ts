// Paints one laid-out frame: lane lines and names, the time axis, slanted arrows labelled with their sequence
// numbers, loss crosses, timer bars, timeout clocks named by their segment and (in Compare) the sender window's band. Arrows are batched into one path per style, so tens of
// thousands cost a few strokes. Colours come from CSS variables (Okabe-Ito hues, shaded per theme to keep 4.5:1
// on the panel: test/e2e/a11y.test.ts); a retransmission is dashed and labelled "retx", an ACK has an
// open head, a drop by p is a cross at the receiver, a loss in the simulated network a circled cross mid-way, the
// next round (not sent yet) thin dotted arrows: nothing is told by colour alone. Draws through `Pen`, the part of the canvas
// API it uses, so the same code writes the SVG export.
import { axisTicks } from './axis';
import { laneHeader } from './laneNames';
import {
  laneX,
  metrics,
  midway,
  windowBandX,
  windowCellPx,
  type Arrow,
  type Frame,
  type Viewport,
} from './layout';
import { PALETTE_VARS, type Palette } from './palette';

export type Pen = Pick<
  CanvasRenderingContext2D,
  | 'save'
  | 'restore'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'closePath'
  | 'arc'
  | 'stroke'
  | 'fill'
  | 'fillRect'
  | 'fillText'
  | 'measureText'
  | 'setLineDash'
  | 'strokeStyle'
  | 'fillStyle'
  | 'lineWidth'
  | 'font'
  | 'textAlign'
  | 'textBaseline'
>;

export function readPalette(element: Element): Palette {
  const style = getComputedStyle(element);
  const entries = Object.entries(PALETTE_VARS).map(([key, name]) => [
    key,
    style.getPropertyValue(name).trim() || '#888',
  ]);
  return Object.fromEntries(entries) as unknown as Palette;
}

/** Arrowheads only while arrows are few enough to tell apart; labels only while fewer still. */
const MAX_HEADS = 3000;
const MAX_LABELS = 400;

/** How far each arrow has travelled, 0 to 1 (1: drawn whole; animation in slow motion and step mode). */
export type Progress = (arrow: Arrow) => number;
const whole: Progress = () => 1;

/** One picture of the diagram: what is laid out, where, with which names, colours and flight progress. */
export interface Drawing {
  frame: Frame;
  vp: Viewport;
  labels: string[];
  palette: Palette;
  progress?: Progress;
  /** Which of the next round's packets (Frame.next) a teacher chose to lose: marked where they will die. */
  chosen?: (arrow: Arrow) => boolean;
}

export function drawFrame(
  pen: Pen,
  { frame, vp, labels, palette, progress = whole, chosen = () => false }: Drawing,
): void {
  const m = metrics(vp.fontPx);
  pen.save();
  pen.fillStyle = palette.background;
  pen.fillRect(0, 0, vp.width, vp.height);
  drawLanes(pen, vp, palette);
  drawWindow(pen, frame, vp, palette);
  drawTimers(pen, frame, vp, palette);

  const heads = frame.arrows.length <= MAX_HEADS;
  // Arrows cut at how far they have travelled; those still flying carry a packet at their tip.
  const shown: Arrow[] = [];
  const flying: Arrow[] = [];
  const landed = new Set<number>();
  for (const a of frame.arrows) {
    const p = progress(a);
    if (p >= 1) {
      shown.push(a);
      landed.add(a.index);
    } else if (p > 0) {
      const cut = { ...a, x2: a.x1 + (a.x2 - a.x1) * p, y2: a.y1 + (a.y2 - a.y1) * p, lost: false };
      shown.push(cut);
      flying.push(cut);
    }
  }
  const dash = [m.arrow * 3, m.arrow * 2];
  strokeArrows(pen, shown, 'send', palette.send, [], heads, m.arrow, vp.fontPx);
  strokeArrows(pen, shown, 'ack', palette.ack, [], heads, m.arrow, vp.fontPx);
  strokeArrows(pen, shown, 'resend', palette.resend, dash, heads, m.arrow, vp.fontPx);
  drawFastMarks(pen, shown, palette, m.arrow, vp.fontPx);
  const s = vp.fontPx * 0.45;
  for (const a of flying) {
    pen.fillStyle = colourOf(a, palette);
    pen.fillRect(a.x2 - s / 2, a.y2 - s / 2, s, s);
  }
  // Labels before the loss marks: a label's opaque background must never hide the cross that is the lesson.
  const timeoutLabels =
    shown.length <= MAX_LABELS ? drawLabels(pen, shown, frame.timeouts, palette, vp) : null;
  const marks = frame.drops.filter((d) => landed.has(d.index));
  drawCrosses(
    pen,
    marks.filter((d) => d.where === 'receiver'),
    palette.drop,
    m,
  );
  drawNetworkLosses(
    pen,
    marks.filter((d) => d.where === 'network'),
    palette,
    m,
  );
  drawNext(pen, frame.next, chosen, palette, vp);
  for (const t of frame.timeouts) drawTimeout(pen, t.x1, t.x2, t.y, palette, vp.fontPx);
  timeoutLabels?.();
  drawBreaks(pen, frame, vp, palette);

  // The axis and lane names last, over anything that strays into their bands.
  drawAxis(pen, frame, vp, palette);
  drawNames(pen, vp, labels, palette);
  pen.restore();
}

function strokeArrows(
  pen: Pen,
  arrows: Arrow[],
  kind: Arrow['kind'],
  colour: string,
  dash: number[],
  heads: boolean,
  width: number,
  fontPx: number,
): void {
  pen.strokeStyle = colour;
  pen.fillStyle = colour;
  pen.lineWidth = width;
  pen.setLineDash(dash);
  pen.beginPath();
  for (const a of arrows) {
    if (a.kind !== kind) continue;
    pen.moveTo(a.x1, a.y1);
    pen.lineTo(a.x2, a.y2);
  }
  pen.stroke();
  pen.setLineDash([]);
  if (!heads) return;
  const len = Math.max(7, fontPx * 0.6);
  pen.beginPath();
  for (const a of arrows) {
    if (a.kind !== kind || a.lost) continue;
    const angle = Math.atan2(a.y2 - a.y1, a.x2 - a.x1);
    pen.moveTo(a.x2, a.y2);
    pen.lineTo(a.x2 - len * Math.cos(angle - 0.4), a.y2 - len * Math.sin(angle - 0.4));
    pen.lineTo(a.x2 - len * Math.cos(angle + 0.4), a.y2 - len * Math.sin(angle + 0.4));
    pen.closePath();
  }
  // An ACK's head is open, a data packet's filled.
  if (kind === 'ack') pen.stroke();
  else pen.fill();
}

/**
 * A fast retransmission: a fast-forward mark (two chevrons along its arrow) where it leaves the sender's line, where
 * a timeout's retransmission has the clock above it; it tells why it went early even where its label has no room.
 */
function drawFastMarks(pen: Pen, arrows: Arrow[], palette: Palette, width: number, fontPx: number): void {
  const s = fontPx * 0.45;
  pen.strokeStyle = palette.resend;
  pen.lineWidth = width;
  pen.beginPath();
  for (const a of arrows) {
    if (!a.fast) continue;
    const angle = Math.atan2(a.y2 - a.y1, a.x2 - a.x1);
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    // Beyond the arrowheads of ACKs coming in on the sender's line (at presenter size it was lost among them).
    for (const along of [fontPx * 1.5, fontPx * 2.1]) {
      const x = a.x1 + along * cos;
      const y = a.y1 + along * sin;
      pen.moveTo(x - s * Math.cos(angle - 0.8), y - s * Math.sin(angle - 0.8));
      pen.lineTo(x, y);
      pen.lineTo(x - s * Math.cos(angle + 0.8), y - s * Math.sin(angle + 0.8));
    }
  }
  pen.stroke();
}

function colourOf(a: Arrow, palette: Palette): string {
  return a.kind === 'ack' ? palette.ack : a.kind === 'resend' ? palette.resend : palette.send;
}

/** An ✕ of half-side `s` at each point (in the current path). */
function crosses(pen: Pen, points: { x: number; y: number }[], s: number): void {
  for (const p of points) {
    pen.moveTo(p.x - s, p.y - s);
    pen.lineTo(p.x + s, p.y + s);
    pen.moveTo(p.x + s, p.y - s);
    pen.lineTo(p.x - s, p.y + s);
  }
}

function drawCrosses(pen: Pen, drops: Frame['drops'], colour: string, m: ReturnType<typeof metrics>): void {
  pen.strokeStyle = colour;
  pen.lineWidth = m.arrow * 1.3;
  pen.beginPath();
  crosses(pen, drops, m.cross / 2);
  pen.stroke();
}

/** A loss in the simulated network: a cross in a circle, on a clear disc, where the packet died. */
function drawNetworkLosses(
  pen: Pen,
  marks: Frame['drops'],
  palette: Palette,
  m: ReturnType<typeof metrics>,
): void {
  const r = m.cross * 0.62;
  pen.lineWidth = m.arrow * 1.1;
  for (const p of marks) {
    pen.fillStyle = palette.background;
    pen.strokeStyle = palette.drop;
    pen.beginPath();
    pen.arc(p.x, p.y, r, 0, Math.PI * 2);
    pen.fill();
    pen.stroke();
    pen.beginPath();
    crosses(pen, [p], r * 0.55);
    pen.stroke();
  }
}

/** The next round, not sent yet: thin dotted arrows labelled "next n" ("next n retx"); a packet chosen to be lost carries the
 *  network-loss mark where it will die. */
function drawNext(
  pen: Pen,
  arrows: Arrow[],
  chosen: (arrow: Arrow) => boolean,
  palette: Palette,
  vp: Viewport,
): void {
  if (arrows.length === 0) return;
  const fontPx = vp.fontPx;
  const m = metrics(fontPx);
  pen.strokeStyle = palette.timer;
  pen.lineWidth = Math.max(1, m.arrow / 2);
  pen.setLineDash([m.arrow, m.arrow * 2]);
  pen.beginPath();
  for (const a of arrows) {
    pen.moveTo(a.x1, a.y1);
    pen.lineTo(a.x2, a.y2);
  }
  pen.stroke();
  pen.setLineDash([]);
  pen.font = `${fontPx}px system-ui, sans-serif`;
  pen.textBaseline = 'middle';
  pen.textAlign = 'center';
  const data = arrows.filter((a) => a.kind !== 'ack');
  for (const a of data) {
    const text = `next ${a.seq}${a.kind === 'resend' ? ' retx' : ''}`;
    const w = pen.measureText(text).width + fontPx * 0.4;
    const along = alongInside(a, 0.7, w, vp.width);
    if (along === null) continue;
    const x = a.x1 + (a.x2 - a.x1) * along;
    const y = a.y1 + (a.y2 - a.y1) * along;
    pen.fillStyle = palette.background;
    pen.fillRect(x - w / 2, y - fontPx * 0.6, w, fontPx * 1.2);
    pen.fillStyle = palette.timer;
    pen.fillText(text, x, y);
  }
  pen.textAlign = 'start';
  // Where the packet will die: as laid out for a loss in the network (midway).
  const at = (a: Arrow): number => (midway(a.receiver, vp) - a.x1) / (a.x2 - a.x1);
  const marks = arrows.filter(chosen).map((a) => ({
    x: a.x1 + (a.x2 - a.x1) * at(a),
    y: a.y1 + (a.y2 - a.y1) * at(a),
    seq: a.seq,
    receiver: a.receiver,
    index: -1,
    where: 'network' as const,
  }));
  drawNetworkLosses(pen, marks, palette, m);
}

/**
 * Where along arrow `a` a label `w` px wide goes for `along`: slid back along its arrow where it would run past the
 * diagram's right edge (`width`), as the margin right of the last receiver narrows where receivers are crowded;
 * null where no point of the arrow leaves it room (left out, as a label with no free spot is).
 */
function alongInside(a: Arrow, along: number, w: number, width: number): number | null {
  const x = a.x1 + (a.x2 - a.x1) * along;
  if (x + w / 2 <= width || a.x2 === a.x1) return along;
  const inside = (width - w / 2 - a.x1) / (a.x2 - a.x1);
  return inside < 0 || inside > 1 ? null : inside;
}

/**
 * Where along its arrow a label may go, first choice first: a data packet's near its receiver, an ACK's near where
 * it leaves (both at the same x). A window's ACKs leave while its later segments still arrive, so an ACK's first
 * choice falls on a later segment's label ("ACK 12" to "ACK 15" of a go-back were all left out): it goes further
 * along its arrow, either way. (ACKs so moved still read in order, each one lower or right of the one before; a
 * window's segments' labels moved back along their arrows would not: "20 retx 19 retx" side by side; see STAGGERED.)
 */
const LABEL_SPOTS: Record<'ack' | 'data', number[]> = {
  ack: [0.3, 0.45, 0.15, 0.6],
  data: [0.7],
};

/**
 * A window's segments leave closer together than a label is tall (W = 8 on a 1024x640 window): every other one's
 * number had no room at LABEL_SPOTS and was left out. Further along its arrow, it reads right of and below the one
 * before, still on its own arrow.
 */
const STAGGERED = 0.85;

/**
 * Sequence numbers by the arrows (LABEL_SPOTS), and by each timeout's clock the segment whose timer fired
 * ("seg 7", on its dotted line; placed first, as they are few and the lesson). Labels with no room are left out.
 * Returns what paints the timeout labels, to call once their dotted lines are drawn (over which they go).
 */
function drawLabels(
  pen: Pen,
  arrows: Arrow[],
  timeouts: Frame['timeouts'],
  palette: Palette,
  vp: Viewport,
): () => void {
  const size = vp.fontPx;
  pen.font = `600 ${size}px system-ui, sans-serif`;
  pen.textBaseline = 'middle';
  pen.textAlign = 'center';
  const placed: { x: number; y: number; w: number; h: number }[] = [];
  const free = (box: { x: number; y: number; w: number; h: number }): boolean =>
    !placed.some((p) => p.x < box.x + box.w && box.x < p.x + p.w && p.y < box.y + box.h && box.y < p.y + p.h);
  // Receivers timed out by one expiry share a mark's height: one label names its segments.
  const marks = new Map<number, { x1: number; x2: number; seqs: Set<number> }>();
  for (const t of timeouts) {
    const mark = marks.get(t.y);
    if (mark) {
      mark.x2 = Math.min(mark.x2, t.x2);
      mark.seqs.add(t.seq);
    } else marks.set(t.y, { x1: t.x1, x2: t.x2, seqs: new Set([t.seq]) });
  }
  const named: { text: string; box: { x: number; y: number; w: number; h: number } }[] = [];
  for (const [y, { x1, x2, seqs }] of marks) {
    const text = `seg ${[...seqs].sort((a, b) => a - b).join(', ')}`;
    const w = pen.measureText(text).width + size * 0.4;
    const h = size * 1.2;
    // Right of the clock (drawTimeout's radius), short of the nearest receiver's line.
    const box = { x: x1 + size, y: y - h / 2, w, h };
    if (box.x + w > x2 - size * 0.3 || !free(box)) continue;
    placed.push(box);
    named.push({ text, box });
  }
  /**
   * Writes a's label at the first free spot of `spots` (the first where it falls, the others kept inside), its type
   * `scale` times the diagram's.
   */
  const place = (a: Arrow, [first, ...others]: number[], scale = 1): boolean => {
    const text =
      a.kind === 'ack'
        ? `ACK ${a.seq}`
        : a.kind === 'resend'
          ? `${a.seq} ${a.fast ? 'fast retx' : 'retx'}`
          : String(a.seq);
    const px = size * scale;
    pen.font = `600 ${px}px system-ui, sans-serif`;
    const w = pen.measureText(text).width + px * 0.4;
    const h = px * 1.2;
    const at = (spot: number) => {
      const along = alongInside(a, spot, w, vp.width);
      if (along === null) return null;
      const x = a.x1 + (a.x2 - a.x1) * along;
      const y = a.y1 + (a.y2 - a.y1) * along;
      return { x, y, box: { x: x - w / 2, y: y - h / 2, w, h } };
    };
    // A label moved is kept off the lines at its arrow's ends (it would hide a lane's line, or the sender's).
    type Spot = NonNullable<ReturnType<typeof at>>;
    const inside = ({ box }: Spot): boolean =>
      box.x >= Math.min(a.x1, a.x2) + size * 0.3 && box.x + w <= Math.max(a.x1, a.x2) - size * 0.3;
    const spots = [at(first!), ...others.map(at).filter((s) => s !== null && inside(s))];
    const spot = spots.find((s): s is Spot => s !== null && free(s.box));
    if (!spot) return false;
    const { x, y, box } = spot;
    placed.push(box);
    pen.fillStyle = palette.background;
    pen.fillRect(box.x, box.y, w, h);
    pen.fillStyle = colourOf(a, palette);
    pen.fillText(text, x, y);
    return true;
  };
  const crowded = arrows.filter((a) => !place(a, LABEL_SPOTS[a.kind === 'ack' ? 'ack' : 'data']));
  // Then the data labels left out (after every ACK's, which they would otherwise crowd out), staggered along their
  // arrows, a size smaller.
  for (const a of crowded) if (a.kind !== 'ack') place(a, [STAGGERED], 0.85);
  pen.textAlign = 'start';
  return () => {
    pen.font = `600 ${size}px system-ui, sans-serif`;
    pen.textBaseline = 'middle';
    pen.textAlign = 'center';
    for (const { text, box } of named) {
      pen.fillStyle = palette.background;
      pen.fillRect(box.x, box.y, box.w, box.h);
      pen.fillStyle = palette.timer;
      pen.fillText(text, box.x + box.w / 2, box.y + box.h / 2);
    }
    pen.textAlign = 'start';
  };
}

/**
 * The sender window, a band left of the sender's line: a column per slot (base, base + 1, ... left to right),
 * filled where the segment is sent and not yet ACKed by every receiver, a narrow bar where every receiver ACKed
 * it but the window waits for an older one, empty where the slot is usable and not sent yet; framed, so its
 * width (W) shows while empty. It slides as ACKs arrive (its range is written beside it where it moves).
 */
function drawWindow(pen: Pen, frame: Frame, vp: Viewport, palette: Palette): void {
  if (frame.window.length === 0 || vp.window === undefined) return;
  const cell = windowCellPx(vp);
  const x0 = windowBandX(vp);
  // Runs of one state in a row are drawn as one rectangle (a window of hundreds of slots stays cheap).
  const runs = (slots: string[], state: string, draw: (from: number, count: number) => void): void => {
    for (let i = 0; i < slots.length; i++) {
      if (slots[i] !== state) continue;
      let j = i;
      while (j + 1 < slots.length && slots[j + 1] === state) j++;
      draw(i, j - i + 1);
      i = j;
    }
  };
  for (const row of frame.window) {
    const h = row.y2 - row.y1;
    if (h <= 0) continue;
    pen.fillStyle = palette.send;
    runs(row.slots, 'outstanding', (i, n) => pen.fillRect(x0 + i * cell, row.y1, n * cell, h));
    pen.fillStyle = palette.ack;
    runs(row.slots, 'acked', (i, n) =>
      pen.fillRect(x0 + i * cell + cell * 0.3, row.y1, n * cell - cell * 0.6, h),
    );
  }
  // The slots' borders while they are wide enough to tell apart (in the lanes' grey, seen on a fill and off it),
  // and the frame.
  /** Vertical lines at these slot boundaries (0: the band's left edge, n: right of the last slot) of each row. */
  const edges = (colour: string, width: number, at: (slots: number) => number[]): void => {
    pen.strokeStyle = colour;
    pen.lineWidth = width;
    pen.beginPath();
    for (const row of frame.window)
      for (const i of at(row.slots.length)) {
        pen.moveTo(x0 + i * cell, row.y1);
        pen.lineTo(x0 + i * cell, row.y2);
      }
    pen.stroke();
  };
  if (cell >= 5) edges(palette.lane, 1, (n) => Array.from({ length: Math.max(0, n - 1) }, (_, i) => i + 1));
  edges(palette.send, Math.max(1.5, vp.fontPx / 10), (n) => (n === 0 ? [] : [0, n]));
}

/**
 * Where the window moved: its range ("[5–8]") in the time column, half way down the first row of the new range
 * tall enough for it (a round's send time is written where the row starts), where no send time is written.
 */
function drawWindowRanges(pen: Pen, frame: Frame, vp: Viewport, palette: Palette, taken: number[]): void {
  const m = metrics(vp.fontPx);
  const h = vp.fontPx * 1.3;
  pen.font = `600 ${vp.fontPx}px system-ui, sans-serif`;
  pen.fillStyle = palette.send;
  let labelled = '';
  const top = m.header + vp.fontPx / 2;
  const bottom = vp.height - m.bottom;
  for (const row of frame.window) {
    const last = row.base + row.slots.length - 1;
    const range = last === row.base ? `[${row.base}]` : `[${row.base}–${last}]`;
    // Half way down the part of the row in view: the newest row runs on below the bottom edge (its middle was
    // out of view, and the range the state line tells was written nowhere).
    const y1 = Math.max(row.y1, top);
    const y2 = Math.min(row.y2, bottom);
    if (range === labelled || row.slots.length === 0 || y2 - y1 < h) continue;
    const y = (y1 + y2) / 2;
    if (taken.some((t) => Math.abs(t - y) < h)) continue;
    taken.push(y);
    labelled = range;
    // Three-digit segments and up ("[403–410]") are wider than the time column: written smaller to fit it, else
    // their first digits were cut off at the diagram's left edge.
    const right = m.gutter - vp.fontPx * 0.45;
    const room = right - vp.fontPx * 0.2;
    const wide = pen.measureText(range).width;
    if (wide > room)
      pen.font = `600 ${Math.max(vp.fontPx * 0.5, (vp.fontPx * room) / wide)}px system-ui, sans-serif`;
    pen.fillText(range, right, y);
    pen.font = `600 ${vp.fontPx}px system-ui, sans-serif`;
  }
}

/**
 * Each round's retransmission timer (Selective Repeat: each segment's), a bar beside the sender's line; dashed up to
 * its expiry while it runs.
 */
function drawTimers(pen: Pen, frame: Frame, vp: Viewport, palette: Palette): void {
  const m = metrics(vp.fontPx);
  pen.strokeStyle = palette.timer;
  pen.lineWidth = m.arrow;
  const cap = m.arrow * 2;
  pen.beginPath();
  for (const b of frame.timers) {
    pen.moveTo(b.x - cap, b.y1);
    pen.lineTo(b.x + cap, b.y1);
    pen.moveTo(b.x, b.y1);
    pen.lineTo(b.x, b.y2);
  }
  // An expired bar joins its clock on the sender's line (Selective Repeat's columns stand apart from it).
  const xS = laneX(0, vp);
  for (const b of frame.timers) {
    if (b.state !== 'expired') continue;
    pen.moveTo(b.x, b.y2);
    pen.lineTo(xS, b.y2);
  }
  pen.stroke();
  pen.setLineDash([m.arrow, m.arrow * 2]);
  pen.beginPath();
  for (const b of frame.timers) {
    if (b.state !== 'running') continue;
    pen.moveTo(b.x, b.y2);
    pen.lineTo(b.x, b.yExpiry);
    pen.moveTo(b.x - cap, b.yExpiry);
    pen.lineTo(b.x + cap, b.yExpiry);
  }
  pen.stroke();
  pen.setLineDash([]);
}

/** Where the timer fired: a clock face on the sender's line, dotted across to the receiver that owed the ACK. */
function drawTimeout(pen: Pen, x1: number, x2: number, y: number, palette: Palette, fontPx: number): void {
  const r = fontPx * 0.45;
  pen.strokeStyle = palette.timer;
  pen.lineWidth = Math.max(1.5, fontPx / 12);
  pen.setLineDash([2, 4]);
  pen.beginPath();
  pen.moveTo(x1 + r, y);
  pen.lineTo(x2, y);
  pen.stroke();
  pen.setLineDash([]);
  pen.fillStyle = palette.background;
  pen.beginPath();
  pen.arc(x1, y, r, 0, Math.PI * 2);
  pen.fill();
  pen.stroke();
  pen.beginPath();
  pen.moveTo(x1, y);
  pen.lineTo(x1, y - r * 0.7);
  pen.moveTo(x1, y);
  pen.lineTo(x1 + r * 0.5, y);
  pen.stroke();
}

/** How long a wait was, for its break: "2.5 s", "14 s", "3 min". */
export function waitText(ms: number): string {
  if (ms < 9_950) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 59_500) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** A long wait drawn short (layout's BreakMark): a dashed line across the lanes, "2.5 s later" on it. */
function drawBreaks(pen: Pen, frame: Frame, vp: Viewport, palette: Palette): void {
  if (frame.breaks.length === 0) return;
  const x1 = laneX(0, vp);
  const x2 = laneX(vp.receivers, vp);
  pen.font = `italic ${vp.fontPx}px system-ui, sans-serif`;
  pen.textBaseline = 'middle';
  pen.textAlign = 'center';
  for (const b of frame.breaks) {
    pen.strokeStyle = palette.lane;
    pen.lineWidth = Math.max(1, vp.fontPx / 12);
    pen.setLineDash([vp.fontPx * 0.5, vp.fontPx * 0.4]);
    pen.beginPath();
    pen.moveTo(x1, b.y);
    pen.lineTo(x2, b.y);
    pen.stroke();
    pen.setLineDash([]);
    const text = `${waitText(b.ms)} later`;
    const width = pen.measureText(text).width + vp.fontPx;
    const x = (x1 + x2) / 2;
    pen.fillStyle = palette.background;
    pen.fillRect(x - width / 2, b.y - vp.fontPx * 0.7, width, vp.fontPx * 1.4);
    pen.fillStyle = palette.text;
    pen.fillText(text, x, b.y);
  }
  pen.textAlign = 'start';
}

function drawLanes(pen: Pen, vp: Viewport, palette: Palette): void {
  const m = metrics(vp.fontPx);
  pen.strokeStyle = palette.lane;
  for (let lane = 0; lane <= vp.receivers; lane++) {
    const x = laneX(lane, vp);
    pen.lineWidth = lane === 0 ? 3 : 2;
    pen.beginPath();
    pen.moveTo(x, m.header);
    pen.lineTo(x, vp.height - m.bottom);
    pen.stroke();
  }
}

function drawNames(pen: Pen, vp: Viewport, labels: string[], palette: Palette): void {
  const m = metrics(vp.fontPx);
  pen.fillStyle = palette.background;
  pen.fillRect(0, 0, vp.width, m.header);
  pen.font = `600 ${vp.fontPx}px system-ui, sans-serif`;
  pen.textBaseline = 'middle';
  pen.textAlign = 'center';
  pen.fillStyle = palette.text;
  const spacing = laneX(1, vp) - laneX(0, vp);
  const last = labels.length;
  const edge = vp.width - 4;
  // In two rows a name's neighbours in its row are two lanes away. The end names may move off their lines, into
  // their halves of the gaps to their neighbours and out to the edge: the sender's over the time column and the
  // sender window's bars (their header band is empty; "Sender" read "Sen…" in Compare's windowed lanes), the
  // last one's left of its line (a check's "127.0.0.2:19650" was cut at the right edge).
  const start = 4;
  const room = (lane: number, rows: number): number =>
    (lane === 0
      ? (rows * spacing) / 2 + laneX(0, vp) - start
      : lane === last
        ? Math.min(rows * spacing, (rows * spacing) / 2 + edge - laneX(last, vp))
        : rows * spacing) - 6;
  const header = laneHeader(labels, room, (text) => pen.measureText(text).width);
  header.names.forEach((name, lane) => {
    const row = lane % header.rows;
    const x = laneX(lane, vp);
    const half = pen.measureText(name).width / 2;
    const centre =
      lane === 0
        ? Math.max(start + half, Math.min(x, x + (header.rows * spacing) / 2 - 3 - half))
        : lane === last
          ? Math.min(x, edge - half)
          : x;
    pen.fillText(name, centre, (m.header * (row + 0.5)) / header.rows);
  });
  pen.textAlign = 'start';
}

/** The time column: each round's send time beside it (see axisTicks). */
function drawAxis(pen: Pen, frame: Frame, vp: Viewport, palette: Palette): void {
  const m = metrics(vp.fontPx);
  pen.fillStyle = palette.background;
  pen.fillRect(0, 0, m.gutter, vp.height);
  pen.font = `${vp.fontPx}px system-ui, sans-serif`;
  pen.textBaseline = 'middle';
  pen.textAlign = 'end';
  pen.strokeStyle = palette.lane;
  pen.lineWidth = 1;
  const right = m.gutter - vp.fontPx * 0.45;
  const ticks = axisTicks(
    frame.rounds,
    m.header + vp.fontPx / 2,
    vp.height - m.bottom,
    vp.fontPx * 1.3,
    right,
    (text) => pen.measureText(text).width,
  );
  for (const tick of ticks) {
    pen.beginPath();
    pen.moveTo(m.gutter - vp.fontPx * 0.3, tick.y);
    pen.lineTo(laneX(0, vp), tick.y);
    pen.stroke();
    pen.fillStyle = palette.text;
    pen.fillText(tick.text, right, tick.y);
  }
  drawWindowRanges(
    pen,
    frame,
    vp,
    palette,
    ticks.map((tick) => tick.y),
  );
  pen.textAlign = 'start';
}
