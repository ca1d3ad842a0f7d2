import type { EngineEventOf } from '../engine-state.js';
import * as records from './audit-records.js';
import type { DecisionBuilder } from './decision-builder.js';
import * as notices from './notices.js';
import { isOnScreen } from './selectors.js';
import { abandonPending, lockSession } from './session-transitions.js';
import { askForSignInAfterPinLockout, proveStepUp } from './verification-prompts.js';
import { assertNever } from '../../../common/errors.js';

/** Step-up: the signed-in user proves it is still them before a high-risk action (on top of their session). */

export function onStepUpRequest(decision: DecisionBuilder, request: EngineEventOf<'step-up-request'>): void {
  const fg = decision.state.fg;
  // The user on screen must still be the one the methods were looked up for.
  if (!isOnScreen(fg) || fg.session.user.userId !== request.userId) {
    decision.notify(notices.stepUpNeedsSession(request.action));
    return;
  }
  if (decision.state.pending) {
    decision.notify(notices.finishSignInFirst());
    return;
  }
  const session = fg.session;
  if (request.methods.length === 0) {
    decision.audit(records.stepUpImpossible(session, request.action));
    decision.notify(notices.stepUpImpossible(request.action));
    return;
  }
  const pending = {
    kind: 'step-up' as const,
    token: decision.nextToken(),
    action: request.action,
    sessionId: session.id,
    user: session.user,
    methods: request.methods,
  };
  decision.set({ pending });
  decision.audit(records.stepUpRequired(session, request.action, request.methods));
  // With one way to prove it, start at once; with a choice, the user picks (a code from their app, or a sign-in).
  if (request.methods.length === 1 && request.methods[0] === 'idp') proveStepUp(decision, pending, { method: 'idp' });
  // Otherwise the step-up dialog itself asks; a notice saying the same would outlive it.
}

export function onStepUpProve(decision: DecisionBuilder, offer: EngineEventOf<'step-up-prove'>): void {
  const pending = decision.state.pending;
  if (pending?.kind !== 'step-up') {
    decision.notify(notices.nothingToConfirm());
    return;
  }
  if (pending.proving) return; // the first submission is still being checked: a double tap must not send two
  if (!pending.methods.includes(offer.proof.method)) {
    decision.notify(notices.proofNotAccepted(offer.proof.method, pending.methods));
    return;
  }
  proveStepUp(decision, pending, offer.proof);
}

export function onStepUpResult(decision: DecisionBuilder, answer: EngineEventOf<'step-up-result'>): void {
  const pending = decision.state.pending;
  if (pending?.kind !== 'step-up' || pending.token !== answer.token) return; // cancelled, locked or replaced meanwhile
  const fg = decision.state.fg;
  const result = answer.result;
  const outcome = { action: pending.action, userId: pending.user.userId, sessionId: pending.sessionId };
  if (result.ok && isOnScreen(fg) && fg.session.id === pending.sessionId) {
    decision.dropPending();
    decision.markPreGrant();
    // A fresh provider sign-in is a full verification: the shift lifetime restarts from it.
    if (answer.method === 'idp')
      decision.set({ fg: { ...fg, session: { ...fg.session, lifetimeStartMs: decision.now } } });
    decision.grant = records.stepUpSucceeded(fg.session, pending, answer.method);
    decision.stepUps.push({ ...outcome, ok: true, method: answer.method });
    return;
  }
  const why = result.ok ? 'the session changed while it was being checked' : result.message;
  decision.audit(records.stepUpFailed(pending, answer.method, why));
  if (!result.ok && result.retry) {
    const { proving: _done, ...waiting } = pending;
    decision.set({ pending: waiting });
    decision.notify(notices.tryAgain(why));
    return;
  }
  decision.dropPending();
  decision.stepUps.push({ ...outcome, ok: false });
  decision.notify(notices.stepUpFailed(why));
}

/**
 * A PIN offered as a step-up proof was refused by the PinService, as at the lock screen: the same audit records and
 * notices; a wrong PIN may be retried (the PinService counts it towards the same backoff and lockout); a lockout
 * locks the session and goes to the full sign-in that an unlock lockout goes to.
 */
export function onStepUpPinRefused(decision: DecisionBuilder, answer: EngineEventOf<'step-up-pin-refused'>): void {
  const pending = decision.state.pending;
  if (pending?.kind !== 'step-up' || pending.token !== answer.token) return; // cancelled, locked or replaced meanwhile
  const { proving: _done, ...waiting } = pending;
  const { user } = pending;
  const result = answer.result;
  switch (result.reason) {
    case 'wrong':
      decision.set({ pending: waiting });
      decision.audit(records.pinFailure(user, undefined, 'wrong PIN', result.attemptsLeft));
      decision.notify(notices.wrongPin(result.attemptsLeft, result.retryInMs));
      return;
    case 'too-soon':
      decision.set({ pending: waiting });
      decision.notify(notices.pinTooSoon(result.retryInMs));
      return;
    case 'unavailable':
      decision.set({ pending: waiting });
      decision.audit(records.pinFailure(user, undefined, `PIN could not be checked: ${result.message}`));
      decision.notify(notices.pinUncheckable(result.message));
      return;
    case 'needs-reset':
      // A PIN reset is a lock-screen flow; the step-up ends and another accepted proof can be used.
      decision.audit(records.pinFailure(user, undefined, `PIN unusable: ${result.message}`));
      abandonPending(decision, 'PIN unusable');
      decision.notify(notices.stepUpFailed(result.message));
      return;
    case 'locked-out': {
      // A pending step-up belongs to the session on screen (a lock abandons it).
      const fg = decision.state.fg;
      const badgeHash = isOnScreen(fg) ? fg.session.badgeHash : undefined;
      lockSession(decision, 'PIN locked during a step-up');
      const target = { type: 'resume' as const, sessionId: pending.sessionId };
      askForSignInAfterPinLockout(decision, user, target, badgeHash, result.newly);
      return;
    }
    default:
      assertNever(result);
  }
}

export function onStepUpCancel(decision: DecisionBuilder): void {
  if (decision.state.pending?.kind !== 'step-up') return;
  abandonPending(decision, 'cancelled by the user');
  decision.notify(notices.cancelled());
}
