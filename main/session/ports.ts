import type { NoticeId, NoticeParams } from '../../common/notice-ids.js';
/**
 * What the session engine needs from identity (implemented by the identity area): who owns a badge,
 * whether a PIN is right, and a full sign-in with the identity provider.
 */
export interface DirectoryUser {
  userId: string;
  displayName: string;
  roles: string[];
  /** Temporary staff: when their sponsored enrollment ends (ISO 8601); the lock screen and header show it. */
  temporaryUntil?: string;
}

export interface UserDirectory {
  resolveBadge(badgeHash: string): Promise<DirectoryUser | undefined>;
}

export type PinResult =
  | { ok: true }
  /** retryInMs: how long until the next PIN is checked at all. */
  | { ok: false; reason: 'wrong'; attemptsLeft: number; retryInMs: number }
  /** Entered during that wait: not checked, not counted. */
  | { ok: false; reason: 'too-soon'; retryInMs: number }
  /** Locked until a full sign-in; `newly` when this attempt locked it. */
  | { ok: false; reason: 'locked-out'; newly: boolean }
  /** No usable PIN (never set, or its record is damaged): only a PIN reset with a full sign-in helps. */
  | { ok: false; reason: 'needs-reset'; message: string }
  /** The PIN could not be checked (storage error); nothing is known about the PIN itself. */
  | { ok: false; reason: 'unavailable'; message: string };

/** Identity owns counting, backoff and the stored lock; the engine shows and audits each result, once. */
export interface PinService {
  verify(userId: string, pin: string): Promise<PinResult>;
}

/** Full sign-in with the identity provider (absolute lifetime reached, PIN lockout, refused tokens). */
export interface Authenticator {
  /** signal: aborted once the engine no longer waits for this sign-in (cancelled, locked, another badge). */
  fullSignIn(request: {
    reason: string;
    expectedUserId?: string;
    signal: AbortSignal;
  }): Promise<{ ok: true; user: DirectoryUser } | { ok: false; message: string }>;
}

/** A notice id and its parameters for a person who may not come in right now (common/notice-ids.ts). */
export interface AdmissionRefusal {
  id: NoticeId;
  params: NoticeParams;
}

/**
 * Whether a known person may be let in right now (temporary staff: their sponsorship's expiry and shift window).
 * Asked at every way in: badge tap, PIN, password sign-in and the end of an enrollment. Never rejects.
 */
export interface Admission {
  /** user: who the badge or sign-in is (undefined for an unknown badge); badgeHash: the badge tapped, if any. */
  check(user: DirectoryUser | undefined, badgeHash?: string): Promise<AdmissionRefusal | undefined>;
}

export type { StepUpAction, StepUpMethod } from '../identity/step-up/step-up-policy.js';
import type { StepUpAction, StepUpMethod } from '../identity/step-up/step-up-policy.js';

/** What the user offers; a PIN is checked by the PinService first, as at the lock screen (counted, audited). */
export type StepUpProof = { method: 'idp' } | { method: 'totp'; code: string } | { method: 'pin'; pin: string };

/** What the StepUp port checks: for a PIN, only that policy accepts it here, once the PinService has accepted it. */
export type StepUpPolicyProof = Exclude<StepUpProof, { method: 'pin' }> | { method: 'pin'; pinAccepted: true };

/** retry: the proof was wrong (a mistyped code) and the user may try again; otherwise the step-up is over. */
export type StepUpCheck = { ok: true } | { ok: false; retry: boolean; message: string };

/**
 * Re-verification before a high-risk action (implemented by identity's StepUpService): which proofs policy
 * accepts from this user for the action, and the check of one, with the roles the policy requires.
 */
export interface StepUp {
  methodsFor(userId: string, action: StepUpAction): Promise<StepUpMethod[]>;
  /** signal: aborted once the engine no longer waits for this proof; a sign-in page it opened then closes. */
  prove(userId: string, action: StepUpAction, proof: StepUpPolicyProof, signal: AbortSignal): Promise<StepUpCheck>;
}

export type EnrollmentPurpose = 'enroll' | 'pin-reset';

export type EnrollmentSignedIn = { ok: true; pendingId: string; user: DirectoryUser } | { ok: false; message: string };

/**
 * retry: the PIN was refused by the PIN rules and the clinician may choose another; otherwise the enrollment is over.
 * temporaryUntil: a sponsored (temporary) enrollment's end.
 */
export type EnrollmentCompleted =
  { ok: true; temporaryUntil?: string } | { ok: false; retry: boolean; message: string };

/**
 * Enrollment of an unknown badge and PIN reset (implemented by the identity area): a full sign-in first, then
 * the PIN the clinician chooses completes it. Outcomes are returned, never thrown.
 */
export interface Enrollment {
  /** How long a signed-in enrollment is kept waiting for its PIN. */
  readonly ttlMs: number;
  /** signal: aborted once the engine no longer waits for this sign-in; the sign-in page then closes. */
  begin(
    request: { purpose: 'enroll'; badgeHash: string } | { purpose: 'pin-reset'; userId: string },
    signal: AbortSignal,
  ): Promise<EnrollmentSignedIn>;
  complete(request: { pendingId: string; purpose: EnrollmentPurpose; pin: string }): Promise<EnrollmentCompleted>;
  /** Drops a signed-in enrollment that will not complete; nothing it started stays behind. */
  cancel(pendingId: string): Promise<void>;
}
