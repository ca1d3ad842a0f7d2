import type { JitScopeKind } from './just-in-time-policy.js';

/**
 * The port to whatever issues and enforces just-in-time grants: the EHR's access-grant API
 * (access-grant-api-adapter.ts, docs/access-grants-api.md) or an identity-provider elevation. CareShell never
 * enforces a grant itself: it asks for one with the requester's own token and proof of the approval (the
 * approver's own token, which the EHR checks at the identity provider), counts down from the server's answer and
 * ends it.
 */

export type JitScope =
  | { kind: Extract<JitScopeKind, 'unit'>; unit: string }
  | { kind: Extract<JitScopeKind, 'patient'>; patient: string }
  | { kind: Extract<JitScopeKind, 'role'>; role: string };

/** How the request was approved: by a second person (their own access token), or by a low-risk rule. */
export type JitApproval = { kind: 'approver'; accessToken: string } | { kind: 'auto' };

export interface JitGrantRequest {
  scope: JitScope;
  purpose: { code: string; text: string };
  durationMinutes: number;
  approval: JitApproval;
}

/** A grant as the issuing server sees it: its expiry is the server's, never the workstation's. */
export interface JitGrantStatus {
  id: string;
  status: 'active' | 'expired' | 'ended';
  expiresAt: string;
  /** Seconds left on the server's clock when it answered: countdowns start from this. */
  secondsLeft: number;
  /** Where the granted scope opens in the EHR (a page of the EHR's own origin), when it has one. */
  open?: string;
}

export interface JustInTimeAdapter {
  /** The origin of the system that enforces the grant (audit details name it). */
  readonly origin: string;
  /** Asks for a grant for the token's user; rejects with JitRefused when the server says no. */
  request(accessToken: string, request: JitGrantRequest): Promise<JitGrantStatus>;
  status(accessToken: string, grantId: string): Promise<JitGrantStatus>;
  /** Ends the grant now; idempotent (ending an ended or expired grant answers its status). */
  end(accessToken: string, grantId: string): Promise<JitGrantStatus>;
}

/** The server refused (not allowed, self-approval, wrong approver, bad request): `message` is the server's words. */
export class JitRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'JitRefused';
  }
}

/** How a scope is named in audit details and on screen: "unit:unit-ed", "patient:Patient/p-1", "role:charge-nurse". */
export function scopeValue(scope: JitScope): string {
  return scope.kind === 'unit' ? scope.unit : scope.kind === 'patient' ? scope.patient : scope.role;
}
