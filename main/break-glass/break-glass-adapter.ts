import type { BreakGlassScopeKind } from './break-glass-policy.js';

/**
 * The port to whatever issues and enforces break-glass grants: the demo EHR's grant API
 * (grant-api-adapter.ts), an EHR's native break-glass, or an identity-provider elevation
 * (docs/break-glass.md#for-ehr-integrators). CareShell never enforces a grant itself: it only asks for one with
 * the clinician's own token, counts down from the server's answer, and ends it.
 */

export type GrantScope =
  { kind: Extract<BreakGlassScopeKind, 'patient'>; patient: string } | { kind: 'all-restricted' };

export interface GrantRequest {
  scope: GrantScope;
  reason: { code: string; text: string };
  /** The clinician confirmed the emergency; an adapter refuses to send anything else. */
  attestation: true;
  durationMinutes: number;
}

/** A grant as the issuing server sees it: its expiry is the server's, never the workstation's. */
export interface GrantStatus {
  id: string;
  status: 'active' | 'expired' | 'ended';
  expiresAt: string;
  /** Seconds left on the server's clock when it answered: countdowns start from this. */
  secondsLeft: number;
}

export interface BreakGlassAdapter {
  /** The origin of the system that enforces the grant (audit details name it). */
  readonly origin: string;
  /** Asks for a grant for the token's user; rejects with BreakGlassRefused when the server says no. */
  activate(accessToken: string, request: GrantRequest): Promise<GrantStatus>;
  status(accessToken: string, grantId: string): Promise<GrantStatus>;
  /** Ends the grant now; idempotent (ending an ended or expired grant answers its status). */
  end(accessToken: string, grantId: string): Promise<GrantStatus>;
}

/** The server refused (not allowed, bad request, token rejected): `message` is the server's words. */
export class BreakGlassRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BreakGlassRefused';
  }
}
