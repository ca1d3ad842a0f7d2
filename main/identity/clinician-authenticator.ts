import type { UserDirectory } from './directory/user-directory.js';
import type { PinService } from './pin/pin-service.js';
import type { TokenBroker, TokenOutcome } from './tokens/token-broker.js';

/**
 * What the session engine calls around a session: a full sign-in (enrolled user whose refresh token expired
 * or was revoked, or the absolute lifetime ran out), silent tokens on unlock, and wiping tokens when policy
 * ends the session. A full sign-in is the only thing that clears a PIN lockout.
 */
export class ClinicianAuthenticator {
  constructor(
    private readonly tokens: TokenBroker,
    private readonly pins: PinService,
    private readonly directory: UserDirectory,
  ) {}

  /** Interactive sign-in; with expectedUserId, a different account is refused (no silent user swap). */
  async fullSignIn(expectedUserId?: string): Promise<TokenOutcome> {
    const account = expectedUserId === undefined ? undefined : await this.directory.account(expectedUserId);
    const outcome = await this.tokens.signIn(account?.username ? { loginHint: account.username } : {});
    if (!outcome.ok) return outcome;
    const { identity } = outcome;
    if (expectedUserId !== undefined && identity.userId !== expectedUserId) {
      await this.tokens.wipe(identity.userId);
      return {
        ok: false,
        reason: 'failed',
        message: `You signed in as ${identity.displayName}, but this session belongs to ${account?.displayName ?? 'another user'}. Tap your own badge.`,
      };
    }
    if (await this.pins.hasPin(identity.userId)) await this.pins.clearLockout(identity.userId);
    await this.directory.updateProfile(identity.userId, identity);
    return outcome;
  }

  /** Tokens on unlock, from the user's cache or by refresh; 'interaction-required' means fullSignIn. */
  tokensForUnlock(userId: string): Promise<TokenOutcome> {
    return this.tokens.acquireSilent(userId);
  }

  /** Policy ended the session (grace expired, sign-out, absolute lifetime): no tokens stay behind. */
  endSession(userId: string): Promise<void> {
    return this.tokens.wipe(userId);
  }
}
