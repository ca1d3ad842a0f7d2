import { lockedDownWebPreferences } from './web-preferences.js';
import { BrowserWindow } from 'electron';
import { randomUUID } from 'node:crypto';

/**
 * The identity provider's sign-in page in its own window and throw-away partition (no cookies survive to
 * the next clinician). It closes itself once the provider redirects to msal's loopback listener.
 */
export function openSignInWindow(parent: BrowserWindow): (url: string) => Promise<void> {
  return async (url) => {
    const window = new BrowserWindow({
      parent,
      modal: true,
      width: 520,
      height: 720,
      title: 'Sign in',
      webPreferences: lockedDownWebPreferences({ partition: `signin-${randomUUID()}` }),
    });
    window.removeMenu();
    const closeOnLoopback = (_event: unknown, target: string) => {
      if (/^http:\/\/localhost(:\d+)?\//.test(target)) setTimeout(() => !window.isDestroyed() && window.close(), 1500);
    };
    window.webContents.on('did-navigate', closeOnLoopback);
    await window.loadURL(url);
  };
}
