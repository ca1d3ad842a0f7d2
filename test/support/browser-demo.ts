import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium } from './chromium.js';
import { lockScreen } from './e2e-page.js';
import { startTestDemo, type TestDemo } from './test-demo.js';

export interface BrowserDemo {
  demo: TestDemo;
  page: Page;
}

/**
 * Registers an e2e file's fixture: one Chromium for the file, and for each test that calls open() a demo of its
 * own (data folder, identity provider, manual clock) shown on a new page, both closed after that test. No test
 * sees what another left behind, so the file passes in any order (`vitest run --sequence.shuffle`).
 */
export function useBrowserDemo(): {
  browser: () => Browser;
  open(options?: Parameters<typeof startTestDemo>[0]): Promise<BrowserDemo>;
} {
  let browser: Browser | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    await browser?.close();
  });
  const started = () => {
    if (!browser) throw new Error('useBrowserDemo: Chromium is not running (open() belongs inside a test)');
    return browser;
  };
  return {
    browser: started,
    async open(options = {}) {
      const demo = await startTestDemo(options);
      closers.push(() => demo.stop());
      // A page of its own context: axe-core (test/support/screen-checks.ts) needs one it can open pages in.
      const context = await started().newContext({ viewport: { width: 1280, height: 800 } });
      closers.push(() => context.close());
      const page = await context.newPage();
      await page.goto(demo.server.appUrl);
      await lockScreen(page, 'no-user');
      return { demo, page };
    },
  };
}
