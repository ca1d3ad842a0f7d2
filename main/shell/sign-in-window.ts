import { BrowserWindow } from 'electron';
import { randomUUID } from 'node:crypto';
import type { OpenSignInPage } from '../identity/tokens/token-broker.js';
import type { NavigationGuard } from './navigation-guard.js';
import { lockedDownWebPreferences } from './web-preferences.js';

/**
 * The identity provider's sign-in page in its own window and throw-away partition (no cookies survive to
 * the next clinician). It is the only surface allowed the loopback redirect (navigation-guard.ts) and sits above
 * the main window, which is kept on top while locked. Closing the window cancels the sign-in at once; the window
 * closes itself when the sign-in is over (answered, timed out or failed).
 */
export function openSignInWindow(parent: BrowserWindow, guard: NavigationGuard): OpenSignInPage {
  return async (url, signIn) => {
    const window = new BrowserWindow({
      parent,
      modal: true,
      width: 520,
      height: 720,
      title: 'Sign in',
      webPreferences: lockedDownWebPreferences({ partition: `signin-${randomUUID()}` }),
    });
    guard.mark(window.webContents, 'sign-in');
    window.removeMenu();
    window.setAlwaysOnTop(true, 'screen-saver');
    // After the answer has arrived this is a no-op; before it, the sign-in fails instead of waiting forever.
    window.on('closed', () => signIn.cancel());
    signIn.ended.addEventListener('abort', () => !window.isDestroyed() && window.close(), { once: true });
    try {
      await window.loadURL(url);
    } catch (error) {
      // Closed while loading: the cancel above carries the outcome, not the aborted load.
      if (window.isDestroyed()) return;
      throw error;
    }
  };
}
