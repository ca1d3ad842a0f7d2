import type { EngineEventOf } from '../engine-state.js';
import * as records from './audit-records.js';
import type { DecisionBuilder } from './decision-builder.js';
import * as notices from './notices.js';
import { effectivePending } from './selectors.js';
import { abandonPending, grantAccess } from './session-transitions.js';
import { askForSignInAfterPinLockout, startEnrollment } from './verification-prompts.js';

/** PIN entry: the identity layer's answer to a PIN, and the PIN prompt's cancel and "forgot my PIN". */

export function onPinResult(decision: DecisionBuilder, answer: EngineEventOf<'pin-result'>): void {
  const prompt = effectivePending(decision.state);
  // A stale answer for a prompt that is gone, or for another person's prompt (the standing prompt's token is 0 for everyone).
  if (
    prompt?.kind !== 'pin' ||
    prompt.token !== answer.token ||
    prompt.user.userId !== answer.userId ||
    prompt.target.sessionId !== answer.targetSessionId
  )
    return;
  const { user, badgeHash, target } = prompt;
  const result = answer.result;
  if (result.ok) {
    grantAccess(decision, user, target, badgeHash ? 'badge+pin' : 'pin', badgeHash, false);
  } else if (result.reason === 'wrong') {
    // The standing prompt becomes an explicit one so that it can count down the attempts left.
    const token = prompt.token === 0 ? decision.nextToken() : prompt.token;
    decision.set({ pending: { ...prompt, token, attemptsLeft: result.attemptsLeft } });
    decision.audit(records.pinFailure(user, badgeHash, 'wrong PIN', result.attemptsLeft));
    decision.notify(notices.wrongPin(result.attemptsLeft, result.retryInMs));
  } else if (result.reason === 'too-soon') {
    decision.notify(notices.pinTooSoon(result.retryInMs));
  } else if (result.reason === 'needs-reset') {
    abandonPending(decision, 'PIN unusable');
    decision.audit(records.pinFailure(user, badgeHash, `PIN unusable: ${result.message}`));
    if (decision.state.enrollmentTtlMs === undefined) {
      decision.notify(notices.pinUnusableAskIt(user.displayName, result.message));
    } else {
      startEnrollment(decision, target, {
        purpose: 'pin-reset',
        user,
        ...(badgeHash ? { badgeHash } : {}),
        unusable: result.message,
      });
    }
  } else if (result.reason === 'unavailable') {
    decision.audit(records.pinFailure(user, badgeHash, `PIN could not be checked: ${result.message}`));
    decision.notify(notices.pinUncheckable(result.message));
  } else {
    decision.dropPending();
    askForSignInAfterPinLockout(decision, user, target, badgeHash, result.newly);
  }
}

/** A PIN arrived while no PIN prompt is open. */
export function onPinRefused(decision: DecisionBuilder): void {
  decision.notify(notices.noPinAsked());
}

export function onPinCancel(decision: DecisionBuilder): void {
  if (decision.state.pending?.kind === 'pin') abandonPending(decision, 'PIN cancelled');
}

/** The clinician at the PIN prompt does not remember their PIN: a PIN reset, where this workstation can do one. */
export function onPinForgot(decision: DecisionBuilder): void {
  const prompt = effectivePending(decision.state);
  if (prompt?.kind !== 'pin') {
    decision.notify(notices.noPinAsked());
    return;
  }
  if (decision.state.enrollmentTtlMs === undefined) {
    decision.notify(notices.pinResetNotHere(prompt.user.displayName));
    return;
  }
  decision.dropPending();
  startEnrollment(decision, prompt.target, {
    purpose: 'pin-reset',
    user: prompt.user,
    ...(prompt.badgeHash ? { badgeHash: prompt.badgeHash } : {}),
  });
}
