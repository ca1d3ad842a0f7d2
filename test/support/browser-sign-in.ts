import type { Browser } from 'playwright-core';
import type { SignInPage } from '../../main/identity/tokens/token-broker.js';

export interface BrowserSignInOptions {
  username: string;
  password: string;
  /** What the user answers on the consent page. */
  consent?: 'allow' | 'deny';
  /** The local provider's CA is not in Chromium's store; the test trusts it through msal, not the browser. */
  ignoreHttpsErrors?: boolean;
  /** Walks away: closes the page once the login form shows, without signing in. */
  abandon?: boolean;
}

/**
 * An `openBrowser(url, signIn)` for the interactive flow that plays the clinician in Chromium: fills the local
 * provider's login form, answers consent, and returns once the provider has posted the code to the loopback
 * redirect. Each call uses a fresh browser context, as a shared workstation's sign-in window would; closing
 * its page cancels the sign-in, as closing the shell's sign-in window does.
 */
export function browserSignIn(
  browser: Browser,
  who: () => BrowserSignInOptions,
): (url: string, signIn?: SignInPage) => Promise<void> {
  return async (url, signIn) => {
    const options = who();
    const context = await browser.newContext({ ignoreHTTPSErrors: options.ignoreHttpsErrors ?? true });
    try {
      const page = await context.newPage();
      page.on('close', () => signIn?.cancel());
      await page.goto(url);
      if (options.abandon) {
        await page.locator('#login').waitFor({ timeout: 15_000 });
        await page.close();
        return;
      }
      for (let step = 0; step < 6; step += 1) {
        if (page.url().startsWith('http://localhost')) break;
        const login = page.locator('#login');
        const allow = page.locator('#allow');
        await Promise.race([
          login.waitFor({ timeout: 15_000 }),
          allow.waitFor({ timeout: 15_000 }),
          page.waitForURL(/^http:\/\/localhost/, { timeout: 15_000 }),
        ]);
        if (page.url().startsWith('http://localhost')) break;
        if (await login.isVisible()) {
          await login.fill(options.username);
          await page.fill('#password', options.password);
          await Promise.all([page.waitForLoadState('load'), page.click('#sign-in')]);
          if (await page.locator('#error').isVisible()) {
            throw new Error(`The provider refused the credentials of ${options.username}.`);
          }
        } else if (await allow.isVisible()) {
          await page.click(options.consent === 'deny' ? '#deny' : '#allow');
        }
        await page.waitForLoadState('load');
      }
      await page.waitForURL(/^http:\/\/localhost/, { timeout: 15_000 });
      await page.waitForLoadState('load');
    } finally {
      await context.close();
    }
  };
}
