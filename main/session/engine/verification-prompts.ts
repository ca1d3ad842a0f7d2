import type { GrantTarget, Pending } from '../engine-state.js';
import type { DirectoryUser, StepUpProof } from '../ports.js';
import * as records from './audit-records.js';
import type { DecisionBuilder } from './decision-builder.js';
import * as notices from './notices.js';
import { requireFullSignIn } from './session-transitions.js';

/**
 * Opening a verification: a PIN prompt, a full sign-in at the identity provider, an enrollment or PIN reset,
 * or one step-up proof. Each gets a fresh token (a stale answer never applies to a newer prompt), is
 * recorded as required, and tells the person at the screen what to do.
 */

export function askForPin(
  decision: DecisionBuilder,
  user: DirectoryUser,
  target: GrantTarget,
  badgeHash: string | undefined,
  why: string,
): void {
  decision.set({ pending: { kind: 'pin', token: decision.nextToken(), user, badgeHash, target } });
  decision.audit(records.pinRequired(user, badgeHash, why));
  // No notice: the PIN pad's heading names whose PIN it asks for (SessionView pinPrompt.displayName).
}

export function askForFullSignIn(
  decision: DecisionBuilder,
  reason: string,
  target: Extract<Pending, { kind: 'full-sign-in' }>['target'],
  expectedUserId?: string,
  badgeHash?: string,
): void {
  const token = decision.nextToken();
  decision.set({ pending: { kind: 'full-sign-in', token, expectedUserId, badgeHash, target, reason } });
  decision.fullSignIns.push({ token, reason, expectedUserId });
  decision.audit(records.fullSignInRequired(expectedUserId, badgeHash, reason));
  decision.notify(notices.signInWithPassword());
}

/**
 * The PIN is locked (at an unlock or a step-up): only a full sign-in lifts it, so go straight to the password;
 * the clinician should not have to tap again to find out what to do. newly: this attempt locked it.
 */
export function askForSignInAfterPinLockout(
  decision: DecisionBuilder,
  user: DirectoryUser,
  target: GrantTarget,
  badgeHash: string | undefined,
  newly: boolean,
): void {
  requireFullSignIn(decision, user.userId);
  decision.audit(
    newly
      ? records.pinLockout(user, badgeHash)
      : records.pinFailure(user, badgeHash, 'PIN entered while locked: a full sign-in is required'),
  );
  askForFullSignIn(decision, 'your PIN is locked after too many wrong tries', target, user.userId, badgeHash);
  decision.notify(notices.pinLockedOut(user.displayName));
}

/** Who an enrollment is for: an unknown badge, or a known user whose PIN is to be replaced. */
export type EnrollmentSubject =
  | { purpose: 'enroll'; badgeHash: string }
  /** unusable: why the stored PIN cannot be used; absent when the clinician asked (forgotten PIN). */
  | { purpose: 'pin-reset'; user: DirectoryUser; badgeHash?: string; unusable?: string };

/** Enrollment of an unknown badge or a PIN reset: the identity layer starts a full sign-in at once. */
export function startEnrollment(decision: DecisionBuilder, target: GrantTarget, subject: EnrollmentSubject): void {
  const ttlMs = decision.state.enrollmentTtlMs;
  if (ttlMs === undefined) return;
  const token = decision.nextToken();
  const common = {
    kind: 'enroll' as const,
    token,
    step: 'sign-in' as const,
    target,
    expiresAtMs: decision.now + ttlMs,
  };
  if (subject.purpose === 'enroll') {
    decision.set({ pending: { ...common, purpose: 'enroll', badgeHash: subject.badgeHash } });
    decision.enrollments.push({ token, purpose: 'enroll', badgeHash: subject.badgeHash });
    decision.audit(records.enrollmentStarted(subject.badgeHash));
    decision.notify(notices.enrollBadge());
    return;
  }
  const { user, badgeHash, unusable } = subject;
  decision.set({
    pending: { ...common, purpose: 'pin-reset', expectedUser: user, ...(badgeHash ? { badgeHash } : {}) },
  });
  decision.enrollments.push({ token, purpose: 'pin-reset', userId: user.userId });
  decision.audit(records.pinResetRequired(user, badgeHash, unusable));
  decision.notify(notices.resetPin(user.displayName, unusable));
}

/** Sends one proof to the identity layer; the pending step-up shows it is being checked. */
export function proveStepUp(
  decision: DecisionBuilder,
  pending: Extract<Pending, { kind: 'step-up' }>,
  proof: StepUpProof,
): void {
  decision.set({ pending: { ...pending, proving: proof.method } });
  decision.stepUpProofs.push({ token: pending.token, userId: pending.user.userId, action: pending.action, proof });
  if (proof.method === 'idp') decision.notify(notices.confirmBySignIn(pending.action));
}
