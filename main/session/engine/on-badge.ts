import type { EngineEventOf, GrantTarget } from '../engine-state.js';
import * as records from './audit-records.js';
import type { DecisionBuilder } from './decision-builder.js';
import * as notices from './notices.js';
import { foregroundSession, isOnScreen, ownedSession } from './selectors.js';
import { abandonPending, endSession, grantAccess, lockSession } from './session-transitions.js';
import { askForFullSignIn, askForPin, startEnrollment } from './verification-prompts.js';

/** Badge taps and walk-away: who the badge is, what policy asks of them, and what happens to the screen. */

type Tap = EngineEventOf<'tap'>;

export function onTap(decision: DecisionBuilder, tap: Tap): void {
  if (refusedBeforeIdentifying(decision, tap)) return;
  const user = tap.user;
  const pending = decision.state.pending;
  if (!user && pending?.kind === 'enroll' && pending.badgeHash === tap.badgeHash) {
    // A second tap of the badge being enrolled (double tap, impatience) must not start a second sign-in.
    decision.notify(notices.enrollmentInProgress(pending.step));
    return;
  }
  const rules = decision.rules;
  const fg = decision.state.fg;
  if (user && isOnScreen(fg) && fg.session.user.userId === user.userId) {
    const signedInAgoMs = decision.now - fg.unlockedAtMs;
    if (signedInAgoMs < rules.ignoreTapWithinMs) {
      decision.notify(notices.tapIgnored(user.displayName, signedInAgoMs));
    } else if (rules.sameUserTap === 'lock') {
      lockSession(decision, 'tap-out');
    } else if (rules.sameUserTap === 'sign-out') {
      endSession(decision, fg.session, 'tap-out (policy: sign out)', 'session.sign_out');
    } else {
      decision.notify(notices.tapOutOff());
    }
    return;
  }

  const owned = user && ownedSession(decision.state, user.userId);
  const target: GrantTarget = owned
    ? { type: 'resume', sessionId: owned.id }
    : { type: 'new', sessionId: tap.newSessionId };
  // maxSuspended 0 means "end the previous session", so there is never a full list to refuse on.
  if (
    !owned &&
    rules.whenFull === 'refuse' &&
    rules.previousSession === 'suspend' &&
    rules.maxSuspended > 0 &&
    foregroundSession(fg) &&
    decision.state.suspended.length + 1 > rules.maxSuspended
  ) {
    decision.audit(records.suspendedLimitRefused(user?.userId, tap.badgeHash, rules.maxSuspended));
    decision.notify(notices.suspendedLimitReached(rules.maxSuspended));
    return;
  }
  if (isOnScreen(fg)) {
    // Another person's badge: the current user's screen goes away before anything else happens (an
    // enrollment's sign-in window must not open over it either).
    lockSession(decision, user ? `another user's badge was tapped` : 'an unenrolled badge was tapped');
    if (rules.otherUserTap === 'lock') {
      decision.notify(notices.previousSessionLocked(user !== undefined));
      return;
    }
  }
  abandonPending(decision, 'another badge was tapped');
  if (!user) {
    startEnrollment(decision, target, { purpose: 'enroll', badgeHash: tap.badgeHash });
    return;
  }
  if (decision.state.needsFullSignIn.includes(user.userId)) {
    askForFullSignIn(
      decision,
      'your sign-in expired, your PIN is locked or access was revoked',
      target,
      user.userId,
      tap.badgeHash,
    );
    return;
  }
  if (owned) {
    if (rules.reverify === 'badge') grantAccess(decision, user, target, 'badge', tap.badgeHash, false);
    else askForPin(decision, user, target, tap.badgeHash, `policy re-verification is ${rules.reverify}`);
    return;
  }
  if (rules.signIn === 'badge') grantAccess(decision, user, target, 'badge', tap.badgeHash, false);
  else if (rules.signIn === 'badge+pin')
    askForPin(decision, user, target, tap.badgeHash, 'policy sign-in is badge+pin');
  else askForFullSignIn(decision, 'policy sign-in is full-sign-in', target, user.userId, tap.badgeHash);
}

/** Taps this workstation cannot act on at all: policy invalid, directory unavailable, or an unknown badge here. */
function refusedBeforeIdentifying(decision: DecisionBuilder, tap: Tap): boolean {
  if (decision.state.policyProblems) {
    decision.audit(records.badgeRejected(tap.badgeHash, tap.readerId, 'machine policy invalid'));
    decision.notify(notices.policyInvalid());
    return true;
  }
  if (tap.lookupError !== undefined) {
    decision.audit(
      records.badgeRejected(tap.badgeHash, tap.readerId, `user directory unavailable: ${tap.lookupError}`),
    );
    decision.notify(notices.directoryUnavailable());
    return true;
  }
  if (!tap.user && decision.state.enrollmentTtlMs === undefined) {
    decision.audit(records.badgeUnknown(tap.badgeHash, tap.readerId));
    decision.notify(notices.badgeNotEnrolled());
    return true;
  }
  return false;
}

/**
 * Walk-away: the badge that opened the session on screen left its presence reader. Someone else's card
 * leaving (or the badge lifted after a tap on a plain reader) changes nothing.
 */
export function onBadgeRemoved(decision: DecisionBuilder, removed: EngineEventOf<'removed'>): void {
  const fg = decision.state.fg;
  const why = `badge removed from presence reader ${removed.readerId}`;
  if (isOnScreen(fg) && fg.session.badgeHash === removed.badgeHash) {
    lockSession(decision, why);
    return;
  }
  const pending = decision.state.pending;
  if (pending?.kind === 'pin' && pending.badgeHash === removed.badgeHash) abandonPending(decision, why);
}
