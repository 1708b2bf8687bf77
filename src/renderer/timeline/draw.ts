// Paints one laid-out frame on a 2D canvas: lanes, time axis, arrows (batched into one path per style, so tens
// of thousands of them cost a few strokes), crosses for drops and timer marks. Colours come from CSS variables
// (Okabe-Ito, following the theme); retransmissions are dashed as well as orange, so colour is never the only cue.
import {
  formatTick,
  GEOMETRY,
  laneY,
  timeTicks,
  timeToX,
  type Arrow,
  type Frame,
  type Viewport,
} from './layout';

export interface Palette {
  send: string;
  resend: string;
  ack: string;
  drop: string;
  timer: string;
  lane: string;
  text: string;
  background: string;
}

export function readPalette(element: Element): Palette {
  const style = getComputedStyle(element);
  const v = (name: string): string => style.getPropertyValue(name).trim() || '#888';
  return {
    send: v('--tl-send'),
    resend: v('--tl-resend'),
    ack: v('--tl-ack'),
    drop: v('--tl-drop'),
    timer: v('--tl-timer'),
    lane: v('--border'),
    text: v('--muted'),
    background: v('--panel'),
  };
}

/** Arrowheads only while arrows are few enough to tell apart. */
const MAX_HEADS = 3000;
const RESEND_DASH = [6, 4];

/** Width of the widest lane label at this font size. */
export function labelWidth(ctx: CanvasRenderingContext2D, labels: string[], fontPx: number): number {
  ctx.font = `${fontPx}px system-ui, sans-serif`;
  return Math.max(...['Sender', ...labels].map((l) => ctx.measureText(l).width));
}

export function drawFrame(
  ctx: CanvasRenderingContext2D,
  frame: Frame,
  vp: Viewport,
  height: number,
  labels: string[],
  palette: Palette,
  fontPx: number,
): void {
  ctx.save();
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, vp.width, height);
  drawAxis(ctx, vp, height, palette, fontPx);
  drawLanes(ctx, vp, labels, palette, fontPx);
  ctx.beginPath();
  ctx.rect(vp.gutter, 0, vp.width - vp.gutter, height);
  ctx.clip();

  const heads = frame.arrows.length <= MAX_HEADS;
  strokeArrows(ctx, frame.arrows, 'send', palette.send, [], heads);
  strokeArrows(ctx, frame.arrows, 'ack', palette.ack, [], heads);
  strokeArrows(ctx, frame.arrows, 'resend', palette.resend, RESEND_DASH, heads);

  ctx.strokeStyle = palette.timer;
  ctx.lineWidth = 1.5;
  ctx.setLineDash([2, 3]);
  ctx.beginPath();
  for (const m of frame.timers) {
    ctx.moveTo(m.x, m.y1 + 6);
    ctx.lineTo(m.x, m.y2);
  }
  ctx.stroke();
  ctx.setLineDash([]);
  for (const m of frame.timers) drawTimer(ctx, m.x, m.y1, palette);

  ctx.strokeStyle = palette.drop;
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  const s = 5;
  for (const p of frame.drops) {
    ctx.moveTo(p.x - s, p.y - s);
    ctx.lineTo(p.x + s, p.y + s);
    ctx.moveTo(p.x + s, p.y - s);
    ctx.lineTo(p.x - s, p.y + s);
  }
  ctx.stroke();
  ctx.restore();
}

function strokeArrows(
  ctx: CanvasRenderingContext2D,
  arrows: Arrow[],
  kind: Arrow['kind'],
  colour: string,
  dash: number[],
  heads: boolean,
): void {
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
  ctx.lineWidth = 1.5;
  ctx.setLineDash(dash);
  ctx.beginPath();
  for (const a of arrows) {
    if (a.kind !== kind) continue;
    ctx.moveTo(a.x1, a.y1);
    ctx.lineTo(a.x2, a.y2);
  }
  ctx.stroke();
  ctx.setLineDash([]);
  if (!heads) return;
  ctx.beginPath();
  for (const a of arrows) {
    if (a.kind !== kind || a.lost) continue;
    const angle = Math.atan2(a.y2 - a.y1, a.x2 - a.x1);
    const len = 7;
    ctx.moveTo(a.x2, a.y2);
    ctx.lineTo(a.x2 - len * Math.cos(angle - 0.4), a.y2 - len * Math.sin(angle - 0.4));
    ctx.lineTo(a.x2 - len * Math.cos(angle + 0.4), a.y2 - len * Math.sin(angle + 0.4));
    ctx.closePath();
  }
  ctx.fill();
}

/** A small clock face: where the sender's retransmission timer fired. */
function drawTimer(ctx: CanvasRenderingContext2D, x: number, y: number, palette: Palette): void {
  ctx.fillStyle = palette.background;
  ctx.strokeStyle = palette.timer;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(x, y, 6, 0, Math.PI * 2);
  ctx.fill();
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(x, y - 4);
  ctx.moveTo(x, y);
  ctx.lineTo(x + 3, y);
  ctx.stroke();
}

function drawLanes(
  ctx: CanvasRenderingContext2D,
  vp: Viewport,
  labels: string[],
  palette: Palette,
  fontPx: number,
): void {
  ctx.font = `${fontPx}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.lineWidth = 1;
  const names = ['Sender', ...labels];
  names.forEach((name, lane) => {
    const y = laneY(lane, vp.receivers);
    ctx.strokeStyle = palette.lane;
    ctx.lineWidth = lane === 0 ? 2 : 1;
    ctx.beginPath();
    ctx.moveTo(vp.gutter, y);
    ctx.lineTo(vp.width - GEOMETRY.right, y);
    ctx.stroke();
    ctx.fillStyle = palette.text;
    ctx.fillText(fit(ctx, name, vp.gutter - 12), 6, y);
  });
}

function drawAxis(
  ctx: CanvasRenderingContext2D,
  vp: Viewport,
  height: number,
  palette: Palette,
  fontPx: number,
): void {
  const plot = vp.width - vp.gutter - GEOMETRY.right;
  const ticks = timeTicks(vp.t0, vp.t1, Math.max(2, Math.floor(plot / 110)));
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : vp.t1 - vp.t0;
  const axisY = height - GEOMETRY.bottom + 8;
  ctx.font = `${Math.round(fontPx * 0.9)}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  for (const t of ticks) {
    const x = timeToX(t, vp);
    ctx.strokeStyle = palette.lane;
    ctx.globalAlpha = 0.5;
    ctx.beginPath();
    ctx.moveTo(x, GEOMETRY.top - 10);
    ctx.lineTo(x, axisY - 2);
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.fillStyle = palette.text;
    ctx.fillText(formatTick(t, step), x, axisY);
  }
  ctx.textAlign = 'start';
}

function fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}
