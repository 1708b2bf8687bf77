// The CSS variables the Experiments charts take their colours from (styles.css, per theme): read by
// chartPalette.ts, and by test/e2e/experiments.test.ts, which holds them to their contrast on the chart in both
// themes. No DOM here, so the Node-side tests can import it.
import { LIGHT_CHART, type ChartPalette } from '../../../shared/lab/chart';

export type Single = Exclude<keyof ChartPalette, 'compare' | 'protocols'>;

export const CHART_VARS: Record<Single, string> = {
  background: '--chart-bg',
  text: '--chart-text',
  muted: '--chart-muted',
  axis: '--chart-axis',
  grid: '--chart-grid',
  inactive: '--chart-inactive',
  measured: '--chart-measured',
  model: '--chart-model',
  band: '--chart-band',
  shared: '--chart-shared',
};

const listVars = (name: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `--chart-${name}-${i + 1}`);
export const CHART_LIST_VARS = {
  compare: listVars('compare', LIGHT_CHART.compare.length),
  protocols: listVars('protocol', LIGHT_CHART.protocols.length),
} as const;
