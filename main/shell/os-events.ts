import { powerMonitor } from 'electron';
import type { SessionService } from '../session/session-service.js';

/**
 * Walk-away signals from the OS lock the screen at once (DESIGN.md §3). Display-off has no Electron
 * event; it normally comes with lock-screen or suspend, which are covered here.
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
