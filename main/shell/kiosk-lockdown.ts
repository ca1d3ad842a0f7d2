import { app, Menu, type BrowserWindow } from 'electron';

/** The parts of Electron's Input a shortcut check reads. */
export type ShortcutInput = Pick<Electron.Input, 'type' | 'key' | 'control' | 'meta' | 'shift' | 'alt'>;

const BLOCKED_FUNCTION_KEYS = new Set(['f5', 'f11', 'f12']);
// Reload (R, and Shift+R), quit (Q), close window (W), new window (N) with Ctrl or Cmd.
const BLOCKED_WITH_COMMAND = new Set(['r', 'q', 'w', 'n']);
// DevTools, console and inspector: Ctrl+Shift+I/J/C, Cmd+Alt+I/J/C (Ctrl+C alone is copy and stays).
const DEVTOOLS_KEYS = new Set(['i', 'j', 'c']);

/**
 * Shortcuts Chromium or Electron would act on in a kiosk: reload (losing an unsaved EHR note or the lock screen's
 * state), quit, close, full screen, DevTools. The application menu is gone, so this is the second line.
 */
export function blockedShortcut(input: ShortcutInput): boolean {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return false;
  const key = input.key.toLowerCase();
  if (BLOCKED_FUNCTION_KEYS.has(key)) return true;
  const command = input.control || input.meta;
  if (!command) return false;
  if (BLOCKED_WITH_COMMAND.has(key)) return true;
  return (input.shift || (input.meta && input.alt)) && DEVTOOLS_KEYS.has(key);
}

/**
 * No application menu (its roles carry reload, DevTools and quit accelerators), and nothing closes or quits on its
 * own: a close button, Alt+F4, the window manager, Cmd+Q from the dock, or the last window going away are each
 * prevented first and handed to askToQuit, where policy answers (docs/shell.md#kiosk).
 */
export function lockDownKiosk(options: {
  window: BrowserWindow;
  /** Called with the event already prevented; quits through the workstation's shutdown order when allowed. */
  askToQuit: (event?: Electron.Event) => void;
  log: { info(message: string): void };
}): () => void {
  Menu.setApplicationMenu(null);
  const { window, askToQuit } = options;
  const onClose = (event: Electron.Event) => askToQuit(event);
  const onAllClosed = () => askToQuit();
  window.on('close', onClose);
  app.on('before-quit', onClose);
  app.on('window-all-closed', onAllClosed);
  return () => {
    window.off('close', onClose);
    app.off('before-quit', onClose);
    app.off('window-all-closed', onAllClosed);
  };
}
