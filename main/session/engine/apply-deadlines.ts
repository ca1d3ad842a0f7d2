import {
  graceEndsFirst,
  graceEndsMs,
  idleLockAtMs,
  idleWarningAtMs,
  lifetimeEndsMs,
  wholeSeconds,
} from '../deadlines.js';
import * as records from './audit-records.js';
import type { DecisionBuilder } from './decision-builder.js';
import * as notices from './notices.js';
import { isOnScreen, keptSessions } from './selectors.js';
import { abandonPending, endSession, lockSession, requireFullSignIn } from './session-transitions.js';

/**
 * Applies every deadline that has passed, before any event is handled: a tap 5 ms after grace ended, before
 * the timer fired, finds the session already ended. Deadlines not due yet are left to the next timer.
 * `osIdleMs` (OS-wide idle time) is given when an idle deadline is due, so typing in another application counts.
 */
export function applyDueDeadlines(decision: DecisionBuilder, osIdleMs: number | undefined): void {
  expireEnrollment(decision);
  endShownSessionAtLifetime(decision);
  applyIdleDeadlines(decision, osIdleMs);
  endKeptSessionsAtGrace(decision);
}

function expireEnrollment(decision: DecisionBuilder): void {
  const pending = decision.state.pending;
  if (pending?.kind !== 'enroll' || decision.now < pending.expiresAtMs) return;
  abandonPending(decision, 'timed out');
  decision.notify(notices.enrollmentExpired(pending.purpose));
}

function endShownSessionAtLifetime(decision: DecisionBuilder): void {
  const fg = decision.state.fg;
  if (!isOnScreen(fg) || decision.now < lifetimeEndsMs(decision.state, fg.session)) return;
  requireFullSignIn(decision, fg.session.user.userId);
  endSession(decision, fg.session, 'absolute lifetime reached: full sign-in required');
  decision.notify(notices.shiftSignInExpired(fg.session.user.displayName));
}

/** Idle warning, idle lock, and activity in another application (seen only through the OS idle time). */
function applyIdleDeadlines(decision: DecisionBuilder, osIdleMs: number | undefined): void {
  const now = decision.now;
  const rules = decision.rules;
  const fg = decision.state.fg;
  // Typing in another application counts as activity: the OS idle time is asked only now, at the deadline.
  const osActivityMs = osIdleMs === undefined ? -Infinity : now - osIdleMs;
  if (fg.kind === 'active') {
    const lastActivityMs = Math.max(fg.lastActivityMs, Math.min(osActivityMs, now));
    const active = lastActivityMs === fg.lastActivityMs ? fg : { ...fg, lastActivityMs };
    if (active !== fg) decision.set({ fg: active });
    const lockAt = idleLockAtMs(decision.state, lastActivityMs);
    if (now >= lockAt) {
      lockSession(decision, `idle ${wholeSeconds(rules.idleMs)} s`, lockAt, 'session.timeout');
    } else if (now >= idleWarningAtMs(decision.state, lastActivityMs)) {
      decision.set({
        fg: {
          kind: 'warning',
          session: active.session,
          lastActivityMs,
          unlockedAtMs: active.unlockedAtMs,
          warningEndsMs: lockAt,
        },
      });
      decision.audit(
        records.sessionRecord('session.idle_warning', active.session, `idle ${wholeSeconds(now - lastActivityMs)} s`, {
          msLeft: lockAt - now,
        }),
      );
    }
  } else if (fg.kind === 'warning') {
    const warningStartMs = fg.warningEndsMs - rules.warningMs;
    if (osActivityMs > warningStartMs && osActivityMs > fg.lastActivityMs) {
      decision.set({
        fg: { kind: 'active', session: fg.session, lastActivityMs: osActivityMs, unlockedAtMs: fg.unlockedAtMs },
      });
      decision.audit(
        records.sessionRecord(
          'session.activity',
          fg.session,
          'idle warning cancelled by activity in another application',
        ),
      );
    } else if (now >= fg.warningEndsMs) {
      lockSession(decision, `idle ${wholeSeconds(rules.idleMs)} s`, fg.warningEndsMs, 'session.timeout');
    }
  }
}

/** Kept sessions end when their grace runs out, or at their absolute lifetime (which then requires a full sign-in). */
function endKeptSessionsAtGrace(decision: DecisionBuilder): void {
  for (const session of keptSessions(decision.state)) {
    if (decision.now < graceEndsMs(decision.state, session)) continue;
    if (graceEndsFirst(decision.state, session)) {
      endSession(decision, session, 'grace expired');
    } else {
      requireFullSignIn(decision, session.user.userId);
      endSession(decision, session, 'absolute lifetime reached: full sign-in required');
    }
  }
}
