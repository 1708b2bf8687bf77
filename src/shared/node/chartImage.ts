// Charts as files, without a browser: ECharts renders the option to SVG server-side, resvg turns SVG into PNG.
import { Resvg } from '@resvg/resvg-js';
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

/** PNG at `scale` x the chart's size (2: sharp on a projector and in a report). */
export function chartPng(
  option: EChartsOption,
  width = CHART_WIDTH,
  height = CHART_HEIGHT,
  scale = 2,
): Buffer {
  const svg = chartSvg(option, width, height);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    // System fonts (Debian: fonts-dejavu-core); without any, the PNG has the chart but no text.
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
