import type { Clock } from '../../common/clock.js';
import { assertNever, messageOf } from '../../common/errors.js';
import type { Random } from '../../common/random.js';
import type { SessionView } from '../../preload/contract.js';
import type { AuditEvent, AuditSink } from '../audit/audit-event.js';
import type { BadgeHasher } from '../identity/badge-hasher.js';
import type { SessionPolicy } from '../policy/session-settings.js';
import { idleDeadlineDue, nextDeadline } from './deadlines.js';
import type { AuditDraft, Decision, EngineEvent, EngineState, LifecycleEvent, StepUpOutcome } from './engine-state.js';
import { initialState } from './engine-state.js';
import type {
  Admission,
  AdmissionRefusal,
  Authenticator,
  DirectoryUser,
  Enrollment,
  PinService,
  StepUp,
  UserDirectory,
} from './ports.js';
import { checkStepUpProof, verifyPin } from './proof-checks.js';
import { decide } from './engine/decide.js';
import { effectivePending } from './engine/selectors.js';
import { parseSessionInput, type OsEvent, type SessionInput } from './session-input.js';
import { toView } from './session-view.js';

export interface SessionServiceDeps {
  clock: Clock;
  random: Random;
  audit: AuditSink;
  directory: UserDirectory;
  pins: PinService;
  authenticator: Authenticator;
  /** Enrollment of unknown badges and PIN reset; without it an unknown badge is refused with a message. */
  enrollment?: Enrollment;
  hashBadge: BadgeHasher;
  /** Step-up before high-risk actions; without it every step-up request is refused with a message. */
  stepUp?: StepUp;
  workstation: string;
  policy: SessionPolicy;
  /** Asked only when the idle deadline fires (no polling): OS-wide idle time, so typing in another app counts. */
  osIdleMs?: () => number;
  /** Temporary staff: asked before anyone is let in (tap, PIN, sign-in, enrollment); without it everyone known is. */
  admission?: Admission;
}

export interface SessionService {
  /**
   * Validates and processes one input. Rejects with InvalidSessionInputError (nothing changed) on malformed input.
   * `settled` (the default) resolves when it is fully processed, including any PIN check and any full sign-in,
   * enrollment or step-up proof it started; `answered` resolves once its own outcome is shown and its audit
   * records are durable, leaving what it started to run on (a PIN that locks the account must be answered at
   * once, not after the sign-in it opens).
   */
  handle(input: SessionInput, until?: HandleUntil): Promise<void>;
  view(): SessionView;
  onView(listener: (view: SessionView) => void): () => void;
  /** For the shell: which session's EHR views may be shown, and when a session's browser partition must be cleared. */
  onLifecycle(listener: (event: LifecycleEvent) => void): () => void;
  /** For break-glass, export, authenticator setup: the outcome of a step-up, reported once it is durable in the audit trail. */
  onStepUp(listener: (outcome: StepUpOutcome) => void): () => void;
  dispose(): void;
}

export type HandleUntil = 'settled' | 'answered';

const TIME_FIELDS = ['idleWarningMsLeft', 'graceMsLeft', 'lifetimeMsLeft', 'sessionElapsedMs'] as const;

/**
 * Runs the pure engine (engine/decide.ts) against the real world: resolves badges, PINs and sign-ins,
 * keeps one deadline timer, appends audit records in order, and publishes views.
 * Grants wait for durability (the view is published after `audit.append` resolved); removals are shown
 * at once and audited right after.
 */
export function createSessionService(deps: SessionServiceDeps): SessionService {
  const { clock } = deps;
  let state: EngineState = initialState(deps.policy, deps.enrollment?.ttlMs);
  let armed: { at: number; cancel: () => void } | undefined;
  let lastViewKey = '';
  let disposed = false;
  let auditChain: Promise<unknown> = Promise.resolve();
  const viewListeners = new Set<(view: SessionView) => void>();
  const lifecycleListeners = new Set<(event: LifecycleEvent) => void>();
  const stepUpListeners = new Set<(outcome: StepUpOutcome) => void>();
  /**
   * Sign-ins and proofs the engine waits for, by the token of the prompt that asked: aborted the moment that
   * prompt is gone (cancelled, locked, another badge), which closes a sign-in window left open.
   */
  const waiting = new Map<number, AbortController>();
  /**
   * The monotonic clock stops while the machine sleeps (Linux CLOCK_MONOTONIC, macOS), so a laptop closed for
   * an hour would come back with an hour of grace still left. Sleep time, measured on the wall clock between
   * suspend and resume, is added to the engine's time: it can only make deadlines come sooner, never later.
   */
  let sleptMs = 0;
  let suspendedAt: { wallMs: number; monoMs: number } | undefined;
  const now = () => clock.monotonicMs() + sleptMs;

  function noteSleep(event: OsEvent): void {
    if (event === 'suspend') suspendedAt = { wallMs: clock.wallTime().getTime(), monoMs: clock.monotonicMs() };
    if (event !== 'resume' || !suspendedAt) return;
    const wallElapsed = clock.wallTime().getTime() - suspendedAt.wallMs;
    const monoElapsed = clock.monotonicMs() - suspendedAt.monoMs;
    sleptMs += Math.max(0, wallElapsed - monoElapsed);
    suspendedAt = undefined;
  }

  function waitFor(token: number): AbortSignal {
    const controller = new AbortController();
    waiting.set(token, controller);
    return controller.signal;
  }

  function answered(token: number): void {
    waiting.delete(token);
  }

  function abandonStale(): void {
    const live = state.pending?.token;
    for (const [token, controller] of waiting) {
      if (token === live) continue;
      waiting.delete(token);
      controller.abort();
    }
  }

  const stamp = (draft: AuditDraft): AuditEvent => ({
    ...draft,
    at: clock.wallTime().toISOString(),
    workstation: deps.workstation,
  });

  /** Appends keep their decision order even though callers do not wait for each other. */
  function append(draft: AuditDraft): Promise<void> {
    const event = stamp(draft);
    const done = auditChain.then(() => deps.audit.append(event));
    auditChain = done.catch(() => undefined);
    return done;
  }

  /** Fails closed: an admission check that throws (store or audit trail unavailable) refuses, saying so. */
  async function refusalFor(
    user: DirectoryUser | undefined,
    badgeHash?: string,
  ): Promise<AdmissionRefusal | undefined> {
    if ((!user && !badgeHash) || !deps.admission) return undefined;
    return deps.admission
      .check(user, badgeHash)
      .catch((): AdmissionRefusal => ({ id: 'directoryUnavailable', params: {} }));
  }

  function currentView(): SessionView {
    return toView(state, now(), deps.workstation);
  }

  function publish(force: boolean): void {
    const view = currentView();
    const keyed: Record<string, unknown> = { ...view };
    for (const f of TIME_FIELDS) delete keyed[f];
    const key = JSON.stringify(keyed);
    // Countdown fields change every millisecond; the renderer counts down locally, so only real changes are sent.
    if (!force && key === lastViewKey) return;
    lastViewKey = key;
    for (const l of viewListeners) l(view);
  }

  function schedule(): void {
    if (disposed) return;
    const due = nextDeadline(state);
    if (due === undefined) {
      armed?.cancel();
      armed = undefined;
      return;
    }
    if (armed && armed.at <= due) return; // it fires first and re-arms for the later deadline
    armed?.cancel();
    const at = due;
    armed = { at, cancel: clock.setTimer(at - now(), onTimer) };
  }

  function onTimer(): void {
    armed = undefined;
    if (disposed) return;
    void dispatch({ type: 'tick' });
  }

  /** Decides on the current state; the OS idle time is asked only when an idle deadline is due (no polling). */
  function decideNow(event: EngineEvent): Decision {
    const at = now();
    const osIdleMs = deps.osIdleMs && idleDeadlineDue(state, at) ? deps.osIdleMs() : undefined;
    return decide(state, event, at, osIdleMs);
  }

  async function dispatch(event: EngineEvent, until: HandleUntil = 'settled'): Promise<void> {
    if (disposed) return;
    let decision = decideNow(event);
    if (decision.grant) {
      if (decision.preGrant)
        commitPart(decision.preGrant.state, decision.preGrant.audits, decision.preGrant.lifecycle, false);
      const before = state;
      try {
        await append(decision.grant);
      } catch (err) {
        return dispatch({ type: 'grant-failed', message: messageOf(err) }, until);
      }
      if (disposed) return;
      if (state !== before) {
        // Something happened while the grant became durable: decide again on the current state, and
        // grant only if the same access is still being granted (its record is already durable).
        const again = decideNow(event);
        if (
          !again.grant ||
          again.grant.type !== decision.grant.type ||
          again.grant.details?.sessionId !== decision.grant.details?.sessionId
        ) {
          return dispatch({ type: 'grant-interrupted', grant: decision.grant }, until);
        }
        if (again.preGrant) commitPart(again.preGrant.state, again.preGrant.audits, again.preGrant.lifecycle, false);
        decision = again;
      }
    }
    await commit(decision, event.type === 'policy-change', until);
  }

  /** Adopts a state, shows it, tells the shell, and queues its audit records (not awaited: removals never wait). */
  function commitPart(
    next: EngineState,
    audits: readonly AuditDraft[],
    lifecycle: readonly LifecycleEvent[],
    forceView: boolean,
  ): Promise<unknown>[] {
    const changed = next !== state;
    state = next;
    if (changed) abandonStale();
    if (changed || forceView) publish(forceView);
    for (const e of lifecycle) for (const l of lifecycleListeners) l(e);
    const appends = audits.map((a) =>
      append(a).catch((err: unknown) => dispatch({ type: 'audit-failed', message: messageOf(err) })),
    );
    schedule();
    return appends;
  }

  async function commit(d: Decision, forceView: boolean, until: HandleUntil): Promise<void> {
    const appends = commitPart(d.state, d.audits, d.lifecycle, forceView);
    for (const s of d.stepUps) for (const l of stepUpListeners) l(s);
    const enrollment = deps.enrollment;
    if (enrollment) {
      // The port never rejects (it reports its own failures); the catch only keeps a broken one from crashing.
      for (const pendingId of d.releasedEnrollments) void enrollment.cancel(pendingId).catch(() => undefined);
    }
    const enrollments = d.enrollments.map(async ({ token, ...request }) => {
      if (!enrollment) return;
      const outcome = await enrollment
        .begin(request, waitFor(token))
        .catch((err: unknown) => ({ ok: false as const, message: messageOf(err) }));
      answered(token);
      await dispatch({ type: 'enroll-signed-in', token, outcome });
    });
    const signIns = d.requests.map(async (req) => {
      let outcome: Extract<EngineEvent, { type: 'full-sign-in-result' }>['outcome'];
      try {
        outcome = await deps.authenticator.fullSignIn({
          reason: req.reason,
          expectedUserId: req.expectedUserId,
          signal: waitFor(req.token),
        });
      } catch (err) {
        outcome = { ok: false, message: messageOf(err) };
      }
      answered(req.token);
      const refusal = outcome.ok ? await refusalFor(outcome.user) : undefined;
      if (refusal && outcome.ok)
        return dispatch({ type: 'admission-refused', userId: outcome.user.userId, token: req.token, refusal });
      await dispatch({ type: 'full-sign-in-result', token: req.token, outcome });
    });
    const proofs = d.stepUpProofs.map(async (request) => {
      const event = await checkStepUpProof(deps, request, waitFor(request.token));
      answered(request.token);
      await dispatch(event);
    });
    const started = [...signIns, ...enrollments, ...proofs];
    if (until === 'answered') void Promise.all(started);
    await Promise.all(until === 'answered' ? appends : [...appends, ...started]);
  }

  async function handleParsed(raw: unknown, until: HandleUntil): Promise<void> {
    const input = parseSessionInput(raw);
    const send = (event: EngineEvent) => dispatch(event, until);
    switch (input.type) {
      case 'badge-tap': {
        // The raw badge id goes no further than this line.
        const badgeHash = deps.hashBadge(input.badgeId);
        const newSessionId = deps.random.uuid();
        try {
          const user = await deps.directory.resolveBadge(badgeHash);
          const refusal = await refusalFor(user, badgeHash);
          if (refusal) return send({ type: 'admission-refused', ...(user ? { userId: user.userId } : {}), refusal });
          return send({ type: 'tap', badgeHash, readerId: input.readerId, user, newSessionId });
        } catch (err) {
          const lookupError = messageOf(err);
          return send({ type: 'tap', badgeHash, readerId: input.readerId, lookupError, newSessionId });
        }
      }
      case 'badge-removed':
        return send({ type: 'removed', badgeHash: deps.hashBadge(input.badgeId), readerId: input.readerId });
      case 'pin': {
        const target = effectivePending(state);
        if (target?.kind !== 'pin') return send({ type: 'pin-refused' });
        const result = await verifyPin(deps.pins, target.user.userId, input.pin);
        const refusal = result.ok ? await refusalFor(target.user) : undefined;
        if (refusal)
          return send({ type: 'admission-refused', userId: target.user.userId, token: target.token, refusal });
        return send({
          type: 'pin-result',
          token: target.token,
          userId: target.user.userId,
          targetSessionId: target.target.sessionId,
          result,
        });
      }
      case 'pin-cancel':
        return send({ type: 'pin-cancel' });
      case 'sign-in-cancel':
        return send({ type: 'sign-in-cancel' });
      case 'pin-forgot':
        return send({ type: 'pin-forgot' });
      case 'password-sign-in':
        return send({ type: 'password-sign-in', readerReady: input.readerReady, newSessionId: deps.random.uuid() });
      case 'choose-pin': {
        const p = state.pending;
        if (p?.kind !== 'enroll' || p.step !== 'choose-pin' || p.pendingId === undefined || !deps.enrollment)
          return send({ type: 'pin-refused' });
        const outcome = await deps.enrollment
          .complete({ pendingId: p.pendingId, purpose: p.purpose, pin: input.pin })
          .catch((err: unknown) => ({ ok: false as const, retry: false, message: messageOf(err) }));
        // A sponsored enrollment completed outside its shift window is saved, but lets nobody in yet.
        const refusal = outcome.ok ? await refusalFor(p.user) : undefined;
        if (refusal && p.user)
          return send({ type: 'admission-refused', userId: p.user.userId, token: p.token, refusal });
        return send({ type: 'enroll-completed', token: p.token, outcome });
      }
      case 'enroll-cancel':
        return send({ type: 'enroll-cancel' });
      case 'tokens-refused':
        return send({
          type: 'tokens-refused',
          userId: input.userId,
          sessionId: input.sessionId,
          message: input.message,
          ...(input.grantRefused ? { grantRefused: true } : {}),
        });
      case 'activity':
        return send({ type: 'activity', source: input.source });
      case 'os':
        noteSleep(input.event);
        return send({ type: 'os', event: input.event });
      case 'lock-now':
        return send({ type: 'lock-now' });
      case 'admin-revoke':
        return send({ type: 'admin-revoke', userId: input.userId, reason: input.reason });
      case 'policy-change':
        return send({ type: 'policy-change', policy: input.policy });
      case 'policy-invalid':
        return send({ type: 'policy-invalid', problems: input.problems });
      case 'step-up-request': {
        const fg = state.fg;
        if (fg.kind !== 'active' && fg.kind !== 'warning')
          return send({ type: 'step-up-request', action: input.action, userId: '', methods: [] });
        const userId = fg.session.user.userId;
        const methods = deps.stepUp ? await deps.stepUp.methodsFor(userId, input.action).catch(() => []) : [];
        return send({ type: 'step-up-request', action: input.action, userId, methods });
      }
      case 'step-up-prove':
        return send({ type: 'step-up-prove', proof: input.proof });
      case 'step-up-cancel':
        return send({ type: 'step-up-cancel' });
      default:
        return assertNever(input, 'session input');
    }
  }

  return {
    async handle(input, until = 'settled') {
      if (disposed) throw new Error('The session service has been disposed.');
      await handleParsed(input, until);
    },
    view: currentView,
    onView(listener) {
      viewListeners.add(listener);
      return () => viewListeners.delete(listener);
    },
    onLifecycle(listener) {
      lifecycleListeners.add(listener);
      return () => lifecycleListeners.delete(listener);
    },
    onStepUp(listener) {
      stepUpListeners.add(listener);
      return () => stepUpListeners.delete(listener);
    },
    dispose() {
      disposed = true;
      for (const controller of waiting.values()) controller.abort();
      waiting.clear();
      armed?.cancel();
      armed = undefined;
      viewListeners.clear();
      lifecycleListeners.clear();
      stepUpListeners.clear();
    },
  };
}
