import { mkdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { useBrowserDemo } from '../support/browser-demo.js';
import { chromiumMissingReason } from '../support/chromium.js';
import { axeViolations, smallTargets } from '../support/screen-checks.js';
import { TOUR_SCREENS, tourScreens } from '../support/screen-tour.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

/** `npm run docs:screenshots` sets this: the same tour then also saves each screen for the README. */
const SCREENSHOTS_DIR = process.env.CARESHELL_DOCS_SCREENSHOTS;

/**
 * Every screen of every flow (test/support/screen-tour.ts) through axe-core for WCAG 2.2 AA, and every control on
 * it measured: the report lists each screen with what was found, and the test fails on any violation.
 */
describe.skipIf(missing)('accessibility of every screen', () => {
  const fixture = useBrowserDemo();

  it('has no WCAG 2.2 AA violation and no control under 44 x 44 CSS px, on any screen', async () => {
    if (SCREENSHOTS_DIR) await mkdir(SCREENSHOTS_DIR, { recursive: true });
    const report: Record<string, { axe: string[]; small: string[] }> = {};
    await tourScreens(fixture, async (screen, page) => {
      if (SCREENSHOTS_DIR) {
        await page.setViewportSize({ width: 1366, height: 768 });
        await page.screenshot({ path: `${SCREENSHOTS_DIR}/${screen}.png` });
        await page.setViewportSize({ width: 1280, height: 800 });
      }
      report[screen] = { axe: await axeViolations(page), small: await smallTargets(page) };
    });
    for (const [screen, found] of Object.entries(report))
      console.log(
        `axe ${screen}: ${found.axe.length} violations, ${found.small.length} small targets` +
          [...found.axe, ...found.small].map((line) => `\n  ${line}`).join(''),
      );
    expect(Object.keys(report)).toEqual([...TOUR_SCREENS]);
    expect(report).toEqual(Object.fromEntries(TOUR_SCREENS.map((s) => [s, { axe: [], small: [] }])));
  });
});
