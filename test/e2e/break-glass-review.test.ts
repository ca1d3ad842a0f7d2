import { describe, expect, it } from 'vitest';
import { useBrowserDemo } from '../support/browser-demo.js';
import { breakGlassStart } from '../support/break-glass-events.js';
import { chromiumMissingReason } from '../support/chromium.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

// The privacy office's side of break-glass, end to end: a break-glass start in the demo workstation's own journal
// is mailed to the privacy office (the demo's mailbox, shown on its control page) and forwarded to the review
// source; the privacy officer signs in with a badge, reviews it in the queue, and the decision is journaled.
describe.skipIf(missing)('break-glass alert and retrospective review', () => {
  const { open, browser } = useBrowserDemo();

  it('mails the alert, and the privacy officer reviews the episode; the decision is journaled', async () => {
    const { demo, page } = await open();
    const nurse = demo.user('clinical');
    const here = demo.careshell.session.view().workstation;
    await demo.workstation.journal.append(
      breakGlassStart({
        grantId: 'bg-e2e',
        userId: nurse.userId,
        displayName: nurse.displayName,
        workstation: here,
        patient: 'Patient/p-1005',
        startedAt: demo.clock.wallTime().toISOString(),
        reasonText: 'Unresponsive on arrival',
      }),
    );

    const controls = await browser().newPage();
    await controls.goto(demo.server.controlUrl);
    const subject = `Break-glass: ${nurse.displayName} opened Patient/p-1005 at ${here}`;
    await expect
      .poll(async () => {
        await controls.reload();
        return controls.locator('details.mail summary').allTextContents();
      })
      .toEqual([subject]);
    await controls.locator('details.mail summary').click();
    expect(await controls.locator('details.mail pre').textContent()).toContain('Unresponsive on arrival');

    await expect.poll(() => demo.reviewSource.resources().length).toBeGreaterThan(0);
    const officer = demo.user('privacy-officer');
    await demo.control('/control/tap', { badgeId: officer.badgeId });
    await page.getByTestId('workstation').waitFor();
    await page.getByTestId('open-review').click();
    const card = page.getByTestId('review-episode-bg-e2e');
    await card.waitFor();
    expect(await card.textContent()).toContain('Patient/p-1005');
    await page.getByTestId('review-note-bg-e2e').fill('Trauma bay, no history: justified');
    await page.getByTestId('review-justified-bg-e2e').click();
    await page.getByTestId('review-decided-bg-e2e').waitFor();

    const review = (await demo.audited()).find((e) => e.type === 'breakglass.review');
    expect(review).toMatchObject({
      actor: { userId: officer.userId, roles: ['privacy-officer'] },
      details: {
        grantId: 'bg-e2e',
        decision: 'justified',
        note: 'Trauma bay, no history: justified',
        subjectUserId: nurse.userId,
      },
    });
  });

  it('offers no review to a clinician', async () => {
    const { demo, page } = await open();
    await demo.control('/control/tap', { badgeId: demo.user('clinical').badgeId });
    await page.getByTestId('workstation').waitFor();
    expect(await page.getByTestId('open-review').count()).toBe(0);
  });
});
