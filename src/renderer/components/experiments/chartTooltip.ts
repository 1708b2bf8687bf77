// The charts' tooltip as DOM nodes. ECharts' own tooltip content is an HTML string laid out, series markers
// included, with style="..." attributes, which the app's CSP (style-src 'self') refuses: the markers vanish and
// every hover logs violations. Here the layout is class names (styles.css) and each marker's series colour is
// set through CSSOM, which the CSP allows.
import type { DefaultLabelFormatterCallbackParams, TooltipComponentOption } from 'echarts';

type ValueFormatter = NonNullable<TooltipComponentOption['valueFormatter']>;
type Value = Parameters<ValueFormatter>[0];
/** An axis tooltip's params also carry the axis value as the axis shows it. */
type Params = DefaultLabelFormatterCallbackParams & { axisValueLabel?: string };

/** `tooltip` drawn as DOM nodes, its values still formatted by its own `valueFormatter`. */
export function domTooltip(tooltip: TooltipComponentOption): TooltipComponentOption {
  const format: ValueFormatter = tooltip.valueFormatter ?? ((value) => String(value ?? '-'));
  return {
    ...tooltip,
    className: 'chart-tooltip',
    // Inside the chart, whose box clips: near an edge the tooltip moves in rather than being cut off.
    confine: true,
    formatter: (params) => {
      const list: Params[] = Array.isArray(params) ? params : [params];
      const title = list[0]?.axisValueLabel;
      return [
        ...(title ? [element('div', 'chart-tooltip-title', title)] : []),
        ...list.map((item) => row(item, format)),
      ];
    },
  };
}

function row(params: Params, format: ValueFormatter): HTMLElement {
  const marker = element('span', 'chart-tooltip-marker');
  if (typeof params.color === 'string') marker.style.backgroundColor = params.color;
  const line = element('div', 'chart-tooltip-row');
  line.append(
    marker,
    element('span', 'chart-tooltip-name', params.seriesName ?? ''),
    element('span', 'chart-tooltip-value', formatValue(params, format)),
  );
  return line;
}

/** A series drawn from several values per point (the min-max bars: y from two dimensions) shows each of them. */
function formatValue({ value, encode, dataIndex }: Params, format: ValueFormatter): string {
  if (!Array.isArray(value)) return format(value as Value, dataIndex);
  return (encode?.['y'] ?? []).map((dim) => format(value[dim] as Value, dataIndex)).join(' – ');
}

function element(tag: 'div' | 'span', className: string, text = ''): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}
