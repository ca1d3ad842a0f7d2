import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import { TimedGrants, type GrantStatus, type TimedGrant } from './timed-grants.js';

/** Just-in-time grants as the EHR keeps them (docs/access-grants-api.md): time-boxed like every grant (timed-grants.ts). */

export type JitScope =
  { kind: 'unit'; unit: string } | { kind: 'patient'; patient: string } | { kind: 'role'; role: string };
export type JitStatus = GrantStatus;

/** Who approved: a second person (checked at the identity provider), or the EHR's own low-risk rule. */
export type JitApprovalRecord = { kind: 'approver'; sub: string; name: string } | { kind: 'auto' };

export interface JitGrant extends TimedGrant {
  holderName: string;
  scope: JitScope;
  purpose: { code: string; text: string };
  approval: JitApprovalRecord;
}

export interface JitIssue {
  holder: string;
  holderName: string;
  scope: JitScope;
  purpose: { code: string; text: string };
  approval: JitApprovalRecord;
  durationMinutes: number;
}

export class JitGrantStore extends TimedGrants<JitGrant> {
  constructor(clock: Clock, random: Random) {
    super(clock, random, 'jit-');
  }

  /** Issues a grant; the API has already checked the request against the EHR's configuration. */
  issue(request: JitIssue): JitGrant {
    const { durationMinutes, ...fields } = request;
    return this.add(fields, durationMinutes);
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
