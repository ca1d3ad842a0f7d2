import { describe, expect, it } from 'vitest';
import { useBrowserDemo } from '../support/browser-demo.js';
import { chromiumMissingReason } from '../support/chromium.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

describe.skipIf(missing)('what the clinician hears and sees at once', () => {
  const { open } = useBrowserDemo();

  it('every tap is confirmed as read, a refused one with its reason', async () => {
    const { demo, page } = await open();
    const cue = page.getByTestId('badge-read');
    await demo.control('/control/tap', { badgeId: demo.unenrolledBadgeId });
    await expect.poll(() => cue.textContent()).toBe('Badge read');
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Enrollment did not complete/); // no clinician signs in here
  });
});
