import type { FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserDemo } from '../support/browser-demo.js';
import { chromiumMissingReason } from '../support/chromium.js';
import { lockScreen, typePin } from '../support/e2e-page.js';
import type { TestDemo } from '../support/test-demo.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

/**
 * Just-in-time access end to end on the demo EHR (docs/temporary-access.md#just-in-time-access): the header's
 * "Request access", the dialog, a second clinician's badge and PIN at the same workstation, the grant on the EHR's
 * server, the scope open in the framed EHR, the countdown above it, and its end at expiry.
 */
describe.skipIf(missing)('just-in-time access in the browser, on the demo EHR', () => {
  const fixture = useBrowserDemo();
  let demo: TestDemo;
  let page: Page;

  async function open(): Promise<void> {
    ({ demo, page } = await fixture.open({ profile: 'nurse-cow' }));
  }

  const ehr = (): FrameLocator => page.frameLocator('[data-testid="ehr-frame"]');
  const signedInAs = (role: string) =>
    page.getByTestId('signed-in-user').filter({ hasText: demo.user(role).displayName });

  async function signIn(role: string): Promise<void> {
    await demo.tapAfterDebounce(demo.user(role).badgeId);
    await signedInAs(role).waitFor();
    await ehr().locator('body').waitFor();
  }

  /** Navigates the EHR frame (not the harness page, which is on 127.0.0.1 too). */
  async function goInEhr(path: string): Promise<void> {
    const frame = await (await page.getByTestId('ehr-frame').elementHandle())?.contentFrame();
    if (!frame) throw new Error('the EHR frame is not loaded');
    await frame.goto(`${demo.ehr.origin}${path}`);
  }

  /** Opens "Request access" and sends a request for the scope. */
  async function request(scope: 'unit' | 'role', value: string, minutes = '30'): Promise<void> {
    await page.getByTestId('jit-request').click();
    await page.getByTestId('jit-dialog').waitFor();
    await page.getByTestId(`jit-scope-${scope}`).check();
    await page.getByTestId('jit-value').selectOption(value);
    await page.getByTestId('jit-purpose-text').fill('Charge nurse called in sick; covering the ward');
    await page.getByTestId('jit-duration').selectOption(minutes);
    await page.getByTestId('jit-submit').click();
  }

  const jitEvents = async (type: string) => (await demo.audited()).filter((e) => e.type === type);

  it('request -> a second badge and PIN approve -> the staffing board opens in the EHR -> expiry closes it', async () => {
    await open();
    await signIn('nurse');
    await goInEhr('/staffing');
    await ehr().locator('h1', { hasText: 'Charge nurses only' }).waitFor();
    await request('role', 'charge-nurse', '5');
    await page.getByTestId('jit-tap-badge').waitFor();
    // A tap while the request waits is the approver's, not a sign-in.
    const physician = demo.user('er-physician');
    await demo.tapAfterDebounce(physician.badgeId);
    await page.getByTestId('jit-approver-pin').fill(physician.pin);
    await page.getByTestId('jit-approve').click();
    await page.getByTestId('jit-banner').waitFor();
    await signedInAs('nurse').waitFor();
    expect(await page.getByTestId('jit-approved-by').textContent()).toBe(`approved by ${physician.displayName}`);
    await ehr().locator('#staffing').waitFor();
    expect(await page.getByTestId('jit-time-left').textContent()).toMatch(/^[45]:\d\d$/);
    const [start] = await jitEvents('jit.start');
    expect(start).toMatchObject({
      outcome: 'success',
      actor: { userId: demo.user('nurse').userId },
      details: { scope: 'role', scopeValue: 'charge-nurse', approval: 'approver', approvedBy: physician.userId },
    });

    // Expiry (the EHR's clock) while locked: ended on the server; after resume the board is refused again.
    await page.getByTestId('lock-now').click();
    await lockScreen(page, 'locked');
    await demo.control('/control/advance', { ms: 5 * 60_000 + 1_000 });
    await expect.poll(async () => (await jitEvents('jit.end')).map((e) => e.details?.endedBy)).toEqual(['expiry']);
    await demo.tapAfterDebounce(demo.user('nurse').badgeId);
    await page.getByTestId('pin-pad').waitFor();
    await typePin(page, demo.user('nurse').pin);
    await signedInAs('nurse').waitFor();
    expect(await page.getByTestId('jit-banner').count()).toBe(0);
    await ehr().locator('body').waitFor();
    await goInEhr('/staffing');
    await ehr().locator('h1', { hasText: 'Charge nurses only' }).waitFor();
  });

  it("refuses the requester's own badge and an approver of a wrong role, and a refusal grants nothing", async () => {
    await open();
    await signIn('nurse');
    await request('role', 'charge-nurse');
    await page.getByTestId('jit-tap-badge').waitFor();
    await demo.tapAfterDebounce(demo.user('nurse').badgeId);
    await page.getByTestId('jit-error').filter({ hasText: 'cannot approve your own request' }).waitFor();
    await demo.tapAfterDebounce(demo.user('billing-clerk').badgeId);
    await page.getByTestId('jit-error').filter({ hasText: 'may not approve this request' }).waitFor();
    // Still the nurse's session: neither tap signed anyone in.
    await signedInAs('nurse').waitFor();
    const refusals = await jitEvents('jit.approve');
    expect(refusals.map((e) => [e.outcome, e.details?.refusal])).toEqual([
      ['failure', 'self-approval'],
      ['failure', 'approver-role'],
    ]);
    // The physician reads it and refuses, with a reason.
    const physician = demo.user('er-physician');
    await demo.tapAfterDebounce(physician.badgeId);
    await page.getByTestId('jit-approver-pin').fill(physician.pin);
    await page.getByTestId('jit-refuse').click();
    await page.getByTestId('jit-refuse-reason').fill('The ward has a charge nurse tonight');
    await page.getByTestId('jit-refuse').click();
    await page.getByTestId('jit-error').filter({ hasText: 'refused the request' }).waitFor();
    expect(await jitEvents('jit.start')).toEqual([]);
    expect((await jitEvents('jit.refuse'))[0]).toMatchObject({
      actor: { userId: physician.userId },
      reason: 'The ward has a charge nurse tonight',
    });
    await page.getByTestId('jit-cancel').click();
    await goInEhr('/staffing');
    await ehr().locator('h1', { hasText: 'Charge nurses only' }).waitFor();
  });

  it('a low-risk scope is granted at once: the unit census and its charts open; End now closes them', async () => {
    await open();
    await signIn('nurse');
    await goInEhr('/patients/p-1004');
    await ehr().locator('#restricted').waitFor();
    await request('unit', 'unit-ed');
    await page.getByTestId('jit-banner').waitFor();
    expect(await page.getByTestId('jit-approved-by').textContent()).toBe('approved by policy');
    await ehr().locator('#unit-census').waitFor();
    await goInEhr('/patients/p-1004');
    await ehr().locator('#jit-grant').waitFor();
    await page.getByTestId('jit-end-now').click();
    await page.getByTestId('jit-banner').waitFor({ state: 'detached' });
    await goInEhr('/patients/p-1004');
    await ehr().locator('#restricted').waitFor();
    expect((await jitEvents('jit.end')).map((e) => e.details?.endedBy)).toEqual(['end-now']);
  });

  it("lists the grant in the privacy officer's review, beside break-glass, from the review source", async () => {
    await open();
    await signIn('nurse');
    await request('role', 'charge-nurse');
    // Tapped only once the request waits for its approver: sooner, the tap would be a sign-in.
    await page.getByTestId('jit-tap-badge').waitFor();
    const physician = demo.user('er-physician');
    await demo.tapAfterDebounce(physician.badgeId);
    await page.getByTestId('jit-approver-pin').fill(physician.pin);
    await page.getByTestId('jit-approve').click();
    await page.getByTestId('jit-banner').waitFor();
    await page.getByTestId('jit-end-now').click();
    await page.getByTestId('jit-banner').waitFor({ state: 'detached' });
    // Every workstation forwards its events to the review source the queue reads.
    await expect
      .poll(() => demo.reviewSource.resources().filter((r) => JSON.stringify(r).includes('jit.end')).length, {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await page.getByTestId('lock-now').click();
    await lockScreen(page, 'locked');
    await demo.tapAfterDebounce(demo.user('privacy-officer').badgeId);
    await page.getByTestId('open-review').click();
    const entry = page.getByTestId('review-jit-entry');
    await entry.waitFor();
    const text = await entry.textContent();
    expect(text).toContain(demo.user('nurse').displayName);
    expect(text).toContain('role: charge-nurse (30 min)');
    expect(text).toContain('Charge nurse called in sick');
    expect(text).toContain(`approved by ${physician.displayName}`);
    expect(text).toContain('(end-now)');
  });
});
