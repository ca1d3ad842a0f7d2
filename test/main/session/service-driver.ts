import type { AuditEvent } from '../../../main/audit/audit-event.js';
import type { SessionPolicy } from '../../../main/policy/session-settings.js';
import type { LifecycleEvent, StepUpOutcome } from '../../../main/session/engine-state.js';
import type {
  Authenticator,
  DirectoryUser,
  Enrollment,
  EnrollmentPurpose,
  EnrollmentSignedIn,
} from '../../../main/session/ports.js';
import type { SessionInput } from '../../../main/session/session-input.js';
import { createSessionService, type SessionService } from '../../../main/session/session-service.js';
import type { SessionView } from '../../../preload/contract.js';
import { ScriptedPins, TimerClock } from './scripted-fakes.js';
import { BADGES, counterRandom, fakeHash, FakeStepUp, UNKNOWN_BADGE, USERS, type UserKey } from './session-test-kit.js';

/**
 * Drives the real session service (createSessionService) through its public inputs, with fakes for its ports
 * and a manual clock on which every deadline timer fires exactly when due. After each step, and after each
 * timer that fires, it waits until the service has settled and hands an observer what the service did
 * meanwhile: lifecycle events, audit records, step-up outcomes and the credentials the fakes accepted.
 */
export type Step =
  | { kind: 'tap'; user: UserKey | 'unknown' }
  | { kind: 'pin'; correct: boolean }
  /** The right PIN for whoever is asked, but its check answers only at a later 'late-pin' (a slow check racing other events). */
  | { kind: 'slow-pin' }
  /** The oldest slow PIN check still held answers now. */
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
  /** From now on sign-ins, enrollment sign-ins and step-up proofs at the provider succeed, or are refused. */
  | { kind: 'sign-in-outcome'; succeed: boolean }
  /** The oldest enrollment sign-in still open finishes (as the sign-in-outcome switch says). */
  | { kind: 'finish-enroll-sign-in' }
  /** The enrolling clinician chooses a PIN the PIN rules accept, or one they refuse. */
  | { kind: 'choose-pin'; accepted: boolean }
  | { kind: 'enroll-cancel' }
  /** The PIN record of whoever is asked cannot be used: the check answers needs-reset. */
  | { kind: 'pin-unusable' }
  /** The provider refuses the silent token request of the foreground session. */
  /** grantRefused: the provider refused the refresh token itself (revoked): the session ends. */
  | { kind: 'tokens-refused'; grantRefused?: boolean };

/** A credential a fake accepted: the identity layer vouched for this user. */
export interface Credential {
  kind: 'credential';
  via: 'badge' | 'pin' | 'full-sign-in' | 'enrollment';
  userId: string;
  at: number;
}

export type Happening =
  | Credential
  | { kind: 'lifecycle'; event: LifecycleEvent; at: number }
  | { kind: 'audit'; record: AuditEvent }
  | { kind: 'step-up'; outcome: StepUpOutcome; at: number };

export interface Observation {
  /** What was done: a step, or a deadline timer that fired during an 'advance' step. */
  cause: Step | { kind: 'timer' };
  /** Everything the service did meanwhile, in order. */
  happenings: readonly Happening[];
  viewBefore: SessionView;
  view: SessionView;
  /** The policy the service decided under (for a 'policy' step, the new one). */
  policy: SessionPolicy;
  /** Monotonic time once the service settled. */
  now: number;
}

const MAX_TIMERS_PER_ADVANCE = 10_000;
/** A PIN the fake PIN rules accept, and one they refuse as too easy (both valid PIN syntax). */
const ACCEPTED_PIN = '135790';
const REFUSED_PIN = '111111';

export class ServiceDriver {
  readonly service: SessionService;
  readonly clock = new TimerClock(MAX_TIMERS_PER_ADVANCE);
  /** Enrollment sign-ins the fake finished successfully, completed with a PIN, and released by the service. */
  readonly issuedEnrollments: string[] = [];
  readonly completedEnrollments: string[] = [];
  readonly releasedEnrollments: string[] = [];
  /** The pending id the service sent with each PIN choice, latest last. */
  readonly choices: string[] = [];
  private policy: SessionPolicy;
  private happenings: Happening[] = [];
  private readonly pins = new ScriptedPins((userId) => this.credential('pin', userId));
  private readonly stepUp = new FakeStepUp();
  private signInSucceeds = true;
  /** Who signs in at the provider for a sign-in that expects nobody (password sign-in without a badge). */
  private passwordUser: DirectoryUser | undefined;
  private readonly badgeOwners = new Map<string, DirectoryUser>(
    (Object.keys(BADGES) as UserKey[]).map((key) => [fakeHash(BADGES[key]), USERS[key]]),
  );
  /** Enrollment sign-ins the service began and nobody finished yet, oldest first (an abort does not end them). */
  private readonly openSignIns: {
    request: Parameters<Enrollment['begin']>[0];
    finish: (outcome: EnrollmentSignedIn) => void;
  }[] = [];
  private readonly enrolling = new Map<string, { user: DirectoryUser; purpose: EnrollmentPurpose }>();
  private nextPendingId = 1;
  /** The foreground session (shown or locked), as the lifecycle stream tells it. */
  private foreground: { sessionId: string; userId: string } | undefined;
  /** Last input the OS saw (any application); far in the past until a step adds one. */
  private lastOsInputMs = -1e12;
  private osInputAtMs: number | undefined;
  private failure: unknown;

  constructor(
    policy: SessionPolicy,
    private readonly observe: (o: Observation) => void,
    enrollmentTtlMs?: number,
  ) {
    this.policy = policy;
    const authenticator: Authenticator = {
      fullSignIn: async ({ expectedUserId }) => {
        const user =
          expectedUserId === undefined
            ? this.passwordUser
            : Object.values(USERS).find((u) => u.userId === expectedUserId);
        if (!this.signInSucceeds || !user) return { ok: false, message: 'refused' };
        this.pins.failures.delete(user.userId); // identity clears a lockout on a full sign-in
        this.credential('full-sign-in', user.userId);
        return { ok: true, user };
      },
    };
    const enrollment: Enrollment = {
      ttlMs: enrollmentTtlMs ?? 0,
      begin: (request) => new Promise((finish) => this.openSignIns.push({ request, finish })),
      complete: async ({ pendingId, pin }) => {
        this.choices.push(pendingId);
        const enrolling = this.enrolling.get(pendingId);
        if (pin !== ACCEPTED_PIN || !enrolling) return { ok: false, retry: true, message: 'too easy' };
        this.completedEnrollments.push(pendingId);
        // The unknown badge belongs to whoever enrolled it from now on.
        if (enrolling.purpose === 'enroll') this.badgeOwners.set(fakeHash(UNKNOWN_BADGE), enrolling.user);
        this.credential('enrollment', enrolling.user.userId);
        return { ok: true };
      },
      cancel: async (pendingId) => {
        this.releasedEnrollments.push(pendingId);
      },
    };
    this.service = createSessionService({
      clock: this.clock,
      random: counterRandom(),
      audit: { append: async (record) => void this.happenings.push({ kind: 'audit', record }) },
      directory: {
        resolveBadge: async (badgeHash) => {
          const user = this.badgeOwners.get(badgeHash);
          if (user) this.credential('badge', user.userId);
          return user;
        },
      },
      pins: this.pins,
      authenticator,
      ...(enrollmentTtlMs === undefined ? {} : { enrollment }),
      stepUp: this.stepUp,
      hashBadge: fakeHash,
      workstation: 'ws-prop',
      policy,
      osIdleMs: () => {
        const now = this.clock.monotonicMs();
        const osInputAt = this.osInputAtMs;
        return now - (osInputAt !== undefined && osInputAt <= now ? osInputAt : this.lastOsInputMs);
      },
    });
    this.service.onLifecycle((event) => {
      this.happenings.push({ kind: 'lifecycle', event, at: this.clock.monotonicMs() });
      if (event.kind === 'shown') this.foreground = { sessionId: event.sessionId, userId: event.userId };
      if (event.kind === 'terminated' && this.foreground?.sessionId === event.sessionId) this.foreground = undefined;
    });
    this.service.onStepUp((outcome) =>
      this.happenings.push({ kind: 'step-up', outcome, at: this.clock.monotonicMs() }),
    );
  }

  async run(steps: readonly Step[]): Promise<void> {
    for (const step of steps) await this.apply(step);
  }

  /** The pending id of the enrollment waiting for its PIN, if any: a refused PIN choice makes the service name it. */
  async openEnrollment(): Promise<string | undefined> {
    if (this.service.view().enrollment?.step !== 'choose-pin') return undefined;
    await this.input({ type: 'choose-pin', pin: REFUSED_PIN });
    return this.choices.at(-1);
  }

  private credential(via: Credential['via'], userId: string): void {
    this.happenings.push({ kind: 'credential', via, userId, at: this.clock.monotonicMs() });
  }

  private async apply(step: Step): Promise<void> {
    if (step.kind === 'advance') return this.advance(step.ms, step.osInputAfterMs);
    const viewBefore = this.service.view();
    this.happenings = [];
    this.start(step);
    const policy = this.policy;
    await this.settle();
    this.observe({
      cause: step,
      happenings: this.happenings,
      viewBefore,
      view: this.service.view(),
      policy,
      now: this.now,
    });
  }

  private get now(): number {
    return this.clock.monotonicMs();
  }

  /** Starts what a step does; the service finishes it in the background (a held PIN check or sign-in waits). */
  private start(step: Exclude<Step, { kind: 'advance' }>): void {
    switch (step.kind) {
      case 'tap':
        return this.send({
          type: 'badge-tap',
          badgeId: step.user === 'unknown' ? UNKNOWN_BADGE : BADGES[step.user],
          readerId: 'r1',
        });
      case 'pin':
        this.pins.right = step.correct;
        return this.send({ type: 'pin', pin: '000000' });
      case 'slow-pin':
        // verify is called synchronously by handle(), so the hold applies to this PIN only.
        this.pins.right = true;
        this.pins.hold = true;
        this.send({ type: 'pin', pin: '000000' });
        this.pins.hold = false;
        return;
      case 'late-pin':
        this.pins.releaseOldest();
        return;
      case 'pin-cancel':
        return this.send({ type: 'pin-cancel' });
      case 'forgot-pin':
        return this.send({ type: 'pin-forgot' });
      case 'password-sign-in':
        this.passwordUser = USERS[step.user];
        return this.send({ type: 'password-sign-in', readerReady: step.readerReady });
      case 'step-up-cancel':
        return this.send({ type: 'step-up-cancel' });
      case 'activity':
        return this.send({ type: 'activity', source: 'renderer' });
      case 'os':
        return this.send({ type: 'os', event: step.event });
      case 'lock-now':
        return this.send({ type: 'lock-now' });
      case 'removed':
        return this.send({ type: 'badge-removed', badgeId: BADGES[step.user], readerId: 'r1' });
      case 'revoke':
        return this.send({
          type: 'admin-revoke',
          ...(step.user ? { userId: USERS[step.user].userId } : {}),
          reason: 'test',
        });
      case 'step-up':
        return this.send({ type: 'step-up-request', action: 'export' });
      case 'policy':
        this.policy = step.policy;
        return this.send({ type: 'policy-change', policy: step.policy });
      case 'policy-invalid':
        return this.send({ type: 'policy-invalid', problems: [{ path: 'session.graceMinutes', message: 'bad' }] });
      case 'sign-in-outcome':
        this.signInSucceeds = step.succeed;
        this.stepUp.idpFails = step.succeed ? undefined : 'refused';
        return;
      case 'finish-enroll-sign-in':
        return this.finishEnrollmentSignIn();
      case 'choose-pin':
        return this.send({ type: 'choose-pin', pin: step.accepted ? ACCEPTED_PIN : REFUSED_PIN });
      case 'enroll-cancel':
        return this.send({ type: 'enroll-cancel' });
      case 'pin-unusable':
        for (const user of Object.values(USERS)) this.pins.unusable.add(user.userId);
        this.send({ type: 'pin', pin: '000000' });
        this.pins.unusable.clear();
        return;
      case 'tokens-refused': {
        const foreground = this.foreground;
        if (!foreground) return;
        return this.send({
          type: 'tokens-refused',
          ...foreground,
          message: 'refresh token revoked',
          ...(step.grantRefused ? { grantRefused: true } : {}),
        });
      }
    }
  }

  private finishEnrollmentSignIn(): void {
    const open = this.openSignIns.shift();
    if (!open) return;
    const { request, finish } = open;
    // A new clinician enrolls the unknown badge; a PIN reset signs in as the account being reset.
    const user =
      request.purpose === 'enroll' ? USERS.dave : Object.values(USERS).find((u) => u.userId === request.userId)!;
    if (!this.signInSucceeds) return finish({ ok: false, message: 'refused' });
    const pendingId = `p${this.nextPendingId++}`;
    this.pins.failures.delete(user.userId);
    this.issuedEnrollments.push(pendingId);
    this.enrolling.set(pendingId, { user, purpose: request.purpose });
    finish({ ok: true, pendingId, user });
  }

  /** Like ManualClock.advance, one observation per deadline timer that fires on the way. */
  private async advance(ms: number, osInputAfterMs?: number): Promise<void> {
    const target = this.now + ms;
    this.osInputAtMs = osInputAfterMs !== undefined && osInputAfterMs <= ms ? this.now + osInputAfterMs : undefined;
    for (let fired = 0; ; fired++) {
      const due = this.clock.nextDueMs();
      if (due === undefined || due > target) break;
      if (fired > MAX_TIMERS_PER_ADVANCE) throw new Error(`deadline ${due} keeps firing without progress`);
      const viewBefore = this.service.view();
      this.happenings = [];
      this.clock.advance(Math.max(0, due - this.now));
      await this.settle();
      const view = this.service.view();
      this.observe({
        cause: { kind: 'timer' },
        happenings: this.happenings,
        viewBefore,
        view,
        policy: this.policy,
        now: this.now,
      });
    }
    this.clock.advance(target - this.now);
    if (this.osInputAtMs !== undefined) this.lastOsInputMs = this.osInputAtMs;
    this.osInputAtMs = undefined;
  }

  private async input(input: SessionInput): Promise<void> {
    this.send(input);
    await this.settle();
  }

  /** Sends one input without waiting for it: it may wait for a held check until a later step releases it. */
  private send(input: SessionInput): void {
    this.service.handle(input).catch((error: unknown) => (this.failure ??= error));
  }

  /** The fakes answer through promises only, so once the event loop gets past them the service has settled. */
  private async settle(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failure !== undefined) throw this.failure;
  }
}
