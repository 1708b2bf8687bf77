// How wide a line of text is in a TrueType font, read from the font file itself (its character map and advance
// widths), so a chart rendered without a browser is laid out with the widths the PNG will draw, not with
// ECharts' estimate (about one Arial's, narrower than DejaVu Sans by a tenth). Kerning is left out: a pixel or
// two over a legend entry.

/** The advance width of `text` at `px` pixels per em. */
export type TextWidth = (text: string, px: number) => number;

interface Tables {
  [tag: string]: { at: number; length: number } | undefined;
}

function tablesOf(font: DataView): Tables {
  const tables: Tables = {};
  const count = font.getUint16(4);
  for (let i = 0; i < count; i++) {
    const record = 12 + 16 * i;
    const tag = String.fromCharCode(
      font.getUint8(record),
      font.getUint8(record + 1),
      font.getUint8(record + 2),
      font.getUint8(record + 3),
    );
    tables[tag] = { at: font.getUint32(record + 8), length: font.getUint32(record + 12) };
  }
  return tables;
}

/** Glyph of a code point in a cmap subtable of format 4 (the Basic Multilingual Plane). */
function format4(font: DataView, at: number): (code: number) => number {
  const segments = font.getUint16(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const offsets = deltas + 2 * segments;
  return (code) => {
    if (code > 0xffff) return 0;
    for (let s = 0; s < segments; s++) {
      if (font.getUint16(ends + 2 * s) < code) continue;
      const start = font.getUint16(starts + 2 * s);
      if (start > code) return 0;
      const delta = font.getUint16(deltas + 2 * s);
      const offset = font.getUint16(offsets + 2 * s);
      if (offset === 0) return (code + delta) & 0xffff;
      const glyph = font.getUint16(offsets + 2 * s + offset + 2 * (code - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

/** Glyph of a code point in a cmap subtable of format 12 (all of Unicode). */
function format12(font: DataView, at: number): (code: number) => number {
  const groups = font.getUint32(at + 12);
  return (code) => {
    for (let g = 0; g < groups; g++) {
      const group = at + 16 + 12 * g;
      if (font.getUint32(group + 4) < code) continue;
      const start = font.getUint32(group);
      return start > code ? 0 : font.getUint32(group + 8) + code - start;
    }
    return 0;
  };
}

/** The font's Unicode character map: format 12 where it has one, else format 4. */
function characterMap(font: DataView, cmap: number): ((code: number) => number) | null {
  let bmp: number | null = null;
  for (let i = 0; i < font.getUint16(cmap + 2); i++) {
    const record = cmap + 4 + 8 * i;
    const [platform, encoding] = [font.getUint16(record), font.getUint16(record + 2)];
    if (platform !== 0 && !(platform === 3 && (encoding === 1 || encoding === 10))) continue;
    const at = cmap + font.getUint32(record + 4);
    const format = font.getUint16(at);
    if (format === 12) return format12(font, at);
    if (format === 4) bmp ??= at;
  }
  return bmp === null ? null : format4(font, bmp);
}

/**
 * The widths of a TrueType or OpenType font file's text, or null for a file it cannot read (a collection, a
 * font without a Unicode map): the caller then keeps its estimate.
 */
export function fontWidths(file: Uint8Array): TextWidth | null {
  try {
    const font = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const tables = tablesOf(font);
    const [head, hhea, hmtx, cmap] = [tables['head'], tables['hhea'], tables['hmtx'], tables['cmap']];
    if (!head || !hhea || !hmtx || !cmap) return null;
    const perEm = font.getUint16(head.at + 18);
    const metrics = font.getUint16(hhea.at + 34);
    const glyphOf = characterMap(font, cmap.at);
    if (glyphOf === null || perEm === 0 || metrics === 0) return null;
    // Glyphs past the last metric share its advance (monospaced tails). A character the font lacks is drawn by
    // another font: an em, as a wide character (ECharts also takes the line height from one, 国).
    const advanceOf = (glyph: number): number =>
      glyph === 0 ? perEm : font.getUint16(hmtx.at + 4 * Math.min(glyph, metrics - 1));
    // Charts ask for the same few characters again and again.
    const units = new Map<number, number>();
    return (text, px) => {
      let width = 0;
      for (const char of text) {
        const code = char.codePointAt(0)!;
        let advance = units.get(code);
        if (advance === undefined) units.set(code, (advance = advanceOf(glyphOf(code))));
        width += advance;
      }
      return (width * px) / perEm;
    };
  } catch {
    // A file cut short or not a font at all: its tables point past its end.
    return null;
  }
}
