import type { Decision, EngineEvent, EngineEventOf, EngineState } from '../engine-state.js';
import { applyDueDeadlines } from './apply-deadlines.js';
import { DecisionBuilder } from './decision-builder.js';
import { onAdminRevoke, onPolicyChange, onPolicyInvalid } from './on-administration.js';
import { onAdmissionRefused } from './on-admission.js';
import { onBadgeRemoved, onTap } from './on-badge.js';
import { onEnrollCancel, onEnrollCompleted, onEnrollSignedIn } from './on-enrollment.js';
import { onPinCancel, onPinForgot, onPinRefused, onPinResult } from './on-pin.js';
import { onAuditFailed, onGrantFailed, onGrantInterrupted, onTimer } from './on-service-feedback.js';
import { onFullSignInResult, onPasswordSignIn, onSignInCancel, onTokensRefused } from './on-sign-in.js';
import { onStepUpCancel, onStepUpPinRefused, onStepUpProve, onStepUpRequest, onStepUpResult } from './on-step-up.js';
import { onActivity, onLockNow, onOsEvent } from './on-workstation.js';

/**
 * The session engine's decisions: a pure function of (state, event, monotonic now). No I/O, no clock
 * reads, no randomness: the service feeds resolved inputs and carries out the returned effects
 * (docs/design.md#session-semantics). Every deadline that has passed is applied first, whatever the event;
 * `osIdleMs` (OS-wide idle time) is given when an idle deadline is due.
 */
export function decide(state: EngineState, event: EngineEvent, now: number, osIdleMs?: number): Decision {
  const decision = new DecisionBuilder(state, now);
  applyDueDeadlines(decision, osIdleMs);
  handle(decision, event);
  return decision.finish();
}

type Handler<T extends EngineEvent['type']> = (decision: DecisionBuilder, event: EngineEventOf<T>) => void;

/** One handler per event type; the mapped type makes a missing one a compile error. */
const HANDLERS: { [T in EngineEvent['type']]: Handler<T> } = {
  // badge
  tap: onTap,
  removed: onBadgeRemoved,
  // PIN
  'pin-result': onPinResult,
  'pin-refused': onPinRefused,
  'pin-cancel': onPinCancel,
  'pin-forgot': onPinForgot,
  // sign-in at the identity provider
  'password-sign-in': onPasswordSignIn,
  'sign-in-cancel': onSignInCancel,
  'full-sign-in-result': onFullSignInResult,
  'tokens-refused': onTokensRefused,
  // enrollment and PIN reset
  'enroll-signed-in': onEnrollSignedIn,
  'enroll-completed': onEnrollCompleted,
  'enroll-cancel': onEnrollCancel,
  // temporary staff outside their sponsorship
  'admission-refused': onAdmissionRefused,
  // step-up
  'step-up-request': onStepUpRequest,
  'step-up-prove': onStepUpProve,
  'step-up-result': onStepUpResult,
  'step-up-pin-refused': onStepUpPinRefused,
  'step-up-cancel': onStepUpCancel,
  // the workstation
  activity: onActivity,
  os: onOsEvent,
  'lock-now': onLockNow,
  // administration
  'admin-revoke': onAdminRevoke,
  'policy-change': onPolicyChange,
  'policy-invalid': onPolicyInvalid,
  // the service's own reports
  tick: onTimer,
  'grant-failed': onGrantFailed,
  'grant-interrupted': onGrantInterrupted,
  'audit-failed': onAuditFailed,
};

function handle(decision: DecisionBuilder, event: EngineEvent): void {
  // The table pairs each type with its handler; TypeScript cannot correlate the two through the index.
  HANDLERS[event.type](decision, event as never);
}
