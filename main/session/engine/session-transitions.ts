import type { AuditDraft, GrantTarget, KeptSession } from '../engine-state.js';
import type { DirectoryUser } from '../ports.js';
import { graceEndsMs } from '../deadlines.js';
import * as records from './audit-records.js';
import type { DecisionBuilder } from './decision-builder.js';
import * as notices from './notices.js';
import { isOnScreen, pendingSessionId } from './selectors.js';

/**
 * The building blocks every handler uses to move sessions: lock, end, set aside, grant access, and give up a
 * pending verification. Each keeps state, lifecycle events and audit records in step with each other.
 */

/**
 * Hides the foreground session at once and keeps it for grace (a removal: shown before it is audited).
 * An idle lock is recorded as session.timeout (HIPAA automatic logoff), every other lock as session.lock.
 */
export function lockSession(
  decision: DecisionBuilder,
  reason: string,
  lockedAtMs = decision.now,
  type: 'session.lock' | 'session.timeout' = 'session.lock',
): void {
  const fg = decision.state.fg;
  abandonPending(decision, `locked: ${reason}`);
  if (!isOnScreen(fg)) return;
  const session: KeptSession = { ...fg.session, lockedAtMs: Math.min(lockedAtMs, decision.now) };
  decision.set({ fg: { kind: 'locked', session } });
  decision.lifecycle.push({ kind: 'hidden', sessionId: session.id, userId: session.user.userId });
  decision.audit(records.sessionRecord(type, session, reason));
  if (graceEndsMs(decision.state, session) <= decision.now) endSession(decision, session, 'grace expired');
}

/**
 * Ends a session wherever it is and tells the shell to clear its stored state. revoked: an administrator took the
 * account off this workstation (consumers such as break-glass record why a session ended).
 */
export function endSession(
  decision: DecisionBuilder,
  session: KeptSession,
  reason: string,
  type: AuditDraft['type'] = 'session.terminated',
  revoked = false,
): void {
  const fg = decision.state.fg;
  if (fg.kind !== 'none' && fg.session.id === session.id) {
    if (isOnScreen(fg)) decision.lifecycle.push({ kind: 'hidden', sessionId: session.id, userId: session.user.userId });
    decision.set({ fg: { kind: 'none' } });
  } else {
    decision.set({ suspended: decision.state.suspended.filter((kept) => kept.id !== session.id) });
  }
  const pending = decision.state.pending;
  if (pending && pendingSessionId(pending) === session.id) abandonPending(decision, reason);
  decision.lifecycle.push({
    kind: 'terminated',
    sessionId: session.id,
    userId: session.user.userId,
    ...(type === 'session.sign_out' ? { signedOut: true } : {}),
    ...(revoked ? { revoked: true } : {}),
  });
  decision.audit(records.sessionRecord(type, session, reason));
}

/** Gives up the pending verification, if any: it is recorded as abandoned and whoever waits for it is told. */
export function abandonPending(decision: DecisionBuilder, reason: string): void {
  const pending = decision.state.pending;
  if (!pending) return;
  if (pending.kind === 'step-up') {
    decision.stepUps.push({
      action: pending.action,
      userId: pending.user.userId,
      sessionId: pending.sessionId,
      ok: false,
    });
    decision.audit(records.stepUpAbandoned(pending, reason));
  }
  // The tokens are still missing: this user's next verification must be a full sign-in.
  if (pending.kind === 'full-sign-in' && pending.target.type === 'tokens' && pending.expectedUserId !== undefined)
    requireFullSignIn(decision, pending.expectedUserId);
  if (pending.kind === 'enroll') {
    if (pending.pendingId !== undefined) decision.releasedEnrollments.push(pending.pendingId);
    decision.audit(records.enrollmentAbandoned(pending, reason));
  }
  decision.dropPending();
}

/** From now on only a full sign-in lets this user in: a PIN prompt already open for them closes. */
export function requireFullSignIn(decision: DecisionBuilder, userId: string): void {
  const state = decision.state;
  if (!state.needsFullSignIn.includes(userId)) decision.set({ needsFullSignIn: [...state.needsFullSignIn, userId] });
  const pending = decision.state.pending;
  if (pending?.kind === 'pin' && pending.user.userId === userId) abandonPending(decision, 'a full sign-in is required');
}

/** Ends the oldest suspended sessions until no more are kept than policy allows. */
export function endSuspendedOverLimit(decision: DecisionBuilder, reason: string): void {
  while (decision.state.suspended.length > decision.rules.maxSuspended) {
    endSession(decision, decision.state.suspended[0]!, reason);
  }
}

/** Puts the locked foreground session aside (suspend or end, per policy) before another user's session is shown. */
function setAsidePrevious(decision: DecisionBuilder, incomingUserId: string): void {
  const fg = decision.state.fg;
  if (fg.kind !== 'locked') return;
  const previous = fg.session;
  const rules = decision.rules;
  decision.set({ fg: { kind: 'none' } });
  if (rules.previousSession === 'end' || rules.maxSuspended === 0) {
    decision.lifecycle.push({ kind: 'terminated', sessionId: previous.id, userId: previous.user.userId });
    decision.audit(
      records.sessionRecord('session.terminated', previous, 'another user signed in (policy: end previous session)'),
    );
    return;
  }
  decision.set({ suspended: [...decision.state.suspended, previous] });
  decision.audit(
    records.sessionRecord('session.suspended', previous, 'another user signed in', { nextUserId: incomingUserId }),
  );
  endSuspendedOverLimit(decision, `suspended-session limit ${rules.maxSuspended} reached: oldest ended`);
}

/**
 * Shows a session after a successful verification (unless the kept session to resume has ended meanwhile).
 * The service publishes the new state only once the grant record is durable.
 * renewLifetime: the verification was a full sign-in, so the absolute lifetime restarts from it.
 */
export function grantAccess(
  decision: DecisionBuilder,
  user: DirectoryUser,
  target: GrantTarget,
  method: string,
  badgeHash: string | undefined,
  renewLifetime: boolean,
): void {
  decision.markPreGrant();
  const fg = decision.state.fg;
  let session: KeptSession;
  let type: AuditDraft['type'];
  const switching = fg.kind === 'locked' && fg.session.user.userId !== user.userId;
  if (target.type === 'new') {
    setAsidePrevious(decision, user.userId);
    session = { id: target.sessionId, user, badgeHash, startedMs: decision.now, lifetimeStartMs: decision.now };
    type = 'session.sign_in';
  } else if (fg.kind === 'locked' && fg.session.id === target.sessionId) {
    session = fg.session;
    type = 'session.unlock';
  } else {
    const kept = decision.state.suspended.find((suspended) => suspended.id === target.sessionId);
    if (!kept) {
      abandonPending(decision, 'session ended');
      decision.notify(notices.keptSessionEnded(user.displayName));
      return;
    }
    // Out of the suspended list before the previous session goes in, so a full list never ends the one resuming.
    decision.set({ suspended: decision.state.suspended.filter((suspended) => suspended.id !== kept.id) });
    setAsidePrevious(decision, user.userId);
    session = kept;
    type = 'session.resumed';
  }
  const { lockedAtMs: _unlocked, ...unlocked } = session;
  const shown: KeptSession = renewLifetime ? { ...unlocked, lifetimeStartMs: decision.now } : unlocked;
  // The pending verification is the one that succeeded: it is done, not abandoned.
  decision.dropPending();
  decision.set({ fg: { kind: 'active', session: shown, lastActivityMs: decision.now, unlockedAtMs: decision.now } });
  // Only a full sign-in (which also renews the lifetime) satisfies a full-sign-in requirement.
  if (renewLifetime)
    decision.set({ needsFullSignIn: decision.state.needsFullSignIn.filter((id) => id !== user.userId) });
  decision.grant = records.accessGranted(type, shown, method);
  if (switching) decision.audit(records.sessionRecord('session.user_switch', shown, 'fast user switch'));
  decision.lifecycle.push({ kind: 'shown', sessionId: shown.id, userId: shown.user.userId });
}
