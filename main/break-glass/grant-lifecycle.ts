import type { Clock } from '../../common/clock.js';

/** When a clinician holding a grant is warned before it expires, in minutes. */
const WARNINGS_MIN = [10, 2] as const;

/**
 * Arms a grant's countdown on this workstation (break-glass and just-in-time alike): a warning 10 and 2 minutes
 * before the server's expiry, when there is still that long, and its end at expiry. Returns the timers' cancels.
 */
export function armGrantTimers(
  clock: Clock,
  expiresAtMs: number,
  on: { warn(minutes: number): void; expire(): void },
): (() => void)[] {
  const left = expiresAtMs - clock.monotonicMs();
  const warnings = WARNINGS_MIN.filter((minutes) => left - minutes * 60_000 > 0).map((minutes) =>
    clock.setTimer(left - minutes * 60_000, () => on.warn(minutes)),
  );
  return [...warnings, clock.setTimer(left, () => on.expire())];
}

/**
 * Ends a grant on the server that issued it. The token the grant was asked with is usually still good, and at
 * sign-out the cache is being wiped: it is tried first, and a fresh one only when the server refuses it. Rejects
 * when the server could not confirm the end (its own expiry still holds).
 */
export async function endGrantOnServer(grant: {
  id: string;
  token: string;
  end(token: string, grantId: string): Promise<unknown>;
  refused(error: unknown): boolean;
  freshToken(): Promise<string | undefined>;
}): Promise<void> {
  try {
    await grant.end(grant.token, grant.id);
  } catch (error) {
    const fresh = grant.refused(error) ? await grant.freshToken() : undefined;
    if (!fresh) throw error;
    await grant.end(fresh, grant.id);
  }
}
