import type { EngineState, Foreground, KeptSession, Pending } from '../engine-state.js';

/** Questions asked of the engine state by the handlers, the view and the service; they read, never change. */

/** The foreground while a session is on screen (active, or counting down to its idle lock). */
export type OnScreen = Extract<Foreground, { kind: 'active' | 'warning' }>;

/** Whether a session is on screen: its user is working (or about to be locked for idleness). */
export function isOnScreen(fg: Foreground): fg is OnScreen {
  return fg.kind === 'active' || fg.kind === 'warning';
}

/** Who owns the foreground (visible or locked) session, if any. */
export function foregroundSession(fg: Foreground): KeptSession | undefined {
  return fg.kind === 'none' ? undefined : fg.session;
}

/** Every session this workstation holds: the foreground one (shown or locked), then the suspended ones. */
export function allSessions(state: EngineState): KeptSession[] {
  const foreground = foregroundSession(state.fg);
  return [...(foreground ? [foreground] : []), ...state.suspended];
}

/** The sessions kept out of sight, each running its grace: the locked one in front, then the suspended ones. */
export function keptSessions(state: EngineState): KeptSession[] {
  return [...(state.fg.kind === 'locked' ? [state.fg.session] : []), ...state.suspended];
}

/** The session this user already has on this workstation (locked in front, or suspended), if any. */
export function ownedSession(state: EngineState, userId: string): KeptSession | undefined {
  const owner = foregroundSession(state.fg);
  return owner && owner.user.userId === userId ? owner : state.suspended.find((kept) => kept.user.userId === userId);
}

/**
 * The PIN prompt currently open, if any. With reverify = pin the owner of a locked session gets one
 * without tapping (token 0 stands for that standing prompt).
 */
export function effectivePending(state: EngineState): Pending | undefined {
  if (state.pending) return state.pending;
  const fg = state.fg;
  if (
    fg.kind === 'locked' &&
    state.rules.reverify === 'pin' &&
    !state.policyProblems &&
    !state.needsFullSignIn.includes(fg.session.user.userId)
  ) {
    return { kind: 'pin', token: 0, user: fg.session.user, target: { type: 'resume', sessionId: fg.session.id } };
  }
  return undefined;
}

/** The kept session a pending verification is about, if any (a new sign-in has none yet). */
export function pendingSessionId(pending: Pending): string | undefined {
  if (pending.kind === 'step-up') return pending.sessionId;
  return pending.target.type === 'new' ? undefined : pending.target.sessionId;
}

/** Whom a pending verification is for, when that is known before it succeeds. */
export function pendingUserId(pending: Pending): string | undefined {
  if (pending.kind === 'enroll') return (pending.user ?? pending.expectedUser)?.userId;
  return pending.kind === 'pin' || pending.kind === 'step-up' ? pending.user.userId : pending.expectedUserId;
}

/** A compact identity of the visible situation: a change of it is a transition and must be audited. */
export function transitionSignature(state: EngineState): string {
  const fg = state.fg;
  const foreground = fg.kind === 'none' ? 'none' : `${fg.kind}:${fg.session.id}`;
  return `${state.policyProblems ? 'policy-error' : 'ok'}|${foreground}|${state.suspended.map((s) => s.id).join(',')}`;
}
