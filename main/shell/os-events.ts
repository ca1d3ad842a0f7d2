import { powerMonitor } from 'electron';
import type { SessionService } from '../session/session-service.js';

/**
 * Walk-away signals from the OS lock the screen at once (DESIGN.md §3). Electron's lock-screen fires on
 * Windows and macOS; on Linux the screen lock comes from logind (main/os/logind-screen-lock.ts). Display-off
 * has no event anywhere; it normally comes with a screen lock or suspend, which are covered.
 */
export function forwardOsEvents(session: SessionService): () => void {
  const forward = (event: 'suspend' | 'resume' | 'lock-screen') => () => void session.handle({ type: 'os', event });
  const handlers = [
    ['suspend', forward('suspend')],
    ['resume', forward('resume')],
    ['lock-screen', forward('lock-screen')],
  ] as const;
  for (const [name, handler] of handlers) powerMonitor.on(name as 'suspend', handler);
  return () => {
    for (const [name, handler] of handlers) powerMonitor.off(name as 'suspend', handler);
  };
}

/** OS-wide idle time for the session engine, read only when its idle deadline fires. */
export const osIdleMs = (): number => powerMonitor.getSystemIdleTime() * 1000;
