import { messageOf } from '../../common/errors.js';
import type { ClinicianAuthenticator } from '../identity/clinician-authenticator.js';
import type { SessionService } from '../session/session-service.js';

/** The identity layer's token calls around a session. */
export type SessionTokens = Pick<ClinicianAuthenticator, 'tokensForUnlock' | 'endSession'>;

/**
 * Tokens follow the session (docs/session.md): when a session is shown its user's tokens are fetched silently,
 * in the background, so an unlock never waits on the network; when policy ends a session its user's token
 * cache is wiped. A refresh token the provider refuses (revoked) ends the session; one it wants more for (MFA,
 * consent) asks the engine for a full sign-in; a
 * provider that cannot be reached changes nothing (badge + PIN go on working inside grace).
 */
export function followSessionTokens(
  session: Pick<SessionService, 'onLifecycle' | 'handle'>,
  tokens: SessionTokens,
  log: { warn(message: string): void },
): () => void {
  return session.onLifecycle((event) => {
    if (event.kind === 'shown') void refresh(event.userId, event.sessionId);
    else if (event.kind === 'terminated') {
      tokens
        .endSession(event.userId)
        .catch((error: unknown) =>
          log.warn(`tokens: could not wipe the token cache of ${event.userId}: ${messageOf(error)}`),
        );
    }
  });

  async function refresh(userId: string, sessionId: string): Promise<void> {
    try {
      // Forced: a cached access token would hide a grant revoked at the provider until it expires (up to an hour).
      const outcome = await tokens.tokensForUnlock(userId, { forceRefresh: true });
      if (outcome.ok) return;
      if (outcome.reason === 'interaction-required') {
        await session.handle({
          type: 'tokens-refused',
          userId,
          sessionId,
          message: outcome.message,
          ...(outcome.grantRefused ? { grantRefused: true } : {}),
        });
      } else {
        log.warn(`tokens: no fresh tokens for ${userId}; the session goes on: ${outcome.message}`);
      }
    } catch (error) {
      log.warn(`tokens: the silent token request for ${userId} failed: ${messageOf(error)}`);
    }
  }
}
