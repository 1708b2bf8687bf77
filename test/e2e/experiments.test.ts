// The Experiments screen in real Chromium against the real lab engine on loopback: a reduced grid of the course's
// three studies (set in the settings file, as a teacher would for a quick demonstration) run from the UI with a
// short timeout, live progress, charts and tables filled in, CSV exported, an earlier run drawn over the charts,
// and the window study with its two charts of one line per protocol.
// The screenshot goes to test-results/experiments.png for review.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/shared/lab/csv.js';
import { isWindowed } from '../../src/shared/lab/protocolModel.js';
import {
  defaultSettings,
  emptyStudyResult,
  withRoundTime,
  withRun,
  type LabRecord,
  type StudyResult,
} from '../../src/shared/lab/results.js';
import { labStudy, type StudyId } from '../../src/shared/lab/studies.js';
import { labEnvironment, saveLabRecord } from '../../src/shared/node/lab.js';
import { PROTOCOLS } from '../../src/shared/limits.js';
import { CHART_LIST_VARS, CHART_VARS } from '../../src/renderer/components/experiments/chartVars.js';
import { chromiumMissing, SHOTS, useBrowserApp } from './harness.js';
import { contrast } from './contrast.js';

const GRID = { '1': [1, 3, 5], '2': [200, 500, 1000], '3': [0.02, 0.05, 0.1], '5': [2, 8] };
/** Study 5 on that grid: stop-and-wait's reference, and each windowed protocol at W 2 and 8. */
const WINDOW_POINTS = 1 + 2 * PROTOCOLS.filter(isWindowed).length;

if (chromiumMissing) console.log(`[e2e] skipped: ${chromiumMissing}`);

/**
 * Records every phase and ETA the progress panel shows, so a fast run's live states are not missed. A script
 * string: this file is type-checked without the DOM library.
 */
const WATCH_PROGRESS = `(() => {
  const seen = { phases: [], etas: [] };
  globalThis.__labSeen = seen;
  const look = () => {
    const phase = document.querySelector('.lab-progress')?.dataset.phase;
    if (phase && seen.phases.at(-1) !== phase) seen.phases.push(phase);
    const eta = document.querySelector('[data-testid=lab-eta]')?.textContent;
    if (eta && /\\d/.test(eta)) seen.etas.push(eta);
  };
  new MutationObserver(look).observe(document.body, {
    subtree: true, childList: true, attributes: true, characterData: true,
  });
})()`;

const seen = (page: Page) =>
  page.evaluate(
    () => (globalThis as unknown as { __labSeen: { phases: string[]; etas: string[] } }).__labSeen,
  );

/** A saved run of `studies` as the lab would leave it: every point measured three times, close to its model. */
function labRecord(createdAt: string, studies: StudyId[], scale = 1): LabRecord {
  const settings = defaultSettings({ fileSize: 20_480, timeoutMs: 10, repeat: 3, seed: 3 });
  const measured = (id: StudyId): StudyResult => {
    const study = emptyStudyResult(labStudy(id), settings, createdAt);
    const points = study.points.map((empty, i) => {
      let point = withRoundTime(empty, 0.3, settings);
      const expected = point.model?.expectedMs ?? 40 + 8 * i;
      for (const [run, factor] of [0.85, 1, 1.2].entries())
        point = withRun(point, {
          run,
          ok: true,
          delayMs: expected * factor * scale,
          timeoutRounds: 2,
          retransmissions: Math.round(point.point.p * point.point.n * point.segments * (1 + (0.4 * i) / 10)),
          seeds: [1, 2, 3],
        });
      return point;
    });
    return { ...study, points, finishedAt: createdAt };
  };
  return {
    format: 'p2mp-lab',
    version: 1,
    createdAt,
    settings,
    environment: labEnvironment(),
    cancelled: false,
    studies: studies.map(measured),
  };
}

/** The charts' colours as the page's theme gives them (the --chart-* variables), and the panel's, as [r, g, b]. */
const CHART_COLOURS = `(() => {
  const vars = { panel: '--panel', ...${JSON.stringify(CHART_VARS)} };
  ${JSON.stringify(CHART_LIST_VARS.protocols)}.forEach((name, i) => (vars['protocol' + (i + 1)] = name));
  ${JSON.stringify(CHART_LIST_VARS.compare)}.forEach((name, i) => (vars['compare' + (i + 1)] = name));
  const probe = document.createElement('span');
  document.body.append(probe);
  const out = {};
  for (const [key, name] of Object.entries(vars)) {
    probe.style.color = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    out[key] = getComputedStyle(probe).color.match(/[\\d.]+/g).slice(0, 3).map(Number);
  }
  probe.remove();
  return out;
})()`;

/**
 * What a chart's canvas shows: the colour of its corner (the chart's background), how many pixels stand out from
 * it at 4.5:1 or more (text and lines), and how many are each of `colours` (within a few levels: antialiasing).
 */
const canvasPixels = (testId: string, colours: Record<string, number[]>): string => `(() => {
  const canvas = document.querySelector('[data-testid=${testId}] canvas');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const lum = (r, g, b) => {
    const lin = (c) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const corner = [data[0], data[1], data[2]];
  const back = lum(...corner);
  const colours = ${JSON.stringify(colours)};
  const counts = Object.fromEntries(Object.keys(colours).map((k) => [k, 0]));
  let strong = 0;
  for (let i = 0; i < data.length; i += 4) {
    const l = lum(data[i], data[i + 1], data[i + 2]);
    if ((Math.max(l, back) + 0.05) / (Math.min(l, back) + 0.05) >= 4.5) strong++;
    for (const [k, c] of Object.entries(colours))
      if (c.every((v, j) => Math.abs(data[i + j] - v) <= 6)) counts[k]++;
  }
  return { corner, strong, counts };
})()`;

/** What LEGEND_AND_PLOT finds on a chart's canvas, in px from its top. */
interface LegendAndPlot {
  /** The plot's top: its highest grid line. */
  plotTop: number;
  /**
   * The lowest row with anything drawn right of the value axis's labels, above the plot's top line and the two rows
   * its antialiasing takes: the legend's foot. A legend running into the plot ends a row or two above that.
   */
  legendFoot: number;
  /**
   * Pixels of the legend's greyed-out page arrow (drawn only when keys are hidden behind it): inside a 3x3 block of
   * the inactive colour, which text's antialiasing in a grey of its own does not make.
   */
  pager: number;
}

/** Finds the legend and the plot on a chart's canvas, from the theme's grid and inactive colours ([r, g, b]). */
const legendAndPlot = (testId: string, grid: number[], inactive: number[]): string => `(() => {
  const canvas = document.querySelector('[data-testid=${testId}] canvas');
  const { width, height } = canvas;
  const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  const near = (i, c) => c.every((v, j) => Math.abs(data[i + j] - v) <= 6);
  const back = [data[0], data[1], data[2]];
  let plotTop = -1;
  let left = 0;
  for (let y = 0; y < height && plotTop < 0; y++) {
    let run = 0;
    for (let x = 0; x < width; x++) if (near((y * width + x) * 4, ${JSON.stringify(grid)})) run++;
    if (run > width / 2) {
      plotTop = y;
      // The line's start, not a grid-coloured pixel of the tick label beside it.
      const line = (x) => Array.from({ length: 20 }, (_, k) => x + k).every((k) => near((y * width + k) * 4, ${JSON.stringify(grid)}));
      while (!line(left)) left++;
    }
  }
  let legendFoot = -1;
  let pager = 0;
  for (let y = 0; y < plotTop; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (y > 0 && x > 0 && [-1, 0, 1].every((dy) => [-1, 0, 1].every((dx) =>
        near(i + (dy * width + dx) * 4, ${JSON.stringify(inactive)})))) pager++;
      if (y < plotTop - 2 && x >= left && !near(i, back)) legendFoot = y;
    }
  return { plotTop, legendFoot, pager };
})()`;

/** The Experiments tab with two saved runs of studies 1 and 4 (the earlier one 1.25 times slower). */
async function withTwoRuns(browser: ReturnType<typeof useBrowserApp>): Promise<Page> {
  const { page, services, userData } = await browser.open();
  const records = join(userData, 'lab-records');
  saveLabRecord(records, labRecord('2026-03-01T09:00:00.000Z', [1, 4], 1.25));
  saveLabRecord(records, labRecord('2026-03-01T10:00:00.000Z', [1, 4]));
  await services.settings.update({ mode: 'experiments' });
  await page.reload();
  await page.getByRole('tab', { name: 'Experiments', selected: true }).waitFor();
  return page;
}

describe.skipIf(chromiumMissing !== null)('experiments in Chromium', () => {
  const browser = useBrowserApp('lab');

  // The charts stayed white in the dark theme (black text and a white box on the dark panel): they now take the
  // theme's colours, background, text, axes, grid, series and tooltip, switching with it. The exported PNG keeps
  // the light chart (test/main/lab.test.ts).
  it('draws the charts in the theme: background, text, axes and series readable in light and dark', async () => {
    const page = await withTwoRuns(browser);
    const course = page.getByTestId('study-chart-1');
    await expect.poll(() => course.getAttribute('data-measured')).toBe('5');
    const compare = page.getByLabel('Compare with');
    await expect.poll(() => compare.locator('option').count()).toBe(2);
    await compare.selectOption({ index: 1 });
    await expect.poll(() => course.getAttribute('data-compared')).toBe('1');

    const failures: string[] = [];
    const check = (what: string, ok: boolean): void => void (ok || failures.push(what));
    for (const theme of ['light', 'dark'] as const) {
      await page.getByLabel('Theme').selectOption(theme);
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.waitForTimeout(300); // the charts redrawn
      const colours = await page.evaluate<Record<string, number[]>>(CHART_COLOURS);
      const background = colours['background']!;
      // The chart sits on the panel as the rest of the screen does; its text reads at 4.5:1, its lines at 3:1.
      check(
        `${theme}: chart background ${background} is the panel's ${colours['panel']}`,
        contrast(background, colours['panel']!) < 1.05,
      );
      for (const key of ['text', 'muted'])
        check(`${theme} ${key} 4.5:1`, contrast(colours[key]!, background) >= 4.5);
      for (const key of [
        'axis',
        'measured',
        'model',
        'shared',
        'protocol1',
        'protocol2',
        'protocol3',
        'protocol4',
        'protocol5',
        'compare1',
        'compare2',
        'compare3',
        'compare4',
      ])
        check(
          `${theme} ${key} 3:1 (${contrast(colours[key]!, background).toFixed(2)})`,
          contrast(colours[key]!, background) >= 3,
        );

      // What the canvases draw: the background, text and lines standing out from it, each series in its colour.
      const drawn = {
        'study-chart-1': {
          measured: colours['measured']!,
          model: colours['model']!,
          compare1: colours['compare1']!,
        },
        'study-chart-4': {
          protocol1: colours['protocol1']!,
          protocol2: colours['protocol2']!,
          protocol3: colours['protocol3']!,
        },
        'study-chart-4-transmissions': {
          protocol1: colours['protocol1']!,
          protocol2: colours['protocol2']!,
          protocol3: colours['protocol3']!,
        },
      };
      for (const [chart, series] of Object.entries(drawn)) {
        await page.getByTestId(chart).scrollIntoViewIfNeeded();
        const seen = await page.evaluate<{
          corner: number[];
          strong: number;
          counts: Record<string, number>;
        }>(canvasPixels(chart, series));
        console.log(`[chart ${theme}] ${chart} ${JSON.stringify(seen)}`);
        check(
          `${theme} ${chart}: corner ${seen.corner} is the panel's ${colours['panel']}`,
          contrast(seen.corner, colours['panel']!) < 1.05,
        );
        check(`${theme} ${chart}: text and lines at 4.5:1 (${seen.strong} px)`, seen.strong > 1500);
        for (const [name, count] of Object.entries(seen.counts))
          check(`${theme} ${chart}: ${name} drawn (${count} px)`, count > 40);
      }

      // The tooltip: the chart's background and text.
      await course.scrollIntoViewIfNeeded();
      const box = (await course.boundingBox())!;
      await course.hover({ position: { x: box.width / 2, y: box.height / 2 } });
      const tooltip = course.locator('.chart-tooltip');
      await tooltip.waitFor();
      type Css = { getComputedStyle(element: unknown): { backgroundColor: string; color: string } };
      const rgb = (css: string): number[] =>
        css
          .match(/[\d.]+/g)!
          .slice(0, 3)
          .map(Number);
      const tipBack = rgb(
        await tooltip.evaluate((e) => (globalThis as unknown as Css).getComputedStyle(e).backgroundColor),
      );
      const value = rgb(
        await tooltip
          .locator('.chart-tooltip-value')
          .first()
          .evaluate((e) => (globalThis as unknown as Css).getComputedStyle(e).color),
      );
      check(`${theme}: tooltip background ${tipBack} is the chart's`, contrast(tipBack, background) < 1.05);
      check(`${theme}: tooltip value 4.5:1`, contrast(value, tipBack) >= 4.5);
      await page.screenshot({ path: join(SHOTS, `experiments-chart-tooltip-${theme}.png`), clip: box });
      await page.mouse.move(0, 0);

      // For review: the charts on a projector, a laptop and a small window.
      for (const [width, height] of [
        [1920, 1080],
        [1280, 720],
        [1024, 640],
      ] as const) {
        await page.setViewportSize({ width, height });
        await page.waitForTimeout(200);
        await course.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SHOTS, `experiments-chart-${width}-${theme}.png`) });
        await page.getByTestId('study-chart-4').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SHOTS, `experiments-chart-protocols-${width}-${theme}.png`) });
      }
    }
    expect(failures).toEqual([]);
  }, 90_000);

  // Compared with an earlier run, the legend gained keys on lines already full: ECharts paged them, "1/3" beside the
  // course chart's first line at 1280x720, the earlier run's keys hidden behind an arrow. Each line now wraps to
  // the chart's width, and the plot starts under the last.
  it('compared with an earlier run, every legend key shows above the plot, none paged', async () => {
    const page = await withTwoRuns(browser);
    const compare = page.getByLabel('Compare with');
    await expect.poll(() => compare.locator('option').count()).toBe(2);
    await compare.selectOption({ index: 1 });
    await expect.poll(() => page.getByTestId('study-chart-1').getAttribute('data-compared')).toBe('1');

    const failures: string[] = [];
    for (const [theme, largeType] of [
      ['light', false],
      ['dark', false],
      ['light', true],
    ] as const) {
      await page.getByLabel('Theme').selectOption(theme);
      await page.getByLabel('Large type').setChecked(largeType);
      const colours = await page.evaluate<Record<string, number[]>>(CHART_COLOURS);
      // A projector's two sizes, and a small window.
      for (const [width, height] of [
        [1280, 720],
        [1920, 1080],
        [800, 600],
      ] as const) {
        await page.setViewportSize({ width, height });
        await page.waitForTimeout(300); // the charts redrawn
        for (const chart of ['study-chart-1', 'study-chart-4', 'study-chart-4-transmissions']) {
          const element = page.getByTestId(chart);
          await element.scrollIntoViewIfNeeded();
          const seen = await page.evaluate<LegendAndPlot>(
            legendAndPlot(chart, colours['grid']!, colours['inactive']!),
          );
          const name = `${chart} ${width}x${height} ${theme}${largeType ? ' large type' : ''}`;
          console.log(`[legend] ${name} ${JSON.stringify(seen)}`);
          if (seen.pager > 0) failures.push(`${name}: paged (${seen.pager} px of page arrow)`);
          if (seen.legendFoot >= seen.plotTop - 4)
            failures.push(`${name}: legend down to ${seen.legendFoot}, plot from ${seen.plotTop}`);
          if (theme === 'light')
            await page.screenshot({
              path: join(SHOTS, `experiments-legend-${chart}-${width}${largeType ? '-large' : ''}.png`),
              clip: (await element.boundingBox())!,
            });
        }
      }
    }
    expect(failures).toEqual([]);
  }, 90_000);

  // Large type on a 1280x720 projector: the table kept its 23rem beside the chart, which was left 215 px wide, its
  // legend paged to "Measured mea… 1/4" (nothing said what the dashed line and the band were).
  it('with Large type on a 1280x720 projector, a study chart has the width of the results', async () => {
    const { page, services } = await browser.open();
    await services.settings.update({ labGrid: { '1': [1, 3] }, mode: 'experiments', largeType: true });
    await page.reload();
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByRole('tab', { name: 'Experiments', selected: true }).waitFor();
    await page.getByLabel('Study', { exact: true }).selectOption('1');
    await page.getByLabel('Repeat K').fill('1');
    await page.getByLabel('Timeout T').fill('0.005');
    await page.getByLabel('Size').fill('10');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.locator('.lab-progress[data-phase=done]').waitFor({ timeout: 90_000 });
    const chart = page.getByTestId('study-chart-1');
    await chart.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'experiments-large-type-1280.png') });
    const results = (await page.locator('.study-result').first().boundingBox())!;
    const box = (await chart.boundingBox())!;
    expect(box.width).toBeGreaterThan(0.9 * results.width);
  }, 120_000);

  it('runs a reduced study from the UI to the end: live progress, charts, tooltip, tables, CSV, comparison', async () => {
    const { page, services, desktop } = await browser.open();
    await services.settings.update({ labGrid: GRID, mode: 'experiments' });
    await page.reload();
    // The page shows its default mode until the settings arrive: wait for them, however busy the machine.
    await page.getByRole('tab', { name: 'Experiments', selected: true }).waitFor();
    await page.getByTestId('lab-grid').waitFor();

    // The form: the course's three studies, K = 2, T = 5 ms, a generated 20 KiB file, a fixed seed.
    expect(await page.getByLabel('Study', { exact: true }).inputValue()).toBe('course');
    expect(await page.getByLabel('Repeat K').inputValue()).toBe('5');
    expect(await page.getByLabel('Timeout T').inputValue()).toBe('0.01');
    await page.getByLabel('Repeat K').fill('2');
    await page.getByLabel('Timeout T').fill('0.005');
    await page.getByLabel('Size').fill('20');
    await page.getByLabel('Random seed').fill('3');
    await page.evaluate(WATCH_PROGRESS);
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    // For review: the screen mid-run (when the run is not already over by then).
    await page
      .locator('.lab-progress[data-phase=running], .lab-progress[data-phase=done]')
      .first()
      .waitFor({ timeout: 90_000 });
    await page.screenshot({ path: join(SHOTS, 'experiments-live.png'), fullPage: true });
    // However busy the machine (a bound on time, not a measure of it: the lab's speed is the bench's business).
    await page.locator('.lab-progress[data-phase=done]').waitFor({ timeout: 90_000 });
    const live = await seen(page);
    expect(live.phases).toEqual(expect.arrayContaining(['calibrating', 'running', 'done']));
    expect(live.etas.length).toBeGreaterThan(0);
    expect(
      await page.getByRole('progressbar', { name: 'Experiment progress' }).getAttribute('aria-valuenow'),
    ).toBe('100');

    // Each study: a chart with every point measured, a table with a mean per row.
    for (const study of [1, 2, 3]) {
      const chart = page.getByTestId(`study-chart-${study}`);
      expect(await chart.getAttribute('data-measured')).toBe('3');
      const canvas = chart.locator('canvas');
      expect(await canvas.count()).toBeGreaterThan(0);
      expect((await canvas.first().boundingBox())!.width).toBeGreaterThan(300);
      const means = await page.getByTestId(`study-table-${study}`).getByTestId('mean').allTextContents();
      expect(means).toHaveLength(3);
      for (const mean of means) expect(Number(mean)).toBeGreaterThan(0);
    }

    // Hovering the middle point of study 1: its tooltip, each series with its coloured marker, all without the
    // inline style attributes the CSP refuses (a refusal fails the test). Screenshot for review.
    const chart = page.getByTestId('study-chart-1');
    const box = (await chart.boundingBox())!;
    await chart.hover({ position: { x: box.width / 2, y: box.height / 2 } });
    const tooltip = chart.locator('.chart-tooltip');
    await tooltip.waitFor();
    expect(await tooltip.locator('.chart-tooltip-title').textContent()).toBe('3');
    const mean = tooltip.locator('.chart-tooltip-row', { hasText: 'Measured mean' });
    expect(await mean.locator('.chart-tooltip-value').textContent()).toMatch(/^\d+\.\d+ s$/);
    const marker = mean.locator('.chart-tooltip-marker');
    expect(await marker.isVisible()).toBe(true);
    expect((await marker.boundingBox())!.width).toBeGreaterThan(5);
    type Css = { getComputedStyle(element: unknown): { backgroundColor: string } };
    const color = await marker.evaluate(
      (element) => (globalThis as unknown as Css).getComputedStyle(element).backgroundColor,
    );
    expect(color).toBe('rgb(31, 95, 191)');
    await page.screenshot({ path: join(SHOTS, 'experiments-tooltip.png'), clip: box });

    // CSV through the (fake) native save dialog: a header and one row per point.
    desktop.saveTo = join(browser.work(), 'study-2.csv');
    await page.getByRole('button', { name: 'Export study 2 as CSV' }).click();
    await expect.poll(() => existsSync(desktop.saveTo!)).toBe(true);
    await page.getByText(`Saved ${desktop.saveTo}`).waitFor();
    const lines = (await readFile(desktop.saveTo, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines.slice(1).map((line) => line.split(',')[2])).toEqual(['200', '500', '1000']);

    // A second, quicker run of study 1, compared with the first: the earlier means drawn over the chart.
    await page.getByLabel('Study', { exact: true }).selectOption('1');
    await page.getByLabel('Repeat K').fill('1');
    // Another file size: the view says the two runs' delays do not compare.
    await page.getByLabel('Size').fill('10');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // Done when the new run's record (study 1 only) is complete: the first run's charts are gone.
    const secondDone = async (): Promise<boolean> =>
      (await page.getByTestId('study-chart-2').count()) === 0 &&
      (await page.locator('.lab-progress[data-phase=done]').count()) === 1 &&
      (await page.getByTestId('study-chart-1').getAttribute('data-measured')) === '3';
    await expect.poll(secondDone, { timeout: 60_000, interval: 50 }).toBe(true);
    const compare = page.getByLabel('Compare with');
    await expect.poll(async () => (await compare.locator('option').count()) > 1).toBe(true);
    const earlier = await compare.locator('option').nth(1).getAttribute('value');
    expect(earlier).toMatch(/^lab-.*\.json$/);
    await compare.selectOption(earlier!);
    await expect.poll(() => page.getByTestId('study-chart-1').getAttribute('data-compared')).toBe('1');
    const unlike = page.locator('.compare-warning');
    expect(await unlike.textContent()).toMatch(
      /^Compared: the earlier run had a 20\.0 KiB file \(here 10\.0 KiB\): its delays do not compare with these\.$/,
    );
    await page.screenshot({ path: join(SHOTS, 'experiments-compare.png'), fullPage: true });
    for (const [width, height] of [
      [1920, 1080],
      [1024, 640],
    ] as const) {
      await page.setViewportSize({ width, height });
      await unlike.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `experiments-compare-${width}.png`) });
    }
    await page.setViewportSize({ width: 1400, height: 980 });

    // Back to the first run (all studies) for the review screenshot.
    await compare.selectOption('');
    await page.getByLabel('Results').selectOption(earlier!);
    await expect.poll(() => page.getByTestId('study-chart-3').count()).toBe(1);
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(SHOTS, 'experiments.png'), fullPage: true });

    // The window study: one line per protocol in both charts, a protocol column in the table.
    await page.getByLabel('Results').selectOption('');
    await page.getByLabel('Study', { exact: true }).selectOption('5');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const windowsDone = async (): Promise<boolean> =>
      (await page.locator('.lab-progress[data-phase=done]').count()) === 1 &&
      (await page.getByTestId('study-chart-5').getAttribute('data-measured')) === String(WINDOW_POINTS);
    await expect.poll(windowsDone, { timeout: 60_000, interval: 50 }).toBe(true);
    const transmissions = page.getByTestId('study-chart-5-transmissions');
    expect(await transmissions.getAttribute('data-measured')).toBe(String(WINDOW_POINTS));
    expect((await transmissions.locator('canvas').first().boundingBox())!.width).toBeGreaterThan(300);
    const table = page.getByTestId('study-table-5');
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(
      expect.arrayContaining(['Protocol', 'window', 'Tx/segment', 'Expected']),
    );
    expect(await table.getByTestId('mean').count()).toBe(WINDOW_POINTS);
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(SHOTS, 'experiments-protocols.png'), fullPage: true });
    // Projector and small window: the protocol columns stay inside the results panel.
    for (const [width, height, name] of [
      [1920, 1080, 'projector'],
      [900, 700, 'small'],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(200);
      const panel = (await page.locator('.lab-results').boundingBox())!;
      const box = (await table.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(panel.x + panel.width + 1);
      await page.screenshot({ path: join(SHOTS, `experiments-protocols-${name}.png`), fullPage: true });
    }
  }, 240_000);
});
