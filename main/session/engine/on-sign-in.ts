import type { EngineEventOf } from '../engine-state.js';
import * as records from './audit-records.js';
import type { DecisionBuilder } from './decision-builder.js';
import * as notices from './notices.js';
import { allSessions, foregroundSession, isOnScreen, ownedSession } from './selectors.js';
import { abandonPending, endSession, grantAccess, requireFullSignIn } from './session-transitions.js';
import { askForFullSignIn } from './verification-prompts.js';

/** Full sign-in at the identity provider: chosen at the lock screen, its result, and tokens the provider refused. */

/**
 * The lock screen's Cancel while it waits for a sign-in (with a password, or after a PIN lockout): the prompt
 * goes, and with it the sign-in window (session-service.ts aborts what no prompt waits for). Renewing the tokens
 * of a session on screen is not the lock screen's to cancel.
 */
export function onSignInCancel(decision: DecisionBuilder): void {
  const pending = decision.state.pending;
  if (pending?.kind !== 'full-sign-in' || pending.target.type === 'tokens') return;
  abandonPending(decision, 'sign-in cancelled at the lock screen');
  decision.notify(notices.cancelled());
}

/** The lock screen's "Sign in with your password", where policy allows signing in without a badge. */
export function onPasswordSignIn(decision: DecisionBuilder, request: EngineEventOf<'password-sign-in'>): void {
  const rules = decision.rules;
  if (decision.state.policyProblems || isOnScreen(decision.state.fg)) return;
  if (rules.withoutBadge === 'never' || (rules.withoutBadge === 'when-no-reader' && request.readerReady)) {
    decision.notify(notices.passwordSignInOff());
    return;
  }
  const pendingKind = decision.state.pending?.kind;
  if (pendingKind === 'full-sign-in' || pendingKind === 'enroll') {
    decision.notify(notices.signInAlreadyOpen());
    return;
  }
  abandonPending(decision, 'password sign-in chosen');
  // Who it is is known only after the sign-in: a kept session of theirs is resumed then (onFullSignInResult).
  askForFullSignIn(
    decision,
    `sign-in with password, no badge${request.readerReady ? '' : ' (no badge reader working)'}`,
    { type: 'new', sessionId: request.newSessionId },
  );
}

export function onFullSignInResult(decision: DecisionBuilder, result: EngineEventOf<'full-sign-in-result'>): void {
  const pending = decision.state.pending;
  if (pending?.kind !== 'full-sign-in' || pending.token !== result.token) return;
  const outcome = result.outcome;
  const target = pending.target;
  if (!outcome.ok || (pending.expectedUserId !== undefined && outcome.user.userId !== pending.expectedUserId)) {
    const why = outcome.ok ? `signed in as a different user (${outcome.user.userId})` : outcome.message;
    abandonPending(decision, 'full sign-in failed');
    decision.audit(records.fullSignInFailed(pending, why));
    const after =
      target.type === 'tokens'
        ? 'session-goes-on'
        : pending.expectedUserId !== undefined && decision.state.needsFullSignIn.includes(pending.expectedUserId)
          ? 'badge-and-pin-refused'
          : 'nothing';
    decision.notify(notices.signInFailed(why, after));
    return;
  }
  if (target.type === 'new' || target.type === 'resume') {
    // A sign-in without a badge learns who it is only now: someone with a session kept here gets it back.
    const owned =
      target.type === 'new' && pending.expectedUserId === undefined
        ? ownedSession(decision.state, outcome.user.userId)
        : undefined;
    grantAccess(
      decision,
      outcome.user,
      owned ? { type: 'resume', sessionId: owned.id } : target,
      pending.badgeHash ? 'full sign-in' : 'full sign-in (no badge)',
      pending.badgeHash,
      true,
    );
    return;
  }
  const fg = decision.state.fg;
  decision.dropPending();
  if (!isOnScreen(fg) || fg.session.id !== target.sessionId) return;
  // A full sign-in is the strongest verification there is: the absolute lifetime restarts from it.
  decision.markPreGrant();
  decision.set({ fg: { ...fg, session: { ...fg.session, lifetimeStartMs: decision.now } } });
  decision.grant = records.tokensRenewed(fg.session);
}

/** The identity provider wants the user of a session to sign in again (refresh token expired or revoked). */
export function onTokensRefused(decision: DecisionBuilder, refusal: EngineEventOf<'tokens-refused'>): void {
  const fg = decision.state.fg;
  const onScreen = isOnScreen(fg) && fg.session.id === refusal.sessionId;
  if (refusal.grantRefused) {
    // The provider refused the refresh token itself (revoked, account disabled): the person's access is gone, so
    // the session ends, EHR and grants with it, instead of staying open behind a password prompt.
    const session = allSessions(decision.state).find((kept) => kept.id === refusal.sessionId);
    if (!session || session.user.userId !== refusal.userId) return;
    endSession(
      decision,
      session,
      `the identity provider refused the sign-in (${refusal.message})`,
      'session.terminated',
      true,
    );
    requireFullSignIn(decision, refusal.userId);
    if (onScreen) decision.notify(notices.signInRefusedSessionEnded(session.user.displayName));
    return;
  }
  if (onScreen && !decision.state.pending) {
    // The session stays on screen (badge and PIN verified the person); the provider asks for the password.
    askForFullSignIn(
      decision,
      `the identity provider needs a new sign-in (${refusal.message})`,
      { type: 'tokens', sessionId: refusal.sessionId },
      refusal.userId,
    );
    return;
  }
  const kept =
    onScreen ||
    foregroundSession(fg)?.id === refusal.sessionId ||
    decision.state.suspended.some((suspended) => suspended.id === refusal.sessionId);
  if (!kept) return;
  requireFullSignIn(decision, refusal.userId);
  decision.audit(records.fullSignInRequiredAtUnlock(refusal.userId, refusal.sessionId, refusal.message));
}
