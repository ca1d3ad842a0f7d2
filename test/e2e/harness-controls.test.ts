import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason, launchChromium } from '../support/chromium.js';
import { lockScreen } from '../support/e2e-page.js';
import { startTestDemo, type TestDemo } from '../support/test-demo.js';

const missing = chromiumMissingReason();
if (missing) console.log(`skipped e2e: ${missing}`);

// The demo's control page in real Chromium: its own forms still work under the harness's Origin check (a
// browser names the origin of a same-origin form post only under a referrer policy that allows it), and a form
// on another local origin neither taps a badge nor lands on a page that carries the token.
describe.skipIf(missing)('harness control page', () => {
  let demo: TestDemo;
  let browser: Browser;
  let other: Server;
  let otherOrigin: string;

  beforeAll(async () => {
    demo = await startTestDemo();
    browser = await launchChromium();
    // Another page on this machine, as any local web app or a page in another tab could serve.
    other = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<form method="post" action="${demo.server.origin}/control/tap"><input type="hidden" name="badgeId" value="${demo.user('nurse').badgeId}"><button id="go">go</button></form>`,
      );
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const address = other.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    otherOrigin = `http://localhost:${address.port}`;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => other?.close(resolve));
    await demo?.stop();
  });

  it("taps a badge from the control page's own form", async () => {
    const app = await browser.newPage();
    await app.goto(demo.server.appUrl);
    await lockScreen(app, 'no-user');
    const controls = await browser.newPage();
    await controls.goto(demo.server.controlUrl);
    // The demo has two nurses now (the charge nurse sponsors temporary staff): tap Ana's badge.
    await controls.getByRole('button', { name: /^Tap: Ana Lopez/ }).click();
    await expect.poll(() => controls.getByRole('status').textContent()).toBe('tap done');
    await app.getByTestId('workstation').waitFor();
  });

  it('refuses a form posted from another origin, without sending the browser to the token', async () => {
    const page = await browser.newPage();
    await page.goto(otherOrigin);
    const [response] = await Promise.all([page.waitForNavigation(), page.click('#go')]);
    expect(response?.status()).toBe(403);
    expect(page.url()).not.toContain(demo.server.token);
    expect(await page.content()).not.toContain(demo.server.token);
  });
});
