import type { SignedIn, SignInOptions, TokenBroker, TokenOutcome } from '../../../main/identity/tokens/token-broker.js';

/** Stands in for the provider in unit tests: each sign-in returns the next scripted outcome. */
export class ScriptedTokenBroker implements Pick<TokenBroker, 'signIn' | 'wipe'> {
  readonly calls: SignInOptions[] = [];
  readonly wiped: string[] = [];
  private readonly outcomes: TokenOutcome[] = [];

  next(outcome: TokenOutcome): this {
    this.outcomes.push(outcome);
    return this;
  }

  nextUser(user: Partial<SignedIn> & { userId: string }, authTimeMs = Date.now()): this {
    return this.next({
      ok: true,
      identity: { displayName: user.userId, username: user.userId, roles: [], authTimeMs, homeAccountId: user.userId, accessToken: 'at', expiresOn: null, fromCache: false, ...user },
    });
  }

  async signIn(options: SignInOptions = {}): Promise<TokenOutcome> {
    this.calls.push(options);
    const outcome = this.outcomes.shift();
    if (!outcome) throw new Error('ScriptedTokenBroker: no sign-in outcome scripted');
    return outcome;
  }

  async wipe(userId: string): Promise<void> {
    this.wiped.push(userId);
  }
}
