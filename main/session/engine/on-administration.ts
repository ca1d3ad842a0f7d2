import type { EngineEventOf } from '../engine-state.js';
import { rulesFromPolicy } from '../engine-state.js';
import { applyDueDeadlines } from './apply-deadlines.js';
import * as records from './audit-records.js';
import type { DecisionBuilder } from './decision-builder.js';
import { allSessions, pendingUserId } from './selectors.js';
import {
  abandonPending,
  endSession,
  endSuspendedOverLimit,
  lockSession,
  requireFullSignIn,
} from './session-transitions.js';

/** Orders from outside the screen: an administrator's revocation, and a new (or broken) machine policy. */

export function onAdminRevoke(decision: DecisionBuilder, revoke: EngineEventOf<'admin-revoke'>): void {
  const concerned = (userId: string | undefined) => revoke.userId === undefined || userId === revoke.userId;
  for (const session of allSessions(decision.state)) {
    if (concerned(session.user.userId))
      endSession(decision, session, `revoked by administrator: ${revoke.reason}`, 'session.terminated', true);
  }
  if (revoke.userId !== undefined) requireFullSignIn(decision, revoke.userId);
  const pending = decision.state.pending;
  if (pending && concerned(pendingUserId(pending))) abandonPending(decision, 'revoked');
}

export function onPolicyChange(decision: DecisionBuilder, change: EngineEventOf<'policy-change'>): void {
  const restored = decision.state.policyProblems !== undefined;
  const { policyProblems: _cleared, ...rest } = decision.state;
  decision.state = { ...rest, rules: rulesFromPolicy(change.policy) };
  // A verification started under the old rules must not finish under the new, possibly stricter, ones.
  abandonPending(decision, 'policy changed');
  decision.audit(records.policyChanged(change.policy.profile, restored));
  endSuspendedOverLimit(decision, `suspended-session limit lowered to ${decision.rules.maxSuspended}`);
  // Shorter limits may already have passed.
  applyDueDeadlines(decision, undefined);
}

export function onPolicyInvalid(decision: DecisionBuilder, invalid: EngineEventOf<'policy-invalid'>): void {
  decision.set({ policyProblems: invalid.problems });
  lockSession(decision, 'machine policy invalid');
  abandonPending(decision, 'machine policy invalid');
  decision.audit(records.policyInvalid(invalid.problems));
}
