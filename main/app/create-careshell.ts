import type { Clock } from '../../common/clock.js';
import { messageOf } from '../../common/errors.js';
import type { Random } from '../../common/random.js';
import type { BadgeReaderListener } from '../../native/badge-reader.js';
import type { EventChannel, EventPayload, InvokeResponse, ReaderStatus } from '../../preload/contract.js';
import type { AuditEvent, AuditSink } from '../audit/audit-event.js';
import { ContractServer, type ContractLog } from '../contract/contract-server.js';
import { reviewHandlers } from '../contract/review-handlers.js';
import { sessionHandlers } from '../contract/session-handlers.js';
import type { BadgeHasher } from '../identity/badge-hasher.js';
import { IdentityAudit } from '../identity/identity-audit.js';
import type { TotpAuthenticator } from '../identity/step-up/totp-authenticator.js';
import { createSessionService, type SessionService } from '../session/session-service.js';
import type { Authenticator, Enrollment, PinService, StepUp, UserDirectory } from '../session/ports.js';
import type { SessionPolicy } from '../policy/session-settings.js';
import { preferenceService, type PreferenceService } from '../preferences/preference-service.js';
import { memoryPreferenceStore } from '../preferences/preference-store.js';
import type { ReviewService } from '../review/review-service.js';
import { breakGlassHandlers } from '../break-glass/break-glass-handlers.js';
import { createBreakGlass, type BreakGlass, type BreakGlassDeps } from '../break-glass/break-glass-service.js';
import { justInTimeHandlers } from '../just-in-time/just-in-time-handlers.js';
import { createJustInTime, type JustInTime, type JustInTimeDeps } from '../just-in-time/just-in-time-service.js';
import type { Sponsorship } from '../temporary-access/sponsorship.js';
import type { TemporaryAccess } from '../temporary-access/temporary-access-service.js';
import { temporaryAccessHandlers } from '../temporary-access/temporary-access-handlers.js';
import { authenticatorSetup, type AuthenticatorSetupFlow } from './authenticator-setup.js';
import { followSessionTokens, type SessionTokens } from './session-tokens.js';

/** Where badge events come from: the reader manager in production, a simulated reader in the demo. */
export interface ReaderSource {
  onEvent(listener: BadgeReaderListener): () => void;
  status(): ReaderStatus;
  onStatus(listener: (status: ReaderStatus) => void): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface CareShellEnvironment {
  clock: Clock;
  random: Random;
  workstation: string;
  policy: SessionPolicy;
  audit: AuditSink;
  directory: UserDirectory;
  pins: PinService;
  authenticator: Authenticator;
  /** Enrollment of unknown badges and PIN reset (full sign-in, then a chosen PIN). */
  enrollment: Enrollment;
  /** Silent tokens when a session is shown, wiped when policy ends it. */
  tokens: SessionTokens;
  /** Fresh proof of identity before high-risk actions (identity's StepUpService). */
  stepUp: StepUp;
  /** Authenticator apps for step-up, set up after a fresh sign-in. */
  totp: Pick<TotpAuthenticator, 'beginEnrollment' | 'confirmEnrollment'>;
  /** How an account is named in an authenticator app (its sign-in name when known). */
  accountLabel(userId: string): Promise<string>;
  hashBadge: BadgeHasher;
  /** Temporary staff: the sponsor step of their enrollment and the expiry and shift windows let in (docs/temporary-access.md). */
  temporary?: { access: TemporaryAccess; sponsorship: Sponsorship };
  readers: ReaderSource;
  /** The workstation's user preferences; without it they live in memory only (tests, benchmarks). */
  preferences?: PreferenceService;
  /** OS-wide idle time (Electron's powerMonitor); absent in the harness. */
  osIdleMs?: () => number;
  /** Brings the waiting sign-in page to the front (the host's showSignIn); absent in tests and benchmarks. */
  showSignIn?: () => InvokeResponse<'session:show-sign-in'>;
  log: ContractLog & { info(message: string): void };
  /** The break-glass review queue, when policy configures a review source (audit.review). */
  review?: { service: ReviewService; reviewerRole: string };
  /** Break-glass on the policy's EHR; absent without an `ehr` section (nothing is offered then). */
  breakGlass?: Omit<
    BreakGlassDeps,
    'clock' | 'audit' | 'workstation' | 'session' | 'publish' | 'log' | 'resolveBadge' | 'verifyPin'
  >;
  /** Just-in-time access on the policy's EHR; absent without `ehr` and `justInTime` sections (nothing offered). */
  justInTime?: Omit<
    JustInTimeDeps,
    'clock' | 'random' | 'audit' | 'workstation' | 'session' | 'publish' | 'log' | 'resolveBadge' | 'verifyPin'
  >;
}

export type EventListener = <C extends EventChannel>(channel: C, payload: EventPayload<C>) => void;

export interface CareShell {
  session: SessionService;
  /** Break-glass, when policy has an EHR; created by start(). */
  breakGlass(): BreakGlass | undefined;
  /** Just-in-time access, when policy has an EHR and a `justInTime` section; created by start(). */
  justInTime(): JustInTime | undefined;
  /** What the stage must make room for above the EHR: break-glass's and just-in-time's dialogs and banners. */
  overlay(): { dialog: boolean; banner: boolean };
  contract: ContractServer;
  /** Every push for the renderer, already validated against the contract. */
  subscribe(listener: EventListener): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The composition root of the main process, shared by the Electron shell and the demo harness: they
 * differ only in the environment they pass (Electron APIs and hardware vs. Node and simulations).
 */
export function createCareShell(env: CareShellEnvironment): CareShell {
  const session = createSessionService({
    clock: env.clock,
    random: env.random,
    audit: env.audit,
    directory: env.directory,
    pins: env.pins,
    authenticator: env.authenticator,
    enrollment: env.enrollment,
    stepUp: env.stepUp,
    hashBadge: env.hashBadge,
    workstation: env.workstation,
    policy: env.policy,
    ...(env.osIdleMs ? { osIdleMs: env.osIdleMs } : {}),
    ...(env.temporary ? { admission: env.temporary.access } : {}),
  });
  env.temporary?.access.attach(session);
  const listeners = new Set<EventListener>();
  const emit: EventListener = (channel, payload) => {
    const checked = ContractServer.event(channel, payload);
    for (const listener of listeners) listener(channel, checked);
  };

  const readerAudit = (event: Parameters<BadgeReaderListener>[0]): AuditEvent | undefined => {
    const base = { at: env.clock.wallTime().toISOString(), workstation: env.workstation };
    if (event.kind === 'attached')
      return {
        ...base,
        type: 'reader.attach',
        outcome: 'success',
        details: { readerId: event.readerId, description: event.description },
      };
    if (event.kind === 'detached')
      return { ...base, type: 'reader.detach', outcome: 'success', details: { readerId: event.readerId } };
    if (event.kind === 'error')
      return {
        ...base,
        type: 'reader.error',
        outcome: 'failure',
        reason: event.message,
        details: { readerId: event.readerId },
      };
    return undefined;
  };

  const unsubscribers: (() => void)[] = [];
  const preferences = env.preferences ?? preferenceService({ store: memoryPreferenceStore(), machine: () => ({}) });
  let authenticators: AuthenticatorSetupFlow | undefined;
  const review = reviewHandlers({
    session,
    ...(env.review ? { review: env.review } : {}),
    publishOpen: (open) => emit('review:screen', open),
    accessToken: async (userId) => {
      const tokens = await env.tokens.tokensForUnlock(userId);
      return tokens.ok ? tokens.identity.accessToken : undefined;
    },
  });
  let breakGlass: BreakGlass | undefined;
  let justInTime: JustInTime | undefined;
  const contract = new ContractServer(
    {
      ...sessionHandlers({
        session,
        readerStatus: () => env.readers.status(),
        authenticators: () => authenticators,
        preferences,
        ...(env.showSignIn ? { showSignIn: env.showSignIn } : {}),
      }),
      ...review.handlers,
      ...breakGlassHandlers(() => breakGlass),
      ...justInTimeHandlers(() => justInTime),
      ...temporaryAccessHandlers(env.temporary?.sponsorship),
    },
    () => session.view().screen,
    env.log,
  );

  return {
    session,
    breakGlass: () => breakGlass,
    justInTime: () => justInTime,
    overlay() {
      const a = breakGlass?.overlay() ?? { dialog: false, banner: false };
      const b = justInTime?.overlay() ?? { dialog: false, banner: false };
      return { dialog: a.dialog || b.dialog, banner: a.banner || b.banner };
    },
    contract,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      const setup = authenticatorSetup({
        session,
        totp: env.totp,
        accountLabel: env.accountLabel,
        audit: new IdentityAudit(env.audit, env.clock, env.workstation),
        publish: (offer) => emit('identity:authenticator-setup', offer),
        log: env.log,
      });
      authenticators = setup;
      if (env.breakGlass) {
        const started = createBreakGlass({
          ...env.breakGlass,
          clock: env.clock,
          audit: env.audit,
          workstation: env.workstation,
          session,
          resolveBadge: (badgeHash) => env.directory.resolveBadge(badgeHash),
          verifyPin: (userId, pin) => env.pins.verify(userId, pin),
          publish: (state) => emit('breakglass:state', state),
          log: env.log,
        });
        breakGlass = started;
      }
      if (env.justInTime) {
        justInTime = createJustInTime({
          ...env.justInTime,
          clock: env.clock,
          random: env.random,
          audit: env.audit,
          workstation: env.workstation,
          session,
          resolveBadge: (badgeHash) => env.directory.resolveBadge(badgeHash),
          verifyPin: (userId, pin) => env.pins.verify(userId, pin),
          publish: (state) => emit('jit:state', state),
          log: env.log,
        });
      }
      const temporary = env.temporary;
      if (temporary) {
        unsubscribers.push(
          temporary.sponsorship.onState((state) => emit('temporary:sponsor', state)),
          () => temporary.access.dispose(),
        );
        // Sponsorships that ended while the workstation was off are erased before anyone taps.
        await temporary.access.start();
      }
      unsubscribers.push(
        () => setup.dispose(),
        session.onView((view) => emit('session:view', view)),
        preferences.onChange((view) => emit('preferences:changed', view)),
        followSessionTokens(session, env.tokens, env.log),
        env.readers.onStatus((status) => emit('readers:status', status)),
        env.readers.onEvent((event) => {
          if (event.kind === 'tap') {
            emit('readers:badge-read', { readerId: event.readerId });
            // While the break-glass dialog waits for a co-signer, a tap is their badge, not a sign-in.
            if (breakGlass?.takesBadge()) void breakGlass.cosignBadge(env.hashBadge(event.badgeId));
            // Likewise while a just-in-time request waits for its approver.
            else if (justInTime?.takesBadge()) void justInTime.approverBadge(env.hashBadge(event.badgeId));
            // Likewise while a temporary enrollment waits for its sponsor.
            else if (env.temporary?.sponsorship.takesBadge())
              void env.temporary.sponsorship.badge(env.hashBadge(event.badgeId));
            else void session.handle({ type: 'badge-tap', badgeId: event.badgeId, readerId: event.readerId });
          } else if (event.kind === 'removed')
            void session.handle({ type: 'badge-removed', badgeId: event.badgeId, readerId: event.readerId });
          const record = readerAudit(event);
          if (record)
            env.audit
              .append(record)
              .catch((error: unknown) => env.log.warn(`audit: could not record ${record.type}: ${messageOf(error)}`));
        }),
      );
      await env.readers.start();
    },
    async stop() {
      review.dispose();
      // Grants end on the EHR's server before the session engine goes: none outlives the workstation.
      await breakGlass?.dispose();
      breakGlass = undefined;
      await justInTime?.dispose();
      justInTime = undefined;
      for (const off of unsubscribers.splice(0)) off();
      await env.readers.stop();
      session.dispose();
    },
  };
}
