import type { EngineState, KeptSession } from './engine-state.js';

/**
 * When each session deadline falls: the idle warning and lock, the grace of a kept session, the absolute
 * lifetime and an enrollment's expiry. Pure arithmetic on monotonic milliseconds, shared by the engine (which
 * applies the deadlines), the view (which shows the time left) and the service (which arms one timer).
 */

/** The absolute lifetime counts from the last full verification of the session. */
export function lifetimeEndsMs(state: EngineState, session: KeptSession): number {
  return session.lifetimeStartMs + state.rules.lifetimeMs;
}

/** Grace counts from the lock, but never past the absolute lifetime. */
export function graceEndsMs(state: EngineState, session: KeptSession): number {
  return Math.min(lockGraceEndsMs(state, session), lifetimeEndsMs(state, session));
}

/** Whether a kept session's end is its grace running out (otherwise its absolute lifetime ended first). */
export function graceEndsFirst(state: EngineState, session: KeptSession): boolean {
  return lockGraceEndsMs(state, session) <= lifetimeEndsMs(state, session);
}

function lockGraceEndsMs(state: EngineState, session: KeptSession): number {
  return (session.lockedAtMs ?? Infinity) + state.rules.graceMs;
}

/** An on-screen session locks this long after its last activity. */
export function idleLockAtMs(state: EngineState, lastActivityMs: number): number {
  return lastActivityMs + state.rules.idleMs;
}

/** The idle warning starts this long before the idle lock. */
export function idleWarningAtMs(state: EngineState, lastActivityMs: number): number {
  return idleLockAtMs(state, lastActivityMs) - state.rules.warningMs;
}

/** Milliseconds as the whole seconds people read in notices and audit reasons (rounded up). */
export function wholeSeconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

/**
 * The earliest moment at which a tick could change something. The service keeps ONE timer for it;
 * activity only moves deadlines later, so an armed timer that fires early is simply re-armed (no churn).
 */
export function nextDeadline(state: EngineState): number | undefined {
  let due = Infinity;
  const fg = state.fg;
  if (fg.kind === 'active') {
    due = Math.min(idleWarningAtMs(state, fg.lastActivityMs), lifetimeEndsMs(state, fg.session));
  } else if (fg.kind === 'warning') {
    due = Math.min(fg.warningEndsMs, lifetimeEndsMs(state, fg.session));
  } else if (fg.kind === 'locked') {
    due = graceEndsMs(state, fg.session);
  }
  for (const suspended of state.suspended) due = Math.min(due, graceEndsMs(state, suspended));
  if (state.pending?.kind === 'enroll') due = Math.min(due, state.pending.expiresAtMs);
  return due === Infinity ? undefined : due;
}

/** Whether a tick at `now` reaches an idle deadline, so the OS idle time is worth asking for. */
export function idleDeadlineDue(state: EngineState, now: number): boolean {
  const fg = state.fg;
  if (fg.kind === 'active') return now >= idleWarningAtMs(state, fg.lastActivityMs);
  if (fg.kind === 'warning') return now >= fg.warningEndsMs;
  return false;
}
