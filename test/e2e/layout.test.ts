import { describe, expect, it } from 'vitest';
import { useBrowserDemo } from '../support/browser-demo.js';
import { chromiumMissingReason } from '../support/chromium.js';
import { overflow, overlaps } from '../support/screen-checks.js';
import { TOUR_SCREENS, tourScreens } from '../support/screen-tour.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

/** A touch kiosk and a computer-on-wheels, at 100 % and at 125 % system scaling (the CSS viewport shrinks by 1.25). */
const WINDOWS = [
  { name: '1024x768 @100%', width: 1024, height: 768 },
  { name: '1366x768 @100%', width: 1366, height: 768 },
  { name: '1024x768 @125%', width: Math.floor(1024 / 1.25), height: Math.floor(768 / 1.25) },
  { name: '1366x768 @125%', width: Math.floor(1366 / 1.25), height: Math.floor(768 / 1.25) },
];

/** What may never be drawn over each other: banners push the screen down. */
const APART = [
  ['reader-banner', 'lock-screen'],
  ['reader-banner', 'session-header'],
  ['session-header', 'notice'],
  ['session-header', 'ehr-pane'],
  ['notice', 'ehr-pane'],
] as const;

describe.skipIf(missing)('every screen fits the window', () => {
  const fixture = useBrowserDemo();

  it('fits 1024x768 and 1366x768 at 100 % and 125 % without scrolling, with nothing drawn over the header', async () => {
    const problems: string[] = [];
    const seen: string[] = [];
    await tourScreens(fixture, async (screen, page) => {
      seen.push(screen);
      for (const window of WINDOWS) {
        await page.setViewportSize({ width: window.width, height: window.height });
        await page.evaluate(() => new Promise(requestAnimationFrame));
        const over = await overflow(page);
        if (over.x > 0 || over.y > 0) problems.push(`${screen} at ${window.name}: scrolls by ${over.x} x ${over.y} px`);
        for (const o of await overlaps(page, APART)) problems.push(`${screen} at ${window.name}: ${o}`);
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    });
    expect(seen).toEqual([...TOUR_SCREENS]);
    expect(problems).toEqual([]);
  });
});
