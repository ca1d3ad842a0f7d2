import { powerMonitor, type BrowserWindow } from 'electron';
import type { HostOsEvent } from '../workstation/workstation-host.js';

/**
 * Walk-away and end-of-day signals from the OS, forwarded to the workstation (docs/shell.md#os-events).
 * Electron's lock-screen fires on Windows and macOS; on Linux the screen lock comes from logind
 * (main/os/logind-screen-lock.ts). shutdown fires on Linux and macOS before the OS ends the app, and Windows says
 * the same through the main window's session-end (log-off, restart, shut down); macOS reports
 * another OS user switching in as user-did-resign-active. The app's own did-resign-active is not forwarded: it
 * fires on every loss of focus (a keychain prompt, a system dialog) and would lock clinicians out mid-task.
 */
export function forwardOsEvents(onOsEvent: (event: HostOsEvent) => void, window: BrowserWindow): () => void {
  const forward = (event: HostOsEvent) => () => onOsEvent(event);
  const handlers = [
    ['suspend', forward('suspend')],
    ['resume', forward('resume')],
    ['lock-screen', forward('lock-screen')],
    ['shutdown', forward('shutdown')],
    ['user-did-resign-active', forward('resign-active')],
  ] as const;
  for (const [name, handler] of handlers) powerMonitor.on(name as 'suspend', handler);
  const sessionEnd = forward('shutdown');
  window.on('session-end', sessionEnd);
  return () => {
    for (const [name, handler] of handlers) powerMonitor.off(name as 'suspend', handler);
    window.off('session-end', sessionEnd);
  };
}

/** OS-wide idle time for the session engine, read only when its idle deadline fires. */
export const osIdleMs = (): number => powerMonitor.getSystemIdleTime() * 1000;
