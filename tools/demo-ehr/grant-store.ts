import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';

/**
 * Break-glass grants as the EHR keeps them. Deadlines live on the server's monotonic clock, so a grant's expiry
 * cannot be moved by a client or by a wall-clock change; wall times are only for people reading the answers.
 * Whether a grant serves is computed from the clock at each use, so nothing serves after expiry even if no timer ran.
 */

export type GrantScope = { kind: 'patient'; patient: string } | { kind: 'all-restricted' };
export type GrantStatus = 'active' | 'expired' | 'ended';

export interface Grant {
  id: string;
  holder: string;
  holderName: string;
  scope: GrantScope;
  reason: { code: string; text: string };
  issuedAt: Date;
  expiresAt: Date;
  /** Monotonic deadline (clock.monotonicMs). */
  expiresAtMs: number;
  /** Wall time the holder ended it, if they did before expiry. */
  endedAt?: Date;
  endedAtMs?: number;
}

export interface GrantLimits {
  minMinutes: number;
  maxMinutes: number;
  defaultMinutes: number;
}

export const DEFAULT_GRANT_LIMITS: GrantLimits = { minMinutes: 15, maxMinutes: 8 * 60, defaultMinutes: 4 * 60 };

export interface GrantRequest {
  holder: string;
  holderName: string;
  scope: GrantScope;
  reason: { code: string; text: string };
  durationMinutes: number;
}

export class GrantStore {
  private readonly grants = new Map<string, Grant>();

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    readonly limits: GrantLimits = DEFAULT_GRANT_LIMITS,
  ) {}

  /** Issues a grant; the duration must already be within the limits (the API validates it). */
  activate(request: GrantRequest): Grant {
    const { minMinutes, maxMinutes } = this.limits;
    if (!(request.durationMinutes >= minMinutes && request.durationMinutes <= maxMinutes)) {
      throw new RangeError(`durationMinutes must be between ${minMinutes} and ${maxMinutes}`);
    }
    const durationMs = request.durationMinutes * 60_000;
    const issuedAt = this.clock.wallTime();
    const grant: Grant = {
      id: `bg-${this.random.uuid()}`,
      holder: request.holder,
      holderName: request.holderName,
      scope: request.scope,
      reason: request.reason,
      issuedAt,
      expiresAt: new Date(issuedAt.getTime() + durationMs),
      expiresAtMs: this.clock.monotonicMs() + durationMs,
    };
    this.grants.set(grant.id, grant);
    return grant;
  }

  get(id: string): Grant | undefined {
    return this.grants.get(id);
  }

  statusOf(grant: Grant): GrantStatus {
    if (grant.endedAtMs !== undefined) return 'ended';
    return this.clock.monotonicMs() < grant.expiresAtMs ? 'active' : 'expired';
  }

  /** Milliseconds the grant still serves (0 once ended or expired). */
  msLeft(grant: Grant): number {
    return this.statusOf(grant) === 'active' ? grant.expiresAtMs - this.clock.monotonicMs() : 0;
  }

  /** Ends the grant now; ending an ended or expired grant changes nothing (idempotent). */
  end(grant: Grant): void {
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

  activeOf(holder: string): Grant[] {
    return [...this.grants.values()].filter((g) => g.holder === holder && this.statusOf(g) === 'active');
  }

  /** The id of an active grant of the holder covering the patient ("Patient/<id>"), if any. */
  activeGrantCovering(holder: string, patient: string): string | undefined {
    return this.activeOf(holder).find((g) => g.scope.kind === 'all-restricted' || g.scope.patient === patient)?.id;
  }
}
