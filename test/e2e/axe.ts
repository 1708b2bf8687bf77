// axe-core in the page: its WCAG 2.1 A and AA violations, for every browser test that holds a screen to them.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

let axeSource: Promise<string> | undefined;

/** axe's WCAG 2.1 A and AA violations on the page as it is: "rule: target (summary)" per node. */
export async function violations(page: Page): Promise<string[]> {
  axeSource ??= readFile(
    createRequire(join(process.cwd(), 'package.json')).resolve('axe-core/axe.min.js'),
    'utf8',
  );
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(await axeSource);
  return page.evaluate(`axe
    .run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'], resultTypes: ['violations'] })
    .then((r) => r.violations.flatMap((v) => v.nodes.map((n) => v.id + ': ' + n.target.join(' ') + ' (' + n.failureSummary.replace(/\\s+/g, ' ') + ')')))`);
}
