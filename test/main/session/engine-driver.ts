import type {
  Decision,
  EngineEvent,
  EngineState,
  EnrollmentRequest,
  LifecycleEvent,
} from '../../../main/session/engine-state.js';
import { initialState } from '../../../main/session/engine-state.js';
import { nextDeadline } from '../../../main/session/deadlines.js';
import { decide } from '../../../main/session/engine/decide.js';
import { effectivePending } from '../../../main/session/engine/selectors.js';
import type { SessionPolicy } from '../../../main/policy/session-settings.js';
import type { DirectoryUser, PinResult } from '../../../main/session/ports.js';
import { fakeHash, PINS, USERS, type UserKey } from './session-test-kit.js';

/**
 * Drives the pure engine the way the service does (resolves taps, PINs and sign-ins, fires each deadline
 * exactly when due), synchronously, so property tests can run tens of thousands of sequences quickly.
 * Every decision is handed to an observer before the next one.
 */
export type Step =
  | { kind: 'tap'; user: UserKey | 'unknown' }
  | { kind: 'pin'; correct: boolean }
  /** The right PIN for the prompt seen at the last 'pin' step, answered only now (a slow check racing other events). */
  | { kind: 'late-pin' }
  | { kind: 'pin-cancel' }
  | { kind: 'forgot-pin' }
  /** "Sign in with your password" on the lock screen; `user` is who then signs in at the provider. */
  | { kind: 'password-sign-in'; user: UserKey; readerReady: boolean }
  | { kind: 'step-up-cancel' }
  | { kind: 'activity' }
  | { kind: 'os'; event: 'suspend' | 'resume' | 'lock-screen' | 'display-off' | 'lid-close' }
  | { kind: 'lock-now' }
  /** That user's card leaves a presence reader. */
  | { kind: 'removed'; user: UserKey }
  | { kind: 'advance'; ms: number; osInputAfterMs?: number }
  | { kind: 'revoke'; user?: UserKey }
  | { kind: 'step-up' }
  | { kind: 'policy'; policy: SessionPolicy }
  | { kind: 'policy-invalid' }
  | { kind: 'sign-in-outcome'; succeed: boolean }
  /** The oldest enrollment sign-in still open finishes (as the sign-in-outcome switch says). */
  | { kind: 'finish-enroll-sign-in' }
  /** The enrolling clinician chooses a PIN the PIN rules accept, or one they refuse. */
  | { kind: 'choose-pin'; accepted: boolean }
  | { kind: 'enroll-cancel' }
  /** The user's PIN record cannot be used: verify answers needs-reset. */
  | { kind: 'pin-unusable' }
  /** The provider refuses the silent token request of the session on screen. */
  | { kind: 'tokens-refused' };

export interface Observation {
  before: EngineState;
  event: EngineEvent;
  decision: Decision;
  now: number;
  /** The user whose credential this event carried, when it carried one that succeeded. */
  verifiedUser?: string;
}

const MAX_TICKS_PER_ADVANCE = 10_000;

export class EngineDriver {
  state: EngineState;
  now = 0;
  private nextSession = 1;
  private pinFailures = new Map<string, number>();
  private signInSucceeds = true;
  /** Enrollment sign-ins started by the engine and not finished yet, oldest first. */
  private openEnrollments: EnrollmentRequest[] = [];
  /** Whom the unknown badge belongs to once an enrollment of it completed. */
  private unknownBadgeOwner: DirectoryUser | undefined;
  readonly released: string[] = [];
  readonly issuedEnrollments: string[] = [];
  readonly completedEnrollments: string[] = [];
  private nextPendingId = 1;
  /** Last input the OS saw (any application); far in the past until a step adds one. */
  private lastOsInputMs = -1e12;
  readonly lifecycle: LifecycleEvent[] = [];
  /** Who signs in at the provider for a sign-in that expects nobody (password sign-in without a badge). */
  private passwordUser: DirectoryUser | undefined;
  /** The PIN prompt open at the last 'pin' step, for 'late-pin'. */
  private lastPrompt: { token: number; userId: string; targetSessionId: string } | undefined;

  constructor(
    policy: SessionPolicy,
    private readonly observe: (o: Observation) => void,
    enrollmentTtlMs?: number,
  ) {
    this.state = initialState(policy, enrollmentTtlMs);
  }

  run(steps: readonly Step[]): void {
    for (const step of steps) this.apply(step);
  }

  private dispatch(event: EngineEvent, verifiedUser?: string, osIdleMs?: number): void {
    const before = this.state;
    const decision = decide(before, event, this.now, osIdleMs);
    this.state = decision.state;
    if (decision.preGrant) this.lifecycle.push(...decision.preGrant.lifecycle);
    this.lifecycle.push(...decision.lifecycle);
    this.observe({ before, event, decision, now: this.now, verifiedUser });
    this.openEnrollments.push(...decision.enrollments);
    this.released.push(...decision.releasedEnrollments);
    for (const req of decision.requests) {
      const user =
        req.expectedUserId === undefined
          ? this.passwordUser
          : Object.values(USERS).find((u) => u.userId === req.expectedUserId);
      const outcome: { ok: true; user: DirectoryUser } | { ok: false; message: string } =
        this.signInSucceeds && user ? { ok: true, user } : { ok: false, message: 'refused' };
      if (outcome.ok) this.pinFailures.delete(outcome.user.userId); // identity clears a lockout on full sign-in
      this.dispatch(
        { type: 'full-sign-in-result', token: req.token, outcome },
        outcome.ok ? outcome.user.userId : undefined,
      );
    }
    for (const proof of decision.stepUpProofs) {
      const result = this.signInSucceeds
        ? { ok: true as const }
        : { ok: false as const, retry: false, message: 'refused' };
      this.dispatch({ type: 'step-up-result', token: proof.token, method: proof.proof.method, result });
    }
  }

  private apply(step: Step): void {
    switch (step.kind) {
      case 'tap': {
        const user = step.user === 'unknown' ? this.unknownBadgeOwner : USERS[step.user];
        const badgeHash = fakeHash(step.user);
        this.dispatch(
          { type: 'tap', badgeHash, readerId: 'r1', user, newSessionId: `s${this.nextSession++}` },
          user?.userId,
        );
        return;
      }
      case 'pin': {
        const p = effectivePending(this.state);
        if (p?.kind !== 'pin') return this.dispatch({ type: 'pin-refused' });
        this.lastPrompt = { token: p.token, userId: p.user.userId, targetSessionId: p.target.sessionId };
        const result = this.verifyPin(p.user.userId, step.correct);
        return this.dispatch(
          { type: 'pin-result', token: p.token, userId: p.user.userId, targetSessionId: p.target.sessionId, result },
          result.ok ? p.user.userId : undefined,
        );
      }
      case 'late-pin': {
        if (!this.lastPrompt) return;
        // Only an answer the engine accepts counts as that user's verification; the oracles check whom it shows.
        return this.dispatch({ type: 'pin-result', ...this.lastPrompt, result: { ok: true } }, this.lastPrompt.userId);
      }
      case 'pin-cancel':
        return this.dispatch({ type: 'pin-cancel' });
      case 'forgot-pin':
        return this.dispatch({ type: 'pin-forgot' });
      case 'password-sign-in':
        this.passwordUser = USERS[step.user];
        return this.dispatch({
          type: 'password-sign-in',
          readerReady: step.readerReady,
          newSessionId: `s${this.nextSession++}`,
        });
      case 'step-up-cancel':
        return this.dispatch({ type: 'step-up-cancel' });
      case 'activity':
        return this.dispatch({ type: 'activity', source: 'renderer' });
      case 'os':
        return this.dispatch({ type: 'os', event: step.event });
      case 'lock-now':
        return this.dispatch({ type: 'lock-now' });
      case 'removed':
        return this.dispatch({ type: 'removed', badgeHash: fakeHash(step.user), readerId: 'r1' });
      case 'advance':
        return this.advance(step.ms, step.osInputAfterMs);
      case 'revoke':
        return this.dispatch({ type: 'admin-revoke', userId: step.user && USERS[step.user].userId, reason: 'test' });
      case 'step-up':
        return this.dispatch({
          type: 'step-up-request',
          action: 'export',
          userId: this.state.fg.kind === 'none' ? '' : this.state.fg.session.user.userId,
          methods: ['idp'],
        });
      case 'policy':
        return this.dispatch({ type: 'policy-change', policy: step.policy });
      case 'policy-invalid':
        return this.dispatch({ type: 'policy-invalid', problems: [{ path: 'session.graceMinutes', message: 'bad' }] });
      case 'sign-in-outcome':
        this.signInSucceeds = step.succeed;
        return;
      case 'finish-enroll-sign-in': {
        const req = this.openEnrollments.shift();
        if (!req) return;
        // A new clinician enrolls the unknown badge; a PIN reset signs in as the account being reset.
        const user = req.purpose === 'enroll' ? USERS.dave : Object.values(USERS).find((u) => u.userId === req.userId)!;
        const outcome = this.signInSucceeds
          ? { ok: true as const, pendingId: `p${this.nextPendingId++}`, user }
          : { ok: false as const, message: 'refused' };
        if (outcome.ok) {
          this.pinFailures.delete(user.userId);
          this.issuedEnrollments.push(outcome.pendingId);
        }
        return this.dispatch({ type: 'enroll-signed-in', token: req.token, outcome });
      }
      case 'choose-pin': {
        const p = this.state.pending;
        if (p?.kind !== 'enroll' || p.step !== 'choose-pin' || !p.user) return this.dispatch({ type: 'pin-refused' });
        if (!step.accepted)
          return this.dispatch({
            type: 'enroll-completed',
            token: p.token,
            outcome: { ok: false, retry: true, message: 'too easy' },
          });
        if (p.purpose === 'enroll') this.unknownBadgeOwner = p.user;
        if (p.pendingId) this.completedEnrollments.push(p.pendingId);
        return this.dispatch({ type: 'enroll-completed', token: p.token, outcome: { ok: true } }, p.user.userId);
      }
      case 'enroll-cancel':
        return this.dispatch({ type: 'enroll-cancel' });
      case 'pin-unusable': {
        const p = effectivePending(this.state);
        if (p?.kind !== 'pin') return this.dispatch({ type: 'pin-refused' });
        return this.dispatch({
          type: 'pin-result',
          token: p.token,
          userId: p.user.userId,
          targetSessionId: p.target.sessionId,
          result: { ok: false, reason: 'needs-reset', message: 'no PIN set' },
        });
      }
      case 'tokens-refused': {
        const fg = this.state.fg;
        if (fg.kind === 'none') return;
        return this.dispatch({
          type: 'tokens-refused',
          userId: fg.session.user.userId,
          sessionId: fg.session.id,
          message: 'refresh token revoked',
        });
      }
    }
  }

  /**
   * Like ManualClock.advance: every deadline that falls due fires at exactly its time. `osInputAfterMs`
   * puts one keystroke in another application that far into the interval (seen only via OS idle time).
   */
  advance(ms: number, osInputAfterMs?: number): void {
    const start = this.now;
    const target = start + ms;
    const osInputAt = osInputAfterMs !== undefined && osInputAfterMs <= ms ? start + osInputAfterMs : undefined;
    for (let i = 0; ; i++) {
      const due = nextDeadline(this.state);
      if (due === undefined || due > target) break;
      if (i > MAX_TICKS_PER_ADVANCE) throw new Error(`deadline ${due} keeps firing without progress`);
      this.now = Math.max(this.now, due);
      const before = this.state;
      const lastInput = osInputAt !== undefined && osInputAt <= this.now ? osInputAt : this.lastOsInputMs;
      this.dispatch({ type: 'tick' }, undefined, this.now - lastInput);
      if (this.state === before && nextDeadline(this.state) === due) throw new Error(`tick at ${due} changed nothing`);
    }
    this.now = target;
    if (osInputAt !== undefined) this.lastOsInputMs = osInputAt;
  }

  private verifyPin(userId: string, correct: boolean): PinResult {
    const failed = this.pinFailures.get(userId) ?? 0;
    if (failed >= 3) return { ok: false, reason: 'locked-out', newly: false };
    if (correct && PINS[userId]) {
      this.pinFailures.set(userId, 0);
      return { ok: true };
    }
    this.pinFailures.set(userId, failed + 1);
    return failed + 1 >= 3
      ? { ok: false, reason: 'locked-out', newly: true }
      : { ok: false, reason: 'wrong', attemptsLeft: 2 - failed, retryInMs: 0 };
  }
}
