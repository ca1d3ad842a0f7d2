import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserDemo } from '../support/browser-demo.js';
import { browserSignIn, type BrowserSignInOptions } from '../support/browser-sign-in.js';
import { chromiumMissingReason } from '../support/chromium.js';
import { enrollmentStep, lockScreen, signedInUser, typePin } from '../support/e2e-page.js';
import type { TestDemo } from '../support/test-demo.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

const DAY_MS = 86_400_000;

/**
 * Temporary (locum) staff end to end (docs/temporary-access.md): the locum taps their unknown badge, signs in at
 * the local provider (Playwright plays them in Chromium) and chooses a PIN; the sponsor dialog refuses the locum's
 * own badge and a nurse without the sponsor role, then the charge nurse sponsors with badge and PIN for one day.
 * The locum works, shown as temporary; a day later (harness clock) the enrollment and its tokens are erased and the
 * badge is refused with a plain message.
 */
describe.skipIf(missing)('temporary (locum) staff in the browser', () => {
  const fixture = useBrowserDemo();
  let demo: TestDemo;
  let page: Page;
  let signIns: BrowserSignInOptions[];

  async function open(): Promise<void> {
    signIns = [];
    const play = browserSignIn(fixture.browser(), () => {
      const next = signIns.shift();
      if (!next) throw new Error('the test expected no further sign-in');
      return next;
    });
    ({ demo, page } = await fixture.open({ openSignIn: (url) => play(url) }));
  }

  const tap = (badgeId: string) => demo.tapAfterDebounce(badgeId);
  const notice = () => page.getByTestId('notice').textContent();
  const sponsorError = () => page.getByTestId('sponsor-error').textContent();

  /** The locum's own part: tap, sign in at the provider, choose a PIN; then the sponsor dialog shows. */
  async function locumEnrollsUntilSponsor(): Promise<void> {
    signIns.push({ username: demo.locum.username, password: demo.locum.password });
    await tap(demo.locumBadgeId);
    await enrollmentStep(page, 'choose-pin');
    await typePin(page, '2580');
    await typePin(page, '2580');
    await page.getByTestId('sponsor-dialog').waitFor();
  }

  it('enrolled with a sponsor, works, expires: the badge is refused afterwards and its enrollment and tokens are gone', async () => {
    await open();
    const { identity, hashBadge } = demo.workstation;
    const locum = demo.locum;
    const charge = demo.user('charge-nurse');
    const nurse = demo.user('nurse');
    await locumEnrollsUntilSponsor();
    expect(await page.getByTestId('sponsor-tap').textContent()).toBe('Sponsor: tap your badge on the reader.');
    // Nothing is saved while the sponsor is awaited.
    expect(await identity.directory.account(locum.id)).toBeUndefined();

    await tap(demo.locumBadgeId);
    await expect.poll(sponsorError).toMatch(/^You cannot sponsor yourself/);
    await tap(nurse.badgeId);
    await expect
      .poll(sponsorError)
      .toBe(`${nurse.displayName} cannot sponsor temporary staff: a sponsor needs the role charge-nurse.`);
    await page.screenshot({ path: 'test-results/temporary-sponsor-refused.png' });

    await tap(charge.badgeId);
    await page.getByTestId('sponsor-pin').fill('0000');
    await page.getByTestId('sponsor-pin-submit').click();
    await expect.poll(sponsorError).toMatch(/^Wrong PIN for Chris Hall, Charge Nurse/);
    await demo.control('/control/advance', { ms: 2_000 }); // the PIN back-off, as at the lock screen
    await page.getByTestId('sponsor-pin').fill(charge.pin);
    await page.getByTestId('sponsor-pin-submit').click();
    await page.getByTestId('sponsor-terms').waitFor();
    expect(await page.getByTestId('sponsor-days').locator('option').count()).toBe(14);
    await page.getByTestId('sponsor-days').selectOption('1');
    await page.screenshot({ path: 'test-results/temporary-sponsor-terms.png' });
    await page.getByTestId('sponsor-confirm').click();

    await expect.poll(() => signedInUser(page)).toBe(locum.displayName);
    expect(await page.getByTestId('temporary-chip').textContent()).toBe('Temporary until 2 Jan 2026');
    await page.screenshot({ path: 'test-results/temporary-signed-in.png' });
    const account = await identity.directory.account(locum.id);
    expect(account?.temporary).toMatchObject({ sponsorUserId: charge.userId, sponsorName: charge.displayName });
    expect((await identity.authenticator.tokensForUnlock(locum.id)).ok).toBe(true);

    await page.getByTestId('lock-now').click();
    await lockScreen(page, 'locked');
    expect(await page.getByTestId('locked-temporary').textContent()).toBe('Temporary until 2 Jan 2026');
    await tap(demo.locumBadgeId);
    await expect.poll(() => signedInUser(page)).toBe(locum.displayName);

    await demo.control('/control/advance', { ms: DAY_MS });
    await lockScreen(page, 'no-user');
    await expect.poll(() => identity.directory.account(locum.id)).toBeUndefined();
    expect(await identity.directory.resolveBadge(hashBadge(demo.locumBadgeId))).toBeUndefined();
    expect(await identity.pins.hasPin(locum.id)).toBe(false);
    expect((await identity.authenticator.tokensForUnlock(locum.id)).ok).toBe(false);

    await tap(demo.locumBadgeId);
    await expect
      .poll(notice)
      .toBe('Your temporary access ended on 2 Jan 2026. Ask your sponsor or the staffing office.');
    expect(await page.getByTestId('enrollment').count()).toBe(0);
    await page.screenshot({ path: 'test-results/temporary-ended.png' });

    const events = await demo.audited();
    const of = (type: string) => events.filter((e) => e.type === type);
    expect(of('temporary.enroll')).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ userId: charge.userId }),
        details: expect.objectContaining({ subjectUserId: locum.id, sponsorUserId: charge.userId }),
      }),
    ]);
    expect(of('temporary.refuse').map((e) => e.reason)).toEqual([
      'self-sponsorship refused',
      'sponsor lacks a sponsor role (charge-nurse)',
      'sponsor PIN refused (wrong)',
      expect.stringMatching(/^badge of an ended temporary enrollment/),
    ]);
    expect(of('temporary.expire')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ userId: locum.id }) }),
    ]);
    expect(of('enrollment.unenrolled')).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ subjectUserId: locum.id }) }),
    ]);

    // The privacy officer's review lists the sponsorship from the review source every workstation forwards to.
    await expect
      .poll(() => demo.reviewSource.resources().filter((r) => JSON.stringify(r).includes('temporary.expire')).length, {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await tap(demo.user('privacy-officer').badgeId);
    await page.getByTestId('open-review').click();
    const entry = page.getByTestId('review-temporary-entry');
    await entry.waitFor();
    const listed = await entry.textContent();
    expect(listed).toContain(locum.displayName);
    expect(listed).toContain(charge.displayName);
    expect(listed).toContain('(sponsorship expired)');
  });

  it('a cancelled sponsorship saves nothing: the badge is still unknown', async () => {
    await open();
    await locumEnrollsUntilSponsor();
    await page.getByTestId('sponsor-cancel').click();
    await page.getByTestId('sponsor-dialog').waitFor({ state: 'detached' });
    await expect.poll(notice).toMatch(/No sponsor confirmed this temporary enrollment, so it was not saved\./);
    expect(await demo.workstation.identity.directory.account(demo.locum.id)).toBeUndefined();
    expect((await demo.workstation.identity.authenticator.tokensForUnlock(demo.locum.id)).ok).toBe(false);
  });
});
