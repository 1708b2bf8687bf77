// The charts' tooltip built as nodes for ECharts (the CSP-safe stand-in for its HTML string): what each node
// says, and the marker coloured through CSSOM. In Chromium, with the CSP, see test/e2e/experiments.test.ts.
import type { DefaultLabelFormatterCallbackParams, TooltipComponentFormatterCallback } from 'echarts';
import { describe, expect, it } from 'vitest';
import { domTooltip } from '../../src/renderer/components/experiments/chartTooltip';

type Params = DefaultLabelFormatterCallbackParams & { axisValueLabel: string };

const point = (seriesName: string, color: string, value: Params['value'], y?: number[]): Params => ({
  componentType: 'series',
  componentSubType: 'line',
  componentIndex: 0,
  name: '3',
  dataIndex: 1,
  data: value,
  value,
  seriesName,
  color,
  encode: y ? { x: [0], y } : undefined,
  axisValueLabel: '3',
  $vars: [],
});

describe('the chart tooltip', () => {
  it('shows the axis value, then each series with its coloured marker and its value', () => {
    const tooltip = domTooltip({
      trigger: 'axis',
      valueFormatter: (value) => (typeof value === 'number' ? `${value} s` : '-'),
    });
    expect(tooltip).toMatchObject({ trigger: 'axis', className: 'chart-tooltip' });
    const format = tooltip.formatter as TooltipComponentFormatterCallback<Params[]>;
    const nodes = format(
      [
        point('Measured mean', '#1f5fbf', 0.057),
        point('Min-max of runs', '#1f5fbf', [1, 0.052, 0.062], [1, 2]),
        point('Model E[delay]', '#d9480f', null),
      ],
      '',
    ) as HTMLElement[];

    expect(nodes.map((node) => node.className)).toEqual([
      'chart-tooltip-title',
      'chart-tooltip-row',
      'chart-tooltip-row',
      'chart-tooltip-row',
    ]);
    expect(nodes[0]!.textContent).toBe('3');
    const rows = nodes.slice(1).map((row) => ({
      marker: row.querySelector<HTMLElement>('.chart-tooltip-marker')!.style.backgroundColor,
      name: row.querySelector('.chart-tooltip-name')!.textContent,
      value: row.querySelector('.chart-tooltip-value')!.textContent,
    }));
    expect(rows).toEqual([
      { marker: '#1f5fbf', name: 'Measured mean', value: '0.057 s' },
      { marker: '#1f5fbf', name: 'Min-max of runs', value: '0.052 s – 0.062 s' },
      { marker: '#d9480f', name: 'Model E[delay]', value: '-' },
    ]);
  });
});
