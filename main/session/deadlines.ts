import type { EngineState } from './engine-state.js';
import { graceEndsMs, lifetimeEndsMs } from './session-reducer.js';

/**
 * The earliest moment at which a tick could change something. The service keeps ONE timer for it;
 * activity only moves deadlines later, so an armed timer that fires early is simply re-armed (no churn).
 */
export function nextDeadline(state: EngineState): number | undefined {
  let due = Infinity;
  const fg = state.fg;
  if (fg.kind === 'active') {
    due = Math.min(fg.lastActivityMs + state.rules.idleMs - state.rules.warningMs, lifetimeEndsMs(state, fg.session));
  } else if (fg.kind === 'warning') {
    due = Math.min(fg.warningEndsMs, lifetimeEndsMs(state, fg.session));
  } else if (fg.kind === 'locked') {
    due = graceEndsMs(state, fg.session);
  }
  for (const s of state.suspended) due = Math.min(due, graceEndsMs(state, s));
  if (state.pending?.kind === 'enroll') due = Math.min(due, state.pending.expiresAtMs);
  return due === Infinity ? undefined : due;
}

/** Whether a tick at `now` reaches an idle deadline, so the OS idle time is worth asking for. */
export function idleDeadlineDue(state: EngineState, now: number): boolean {
  const fg = state.fg;
  if (fg.kind === 'active') return now >= fg.lastActivityMs + state.rules.idleMs - state.rules.warningMs;
  if (fg.kind === 'warning') return now >= fg.warningEndsMs;
  return false;
}
