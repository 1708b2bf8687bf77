// The part of the canvas API the diagram draws with (Pen), writing SVG instead: the export of the visible
// diagram as a vector image, drawn by the same code as the screen.
import type { Pen } from './draw';

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (value: number): string => String(Math.round(value * 100) / 100);

interface State {
  strokeStyle: Pen['strokeStyle'];
  fillStyle: Pen['fillStyle'];
  lineWidth: number;
  font: string;
  textAlign: CanvasTextAlign;
  textBaseline: CanvasTextBaseline;
  dash: number[];
}

const ANCHOR: Partial<Record<CanvasTextAlign, string>> = { center: 'middle', end: 'end', right: 'end' };
const BASELINE: Partial<Record<CanvasTextBaseline, string>> = { middle: 'central', top: 'hanging' };

export class SvgPen implements Pen, State {
  strokeStyle: Pen['strokeStyle'] = '#000';
  fillStyle: Pen['fillStyle'] = '#000';
  lineWidth = 1;
  font = '10px sans-serif';
  textAlign: CanvasTextAlign = 'start';
  textBaseline: CanvasTextBaseline = 'alphabetic';
  dash: number[] = [];
  private d = '';
  private readonly stack: State[] = [];
  private readonly parts: string[] = [];

  /** `measure`: a canvas context to measure text with (SVG has no metrics of its own before it is shown). */
  constructor(private readonly measure: Pick<CanvasRenderingContext2D, 'font' | 'measureText'>) {}

  save(): void {
    const { strokeStyle, fillStyle, lineWidth, font, textAlign, textBaseline, dash } = this;
    this.stack.push({ strokeStyle, fillStyle, lineWidth, font, textAlign, textBaseline, dash });
  }
  restore(): void {
    Object.assign(this, this.stack.pop());
  }
  beginPath(): void {
    this.d = '';
  }
  moveTo(x: number, y: number): void {
    this.d += `M${num(x)} ${num(y)}`;
  }
  lineTo(x: number, y: number): void {
    this.d += `L${num(x)} ${num(y)}`;
  }
  closePath(): void {
    this.d += 'Z';
  }
  /** Whole circles only: the diagram draws no other arcs. */
  arc(x: number, y: number, r: number): void {
    this.d += `M${num(x + r)} ${num(y)}A${num(r)} ${num(r)} 0 1 0 ${num(x - r)} ${num(y)}`;
    this.d += `A${num(r)} ${num(r)} 0 1 0 ${num(x + r)} ${num(y)}`;
  }
  setLineDash(segments: number[]): void {
    this.dash = [...segments];
  }
  stroke(): void {
    if (!this.d) return;
    const dash = this.dash.length ? ` stroke-dasharray="${this.dash.map(num).join(' ')}"` : '';
    this.parts.push(
      `<path d="${this.d}" fill="none" stroke="${escape(String(this.strokeStyle))}" stroke-width="${num(this.lineWidth)}"${dash}/>`,
    );
  }
  fill(): void {
    if (this.d) this.parts.push(`<path d="${this.d}" fill="${escape(String(this.fillStyle))}"/>`);
  }
  fillRect(x: number, y: number, w: number, h: number): void {
    this.parts.push(
      `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="${escape(String(this.fillStyle))}"/>`,
    );
  }
  fillText(text: string, x: number, y: number): void {
    const anchor = ANCHOR[this.textAlign] ?? 'start';
    const baseline = BASELINE[this.textBaseline] ?? 'alphabetic';
    this.parts.push(
      `<text x="${num(x)}" y="${num(y)}" style="font: ${escape(this.font)}" text-anchor="${anchor}" dominant-baseline="${baseline}" fill="${escape(String(this.fillStyle))}">${escape(text)}</text>`,
    );
  }
  measureText(text: string): TextMetrics {
    this.measure.font = this.font;
    return this.measure.measureText(text);
  }

  /** The SVG document drawn so far. */
  document(width: number, height: number, title: string): string {
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" role="img">` +
      `<title>${escape(title)}</title>${this.parts.join('')}</svg>`
    );
  }
}
