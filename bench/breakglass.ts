/// <reference lib="dom" />
import { launchChromium } from '../test/support/chromium.js';
import { browserSignIn } from '../test/support/browser-sign-in.js';
import { startTestDemo } from '../test/support/test-demo.js';
import { percentile, reportBench, round } from './support/bench-report.js';
import { epochNow, firstLoadAfter, recordFrameLoads } from './support/ehr-frame-loads.js';

/**
 * npm run bench:breakglass: break-glass in the harness with headless Chromium, on the demo EHR (docs/break-glass.md).
 *  - activate: from the moment the clinician's step-up is confirmed (the session engine reports it; the fresh
 *    sign-in itself is excluded, as the brief says) until the restricted chart is rendered in the EHR frame: the
 *    grant request to the EHR, the audit record, the frame reload and the EHR's page.
 *    Confirm pressed -> step-up shown is one click on the page and not a network wait.
 *  - revoke: from the request that moves the manual clock onto the grant's expiry until the EHR frame shows the
 *    restricted page again: the grant ended on the EHR's server (DELETE), the frame reloaded, the EHR refusing.
 * Each run: the restricted chart, its break-glass link, the dialog, the step-up, the chart; then expiry.
 * "Rendered" is the EHR frame's load event plus one animation frame, timed in the page; both ends are read on the
 * epoch clock (performance.timeOrigin + now) of this machine, so Playwright's polling is not in the figures.
 */

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = 2;
const GRANT_MINUTES = 15;

const browser = await launchChromium();
const play = browserSignIn(browser, () => ({ username: nurse.username, password: nurse.password }));
const demo = await startTestDemo({
  profile: 'nurse-station',
  openSignIn: (url, signIn) => play(url, signIn),
  breakGlass: { scopes: ['patient'], frequency: { warnAt: 1_000, cosignAbove: 1_000 } },
  // The session must outlive every grant of the run: each run moves the clock past one expiry.
  session: { idleTimeoutSeconds: 3600, absoluteLifetimeHours: 24 },
});
const nurse = demo.user('nurse');
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(demo.server.appUrl);
  await page.locator('[data-testid="lock-screen"][data-screen="no-user"]').waitFor();
  await demo.tapAfterDebounce(nurse.badgeId);
  await page.getByTestId('workstation').waitFor();
  const ehr = page.frameLocator('[data-testid="ehr-frame"]');
  await ehr.locator('body').waitFor();
  const frame = await (await page.getByTestId('ehr-frame').elementHandle())?.contentFrame();
  await frame?.goto(`${demo.ehr.origin}/patients/p-1005`);
  await ehr.locator('#restricted').waitFor();
  await recordFrameLoads(page);

  let steppedUpAt = 0;
  demo.careshell.session.onStepUp((outcome) => {
    if (outcome.ok && outcome.action === 'break-glass') steppedUpAt = epochNow();
  });
  const activate: number[] = [];
  const revoke: number[] = [];
  for (let run = 0; run < RUNS + WARMUP; run += 1) {
    await demo.careshell.session.handle({ type: 'activity', source: 'renderer' });
    await ehr.locator('#break-glass').click();
    await page.getByTestId('break-glass-dialog').waitFor();
    await page.getByTestId('bg-reason-text').fill('Benchmark: collapsed, no history');
    await page.getByTestId('bg-duration').selectOption(String(GRANT_MINUTES));
    await page.getByTestId('bg-attest').check();
    await page.getByTestId('bg-confirm').click();
    await ehr.locator('#patient-name').waitFor({ timeout: 30_000 });
    const renderedAt = await firstLoadAfter(page, steppedUpAt);
    await page.getByTestId('break-glass-banner').waitFor();

    const expiring = epochNow();
    await demo.control('/control/advance', { ms: GRANT_MINUTES * 60_000 });
    await ehr.locator('#restricted').waitFor();
    const goneAt = await firstLoadAfter(page, expiring);
    await page.getByTestId('break-glass-banner').waitFor({ state: 'detached' });
    if (run >= WARMUP) {
      activate.push(renderedAt - steppedUpAt);
      revoke.push(goneAt - expiring);
    }
  }
  reportBench('breakglass', {
    breakglass_activate_p50_ms: round(percentile(activate, 50)),
    breakglass_activate_p95_ms: round(percentile(activate, 95)),
    breakglass_revoke_p50_ms: round(percentile(revoke, 50)),
    breakglass_revoke_p95_ms: round(percentile(revoke, 95)),
    targets: { breakglass_activate_p95_ms: 300, breakglass_revoke_p95_ms: 1000 },
    runs: activate.length,
  });
} finally {
  await browser.close();
  await demo.stop();
}
