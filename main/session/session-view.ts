import type { SessionView } from '../../preload/contract.js';
import { describeProblems } from '../policy/policy-problem.js';
import { graceEndsMs, idleLockAtMs, lifetimeEndsMs } from './deadlines.js';
import type { EngineState } from './engine-state.js';
import type { DirectoryUser } from './ports.js';
import { effectivePending, isOnScreen } from './engine/selectors.js';

/**
 * What the renderer may see (preload/contract.ts): never another user's session, never a badge number.
 * A user's name appears only as the verified user, the owner of the locked session, or the person
 * currently asked for a PIN (on the PIN pad) or enrolling (after their own sign-in).
 */
export function toView(state: EngineState, now: number, workstation: string): SessionView {
  const base = {
    workstation,
    profile: state.rules.profile,
    suspendedCount: state.suspended.length,
    withoutBadge: state.rules.withoutBadge,
    display: displayFor(state),
  };
  if (state.policyProblems) {
    return {
      ...base,
      screen: 'policy-error',
      notice: {
        level: 'error',
        id: 'policyProblems',
        params: { problems: describeProblems('The machine policy', state.policyProblems) },
      },
    };
  }
  const fg = state.fg;
  const notice = state.notice ? { notice: { ...state.notice } } : {};
  if (isOnScreen(fg)) {
    const user = userView(fg.session.user);
    const pending = state.pending;
    const stepUp =
      pending?.kind === 'step-up'
        ? {
            stepUp: {
              action: pending.action,
              methods: [...pending.methods],
              ...(pending.proving ? { proving: pending.proving } : {}),
            },
          }
        : {};
    const timing = {
      lifetimeMsLeft: Math.max(0, lifetimeEndsMs(state, fg.session) - now),
      sessionElapsedMs: Math.max(0, now - fg.session.startedMs),
    };
    if (fg.kind === 'active') {
      const idleLockMsLeft = Math.max(0, idleLockAtMs(state, fg.lastActivityMs) - now);
      return { ...base, screen: 'active', user, ...timing, idleLockMsLeft, ...stepUp, ...notice };
    }
    return {
      ...base,
      screen: 'idle-warning',
      user,
      ...timing,
      idleWarningMsLeft: Math.max(0, fg.warningEndsMs - now),
      ...stepUp,
      ...notice,
    };
  }
  const pending = effectivePending(state);
  const canReset = state.enrollmentTtlMs !== undefined;
  const pinPrompt =
    pending?.kind === 'pin'
      ? {
          pinPrompt: {
            ...(pending.attemptsLeft === undefined ? {} : { attemptsLeft: pending.attemptsLeft }),
            displayName: pending.user.displayName,
            ...(pending.user.temporaryUntil ? { temporaryUntil: pending.user.temporaryUntil } : {}),
            canReset,
          },
        }
      : {};
  const signingIn = pending?.kind === 'full-sign-in' && pending.target.type !== 'tokens' ? { signingIn: true } : {};
  const enrolling = pending?.kind === 'enroll' ? (pending.user ?? pending.expectedUser) : undefined;
  const enrollment =
    pending?.kind === 'enroll'
      ? {
          enrollment: {
            purpose: pending.purpose,
            step: pending.step,
            ...(enrolling ? { displayName: enrolling.displayName } : {}),
          },
        }
      : {};
  if (fg.kind === 'locked') {
    const owner = fg.session.user;
    return {
      ...base,
      screen: 'locked',
      user: userView(owner),
      reverify: state.rules.reverify,
      graceMsLeft: Math.max(0, graceEndsMs(state, fg.session) - now),
      ...pinPrompt,
      ...signingIn,
      ...enrollment,
      ...notice,
    };
  }
  return { ...base, screen: 'no-user', ...pinPrompt, ...signingIn, ...enrollment, ...notice };
}

/** A verified person as the screen shows them: name, roles, and whether (until when) they are temporary staff. */
function userView(user: DirectoryUser): NonNullable<SessionView['user']> {
  return {
    displayName: user.displayName,
    roles: [...user.roles],
    ...(user.temporaryUntil ? { temporaryUntil: user.temporaryUntil } : {}),
  };
}

/** How the screens are drawn: policy session.display, in the units the renderer uses. */
function displayFor(state: EngineState): NonNullable<SessionView['display']> {
  return { lockCountdownMs: state.rules.display.lockCountdownSeconds * 1000 };
}
