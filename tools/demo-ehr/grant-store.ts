import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import { TimedGrants, type TimedGrant } from './timed-grants.js';

/** Break-glass grants as the EHR keeps them: time-boxed like every grant (timed-grants.ts), within the limits. */

export type GrantScope = { kind: 'patient'; patient: string } | { kind: 'all-restricted' };
export type { GrantStatus } from './timed-grants.js';

export interface Grant extends TimedGrant {
  holderName: string;
  scope: GrantScope;
  reason: { code: string; text: string };
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

export class GrantStore extends TimedGrants<Grant> {
  constructor(
    clock: Clock,
    random: Random,
    readonly limits: GrantLimits = DEFAULT_GRANT_LIMITS,
  ) {
    super(clock, random, 'bg-');
  }

  /** Issues a grant; the duration must already be within the limits (the API validates it). */
  activate(request: GrantRequest): Grant {
    const { minMinutes, maxMinutes } = this.limits;
    if (!(request.durationMinutes >= minMinutes && request.durationMinutes <= maxMinutes)) {
      throw new RangeError(`durationMinutes must be between ${minMinutes} and ${maxMinutes}`);
    }
    const { durationMinutes, ...fields } = request;
    return this.add(fields, durationMinutes);
  }

  /** The id of an active grant of the holder covering the patient ("Patient/<id>"), if any. */
  activeGrantCovering(holder: string, patient: string): string | undefined {
    return this.activeOf(holder).find((g) => g.scope.kind === 'all-restricted' || g.scope.patient === patient)?.id;
  }
}
