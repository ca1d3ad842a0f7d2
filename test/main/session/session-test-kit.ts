import { ManualClock } from '../../../common/manual-clock.js';
import type { Random } from '../../../common/random.js';
import type { AuditEvent, AuditSink } from '../../../main/audit/audit-event.js';
import { MemoryAuditSink } from '../../../main/audit/memory-audit-sink.js';
import { createBadgeHasher } from '../../../main/identity/badge-hasher.js';
import {
  applySessionOverrides,
  SESSION_DEFAULTS,
  type SessionOverride,
  type SessionPolicy,
} from '../../../main/policy/session-settings.js';
import type {
  Authenticator,
  DirectoryUser,
  Enrollment,
  EnrollmentCompleted,
  EnrollmentSignedIn,
  PinResult,
  PinService,
  StepUp,
  StepUpAction,
  StepUpCheck,
  StepUpMethod,
  StepUpPolicyProof,
  UserDirectory,
} from '../../../main/session/ports.js';
import { createSessionService, type SessionService } from '../../../main/session/session-service.js';
import type { SessionView } from '../../../preload/contract.js';

/** Test doubles for the session service: a fake clock, an in-memory directory, scripted PINs and sign-ins. */
export const USERS = {
  alice: { userId: 'u-alice', displayName: 'Alice Nurse', roles: ['nurse'] },
  bob: { userId: 'u-bob', displayName: 'Bob Doctor', roles: ['physician'] },
  carol: { userId: 'u-carol', displayName: 'Carol Resident', roles: ['physician'] },
  dave: { userId: 'u-dave', displayName: 'Dave Tech', roles: ['tech'] },
} satisfies Record<string, DirectoryUser>;
export type UserKey = keyof typeof USERS;
export const BADGES: Record<UserKey, string> = {
  alice: 'H10301:12:1001',
  bob: 'H10301:12:1002',
  carol: 'H10301:12:1003',
  dave: 'H10301:12:1004',
};
export const UNKNOWN_BADGE = 'H10301:12:9999';
export const PINS: Record<string, string> = { 'u-alice': '1111', 'u-bob': '2222', 'u-carol': '3333', 'u-dave': '4444' };

/** The product's keyed hash with a fixed test key, so tests can check that raw ids never leak. */
export const fakeHash = createBadgeHasher(new Uint8Array(32).fill(7));

export class FakePins implements PinService {
  readonly failures = new Map<string, number>();
  /** Users whose PIN record cannot be used (never set, or damaged). */
  readonly unusable = new Set<string>();
  /** Makes verify throw, as a store that cannot be read would. */
  broken = false;
  /** Backoff the identity layer would impose after each wrong PIN (0: none). */
  backoffMs = 0;
  /** Holds every answer until the test releases it, as a slow argon2 check would. */
  hold = false;
  private held: (() => void)[] = [];
  constructor(readonly maxAttempts = 3) {}
  async verify(userId: string, pin: string): Promise<PinResult> {
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.broken) throw new Error('PIN store unreadable');
    if (this.unusable.has(userId))
      return { ok: false, reason: 'needs-reset', message: 'No PIN is set for this account' };
    const failed = this.failures.get(userId) ?? 0;
    if (failed >= this.maxAttempts) return { ok: false, reason: 'locked-out', newly: false };
    if (PINS[userId] === pin) {
      this.failures.set(userId, 0);
      return { ok: true };
    }
    this.failures.set(userId, failed + 1);
    if (failed + 1 >= this.maxAttempts) return { ok: false, reason: 'locked-out', newly: true };
    return { ok: false, reason: 'wrong', attemptsLeft: this.maxAttempts - failed - 1, retryInMs: this.backoffMs };
  }
  /** Lets held answers through, oldest first. */
  release(): void {
    this.hold = false;
    for (const resolve of this.held.splice(0)) resolve();
  }
  /** Lets only the oldest held answer through; false when none is held. */
  releaseOldest(): boolean {
    const resolve = this.held.shift();
    resolve?.();
    return resolve !== undefined;
  }
}

export class FakeAuthenticator implements Authenticator {
  readonly requests: { reason: string; expectedUserId?: string }[] = [];
  /** The abort signal of each sign-in, in order: the engine aborts one it no longer waits for. */
  readonly signals: AbortSignal[] = [];
  /** Who signs in next; undefined fails the sign-in. */
  nextUser: DirectoryUser | undefined;
  /** Holds sign-ins open until they are aborted, as a sign-in window nobody finishes would. */
  hold = false;
  constructor(private readonly pins?: FakePins) {}
  async fullSignIn({ signal, ...request }: { reason: string; expectedUserId?: string; signal: AbortSignal }) {
    this.requests.push(request);
    this.signals.push(signal);
    if (this.hold) {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      return { ok: false as const, message: 'The sign-in was stopped at the workstation.' };
    }
    const user = this.nextUser ?? Object.values(USERS).find((u) => u.userId === request.expectedUserId);
    if (!user) return { ok: false as const, message: 'the identity provider refused the sign-in' };
    this.pins?.failures.set(user.userId, 0); // a full sign-in clears the PIN lockout
    return { ok: true as const, user };
  }
}

/**
 * The identity layer's enrollment as the engine sees it: sign-ins wait until the test finishes them, a trivial
 * PIN is refused (and may be retried), and a badge can be made "taken" by someone else meanwhile.
 */
export class FakeEnrollment implements Enrollment {
  readonly ttlMs = 60_000;
  readonly begun: Parameters<Enrollment['begin']>[0][] = [];
  readonly completed: Parameters<Enrollment['complete']>[0][] = [];
  readonly cancelled: string[] = [];
  /** Set to refuse the binding at completion, as when another workstation enrolled the badge first. */
  badgeTakenBy: string | undefined;
  private waiting: ((outcome: EnrollmentSignedIn) => void)[] = [];
  private next = 1;

  /** The abort signal of each begun sign-in, in order. */
  readonly signals: AbortSignal[] = [];
  /** false: a sign-in finishes even after it was abandoned (it completed just as the workstation gave up on it). */
  endOnAbort = true;

  begin(request: Parameters<Enrollment['begin']>[0], signal: AbortSignal): Promise<EnrollmentSignedIn> {
    this.begun.push(request);
    this.signals.push(signal);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      // An aborted sign-in ends, as the identity layer's does when its window is closed for it.
      if (this.endOnAbort)
        signal.addEventListener(
          'abort',
          () => resolve({ ok: false, message: 'The sign-in was stopped at the workstation.' }),
          { once: true },
        );
    });
  }

  /** Finishes the oldest sign-in still open, as `user`, or refused with a message. */
  async finishSignIn(as: DirectoryUser | { refused: string }): Promise<string | undefined> {
    const resolve = this.waiting.shift();
    if (!resolve) throw new Error('no sign-in is open');
    const pendingId = 'refused' in as ? undefined : `pending-${this.next++}`;
    resolve('refused' in as ? { ok: false, message: as.refused } : { ok: true, pendingId: pendingId!, user: as });
    await flush();
    return pendingId;
  }

  async complete(request: Parameters<Enrollment['complete']>[0]): Promise<EnrollmentCompleted> {
    this.completed.push(request);
    if (/^(\d)\1+$|^1234/.test(request.pin))
      return { ok: false, retry: true, message: 'That PIN is too easy to guess. Choose another.' };
    if (this.badgeTakenBy)
      return {
        ok: false,
        retry: false,
        message: `This badge is already enrolled for ${this.badgeTakenBy}; ask IT to unenroll it first.`,
      };
    return { ok: true };
  }

  async cancel(pendingId: string): Promise<void> {
    this.cancelled.push(pendingId);
  }
}

/** Step-up as the identity layer answers it: policy methods per test, a provider sign-in that passes unless told, one good code. */
export class FakeStepUp implements StepUp {
  static readonly GOOD_CODE = '246810';
  methods: StepUpMethod[] = ['idp'];
  /** Set to make the provider proof fail with this message. */
  idpFails: string | undefined;
  /** What the policy check says about a PIN the PinService accepted (a role the action is not allowed for). */
  pinRefused: string | undefined;
  readonly proofs: { userId: string; action: StepUpAction; proof: StepUpPolicyProof }[] = [];
  hold = false;
  private held: (() => void)[] = [];
  async methodsFor(): Promise<StepUpMethod[]> {
    return [...this.methods];
  }
  readonly signals: AbortSignal[] = [];
  async prove(
    userId: string,
    action: StepUpAction,
    proof: StepUpPolicyProof,
    signal: AbortSignal,
  ): Promise<StepUpCheck> {
    this.proofs.push({ userId, action, proof });
    this.signals.push(signal);
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    if (proof.method === 'idp')
      return this.idpFails ? { ok: false, retry: false, message: this.idpFails } : { ok: true };
    if (proof.method === 'pin')
      return this.pinRefused ? { ok: false, retry: false, message: this.pinRefused } : { ok: true };
    return proof.code === FakeStepUp.GOOD_CODE
      ? { ok: true }
      : { ok: false, retry: true, message: 'That code is wrong.' };
  }
  release(): void {
    this.hold = false;
    for (const resolve of this.held.splice(0)) resolve();
  }
}

/** Records every append and holds the ones `holds` picks until release(), as a slow journal disk would. */
export class GatedAuditSink implements AuditSink {
  readonly events: AuditEvent[] = [];
  private held: (() => void)[] = [];
  constructor(private readonly holds: (event: AuditEvent) => boolean) {}
  append(event: AuditEvent): Promise<void> {
    this.events.push(event);
    return this.holds(event) ? new Promise((resolve) => this.held.push(resolve)) : Promise.resolve();
  }
  /** Lets the most recently held append through. */
  release(): void {
    this.held.pop()?.();
  }
}

export class FlakyAuditSink implements AuditSink {
  readonly events: AuditEvent[] = [];
  failing = false;
  async append(event: AuditEvent): Promise<void> {
    if (this.failing) throw new Error('journal disk full');
    this.events.push(event);
  }
}

export function counterRandom(): Random {
  let n = 0;
  return { uuid: () => `session-${++n}`, bytes: (len) => new Uint8Array(len) };
}

export function testPolicy(override: SessionOverride = {}, profile = 'test'): SessionPolicy {
  return { ...applySessionOverrides(SESSION_DEFAULTS, override), profile };
}

/** audit: the sink the rig's service appends to (a MemoryAuditSink unless the test gave its own). */
export interface Rig<Audit extends AuditSink = MemoryAuditSink> {
  clock: ManualClock;
  audit: Audit;
  pins: FakePins;
  auth: FakeAuthenticator;
  enrollment: FakeEnrollment;
  stepUp: FakeStepUp;
  service: SessionService;
  views: SessionView[];
  lifecycle: { kind: string; sessionId: string }[];
  tap(user: UserKey | 'unknown', readerId?: string): Promise<void>;
  pin(pin: string): Promise<void>;
  advance(ms: number): Promise<void>;
  screen(): SessionView['screen'];
  who(): string | undefined;
}

export interface RigOptions {
  policy?: SessionOverride;
  osIdleMs?: () => number;
  /** Give the service the enrollment port (unknown badges enroll, PINs can be reset). */
  enrollment?: boolean;
}

export function makeRig(options?: RigOptions): Rig;
/** With the test's own audit sink (one that fails, holds or records appends). */
export function makeRig<Audit extends AuditSink>(options: RigOptions & { audit: Audit }): Rig<Audit>;
export function makeRig(options: RigOptions & { audit?: AuditSink } = {}): Rig<AuditSink> {
  const clock = new ManualClock();
  const audit = options.audit ?? new MemoryAuditSink();
  const pins = new FakePins();
  const auth = new FakeAuthenticator(pins);
  const enrollment = new FakeEnrollment();
  const stepUp = new FakeStepUp();
  const badgeOwners = new Map<string, DirectoryUser>(
    (Object.keys(BADGES) as UserKey[]).map((k) => [fakeHash(BADGES[k]), USERS[k]]),
  );
  const directory: UserDirectory = { resolveBadge: async (h) => badgeOwners.get(h) };
  const service = createSessionService({
    clock,
    random: counterRandom(),
    audit,
    directory,
    pins,
    authenticator: auth,
    ...(options.enrollment ? { enrollment } : {}),
    stepUp,
    hashBadge: fakeHash,
    workstation: 'ws-test-01',
    policy: testPolicy(options.policy),
    osIdleMs: options.osIdleMs,
  });
  const views: SessionView[] = [];
  const lifecycle: { kind: string; sessionId: string }[] = [];
  service.onView((v) => views.push(v));
  // Whose session is checked by the token tests (test/main/app/session-tokens.test.ts); rules tests compare kind and id.
  service.onLifecycle((e) => lifecycle.push({ kind: e.kind, sessionId: e.sessionId }));
  return {
    clock,
    audit,
    pins,
    auth,
    enrollment,
    stepUp,
    service,
    views,
    lifecycle,
    tap: (user, readerId = 'reader-1') =>
      service.handle({ type: 'badge-tap', badgeId: user === 'unknown' ? UNKNOWN_BADGE : BADGES[user], readerId }),
    pin: (pin) => service.handle({ type: 'pin', pin }),
    async advance(ms) {
      clock.advance(ms);
      await flush();
    },
    screen: () => service.view().screen,
    who: () => service.view().user?.displayName,
  };
}

/** Lets promise chains started by timers settle (fakes resolve immediately). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
}
