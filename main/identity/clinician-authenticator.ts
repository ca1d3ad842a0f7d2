import type { AccessRevocations } from './access-revocations.js';
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
    private readonly tokens: Pick<TokenBroker, 'signIn' | 'acquireSilent' | 'wipe'>,
    private readonly pins: PinService,
    private readonly directory: UserDirectory,
    private readonly revocations: AccessRevocations,
  ) {}

  /**
   * Interactive sign-in; with expectedUserId, a different account is refused (no silent user swap). Its tokens
   * are saved only for the expected user, or (with none expected) for someone enrolled here: the wrong person's
   * tokens are dropped, and their own saved sign-in, if they are enrolled here, is left as it was.
   */
  async fullSignIn(expectedUserId?: string, signal?: AbortSignal): Promise<TokenOutcome> {
    const account = expectedUserId === undefined ? undefined : await this.directory.account(expectedUserId);
    const outcome = await this.tokens.signIn({
      ...(account?.username ? { loginHint: account.username } : {}),
      ...(signal ? { signal } : {}),
    });
    if (!outcome.ok) return outcome;
    const { identity, cache } = outcome;
    if (expectedUserId !== undefined && identity.userId !== expectedUserId) {
      return {
        ok: false,
        reason: 'failed',
        message: `You signed in as ${identity.displayName}, but this session belongs to ${account?.displayName ?? 'another user'}. Tap your own badge.`,
      };
    }
    const refusal = this.revocations.refusal(identity.displayName, identity.userId);
    if (refusal) return { ok: false, reason: 'failed', message: refusal };
    const enrolled = expectedUserId === undefined ? await this.directory.account(identity.userId) : account;
    // A sign-in without a badge (no one expected) is for people enrolled here: their roles and PIN live here.
    if (!enrolled)
      return {
        ok: false,
        reason: 'failed',
        message: `${identity.displayName} is not enrolled on CareShell here: tap your badge to enroll it.`,
      };
    if (enrolled) await cache.save();
    if (await this.pins.hasPin(identity.userId)) await this.pins.clearLockout(identity.userId);
    await this.directory.updateProfile(identity.userId, identity);
    return { ok: true, identity };
  }

  /**
   * Tokens on unlock, from the user's cache or by refresh; 'interaction-required' means fullSignIn. The
   * directory takes the roles (and name) of the answer, so a role removed at the provider is gone here from the
   * next unlock on, without waiting for a full sign-in. forceRefresh: redeem the refresh token even when a cached
   * access token is still valid, so a grant revoked at the provider is found out now.
   */
  async tokensForUnlock(userId: string, options: { forceRefresh?: boolean } = {}): Promise<TokenOutcome> {
    const outcome = await this.tokens.acquireSilent(userId, options);
    if (outcome.ok && outcome.identity.userId === userId) await this.directory.updateProfile(userId, outcome.identity);
    return outcome;
  }

  /** Policy ended the session (grace expired, sign-out, absolute lifetime): no tokens stay behind. */
  endSession(userId: string): Promise<void> {
    return this.tokens.wipe(userId);
  }
}
