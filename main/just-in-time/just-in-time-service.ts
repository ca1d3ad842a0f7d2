/**
 * Just-in-time access on a workstation (docs/temporary-access.md#just-in-time-access): the request dialog, the
 * requester's step-up, the approver's badge and PIN at the same workstation (or a low-risk rule), the grant's
 * countdown and every way it ends. One state machine like break-glass's (break-glass-service.ts): the invariants
 * "no grant without an approval or an auto-approve rule", "never approved by its requester" and "no grant outlives
 * its expiry or its session" live in this one file.
 */
import { armGrantTimers, endGrantOnServer } from '../break-glass/grant-lifecycle.js';
import type { Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import type { Random } from '../../common/random.js';
import type { InvokeRequest, JustInTimeState } from '../../preload/contract.js';
import type { AuditEvent, AuditSink } from '../audit/audit-event.js';
import type { LifecycleEvent, StepUpOutcome } from '../session/engine-state.js';
import type { SessionInput } from '../session/session-input.js';
import {
  JitRefused,
  scopeValue,
  type JitApproval,
  type JitScope,
  type JustInTimeAdapter,
} from './just-in-time-adapter.js';
import {
  approverRolesOf,
  maxMinutesOf,
  scopePolicy,
  type JitScopeKind,
  type JustInTimePolicy,
} from './just-in-time-policy.js';

export type SubmitRequest = InvokeRequest<'jit:submit'>;
export type DecideRequest = InvokeRequest<'jit:approver-decide'>;
export type Ack = { ok: boolean; message?: string };
export type JitEndedBy = 'expiry' | 'end-now' | 'sign-out' | 'session-end' | 'revoked';

/** The shortest grant anyone may ask for (policy and EHR limits apply on top). */
export const JIT_MIN_MINUTES = 5;
/** When the clinician is warned before expiry. */
const PATIENT_REF = /^Patient\/[A-Za-z0-9\-.]{1,64}$/;

export interface JustInTimeDeps {
  clock: Clock;
  random: Random;
  audit: AuditSink;
  workstation: string;
  policy: JustInTimePolicy;
  adapter: JustInTimeAdapter;
  /** The EHR the policy embeds: the view goes back here when a grant ends. */
  ehrUrl: string;
  session: {
    onLifecycle(listener: (event: LifecycleEvent) => void): () => void;
    onStepUp(listener: (outcome: StepUpOutcome) => void): () => void;
    handle(input: SessionInput): Promise<void>;
  };
  /** A user's current access token (silently renewed), or undefined when none can be had. */
  accessToken(userId: string): Promise<string | undefined>;
  /** Roles and name of a user, from the last sign-in. */
  profile(userId: string): Promise<{ displayName: string; roles: readonly string[] } | undefined>;
  /** Who a tapped badge belongs to, for an approver. */
  resolveBadge(
    badgeHash: string,
  ): Promise<{ userId: string; displayName: string; roles: readonly string[] } | undefined>;
  /** Checks an approver's PIN (the same PIN service, lockout and back-off as at the lock screen). */
  verifyPin(userId: string, pin: string): Promise<{ ok: boolean }>;
  /** Loads a URL in a session's EHR view (the granted scope once active; the EHR's start page once it ended). */
  navigate(sessionId: string, url: string): void;
  publish(state: JustInTimeState): void;
  log: { warn(message: string): void };
}

interface Request {
  id: string;
  scope: JitScope;
  valueLabel: string;
  purposeCode: string;
  purposeLabel: string;
  purposeText: string;
  durationMinutes: number;
  auto: boolean;
  stepUp: boolean;
}

interface Dialog {
  sessionId: string;
  userId: string;
  displayName: string;
  step: NonNullable<JustInTimeState['dialog']>['step'];
  request?: Request;
  /** How the requester proved it was them, when policy asked. */
  stepUpMethod?: string;
  /** The approver whose badge was read; their PIN is next. */
  approver?: { userId: string; displayName: string };
  busy: boolean;
  error?: string;
}

interface ActiveGrant {
  id: string;
  sessionId: string;
  userId: string;
  displayName: string;
  request: Request;
  approvedBy?: { userId: string; displayName: string };
  token: string;
  startedAt: string;
  /** Monotonic ms of the server's expiry, as the server reported it (secondsLeft). */
  expiresAtMs: number;
  warning?: string;
  timers: (() => void)[];
}

export interface JustInTime {
  state(): JustInTimeState;
  /** Overlays the stage must make room for: the dialog is modal, a grant's countdown a banner. */
  overlay(): { dialog: boolean; banner: boolean };
  open(): Promise<Ack>;
  submit(form: SubmitRequest): Promise<Ack>;
  /** Whether the next badge tap is an approver's (the dialog waits for one), not a sign-in. */
  takesBadge(): boolean;
  approverBadge(badgeHash: string): Promise<void>;
  approverDecide(decision: DecideRequest): Promise<Ack>;
  cancel(): Ack;
  endNow(): Promise<Ack>;
  /** Ends every grant (the workstation stops); resolves when the EHR answered or gave up. */
  dispose(): Promise<void>;
}

export function createJustInTime(deps: JustInTimeDeps): JustInTime {
  const { clock, policy, adapter } = deps;
  let shown: { sessionId: string; userId: string; offered: boolean } | undefined;
  let dialog: Dialog | undefined;
  const grants = new Map<string, ActiveGrant>();
  /** Sessions that ended: a grant that arrives for one afterwards is ended at once. */
  const ended = new Set<string>();

  const publish = () => deps.publish(state());

  function state(): JustInTimeState {
    const grant = shown ? grants.get(shown.sessionId) : undefined;
    const open = dialog && shown && dialog.sessionId === shown.sessionId ? dialog : undefined;
    return {
      offered: shown?.offered ?? false,
      ...(open ? { dialog: dialogView(open) } : {}),
      ...(grant ? { grant: grantView(grant) } : {}),
    };
  }

  function dialogView(d: Dialog): NonNullable<JustInTimeState['dialog']> {
    const r = d.request;
    return {
      step: d.step,
      scopes: policy.scopes.map((s) => ({
        kind: s.kind,
        values: s.values,
        maxMinutes: maxMinutesOf(policy, s.kind),
        autoApprove: s.autoApprove,
        stepUp: s.stepUp,
      })),
      purposes: policy.purposes,
      minMinutes: JIT_MIN_MINUTES,
      defaultMinutes: policy.defaultMinutes,
      ...(r
        ? {
            request: {
              requester: d.displayName,
              scope: r.scope.kind,
              value: scopeValue(r.scope),
              valueLabel: r.valueLabel,
              purpose: r.purposeLabel,
              purposeText: r.purposeText,
              durationMinutes: r.durationMinutes,
            },
          }
        : {}),
      ...(d.approver ? { approver: d.approver.displayName } : {}),
      busy: d.busy,
      ...(d.error ? { error: d.error } : {}),
    };
  }

  function grantView(g: ActiveGrant): NonNullable<JustInTimeState['grant']> {
    return {
      scope: g.request.scope.kind,
      value: scopeValue(g.request.scope),
      label: g.request.valueLabel,
      msLeft: Math.max(0, g.expiresAtMs - clock.monotonicMs()),
      ...(g.approvedBy ? { approvedBy: g.approvedBy.displayName } : {}),
      ...(g.warning ? { warning: g.warning } : {}),
    };
  }

  async function mayRequest(userId: string): Promise<boolean> {
    const profile = await deps.profile(userId);
    return !!profile && profile.roles.some((r) => policy.requesterRoles.includes(r));
  }

  function validate(form: SubmitRequest): { request: Request } | { error: string } {
    const scope = scopePolicy(policy, form.scope);
    if (!scope) return { error: 'That kind of access is not offered on this workstation.' };
    const purpose = policy.purposes.find((p) => p.code === form.purposeCode);
    if (!purpose) return { error: 'Pick one of the listed purposes.' };
    let jitScope: JitScope;
    let valueLabel: string;
    if (form.scope === 'patient') {
      if (!PATIENT_REF.test(form.value)) return { error: 'Name the patient as Patient/<id>.' };
      jitScope = { kind: 'patient', patient: form.value };
      valueLabel = form.value;
    } else {
      const offered = scope.values.find((v) => v.value === form.value);
      if (!offered) return { error: `Pick one of the listed ${form.scope === 'unit' ? 'units' : 'roles'}.` };
      jitScope = form.scope === 'unit' ? { kind: 'unit', unit: offered.value } : { kind: 'role', role: offered.value };
      valueLabel = offered.label;
    }
    const max = maxMinutesOf(policy, form.scope);
    if (form.durationMinutes < JIT_MIN_MINUTES || form.durationMinutes > max)
      return { error: `Choose between ${JIT_MIN_MINUTES} and ${max} minutes.` };
    return {
      request: {
        id: `jr-${deps.random.uuid()}`,
        scope: jitScope,
        valueLabel,
        purposeCode: purpose.code,
        purposeLabel: purpose.label,
        purposeText: form.purposeText,
        durationMinutes: form.durationMinutes,
        auto: scope.autoApprove,
        stepUp: scope.stepUp,
      },
    };
  }

  function requestDetails(r: Request): Record<string, string | number | boolean> {
    return {
      requestId: r.id,
      scope: r.scope.kind,
      scopeValue: scopeValue(r.scope),
      purposeCode: r.purposeCode,
      purposeText: r.purposeText,
      durationMin: r.durationMinutes,
    };
  }

  /** The request is proved (step-up done or not needed): granted by rule, or an approver is asked for. */
  function proceed(d: Dialog): void {
    const r = d.request;
    if (!r) return;
    if (r.auto) {
      void issue(d, { kind: 'auto' });
      return;
    }
    d.step = 'approver';
    publish();
  }

  async function issue(d: Dialog, approval: JitApproval, approvedBy?: Dialog['approver']): Promise<void> {
    const r = d.request;
    if (!r) return;
    d.step = 'sending';
    d.busy = true;
    delete d.error;
    publish();
    try {
      const token = await deps.accessToken(d.userId);
      if (!token) throw new Error('Your sign-in could not be renewed: sign out and in again, then ask again.');
      const answer = await adapter.request(token, {
        scope: r.scope,
        purpose: { code: r.purposeCode, text: r.purposeText },
        durationMinutes: r.durationMinutes,
        approval,
      });
      const active: ActiveGrant = {
        id: answer.id,
        sessionId: d.sessionId,
        userId: d.userId,
        displayName: d.displayName,
        request: r,
        ...(approvedBy ? { approvedBy } : {}),
        token,
        startedAt: clock.wallTime().toISOString(),
        expiresAtMs: clock.monotonicMs() + answer.secondsLeft * 1000,
        timers: [],
      };
      // One grant per session at a time (a new request is refused while one runs): a stray one is ended first.
      if (grants.has(d.sessionId)) await end(d.sessionId, 'end-now', false);
      grants.set(d.sessionId, active);
      arm(active);
      if (dialog === d) dialog = undefined;
      const sessionGone = ended.has(d.sessionId);
      if (answer.open && !sessionGone) deps.navigate(d.sessionId, answer.open);
      publish();
      await append({
        type: 'jit.start',
        outcome: 'success',
        actor: requesterOf(d),
        details: {
          ...requestDetails(r),
          grantId: answer.id,
          ehr: adapter.origin,
          approval: approval.kind,
          ...(approvedBy ? { approvedBy: approvedBy.userId } : {}),
          ...(d.stepUpMethod ? { stepUp: d.stepUpMethod } : {}),
          expiresAt: answer.expiresAt,
        },
      });
      if (sessionGone) await end(d.sessionId, 'session-end', false);
    } catch (error) {
      d.busy = false;
      d.error = error instanceof JitRefused ? `The EHR refused: ${error.message}` : messageOf(error);
      // The approver starts over (badge, PIN): an answer is never reused for another try.
      d.step = r.auto ? 'form' : 'approver';
      delete d.approver;
      publish();
      await append({
        type: 'jit.start',
        outcome: 'failure',
        actor: requesterOf(d),
        reason: d.error,
        details: {
          ...requestDetails(r),
          ehr: adapter.origin,
          approval: approval.kind,
          ...(approvedBy ? { approvedBy: approvedBy.userId } : {}),
        },
      });
    }
  }

  function arm(g: ActiveGrant): void {
    g.timers.push(
      ...armGrantTimers(clock, g.expiresAtMs, {
        warn: (minutes) => {
          g.warning = `This access ends in ${minutes} minutes.`;
          publish();
        },
        expire: () => void end(g.sessionId, 'expiry', true),
      }),
    );
  }

  /** Ends a session's grant: off this workstation's books at once, then on the EHR's server, then the view reloads. */
  async function end(sessionId: string, endedBy: JitEndedBy, reload: boolean): Promise<void> {
    const g = grants.get(sessionId);
    if (!g) return;
    grants.delete(sessionId);
    for (const cancel of g.timers.splice(0)) cancel();
    publish();
    try {
      await endGrantOnServer({
        id: g.id,
        token: g.token,
        end: (token, grantId) => adapter.end(token, grantId),
        refused: (error) => error instanceof JitRefused,
        freshToken: () => deps.accessToken(g.userId),
      });
    } catch (error) {
      deps.log.warn(
        `just-in-time: the EHR did not confirm the end of grant ${g.id} (its own expiry still holds): ${messageOf(error)}`,
      );
    }
    if (reload) deps.navigate(sessionId, deps.ehrUrl);
    await append({
      type: 'jit.end',
      outcome: 'success',
      actor: { userId: g.userId, ...(g.displayName ? { displayName: g.displayName } : {}) },
      details: {
        ...requestDetails(g.request),
        grantId: g.id,
        ehr: adapter.origin,
        approval: g.approvedBy ? 'approver' : 'auto',
        ...(g.approvedBy ? { approvedBy: g.approvedBy.userId } : {}),
        endedBy,
        startedAt: g.startedAt,
        endedAt: clock.wallTime().toISOString(),
      },
    });
  }

  function append(draft: Omit<AuditEvent, 'at' | 'workstation'>): Promise<void> {
    const event = { ...draft, at: clock.wallTime().toISOString(), workstation: deps.workstation };
    return deps.audit
      .append(event)
      .catch((error: unknown) => deps.log.warn(`audit: could not record ${event.type}: ${messageOf(error)}`));
  }

  /** Who asked, named as the audit trail and the review show them. */
  const requesterOf = (d: Dialog) => ({ userId: d.userId, ...(d.displayName ? { displayName: d.displayName } : {}) });

  /**
   * A request closed before anyone decided it (the requester cancelled, or the session locked or ended) is
   * journaled as withdrawn, so the review never shows it as waiting for a decision that cannot come.
   */
  function withdraw(d: Dialog, why: string): void {
    if (!d.request || d.step === 'refused') return;
    void append({
      type: 'jit.cancel',
      outcome: 'success',
      actor: requesterOf(d),
      reason: why,
      details: { requestId: d.request.id },
    });
  }

  /** The dialog of the session on screen, if one is open. */
  const current = () => (dialog && dialog.sessionId === shown?.sessionId ? dialog : undefined);

  const unsubscribers = [
    deps.session.onLifecycle((event) => {
      if (event.kind === 'shown') {
        const on = { sessionId: event.sessionId, userId: event.userId, offered: false };
        shown = on;
        void mayRequest(event.userId).then((offered) => {
          if (shown !== on) return;
          on.offered = offered;
          publish();
        });
      } else if (shown?.sessionId === event.sessionId) {
        shown = undefined;
      }
      // A request names a patient or a unit: it never stays open behind a lock, and an approval never outlives it.
      if (event.kind !== 'shown' && dialog?.sessionId === event.sessionId && !dialog.busy) {
        withdraw(
          dialog,
          event.kind === 'terminated'
            ? 'the session ended before a decision'
            : 'the session was locked or another clinician took the workstation',
        );
        dialog = undefined;
      }
      if (event.kind === 'terminated') {
        ended.add(event.sessionId);
        void end(event.sessionId, event.signedOut ? 'sign-out' : event.revoked ? 'revoked' : 'session-end', false);
      }
      publish();
    }),
    deps.session.onStepUp((outcome) => {
      const d = dialog;
      if (outcome.action !== 'just-in-time' || d?.step !== 'step-up' || d.sessionId !== outcome.sessionId) return;
      if (!outcome.ok) {
        d.step = 'form';
        d.error = 'It was not confirmed that it is you: nothing was requested.';
        publish();
        return;
      }
      if (outcome.method) d.stepUpMethod = outcome.method;
      proceed(d);
    }),
  ];

  return {
    state,
    overlay: () => ({
      dialog: !!current(),
      banner: !!shown && grants.has(shown.sessionId),
    }),
    async open() {
      const on = shown;
      if (!on) return { ok: false, message: 'Sign in first: access is requested by a signed-in clinician.' };
      if (!on.offered) return { ok: false, message: 'Your role may not request just-in-time access here.' };
      if (grants.has(on.sessionId))
        return { ok: false, message: 'You already hold just-in-time access: end it before asking for another.' };
      if (dialog?.busy) return { ok: false, message: 'A request is already being sent.' };
      dialog = { sessionId: on.sessionId, userId: on.userId, displayName: '', step: 'form', busy: false };
      const d = dialog;
      void deps.profile(on.userId).then((p) => {
        d.displayName = p?.displayName ?? on.userId;
      });
      publish();
      return { ok: true };
    },
    async submit(form) {
      const d = current();
      if (!d) return { ok: false, message: 'No access request is open.' };
      if (d.step !== 'form' || d.busy) return { ok: false, message: 'The request is already on its way.' };
      const checked = validate(form);
      if ('error' in checked) return { ok: false, message: checked.error };
      d.request = checked.request;
      if (!d.displayName) d.displayName = (await deps.profile(d.userId))?.displayName ?? d.userId;
      delete d.error;
      await append({
        type: 'jit.request',
        outcome: 'success',
        actor: requesterOf(d),
        details: { ...requestDetails(checked.request), approval: checked.request.auto ? 'auto' : 'approver' },
      });
      if (checked.request.stepUp) {
        d.step = 'step-up';
        publish();
        await deps.session.handle({ type: 'step-up-request', action: 'just-in-time' });
      } else proceed(d);
      return { ok: true };
    },
    takesBadge: () => {
      const d = current();
      return !!d && d.step === 'approver' && !d.approver && !d.busy;
    },
    async approverBadge(badgeHash) {
      const d = current();
      const r = d?.request;
      if (!d || !r || d.step !== 'approver' || d.approver) return;
      const who = await deps.resolveBadge(badgeHash).catch(() => undefined);
      const allowed = approverRolesOf(policy, r.scope.kind);
      let refusal: { why: string; code: 'unknown-badge' | 'self-approval' | 'approver-role' } | undefined;
      if (!who)
        refusal = {
          code: 'unknown-badge',
          why: 'This badge is not enrolled here: the approver must be enrolled at this workstation.',
        };
      else if (who.userId === d.userId)
        refusal = { code: 'self-approval', why: 'You cannot approve your own request: another colleague must.' };
      else if (!who.roles.some((role) => allowed.includes(role)))
        refusal = {
          code: 'approver-role',
          why: `${who.displayName} may not approve this request: an approver must be ${allowed.join(' or ')}.`,
        };
      if (refusal) {
        d.error = refusal.why;
        publish();
        await append({
          type: 'jit.approve',
          outcome: 'failure',
          ...(who ? { actor: { userId: who.userId, displayName: who.displayName } } : {}),
          reason: refusal.why,
          details: { ...requestDetails(r), requestedBy: d.userId, refusal: refusal.code },
        });
        return;
      }
      if (!who) return;
      delete d.error;
      d.approver = { userId: who.userId, displayName: who.displayName };
      publish();
    },
    async approverDecide({ pin, decision, reason }) {
      const d = current();
      const r = d?.request;
      const approver = d?.approver;
      if (!d || !r || d.step !== 'approver') return { ok: false, message: 'No request is waiting for an approver.' };
      if (!approver) return { ok: false, message: 'The approver taps their badge first.' };
      if (d.busy) return { ok: false, message: 'The request is already on its way.' };
      if (decision === 'refuse' && !reason) return { ok: false, message: 'Say why the request is refused.' };
      const checked = await deps.verifyPin(approver.userId, pin);
      // The dialog may have closed (lock, cancel) while the PIN was checked: nothing is decided then.
      if (dialog !== d || d.approver !== approver) return { ok: false, message: 'The request was closed.' };
      if (!checked.ok) {
        d.error = 'Wrong PIN, or the PIN cannot be used now: try again, or ask another colleague.';
        publish();
        return { ok: false, message: d.error };
      }
      const details = { ...requestDetails(r), requestedBy: d.userId };
      if (decision === 'refuse') {
        d.step = 'refused';
        d.error = `${approver.displayName} refused the request: ${reason ?? ''}`;
        publish();
        await append({
          type: 'jit.refuse',
          outcome: 'success',
          actor: { userId: approver.userId, displayName: approver.displayName },
          reason: reason ?? '',
          details,
        });
        return { ok: true };
      }
      d.busy = true;
      publish();
      await append({
        type: 'jit.approve',
        outcome: 'success',
        actor: { userId: approver.userId, displayName: approver.displayName },
        details,
      });
      const approverToken = await deps.accessToken(approver.userId).catch(() => undefined);
      if (!approverToken) {
        d.busy = false;
        delete d.approver;
        d.error = `${approver.displayName}'s sign-in here could not be renewed: they sign in at this workstation once, or another colleague approves.`;
        publish();
        return { ok: false, message: d.error };
      }
      await issue(d, { kind: 'approver', accessToken: approverToken }, approver);
      return { ok: true };
    },
    cancel() {
      if (dialog?.busy) return { ok: false, message: 'The request is already on its way.' };
      if (dialog) withdraw(dialog, 'withdrawn by the requester');
      dialog = undefined;
      publish();
      return { ok: true };
    },
    async endNow() {
      if (!shown || !grants.has(shown.sessionId)) return { ok: false, message: 'No just-in-time access is active.' };
      await end(shown.sessionId, 'end-now', true);
      return { ok: true };
    },
    async dispose() {
      for (const off of unsubscribers.splice(0)) off();
      await Promise.all([...grants.keys()].map((id) => end(id, 'session-end', false)));
    },
  };
}

export type { JitScopeKind };
