import { useEffect } from 'react';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'pointermove'] as const;
/** Main needs to hear about activity at most this often: the idle window is minutes, not milliseconds. */
export const ACTIVITY_THROTTLE_MS = 1000;

/** Tells main that a person is here, throttled, only while enabled (i.e. a session is on screen). */
export function useActivityReporter(enabled: boolean, report: () => void, urgent: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    let last = -Infinity;
    const onActivity = (event: Event) => {
      // The browser sends a pointer move that did not move when the page changes under a resting pointer (the
      // idle warning opening under it): that is no one at the screen.
      if (event.type === 'pointermove' && event instanceof MouseEvent && !event.movementX && !event.movementY) return;
      const now = performance.now();
      // During the warning countdown every interaction counts at once: the person is trying to stay.
      if (!urgent && now - last < ACTIVITY_THROTTLE_MS) return;
      last = now;
      report();
    };
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { passive: true, capture: true });
    return () => {
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
    };
  }, [enabled, report, urgent]);
}
