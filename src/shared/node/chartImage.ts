// Charts as files, without a browser: ECharts renders the option to SVG server-side, resvg turns SVG into PNG.
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { renderAsync } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';

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

/**
 * A PNG renderer whose fonts are looked up on its first image and reused by every later one. resvg draws on
 * libuv's thread pool, so the calling thread (Electron's main process) only builds the SVG.
 */
export function chartPngRenderer(lookUpFonts: () => Promise<ChartFonts | null> = findChartFonts): ChartPng {
  let fonts: Promise<ChartFonts | null> | undefined;
  return async (option, width = CHART_WIDTH, height = CHART_HEIGHT, scale = 2) => {
    fonts ??= lookUpFonts();
    const found = await fonts;
    const svg = chartSvg(option, width, height);
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
