// The sequence diagram's colours, which axe cannot see on a canvas: read from the stylesheet as the canvas
// reads them, per theme, and held to WCAG 2.1 AA on the panel behind them. Marks carry text (sequence numbers,
// "ACK n", "retx"), so 4.5:1; lane lines are graphics, so 3:1.
import { describe, expect, it } from 'vitest';
import { PALETTE_VARS, type Palette } from '../../src/renderer/timeline/draw';
import css from '../../src/renderer/styles.css?raw';

/** The custom properties a rule block declares. */
function block(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  expect(start, selector).toBeGreaterThanOrEqual(0);
  const body = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

function paletteOf(theme: 'light' | 'dark'): Palette {
  const vars = { ...block(':root'), ...(theme === 'dark' ? block(":root[data-theme='dark']") : {}) };
  const resolve = (value: string): string => {
    const ref = /^var\((--[\w-]+)\)$/.exec(value);
    return ref ? resolve(vars[ref[1]!]!) : value;
  };
  const entries = Object.entries(PALETTE_VARS).map(([key, name]) => [key, resolve(vars[name]!)]);
  return Object.fromEntries(entries) as unknown as Palette;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = (c: number): number => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe.each(['light', 'dark'] as const)('%s theme diagram colours', (theme) => {
  const palette = paletteOf(theme);

  it.each(['send', 'resend', 'ack', 'drop', 'timer', 'text'] as const)(
    '%s reaches 4.5:1 on the panel',
    (key) => {
      expect(palette[key]).toMatch(/^#[0-9a-f]{6}$/i);
      expect(contrast(palette[key], palette.background)).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('lane lines reach 3:1 on the panel', () => {
    expect(contrast(palette.lane, palette.background)).toBeGreaterThanOrEqual(3);
  });

  it('data and ACK differ in hue as well as in shape', () => {
    expect(palette.send).not.toBe(palette.ack);
    expect(palette.resend).not.toBe(palette.send);
  });
});
