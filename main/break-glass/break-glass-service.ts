/**
 * Break-glass on a workstation: the dialog, the step-up, the grant's countdown and every way it ends
 * (docs/break-glass.md). Over 400 lines because the grant lifecycle (dialog, co-sign, activate, warn, extend,
 * end on expiry, end now, session end) is one state machine whose parts share the same dialog and grant map;
 * splitting it would spread the invariant "no grant outlives its expiry or its session" over several files.
 */
import { armGrantTimers, endGrantOnServer } from './grant-lifecycle.js';
import type { Clock } from '../../common/clock.js';
import { parseBreakGlassLink } from '../../common/break-glass-link.js';
import { messageOf } from '../../common/errors.js';
import type { BreakGlassState, InvokeRequest } from '../../preload/contract.js';
import type { AuditEvent, AuditSink } from '../audit/audit-event.js';
import type { LifecycleEvent, StepUpOutcome } from '../session/engine-state.js';
import type { SessionInput } from '../session/session-input.js';
import { BreakGlassRefused, type BreakGlassAdapter, type GrantScope } from './break-glass-adapter.js';
import type { BreakGlassPolicy } from './break-glass-policy.js';

export type ConfirmRequest = InvokeRequest<'breakglass:confirm'>;
export type Ack = { ok: boolean; message?: string };
export type EndedBy = 'expiry' | 'end-now' | 'sign-out' | 'session-end' | 'revoked' | 'extended';

/** The shortest grant anyone may ask for (policy and EHR limits apply on top). */
export const MIN_MINUTES = 15;
/** When the clinician is warned before expiry. */
const DAY_MS = 86_400_000;

export interface BreakGlassDeps {
  clock: Clock;
  audit: AuditSink;
  workstation: string;
  policy: BreakGlassPolicy;
  adapter: BreakGlassAdapter;
  /** The EHR the policy embeds: a link naming any other origin is refused. */
  ehrUrl: string;
  session: {
    onLifecycle(listener: (event: LifecycleEvent) => void): () => void;
    onStepUp(listener: (outcome: StepUpOutcome) => void): () => void;
    handle(input: SessionInput): Promise<void>;
  };
  /** The user's current access token (silently renewed), or undefined when none can be had. */
  accessToken(userId: string): Promise<string | undefined>;
  /** Roles and name of a user, from the last sign-in. */
  profile(userId: string): Promise<{ displayName: string; roles: readonly string[] } | undefined>;
  /** Break-glass starts of this user recorded on this workstation since `sinceIso`. */
  episodesSince(userId: string, sinceIso: string): Promise<number>;
  /** Who a tapped badge belongs to, for a co-signer (docs/break-glass.md#frequency-rules). */
  resolveBadge(
    badgeHash: string,
  ): Promise<{ userId: string; displayName: string; roles: readonly string[] } | undefined>;
  /** Checks a co-signer's PIN (the same PIN service, lockout and back-off as at the lock screen). */
  verifyPin(userId: string, pin: string): Promise<{ ok: boolean }>;
  /** Loads a URL in a session's EHR view (the chart once a grant is active; the refused page once it ended). */
  navigate(sessionId: string, url: string): void;
  publish(state: BreakGlassState): void;
  log: { warn(message: string): void };
}

interface Dialog {
  sessionId: string;
  userId: string;
  extending: boolean;
  patient?: string;
  restrictions: string[];
  /** Where the refused chart is, to reload once the grant is active. */
  chart?: string;
  episodes: number;
  busy: boolean;
  error?: string;
  /** The confirmed form, waiting for the step-up. */
  confirmed?: ConfirmRequest;
  /** How the clinician proved it was them. */
  stepUp?: 'idp' | 'totp' | 'pin';
  /** The clinician's token, fetched while they prove it is them, so the grant request does not wait for it. */
  token?: Promise<string | undefined>;
  /** Above the frequency limit: a second clinician's badge, then their PIN. */
  cosign?: { candidate?: { userId: string; displayName: string }; verified: boolean; error?: string };
}

interface ActiveGrant {
  id: string;
  sessionId: string;
  userId: string;
  scope: GrantScope;
  chart?: string;
  token: string;
  startedAt: string;
  /** Monotonic ms of the server's expiry, as the server reported it (secondsLeft), and of the episode's start. */
  expiresAtMs: number;
  episodeStartMs: number;
  warning?: string;
  timers: (() => void)[];
}

export interface BreakGlass {
  state(): BreakGlassState;
  /** Overlays the stage must make room for: the dialog is modal, a grant's countdown a banner. */
  overlay(): { dialog: boolean; banner: boolean };
  open(): Promise<Ack>;
  openLink(link: string): Promise<Ack>;
  /** Whether the next badge tap is a co-signer's (the dialog waits for one), not a sign-in. */
  takesBadge(): boolean;
  cosignBadge(badgeHash: string): Promise<void>;
  cosignPin(pin: string): Promise<Ack>;
  confirm(request: ConfirmRequest): Promise<Ack>;
  cancel(): Ack;
  extend(): Promise<Ack>;
  endNow(): Promise<Ack>;
  /** Where a session's EHR view should open after a sign-in hand-over (the granted chart survives lock/resume). */
  returnPath(sessionId: string): string;
  /** Ends every grant (the workstation stops); resolves when the EHR answered or gave up. */
  dispose(): Promise<void>;
}

export function createBreakGlass(deps: BreakGlassDeps): BreakGlass {
  const { clock, policy, adapter } = deps;
  const ehrOrigin = new URL(deps.ehrUrl).origin;
  let shown: { sessionId: string; userId: string; offered: boolean } | undefined;
  let dialog: Dialog | undefined;
  const grants = new Map<string, ActiveGrant>();
  const lastPath = new Map<string, string>();
  /** Sessions that ended: a grant that arrives for one afterwards is ended at once. */
  const ended = new Set<string>();

  const publish = () => deps.publish(state());

  function state(): BreakGlassState {
    const grant = shown ? grants.get(shown.sessionId) : undefined;
    const open = dialog && shown && dialog.sessionId === shown.sessionId ? dialog : undefined;
    return {
      offered: shown?.offered ?? false,
      ...(open ? { dialog: dialogView(open) } : {}),
      ...(grant ? { grant: grantView(grant) } : {}),
    };
  }

  function dialogView(d: Dialog): NonNullable<BreakGlassState['dialog']> {
    const grant = grants.get(d.sessionId);
    const maxMinutes = grant ? minutesLeftInEpisode(grant) : policy.maxMinutes;
    const { warnAt } = policy.frequency;
    return {
      extending: d.extending,
      ...(d.patient ? { patient: d.patient } : {}),
      restrictions: d.restrictions,
      reasons: policy.reasons,
      scopes: policy.scopes,
      minMinutes: MIN_MINUTES,
      maxMinutes,
      defaultMinutes: Math.min(policy.defaultMinutes, maxMinutes),
      episodesIn30Days: d.episodes,
      ...(d.episodes >= warnAt
        ? {
            frequencyWarning:
              `This is your break-glass use number ${d.episodes} in 30 days on this workstation. ` +
              'Every use is reviewed by the privacy officer.',
          }
        : {}),
      busy: d.busy,
      ...(d.error ? { error: d.error } : {}),
      ...(d.cosign
        ? {
            cosign: {
              verified: d.cosign.verified,
              ...(d.cosign.candidate ? { cosigner: d.cosign.candidate.displayName } : {}),
              ...(d.cosign.error ? { error: d.cosign.error } : {}),
            },
          }
        : {}),
    };
  }

  function grantView(g: ActiveGrant): NonNullable<BreakGlassState['grant']> {
    return {
      scope: g.scope.kind,
      ...(g.scope.kind === 'patient' ? { patient: g.scope.patient } : {}),
      msLeft: Math.max(0, g.expiresAtMs - clock.monotonicMs()),
      ...(g.warning ? { warning: g.warning } : {}),
      canExtend: minutesLeftInEpisode(g) >= MIN_MINUTES,
    };
  }

  /** An extension stays inside the policy maximum counted from the episode's first grant. */
  function minutesLeftInEpisode(g: ActiveGrant): number {
    return Math.floor((g.episodeStartMs + policy.maxMinutes * 60_000 - clock.monotonicMs()) / 60_000);
  }

  async function mayBreakGlass(userId: string): Promise<boolean> {
    const profile = await deps.profile(userId);
    return !!profile && profile.roles.some((r) => policy.allowedRoles.includes(r));
  }

  async function countEpisodes(userId: string): Promise<number> {
    const since = new Date(clock.wallTime().getTime() - 30 * DAY_MS).toISOString();
    return (await deps.episodesSince(userId, since).catch(() => 0)) + 1;
  }

  async function openDialog(extra: Partial<Dialog>): Promise<Ack> {
    const on = shown;
    if (!on) return { ok: false, message: 'Sign in first: break-glass belongs to a signed-in clinician.' };
    if (!on.offered) return { ok: false, message: 'Your role does not include emergency (break-glass) access.' };
    if (dialog?.busy) return { ok: false, message: 'A break-glass request is already being sent.' };
    const episodes = await countEpisodes(on.userId);
    dialog = {
      sessionId: on.sessionId,
      userId: on.userId,
      extending: false,
      restrictions: [],
      episodes,
      busy: false,
      // Above the limit the clinician's word alone is not enough: a second clinician co-signs here.
      ...(episodes > policy.frequency.cosignAbove ? { cosign: { verified: false } } : {}),
      ...extra,
    };
    publish();
    return { ok: true };
  }

  async function activate(d: Dialog, form: ConfirmRequest): Promise<void> {
    const token = (await d.token) ?? (await deps.accessToken(d.userId));
    if (!token) throw new Error('No access token for you right now: sign in again, then retry.');
    const scope: GrantScope =
      form.scope === 'patient' ? { kind: 'patient', patient: form.patient ?? '' } : { kind: 'all-restricted' };
    const previous = grants.get(d.sessionId);
    const grant = await adapter.activate(token, {
      scope,
      reason: { code: form.reasonCode, text: form.reasonText },
      attestation: true,
      durationMinutes: form.durationMinutes,
    });
    const now = clock.monotonicMs();
    const active: ActiveGrant = {
      id: grant.id,
      sessionId: d.sessionId,
      userId: d.userId,
      scope,
      ...(d.chart ? { chart: d.chart } : previous?.chart ? { chart: previous.chart } : {}),
      token,
      startedAt: clock.wallTime().toISOString(),
      expiresAtMs: now + grant.secondsLeft * 1000,
      episodeStartMs: previous?.episodeStartMs ?? now,
      timers: [],
    };
    if (previous) await end(d.sessionId, 'extended', false);
    grants.set(d.sessionId, active);
    arm(active);
    if (dialog === d) dialog = undefined;
    // The session may have ended while the EHR answered: its view is gone, and the grant must go too (below).
    const sessionGone = ended.has(d.sessionId);
    if (active.chart && !sessionGone) {
      lastPath.set(d.sessionId, new URL(active.chart).pathname);
      deps.navigate(d.sessionId, active.chart);
    }
    publish();
    await append({
      type: 'breakglass.start',
      outcome: 'success',
      actor: { userId: d.userId },
      details: {
        grantId: grant.id,
        ehr: adapter.origin,
        scope: scope.kind,
        ...(scope.kind === 'patient' ? { patient: scope.patient } : {}),
        reasonCode: form.reasonCode,
        reasonText: form.reasonText,
        attested: true,
        stepUp: d.stepUp ?? 'idp',
        durationMin: form.durationMinutes,
        expiresAt: grant.expiresAt,
        episodesIn30Days: d.episodes,
        ...(d.cosign?.candidate && d.cosign.verified ? { cosignedBy: d.cosign.candidate.userId } : {}),
      },
    });
    if (sessionGone) await end(d.sessionId, 'session-end', false);
  }

  function arm(g: ActiveGrant): void {
    g.timers.push(
      ...armGrantTimers(clock, g.expiresAtMs, {
        warn: (minutes) => {
          g.warning = `Break-glass access ends in ${minutes} minutes.`;
          publish();
        },
        expire: () => void end(g.sessionId, 'expiry', true),
      }),
    );
  }

  /**
   * Ends a session's grant: off this workstation's books at once, then ended on the EHR's server (which refuses
   * the chart from then on), then the EHR view reloads so the chart leaves the screen.
   */
  async function end(sessionId: string, endedBy: EndedBy, reload: boolean): Promise<void> {
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
        refused: (error) => error instanceof BreakGlassRefused,
        freshToken: () => deps.accessToken(g.userId),
      });
    } catch (error) {
      deps.log.warn(
        `break-glass: the EHR did not confirm the end of grant ${g.id} (its own expiry still holds): ${messageOf(error)}`,
      );
    }
    if (reload && endedBy !== 'extended') {
      const back = g.chart ?? deps.ehrUrl;
      lastPath.set(sessionId, new URL(back).pathname);
      deps.navigate(sessionId, back);
    }
    await append({
      type: 'breakglass.stop',
      outcome: 'success',
      actor: { userId: g.userId },
      details: {
        grantId: g.id,
        ehr: adapter.origin,
        scope: g.scope.kind,
        ...(g.scope.kind === 'patient' ? { patient: g.scope.patient } : {}),
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

  function validate(d: Dialog, form: ConfirmRequest): string | undefined {
    if (!policy.reasons.some((r) => r.code === form.reasonCode)) return 'Pick one of the listed reasons.';
    if (!policy.scopes.includes(form.scope)) return 'That scope is not allowed on this workstation.';
    if (form.scope === 'patient' && !/^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(form.patient ?? ''))
      return 'Name the patient as Patient/<id>.';
    if (d.patient && form.scope === 'patient' && form.patient !== d.patient)
      return 'The patient must be the one whose chart was refused.';
    const grant = grants.get(d.sessionId);
    const max = grant ? minutesLeftInEpisode(grant) : policy.maxMinutes;
    if (form.durationMinutes < MIN_MINUTES || form.durationMinutes > max)
      return `Choose between ${MIN_MINUTES} and ${max} minutes.`;
    return undefined;
  }

  const unsubscribers = [
    deps.session.onLifecycle((event) => {
      if (event.kind === 'shown') {
        const on = { sessionId: event.sessionId, userId: event.userId, offered: false };
        shown = on;
        void mayBreakGlass(event.userId).then((offered) => {
          if (shown !== on) return;
          on.offered = offered;
          publish();
        });
      } else if (shown?.sessionId === event.sessionId) {
        shown = undefined;
      }
      // A dialog names a patient: it never stays open behind a lock.
      if (event.kind !== 'shown' && dialog?.sessionId === event.sessionId && !dialog.busy) dialog = undefined;
      if (event.kind === 'terminated') {
        ended.add(event.sessionId);
        lastPath.delete(event.sessionId);
        void end(event.sessionId, event.signedOut ? 'sign-out' : event.revoked ? 'revoked' : 'session-end', false);
      }
      publish();
    }),
    deps.session.onStepUp((outcome) => {
      const d = dialog;
      if (outcome.action !== 'break-glass' || !d?.confirmed || d.sessionId !== outcome.sessionId) return;
      const form = d.confirmed;
      delete d.confirmed;
      if (!outcome.ok) {
        d.error = 'It was not confirmed that it is you: nothing was granted.';
        publish();
        return;
      }
      d.busy = true;
      if (outcome.method) d.stepUp = outcome.method;
      publish();
      activate(d, form)
        .catch((error: unknown) => {
          d.busy = false;
          d.error = error instanceof BreakGlassRefused ? `The EHR refused: ${error.message}` : messageOf(error);
          void append({
            type: 'breakglass.start',
            outcome: 'failure',
            actor: { userId: d.userId },
            reason: d.error,
            details: { ehr: adapter.origin, reasonCode: form.reasonCode, scope: form.scope },
          });
        })
        .finally(publish);
    }),
  ];

  return {
    state,
    overlay: () => ({
      dialog: !!dialog && dialog.sessionId === shown?.sessionId,
      banner: !!shown && grants.has(shown.sessionId),
    }),
    open: () => openDialog({}),
    takesBadge: () => !!dialog && dialog.sessionId === shown?.sessionId && !!dialog.cosign && !dialog.cosign.verified,
    async cosignBadge(badgeHash) {
      const d = dialog;
      if (!d?.cosign || d.cosign.verified) return;
      const who = await deps.resolveBadge(badgeHash).catch(() => undefined);
      if (!who) d.cosign.error = 'This badge is not enrolled here: the co-signer must be enrolled at this workstation.';
      else if (who.userId === d.userId) d.cosign.error = 'A co-signer must be another clinician, not you.';
      else if (!who.roles.some((r) => policy.frequency.cosignRoles.includes(r)))
        d.cosign.error = `${who.displayName} may not co-sign break-glass.`;
      else d.cosign = { candidate: { userId: who.userId, displayName: who.displayName }, verified: false };
      publish();
    },
    async cosignPin(pin) {
      const cosign = dialog?.cosign;
      if (!cosign?.candidate || cosign.verified) return { ok: false, message: 'The co-signer taps their badge first.' };
      const checked = await deps.verifyPin(cosign.candidate.userId, pin);
      if (checked.ok) {
        cosign.verified = true;
        delete cosign.error;
      } else cosign.error = 'Wrong PIN, or the PIN cannot be used now: try again, or ask another colleague.';
      publish();
      return checked.ok ? { ok: true } : { ok: false, message: cosign.error ?? '' };
    },
    async openLink(href) {
      let link;
      try {
        link = parseBreakGlassLink(href);
      } catch (error) {
        return { ok: false, message: `Not a break-glass link: ${messageOf(error)}` };
      }
      // The link is a request from a web page: only the EHR this workstation embeds may ask.
      if (link.ehr !== ehrOrigin || link.ehr !== adapter.origin)
        return { ok: false, message: `Break-glass links are accepted only from ${ehrOrigin}.` };
      return openDialog({ patient: link.patient, restrictions: link.restrictions, chart: link.chart });
    },
    async confirm(form) {
      const d = dialog;
      if (!d || d.sessionId !== shown?.sessionId) return { ok: false, message: 'No break-glass dialog is open.' };
      if (d.busy || d.confirmed) return { ok: false, message: 'The request is already on its way.' };
      if (d.cosign && !d.cosign.verified)
        return { ok: false, message: 'A second clinician must co-sign first: badge, then PIN.' };
      const wrong = validate(d, form);
      if (wrong) return { ok: false, message: wrong };
      delete d.error;
      d.confirmed = form;
      d.token = deps.accessToken(d.userId).catch(() => undefined);
      publish();
      await deps.session.handle({ type: 'step-up-request', action: 'break-glass' });
      return { ok: true };
    },
    cancel() {
      if (dialog?.busy) return { ok: false, message: 'The request is already on its way.' };
      dialog = undefined;
      publish();
      return { ok: true };
    },
    async extend() {
      const grant = shown ? grants.get(shown.sessionId) : undefined;
      if (!grant) return { ok: false, message: 'No break-glass access is active.' };
      if (minutesLeftInEpisode(grant) < MIN_MINUTES)
        return { ok: false, message: `Break-glass access cannot run longer than ${policy.maxMinutes} minutes.` };
      return openDialog({
        extending: true,
        ...(grant.scope.kind === 'patient' ? { patient: grant.scope.patient } : {}),
        ...(grant.chart ? { chart: grant.chart } : {}),
      });
    },
    async endNow() {
      if (!shown || !grants.has(shown.sessionId)) return { ok: false, message: 'No break-glass access is active.' };
      await end(shown.sessionId, 'end-now', true);
      return { ok: true };
    },
    returnPath: (sessionId) => lastPath.get(sessionId) ?? '/',
    async dispose() {
      for (const off of unsubscribers.splice(0)) off();
      await Promise.all([...grants.keys()].map((id) => end(id, 'session-end', false)));
    },
  };
}
