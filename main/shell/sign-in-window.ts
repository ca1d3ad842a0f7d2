import { BrowserWindow } from 'electron';
import { randomUUID } from 'node:crypto';
import type { OpenSignInPage } from '../identity/tokens/token-broker.js';
import type { ShowSignInOutcome } from '../workstation/workstation-host.js';
import type { NavigationGuard } from './navigation-guard.js';
import { lockedDownWebPreferences } from './web-preferences.js';

/** The sign-in window's two host capabilities: open it for a sign-in, and bring it back to the front. */
export interface SignInWindows {
  open: OpenSignInPage;
  show(): ShowSignInOutcome;
}

/**
 * The identity provider's sign-in page in its own window and throw-away partition (no cookies survive to
 * the next clinician). It is the only surface allowed the loopback redirect (navigation-guard.ts) and sits above
 * the main window, which is kept on top while locked. Closing the window cancels the sign-in at once; the window
 * closes itself when the sign-in is over (answered, timed out or failed). It can still go behind another app or
 * be minimised: the lock screen's "Show the sign-in window" calls show().
 */
export function signInWindows(parent: BrowserWindow, guard: NavigationGuard): SignInWindows {
  /** The window of the sign-in in progress; a newer sign-in's window replaces it. */
  let current: BrowserWindow | undefined;
  const open: OpenSignInPage = async (url, signIn) => {
    const window = new BrowserWindow({
      parent,
      modal: true,
      width: 520,
      height: 720,
      title: 'Sign in',
      webPreferences: lockedDownWebPreferences({ partition: `signin-${randomUUID()}` }),
    });
    current = window;
    guard.mark(window.webContents, 'sign-in');
    window.removeMenu();
    window.setAlwaysOnTop(true, 'screen-saver');
    // After the answer has arrived this is a no-op; before it, the sign-in fails instead of waiting forever.
    window.on('closed', () => {
      if (current === window) current = undefined;
      signIn.cancel();
    });
    signIn.ended.addEventListener('abort', () => !window.isDestroyed() && window.close(), { once: true });
    try {
      await window.loadURL(url);
    } catch (error) {
      // Closed while loading: the cancel above carries the outcome, not the aborted load.
      if (window.isDestroyed()) return;
      throw error;
    }
  };
  const show = (): ShowSignInOutcome => {
    const window = current;
    if (!window || window.isDestroyed()) {
      return {
        ok: false,
        message: 'The sign-in window is not open (it is still opening, or has just closed). Wait a moment, or cancel.',
      };
    }
    if (window.isMinimized()) window.restore();
    window.show();
    // Above the main window, which is kept on top at the same level while locked.
    window.setAlwaysOnTop(true, 'screen-saver');
    window.moveTop();
    window.focus();
    return { ok: true };
  };
  return { open, show };
}
