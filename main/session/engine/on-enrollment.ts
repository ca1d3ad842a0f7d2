import type { EngineEventOf, GrantTarget } from '../engine-state.js';
import * as records from './audit-records.js';
import type { DecisionBuilder } from './decision-builder.js';
import * as notices from './notices.js';
import { ownedSession } from './selectors.js';
import { abandonPending, grantAccess } from './session-transitions.js';

/** Enrollment of an unknown badge and PIN reset: the sign-in at the provider, the chosen PIN, and cancel. */

export function onEnrollSignedIn(decision: DecisionBuilder, signedIn: EngineEventOf<'enroll-signed-in'>): void {
  const pending = decision.state.pending;
  const outcome = signedIn.outcome;
  if (pending?.kind !== 'enroll' || pending.token !== signedIn.token || pending.step !== 'sign-in') {
    // A sign-in that finished after its enrollment was cancelled, expired or interrupted: nothing may come of it.
    if (outcome.ok) decision.releasedEnrollments.push(outcome.pendingId);
    return;
  }
  if (!outcome.ok) {
    decision.dropPending();
    decision.audit(records.enrollmentFailed(pending, outcome.message));
    decision.notify(notices.enrollmentFailed(pending.purpose, outcome.message));
    return;
  }
  const user = outcome.user;
  // A clinician enrolling a new badge who already has a session kept here gets that session back.
  const owned = ownedSession(decision.state, user.userId);
  const target: GrantTarget = owned ? { type: 'resume', sessionId: owned.id } : pending.target;
  decision.set({
    pending: {
      ...pending,
      step: 'choose-pin',
      user,
      pendingId: outcome.pendingId,
      target,
      expiresAtMs: decision.now + (decision.state.enrollmentTtlMs ?? 0),
    },
  });
  decision.audit(records.enrollmentSignedIn(pending, user));
  decision.notify(notices.choosePin(user.displayName));
}

export function onEnrollCompleted(decision: DecisionBuilder, completed: EngineEventOf<'enroll-completed'>): void {
  const pending = decision.state.pending;
  if (pending?.kind !== 'enroll' || pending.token !== completed.token || pending.step !== 'choose-pin') return;
  if (!pending.user) return;
  const outcome = completed.outcome;
  if (outcome.ok) {
    const method =
      pending.purpose === 'enroll' ? 'enrollment (full sign-in and new PIN)' : 'PIN reset (full sign-in and new PIN)';
    const user = outcome.temporaryUntil ? { ...pending.user, temporaryUntil: outcome.temporaryUntil } : pending.user;
    grantAccess(decision, user, pending.target, method, pending.badgeHash, true);
    return;
  }
  if (outcome.retry) {
    decision.notify(notices.tryAgain(outcome.message));
    return;
  }
  // The identity layer has already dropped its half: nothing to release.
  decision.dropPending();
  decision.audit(records.enrollmentFailed(pending, outcome.message));
  decision.notify(notices.enrollmentRefused(pending.purpose, outcome.message));
}

export function onEnrollCancel(decision: DecisionBuilder): void {
  const pending = decision.state.pending;
  if (pending?.kind !== 'enroll') return;
  abandonPending(decision, 'cancelled at the workstation');
  decision.notify(notices.enrollmentCancelled(pending.purpose));
}
