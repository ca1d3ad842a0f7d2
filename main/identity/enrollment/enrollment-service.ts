import type { Clock } from '../../../common/clock.js';
import type { Random } from '../../../common/random.js';
import type { AccessRevocations } from '../access-revocations.js';
import type { UserDirectory } from '../directory/user-directory.js';
import type { IdentityAudit } from '../identity-audit.js';
import { IdentityError } from '../identity-error.js';
import type { PinService } from '../pin/pin-service.js';
import type { TotpAuthenticator } from '../step-up/totp-authenticator.js';
import type { SignedIn, SignInCache, TokenBroker } from '../tokens/token-broker.js';
import type { TemporaryGrant } from '../../temporary-access/temporary-grant.js';

/**
 * Temporary (locum, agency) staff (docs/temporary-access.md): whose ID-token roles make an enrollment sponsored,
 * the sponsor step itself, and who watches the saved sponsorship.
 */
export interface SponsorshipPort {
  isTemporary(roles: readonly string[]): boolean;
  /** Resolves once a sponsor confirmed; rejects (nothing is saved) when cancelled or when `signal` aborts. */
  sponsor(newcomer: PendingEnrollment['user'] & { badgeHash?: string }, signal: AbortSignal): Promise<TemporaryGrant>;
  /** The sponsored enrollment was saved. */
  enrolled(userId: string): Promise<void>;
}

/** A full sign-in that succeeded and now waits for the clinician to choose a PIN. */
export interface PendingEnrollment {
  id: string;
  kind: 'enroll' | 'pin-reset';
  badgeHash: string | undefined;
  user: { userId: string; displayName: string; roles: string[]; username?: string };
}

export interface EnrollmentDeps {
  directory: UserDirectory;
  pins: PinService;
  tokens: Pick<TokenBroker, 'signIn' | 'wipe'>;
  /** Unenrollment removes the person's authenticator app too. */
  totp: Pick<TotpAuthenticator, 'remove'>;
  /** Accounts IT revoked through machine policy: they can neither enroll nor reset a PIN. */
  revocations: AccessRevocations;
  audit: IdentityAudit;
  clock: Clock;
  random: Random;
  /** How long a signed-in clinician has to choose a PIN before the enrollment must start over. */
  pendingTtlMs?: number;
  /** Temporary staff enroll only with a sponsor; without it nobody is treated as temporary. */
  sponsorship?: SponsorshipPort;
}

export const DEFAULT_ENROLLMENT_TTL_MS = 5 * 60_000;

/** A pending enrollment with the sign-in's tokens, which are saved only when the enrollment completes. */
interface Held {
  enrollment: PendingEnrollment;
  cache: SignInCache;
  expiresAtMs: number;
  /** A sponsor already confirmed (a PIN the rules refused afterwards does not ask the sponsor again). */
  temporary?: TemporaryGrant;
}

/**
 * Enrollment (first tap of an unknown badge -> full sign-in -> PIN -> badge bound), re-enrollment with a new
 * badge, PIN reset (needs a full sign-in as that same account) and administrative unenrollment. Every outcome
 * is audited. Two-phase (begin/complete) because the PIN pad is shown between the sign-in and the binding.
 * The sign-in's tokens stay in memory with the pending enrollment and are saved only when it completes, so a
 * refusal, a cancel or an expiry leaves nothing at rest.
 */
export class EnrollmentService {
  private readonly pending = new Map<string, Held>();
  /** Completions waiting for a sponsor: a cancel of their enrollment stops the wait. */
  private readonly completing = new Map<string, AbortController>();

  constructor(private readonly deps: EnrollmentDeps) {}

  /** How long a signed-in enrollment waits for its PIN; the session engine limits the whole enrollment to it. */
  get pendingTtlMs(): number {
    return this.deps.pendingTtlMs ?? DEFAULT_ENROLLMENT_TTL_MS;
  }

  /** First tap of an unknown badge: signs the clinician in at the identity provider. */
  async beginEnrollment(badgeHash: string, signal?: AbortSignal): Promise<PendingEnrollment> {
    const holder = await this.deps.directory.accountOfBadge(badgeHash);
    if (holder) throw boundElsewhere(holder.displayName);
    const { identity, cache } = await this.fullSignIn({ badgeHash, ...(signal ? { signal } : {}) }, 'enrollment');
    // Checked again after the sign-in, with the account now known, so the message names both people.
    const stillFree = await this.deps.directory.accountOfBadge(badgeHash);
    if (stillFree && stillFree.userId !== identity.userId) {
      await this.deps.audit.record('badge.rejected', 'failure', {
        actor: { userId: identity.userId, badgeHash },
        reason: 'badge enrolled for another account',
      });
      throw boundElsewhere(stillFree.displayName);
    }
    return this.hold('enroll', badgeHash, identity, cache);
  }

  /**
   * Sets the PIN, saves the sign-in's tokens and binds the badge. A refused PIN leaves the enrollment pending
   * so the user can try again; a badge enrolled for someone else in the meantime is refused before anything
   * is written.
   */
  async completeEnrollment(
    pendingId: string,
    pin: string,
  ): Promise<PendingEnrollment['user'] & { temporary?: TemporaryGrant }> {
    let held = this.take(pendingId, 'enroll');
    const { enrollment, cache } = held;
    const { user, badgeHash } = enrollment;
    const holder = await this.deps.directory.accountOfBadge(badgeHash!);
    if (holder && holder.userId !== user.userId) {
      await this.deps.audit.record('badge.rejected', 'failure', {
        actor: { userId: user.userId, badgeHash },
        reason: 'badge enrolled for another account',
      });
      throw boundElsewhere(holder.displayName);
    }
    const enrolledBefore = (await this.deps.directory.account(user.userId)) !== undefined;
    if (!held.temporary && this.deps.sponsorship?.isTemporary(user.roles)) {
      held = { ...held, temporary: await this.sponsored(pendingId, user, badgeHash) };
    }
    const temporary = held.temporary;
    await this.deps.pins.setPin(user.userId, pin).catch((error: unknown) => {
      this.pending.set(pendingId, { ...held, expiresAtMs: this.expiry() });
      throw error;
    });
    await this.deps.pins.clearLockout(user.userId);
    const { replacedBadgeHash } = await cache
      .save()
      .then(() => this.deps.directory.bind(badgeHash!, user, temporary))
      .catch(async (error: unknown) => {
        // Lost a race for the badge after the check above (or could not save): a first-time enrollee keeps
        // neither a PIN nor tokens without a badge; an enrolled clinician keeps their own.
        if (!enrolledBefore) {
          await this.deps.pins.removePin(user.userId);
          await this.deps.tokens.wipe(user.userId);
        }
        throw error;
      });
    await this.deps.audit.record(replacedBadgeHash ? 'enrollment.reenrolled' : 'enrollment.enrolled', 'success', {
      actor: { ...actorOf(user), badgeHash },
      reason: replacedBadgeHash ? 'new badge replaces the previous one' : 'badge enrolled after full sign-in',
      ...(replacedBadgeHash ? { details: { previousBadgeHash: replacedBadgeHash } } : {}),
    });
    if (!temporary) return user;
    await this.deps.audit.record('temporary.enroll', 'success', {
      actor: { userId: temporary.sponsorUserId, displayName: temporary.sponsorName },
      reason: 'temporary staff enrolled with a sponsor',
      details: {
        subjectUserId: user.userId,
        subjectName: user.displayName,
        sponsorUserId: temporary.sponsorUserId,
        expiresAt: temporary.expiresAt,
        ...(temporary.shift ? { shift: `${temporary.shift.start}-${temporary.shift.end}` } : {}),
        ...(badgeHash ? { badgeHash } : {}),
      },
    });
    await this.deps.sponsorship?.enrolled(user.userId);
    return { ...user, temporary };
  }

  /** Asks for a sponsor; a cancelled enrollment or sponsor refuses the enrollment before anything is written. */
  private async sponsored(
    pendingId: string,
    user: PendingEnrollment['user'],
    badgeHash: string | undefined,
  ): Promise<TemporaryGrant> {
    const controller = new AbortController();
    this.completing.set(pendingId, controller);
    try {
      return await this.deps.sponsorship!.sponsor({ ...user, ...(badgeHash ? { badgeHash } : {}) }, controller.signal);
    } catch (error) {
      await this.deps.audit.record('enrollment.enrolled', 'failure', {
        actor: { ...actorOf(user), ...(badgeHash ? { badgeHash } : {}) },
        reason: `temporary staff: ${error instanceof Error ? error.message : String(error)}`,
      });
      throw new IdentityError(
        'sponsor-missing',
        error instanceof Error ? error.message : 'No sponsor confirmed this temporary enrollment.',
      );
    } finally {
      this.completing.delete(pendingId);
    }
  }

  /** Forgotten PIN or lockout: a full sign-in as that same account, then a new PIN. */
  async beginPinReset(userId: string, signal?: AbortSignal): Promise<PendingEnrollment> {
    const account = await this.deps.directory.account(userId);
    if (!account)
      throw new IdentityError(
        'badge-not-enrolled',
        'This account is not enrolled on this workstation: tap the badge to enroll.',
      );
    const { identity, cache } = await this.fullSignIn(
      { userId, loginHint: account.username, ...(signal ? { signal } : {}) },
      'PIN reset',
    );
    if (identity.userId !== userId) {
      await this.deps.audit.record('pin.reset', 'failure', {
        actor: { userId: identity.userId },
        reason: `signed in as a different account than the one resetting its PIN (${userId})`,
      });
      throw new IdentityError(
        'account-mismatch',
        `You signed in as ${identity.displayName}, not ${account.displayName}. Sign in with the badge holder's own account.`,
      );
    }
    return this.hold('pin-reset', account.badgeHash, identity, cache);
  }

  /** Sets the new PIN, then saves the sign-in's tokens as the clinician's own. */
  async completePinReset(pendingId: string, pin: string): Promise<void> {
    const held = this.take(pendingId, 'pin-reset');
    const { enrollment } = held;
    await this.deps.pins.setPin(enrollment.user.userId, pin).catch((error: unknown) => {
      this.pending.set(pendingId, { ...held, expiresAtMs: this.expiry() });
      throw error;
    });
    await this.deps.pins.clearLockout(enrollment.user.userId);
    await held.cache.save();
    await this.deps.audit.record('pin.reset', 'success', {
      actor: actorOf(enrollment.user),
      reason: 'new PIN after full sign-in',
    });
  }

  /**
   * The clinician cancelled, or the workstation moved on (timeout, another badge): the signed-in enrollment and
   * its unsaved tokens are dropped; saved sign-ins are left as they are. Unknown or used ids are ignored.
   */
  async cancel(pendingId: string): Promise<void> {
    this.pending.delete(pendingId);
    this.completing.get(pendingId)?.abort();
  }

  /** Administrator removes an enrollment: badge, PIN and saved tokens go. */
  async unenroll(userId: string, admin: { userId: string; displayName?: string }, reason: string): Promise<boolean> {
    const removed = await this.deps.directory.unbind(userId);
    await this.deps.pins.removePin(userId);
    await this.deps.tokens.wipe(userId);
    await this.deps.totp.remove(userId);
    await this.deps.audit.record('enrollment.unenrolled', removed ? 'success' : 'failure', {
      actor: admin,
      reason: removed ? reason : `${reason} (account was not enrolled)`,
      details: { subjectUserId: userId, ...(removed ? { badgeHash: removed.badgeHash } : {}) },
    });
    return removed !== undefined;
  }

  private async fullSignIn(
    context: { badgeHash?: string; userId?: string; loginHint?: string; signal?: AbortSignal },
    purpose: string,
  ): Promise<{ identity: SignedIn; cache: SignInCache }> {
    const outcome = await this.deps.tokens.signIn({
      ...(context.loginHint ? { loginHint: context.loginHint } : {}),
      ...(context.signal ? { signal: context.signal } : {}),
    });
    if (!outcome.ok) {
      // Abandoned at the workstation: the session engine has recorded why; the sign-in itself did not fail.
      if (context.signal?.aborted) throw new IdentityError('sign-in-failed', outcome.message);
      await this.deps.audit.record(purpose === 'PIN reset' ? 'pin.reset' : 'enrollment.enrolled', 'failure', {
        actor: {
          ...(context.userId ? { userId: context.userId } : {}),
          ...(context.badgeHash ? { badgeHash: context.badgeHash } : {}),
        },
        reason: `${purpose}: ${outcome.message}`,
      });
      throw new IdentityError(
        outcome.reason === 'unavailable' ? 'sign-in-unavailable' : 'sign-in-failed',
        outcome.message,
      );
    }
    const refusal = this.deps.revocations.refusal(outcome.identity.displayName, outcome.identity.userId);
    if (refusal) {
      await this.deps.audit.record(purpose === 'PIN reset' ? 'pin.reset' : 'enrollment.enrolled', 'failure', {
        actor: { userId: outcome.identity.userId, ...(context.badgeHash ? { badgeHash: context.badgeHash } : {}) },
        reason: `${purpose}: access revoked by machine policy (${this.deps.revocations.reasonFor(outcome.identity.userId)})`,
      });
      throw new IdentityError('access-revoked', refusal);
    }
    return outcome;
  }

  private hold(
    kind: PendingEnrollment['kind'],
    badgeHash: string | undefined,
    user: SignedIn,
    cache: SignInCache,
  ): PendingEnrollment {
    this.dropExpired();
    const enrollment: PendingEnrollment = {
      id: this.deps.random.uuid(),
      kind,
      badgeHash,
      user: {
        userId: user.userId,
        displayName: user.displayName,
        roles: [...user.roles],
        ...(user.username ? { username: user.username } : {}),
      },
    };
    this.pending.set(enrollment.id, { enrollment, cache, expiresAtMs: this.expiry() });
    return enrollment;
  }

  private take(pendingId: string, kind: PendingEnrollment['kind']): Held {
    this.dropExpired();
    const entry = this.pending.get(pendingId);
    if (!entry || entry.enrollment.kind !== kind) {
      throw new IdentityError(
        'sign-in-failed',
        'This sign-in has expired or was already used: tap the badge and sign in again.',
      );
    }
    this.pending.delete(pendingId);
    return entry;
  }

  private expiry(): number {
    return this.deps.clock.monotonicMs() + this.pendingTtlMs;
  }

  private dropExpired(): void {
    const now = this.deps.clock.monotonicMs();
    for (const [id, entry] of this.pending) if (entry.expiresAtMs <= now) this.pending.delete(id);
  }
}

function boundElsewhere(holderName: string): IdentityError {
  return new IdentityError(
    'badge-bound-to-other-account',
    `This badge is already enrolled for ${holderName}; ask IT to unenroll it first.`,
  );
}

/** The audit actor of a signed-in clinician: the catalogue's fields only (no sign-in name). */
function actorOf(user: PendingEnrollment['user']): { userId: string; displayName: string; roles: string[] } {
  return { userId: user.userId, displayName: user.displayName, roles: [...user.roles] };
}
