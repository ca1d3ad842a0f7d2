import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';

export type GrantStatus = 'active' | 'expired' | 'ended';

/** What every grant the EHR keeps has: whose it is, and its time box on both clocks. */
export interface TimedGrant {
  id: string;
  holder: string;
  issuedAt: Date;
  expiresAt: Date;
  /** Monotonic deadline (clock.monotonicMs). */
  expiresAtMs: number;
  /** Wall time the holder ended it, if they did before expiry. */
  endedAt?: Date;
  endedAtMs?: number;
}

/**
 * Grants as the EHR keeps them, whatever they grant (break-glass: grant-store.ts; just-in-time:
 * jit-grant-store.ts). Deadlines live on the server's monotonic clock, so a grant's expiry cannot be moved by a
 * client or by a wall-clock change; wall times are only for people reading the answers. Whether a grant serves is
 * computed from the clock at each use, so nothing serves after expiry or after it was ended, even if no timer ran.
 */
export class TimedGrants<G extends TimedGrant> {
  private readonly grants = new Map<string, G>();

  constructor(
    protected readonly clock: Clock,
    private readonly random: Random,
    /** Names the kind of grant in its id ("bg-", "jit-"). */
    private readonly idPrefix: string,
  ) {}

  /** Issues a grant of `fields` for `durationMinutes` from now. */
  protected add(fields: Omit<G, keyof Omit<TimedGrant, 'holder'>>, durationMinutes: number): G {
    const durationMs = durationMinutes * 60_000;
    const issuedAt = this.clock.wallTime();
    const grant = {
      ...fields,
      id: `${this.idPrefix}${this.random.uuid()}`,
      issuedAt,
      expiresAt: new Date(issuedAt.getTime() + durationMs),
      expiresAtMs: this.clock.monotonicMs() + durationMs,
    } as G;
    this.grants.set(grant.id, grant);
    return grant;
  }

  get(id: string): G | undefined {
    return this.grants.get(id);
  }

  statusOf(grant: G): GrantStatus {
    if (grant.endedAtMs !== undefined) return 'ended';
    return this.clock.monotonicMs() < grant.expiresAtMs ? 'active' : 'expired';
  }

  /** Milliseconds the grant still serves (0 once ended or expired). */
  msLeft(grant: G): number {
    return this.statusOf(grant) === 'active' ? grant.expiresAtMs - this.clock.monotonicMs() : 0;
  }

  /** Ends the grant now; ending an ended or expired grant changes nothing (idempotent). */
  end(grant: G): void {
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

  activeOf(holder: string): G[] {
    return [...this.grants.values()].filter((g) => g.holder === holder && this.statusOf(g) === 'active');
  }
}
