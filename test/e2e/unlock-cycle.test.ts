import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserDemo } from '../support/browser-demo.js';
import { chromiumMissingReason } from '../support/chromium.js';
import type { TestDemo } from '../support/test-demo.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

// The walking skeleton end to end: simulated reader -> session service -> contract over the loopback
// WebSocket -> React renderer in real Chromium, on a manual clock so the idle timeout takes no real time.
// Each test starts from a fresh demo and walks the cycle up to the step it checks.
describe.skipIf(missing)('badge tap to unlocked to idle lock', () => {
  const { open } = useBrowserDemo();

  async function signInNurse(): Promise<{ demo: TestDemo; page: Page }> {
    const { demo, page } = await open();
    await demo.control('/control/tap', { badgeId: demo.user('nurse').badgeId });
    await page.getByTestId('workstation').waitFor();
    return { demo, page };
  }

  async function idleWarning(): Promise<{ demo: TestDemo; page: Page }> {
    const signedIn = await signInNurse();
    await signedIn.demo.control('/control/advance', { ms: signedIn.demo.timing.idleMs });
    await signedIn.page.getByTestId('idle-warning').waitFor();
    return signedIn;
  }

  it('shows the lock screen with nobody signed in, and no EHR', async () => {
    const { page } = await open();
    expect(await page.getByTestId('lock-screen').getAttribute('data-screen')).toBe('no-user');
    expect(await page.getByTestId('ehr-pane').count()).toBe(0);
    await page.screenshot({ path: 'test-results/lock-screen.png' });
  });

  it('unlocks for the user whose badge is tapped', async () => {
    const { demo, page } = await signInNurse();
    expect(await page.getByTestId('signed-in-user').textContent()).toBe(demo.user('nurse').displayName);
    expect(await page.getByTestId('ehr-pane').count()).toBe(1);
    expect(await page.getByTestId('lock-screen').count()).toBe(0);
    await page.screenshot({ path: 'test-results/unlocked.png' });
  });

  it('warns with a visible countdown when the idle time is reached', async () => {
    const { demo, page } = await idleWarning();
    const shown = await page.getByTestId('idle-seconds').textContent();
    const seconds = Math.ceil(demo.timing.warningMs / 1000);
    expect(shown).toBe(`0:${String(seconds).padStart(2, '0')}`);
    // The session is still on screen under the warning: warning is not yet lock.
    expect(await page.getByTestId('ehr-pane').count()).toBe(1);
    await page.screenshot({ path: 'test-results/idle-countdown.png' });
  });

  it('locks when the countdown ends, removing the EHR pane from the DOM', async () => {
    const { demo, page } = await idleWarning();
    await demo.control('/control/advance', { ms: demo.timing.warningMs });
    await expect.poll(() => page.getByTestId('lock-screen').getAttribute('data-screen')).toBe('locked');
    expect(await page.getByTestId('ehr-pane').count()).toBe(0);
    expect(await page.getByTestId('workstation').count()).toBe(0);
    expect(await page.getByTestId('locked-user').textContent()).toBe(demo.user('nurse').displayName);
    await page.screenshot({ path: 'test-results/locked.png' });
  });
});
