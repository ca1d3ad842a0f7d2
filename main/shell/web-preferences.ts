import type { WebPreferences } from 'electron';

/** What a caller may choose per window or view; everything that bears on isolation is fixed below. */
export type ExtraWebPreferences = Pick<WebPreferences, 'preload' | 'partition' | 'javascript'>;

/**
 * The web preferences every window and view of the app gets (docs/shell.md#hardening): isolated, sandboxed, no Node in
 * any frame or worker, no webview tags, no middle-click (auxclick) opening links past the navigation allowlist.
 * The fixed keys come after the caller's, so no caller can switch one off.
 */
export function lockedDownWebPreferences(
  extra: ExtraWebPreferences = {},
  build: { packaged: boolean } = { packaged: true },
): WebPreferences {
  return {
    ...extra,
    // DevTools on a kiosk would hand window.careshell to whoever presses the shortcut; development builds keep them.
    devTools: !build.packaged,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webviewTag: false,
    disableBlinkFeatures: 'Auxclick',
    safeDialogs: true,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}
