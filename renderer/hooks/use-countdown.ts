import { useEffect, useState } from 'react';

/** performance.now(), re-read four times a second while active (no timer at all otherwise). */
function useTicker(active: boolean, receivedAt: number): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(timer);
  }, [active, receivedAt]);
  return now;
}

/**
 * Counts down locally from a "milliseconds left" value sent by main, so the screen ticks every second
 * without a message per second. Main stays the authority: it sends a new value on every change.
 */
export function useCountdown(msLeft: number | undefined, receivedAt: number): number | undefined {
  const now = useTicker(msLeft !== undefined, receivedAt);
  return msLeft === undefined ? undefined : Math.max(0, msLeft - Math.max(0, now - receivedAt));
}

/** The same, counting up (time since sign-in). */
export function useElapsed(elapsedMs: number | undefined, receivedAt: number): number | undefined {
  const now = useTicker(elapsedMs !== undefined, receivedAt);
  return elapsedMs === undefined ? undefined : elapsedMs + Math.max(0, now - receivedAt);
}

/** 75_000 -> "1:15"; 4_000 -> "0:04"; an hour or more -> "2:05:00". Rounds up, so 0:00 means done. */
export function formatDuration(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
