/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/support/chromium.js';
import { startTestDemo } from '../test/support/test-demo.js';
import { percentile, reportBench, round } from './support/bench-report.js';

/**
 * npm run bench:unlock: in the harness with headless Chromium, on the app's real paths.
 *  - tap to unlock: from the moment the page asks the simulated reader to report a tap until the unlocked
 *    view is in the DOM and a requestAnimationFrame has run (the next frame is being painted). The request
 *    to the simulated reader is one loopback HTTP hop, included in the figure (so it is an over-estimate).
 *  - lock: from the request that moves the manual clock onto the idle deadline (the lock timer fires inside
 *    it) until the lock screen is in the DOM and a requestAnimationFrame has run.
 * Every run is: tap (first: a new session; later: resume inside grace), idle to the warning, then lock.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const WARMUP = 5;

async function measure(page: Page, route: string, body: Record<string, unknown>, selector: string): Promise<number> {
  return page.evaluate(
    async ({ route, body, selector }) => {
      const appeared = new Promise<void>((resolve) => {
        if (document.querySelector(selector)) return resolve();
        const observer = new MutationObserver(() => {
          if (document.querySelector(selector)) {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(document.body, { childList: true, subtree: true, attributes: true });
      });
      const start = performance.now();
      const request = fetch(route, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await appeared;
      const painted = await new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));
      const response = await request;
      if (!response.ok) throw new Error(`${route}: HTTP ${response.status}`);
      return painted - start;
    },
    { route, body, selector },
  );
}

const demo = await startTestDemo();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(demo.server.appUrl);
  await page.locator('[data-testid="lock-screen"][data-screen="no-user"]').waitFor();
  const token = demo.server.token;
  const { badgeId } = demo.user('nurse');
  const unlock: number[] = [];
  const lock: number[] = [];
  for (let run = 0; run < RUNS + WARMUP; run += 1) {
    const tapMs = await measure(page, '/control/tap', { token, badgeId }, '[data-testid="workstation"]');
    await demo.control('/control/advance', { ms: demo.timing.idleMs });
    await page.locator('[data-testid="idle-warning"]').waitFor();
    const lockMs = await measure(
      page,
      '/control/advance',
      { token, ms: demo.timing.warningMs },
      '[data-testid="lock-screen"][data-screen="locked"]',
    );
    if (run >= WARMUP) {
      unlock.push(tapMs);
      lock.push(lockMs);
    }
  }
  reportBench('unlock', {
    tap_to_unlock_p50_ms: round(percentile(unlock, 50)),
    tap_to_unlock_p95_ms: round(percentile(unlock, 95)),
    lock_p50_ms: round(percentile(lock, 50)),
    lock_p95_ms: round(percentile(lock, 95)),
    runs: unlock.length,
  });
} finally {
  await browser.close();
  await demo.stop();
}
