import type { Browser } from 'playwright-core';

export interface BrowserSignInOptions {
  username: string;
  password: string;
  /** What the user answers on the consent page. */
  consent?: 'allow' | 'deny';
  /** The local provider's CA is not in Chromium's store; the test trusts it through msal, not the browser. */
  ignoreHttpsErrors?: boolean;
}

/**
 * An `openBrowser(url)` for msal-node's interactive flow that plays the clinician in Chromium: fills the local
 * provider's login form, answers consent, and returns once the provider has posted the code to the loopback
 * redirect. Each call uses a fresh browser context, as a shared workstation's sign-in window would.
 */
export function browserSignIn(browser: Browser, who: () => BrowserSignInOptions): (url: string) => Promise<void> {
  return async (url) => {
    const options = who();
    const context = await browser.newContext({ ignoreHTTPSErrors: options.ignoreHttpsErrors ?? true });
    try {
      const page = await context.newPage();
      await page.goto(url);
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
