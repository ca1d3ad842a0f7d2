import type { ClinicianAuthenticator } from '../identity/clinician-authenticator.js';
import type { Authenticator } from '../session/ports.js';

/**
 * Adapts the identity layer's full sign-in to the session engine's Authenticator port. temporaryUntil: when a
 * temporary person's sponsorship ends (their enrollment record), so the header says so after a password sign-in too.
 */
export function identityAuthenticator(
  clinician: Pick<ClinicianAuthenticator, 'fullSignIn'>,
  temporaryUntil: (userId: string) => Promise<string | undefined> = async () => undefined,
): Authenticator {
  return {
    async fullSignIn({ expectedUserId, signal }) {
      const outcome = await clinician.fullSignIn(expectedUserId, signal);
      if (!outcome.ok) return { ok: false, message: outcome.message };
      const { userId, displayName, roles } = outcome.identity;
      const until = await temporaryUntil(userId).catch(() => undefined);
      return {
        ok: true,
        user: { userId, displayName, roles: [...roles], ...(until ? { temporaryUntil: until } : {}) },
      };
    },
  };
}
