import type { Page } from 'playwright-core';

/** Waits for the lock screen in that state: nobody signed in, or a session kept behind it. */
export const lockScreen = (page: Page, screen: 'no-user' | 'locked') =>
  page.locator(`[data-testid="lock-screen"][data-screen="${screen}"]`).waitFor();

/** Who the header says is signed in, or null while no session is on screen (for expect.poll). */
export const signedInUser = (page: Page): Promise<string | null> =>
  page
    .getByTestId('signed-in-user')
    .textContent()
    .catch(() => null);

/** Waits for the enrollment card at that step. */
export const enrollmentStep = (page: Page, step: 'sign-in' | 'choose-pin') =>
  page.locator(`[data-testid="enrollment"][data-step="${step}"]`).waitFor();

/** Types a PIN on the keyboard and presses Enter, as a clinician at the PIN pad would. */
export async function typePin(page: Page, pin: string): Promise<void> {
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
}
