import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';

/**
 * Just-in-time grants as the EHR keeps them (docs/access-grants-api.md). Like break-glass grants
 * (grant-store.ts), deadlines live on the server's monotonic clock and whether a grant serves is computed from the
 * clock at each use, so nothing serves after expiry or after it was ended, even if no timer ran.
 */

export type JitScope =
  { kind: 'unit'; unit: string } | { kind: 'patient'; patient: string } | { kind: 'role'; role: string };
export type JitStatus = 'active' | 'expired' | 'ended';

/** Who approved: a second person (checked at the identity provider), or the EHR's own low-risk rule. */
export type JitApprovalRecord = { kind: 'approver'; sub: string; name: string } | { kind: 'auto' };

export interface JitGrant {
  id: string;
  holder: string;
  holderName: string;
  scope: JitScope;
  purpose: { code: string; text: string };
  approval: JitApprovalRecord;
  issuedAt: Date;
  expiresAt: Date;
  /** Monotonic deadline (clock.monotonicMs). */
  expiresAtMs: number;
  endedAt?: Date;
  endedAtMs?: number;
}

export interface JitIssue {
  holder: string;
  holderName: string;
  scope: JitScope;
  purpose: { code: string; text: string };
  approval: JitApprovalRecord;
  durationMinutes: number;
}

export class JitGrantStore {
  private readonly grants = new Map<string, JitGrant>();

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /** Issues a grant; the API has already checked the request against the EHR's configuration. */
  issue(request: JitIssue): JitGrant {
    const durationMs = request.durationMinutes * 60_000;
    const issuedAt = this.clock.wallTime();
    const grant: JitGrant = {
      id: `jit-${this.random.uuid()}`,
      holder: request.holder,
      holderName: request.holderName,
      scope: request.scope,
      purpose: request.purpose,
      approval: request.approval,
      issuedAt,
      expiresAt: new Date(issuedAt.getTime() + durationMs),
      expiresAtMs: this.clock.monotonicMs() + durationMs,
    };
    this.grants.set(grant.id, grant);
    return grant;
  }

  get(id: string): JitGrant | undefined {
    return this.grants.get(id);
  }

  statusOf(grant: JitGrant): JitStatus {
    if (grant.endedAtMs !== undefined) return 'ended';
    return this.clock.monotonicMs() < grant.expiresAtMs ? 'active' : 'expired';
  }

  msLeft(grant: JitGrant): number {
    return this.statusOf(grant) === 'active' ? grant.expiresAtMs - this.clock.monotonicMs() : 0;
  }

  /** Ends the grant now; idempotent. */
  end(grant: JitGrant): void {
    if (this.statusOf(grant) !== 'active') return;
    grant.endedAtMs = this.clock.monotonicMs();
    grant.endedAt = this.clock.wallTime();
  }

  /** Ends every active grant of the holder; returns how many. */
  endAllOf(holder: string): number {
    const active = this.activeOf(holder);
    for (const grant of active) this.end(grant);
    return active.length;
  }

  activeOf(holder: string): JitGrant[] {
    return [...this.grants.values()].filter((g) => g.holder === holder && this.statusOf(g) === 'active');
  }

  /** The id of an active grant of the holder for the unit, if any. */
  unitGrant(holder: string, unit: string): string | undefined {
    return this.activeOf(holder).find((g) => g.scope.kind === 'unit' && g.scope.unit === unit)?.id;
  }

  /** The id of an active grant of the holder for the patient ("Patient/<id>"), if any. */
  patientGrant(holder: string, patient: string): string | undefined {
    return this.activeOf(holder).find((g) => g.scope.kind === 'patient' && g.scope.patient === patient)?.id;
  }

  /** The id of an active grant of the holder adding the role, if any. */
  roleGrant(holder: string, role: string): string | undefined {
    return this.activeOf(holder).find((g) => g.scope.kind === 'role' && g.scope.role === role)?.id;
  }
}
