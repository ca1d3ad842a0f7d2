import { app, session as electronSession, type WebContents } from 'electron';
import { originOf, type NavigationGuard } from './navigation-guard.js';
import { blockedShortcut } from './kiosk-lockdown.js';

/**
 * Electron's security checklist applied to every web contents the app ever creates (docs/shell.md#hardening):
 * no new windows, every navigation, redirect and frame navigation checked against the surface's allow-list, no
 * webview tags, no reload / quit / DevTools shortcuts, DevTools closed at once in a packaged build, and every
 * permission denied unless allowed.
 */
export function applyHardening(options: {
  guard: NavigationGuard;
  packaged: boolean;
  log: { warn(message: string): void };
  allowedPermissions?: ReadonlySet<string>;
}): void {
  const { guard, log } = options;
  const allowedPermissions = options.allowedPermissions ?? new Set<string>();
  const protect = (contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    const check = (kind: string) => (event: Electron.Event<{ url: string }>) => {
      if (guard.allows(contents, event.url)) return;
      event.preventDefault();
      // The origin only: an EHR URL's path and query can name a patient.
      log.warn(
        `${kind} refused in the ${guard.surfaceOf(contents) ?? 'unknown'} surface: ${originOf(event.url) ?? 'a non-web URL'}`,
      );
    };
    contents.on('will-navigate', check('navigation'));
    contents.on('will-frame-navigate', check('frame navigation'));
    contents.on('will-redirect', check('redirect'));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('before-input-event', (event, input) => {
      if (blockedShortcut(input)) event.preventDefault();
    });
    if (options.packaged) contents.on('devtools-opened', () => contents.closeDevTools());
  };
  app.on('web-contents-created', (_event, contents) => protect(contents));
  app.on('session-created', (created) => denyPermissions(created, allowedPermissions));
  denyPermissions(electronSession.defaultSession, allowedPermissions);
}

function denyPermissions(target: Electron.Session, allowed: ReadonlySet<string>): void {
  target.setPermissionRequestHandler((_contents, permission, callback) => callback(allowed.has(permission)));
  target.setPermissionCheckHandler((_contents, permission) => allowed.has(permission));
}
