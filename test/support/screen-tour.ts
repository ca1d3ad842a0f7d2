import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import type { CareShellApi } from '../../preload/contract.js';
import type { BrowserDemo } from './browser-demo.js';
import { browserSignIn, type BrowserSignInOptions } from './browser-sign-in.js';
import { enrollmentStep, lockScreen, typePin } from './e2e-page.js';
import type { startTestDemo, TestDemo } from './test-demo.js';

/** Called on every screen the tour reaches, with the page showing it (the app, or the provider's own page). */
export type Visit = (screen: string, page: Page) => Promise<void>;

/** The fixture's part the tour needs (useBrowserDemo). */
export interface TourFixture {
  browser(): Browser;
  open(options?: Parameters<typeof startTestDemo>[0]): Promise<BrowserDemo>;
}

/** Every screen the tour visits, in order: what the e2e accessibility and layout tests and the screenshots cover. */
export const TOUR_SCREENS = [
  'lock-screen',
  'preferences',
  'lock-screen-no-reader',
  'signed-in',
  'break-glass-dialog',
  'jit-dialog',
  'jit-approver',
  'jit-banner',
  'signed-in-no-reader',
  'idp-login',
  'idp-login-error',
  'authenticator-setup',
  'step-up',
  'step-up-wrong-code',
  'idle-warning',
  'locked',
  'pin-pad',
  'pin-pad-wrong-pin',
  'enrollment-sign-in',
  'enrollment-choose-pin',
  'sponsor-tap',
  'sponsor-refused',
  'sponsor-pin',
  'sponsor-terms',
  'signed-in-temporary',
  'locked-temporary',
  'temporary-ended',
  'review-queue',
] as const;

/**
 * Walks every flow a clinician meets, screen by screen, calling `visit` on each: badge sign-in, a reader
 * failing, the provider's sign-in page, authenticator setup and step-up, the idle warning and lock, the PIN
 * pad (nurse-cow profile: badge and PIN), enrollment of a new badge, a locum's sponsored enrollment and its end,
 * the preferences panel, the break-glass dialog, just-in-time access (request, approver, countdown) and the privacy
 * officer's review queue.
 */
export async function tourScreens(fixture: TourFixture, visit: Visit): Promise<void> {
  const signIns: BrowserSignInOptions[] = [];
  /** Before the next sign-in is played: look at the provider's page as it first shows, and after a wrong password. */
  let probeProvider = false;
  const play = browserSignIn(fixture.browser(), () => {
    const next = signIns.shift();
    if (!next) throw new Error('the tour expected no further sign-in');
    return next;
  });
  const openSignIn = async (url: string, signIn?: Parameters<ReturnType<typeof browserSignIn>>[1]) => {
    if (probeProvider) {
      probeProvider = false;
      await visitProvider(fixture.browser(), url, visit);
    }
    return play(url, signIn);
  };

  // Badge only (default profile): sign in, a reader failing, authenticator setup and step-up, idle and lock.
  {
    const { demo, page } = await fixture.open({ openSignIn });
    const nurse = demo.user('nurse');
    await visit('lock-screen', page);
    await page.getByTestId('preferences-open').click();
    await page.getByTestId('preferences').waitFor();
    await visit('preferences', page);
    await page.getByTestId('preferences-close').click();
    await page.getByTestId('preferences').waitFor({ state: 'detached' });
    await readerFails(demo, page, 'reader-banner', () => visit('lock-screen-no-reader', page));
    await demo.tapAfterDebounce(nurse.badgeId);
    await page.getByTestId('workstation').waitFor();
    await visit('signed-in', page);
    await page.getByTestId('emergency-access').click();
    await page.getByTestId('break-glass-dialog').waitFor();
    await visit('break-glass-dialog', page);
    await page.getByTestId('bg-cancel').click();
    await page.getByTestId('break-glass-dialog').waitFor({ state: 'detached' });
    // Just-in-time access: the request form, the approver's badge and PIN, and a grant's countdown.
    await page.getByTestId('jit-request').click();
    await page.getByTestId('jit-dialog').waitFor();
    await visit('jit-dialog', page);
    await page.getByTestId('jit-scope-role').check();
    await page.getByTestId('jit-purpose-text').fill('Covering the ward');
    await page.getByTestId('jit-submit').click();
    await page.getByTestId('jit-tap-badge').waitFor();
    await demo.tapAfterDebounce(demo.user('er-physician').badgeId);
    await page.getByTestId('jit-approver-pin').waitFor();
    await visit('jit-approver', page);
    await page.getByTestId('jit-cancel').click();
    await page.getByTestId('jit-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('jit-request').click();
    await page.getByTestId('jit-scope-unit').check();
    await page.getByTestId('jit-purpose-text').fill('Covering the ED');
    await page.getByTestId('jit-submit').click();
    await page.getByTestId('jit-banner').waitFor();
    await visit('jit-banner', page);
    await page.getByTestId('jit-end-now').click();
    await page.getByTestId('jit-banner').waitFor({ state: 'detached' });
    await readerFails(demo, page, 'reader-chip', () => visit('signed-in-no-reader', page));

    probeProvider = true;
    signIns.push({ username: nurse.username, password: nurse.password });
    await page.getByTestId('setup-authenticator').click();
    await page.getByTestId('authenticator-setup').waitFor();
    await visit('authenticator-setup', page);
    const secret = ((await page.getByTestId('authenticator-secret').textContent()) ?? '').replace(/\s/g, '');
    const codeNow = () => generate({ secret, epoch: Math.floor(demo.clock.wallTime().getTime() / 1000) });
    await page.getByTestId('authenticator-code').fill(await codeNow());
    await page.getByTestId('authenticator-submit').click();
    await page.getByTestId('authenticator-setup').waitFor({ state: 'detached' });

    await demo.control('/control/advance', { ms: 30_000 }); // the setup code is never accepted again
    await page.evaluate(() =>
      (window as unknown as { careshell: CareShellApi }).careshell.session.requestStepUp({ action: 'break-glass' }),
    );
    await page.getByTestId('step-up-code').waitFor();
    await visit('step-up', page);
    await page.getByTestId('step-up-code').fill('000000');
    await page.getByTestId('step-up-submit').click();
    await page.getByTestId('step-up').getByTestId('notice').waitFor();
    await visit('step-up-wrong-code', page);
    await page.keyboard.press('Escape');
    await page.getByTestId('step-up').waitFor({ state: 'detached' });

    await idleUntilWarned(demo, page);
    await visit('idle-warning', page);
    await demo.control('/control/advance', { ms: demo.timing.warningMs });
    await lockScreen(page, 'locked');
    await visit('locked', page);
  }

  // Badge and PIN (nurse-cow): the PIN pad, and a wrong PIN.
  {
    const { demo, page } = await fixture.open({ profile: 'nurse-cow', openSignIn });
    const nurse = demo.user('nurse');
    await demo.tapAfterDebounce(nurse.badgeId);
    await page.getByTestId('workstation').waitFor();
    await page.getByTestId('lock-now').click();
    await lockScreen(page, 'locked');
    await demo.tapAfterDebounce(nurse.badgeId);
    await page.getByTestId('pin-pad').waitFor();
    await visit('pin-pad', page);
    await typePin(page, '0000');
    await page.getByTestId('notice').waitFor();
    await visit('pin-pad-wrong-pin', page);
  }

  // A new starter's badge: the sign-in step (while the clinician is at the provider), then choosing a PIN.
  {
    let fixtureDemo: BrowserDemo | undefined;
    const { demo, page } = (fixtureDemo = await fixture.open({
      openSignIn: async (url, signIn) => {
        await enrollmentStep(fixtureDemo!.page, 'sign-in');
        await visit('enrollment-sign-in', fixtureDemo!.page);
        return play(url, signIn);
      },
    }));
    signIns.push({ username: demo.newStarter.username, password: demo.newStarter.password });
    await demo.tapAfterDebounce(demo.unenrolledBadgeId);
    await enrollmentStep(page, 'choose-pin');
    await visit('enrollment-choose-pin', page);
  }

  // A locum (temporary staff): the sponsor dialog (badge, a refused sponsor, PIN, terms), the locum signed in and
  // locked as temporary, and their badge refused once the sponsorship ended (docs/temporary-access.md).
  {
    const { demo, page } = await fixture.open({ openSignIn });
    signIns.push({ username: demo.locum.username, password: demo.locum.password });
    await demo.tapAfterDebounce(demo.locumBadgeId);
    await enrollmentStep(page, 'choose-pin');
    await typePin(page, '2580');
    await typePin(page, '2580');
    await page.getByTestId('sponsor-tap').waitFor();
    await visit('sponsor-tap', page);
    await demo.tapAfterDebounce(demo.user('nurse').badgeId);
    await page.getByTestId('sponsor-error').waitFor();
    await visit('sponsor-refused', page);
    const charge = demo.user('charge-nurse');
    await demo.tapAfterDebounce(charge.badgeId);
    await page.getByTestId('sponsor-pin').waitFor();
    await visit('sponsor-pin', page);
    await page.getByTestId('sponsor-pin').fill(charge.pin);
    await page.getByTestId('sponsor-pin-submit').click();
    await page.getByTestId('sponsor-terms').waitFor();
    await visit('sponsor-terms', page);
    await page.getByTestId('sponsor-confirm').click();
    await page.getByTestId('temporary-chip').waitFor();
    await visit('signed-in-temporary', page);
    await page.getByTestId('lock-now').click();
    await page.getByTestId('locked-temporary').waitFor();
    await visit('locked-temporary', page);
    // The sponsor kept the policy's default of 7 days.
    await demo.control('/control/advance', { ms: 7 * 86_400_000 });
    await lockScreen(page, 'no-user');
    await demo.tapAfterDebounce(demo.locumBadgeId);
    await page.getByText(/temporary access ended/).waitFor();
    await visit('temporary-ended', page);
  }

  // The privacy officer's break-glass review queue.
  {
    const { demo, page } = await fixture.open({ openSignIn });
    await demo.tapAfterDebounce(demo.user('privacy-officer').badgeId);
    await page.getByTestId('open-review').click();
    await page.getByTestId('review-panel').waitFor();
    await visit('review-queue', page);
  }
}

/** Advances the clock to the idle warning, from the last activity main counted (the view says how long is left). */
async function idleUntilWarned(demo: TestDemo, page: Page): Promise<void> {
  const view = await page.evaluate(() =>
    (window as unknown as { careshell: CareShellApi }).careshell.session.getView(),
  );
  if (view.idleLockMsLeft === undefined) throw new Error(`no idle time on the ${view.screen} screen`);
  await demo.control('/control/advance', { ms: view.idleLockMsLeft - demo.timing.warningMs });
  await page.getByTestId('idle-warning').waitFor();
}

/** Stops the demo reader, visits the screen once `shown` appears, and starts the reader again. */
async function readerFails(demo: TestDemo, page: Page, shown: string, visitIt: () => Promise<void>): Promise<void> {
  await demo.reader.stop();
  await page.getByTestId(shown).waitFor();
  await visitIt();
  await demo.reader.start();
  await page.getByTestId(shown).waitFor({ state: 'detached' });
}

/** The provider's login page as the clinician first sees it, then after a wrong password; nobody signs in here. */
async function visitProvider(browser: Browser, url: string, visit: Visit): Promise<void> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('#login').waitFor();
    await visit('idp-login', page);
    await page.fill('#login', 'nobody');
    await page.fill('#password', 'wrong');
    await Promise.all([page.waitForLoadState('load'), page.click('#sign-in')]);
    await page.locator('#error').waitFor();
    await visit('idp-login-error', page);
  } finally {
    await context.close();
  }
}
