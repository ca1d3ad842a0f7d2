import type { FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserDemo } from '../support/browser-demo.js';
import { browserSignIn, type BrowserSignInOptions } from '../support/browser-sign-in.js';
import { chromiumMissingReason } from '../support/chromium.js';
import { lockScreen, typePin } from '../support/e2e-page.js';
import type { TestDemo } from '../support/test-demo.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

const RESTRICTED = 'p-1005'; // on another unit than the demo nurse's: restricted for her

/**
 * Break-glass end to end on the demo EHR (docs/break-glass.md): the EHR framed in the harness, its restricted page's
 * link, the dialog, the step-up (a fresh sign-in at the local provider, played in Chromium), the grant on the EHR's
 * server, the countdown above the EHR, and every way the grant ends.
 */
describe.skipIf(missing)('break-glass in the browser, on the demo EHR', () => {
  const fixture = useBrowserDemo();
  let demo: TestDemo;
  let page: Page;
  let signIns: BrowserSignInOptions[];

  async function open(
    breakGlassPolicy?: Record<string, unknown>,
    session?: Record<string, unknown>,
    stepUp?: Record<string, unknown>,
  ): Promise<void> {
    signIns = [];
    const play = browserSignIn(fixture.browser(), () => {
      const next = signIns.shift();
      if (!next) throw new Error('the test expected no further sign-in');
      return next;
    });
    ({ demo, page } = await fixture.open({
      profile: 'nurse-cow',
      openSignIn: (url, signIn) => play(url, signIn),
      ...(breakGlassPolicy ? { breakGlass: breakGlassPolicy } : {}),
      ...(session ? { session } : {}),
      ...(stepUp ? { stepUp } : {}),
    }));
  }

  const ehr = (): FrameLocator => page.frameLocator('[data-testid="ehr-frame"]');
  const signedInAs = (role: string) =>
    page.getByTestId('signed-in-user').filter({ hasText: demo.user(role).displayName });

  async function signIn(role: string): Promise<void> {
    await demo.tapAfterDebounce(demo.user(role).badgeId);
    await signedInAs(role).waitFor();
    await ehr().locator('body').waitFor();
  }

  /** Opens the restricted chart in the EHR frame, as the clinician would by its address. */
  async function openRestricted(): Promise<void> {
    await goInEhr(`/patients/${RESTRICTED}`);
    await ehr().locator('#restricted').waitFor();
  }

  /** Navigates the EHR frame (not the harness page, which is on 127.0.0.1 too). */
  async function goInEhr(path: string): Promise<void> {
    const frame = await (await page.getByTestId('ehr-frame').elementHandle())?.contentFrame();
    if (!frame) throw new Error('the EHR frame is not loaded');
    await frame.goto(`${demo.ehr.origin}${path}`);
  }

  /** Fills the dialog and confirms; the step-up is a fresh sign-in as `as` (none: the step-up is not a sign-in). */
  async function breakGlass(as: BrowserSignInOptions | undefined, minutes = '60'): Promise<void> {
    const dialog = page.getByTestId('break-glass-dialog');
    await dialog.waitFor();
    await page.getByTestId('bg-reason-emergency-care').check();
    await page.getByTestId('bg-reason-text').fill('Collapsed in the corridor, no history available');
    await page.getByTestId('bg-duration').selectOption(minutes);
    await page.getByTestId('bg-attest').check();
    if (as) signIns.push(as);
    await page.getByTestId('bg-confirm').click();
  }

  const nurseAtProvider = (): BrowserSignInOptions => ({
    username: demo.user('nurse').username,
    password: demo.user('nurse').password,
  });

  /** The grant as the EHR's server sees it, asked with the nurse's own token. */
  async function grantOnServer(): Promise<string | undefined> {
    const started = (await demo.audited()).find((e) => e.type === 'breakglass.start' && e.outcome === 'success');
    return started?.details?.grantId as string | undefined;
  }

  it('restricted chart -> link -> dialog -> step-up -> chart opens -> countdown -> lock/resume keeps it -> expiry ends it on the server', async () => {
    await open();
    await signIn('nurse');
    await openRestricted();
    await ehr().locator('#break-glass').click();
    await breakGlass(nurseAtProvider(), '15');
    // The chart of the restricted patient is served by the EHR under the grant.
    await page.getByTestId('break-glass-banner').waitFor();
    await ehr().locator('h1', { hasText: /.+/ }).first().waitFor();
    await expect.poll(async () => ehr().locator('#restricted').count()).toBe(0);
    expect(await page.getByTestId('bg-time-left').textContent()).toMatch(/^1[45]:\d\d$/);
    expect(await grantOnServer()).toMatch(/.+/);
    // The privacy office hears of it at once: the alert for this episode is in the demo's mailbox.
    await expect
      .poll(() => demo.mailbox.mails.map((mail) => mail.subject), { timeout: 15_000 })
      .toEqual([expect.stringMatching(/^Break-glass: .+ opened Patient\/p-\d+ at /)]);

    // Lock and resume: the grant and its banner are still there, and the chart reopens.
    await page.getByTestId('lock-now').click();
    await lockScreen(page, 'locked');
    expect(await page.getByTestId('break-glass-banner').count()).toBe(0);
    await demo.tapAfterDebounce(demo.user('nurse').badgeId);
    await page.getByTestId('pin-pad').waitFor();
    await typePin(page, demo.user('nurse').pin);
    await page.getByTestId('break-glass-banner').waitFor();
    await ehr().locator('body').waitFor();
    await expect.poll(async () => ehr().locator('#restricted').count()).toBe(0);

    // Expiry while locked (inside the grace period): ended on the server; after resume the EHR refuses again.
    await page.getByTestId('lock-now').click();
    await lockScreen(page, 'locked');
    await demo.control('/control/advance', { ms: 15 * 60_000 + 1_000 });
    await expect
      .poll(async () =>
        (await demo.audited()).filter((e) => e.type === 'breakglass.stop').map((e) => e.details?.endedBy),
      )
      .toEqual(['expiry']);
    await demo.tapAfterDebounce(demo.user('nurse').badgeId);
    await page.getByTestId('pin-pad').waitFor();
    await typePin(page, demo.user('nurse').pin);
    await signedInAs('nurse').waitFor();
    await ehr().locator('#restricted').waitFor();
    expect(await page.getByTestId('break-glass-banner').count()).toBe(0);
  });

  it('end now ends the grant on the server and the chart is gone', async () => {
    await open();
    await signIn('nurse');
    await openRestricted();
    await ehr().locator('#break-glass').click();
    await breakGlass(nurseAtProvider());
    await page.getByTestId('break-glass-banner').waitFor();
    await expect.poll(async () => ehr().locator('#restricted').count()).toBe(0);
    await page.getByTestId('bg-end-now').click();
    await page.getByTestId('break-glass-banner').waitFor({ state: 'detached' });
    await ehr().locator('#restricted').waitFor();
    await expect
      .poll(async () =>
        (await demo.audited()).filter((e) => e.type === 'breakglass.stop').map((e) => e.details?.endedBy),
      )
      .toEqual(['end-now']);
  });

  it('a step-up as somebody else refuses: nothing is granted and the chart stays restricted', async () => {
    await open();
    await signIn('nurse');
    await openRestricted();
    await ehr().locator('#break-glass').click();
    const physician = demo.user('er-physician');
    await breakGlass({ username: physician.username, password: physician.password });
    await page.getByTestId('bg-error').waitFor();
    expect(await page.getByTestId('break-glass-banner').count()).toBe(0);
    expect((await demo.audited()).filter((e) => e.type === 'breakglass.start')).toEqual([]);
  });

  it('a billing clerk is offered no emergency access, neither in the header nor in the EHR', async () => {
    await open();
    await signIn('billing-clerk');
    await openRestricted();
    expect(await ehr().locator('#break-glass').count()).toBe(0);
    expect(await page.getByTestId('emergency-access').count()).toBe(0);
  });

  it('from the header, for all restricted charts; the session ending ends the grant on the server', async () => {
    await open();
    await signIn('nurse');
    await page.getByTestId('emergency-access').click();
    await page.getByTestId('bg-scope-all-restricted').check();
    await breakGlass(nurseAtProvider());
    await page.getByTestId('break-glass-banner').waitFor();
    await goInEhr(`/patients/${RESTRICTED}`);
    await expect.poll(async () => ehr().locator('#restricted').count()).toBe(0);
    // Locked past the grace period: the session ends, and its grant with it.
    await page.getByTestId('lock-now').click();
    await lockScreen(page, 'locked');
    await demo.control('/control/advance', { ms: demo.timing.graceMs + 1_000 });
    await lockScreen(page, 'no-user');
    await expect
      .poll(async () =>
        (await demo.audited()).filter((e) => e.type === 'breakglass.stop').map((e) => e.details?.endedBy),
      )
      .toEqual(['session-end']);
  });

  it('above the frequency limit a second clinician co-signs at the workstation with badge + PIN', async () => {
    await open({ scopes: ['patient'], frequency: { warnAt: 1, cosignAbove: 0 } });
    await signIn('nurse');
    await openRestricted();
    await ehr().locator('#break-glass').click();
    await page.getByTestId('bg-cosign').waitFor();
    await page.getByTestId('bg-frequency').waitFor();
    // The nurse's own badge does not co-sign, and taps no longer sign anyone in while the dialog waits.
    await demo.tapAfterDebounce(demo.user('nurse').badgeId);
    await page.getByTestId('bg-cosign-error').filter({ hasText: 'another clinician' }).waitFor();
    const physician = demo.user('er-physician');
    await demo.tapAfterDebounce(physician.badgeId);
    await page.getByTestId('bg-cosign-pin').fill(physician.pin);
    await page.getByTestId('bg-cosign-submit').click();
    await page.getByTestId('bg-cosigned').waitFor();
    await signedInAs('nurse').waitFor();
    await breakGlass(nurseAtProvider());
    await page.getByTestId('break-glass-banner').waitFor();
    const start = (await demo.audited()).find((e) => e.type === 'breakglass.start');
    expect(start?.details).toMatchObject({ cosignedBy: physician.userId, episodesIn30Days: 1 });
  });

  it('signing out (tap-out by policy) ends the grant on the EHR server', async () => {
    await open(undefined, { tapOut: { sameUser: 'sign-out' } });
    await signIn('nurse');
    await openRestricted();
    await ehr().locator('#break-glass').click();
    await breakGlass(nurseAtProvider());
    await page.getByTestId('break-glass-banner').waitFor();
    await expect.poll(async () => ehr().locator('#restricted').count()).toBe(0);
    await demo.control('/control/advance', { ms: 5_000 });
    await demo.tapAfterDebounce(demo.user('nurse').badgeId);
    await lockScreen(page, 'no-user');
    expect(await page.getByTestId('ehr-frame').count()).toBe(0);
    await expect
      .poll(async () =>
        (await demo.audited()).filter((e) => e.type === 'breakglass.stop').map((e) => e.details?.endedBy),
      )
      .toEqual(['sign-out']);
  });

  it('where policy accepts the PIN, the clinician proves it with their own PIN; a wrong one is counted as at the lock screen', async () => {
    await open(undefined, undefined, {
      actions: { 'break-glass': { methods: ['pin', 'idp'], allowedRoles: ['clinical'], maxAuthAgeMs: 300_000 } },
    });
    await signIn('nurse');
    await openRestricted();
    await ehr().locator('#break-glass').click();
    await breakGlass(undefined);
    await page.getByTestId('step-up').getByTestId('pin-pad').waitFor();
    const pin = demo.user('nurse').pin;
    await typePin(
      page,
      pin.replace(/\d/g, (d) => String((Number(d) + 1) % 10)),
    ); // every digit wrong
    await page
      .getByTestId('step-up')
      .getByTestId('notice')
      .filter({ hasText: /Wrong PIN/ })
      .waitFor();
    expect(await grantOnServer()).toBeUndefined();
    await demo.control('/control/advance', { ms: 5_000 }); // past the wrong PIN's back-off
    await typePin(page, pin);
    await page.getByTestId('break-glass-banner').waitFor();
    await expect.poll(async () => ehr().locator('#restricted').count()).toBe(0);
    const events = await demo.audited();
    expect(events.filter((e) => e.type === 'pin.failure')).toHaveLength(1);
    expect(events.find((e) => e.type === 'breakglass.start')?.details).toMatchObject({ stepUp: 'pin' });
  });
});
