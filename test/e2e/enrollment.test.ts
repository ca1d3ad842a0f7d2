import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserDemo } from '../support/browser-demo.js';
import { browserSignIn, type BrowserSignInOptions } from '../support/browser-sign-in.js';
import { chromiumMissingReason } from '../support/chromium.js';
import { enrollmentStep, lockScreen, typePin, signedInUser } from '../support/e2e-page.js';
import type { TestDemo } from '../support/test-demo.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

/**
 * Enrollment end to end: the first tap of an unknown badge in the harness, the clinician's real sign-in at the
 * local provider (Playwright plays them in Chromium), the PIN they choose, their own session, and the
 * badge (+ PIN) bringing them back after a lock.
 */
describe.skipIf(missing)('enrollment of an unknown badge in the browser', () => {
  const fixture = useBrowserDemo();
  /** The current test's demo and page, set by its open(). */
  let demo: TestDemo;
  let page: Page;
  /** Who the next sign-ins at the provider are, in order. */
  let signIns: BrowserSignInOptions[];
  /** Runs before each sign-in is played: the test's hook into "while the sign-in window is open". */
  let beforeSignIn: () => Promise<void>;

  async function open(profile: string): Promise<void> {
    signIns = [];
    beforeSignIn = async () => {};
    const play = browserSignIn(fixture.browser(), () => {
      const next = signIns.shift();
      if (!next) throw new Error('the test expected no further sign-in');
      return next;
    });
    ({ demo, page } = await fixture.open({
      profile,
      openSignIn: async (url) => {
        const hook = beforeSignIn;
        beforeSignIn = async () => {};
        await hook();
        await play(url);
      },
    }));
  }

  const tap = (badgeId: string) => demo.tapAfterDebounce(badgeId);
  const ownerOf = (badgeId: string) =>
    demo.workstation.identity.directory.resolveBadge(demo.workstation.hashBadge(badgeId));

  it('sign-in, a chosen PIN, their own session; after a lock the badge and PIN bring them back', async () => {
    await open('nurse-cow');
    const eve = demo.newStarter;
    signIns = [{ username: eve.username, password: eve.password }];
    let releaseSignIn!: () => void;
    beforeSignIn = () => new Promise<void>((resolve) => (releaseSignIn = resolve));

    await tap(demo.unenrolledBadgeId);
    await enrollmentStep(page, 'sign-in');
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/to enroll this badge/);
    await page.screenshot({ path: 'test-results/enroll-sign-in.png' });
    releaseSignIn();

    await enrollmentStep(page, 'choose-pin');
    expect(await page.getByTestId('enrolling-user').textContent()).toBe(eve.displayName);
    await typePin(page, '1111');
    await typePin(page, '1111');
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/too easy to guess/);
    await typePin(page, '2580');
    await typePin(page, '2851'); // a typo in the confirmation starts over, nothing is sent
    // One notice area: the typo replaces "too easy to guess", never shown beside it.
    await expect
      .poll(() => page.getByTestId('notice').allTextContents())
      .toEqual(['The two PINs did not match. Choose a PIN again.']);
    await page.screenshot({ path: 'test-results/enroll-choose-pin.png' });
    await typePin(page, '2580');
    await typePin(page, '2580');

    await expect.poll(() => signedInUser(page)).toBe(eve.displayName);
    expect(await page.getByTestId('ehr-pane').count()).toBe(1);
    await page.screenshot({ path: 'test-results/enrolled-unlocked.png' });
    expect(await ownerOf(demo.unenrolledBadgeId)).toMatchObject({ userId: eve.id, displayName: eve.displayName });
    // The enrollment's sign-in left this clinician a token cache: tokens come silently from now on.
    expect((await demo.workstation.identity.authenticator.tokensForUnlock(eve.id)).ok).toBe(true);

    await page.getByTestId('lock-now').click();
    await lockScreen(page, 'locked');
    expect(await page.getByTestId('locked-user').textContent()).toBe(eve.displayName);
    await tap(demo.unenrolledBadgeId);
    await page.getByTestId('pin-pad').waitFor();
    await typePin(page, '2580');
    await expect.poll(() => signedInUser(page)).toBe(eve.displayName);
    await page.screenshot({ path: 'test-results/enrolled-resumed.png' });

    const events = await demo.audited();
    expect(events.filter((e) => e.type === 'enrollment.enrolled' && e.actor?.userId === eve.id)).toEqual([
      expect.objectContaining({
        outcome: 'success',
        actor: expect.objectContaining({ badgeHash: demo.workstation.hashBadge(demo.unenrolledBadgeId) }),
      }),
    ]);
    expect(events.find((e) => e.type === 'session.sign_in' && e.actor?.userId === eve.id)).toMatchObject({
      outcome: 'success',
      details: { method: 'enrollment (full sign-in and new PIN)' },
    });
    expect(events.find((e) => e.type === 'session.unlock' && e.actor?.userId === eve.id)).toMatchObject({
      details: { method: 'badge+pin' },
    });
  });

  it('a badge enrolled for one clinician cannot be enrolled by another', async () => {
    await open('default');
    const eve = demo.newStarter;
    const ben = demo.user('er-physician');
    // Ben taps the unknown badge; while his sign-in window is open, Eve enrolls that same badge at another
    // workstation sharing the enrollment store (its own full sign-in and PIN).
    signIns = [
      { username: eve.username, password: eve.password },
      { username: ben.username, password: ben.password },
    ];
    beforeSignIn = async () => {
      const { enrollment } = demo.workstation.identity;
      const elsewhere = await enrollment.beginEnrollment(demo.workstation.hashBadge(demo.unenrolledBadgeId));
      await enrollment.completeEnrollment(elsewhere.id, '3692');
    };

    await tap(demo.unenrolledBadgeId);
    await expect
      .poll(
        () =>
          page
            .getByTestId('notice')
            .textContent()
            .catch(() => null),
        { timeout: 30_000 },
      )
      .toBe(
        `Enrollment did not complete: This badge is already enrolled for ${eve.displayName}; ask IT to unenroll it first. Nothing was saved; tap your badge to try again.`,
      );
    await lockScreen(page, 'no-user');
    expect(await page.getByTestId('enrollment').count()).toBe(0);
    expect(await page.getByTestId('workstation').count()).toBe(0);
    await page.screenshot({ path: 'test-results/enroll-badge-taken.png' });

    expect(await ownerOf(demo.unenrolledBadgeId)).toMatchObject({ userId: eve.id });
    expect(await ownerOf(ben.badgeId)).toMatchObject({ userId: ben.userId });
    expect(signIns).toEqual([]);
    // A refusal is shown at once and audited right after, so the journal is polled.
    await expect
      .poll(async () =>
        (await demo.audited()).find((e) => e.type === 'badge.rejected' && e.actor?.userId === ben.userId),
      )
      .toMatchObject({ reason: 'badge enrolled for another account' });

    // The badge is Eve's now: it signs her in, never Ben.
    await tap(demo.unenrolledBadgeId);
    await expect.poll(() => signedInUser(page)).toBe(eve.displayName);
  });
});
