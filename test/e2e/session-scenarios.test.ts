import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserDemo } from '../support/browser-demo.js';
import { chromiumMissingReason } from '../support/chromium.js';
import { lockScreen, signedInUser } from '../support/e2e-page.js';
import type { TestDemo } from '../support/test-demo.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

/** Minutes:seconds shown in the header -> seconds. */
async function signedInSeconds(page: Page): Promise<number> {
  const text = (await page.getByTestId('session-timer').textContent()) ?? '';
  const match = /Signed in (?:(\d+):)?(\d+):(\d{2})/.exec(text);
  if (!match) throw new Error(`unexpected session timer text: ${text}`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

// The session rules (docs/design.md#session-semantics), seen as a clinician sees them: real Chromium, the real engine, a manual clock.
describe.skipIf(missing)('session scenarios in the browser', () => {
  const fixture = useBrowserDemo();
  /** The current test's demo and page, set by its open(). */
  let demo: TestDemo;
  let page: Page;

  async function open(profile?: string): Promise<void> {
    ({ demo, page } = await fixture.open(profile ? { profile } : {}));
  }

  async function tap(role: string): Promise<void> {
    await demo.control('/control/tap', { badgeId: demo.user(role).badgeId });
  }

  async function expectSignedIn(role: string): Promise<void> {
    await expect.poll(() => signedInUser(page)).toBe(demo.user(role).displayName);
    expect(await page.getByTestId('ehr-pane').count()).toBe(1);
  }

  it('tap-out: a second tap by the signed-in user locks at once, but a double tap is absorbed', async () => {
    await open();
    await tap('nurse');
    await expectSignedIn('nurse');
    // A second tap past the reader's debounce but inside the policy's window: an accidental double tap.
    await demo.control('/control/advance', { ms: 2_000 });
    await tap('nurse');
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Tap ignored');
    await expectSignedIn('nurse');
    await demo.control('/control/advance', { ms: demo.policy.tapOut.ignoreWithinSeconds * 1000 });
    await tap('nurse');
    await lockScreen(page, 'locked');
    expect(await page.getByTestId('locked-user').textContent()).toBe(demo.user('nurse').displayName);
    expect(await page.getByTestId('ehr-pane').count()).toBe(0);
  });

  it('resume inside grace continues the same session', async () => {
    await open();
    await tap('nurse');
    await expectSignedIn('nurse');
    await demo.control('/control/advance', { ms: 60_000 });
    await page.getByTestId('lock-now').click();
    await lockScreen(page, 'locked');
    await demo.control('/control/advance', { ms: demo.timing.graceMs - 60_000 });
    await tap('nurse');
    await expectSignedIn('nurse');
    // Same session: its clock kept running through the lock (a new session would start near 0:00).
    expect(await signedInSeconds(page)).toBeGreaterThanOrEqual(demo.timing.graceMs / 1000);
  });

  it('grace expiry ends the session: the lock screen forgets the user and the next tap starts afresh', async () => {
    await open();
    await tap('nurse');
    await expectSignedIn('nurse');
    await page.getByTestId('lock-now').click();
    await lockScreen(page, 'locked');
    await demo.control('/control/advance', { ms: demo.timing.graceMs + 1000 });
    await lockScreen(page, 'no-user');
    expect(await page.getByTestId('locked-user').count()).toBe(0);
    await tap('nurse');
    await expectSignedIn('nurse');
    expect(await signedInSeconds(page)).toBeLessThan(5);
  });

  it('user switch A -> B -> A never shows one user to the other and resumes A', async () => {
    await open();
    await tap('nurse');
    await expectSignedIn('nurse');
    await demo.control('/control/advance', { ms: 120_000 });
    await tap('er-physician');
    await expectSignedIn('er-physician');
    expect(await page.getByText(demo.user('nurse').displayName).count()).toBe(0);
    expect(await signedInSeconds(page)).toBeLessThan(5);
    await demo.control('/control/advance', { ms: 30_000 });
    await page.getByTestId('lock-now').click();
    await lockScreen(page, 'locked');
    expect(await page.getByTestId('suspended-count').textContent()).toContain('1 other session is kept');
    // Whoever walks up sees whose session is kept, and that their own badge is the way in.
    expect(await page.locator('.not-you').textContent()).toBe(
      `Not ${demo.user('er-physician').displayName}? Tap your own badge.`,
    );
    await tap('nurse');
    await expectSignedIn('nurse');
    expect(await page.getByText(demo.user('er-physician').displayName).count()).toBe(0);
    expect(await signedInSeconds(page)).toBeGreaterThanOrEqual(150);
  });
});
