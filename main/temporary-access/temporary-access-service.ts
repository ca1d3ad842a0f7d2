import type { Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import type { AuditEvent, AuditSink } from '../audit/audit-event.js';
import type { AccountRecord } from '../identity/directory/user-directory.js';
import type { Admission, AdmissionRefusal, DirectoryUser } from '../session/ports.js';
import type { SessionInput } from '../session/session-input.js';
import type { EndedBadges } from './ended-badges.js';
import { isTemporaryStaff, type TemporaryAccessPolicy } from './temporary-access-policy.js';
import { admissionAt, msToShiftEnd, refusalText, type TemporaryGrant } from './temporary-grant.js';

/** A timer never waits longer than this: Node caps timers at about 24.8 days, and the wall clock may be changed. */
const MAX_TIMER_MS = 6 * 3_600_000;

export interface TemporaryAccessDeps {
  policy: TemporaryAccessPolicy;
  directory: {
    account(userId: string): Promise<AccountRecord | undefined>;
    temporaryAccounts(): Promise<AccountRecord[]>;
  };
  /** Badges whose sponsorship ended, refused plainly for a few days (policy refuseEndedBadgeDays). */
  ended: Pick<EndedBadges, 'record' | 'lookup'>;
  /** Erases an enrollment: badge, PIN, saved tokens, authenticator app (the identity layer's unenroll). */
  unenroll(userId: string, reason: string): Promise<boolean>;
  audit: AuditSink;
  clock: Clock;
  workstation: string;
  log: { info(message: string): void; warn(message: string): void };
}

/**
 * Enforces temporary staff's sponsorships (docs/temporary-access.md#temporary-locum-and-agency-staff): nobody is
 * let in after their sponsorship's expiry or outside its shift window (Admission, asked at every way in); at the
 * expiry the enrollment and its tokens are erased and open sessions end, by a timer on the injected clock, at
 * start-up, and at any tap that finds it past due; at the end of a shift the person's sessions end.
 */
export class TemporaryAccess implements Admission {
  private session: { handle(input: SessionInput): Promise<void> } | undefined;
  private cancelTimer: (() => void) | undefined;
  private disposed = false;
  /** One sweep at a time: a timer and a tap finding the same expiry erase it once. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: TemporaryAccessDeps) {}

  /** The session engine, to end sessions (the administration input revocation uses too). */
  attach(session: { handle(input: SessionInput): Promise<void> }): void {
    this.session = session;
  }

  /**
   * At start-up: sponsorships that ended while the workstation was off are erased now; the timer is armed. A store
   * that cannot be read is retried in a minute; meanwhile every tap is still checked against the account itself.
   */
  start(): Promise<void> {
    return this.sweep().catch((error: unknown) => {
      this.deps.log.warn(`temporary access: could not check sponsorships at start-up: ${messageOf(error)}`);
      this.arm(60_000);
    });
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /** A temporary enrollment was saved: its expiry and shift end are watched from now. */
  enrolled(): Promise<void> {
    return this.sweep();
  }

  /** The Admission port: refuses temporary staff past their expiry, off shift, or never sponsored. */
  async check(user: DirectoryUser | undefined, badgeHash?: string): Promise<AdmissionRefusal | undefined> {
    const now = this.deps.clock.wallTime();
    if (!user) return badgeHash ? this.checkEndedBadge(badgeHash, now) : undefined;
    const account = await this.deps.directory.account(user.userId);
    const grant = account?.temporary;
    if (!grant) {
      const roles = account ? [...account.roles, ...user.roles] : user.roles;
      if (!isTemporaryStaff(this.deps.policy, roles)) return undefined;
      // Temporary staff never skip the sponsor: an unsponsored enrollment goes, so the badge can enroll sponsored.
      await this.audit('temporary.refuse', user, 'temporary staff without a sponsorship', { stage: 'door' });
      if (account) await this.erase(user.userId, 'temporary staff enrolled without a sponsorship');
      return { id: 'temporaryNeedsSponsor', params: { name: user.displayName } };
    }
    const admission = admissionAt(grant, now);
    if (admission.ok) return undefined;
    await this.audit('temporary.refuse', user, refusalText(admission), {
      stage: 'door',
      expiresAt: grant.expiresAt,
      ...(grant.shift ? { shift: `${grant.shift.start}-${grant.shift.end}` } : {}),
    });
    if (admission.why === 'expired') {
      await this.serial(() => this.expire(account, 'found expired at a tap or sign-in'));
      return { id: 'temporaryAccessEnded', params: { date: grant.expiresAt } };
    }
    return { id: 'temporaryOffShift', params: { start: admission.shift.start, end: admission.shift.end } };
  }

  /** An unknown badge whose sponsorship ended a short while ago: said plainly instead of a new enrollment. */
  private async checkEndedBadge(badgeHash: string, now: Date): Promise<AdmissionRefusal | undefined> {
    const ended = await this.deps.ended.lookup(badgeHash, now);
    if (!ended) return undefined;
    await this.deps.audit.append({
      type: 'temporary.refuse',
      at: now.toISOString(),
      workstation: this.deps.workstation,
      outcome: 'failure',
      actor: { userId: ended.userId, badgeHash },
      reason: `badge of an ended temporary enrollment (ended ${ended.expiresAt})`,
      details: { stage: 'door', expiresAt: ended.expiresAt },
    });
    return { id: 'temporaryAccessEnded', params: { date: ended.expiresAt } };
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Erases every expired sponsorship, ends sessions whose shift just ended, and arms the timer for the next. */
  private sweep(endedShifts = false): Promise<void> {
    return this.serial(async () => {
      if (this.disposed) return;
      const now = this.deps.clock.wallTime();
      let next = MAX_TIMER_MS;
      const accounts = await this.deps.directory.temporaryAccounts();
      for (const account of accounts) {
        const grant = account.temporary!;
        const admission = admissionAt(grant, now);
        if (!admission.ok && admission.why === 'expired') {
          await this.expire(account, 'sponsorship expired');
          continue;
        }
        if (endedShifts && !admission.ok && admission.why === 'off-shift') await this.endShift(account, grant);
        next = Math.min(next, Date.parse(grant.expiresAt) - now.getTime(), msToShiftEnd(grant.shift, now) ?? next);
      }
      this.arm(next);
    });
  }

  private arm(delayMs: number): void {
    this.cancelTimer?.();
    if (this.disposed) return;
    this.cancelTimer = this.deps.clock.setTimer(Math.max(0, delayMs), () => {
      this.cancelTimer = undefined;
      this.sweep(true).catch((error: unknown) =>
        this.deps.log.warn(`temporary access: could not check sponsorships: ${messageOf(error)}`),
      );
    });
  }

  /** The sponsorship is over: the enrollment and its tokens are erased, open sessions end, and it is audited. */
  private async expire(account: AccountRecord, why: string): Promise<void> {
    const still = await this.deps.directory.account(account.userId);
    if (!still?.temporary || still.temporary.expiresAt !== account.temporary?.expiresAt) return;
    const grant = still.temporary;
    const days = this.deps.policy.refuseEndedBadgeDays;
    if (days > 0) {
      const refuseUntil = new Date(this.deps.clock.wallTime().getTime() + days * 86_400_000).toISOString();
      await this.deps.ended.record(still.badgeHash, { userId: still.userId, expiresAt: grant.expiresAt, refuseUntil });
    }
    await this.erase(account.userId, `temporary access ended ${grant.expiresAt} (${why})`);
    await this.audit('temporary.expire', account, why, {
      sponsorUserId: grant.sponsorUserId,
      expiresAt: grant.expiresAt,
      ...(grant.shift ? { shift: `${grant.shift.start}-${grant.shift.end}` } : {}),
    });
    this.deps.log.info(`temporary access: ${account.userId}'s sponsorship ended; enrollment erased`);
  }

  private async erase(userId: string, reason: string): Promise<void> {
    await this.deps.unenroll(userId, reason);
    await this.session?.handle({ type: 'admin-revoke', userId, reason: `temporary access: ${reason}` });
  }

  /** Outside the shift nobody is let in, so a session left open at its end ends too. */
  private async endShift(account: AccountRecord, grant: TemporaryGrant): Promise<void> {
    await this.session?.handle({
      type: 'admin-revoke',
      userId: account.userId,
      reason: `temporary access: shift ${grant.shift!.start}-${grant.shift!.end} ended`,
    });
  }

  private audit(
    type: 'temporary.refuse' | 'temporary.expire',
    who: { userId: string; displayName: string; roles: readonly string[] },
    reason: string,
    details: Record<string, string>,
  ): Promise<void> {
    const event: AuditEvent = {
      type,
      at: this.deps.clock.wallTime().toISOString(),
      workstation: this.deps.workstation,
      outcome: type === 'temporary.refuse' ? 'failure' : 'success',
      actor: { userId: who.userId, displayName: who.displayName, roles: [...who.roles] },
      reason,
      details,
    };
    return this.deps.audit.append(event);
  }
}
