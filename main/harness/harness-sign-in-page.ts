import type { OpenSignInPage } from '../identity/tokens/token-broker.js';
import type { ShowSignInOutcome } from '../workstation/workstation-host.js';

/**
 * The harness's sign-in pages: opened by `open` (a browser tab, a printed URL, a scripted sign-in), which a page
 * in the browser cannot bring to the front. So `show` says where the waiting sign-in page is instead.
 */
export function harnessSignInPages(open: () => OpenSignInPage): { open: OpenSignInPage; show(): ShowSignInOutcome } {
  /** The address of the sign-in in progress, until it ends. */
  let pending: string | undefined;
  return {
    open: (url, page) => {
      pending = url;
      page.ended.addEventListener('abort', () => pending === url && (pending = undefined), { once: true });
      return open()(url, page);
    },
    show: () =>
      pending === undefined
        ? {
            ok: false,
            message: 'No sign-in page is open (it is still opening, or has just closed). Wait a moment, or cancel.',
          }
        : {
            ok: false,
            message: `The demo cannot bring a browser tab to the front: the sign-in page is open in another tab or window at ${pending}`,
          },
  };
}
