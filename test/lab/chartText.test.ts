// The charts' text in a PNG: measured with the widths the image draws it with (resvg's rendering of the same
// font is the judge), and a legend too wide for the image split into lines that neither overlap nor leave it.
import { readFile } from 'node:fs/promises';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { LEGEND_ROW, studyChartOption } from '../../src/shared/lab/chart.js';
import { defaultSettings, emptyStudyResult, withRoundTime, withRun } from '../../src/shared/lab/results.js';
import { labStudy } from '../../src/shared/lab/studies.js';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  chartPng,
  findChartFonts,
  type ChartFonts,
  fontOf,
  pngSvg,
} from '../../src/shared/node/chartImage.js';
import { fontWidths } from '../../src/shared/node/fontMetrics.js';

const installed = findChartFonts();

/** The charts' fonts, or the test skipped where none of their families is installed. */
async function chartFonts(skip: (note: string) => void): Promise<ChartFonts> {
  const fonts = await installed;
  if (fonts === null) skip('none of the charts font families is installed');
  return fonts!;
}

/** Where resvg's drawing of `text` ends, from where it starts (the ink, without the side bearings). */
function drawnEnd(text: string, px: number, bold: boolean, file: string, family: string): number {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="60"><text x="10" y="40" ` +
    `font-family="${family}" font-size="${px}" font-weight="${bold ? 'bold' : 'normal'}">${text}</text></svg>`;
  const box = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [file], defaultFontFamily: family },
  }).getBBox()!;
  return box.x + box.width - 10;
}

describe('chart text in a PNG', () => {
  it('is measured as wide as resvg draws it, regular and bold, at the legend and title sizes', async (t) => {
    const fonts = await chartFonts(t.skip);
    for (const file of fonts.files) {
      const width = fontWidths(await readFile(file))!;
      const bold = /bold|bd\.ttf$/i.test(file);
      for (const text of ['Measured mean', 'Model ± sd of a run', 'Mean, run of 2024-12-31 09:30 UTC']) {
        for (const px of [12, 17]) {
          const measured = width(text, px);
          const drawn = drawnEnd(text, px, bold, file, fonts.family);
          // The advance holds the ink, and exceeds it by the side bearings only (ECharts' own estimate of
          // "Measured mean" at 12 px, 87 px, is 7 px short of DejaVu Sans' ink).
          expect(measured).toBeGreaterThanOrEqual(drawn);
          expect(measured - drawn).toBeLessThan(0.25 * px);
        }
      }
    }
  });

  it('gives a character the font lacks one em, and a file that is not a font no widths', async (t) => {
    const fonts = await chartFonts(t.skip);
    const width = fontWidths(await readFile(fonts.files[0]!))!;
    expect(width('国', 12)).toBe(12);
    expect(fontWidths(Buffer.from('not a font at all, only text'))).toBeNull();
    expect(fontWidths(new Uint8Array())).toBeNull();
  });

  it('reads the size and weight of the fonts zrender asks for', () => {
    expect(fontOf('bold 17px DejaVu Sans, sans-serif')).toEqual({ px: 17, bold: true });
    expect(fontOf('12px sans-serif')).toEqual({ px: 12, bold: false });
    expect(fontOf('normal 600 13.5px Arial')).toEqual({ px: 13.5, bold: true });
    expect(fontOf(undefined)).toEqual({ px: 12, bold: false });
  });

  it('splits a legend row too wide for the image into lines within it, none over another', async (t) => {
    const fonts = await chartFonts(t.skip);
    const settings = defaultSettings({ fileSize: 10_000, timeoutMs: 10, repeat: 2, seed: 5 });
    const study = (startedAt: string) => {
      const result = emptyStudyResult(labStudy(3), settings, startedAt);
      return {
        ...result,
        points: result.points.map((point) =>
          withRun(withRoundTime(point, 0.15, settings), {
            run: 0,
            ok: true,
            delayMs: 50,
            timeoutRounds: 3,
            seeds: [1],
          }),
        ),
      };
    };
    const earlier = ['2024-12-29T09:30:00.000Z', '2024-12-30T09:30:00.000Z', '2024-12-31T09:30:00.000Z'];
    const option = studyChartOption(study('2025-01-01T10:00:00.000Z'), { compare: earlier.map(study) });
    // Installs the fonts' widths, as the first PNG of a process does.
    const png = await chartPng(option);
    const { svg, height } = pngSvg(option, CHART_WIDTH, CHART_HEIGHT);
    // One row of seven items, wider than 960 px: two lines, the image one line taller (the plot keeps its size).
    expect(height).toBe(CHART_HEIGHT + LEGEND_ROW);
    expect(png.readUInt32BE(20)).toBe(2 * height);

    const width = fontWidths(await readFile(fonts.files[0]!))!;
    const names = [
      'Measured mean',
      'Min-max of runs',
      'Model E[delay]',
      'Model ± sd of a run',
      ...earlier.map((e) => `Mean, run of ${e.slice(0, 16).replace('T', ' ')} UTC`),
    ];
    // Each legend item: a group at translate(x y), its text 30 px in.
    const items = names.map((name) => {
      const at = new RegExp(
        `x="30" y="7" transform="translate\\(([\\d.]+) ([\\d.]+)\\)"[^>]*>${name.replace(/[[\]()±]/g, '.')}<`,
      ).exec(svg);
      expect(at, name).not.toBeNull();
      return { name, x: Number(at![1]), y: Number(at![2]), end: Number(at![1]) + 30 + width(name, 12) };
    });
    const lines = [...new Set(items.map((i) => i.y))].sort((a, b) => a - b);
    expect(lines).toHaveLength(2);
    // A line apart (each line's box is as tall as its tallest icon), the 14-px items clear of each other.
    expect(lines[1]! - lines[0]!).toBeGreaterThanOrEqual(LEGEND_ROW - 2);
    for (const y of lines) {
      const line = items.filter((i) => i.y === y).sort((a, b) => a.x - b.x);
      expect(line[0]!.x).toBeGreaterThanOrEqual(0);
      expect(line.at(-1)!.end).toBeLessThanOrEqual(CHART_WIDTH);
      for (let k = 1; k < line.length; k++) expect(line[k]!.x - line[k - 1]!.end).toBeGreaterThanOrEqual(10);
    }
    // Under the x axis' name, not on it.
    const axisName = /transform="translate\(([\d.]+) ([\d.]+)\)"[^>]*>Loss probability p</.exec(svg);
    expect(Number(axisName![2]) + 12).toBeLessThan(lines[0]!);
  });
});
