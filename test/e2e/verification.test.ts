import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CareShellApi } from '../../preload/contract.js';
import { useBrowserDemo } from '../support/browser-demo.js';
import { browserSignIn, type BrowserSignInOptions } from '../support/browser-sign-in.js';
import { chromiumMissingReason } from '../support/chromium.js';
import { lockScreen, typePin, signedInUser } from '../support/e2e-page.js';
import type { TestDemo } from '../support/test-demo.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

/**
 * Verification beyond the badge, end to end with the clinician's real sign-in at the local provider (played in
 * Chromium): a PIN lockout that only a full sign-in clears, a forgotten PIN reset at the PIN pad, and step-up
 * with an authenticator app set up behind a fresh sign-in.
 */
describe.skipIf(missing)('PIN lockout, PIN reset and step-up in the browser', () => {
  const fixture = useBrowserDemo();
  /** The current test's demo and page, set by its open(). */
  let demo: TestDemo;
  let page: Page;
  /** Who the next sign-ins at the provider are, in order; each one counted in `signInsPlayed`. */
  let signIns: BrowserSignInOptions[];
  let signInsPlayed: number;

  async function open(profile: string): Promise<void> {
    signIns = [];
    signInsPlayed = 0;
    const play = browserSignIn(fixture.browser(), () => {
      const next = signIns.shift();
      if (!next) throw new Error('the test expected no further sign-in');
      signInsPlayed += 1;
      return next;
    });
    ({ demo, page } = await fixture.open({ profile, openSignIn: (url, signIn) => play(url, signIn) }));
  }

  const tap = (badgeId: string) => demo.tapAfterDebounce(badgeId);
  const signedInAs = () => signedInUser(page);

  it('PIN lockout: wrong PINs lock the PIN; the right PIN no longer opens; the full sign-in it goes to does', async () => {
    await open('nurse-cow');
    const nurse = demo.user('nurse');
    await tap(nurse.badgeId);
    await expect.poll(signedInAs).toBe(nurse.displayName);
    await page.getByTestId('lock-now').click();
    await lockScreen(page, 'locked');
    await tap(nurse.badgeId);
    await page.getByTestId('pin-pad').waitFor();
    await page.screenshot({ path: 'test-results/pin-pad.png' });
    const maxAttempts = demo.policy.pin.maxAttempts;
    for (let attempt = 1; attempt < maxAttempts; attempt += 1) {
      await typePin(page, '0000');
      await expect
        .poll(() => page.getByTestId('notice').textContent())
        .toContain(`${maxAttempts - attempt} ${maxAttempts - attempt === 1 ? 'attempt' : 'attempts'} left`);
      await demo.control('/control/advance', { ms: 30_000 }); // past the backoff after each wrong PIN
    }
    // The last wrong PIN locks it, and the sign-in window opens at once; this time nobody signs in there.
    signIns = [{ username: nurse.username, password: nurse.password, abandon: true }];
    await typePin(page, '0000');
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Sign-in did not succeed/);
    await page.screenshot({ path: 'test-results/pin-lockout.png' });
    expect(await page.getByTestId('pin-pad').count()).toBe(0);

    // The right PIN no longer helps: the badge goes straight to the provider, and her sign-in there resumes her session.
    signIns = [{ username: nurse.username, password: nurse.password }];
    await tap(nurse.badgeId);
    await expect.poll(signedInAs).toBe(nurse.displayName);
    expect(signInsPlayed).toBe(2);
    const events = await demo.audited();
    expect(events.filter((e) => e.type === 'pin.failure' && e.actor?.userId === nurse.userId)).toHaveLength(
      maxAttempts - 1,
    );
    expect(events.filter((e) => e.type === 'pin.lockout')).toHaveLength(1);
    expect(events.find((e) => e.type === 'session.unlock' && e.details?.method === 'full sign-in')).toBeDefined();
    // Cleared by the full sign-in: after the next lock the PIN works again.
    await page.getByTestId('lock-now').click();
    await tap(nurse.badgeId);
    await page.getByTestId('pin-pad').waitFor();
    await typePin(page, nurse.pin);
    await expect.poll(signedInAs).toBe(nurse.displayName);
  });

  it('"Forgot your PIN?": a sign-in as the badge holder, a new PIN, the same session; the new PIN works next time', async () => {
    await open('nurse-cow');
    const nurse = demo.user('nurse');
    await tap(nurse.badgeId);
    await expect.poll(signedInAs).toBe(nurse.displayName);
    await page.getByTestId('lock-now').click();
    await tap(nurse.badgeId);
    signIns = [{ username: nurse.username, password: nurse.password }];
    await page.getByTestId('pin-forgot').click();
    await page.locator('[data-testid="enrollment"][data-step="choose-pin"]').waitFor();
    await typePin(page, '7391');
    await typePin(page, '7391');
    await expect.poll(signedInAs).toBe(nurse.displayName);
    await page.getByTestId('lock-now').click();
    await tap(nurse.badgeId);
    await page.getByTestId('pin-pad').waitFor();
    await typePin(page, '7391');
    await expect.poll(signedInAs).toBe(nurse.displayName);
    expect((await demo.audited()).filter((e) => e.type === 'pin.reset').map((e) => e.outcome)).toEqual(['success']);
  });

  it('step-up: an authenticator app set up behind a fresh sign-in, then its code confirms break-glass', async () => {
    await open('default');
    const nurse = demo.user('nurse');
    await tap(nurse.badgeId);
    await expect.poll(signedInAs).toBe(nurse.displayName);

    signIns = [{ username: nurse.username, password: nurse.password }];
    await page.getByTestId('setup-authenticator').click();
    await page.getByTestId('authenticator-setup').waitFor();
    await page.screenshot({ path: 'test-results/authenticator-setup.png' });
    const secret = ((await page.getByTestId('authenticator-secret').textContent()) ?? '').replace(/\s/g, '');
    const codeNow = () => generate({ secret, epoch: Math.floor(demo.clock.wallTime().getTime() / 1000) });
    await page.getByTestId('authenticator-code').fill(await codeNow());
    await page.getByTestId('authenticator-submit').click();
    await page.getByTestId('authenticator-setup').waitFor({ state: 'detached' });

    // A high-risk action now offers the code; the one used for setup is never accepted again.
    await demo.control('/control/advance', { ms: 30_000 });
    // Break-glass itself is not built yet: its button will make this same request through the contract.
    await page.evaluate(() =>
      (window as unknown as { careshell: CareShellApi }).careshell.session.requestStepUp({ action: 'break-glass' }),
    );
    await page.getByTestId('step-up-code').waitFor();
    await page.screenshot({ path: 'test-results/step-up.png' });
    await page.getByTestId('step-up-code').fill('000000');
    await page.getByTestId('step-up-submit').click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/wrong or already used/);
    await page.getByTestId('step-up-code').fill(await codeNow());
    await page.getByTestId('step-up-submit').click();
    await page.getByTestId('step-up').waitFor({ state: 'detached' });
    const events = await demo.audited();
    expect(events.find((e) => e.type === 'enrollment.authenticator')).toMatchObject({
      outcome: 'success',
      actor: { userId: nurse.userId },
    });
    expect(
      events.filter((e) => e.type === 'session.step_up').map((e) => [e.outcome, e.details?.action, e.details?.method]),
    ).toEqual([
      ['success', 'authenticator-setup', 'idp'],
      ['failure', 'break-glass', 'totp'],
      ['success', 'break-glass', 'totp'],
    ]);
    expect(await signedInAs()).toBe(nurse.displayName);
  });
});
