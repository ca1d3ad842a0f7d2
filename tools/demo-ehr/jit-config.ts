/**
 * The EHR's own just-in-time rules (docs/access-grants-api.md#the-ehrs-own-rules): who may ask, who may approve,
 * how long each scope may last and which scopes are low-risk enough to be granted without an approver. A
 * workstation's policy can only ask for less: the EHR refuses anything beyond these, whatever a client says.
 */
export interface JitScopeRule {
  /** Granted without an approver (an `auto` approval is refused for any other scope). */
  lowRisk: boolean;
  maxMinutes: number;
}

export interface JitConfig {
  requesterRoles: readonly string[];
  approverRoles: readonly string[];
  minMinutes: number;
  scopes: {
    unit: JitScopeRule;
    patient: JitScopeRule;
    /** The roles a grant may add. */
    role: JitScopeRule & { roles: readonly string[] };
  };
}

/** The role that opens the unit staffing page (pages.ts staffingPage). */
export const CHARGE_NURSE_ROLE = 'charge-nurse';

export const DEFAULT_JIT_CONFIG: JitConfig = {
  requesterRoles: ['clinical'],
  approverRoles: [CHARGE_NURSE_ROLE, 'physician'],
  minMinutes: 5,
  scopes: {
    // Another unit's census and its ordinary charts (never confidential or behavioural-health ones).
    unit: { lowRisk: true, maxMinutes: 12 * 60 },
    patient: { lowRisk: false, maxMinutes: 4 * 60 },
    role: { lowRisk: false, maxMinutes: 12 * 60, roles: [CHARGE_NURSE_ROLE] },
  },
};
