// The diagram drawn without a canvas (SvgPen): a fixed palette and text widths, for tests that read the SVG.
import type { Palette } from '../../src/renderer/timeline/palette';

export const palette: Palette = {
  send: '#0072b2',
  resend: '#8a5a00',
  ack: '#007a5a',
  drop: '#c0392b',
  timer: '#9b2d6f',
  lane: '#777777',
  text: '#111111',
  background: '#ffffff',
};

/** Text widths only (SVG has no metrics of its own): a fixed advance per character. */
export const measure = {
  font: '',
  measureText: (text: string) => ({ width: text.length * 6 }),
} as unknown as CanvasRenderingContext2D;
