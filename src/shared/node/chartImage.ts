// Charts as files, without a browser: ECharts renders the option to SVG server-side, resvg turns SVG into PNG.
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { renderAsync } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import { LEGEND_ROW, legendLayout, legendLines, type LegendItem } from '../lab/chart.js';
import { fontWidths } from './fontMetrics.js';

export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 560;

export function chartSvg(option: EChartsOption, width = CHART_WIDTH, height = CHART_HEIGHT): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false });
    return chart.renderToSVGString();
  } finally {
    // Without dispose, zrender's animation loop keeps the process alive.
    chart.dispose();
  }
}

/** One font family's files (regular and bold faces) for the charts' text. */
export interface ChartFonts {
  family: string;
  files: string[];
}

/**
 * The families the charts ask for (studyChartOption's fontFamily), in that order, by their files' names in
 * lower case: Debian's fonts-dejavu-core, Liberation on other Linux systems, Arial on Windows and macOS.
 */
const FAMILIES: readonly (readonly [family: string, files: readonly string[]])[] = [
  ['DejaVu Sans', ['dejavusans.ttf', 'dejavusans-bold.ttf']],
  ['Liberation Sans', ['liberationsans-regular.ttf', 'liberationsans-bold.ttf']],
  ['Arial', ['arial.ttf', 'arialbd.ttf', 'arial bold.ttf']],
];

function fontDirectories(): string[] {
  const home = homedir();
  const windows = process.env['WINDIR'] ?? 'C:\\Windows';
  return [
    '/usr/share/fonts',
    '/usr/local/share/fonts',
    join(home, '.local/share/fonts'),
    join(home, '.fonts'),
    '/System/Library/Fonts',
    '/Library/Fonts',
    join(home, 'Library/Fonts'),
    join(windows, 'Fonts'),
  ];
}

/**
 * The first of FAMILIES installed here, found by file name: listing the font folders is cheap, where resvg's
 * loadSystemFonts parses every installed font, and did so for each image. Null when none is installed.
 */
export async function findChartFonts(directories = fontDirectories()): Promise<ChartFonts | null> {
  const wanted = new Set(FAMILIES.flatMap(([, files]) => files));
  const found = new Map<string, string>();
  for (const directory of directories) {
    const entries = await readdir(directory, { recursive: true }).catch(() => []);
    for (const entry of entries) {
      const name = basename(entry).toLowerCase();
      if (wanted.has(name) && !found.has(name)) found.set(name, join(directory, entry));
    }
  }
  for (const [family, files] of FAMILIES) {
    const paths = files.flatMap((file) => found.get(file) ?? []);
    if (paths.length > 0) return { family, files: paths };
  }
  return null;
}

export type ChartPng = (
  option: EChartsOption,
  width?: number,
  height?: number,
  scale?: number,
) => Promise<Buffer>;

/** A legend item's width: its icon (ECharts' itemWidth, 25), 5 px, its text. */
const ICON_AND_GAP = 30;
/** Room either side of the legend's lines. */
const LEGEND_MARGIN = 24;

/**
 * The chart with each legend row that is wider than the image split into lines that fit (ECharts would wrap it
 * onto the rows above and below it: each row has its own height), measured as ECharts measures them; the image
 * grows by the lines added, so the plot keeps its size. `extra` is that growth, in px.
 */
export function fitLegend(option: EChartsOption, width: number): { option: EChartsOption; extra: number } {
  const rows = (Array.isArray(option.legend) ? option.legend : option.legend ? [option.legend] : []) as {
    data?: LegendItem[];
    itemGap?: number;
  }[];
  const family = (option.textStyle as { fontFamily?: string } | undefined)?.fontFamily ?? 'sans-serif';
  const lines = legendLines(
    rows.map((row) => row.data ?? []),
    width - 2 * LEGEND_MARGIN,
    rows[0]?.itemGap ?? 10,
    (name) => ICON_AND_GAP + echarts.format.getTextRect(name, `12px ${family}`).width,
  );
  if (lines.length === rows.length) return { option, extra: 0 };
  const { legends, gridBottom } = legendLayout(lines);
  return {
    option: { ...option, legend: legends, grid: { ...(option.grid as object), bottom: gridBottom } },
    extra: (lines.length - rows.length) * LEGEND_ROW,
  };
}

/** The SVG a PNG is drawn from: its legend fitted to the width, its height grown by the lines that took. */
export function pngSvg(
  option: EChartsOption,
  width: number,
  height: number,
): { svg: string; height: number } {
  const fitted = fitLegend(option, width);
  return { svg: chartSvg(fitted.option, width, height + fitted.extra), height: height + fitted.extra };
}

/** A CSS font's size in px and whether it is bold, as zrender writes it ("bold 17px DejaVu Sans, ..."). */
export function fontOf(css = ''): { px: number; bold: boolean } {
  const size = /(\d*\.?\d+)px/.exec(css);
  return { px: size ? Number(size[1]) : 12, bold: /\b(bold|bolder|[6-9]00)\b/.test(css) };
}

/**
 * Lays the charts' text out with the widths the PNG draws it with: those of the fonts resvg is given (ECharts
 * measures through one process-wide hook, its platform API). A face whose file cannot be read keeps ECharts'
 * estimate; a missing bold face is measured as the regular one, a little narrow.
 */
async function measureWith(fonts: ChartFonts): Promise<void> {
  const faces = await Promise.all(
    fonts.files.map(async (file) => ({
      bold: /bold|bd\.ttf$/i.test(basename(file)),
      width: fontWidths(await readFile(file).catch(() => new Uint8Array())),
    })),
  );
  const regular = faces.find((f) => !f.bold)?.width;
  if (!regular) return;
  const bold = faces.find((f) => f.bold)?.width ?? regular;
  echarts.setPlatformAPI({
    measureText: (text, css) => {
      const font = fontOf(css);
      return { width: (font.bold ? bold : regular)(text, font.px) };
    },
  });
}

/**
 * A PNG renderer whose fonts are looked up on its first image and reused by every later one. resvg draws on
 * libuv's thread pool, so the calling thread (Electron's main process) only builds the SVG.
 */
export function chartPngRenderer(lookUpFonts: () => Promise<ChartFonts | null> = findChartFonts): ChartPng {
  let fonts: Promise<ChartFonts | null> | undefined;
  return async (option, width = CHART_WIDTH, height = CHART_HEIGHT, scale = 2) => {
    fonts ??= lookUpFonts().then(async (found) => {
      if (found) await measureWith(found);
      return found;
    });
    const found = await fonts;
    const { svg } = pngSvg(option, width, height);
    const image = await renderAsync(svg, {
      fitTo: { mode: 'zoom', value: scale },
      background: '#ffffff',
      // None of FAMILIES installed: every system font, slow but with text (without fonts, a chart has none).
      font: found
        ? {
            loadSystemFonts: false,
            fontFiles: found.files,
            defaultFontFamily: found.family,
            sansSerifFamily: found.family,
          }
        : { loadSystemFonts: true },
    });
    return image.asPng();
  };
}

/** PNG at `scale` x the chart's size (2: sharp on a projector and in a report); one font lookup per process. */
export const chartPng = chartPngRenderer();
