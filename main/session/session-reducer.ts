import type { AuditActor } from '../audit/audit-event.js';
import type {
  AuditDraft,
  Decision,
  EngineEvent,
  EnrollmentRequest,
  EngineState,
  Foreground,
  FullSignInRequest,
  GrantTarget,
  PreGrant,
  KeptSession,
  LifecycleEvent,
  Notice,
  Pending,
  StepUpOutcome,
  StepUpProofRequest,
} from './engine-state.js';
import { rulesFromPolicy } from './engine-state.js';
import type { DirectoryUser, StepUpProof } from './ports.js';

/**
 * The session engine's decisions: a pure function of (state, event, monotonic now). No I/O, no clock
 * reads, no randomness: the service feeds resolved inputs and carries out the returned effects.
 * Every deadline that has passed is applied first, whatever the event: a tap 5 ms after grace ended, before
 * the timer fired, finds the session already ended. `osIdleMs` (OS-wide idle time) is given when an idle
 * deadline is due, so typing in another application still counts at that moment.
 */
export function decide(state: EngineState, event: EngineEvent, now: number, osIdleMs?: number): Decision {
  const step = new Step(state, now);
  tick(step, osIdleMs);
  HANDLERS[event.type](step, event as never);
  return step.finish();
}

/** Who owns the foreground (visible or locked) session, if any. */
export function foregroundSession(fg: Foreground): KeptSession | undefined {
  return fg.kind === 'none' ? undefined : fg.session;
}

export function lifetimeEndsMs(state: EngineState, s: KeptSession): number {
  return s.lifetimeStartMs + state.rules.lifetimeMs;
}

export function graceEndsMs(state: EngineState, s: KeptSession): number {
  return Math.min((s.lockedAtMs ?? Infinity) + state.rules.graceMs, lifetimeEndsMs(state, s));
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

/** A compact identity of the visible situation: a change of it is a transition and must be audited. */
export function transitionSignature(state: EngineState): string {
  const fg = state.fg;
  const fgPart = fg.kind === 'none' ? 'none' : `${fg.kind}:${fg.session.id}`;
  return `${state.policyProblems ? 'policy-error' : 'ok'}|${fgPart}|${state.suspended.map((s) => s.id).join(',')}`;
}

class Step {
  s: EngineState;
  grant?: AuditDraft;
  private preGrant?: PreGrant;
  readonly audits: AuditDraft[] = [];
  readonly lifecycle: LifecycleEvent[] = [];
  readonly requests: FullSignInRequest[] = [];
  readonly enrollments: EnrollmentRequest[] = [];
  readonly releasedEnrollments: string[] = [];
  readonly stepUps: StepUpOutcome[] = [];
  readonly stepUpProofs: StepUpProofRequest[] = [];
  private noticeSet = false;

  constructor(
    private readonly before: EngineState,
    readonly now: number,
  ) {
    this.s = before;
  }

  get rules() {
    return this.s.rules;
  }

  set(patch: Partial<EngineState>): void {
    this.s = { ...this.s, ...patch };
  }

  notice(level: Notice['level'], text: string): void {
    this.s = { ...this.s, notice: { level, text } };
    this.noticeSet = true;
  }

  audit(draft: AuditDraft): void {
    this.audits.push(draft);
  }

  nextToken(): number {
    const token = this.s.seq;
    this.set({ seq: token + 1 });
    return token;
  }

  finish(): Decision {
    // A notice belongs to the screen it was shown on: a transition without a new notice clears it.
    if (!this.noticeSet && this.s.notice && transitionSignature(this.s) !== transitionSignature(this.before)) {
      const { notice: _dropped, ...rest } = this.s;
      this.s = rest;
    }
    const pre = this.grant ? this.preGrant : undefined;
    const changedBefore = pre && (pre.state !== this.before || pre.audits.length > 0 || pre.lifecycle.length > 0);
    return {
      state: this.s,
      grant: this.grant,
      preGrant: changedBefore ? pre : undefined,
      audits: pre ? this.audits.slice(pre.audits.length) : this.audits,
      lifecycle: pre ? this.lifecycle.slice(pre.lifecycle.length) : this.lifecycle,
      requests: this.requests,
      enrollments: this.enrollments,
      releasedEnrollments: this.releasedEnrollments,
      stepUps: this.stepUps,
      stepUpProofs: this.stepUpProofs,
    };
  }

  // ---- building blocks ----

  /**
   * Hides the foreground session at once and keeps it for grace (a removal: shown before it is audited).
   * An idle lock is recorded as session.timeout (HIPAA automatic logoff), every other lock as session.lock.
   */
  lock(reason: string, lockedAtMs = this.now, type: 'session.lock' | 'session.timeout' = 'session.lock'): void {
    const fg = this.s.fg;
    this.clearPending(`locked: ${reason}`);
    if (fg.kind !== 'active' && fg.kind !== 'warning') return;
    const session: KeptSession = { ...fg.session, lockedAtMs: Math.min(lockedAtMs, this.now) };
    this.set({ fg: { kind: 'locked', session } });
    this.lifecycle.push({ kind: 'hidden', sessionId: session.id, userId: session.user.userId });
    this.audit({ type, outcome: 'success', actor: actorOf(session), reason, details: { sessionId: session.id } });
    if (graceEndsMs(this.s, session) <= this.now) this.terminate(session, 'grace expired');
  }

  /** Ends a session wherever it is and tells the shell to clear its stored state. */
  terminate(session: KeptSession, reason: string, type: AuditDraft['type'] = 'session.terminated'): void {
    const fg = this.s.fg;
    if (fg.kind !== 'none' && fg.session.id === session.id) {
      if (fg.kind === 'active' || fg.kind === 'warning')
        this.lifecycle.push({ kind: 'hidden', sessionId: session.id, userId: session.user.userId });
      this.set({ fg: { kind: 'none' } });
    } else {
      this.set({ suspended: this.s.suspended.filter((x) => x.id !== session.id) });
    }
    const p = this.s.pending;
    if (p && pendingSessionId(p) === session.id) this.clearPending(reason);
    this.lifecycle.push({ kind: 'terminated', sessionId: session.id, userId: session.user.userId });
    this.audit({ type, outcome: 'success', actor: actorOf(session), reason, details: { sessionId: session.id } });
  }

  clearPending(reason: string): void {
    const p = this.s.pending;
    if (!p) return;
    if (p.kind === 'step-up') {
      this.stepUps.push({ action: p.action, userId: p.user.userId, sessionId: p.sessionId, ok: false });
      this.audit({
        type: 'session.step_up',
        outcome: 'failure',
        actor: userActor(p.user),
        reason: `step-up for ${p.action} abandoned: ${reason}`,
        details: { sessionId: p.sessionId, action: p.action },
      });
    }
    // The tokens are still missing: this user's next verification must be a full sign-in.
    if (p.kind === 'full-sign-in' && p.target.type === 'tokens' && p.expectedUserId !== undefined)
      this.requireFullSignIn(p.expectedUserId);
    if (p.kind === 'enroll') {
      if (p.pendingId !== undefined) this.releasedEnrollments.push(p.pendingId);
      this.audit({
        type: 'session.sign_in',
        outcome: 'failure',
        actor: enrollmentActor(p),
        reason: `${enrollmentName(p)} abandoned: ${reason}`,
      });
    }
    this.dropPending();
  }

  /** Removes the pending verification without side effects (its outcome was already handled). */
  dropPending(): void {
    const { pending: _dropped, ...rest } = this.s;
    this.s = rest;
  }

  /** From now on only a full sign-in lets this user in: a PIN prompt already open for them closes. */
  requireFullSignIn(userId: string): void {
    if (!this.s.needsFullSignIn.includes(userId)) this.set({ needsFullSignIn: [...this.s.needsFullSignIn, userId] });
    const p = this.s.pending;
    if (p?.kind === 'pin' && p.user.userId === userId) this.clearPending('a full sign-in is required');
  }

  /** Puts the locked foreground session aside (suspend or end, per policy) before another user's session is shown. */
  setAsidePrevious(incomingUserId: string): void {
    const fg = this.s.fg;
    if (fg.kind !== 'locked') return;
    const previous = fg.session;
    this.set({ fg: { kind: 'none' } });
    if (this.rules.previousSession === 'end' || this.rules.maxSuspended === 0) {
      this.lifecycle.push({ kind: 'terminated', sessionId: previous.id, userId: previous.user.userId });
      this.audit({
        type: 'session.terminated',
        outcome: 'success',
        actor: actorOf(previous),
        reason: 'another user signed in (policy: end previous session)',
        details: { sessionId: previous.id },
      });
      return;
    }
    this.set({ suspended: [...this.s.suspended, previous] });
    this.audit({
      type: 'session.suspended',
      outcome: 'success',
      actor: actorOf(previous),
      reason: 'another user signed in',
      details: { sessionId: previous.id, nextUserId: incomingUserId },
    });
    while (this.s.suspended.length > this.rules.maxSuspended) {
      this.terminate(this.s.suspended[0]!, `suspended-session limit ${this.rules.maxSuspended} reached: oldest ended`);
    }
  }

  /** Shows a session after a successful verification. The caller publishes only once `grant` is durable. */
  grantAccess(
    user: DirectoryUser,
    target: GrantTarget,
    method: string,
    badgeHash: string | undefined,
    renewLifetime: boolean,
  ): boolean {
    this.markPreGrant();
    const fg = this.s.fg;
    let session: KeptSession;
    let type: AuditDraft['type'];
    const switching = fg.kind === 'locked' && fg.session.user.userId !== user.userId;
    if (target.type === 'new') {
      this.setAsidePrevious(user.userId);
      session = { id: target.sessionId, user, badgeHash, startedMs: this.now, lifetimeStartMs: this.now };
      type = 'session.sign_in';
    } else if (fg.kind === 'locked' && fg.session.id === target.sessionId) {
      session = fg.session;
      type = 'session.unlock';
    } else {
      const kept = this.s.suspended.find((x) => x.id === target.sessionId);
      if (!kept) {
        this.clearPending('session ended');
        this.notice('warning', `${user.displayName}: your kept session has ended. Tap your badge to start a new one.`);
        return false;
      }
      // Out of the suspended list before the previous session goes in, so a full list never ends the one resuming.
      this.set({ suspended: this.s.suspended.filter((x) => x.id !== kept.id) });
      this.setAsidePrevious(user.userId);
      session = kept;
      type = 'session.resumed';
    }
    const { lockedAtMs: _unlocked, ...rest } = session;
    const shown: KeptSession = renewLifetime ? { ...rest, lifetimeStartMs: this.now } : rest;
    // The pending verification is the one that succeeded: it is done, not abandoned.
    this.dropPending();
    this.set({ fg: { kind: 'active', session: shown, lastActivityMs: this.now, unlockedAtMs: this.now } });
    // Only a full sign-in (which also renews the lifetime) satisfies a full-sign-in requirement.
    if (renewLifetime) this.set({ needsFullSignIn: this.s.needsFullSignIn.filter((id) => id !== user.userId) });
    this.grant = {
      type,
      outcome: 'success',
      actor: actorOf(shown),
      reason: `verified by ${method}`,
      details: { sessionId: shown.id, method },
    };
    if (switching)
      this.audit({
        type: 'session.user_switch',
        outcome: 'success',
        actor: actorOf(shown),
        reason: 'fast user switch',
        details: { sessionId: shown.id },
      });
    this.lifecycle.push({ kind: 'shown', sessionId: shown.id, userId: shown.user.userId });
    return true;
  }

  /** Everything decided so far is a removal that must not wait for the grant's audit record. */
  markPreGrant(): void {
    this.preGrant = { state: this.s, audits: [...this.audits], lifecycle: [...this.lifecycle] };
  }

  startPin(user: DirectoryUser, target: GrantTarget, badgeHash: string | undefined, why: string): void {
    this.set({ pending: { kind: 'pin', token: this.nextToken(), user, badgeHash, target } });
    this.audit({
      type: 'session.reverify_required',
      outcome: 'success',
      actor: { userId: user.userId, displayName: user.displayName, badgeHash },
      reason: `PIN required: ${why}`,
    });
    this.notice('info', `${user.displayName}: enter your PIN.`);
  }

  /** Enrollment of an unknown badge or a PIN reset: the identity layer starts a full sign-in at once. */
  startEnrollment(
    target: GrantTarget,
    who:
      | { purpose: 'enroll'; badgeHash: string }
      /** unusable: why the stored PIN cannot be used; absent when the clinician asked (forgotten PIN). */
      | { purpose: 'pin-reset'; user: DirectoryUser; badgeHash?: string; unusable?: string },
  ): void {
    const ttlMs = this.s.enrollmentTtlMs;
    if (ttlMs === undefined) return;
    const token = this.nextToken();
    const common = { kind: 'enroll' as const, token, step: 'sign-in' as const, target, expiresAtMs: this.now + ttlMs };
    if (who.purpose === 'enroll') {
      this.set({ pending: { ...common, purpose: 'enroll', badgeHash: who.badgeHash } });
      this.enrollments.push({ token, purpose: 'enroll', badgeHash: who.badgeHash });
      this.audit({
        type: 'badge.unknown',
        outcome: 'failure',
        actor: { badgeHash: who.badgeHash },
        reason: 'badge not enrolled: enrollment started (full sign-in at the identity provider)',
      });
      this.notice(
        'info',
        'This badge is not enrolled yet. Sign in with your hospital account in the sign-in window to enroll it.',
      );
      return;
    }
    const { user, badgeHash, unusable } = who;
    this.set({ pending: { ...common, purpose: 'pin-reset', expectedUser: user, ...(badgeHash ? { badgeHash } : {}) } });
    this.enrollments.push({ token, purpose: 'pin-reset', userId: user.userId });
    this.audit({
      type: 'session.reverify_required',
      outcome: 'success',
      actor: { userId: user.userId, displayName: user.displayName, badgeHash },
      reason: `PIN reset required: ${unusable ?? 'PIN forgotten'}`,
    });
    const because = unusable === undefined ? 'to reset your PIN' : `your PIN cannot be used (${unusable})`;
    this.notice(
      'warning',
      `${user.displayName}: ${because}. Sign in with your hospital account in the sign-in window, then choose a new PIN.`,
    );
  }

  /** Sends one proof to the identity layer; the pending step-up shows it is being checked. */
  proveStepUp(p: Extract<Pending, { kind: 'step-up' }>, proof: StepUpProof): void {
    this.set({ pending: { ...p, proving: proof.method } });
    this.stepUpProofs.push({ token: p.token, userId: p.user.userId, action: p.action, proof });
    if (proof.method === 'idp')
      this.notice('info', `Confirm it is you: sign in again in the sign-in window to ${stepUpLabel(p.action)}.`);
  }

  startFullSignIn(
    reason: string,
    target: Extract<Pending, { kind: 'full-sign-in' }>['target'],
    expectedUserId?: string,
    badgeHash?: string,
  ): void {
    const token = this.nextToken();
    this.set({ pending: { kind: 'full-sign-in', token, expectedUserId, badgeHash, target, reason } });
    this.requests.push({ token, reason, expectedUserId });
    this.audit({
      type: 'session.reverify_required',
      outcome: 'success',
      actor: { userId: expectedUserId, badgeHash },
      reason: `full sign-in required: ${reason}`,
    });
    this.notice('info', 'Sign in with your password to continue.');
  }
}

type EnrollPending = Extract<Pending, { kind: 'enroll' }>;

function enrollmentName(p: EnrollPending): string {
  return p.purpose === 'enroll' ? 'enrollment' : 'PIN reset';
}

function enrollmentActor(p: EnrollPending): AuditActor {
  const user = p.user ?? p.expectedUser;
  return {
    ...(user ? { userId: user.userId, displayName: user.displayName } : {}),
    ...(p.badgeHash ? { badgeHash: p.badgeHash } : {}),
  };
}

function userActor(user: DirectoryUser): AuditActor {
  return { userId: user.userId, displayName: user.displayName, roles: user.roles };
}

/** What the user is about to do, for notices: "Confirm it is you to <label>." */
function stepUpLabel(action: StepUpPendingAction): string {
  return {
    'break-glass': 'use emergency access',
    export: 'export records',
    'policy-change': "change this workstation's policy",
    'authenticator-setup': 'set up an authenticator app',
  }[action];
}
type StepUpPendingAction = Extract<Pending, { kind: 'step-up' }>['action'];

/** The kept session a pending verification is about, if any (a new sign-in has none yet). */
function pendingSessionId(p: Pending): string | undefined {
  if (p.kind === 'step-up') return p.sessionId;
  return p.target.type === 'new' ? undefined : p.target.sessionId;
}

function actorOf(s: KeptSession): AuditActor {
  return { userId: s.user.userId, displayName: s.user.displayName, roles: s.user.roles, badgeHash: s.badgeHash };
}

function seconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

type Handler<T extends EngineEvent['type']> = (step: Step, event: Extract<EngineEvent, { type: T }>) => void;
const HANDLERS: { [T in EngineEvent['type']]: Handler<T> } = {
  tap: onTap,
  removed(step, e) {
    // Walk-away: the badge that opened the session on screen left its presence reader. Someone else's card
    // leaving (or the badge lifted after a tap on a plain reader) changes nothing.
    const fg = step.s.fg;
    if ((fg.kind === 'active' || fg.kind === 'warning') && fg.session.badgeHash === e.badgeHash) {
      step.lock(`badge removed from presence reader ${e.readerId}`);
      return;
    }
    const p = step.s.pending;
    if (p?.kind === 'pin' && p.badgeHash === e.badgeHash)
      step.clearPending(`badge removed from presence reader ${e.readerId}`);
  },
  'pin-result': onPinResult,
  'pin-refused'(step) {
    step.notice('warning', 'No PIN is being asked for right now: tap your badge first.');
  },
  'pin-cancel'(step) {
    if (step.s.pending?.kind === 'pin') step.clearPending('PIN cancelled');
  },
  'password-sign-in'(step, e) {
    const r = step.rules;
    const fg = step.s.fg;
    if (step.s.policyProblems || fg.kind === 'active' || fg.kind === 'warning') return;
    if (r.withoutBadge === 'never' || (r.withoutBadge === 'when-no-reader' && e.readerReady)) {
      step.notice('info', 'Tap your badge to sign in.');
      return;
    }
    if (step.s.pending?.kind === 'full-sign-in' || step.s.pending?.kind === 'enroll') {
      step.notice('info', 'A sign-in is already open: finish it in the sign-in window.');
      return;
    }
    step.clearPending('password sign-in chosen');
    // Who it is is known only after the sign-in: a kept session of theirs is resumed then (onFullSignInResult).
    step.startFullSignIn(`sign-in with password, no badge${e.readerReady ? '' : ' (no badge reader working)'}`, {
      type: 'new',
      sessionId: e.newSessionId,
    });
  },
  'pin-forgot'(step) {
    const p = effectivePending(step.s);
    if (p?.kind !== 'pin') {
      step.notice('warning', 'No PIN is being asked for right now: tap your badge first.');
      return;
    }
    if (step.s.enrollmentTtlMs === undefined) {
      step.notice(
        'warning',
        `${p.user.displayName}: a forgotten PIN cannot be reset on this workstation. Ask IT to reset it.`,
      );
      return;
    }
    step.dropPending();
    step.startEnrollment(p.target, {
      purpose: 'pin-reset',
      user: p.user,
      ...(p.badgeHash ? { badgeHash: p.badgeHash } : {}),
    });
  },
  activity(step) {
    const fg = step.s.fg;
    if (fg.kind === 'active') {
      step.set({ fg: { ...fg, lastActivityMs: Math.max(fg.lastActivityMs, step.now) } });
    } else if (fg.kind === 'warning') {
      step.set({
        fg: { kind: 'active', session: fg.session, lastActivityMs: step.now, unlockedAtMs: fg.unlockedAtMs },
      });
      step.audit({
        type: 'session.activity',
        outcome: 'success',
        actor: actorOf(fg.session),
        reason: 'idle warning cancelled by activity',
        details: { sessionId: fg.session.id },
      });
    }
  },
  os(step, e) {
    // Walk-away signals lock at once, and abandon any verification in progress at the screen.
    step.lock(`operating system ${e.event}`);
    if (step.s.pending) step.clearPending(`operating system ${e.event}`);
  },
  'lock-now'(step) {
    step.lock('lock requested');
  },
  'admin-revoke'(step, e) {
    const all = [...(step.s.fg.kind === 'none' ? [] : [step.s.fg.session]), ...step.s.suspended];
    for (const s of all) {
      if (e.userId === undefined || s.user.userId === e.userId)
        step.terminate(s, `revoked by administrator: ${e.reason}`);
    }
    if (e.userId !== undefined) step.requireFullSignIn(e.userId);
    if (step.s.pending && (e.userId === undefined || pendingUserId(step.s.pending) === e.userId))
      step.clearPending('revoked');
  },
  'policy-change'(step, e) {
    const hadProblems = step.s.policyProblems !== undefined;
    const { policyProblems: _cleared, ...rest } = step.s;
    step.s = { ...rest, rules: rulesFromPolicy(e.policy) };
    // A verification started under the old rules must not finish under the new, possibly stricter, ones.
    step.clearPending('policy changed');
    step.audit({
      type: 'policy.change',
      outcome: 'success',
      reason: hadProblems ? 'valid policy restored' : 'policy changed',
      details: { profile: e.policy.profile },
    });
    while (step.s.suspended.length > step.rules.maxSuspended) {
      step.terminate(step.s.suspended[0]!, `suspended-session limit lowered to ${step.rules.maxSuspended}`);
    }
    tick(step, undefined);
  },
  'policy-invalid'(step, e) {
    step.set({ policyProblems: e.problems });
    step.lock('machine policy invalid');
    step.clearPending('machine policy invalid');
    step.audit({
      type: 'policy.invalid',
      outcome: 'failure',
      reason: e.problems.map((p) => `${p.path}: ${p.message}`).join('; '),
      details: { problems: e.problems.length },
    });
  },
  'step-up-request'(step, e) {
    const fg = step.s.fg;
    // The user on screen must still be the one the methods were looked up for.
    if ((fg.kind !== 'active' && fg.kind !== 'warning') || fg.session.user.userId !== e.userId) {
      step.notice('warning', `To ${stepUpLabel(e.action)}, sign in first: tap your badge.`);
      return;
    }
    if (step.s.pending) {
      step.notice('warning', 'Finish the sign-in already in progress first.');
      return;
    }
    const session = fg.session;
    if (e.methods.length === 0) {
      step.audit({
        type: 'session.step_up',
        outcome: 'failure',
        actor: actorOf(session),
        reason: `step-up for ${e.action}: no proof available on this workstation`,
        details: { sessionId: session.id, action: e.action },
      });
      step.notice(
        'error',
        `You cannot ${stepUpLabel(e.action)} here: this workstation has no way to confirm it is you. Call IT.`,
      );
      return;
    }
    const pending = {
      kind: 'step-up' as const,
      token: step.nextToken(),
      action: e.action,
      sessionId: session.id,
      user: session.user,
      methods: e.methods,
    };
    step.set({ pending });
    step.audit({
      type: 'session.reverify_required',
      outcome: 'success',
      actor: actorOf(session),
      reason: `step-up required for ${e.action} (${e.methods.join(' or ')})`,
      details: { sessionId: session.id, action: e.action },
    });
    // With one way to prove it, start at once; with a choice, the user picks (a code from their app, or a sign-in).
    if (e.methods.length === 1 && e.methods[0] === 'idp') step.proveStepUp(pending, { method: 'idp' });
    else step.notice('info', `Confirm it is you to ${stepUpLabel(e.action)}.`);
  },
  'step-up-prove'(step, e) {
    const p = step.s.pending;
    if (p?.kind !== 'step-up') {
      step.notice('warning', 'Nothing is waiting for confirmation right now.');
      return;
    }
    if (p.proving) return; // the first submission is still being checked: a double tap must not send two
    if (!p.methods.includes(e.proof.method)) {
      step.notice(
        'warning',
        `Policy does not accept ${e.proof.method === 'totp' ? 'an authenticator code' : 'a sign-in'} for this; use ${p.methods.join(' or ')}.`,
      );
      return;
    }
    step.proveStepUp(p, e.proof);
  },
  'step-up-result'(step, e) {
    const p = step.s.pending;
    if (p?.kind !== 'step-up' || p.token !== e.token) return; // cancelled, locked or replaced meanwhile
    const fg = step.s.fg;
    const result = e.result;
    if (result.ok && (fg.kind === 'active' || fg.kind === 'warning') && fg.session.id === p.sessionId) {
      step.dropPending();
      step.markPreGrant();
      // A fresh provider sign-in is a full verification: the shift lifetime restarts from it.
      if (e.method === 'idp') step.set({ fg: { ...fg, session: { ...fg.session, lifetimeStartMs: step.now } } });
      step.grant = {
        type: 'session.step_up',
        outcome: 'success',
        actor: actorOf(fg.session),
        reason: `step-up for ${p.action}`,
        details: { sessionId: p.sessionId, action: p.action, method: e.method },
      };
      step.stepUps.push({ action: p.action, userId: p.user.userId, sessionId: p.sessionId, ok: true });
      return;
    }
    const message = result.ok ? 'the session changed while it was being checked' : result.message;
    step.audit({
      type: 'session.step_up',
      outcome: 'failure',
      actor: userActor(p.user),
      reason: `step-up for ${p.action} (${e.method}): ${message}`,
      details: { sessionId: p.sessionId, action: p.action, method: e.method },
    });
    if (!result.ok && result.retry) {
      const { proving: _done, ...waiting } = p;
      step.set({ pending: waiting });
      step.notice('warning', message);
      return;
    }
    step.dropPending();
    step.stepUps.push({ action: p.action, userId: p.user.userId, sessionId: p.sessionId, ok: false });
    step.notice('error', `Could not confirm it is you: ${message}`);
  },
  'step-up-cancel'(step) {
    if (step.s.pending?.kind !== 'step-up') return;
    step.clearPending('cancelled by the user');
    step.notice('info', 'Cancelled.');
  },
  'full-sign-in-result': onFullSignInResult,
  'enroll-signed-in': onEnrollSignedIn,
  'enroll-completed': onEnrollCompleted,
  'enroll-cancel'(step) {
    const p = step.s.pending;
    if (p?.kind !== 'enroll') return;
    step.clearPending('cancelled at the workstation');
    step.notice('info', `${p.purpose === 'enroll' ? 'Enrollment' : 'PIN reset'} cancelled. Nothing was saved.`);
  },
  'tokens-refused': onTokensRefused,
  // Deadlines were applied before every handler (decide); a timer firing has nothing else to do.
  tick() {},
  'grant-failed'(step, e) {
    step.clearPending('audit unavailable');
    step.notice(
      'error',
      `Cannot unlock: the audit trail is unavailable (${e.message}). The workstation stays locked; call IT.`,
    );
  },
  'grant-interrupted'(step, e) {
    // The grant's record is already durable: say in the trail that it did not take effect.
    step.audit({
      ...e.grant,
      outcome: 'failure',
      reason: `${e.grant.reason ?? 'access'}: not shown, interrupted by another event before the screen unlocked`,
    });
    step.notice('warning', 'Verification was interrupted by another event: tap your badge again.');
  },
  'audit-failed'(step, e) {
    step.notice('error', `The audit trail is unavailable (${e.message}); call IT.`);
  },
};

function pendingUserId(p: Pending): string | undefined {
  if (p.kind === 'enroll') return (p.user ?? p.expectedUser)?.userId;
  return p.kind === 'pin' || p.kind === 'step-up' ? p.user.userId : p.expectedUserId;
}

function onTap(step: Step, e: Extract<EngineEvent, { type: 'tap' }>): void {
  if (step.s.policyProblems) {
    step.audit({
      type: 'badge.rejected',
      outcome: 'failure',
      actor: { badgeHash: e.badgeHash },
      reason: 'machine policy invalid',
      details: { readerId: e.readerId },
    });
    step.notice('error', 'This workstation cannot be used until IT corrects its policy.');
    return;
  }
  if (e.lookupError !== undefined) {
    step.audit({
      type: 'badge.rejected',
      outcome: 'failure',
      actor: { badgeHash: e.badgeHash },
      reason: `user directory unavailable: ${e.lookupError}`,
      details: { readerId: e.readerId },
    });
    step.notice('error', 'Your badge could not be checked: the user directory is unavailable. Try again, or call IT.');
    return;
  }
  const user = e.user;
  if (!user && step.s.enrollmentTtlMs === undefined) {
    step.audit({
      type: 'badge.unknown',
      outcome: 'failure',
      actor: { badgeHash: e.badgeHash },
      reason: 'badge not enrolled',
      details: { readerId: e.readerId },
    });
    step.notice(
      'error',
      'This badge is not enrolled on CareShell. If it is yours, ask IT to enroll it (readers may report it differently).',
    );
    return;
  }
  const pending = step.s.pending;
  if (!user && pending?.kind === 'enroll' && pending.badgeHash === e.badgeHash) {
    // A second tap of the badge being enrolled (double tap, impatience) must not start a second sign-in.
    step.notice(
      'info',
      pending.step === 'sign-in'
        ? 'Enrollment is in progress: finish signing in in the sign-in window.'
        : 'Enrollment is in progress: choose your PIN.',
    );
    return;
  }
  const r = step.rules;
  const fg = step.s.fg;
  if (user && (fg.kind === 'active' || fg.kind === 'warning') && fg.session.user.userId === user.userId) {
    if (step.now - fg.unlockedAtMs < r.ignoreTapWithinMs) {
      step.notice('info', `Tap ignored: ${user.displayName} signed in ${seconds(step.now - fg.unlockedAtMs)} s ago.`);
    } else if (r.sameUserTap === 'lock') {
      step.lock('tap-out');
    } else if (r.sameUserTap === 'sign-out') {
      step.terminate(fg.session, 'tap-out (policy: sign out)', 'session.sign_out');
    } else {
      step.notice('info', 'Tap-out is turned off on this workstation: use Lock to lock the screen.');
    }
    return;
  }

  const fgOwner = foregroundSession(fg);
  const owned = user && ownedSession(step.s, user.userId);
  const target: GrantTarget = owned
    ? { type: 'resume', sessionId: owned.id }
    : { type: 'new', sessionId: e.newSessionId };
  // maxSuspended 0 means "end the previous session", so there is never a full list to refuse on.
  if (
    !owned &&
    r.whenFull === 'refuse' &&
    r.previousSession === 'suspend' &&
    r.maxSuspended > 0 &&
    fgOwner &&
    step.s.suspended.length + 1 > r.maxSuspended
  ) {
    step.audit({
      type: 'badge.rejected',
      outcome: 'failure',
      actor: { userId: user?.userId, badgeHash: e.badgeHash },
      reason: `suspended-session limit ${r.maxSuspended} reached (policy: refuse)`,
    });
    step.notice(
      'warning',
      `This workstation already keeps as many sessions as its policy allows (${r.maxSuspended} suspended). Ask the signed-in user to sign out, or use another workstation.`,
    );
    return;
  }
  if (fg.kind === 'active' || fg.kind === 'warning') {
    // Another person's badge: the current user's screen goes away before anything else happens (an
    // enrollment's sign-in window must not open over it either).
    step.lock(user ? `another user's badge was tapped` : 'an unenrolled badge was tapped');
    if (r.otherUserTap === 'lock') {
      step.notice('info', `The previous session is locked. Tap your badge again to ${user ? 'sign in' : 'enroll it'}.`);
      return;
    }
  }
  step.clearPending('another badge was tapped');
  if (!user) {
    step.startEnrollment(target, { purpose: 'enroll', badgeHash: e.badgeHash });
    return;
  }
  if (step.s.needsFullSignIn.includes(user.userId)) {
    step.startFullSignIn(
      'your sign-in expired, your PIN is locked or access was revoked',
      target,
      user.userId,
      e.badgeHash,
    );
    return;
  }
  if (owned) {
    if (r.reverify === 'badge') step.grantAccess(user, target, 'badge', e.badgeHash, false);
    else step.startPin(user, target, e.badgeHash, `policy re-verification is ${r.reverify}`);
    return;
  }
  if (r.signIn === 'badge') step.grantAccess(user, target, 'badge', e.badgeHash, false);
  else if (r.signIn === 'badge+pin') step.startPin(user, target, e.badgeHash, 'policy sign-in is badge+pin');
  else step.startFullSignIn('policy sign-in is full-sign-in', target, user.userId, e.badgeHash);
}

/** The session this user already has on this workstation (locked in front, or suspended), if any. */
function ownedSession(state: EngineState, userId: string): KeptSession | undefined {
  const owner = foregroundSession(state.fg);
  return owner && owner.user.userId === userId ? owner : state.suspended.find((x) => x.user.userId === userId);
}

function onPinResult(step: Step, e: Extract<EngineEvent, { type: 'pin-result' }>): void {
  const p = effectivePending(step.s);
  // A stale answer for a prompt that is gone, or for another person's prompt (the standing prompt's token is 0 for everyone).
  if (
    !p ||
    p.kind !== 'pin' ||
    p.token !== e.token ||
    p.user.userId !== e.userId ||
    p.target.sessionId !== e.targetSessionId
  )
    return;
  const actor: AuditActor = { userId: p.user.userId, displayName: p.user.displayName, badgeHash: p.badgeHash };
  const result = e.result;
  if (result.ok) {
    step.grantAccess(p.user, p.target, p.badgeHash ? 'badge+pin' : 'pin', p.badgeHash, false);
  } else if (result.reason === 'wrong') {
    // The standing prompt becomes an explicit one so that it can count down the attempts left.
    step.set({
      pending: { ...p, token: p.token === 0 ? step.nextToken() : p.token, attemptsLeft: result.attemptsLeft },
    });
    step.audit({
      type: 'pin.failure',
      outcome: 'failure',
      actor,
      reason: 'wrong PIN',
      details: { attemptsLeft: result.attemptsLeft },
    });
    const left = `${result.attemptsLeft} ${result.attemptsLeft === 1 ? 'attempt' : 'attempts'} left before your PIN is locked`;
    step.notice(
      'warning',
      `Wrong PIN. ${left}.${result.retryInMs > 0 ? ` Wait ${seconds(result.retryInMs)} s before trying again.` : ''}`,
    );
  } else if (result.reason === 'too-soon') {
    step.notice('warning', `Wait ${seconds(result.retryInMs)} s before entering your PIN again.`);
  } else if (result.reason === 'needs-reset') {
    step.clearPending('PIN unusable');
    step.audit({ type: 'pin.failure', outcome: 'failure', actor, reason: `PIN unusable: ${result.message}` });
    if (step.s.enrollmentTtlMs === undefined) {
      step.notice('error', `${p.user.displayName}: your PIN cannot be used (${result.message}). Ask IT to reset it.`);
    } else {
      step.startEnrollment(p.target, {
        purpose: 'pin-reset',
        user: p.user,
        ...(p.badgeHash ? { badgeHash: p.badgeHash } : {}),
        unusable: result.message,
      });
    }
  } else if (result.reason === 'unavailable') {
    step.audit({
      type: 'pin.failure',
      outcome: 'failure',
      actor,
      reason: `PIN could not be checked: ${result.message}`,
    });
    step.notice('error', `Your PIN could not be checked (${result.message}). Try again, or call IT.`);
  } else {
    step.dropPending();
    step.requireFullSignIn(p.user.userId);
    if (result.newly)
      step.audit({
        type: 'pin.lockout',
        outcome: 'failure',
        actor,
        reason: 'too many wrong PINs: locked until a full sign-in',
      });
    else
      step.audit({
        type: 'pin.failure',
        outcome: 'failure',
        actor,
        reason: 'PIN entered while locked: a full sign-in is required',
      });
    // Straight to the password: the clinician should not have to tap again to find out what to do.
    step.startFullSignIn('your PIN is locked after too many wrong tries', p.target, p.user.userId, p.badgeHash);
    step.notice(
      'error',
      `Too many wrong PINs for ${p.user.displayName}. Sign in with your password in the sign-in window to continue.`,
    );
  }
}

function onFullSignInResult(step: Step, e: Extract<EngineEvent, { type: 'full-sign-in-result' }>): void {
  const p = step.s.pending;
  if (!p || p.kind !== 'full-sign-in' || p.token !== e.token) return;
  const outcome = e.outcome;
  const target = p.target;
  if (!outcome.ok || (p.expectedUserId !== undefined && outcome.user.userId !== p.expectedUserId)) {
    const why = outcome.ok ? `signed in as a different user (${outcome.user.userId})` : outcome.message;
    step.clearPending('full sign-in failed');
    step.audit({
      type: 'session.sign_in',
      outcome: 'failure',
      actor: { userId: p.expectedUserId, badgeHash: p.badgeHash },
      reason: `full sign-in failed: ${why}`,
    });
    const after =
      target.type === 'tokens'
        ? ' Your session goes on; you will sign in with your password when you next unlock.'
        : p.expectedUserId !== undefined && step.s.needsFullSignIn.includes(p.expectedUserId)
          ? ' Until you sign in with your password, your badge and PIN will not unlock.'
          : '';
    step.notice('error', `Sign-in did not succeed: ${sentence(why)}${after}`);
    return;
  }
  if (target.type === 'new' || target.type === 'resume') {
    // A sign-in without a badge learns who it is only now: someone with a session kept here gets it back.
    const owned =
      target.type === 'new' && p.expectedUserId === undefined ? ownedSession(step.s, outcome.user.userId) : undefined;
    step.grantAccess(
      outcome.user,
      owned ? { type: 'resume', sessionId: owned.id } : target,
      p.badgeHash ? 'full sign-in' : 'full sign-in (no badge)',
      p.badgeHash,
      true,
    );
    return;
  }
  const fg = step.s.fg;
  step.dropPending();
  if ((fg.kind !== 'active' && fg.kind !== 'warning') || fg.session.id !== target.sessionId) return;
  // A full sign-in is the strongest verification there is: the absolute lifetime restarts from it.
  step.markPreGrant();
  step.set({ fg: { ...fg, session: { ...fg.session, lifetimeStartMs: step.now } } });
  step.grant = {
    type: 'session.sign_in',
    outcome: 'success',
    actor: actorOf(fg.session),
    reason: 'identity provider sign-in renewed',
    details: { sessionId: fg.session.id, method: 'full sign-in' },
  };
}

function onEnrollSignedIn(step: Step, e: Extract<EngineEvent, { type: 'enroll-signed-in' }>): void {
  const p = step.s.pending;
  if (p?.kind !== 'enroll' || p.token !== e.token || p.step !== 'sign-in') {
    // A sign-in that finished after its enrollment was cancelled, expired or interrupted: nothing may come of it.
    if (e.outcome.ok) step.releasedEnrollments.push(e.outcome.pendingId);
    return;
  }
  const name = enrollmentName(p);
  if (!e.outcome.ok) {
    step.dropPending();
    step.audit({
      type: 'session.sign_in',
      outcome: 'failure',
      actor: enrollmentActor(p),
      reason: `${name}: ${e.outcome.message}`,
    });
    step.notice(
      'error',
      `${capitalised(name)} did not complete: ${sentence(e.outcome.message)} Nothing was saved; tap your badge to try again.`,
    );
    return;
  }
  const user = e.outcome.user;
  // A clinician enrolling a new badge who already has a session kept here gets that session back.
  const owned = ownedSession(step.s, user.userId);
  const target: GrantTarget = owned ? { type: 'resume', sessionId: owned.id } : p.target;
  step.set({
    pending: {
      ...p,
      step: 'choose-pin',
      user,
      pendingId: e.outcome.pendingId,
      target,
      expiresAtMs: step.now + (step.s.enrollmentTtlMs ?? 0),
    },
  });
  step.audit({
    type: 'session.reverify_required',
    outcome: 'success',
    actor: { userId: user.userId, displayName: user.displayName, badgeHash: p.badgeHash },
    reason: `${name}: signed in at the identity provider; choosing a PIN`,
  });
  step.notice('info', `${user.displayName}: choose a new PIN, then enter it again to confirm.`);
}

function onEnrollCompleted(step: Step, e: Extract<EngineEvent, { type: 'enroll-completed' }>): void {
  const p = step.s.pending;
  if (p?.kind !== 'enroll' || p.token !== e.token || p.step !== 'choose-pin' || !p.user) return;
  const outcome = e.outcome;
  if (outcome.ok) {
    const method =
      p.purpose === 'enroll' ? 'enrollment (full sign-in and new PIN)' : 'PIN reset (full sign-in and new PIN)';
    step.grantAccess(p.user, p.target, method, p.badgeHash, true);
    return;
  }
  if (outcome.retry) {
    step.notice('warning', outcome.message);
    return;
  }
  // The identity layer has already dropped its half: nothing to release.
  step.dropPending();
  step.audit({
    type: 'session.sign_in',
    outcome: 'failure',
    actor: enrollmentActor(p),
    reason: `${enrollmentName(p)}: ${outcome.message}`,
  });
  step.notice('error', `${capitalised(enrollmentName(p))} did not complete: ${outcome.message}`);
}

function onTokensRefused(step: Step, e: Extract<EngineEvent, { type: 'tokens-refused' }>): void {
  const fg = step.s.fg;
  const onScreen = (fg.kind === 'active' || fg.kind === 'warning') && fg.session.id === e.sessionId;
  if (onScreen && !step.s.pending) {
    // The session stays on screen (badge and PIN verified the person); the provider asks for the password.
    step.startFullSignIn(
      `the identity provider needs a new sign-in (${e.message})`,
      { type: 'tokens', sessionId: e.sessionId },
      e.userId,
    );
    return;
  }
  const kept =
    onScreen || foregroundSession(fg)?.id === e.sessionId || step.s.suspended.some((x) => x.id === e.sessionId);
  if (!kept) return;
  step.requireFullSignIn(e.userId);
  step.audit({
    type: 'session.reverify_required',
    outcome: 'success',
    actor: { userId: e.userId },
    reason: `full sign-in required at the next unlock: ${e.message}`,
    details: { sessionId: e.sessionId },
  });
}

/** Ends a message from elsewhere with exactly one full stop. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Applies every deadline that has passed. Deadlines that are not due yet are left to the next timer. */
function tick(step: Step, osIdleMs: number | undefined): void {
  const now = step.now;
  const r = step.rules;
  const p = step.s.pending;
  if (p?.kind === 'enroll' && now >= p.expiresAtMs) {
    step.clearPending('timed out');
    step.notice(
      'warning',
      `${capitalised(enrollmentName(p))} took too long and was stopped; nothing was saved. Tap your badge to start again.`,
    );
  }
  let fg = step.s.fg;
  if ((fg.kind === 'active' || fg.kind === 'warning') && now >= lifetimeEndsMs(step.s, fg.session)) {
    step.requireFullSignIn(fg.session.user.userId);
    step.terminate(fg.session, 'absolute lifetime reached: full sign-in required');
    step.notice(
      'info',
      `${fg.session.user.displayName}: your shift sign-in has expired. Tap your badge to sign in with your password.`,
    );
    fg = step.s.fg;
  }
  // Typing in another application counts as activity: the OS idle time is asked only now, at the deadline.
  const osActivityMs = osIdleMs === undefined ? -Infinity : now - osIdleMs;
  if (fg.kind === 'active') {
    const lastActivityMs = Math.max(fg.lastActivityMs, Math.min(osActivityMs, now));
    if (lastActivityMs !== fg.lastActivityMs) step.set({ fg: (fg = { ...fg, lastActivityMs }) });
    const lockAt = lastActivityMs + r.idleMs;
    if (now >= lockAt) {
      step.lock(`idle ${seconds(r.idleMs)} s`, lockAt, 'session.timeout');
    } else if (now >= lockAt - r.warningMs) {
      step.set({
        fg: {
          kind: 'warning',
          session: fg.session,
          lastActivityMs,
          unlockedAtMs: fg.unlockedAtMs,
          warningEndsMs: lockAt,
        },
      });
      step.audit({
        type: 'session.idle_warning',
        outcome: 'success',
        actor: actorOf(fg.session),
        reason: `idle ${seconds(now - lastActivityMs)} s`,
        details: { sessionId: fg.session.id, msLeft: lockAt - now },
      });
    }
  } else if (fg.kind === 'warning') {
    const warningStartMs = fg.warningEndsMs - r.warningMs;
    if (osActivityMs > warningStartMs && osActivityMs > fg.lastActivityMs) {
      step.set({
        fg: { kind: 'active', session: fg.session, lastActivityMs: osActivityMs, unlockedAtMs: fg.unlockedAtMs },
      });
      step.audit({
        type: 'session.activity',
        outcome: 'success',
        actor: actorOf(fg.session),
        reason: 'idle warning cancelled by activity in another application',
        details: { sessionId: fg.session.id },
      });
    } else if (now >= fg.warningEndsMs) {
      step.lock(`idle ${seconds(r.idleMs)} s`, fg.warningEndsMs, 'session.timeout');
    }
  }
  const locked = step.s.fg;
  const kept = [...(locked.kind === 'locked' ? [locked.session] : []), ...step.s.suspended];
  for (const s of kept) {
    if (now < graceEndsMs(step.s, s)) continue;
    if ((s.lockedAtMs ?? Infinity) + r.graceMs <= lifetimeEndsMs(step.s, s)) {
      step.terminate(s, 'grace expired');
    } else {
      step.requireFullSignIn(s.user.userId);
      step.terminate(s, 'absolute lifetime reached: full sign-in required');
    }
  }
}
