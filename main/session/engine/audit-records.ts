import type { AuditActor } from '../../audit/audit-event.js';
import type { PolicyProblem } from '../../policy/policy-problem.js';
import type { AuditDraft, KeptSession, Pending } from '../engine-state.js';
import type { DirectoryUser, EnrollmentPurpose, StepUpAction, StepUpMethod } from '../ports.js';

/**
 * Every audit record the session engine writes, built here so the trail's vocabulary (type, outcome, actor,
 * reason, details) can be read and reviewed in one place; see docs/design.md#audit. Reasons are for
 * auditors and stay in English. The service stamps time and workstation on each draft.
 */

type EnrollPending = Extract<Pending, { kind: 'enroll' }>;
type StepUpPending = Extract<Pending, { kind: 'step-up' }>;

// ---- actors ----

/** The owner of a session, with the badge that opened it. */
function sessionActor(session: KeptSession): AuditActor {
  return {
    userId: session.user.userId,
    displayName: session.user.displayName,
    roles: session.user.roles,
    badgeHash: session.badgeHash,
  };
}

function userActor(user: DirectoryUser): AuditActor {
  return { userId: user.userId, displayName: user.displayName, roles: user.roles };
}

/** A person being verified: known by the badge lookup or the prompt, not yet by a session. */
function claimantActor(user: DirectoryUser, badgeHash: string | undefined): AuditActor {
  return { userId: user.userId, displayName: user.displayName, badgeHash };
}

function enrollmentActor(pending: EnrollPending): AuditActor {
  const user = pending.user ?? pending.expectedUser;
  return {
    ...(user ? { userId: user.userId, displayName: user.displayName } : {}),
    ...(pending.badgeHash ? { badgeHash: pending.badgeHash } : {}),
  };
}

function enrollmentName(purpose: EnrollmentPurpose): string {
  return purpose === 'enroll' ? 'enrollment' : 'PIN reset';
}

// ---- sessions shown, hidden, kept and ended ----

/**
 * Something happened to a session: shown, locked, timed out, suspended, ended, switched to, kept alive.
 * details: added after the session id.
 */
export function sessionRecord(
  type: AuditDraft['type'],
  session: KeptSession,
  reason: string,
  details: Record<string, string | number> = {},
): AuditDraft {
  return {
    type,
    outcome: 'success',
    actor: sessionActor(session),
    reason,
    details: { sessionId: session.id, ...details },
  };
}

/** The record that grants access: the new state is shown only once it is durable. */
export function accessGranted(type: AuditDraft['type'], session: KeptSession, method: string): AuditDraft {
  return sessionRecord(type, session, `verified by ${method}`, { method });
}

export function tokensRenewed(session: KeptSession): AuditDraft {
  return sessionRecord('session.sign_in', session, 'identity provider sign-in renewed', { method: 'full sign-in' });
}

/** A grant whose record is durable but which never reached the screen. */
export function grantNotShown(grant: AuditDraft): AuditDraft {
  return {
    ...grant,
    outcome: 'failure',
    reason: `${grant.reason ?? 'access'}: not shown, interrupted by another event before the screen unlocked`,
  };
}

// ---- verification asked for ----

export function pinRequired(user: DirectoryUser, badgeHash: string | undefined, why: string): AuditDraft {
  return {
    type: 'session.reverify_required',
    outcome: 'success',
    actor: claimantActor(user, badgeHash),
    reason: `PIN required: ${why}`,
  };
}

export function fullSignInRequired(
  expectedUserId: string | undefined,
  badgeHash: string | undefined,
  why: string,
): AuditDraft {
  return {
    type: 'session.reverify_required',
    outcome: 'success',
    actor: { userId: expectedUserId, badgeHash },
    reason: `full sign-in required: ${why}`,
  };
}

/** The provider refused a kept session's tokens: its user signs in with the password at the next unlock. */
export function fullSignInRequiredAtUnlock(userId: string, sessionId: string, why: string): AuditDraft {
  return {
    type: 'session.reverify_required',
    outcome: 'success',
    actor: { userId },
    reason: `full sign-in required at the next unlock: ${why}`,
    details: { sessionId },
  };
}

export function fullSignInFailed(pending: Extract<Pending, { kind: 'full-sign-in' }>, why: string): AuditDraft {
  return {
    type: 'session.sign_in',
    outcome: 'failure',
    actor: { userId: pending.expectedUserId, badgeHash: pending.badgeHash },
    reason: `full sign-in failed: ${why}`,
  };
}

// ---- badges ----

/** A tap refused at the reader before anyone was identified (policy invalid, directory unavailable). */
export function badgeRejected(badgeHash: string, readerId: string, why: string): AuditDraft {
  return { type: 'badge.rejected', outcome: 'failure', actor: { badgeHash }, reason: why, details: { readerId } };
}

/** A tap refused because this workstation keeps as many sessions as policy allows (policy: refuse). */
export function suspendedLimitRefused(userId: string | undefined, badgeHash: string, maxSuspended: number): AuditDraft {
  return {
    type: 'badge.rejected',
    outcome: 'failure',
    actor: { userId, badgeHash },
    reason: `suspended-session limit ${maxSuspended} reached (policy: refuse)`,
  };
}

/** A badge nobody owns, on a workstation that cannot enroll it. */
export function badgeUnknown(badgeHash: string, readerId: string): AuditDraft {
  return {
    type: 'badge.unknown',
    outcome: 'failure',
    actor: { badgeHash },
    reason: 'badge not enrolled',
    details: { readerId },
  };
}

// ---- PIN ----

/** attemptsLeft: given for a wrong PIN, before the PIN locks. */
export function pinFailure(
  user: DirectoryUser,
  badgeHash: string | undefined,
  why: string,
  attemptsLeft?: number,
): AuditDraft {
  const record: AuditDraft = {
    type: 'pin.failure',
    outcome: 'failure',
    actor: claimantActor(user, badgeHash),
    reason: why,
  };
  return attemptsLeft === undefined ? record : { ...record, details: { attemptsLeft } };
}

export function pinLockout(user: DirectoryUser, badgeHash: string | undefined): AuditDraft {
  return {
    type: 'pin.lockout',
    outcome: 'failure',
    actor: claimantActor(user, badgeHash),
    reason: 'too many wrong PINs: locked until a full sign-in',
  };
}

// ---- enrollment and PIN reset ----

export function enrollmentStarted(badgeHash: string): AuditDraft {
  return {
    type: 'badge.unknown',
    outcome: 'failure',
    actor: { badgeHash },
    reason: 'badge not enrolled: enrollment started (full sign-in at the identity provider)',
  };
}

export function pinResetRequired(user: DirectoryUser, badgeHash: string | undefined, unusable?: string): AuditDraft {
  return {
    type: 'session.reverify_required',
    outcome: 'success',
    actor: claimantActor(user, badgeHash),
    reason: `PIN reset required: ${unusable ?? 'PIN forgotten'}`,
  };
}

export function enrollmentSignedIn(pending: EnrollPending, user: DirectoryUser): AuditDraft {
  return {
    type: 'session.reverify_required',
    outcome: 'success',
    actor: claimantActor(user, pending.badgeHash),
    reason: `${enrollmentName(pending.purpose)}: signed in at the identity provider; choosing a PIN`,
  };
}

/** An enrollment or PIN reset that ended without a new PIN (refused, or the sign-in failed). */
export function enrollmentFailed(pending: EnrollPending, why: string): AuditDraft {
  return enrollmentFailure(pending, `${enrollmentName(pending.purpose)}: ${why}`);
}

/** The engine gave up on an enrollment or PIN reset (cancelled, expired, interrupted). */
export function enrollmentAbandoned(pending: EnrollPending, why: string): AuditDraft {
  return enrollmentFailure(pending, `${enrollmentName(pending.purpose)} abandoned: ${why}`);
}

function enrollmentFailure(pending: EnrollPending, reason: string): AuditDraft {
  return { type: 'session.sign_in', outcome: 'failure', actor: enrollmentActor(pending), reason };
}

// ---- step-up ----

export function stepUpRequired(
  session: KeptSession,
  action: StepUpAction,
  methods: readonly StepUpMethod[],
): AuditDraft {
  return {
    type: 'session.reverify_required',
    outcome: 'success',
    actor: sessionActor(session),
    reason: `step-up required for ${action} (${methods.join(' or ')})`,
    details: { sessionId: session.id, action },
  };
}

export function stepUpImpossible(session: KeptSession, action: StepUpAction): AuditDraft {
  return {
    type: 'session.step_up',
    outcome: 'failure',
    actor: sessionActor(session),
    reason: `step-up for ${action}: no proof available on this workstation`,
    details: { sessionId: session.id, action },
  };
}

export function stepUpSucceeded(session: KeptSession, pending: StepUpPending, method: StepUpMethod): AuditDraft {
  return {
    type: 'session.step_up',
    outcome: 'success',
    actor: sessionActor(session),
    reason: `step-up for ${pending.action}`,
    details: { sessionId: pending.sessionId, action: pending.action, method },
  };
}

export function stepUpFailed(pending: StepUpPending, method: StepUpMethod, why: string): AuditDraft {
  return {
    type: 'session.step_up',
    outcome: 'failure',
    actor: userActor(pending.user),
    reason: `step-up for ${pending.action} (${method}): ${why}`,
    details: { sessionId: pending.sessionId, action: pending.action, method },
  };
}

export function stepUpAbandoned(pending: StepUpPending, why: string): AuditDraft {
  return {
    type: 'session.step_up',
    outcome: 'failure',
    actor: userActor(pending.user),
    reason: `step-up for ${pending.action} abandoned: ${why}`,
    details: { sessionId: pending.sessionId, action: pending.action },
  };
}

// ---- policy ----

export function policyChanged(profile: string, restored: boolean): AuditDraft {
  return {
    type: 'policy.change',
    outcome: 'success',
    reason: restored ? 'valid policy restored' : 'policy changed',
    details: { profile },
  };
}

export function policyInvalid(problems: readonly PolicyProblem[]): AuditDraft {
  return {
    type: 'policy.invalid',
    outcome: 'failure',
    reason: problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '),
    details: { problems: problems.length },
  };
}
