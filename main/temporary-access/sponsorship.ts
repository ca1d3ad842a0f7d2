import type { Clock } from '../../common/clock.js';
import type { SponsorState } from '../../preload/contract.js';
import type { AuditSink } from '../audit/audit-event.js';
import type { DirectoryUser, PinResult } from '../session/ports.js';
import { isTemporaryStaff, type ShiftWindow, type TemporaryAccessPolicy } from './temporary-access-policy.js';
import type { TemporaryGrant } from './temporary-grant.js';

const DAY_MS = 86_400_000;

export type Ack = { ok: boolean; message?: string };

/** The person being enrolled as temporary staff, after their own sign-in at the identity provider. */
export interface Newcomer {
  userId: string;
  displayName: string;
  roles: readonly string[];
  /** The badge being enrolled: tapped again as the sponsor's, it is the newcomer sponsoring themselves. */
  badgeHash?: string;
}

export interface SponsorshipDeps {
  policy: TemporaryAccessPolicy;
  clock: Clock;
  audit: AuditSink;
  workstation: string;
  /** Who a tapped badge belongs to (the enrolled directory). */
  resolveBadge(badgeHash: string): Promise<DirectoryUser | undefined>;
  /** The sponsor's PIN, checked by the same PIN service, counting and lockout as at the lock screen. */
  verifyPin(userId: string, pin: string): Promise<PinResult>;
}

/** Why a sponsorship that was asked for did not happen: the enrollment is refused with this message. */
export class SponsorshipEnded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SponsorshipEnded';
  }
}

interface Asking {
  newcomer: Newcomer;
  step: 'badge' | 'pin' | 'terms';
  sponsor?: DirectoryUser;
  error?: string;
  busy: boolean;
  resolve(grant: TemporaryGrant): void;
  reject(error: Error): void;
  off(): void;
}

/**
 * The sponsor step of a temporary enrollment (docs/temporary-access.md#temporary-locum-and-agency-staff): at the
 * same workstation, a second person taps their badge, proves it is them with their PIN, and sets the end date
 * and shift window. They must hold a sponsor role, must not be temporary staff themselves, and must not be the
 * newcomer. One sponsorship at a time (one enrollment runs at a time on a workstation); every refusal is audited.
 */
export class Sponsorship {
  private asking: Asking | undefined;
  private readonly listeners = new Set<(state: SponsorState) => void>();

  constructor(private readonly deps: SponsorshipDeps) {}

  /**
   * Asks for a sponsor for this newcomer; resolves with the sponsorship once confirmed, rejects with
   * SponsorshipEnded when cancelled or when the enrollment stops waiting (signal).
   */
  request(newcomer: Newcomer, signal?: AbortSignal): Promise<TemporaryGrant> {
    this.end(new SponsorshipEnded('Another enrollment started on this workstation.'));
    return new Promise<TemporaryGrant>((resolve, reject) => {
      if (signal?.aborted) return reject(new SponsorshipEnded('The enrollment was cancelled.'));
      const onAbort = () => this.end(new SponsorshipEnded('The enrollment was cancelled or timed out.'));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.asking = {
        newcomer,
        step: 'badge',
        busy: false,
        resolve,
        reject,
        off: () => signal?.removeEventListener('abort', onAbort),
      };
      this.publish();
    });
  }

  /** Whether the next badge tap is a sponsor's (the sponsor dialog is open), not a sign-in. */
  takesBadge(): boolean {
    return this.asking !== undefined;
  }

  /** A badge tapped while the sponsor dialog is open: the candidate sponsor (a new tap replaces the previous one). */
  async badge(badgeHash: string): Promise<void> {
    const asking = this.asking;
    if (!asking || asking.busy) return;
    asking.busy = true;
    this.publish();
    const sponsor = await this.deps.resolveBadge(badgeHash).catch(() => undefined);
    if (this.asking !== asking) return;
    asking.busy = false;
    const refusal = this.refusalOf(asking.newcomer, sponsor, badgeHash);
    if (refusal) {
      asking.step = 'badge';
      delete asking.sponsor;
      asking.error = refusal.message;
      this.publish();
      await this.refused(asking.newcomer, sponsor, refusal.reason, badgeHash);
      return;
    }
    asking.sponsor = sponsor!;
    asking.step = 'pin';
    delete asking.error;
    this.publish();
  }

  async pin(pin: string): Promise<Ack> {
    const asking = this.asking;
    if (!asking || asking.step !== 'pin' || !asking.sponsor)
      return { ok: false, message: 'Tap the sponsor badge first, then enter the sponsor PIN.' };
    if (asking.busy) return { ok: false, message: 'The PIN is being checked.' };
    const sponsor = asking.sponsor;
    asking.busy = true;
    this.publish();
    const result = await this.deps
      .verifyPin(sponsor.userId, pin)
      .catch((): PinResult => ({ ok: false, reason: 'unavailable', message: 'the PIN could not be checked' }));
    if (this.asking !== asking) return { ok: false, message: 'The sponsorship was cancelled.' };
    asking.busy = false;
    if (!result.ok) {
      asking.error = pinRefusal(sponsor.displayName, result);
      if (result.reason !== 'wrong' && result.reason !== 'too-soon') {
        // A locked or unusable PIN cannot sponsor now: someone else must.
        asking.step = 'badge';
        delete asking.sponsor;
      }
      this.publish();
      await this.refused(asking.newcomer, sponsor, `sponsor PIN refused (${result.reason})`);
      return { ok: false, message: asking.error };
    }
    asking.step = 'terms';
    delete asking.error;
    this.publish();
    return { ok: true };
  }

  /** The sponsor's terms: how many days from now, and the shift window (null: any time, where policy allows). */
  confirm(terms: { days: number; shift: ShiftWindow | null }): Ack {
    const asking = this.asking;
    if (!asking || asking.step !== 'terms' || !asking.sponsor)
      return { ok: false, message: 'The sponsor must tap their badge and enter their PIN first.' };
    const { policy } = this.deps;
    const problem =
      !Number.isInteger(terms.days) || terms.days < 1 || terms.days > policy.maxDays
        ? `Choose between 1 and ${policy.maxDays} days: policy allows temporary access for at most ${policy.maxDays} days.`
        : terms.shift && !policy.shifts.some((s) => s.start === terms.shift!.start && s.end === terms.shift!.end)
          ? 'Choose one of the shift windows offered.'
          : !terms.shift && policy.requireShift
            ? 'Choose a shift window: policy requires one for temporary staff.'
            : undefined;
    if (problem) {
      asking.error = problem;
      this.publish();
      return { ok: false, message: problem };
    }
    const grant: TemporaryGrant = {
      sponsorUserId: asking.sponsor.userId,
      sponsorName: asking.sponsor.displayName,
      expiresAt: new Date(this.deps.clock.wallTime().getTime() + terms.days * DAY_MS).toISOString(),
      ...(terms.shift ? { shift: { start: terms.shift.start, end: terms.shift.end } } : {}),
    };
    this.asking = undefined;
    asking.off();
    this.publish();
    asking.resolve(grant);
    return { ok: true };
  }

  /** The sponsor dialog's Cancel: the enrollment is refused and nothing is saved. */
  cancel(): Ack {
    if (!this.asking) return { ok: true };
    this.end(new SponsorshipEnded('No sponsor confirmed this temporary enrollment, so it was not saved.'));
    return { ok: true };
  }

  state(): SponsorState {
    const asking = this.asking;
    if (!asking) return null;
    const { policy } = this.deps;
    return {
      newcomer: asking.newcomer.displayName,
      step: asking.step,
      ...(asking.sponsor ? { sponsor: asking.sponsor.displayName } : {}),
      ...(asking.error ? { error: asking.error } : {}),
      maxDays: policy.maxDays,
      defaultDays: policy.defaultDays,
      shifts: policy.shifts.map((s) => ({ start: s.start, end: s.end })),
      requireShift: policy.requireShift,
      now: this.deps.clock.wallTime().toISOString(),
      busy: asking.busy,
    };
  }

  onState(listener: (state: SponsorState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private end(error: Error): void {
    const asking = this.asking;
    if (!asking) return;
    this.asking = undefined;
    asking.off();
    this.publish();
    asking.reject(error);
  }

  private refusalOf(
    newcomer: Newcomer,
    sponsor: DirectoryUser | undefined,
    badgeHash: string,
  ): { message: string; reason: string } | undefined {
    const { policy } = this.deps;
    if (badgeHash === newcomer.badgeHash || sponsor?.userId === newcomer.userId)
      return {
        message: 'You cannot sponsor yourself: ask a sponsor (for example the charge nurse) to tap their badge.',
        reason: 'self-sponsorship refused',
      };
    if (!sponsor)
      return {
        message: 'This badge is not enrolled on this workstation: the sponsor must be an enrolled member of staff.',
        reason: 'sponsor badge not enrolled here',
      };
    if (isTemporaryStaff(policy, sponsor.roles))
      return {
        message: `${sponsor.displayName} is temporary staff and cannot sponsor.`,
        reason: 'sponsor is temporary staff',
      };
    if (!sponsor.roles.some((r) => policy.sponsorRoles.includes(r)))
      return {
        message: `${sponsor.displayName} cannot sponsor temporary staff: a sponsor needs the role ${policy.sponsorRoles.join(' or ')}.`,
        reason: `sponsor lacks a sponsor role (${policy.sponsorRoles.join(',')})`,
      };
    return undefined;
  }

  private async refused(
    newcomer: Newcomer,
    sponsor: DirectoryUser | undefined,
    reason: string,
    badgeHash?: string,
  ): Promise<void> {
    // A refusal that cannot be recorded ends the sponsorship: nothing security-relevant goes unaudited.
    await this.deps.audit
      .append({
        type: 'temporary.refuse',
        at: this.deps.clock.wallTime().toISOString(),
        workstation: this.deps.workstation,
        outcome: 'failure',
        actor: sponsor
          ? { userId: sponsor.userId, displayName: sponsor.displayName, roles: [...sponsor.roles] }
          : badgeHash
            ? { badgeHash }
            : {},
        reason,
        details: { stage: 'sponsor', subjectUserId: newcomer.userId },
      })
      .catch(() =>
        this.end(new SponsorshipEnded('The audit trail is unavailable, so this sponsorship cannot go on: call IT.')),
      );
  }

  private publish(): void {
    const state = this.state();
    for (const listener of this.listeners) listener(state);
  }
}

function pinRefusal(name: string, result: Exclude<PinResult, { ok: true }>): string {
  switch (result.reason) {
    case 'wrong':
      return `Wrong PIN for ${name}: ${result.attemptsLeft} tries left before the PIN locks.`;
    case 'too-soon': {
      const seconds = Math.ceil(result.retryInMs / 1000);
      return `Wait ${seconds} second${seconds === 1 ? '' : 's'} before the next PIN.`;
    }
    case 'locked-out':
      return `${name}'s PIN is locked: another sponsor must confirm.`;
    default:
      return `${name}'s PIN cannot be used here (${result.message}): another sponsor must confirm.`;
  }
}
