// Where browser tests put the pictures the README shows: test-results/ in every run (for review), and with
// `P2MP_SCREENSHOTS=docs` docs/screenshots/, so a test run never rewrites committed files by itself.
import { join } from 'node:path';
import { SHOTS } from './harness.js';

export const SCREENSHOT_DIR =
  process.env['P2MP_SCREENSHOTS'] === 'docs' ? join(process.cwd(), 'docs', 'screenshots') : SHOTS;
