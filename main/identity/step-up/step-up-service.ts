import type { Clock } from '../../../common/clock.js';
import { messageOf } from '../../../common/errors.js';
import type { UserDirectory } from '../directory/user-directory.js';
import { IdentityError } from '../identity-error.js';
import type { IdentityClaims } from '../tokens/identity-claims.js';
import type { TokenBroker } from '../tokens/token-broker.js';
import {
  DEFAULT_STEP_UP_POLICY,
  stepUpPolicySchema,
  type StepUpAction,
  type StepUpMethod,
  type StepUpPolicy,
} from './step-up-policy.js';
import type { TotpAuthenticator } from './totp-authenticator.js';

/**
 * A PIN proof carries no PIN: the session engine checks the PIN with the same PinService as an unlock (so wrong
 * PINs count towards the same backoff and lockout and are audited once, there) and asks here only whether the
 * policy accepts a PIN for the action from this user's roles.
 */
export type StepUpProof = { method: 'idp' } | { method: 'totp'; code: string } | { method: 'pin'; pinAccepted: true };

export type StepUpResult =
  | { ok: true; method: StepUpMethod; roles: string[] }
  | {
      ok: false;
      reason:
        | 'method-not-allowed'
        | 'role-not-allowed'
        | 'wrong-code'
        | 'not-fresh'
        /** The provider's token cannot show a fresh sign-in at all: the app registration lacks a setting. */
        | 'misconfigured'
        | 'account-mismatch'
        | 'unavailable'
        | 'failed';
      message: string;
    };

export interface StepUpDeps {
  tokens: Pick<TokenBroker, 'signIn'>;
  totp: Pick<TotpAuthenticator, 'verify' | 'isEnrolled'>;
  directory: UserDirectory;
  clock: Clock;
  policy?: StepUpPolicy;
}

/**
 * Re-verification before break-glass, export, policy changes and authenticator setup. The policy names the
 * accepted proofs per action and the roles allowed to take it; roles come from the ID token (a fresh one for a
 * provider proof, the one recorded at the last sign-in for a TOTP proof). Outcomes are returned, never thrown;
 * the session engine records each attempt as session.step_up, with its session.
 */
export class StepUpService {
  private readonly policy: StepUpPolicy;

  constructor(private readonly deps: StepUpDeps) {
    this.policy = stepUpPolicySchema.parse(deps.policy ?? DEFAULT_STEP_UP_POLICY);
  }

  /** Which proofs the UI should offer this user for the action. */
  async methodsFor(userId: string, action: StepUpAction): Promise<StepUpMethod[]> {
    const methods = this.policy.actions[action].methods;
    const totpReady = methods.includes('totp') && (await this.deps.totp.isEnrolled(userId));
    return methods.filter((m) => m !== 'totp' || totpReady);
  }

  /** signal: aborted when the workstation no longer wants the proof (cancelled, locked), which closes a sign-in page. */
  async stepUp(userId: string, action: StepUpAction, proof: StepUpProof, signal?: AbortSignal): Promise<StepUpResult> {
    try {
      return await this.check(userId, action, proof, signal);
    } catch (error) {
      // An unreadable authenticator record, say: the user can still use another proof, or call IT.
      const message =
        error instanceof IdentityError
          ? error.message
          : `Step-up could not be checked (${messageOf(error)}); try again, or call IT.`;
      return { ok: false, reason: 'unavailable', message };
    }
  }

  private async check(
    userId: string,
    action: StepUpAction,
    proof: StepUpProof,
    signal: AbortSignal | undefined,
  ): Promise<StepUpResult> {
    const rule = this.policy.actions[action];
    if (!rule.methods.includes(proof.method)) {
      return {
        ok: false,
        reason: 'method-not-allowed',
        message: `Policy requires ${rule.methods.join(' or ')} for ${action}.`,
      };
    }
    const account = await this.deps.directory.account(userId);
    let roles: string[];
    if (proof.method === 'totp' && !(await this.deps.totp.verify(userId, proof.code))) {
      return {
        ok: false,
        reason: 'wrong-code',
        message: 'That authenticator code is wrong or already used. Wait for the next code.',
      };
    }
    if (proof.method !== 'idp') {
      // A code or a PIN: the roles recorded at the last sign-in.
      roles = account?.roles ?? [];
    } else {
      const context = this.policy.authenticationContext;
      const outcome = await this.deps.tokens.signIn({
        forceLogin: true,
        ...(context ? { authenticationContext: context } : {}),
        ...(account?.username ? { loginHint: account.username } : {}),
        ...(signal ? { signal } : {}),
      });
      if (!outcome.ok) {
        return {
          ok: false,
          reason: outcome.reason === 'unavailable' ? 'unavailable' : 'failed',
          message: outcome.message,
        };
      }
      if (outcome.identity.userId !== userId) {
        return {
          ok: false,
          reason: 'account-mismatch',
          message: `You signed in as ${outcome.identity.displayName}; step-up must be done by the signed-in clinician.`,
        };
      }
      const stale = this.freshness(outcome.identity, rule.maxAuthAgeMs);
      if (stale) return stale;
      roles = outcome.identity.roles;
    }
    if (rule.allowedRoles && !roles.some((r) => rule.allowedRoles!.includes(r))) {
      return {
        ok: false,
        reason: 'role-not-allowed',
        message: `${action} is limited to: ${rule.allowedRoles.join(', ')}. Your roles: ${roles.join(', ') || 'none'}.`,
      };
    }
    return { ok: true, method: proof.method, roles };
  }

  /**
   * Whether the provider's sign-in counts as fresh: with an authentication context, its `acrs` must name it
   * (Conditional Access decided how to re-authenticate); `auth_time`, when present, must be recent. A token
   * that can show neither is a setup problem, and the message names the app-registration setting.
   */
  private freshness(identity: IdentityClaims, maxAuthAgeMs: number): StepUpResult | undefined {
    const context = this.policy.authenticationContext;
    if (context !== undefined && !identity.acrs?.includes(context)) {
      if (identity.acrs === undefined) {
        return {
          ok: false,
          reason: 'misconfigured',
          message:
            `The identity provider's token has no acrs claim, so the Conditional Access authentication context ${context} ` +
            `(identity.stepUp.authenticationContext) was not applied. IT: in Microsoft Entra, create authentication ` +
            `context ${context} and a Conditional Access policy that targets it, or remove that policy key to rely on ` +
            'the auth_time optional claim.',
        };
      }
      return {
        ok: false,
        reason: 'not-fresh',
        message: `The identity provider did not apply authentication context ${context} to this sign-in; sign in again.`,
      };
    }
    const authTime = identity.authTimeMs;
    if (authTime === undefined) {
      if (context !== undefined) return undefined;
      return {
        ok: false,
        reason: 'misconfigured',
        message:
          'The identity provider did not say when you signed in (no auth_time claim), so CareShell cannot tell the ' +
          'sign-in is fresh. IT: in the Entra app registration add the optional claim auth_time to the ID token ' +
          '(Token configuration > Add optional claim > ID > auth_time), or set identity.stepUp.authenticationContext ' +
          'to a Conditional Access authentication context.',
      };
    }
    if (this.deps.clock.wallTime().getTime() - authTime > maxAuthAgeMs) {
      return {
        ok: false,
        reason: 'not-fresh',
        message: 'The identity provider did not confirm a fresh sign-in; sign in again.',
      };
    }
    return undefined;
  }
}
