// The ECharts runtime the Experiments screen uses, and only that: the core, the two series types the study
// chart draws (lines for the means, the model and its band; a custom series for the min-max bars), the axis
// grid, legend and tooltip, and the canvas renderer. Importing `echarts` whole would bundle every chart type.
// Kept in its own module so component tests can stand in for it (happy-dom has no canvas).
import { CustomChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { format, init, use as register, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

register([LineChart, CustomChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type Chart = Pick<ECharts, 'setOption' | 'resize' | 'dispose'>;

export function createChart(element: HTMLElement): Chart {
  return init(element, null, { renderer: 'canvas' });
}

/** A text's width (px) in a CSS font, measured as ECharts lays it out. */
export function textWidth(text: string, font: string): number {
  return format.getTextRect(text, font).width;
}
