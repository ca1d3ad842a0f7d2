import { app, session as electronSession, type WebContents } from 'electron';

/**
 * Electron's security checklist applied to every web contents the app ever creates (DESIGN.md §8):
 * no new windows, navigation only inside the allowlist, every permission denied unless allowed.
 */
export function applyHardening(options: {
  isAllowedNavigation: (url: string) => boolean;
  allowedPermissions?: ReadonlySet<string>;
}): void {
  const allowedPermissions = options.allowedPermissions ?? new Set<string>();
  const guard = (contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!options.isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  };
  app.on('web-contents-created', (_event, contents) => guard(contents));
  app.on('session-created', (created) => denyPermissions(created, allowedPermissions));
  denyPermissions(electronSession.defaultSession, allowedPermissions);
}

function denyPermissions(target: Electron.Session, allowed: ReadonlySet<string>): void {
  target.setPermissionRequestHandler((_contents, permission, callback) => callback(allowed.has(permission)));
  target.setPermissionCheckHandler((_contents, permission) => allowed.has(permission));
}
