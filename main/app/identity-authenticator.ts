import type { ClinicianAuthenticator } from '../identity/clinician-authenticator.js';
import type { Authenticator } from '../session/ports.js';

/** Adapts the identity layer's full sign-in to the session engine's Authenticator port. */
export function identityAuthenticator(clinician: Pick<ClinicianAuthenticator, 'fullSignIn'>): Authenticator {
  return {
    async fullSignIn({ expectedUserId, signal }) {
      const outcome = await clinician.fullSignIn(expectedUserId, signal);
      if (!outcome.ok) return { ok: false, message: outcome.message };
      const { userId, displayName, roles } = outcome.identity;
      return { ok: true, user: { userId, displayName, roles: [...roles] } };
    },
  };
}
