import type {
  SignedIn,
  SignInOptions,
  SignInOutcome,
  TokenBroker,
  TokenOutcome,
} from '../../../main/identity/tokens/token-broker.js';

/**
 * Stands in for the provider in unit tests: each sign-in returns the next scripted outcome, and the token cache
 * at rest is modelled so tests can see what is saved and wiped: a full sign-in writes only when its cache is
 * saved, a step-up (forceLogin) never.
 */
export class ScriptedTokenBroker implements Pick<TokenBroker, 'signIn' | 'acquireSilent' | 'wipe'> {
  readonly calls: SignInOptions[] = [];
  readonly wiped: string[] = [];
  /** The saved cache of each user, named for the sign-in it came from ("sign-in 1", ...). */
  readonly caches = new Map<string, string>();
  private readonly outcomes: TokenOutcome[] = [];
  private readonly silent: TokenOutcome[] = [];
  private signIns = 0;
  private during: (() => Promise<void>) | undefined;

  next(outcome: TokenOutcome): this {
    this.outcomes.push(outcome);
    return this;
  }

  nextUser(user: Partial<SignedIn> & { userId: string }, authTimeMs = Date.now()): this {
    return this.next({ ok: true, identity: signedIn(user, authTimeMs) });
  }

  /** The next acquireSilent answer; without one, a user with a saved cache gets tokens and others must sign in. */
  nextSilent(outcome: TokenOutcome): this {
    this.silent.push(outcome);
    return this;
  }

  /** Runs `action` while the next sign-in is at the provider (something changes meanwhile elsewhere). */
  whileSigningIn(action: () => Promise<void>): this {
    this.during = action;
    return this;
  }

  signIn(options: SignInOptions & { forceLogin: true }): Promise<TokenOutcome>;
  signIn(options?: SignInOptions & { forceLogin?: false }): Promise<SignInOutcome>;
  async signIn(options: SignInOptions = {}): Promise<SignInOutcome | TokenOutcome> {
    this.calls.push(options);
    const outcome = this.outcomes.shift();
    if (!outcome) throw new Error('ScriptedTokenBroker: no sign-in outcome scripted');
    const during = this.during;
    this.during = undefined;
    await during?.();
    this.signIns += 1;
    if (!outcome.ok || options.forceLogin) return outcome;
    const label = `sign-in ${this.signIns}`;
    return { ...outcome, cache: { save: async () => void this.caches.set(outcome.identity.userId, label) } };
  }

  async acquireSilent(userId: string): Promise<TokenOutcome> {
    const scripted = this.silent.shift();
    if (scripted) return scripted;
    if (!this.caches.has(userId))
      return { ok: false, reason: 'interaction-required', message: 'No saved sign-in for this user: sign in again.' };
    return { ok: true, identity: { ...signedIn({ userId }, Date.now()), fromCache: true } };
  }

  async wipe(userId: string): Promise<void> {
    this.wiped.push(userId);
    this.caches.delete(userId);
  }
}

/** A SignedIn for tests, with defaults for whatever the test does not care about. */
export function signedIn(user: Partial<SignedIn> & { userId: string }, authTimeMs = Date.now()): SignedIn {
  return {
    displayName: user.userId,
    username: user.userId,
    roles: [],
    authTimeMs,
    homeAccountId: user.userId,
    accessToken: 'at',
    expiresOn: null,
    fromCache: false,
    ...user,
  };
}
