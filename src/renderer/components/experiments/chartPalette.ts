// The Experiments charts' colours in the page's theme: CSS variables (styles.css, --chart-* per theme), read when
// a chart is drawn and again whenever the theme changes, so one chart serves both themes. ECharts draws on a
// canvas, which cannot take var() or currentColor itself. Where a variable is missing (happy-dom has no
// stylesheet), LIGHT_CHART's colour: the exported PNG's.
import { useEffect, useState } from 'react';
import { LIGHT_CHART, type ChartPalette } from '../../../shared/lab/chart';
import { CHART_LIST_VARS, CHART_VARS, type Single } from './chartVars';

/** The chart colours the CSS gives `element` (the page's root: the variables are the theme's). */
export function readChartPalette(element: Element): ChartPalette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const singles = Object.fromEntries(
    (Object.entries(CHART_VARS) as [Single, string][]).map(([key, name]) => [
      key,
      read(name, LIGHT_CHART[key]),
    ]),
  ) as Record<Single, string>;
  return {
    ...singles,
    compare: CHART_LIST_VARS.compare.map((name, i) => read(name, LIGHT_CHART.compare[i]!)),
    protocols: CHART_LIST_VARS.protocols.map((name, i) => read(name, LIGHT_CHART.protocols[i]!)),
  };
}

/** The theme's chart colours, read again when the theme changes (App sets data-theme on the root). */
export function useChartPalette(): ChartPalette {
  const [palette, setPalette] = useState(() => readChartPalette(document.documentElement));
  useEffect(() => {
    const root = document.documentElement;
    const observer = new MutationObserver(() => {
      const now = readChartPalette(root);
      setPalette((before) => (JSON.stringify(before) === JSON.stringify(now) ? before : now));
    });
    observer.observe(root, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return palette;
}
