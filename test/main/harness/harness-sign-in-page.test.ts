import { describe, expect, it } from 'vitest';
import { harnessSignInPages } from '../../../main/harness/harness-sign-in-page.js';
import type { OpenSignInPage } from '../../../main/identity/tokens/token-broker.js';

const URL_A = 'https://127.0.0.1:8443/authorize?state=a';
const URL_B = 'https://127.0.0.1:8443/authorize?state=b';

function pages() {
  const opened: string[] = [];
  const open: OpenSignInPage = async (url) => void opened.push(url);
  return { opened, ...harnessSignInPages(() => open) };
}

describe('the harness sign-in pages: a browser tab cannot be brought forward, so it says where the page is', () => {
  it('opens each page with the current opener, and names the waiting page by its address', async () => {
    const { opened, open, show } = pages();
    const ended = new AbortController();
    await open(URL_A, { cancel: () => {}, ended: ended.signal });
    expect(opened).toEqual([URL_A]);
    expect(show()).toEqual({
      ok: false,
      message: expect.stringContaining(`open in another tab or window at ${URL_A}`),
    });
  });

  it('says no page is open before any sign-in and after it ended, and names a newer page', async () => {
    const { open, show } = pages();
    expect(show()).toEqual({ ok: false, message: expect.stringMatching(/^No sign-in page is open/) });
    const first = new AbortController();
    await open(URL_A, { cancel: () => {}, ended: first.signal });
    const second = new AbortController();
    await open(URL_B, { cancel: () => {}, ended: second.signal });
    // The first sign-in ending late does not hide the one still waiting.
    first.abort();
    expect(show()).toMatchObject({ ok: false, message: expect.stringContaining(URL_B) });
    second.abort();
    expect(show()).toEqual({ ok: false, message: expect.stringMatching(/^No sign-in page is open/) });
  });
});
