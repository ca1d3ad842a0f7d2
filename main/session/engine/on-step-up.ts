import type { EngineEventOf } from '../engine-state.js';
import * as records from './audit-records.js';
import type { DecisionBuilder } from './decision-builder.js';
import * as notices from './notices.js';
import { isOnScreen } from './selectors.js';
import { abandonPending } from './session-transitions.js';
import { proveStepUp } from './verification-prompts.js';

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

export function onStepUpCancel(decision: DecisionBuilder): void {
  if (decision.state.pending?.kind !== 'step-up') return;
  abandonPending(decision, 'cancelled by the user');
  decision.notify(notices.cancelled());
}
