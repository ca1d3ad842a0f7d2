import type { NoticeId, NoticeParams } from '../../common/notice-ids.js';
import type { AuditEvent } from '../audit/audit-event.js';
import type { SessionPolicy } from '../policy/session-settings.js';
import type { PolicyProblem } from '../policy/policy-problem.js';
import type { OsEvent } from './session-input.js';
import type {
  AdmissionRefusal,
  DirectoryUser,
  EnrollmentCompleted,
  EnrollmentPurpose,
  EnrollmentSignedIn,
  PinResult,
  StepUpAction,
  StepUpCheck,
  StepUpMethod,
  StepUpProof,
} from './ports.js';

/**
 * The engine's single source of truth, as plain immutable data: a typed reducer over it (engine/decide.ts)
 * is easier to property-test and cheaper per event than an interpreted statechart
 * (docs/design.md#session-semantics).
 *
 * Foreground states: none (no-user lock screen) -> active -> warning (idle countdown) -> locked (session kept,
 * grace running); re-verification is `pending` on top of a locked or empty foreground; terminated sessions
 * leave the state entirely (their id is announced once so the shell clears the browser partition).
 */

/** Policy in engine units (milliseconds). */
export interface SessionRules {
  profile: string;
  idleMs: number;
  warningMs: number;
  graceMs: number;
  lifetimeMs: number;
  signIn: SessionPolicy['signIn'];
  withoutBadge: SessionPolicy['withoutBadge'];
  reverify: SessionPolicy['reverifyInGrace'];
  sameUserTap: SessionPolicy['tapOut']['sameUser'];
  ignoreTapWithinMs: number;
  otherUserTap: SessionPolicy['tapOut']['otherUser'];
  previousSession: SessionPolicy['switching']['previousSession'];
  maxSuspended: number;
  whenFull: SessionPolicy['switching']['whenFull'];
  display: SessionPolicy['display'];
}

export function rulesFromPolicy(policy: SessionPolicy): SessionRules {
  return {
    profile: policy.profile,
    idleMs: policy.idleTimeoutSeconds * 1000,
    warningMs: policy.warningSeconds * 1000,
    graceMs: policy.graceMinutes * 60_000,
    lifetimeMs: policy.absoluteLifetimeHours * 3_600_000,
    signIn: policy.signIn,
    withoutBadge: policy.withoutBadge,
    reverify: policy.reverifyInGrace,
    sameUserTap: policy.tapOut.sameUser,
    ignoreTapWithinMs: policy.tapOut.ignoreWithinSeconds * 1000,
    otherUserTap: policy.tapOut.otherUser,
    previousSession: policy.switching.previousSession,
    maxSuspended: policy.switching.maxSuspended,
    whenFull: policy.switching.whenFull,
    display: policy.display,
  };
}

export interface KeptSession {
  readonly id: string;
  readonly user: DirectoryUser;
  readonly badgeHash?: string;
  readonly startedMs: number;
  /** Last full verification of the session; the absolute lifetime counts from here. */
  readonly lifetimeStartMs: number;
  /** Set while locked or suspended: grace counts from here. */
  readonly lockedAtMs?: number;
}

export type Foreground =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'active';
      readonly session: KeptSession;
      readonly lastActivityMs: number;
      readonly unlockedAtMs: number;
    }
  | {
      readonly kind: 'warning';
      readonly session: KeptSession;
      readonly lastActivityMs: number;
      readonly unlockedAtMs: number;
      readonly warningEndsMs: number;
    }
  | { readonly kind: 'locked'; readonly session: KeptSession };

/** What a successful verification grants. */
export type GrantTarget =
  { readonly type: 'new'; readonly sessionId: string } | { readonly type: 'resume'; readonly sessionId: string };

/** A full sign-in that renews the identity provider's tokens of a session already on screen. */
export type TokenRenewal = { readonly type: 'tokens'; readonly sessionId: string };

export type Pending =
  | {
      readonly kind: 'pin';
      readonly token: number;
      readonly user: DirectoryUser;
      readonly badgeHash?: string;
      readonly target: GrantTarget;
      readonly attemptsLeft?: number;
    }
  | {
      readonly kind: 'full-sign-in';
      readonly token: number;
      readonly expectedUserId?: string;
      readonly badgeHash?: string;
      readonly target: GrantTarget | TokenRenewal;
      readonly reason: string;
    }
  | {
      /** A high-risk action asked the signed-in user to prove it is still them (on top of their session). */
      readonly kind: 'step-up';
      readonly token: number;
      readonly action: StepUpAction;
      readonly sessionId: string;
      readonly user: DirectoryUser;
      /** The proofs policy accepts from this user for this action. */
      readonly methods: readonly StepUpMethod[];
      /** Set while a proof is being checked. */
      readonly proving?: StepUpMethod;
    }
  | {
      /** Enrollment of an unknown badge, or a PIN reset: full sign-in, then the clinician chooses a PIN. */
      readonly kind: 'enroll';
      readonly token: number;
      readonly purpose: EnrollmentPurpose;
      readonly step: 'sign-in' | 'choose-pin';
      readonly badgeHash?: string;
      /** PIN reset: the account whose PIN is being replaced (the sign-in must be that account). */
      readonly expectedUser?: DirectoryUser;
      readonly target: GrantTarget;
      /** The whole enrollment is time-limited; the deadline restarts once the sign-in succeeded. */
      readonly expiresAtMs: number;
      /** Set once the sign-in succeeded: who is enrolling, and the identity layer's handle on it. */
      readonly user?: DirectoryUser;
      readonly pendingId?: string;
    };

/** A message id and its parameters: the renderer words it (common/notice-ids.ts). */
export interface Notice {
  readonly level: 'info' | 'warning' | 'error';
  readonly id: NoticeId;
  readonly params?: NoticeParams;
}

export interface EngineState {
  readonly rules: SessionRules;
  readonly fg: Foreground;
  /** Other users' kept sessions, oldest first; each keeps its own grace from when it was locked. */
  readonly suspended: readonly KeptSession[];
  readonly pending?: Pending;
  /** Users who must complete a full sign-in before any badge or PIN is accepted (lifetime, lockout, revoke). */
  readonly needsFullSignIn: readonly string[];
  readonly policyProblems?: readonly PolicyProblem[];
  readonly notice?: Notice;
  /** Source of verification tokens: a stale PIN or sign-in result never applies to a newer prompt. */
  readonly seq: number;
  /**
   * How long an enrollment or PIN reset may take (the identity layer keeps a signed-in enrollment as long);
   * absent where this workstation cannot enroll, and an unknown badge is then only refused.
   */
  readonly enrollmentTtlMs?: number;
}

export function initialState(policy: SessionPolicy, enrollmentTtlMs?: number): EngineState {
  const base: EngineState = {
    rules: rulesFromPolicy(policy),
    fg: { kind: 'none' },
    suspended: [],
    needsFullSignIn: [],
    seq: 1,
  };
  return enrollmentTtlMs === undefined ? base : { ...base, enrollmentTtlMs };
}

/** Inputs after the service resolved their asynchronous part (badge lookup, PIN check, sign-in). */
export type EngineEvent =
  | {
      type: 'tap';
      badgeHash: string;
      readerId: string;
      user?: DirectoryUser;
      lookupError?: string;
      newSessionId: string;
    }
  | { type: 'removed'; badgeHash: string; readerId: string }
  /** userId and targetSessionId name the prompt the PIN was checked for. */
  | { type: 'pin-result'; token: number; userId: string; targetSessionId: string; result: PinResult }
  | { type: 'pin-refused' }
  | { type: 'pin-cancel' }
  | { type: 'pin-forgot' }
  | { type: 'sign-in-cancel' }
  /** The lock screen's "Sign in with your password"; readerReady: whether any badge reader works right now. */
  | { type: 'password-sign-in'; readerReady: boolean; newSessionId: string }
  | { type: 'activity'; source: 'renderer' | 'os' }
  | { type: 'os'; event: OsEvent }
  | { type: 'lock-now' }
  | { type: 'admin-revoke'; userId?: string; reason: string }
  | { type: 'policy-change'; policy: SessionPolicy }
  | { type: 'policy-invalid'; problems: readonly PolicyProblem[] }
  /** methods: what the identity layer accepts from userId (the user on screen when the request was made). */
  | { type: 'step-up-request'; action: StepUpAction; userId: string; methods: readonly StepUpMethod[] }
  | { type: 'step-up-prove'; proof: StepUpProof }
  | { type: 'step-up-result'; token: number; method: StepUpMethod; result: StepUpCheck }
  /** The PinService refused the PIN offered as a step-up proof (wrong, too soon, locked, unusable, uncheckable). */
  | { type: 'step-up-pin-refused'; token: number; result: Exclude<PinResult, { ok: true }> }
  | { type: 'step-up-cancel' }
  | {
      type: 'full-sign-in-result';
      token: number;
      outcome: { ok: true; user: DirectoryUser } | { ok: false; message: string };
    }
  | { type: 'enroll-signed-in'; token: number; outcome: EnrollmentSignedIn }
  | { type: 'enroll-completed'; token: number; outcome: EnrollmentCompleted }
  | { type: 'enroll-cancel' }
  /**
   * A verified person may not come in right now (temporary staff after expiry or outside their shift): instead of
   * the tap, PIN, sign-in or enrollment result; token names the prompt it answers, if any.
   */
  | { type: 'admission-refused'; userId?: string; token?: number; refusal: AdmissionRefusal }
  /** The identity provider wants the user of a shown session to sign in again (refresh token expired or revoked). */
  | { type: 'tokens-refused'; userId: string; sessionId: string; message: string; grantRefused?: boolean }
  /** A deadline timer fired (the deadlines themselves are applied before every event). */
  | { type: 'tick' }
  | { type: 'grant-failed'; message: string }
  /** The state changed while a grant was being made durable and the same access no longer applies. */
  | { type: 'grant-interrupted'; grant: AuditDraft }
  | { type: 'audit-failed'; message: string };

/** One kind of engine event, by its type. */
export type EngineEventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

/** An audit event before the service stamps time and workstation on it. */
export type AuditDraft = Omit<AuditEvent, 'at' | 'workstation'>;

export interface LifecycleEvent {
  kind: 'shown' | 'hidden' | 'terminated';
  sessionId: string;
  /** Whose session: the composition wipes that user's tokens when policy ends it. */
  userId: string;
  /** terminated: the user signed out (tap-out by policy), rather than policy or time ending the session. */
  signedOut?: boolean;
  /** terminated: an administrator revoked the account. */
  revoked?: boolean;
}

export interface FullSignInRequest {
  token: number;
  reason: string;
  expectedUserId?: string;
}

/** Asks the identity layer to start an enrollment's full sign-in. */
export type EnrollmentRequest = { token: number } & (
  { purpose: 'enroll'; badgeHash: string } | { purpose: 'pin-reset'; userId: string }
);

export interface StepUpOutcome {
  action: StepUpAction;
  userId: string;
  /** The session it was done in: a consumer acts only while that session is on screen. */
  sessionId: string;
  ok: boolean;
  /** How it was proved, when it was. */
  method?: StepUpMethod;
}

/** Asks the identity layer to check one step-up proof. */
export interface StepUpProofRequest {
  token: number;
  userId: string;
  action: StepUpAction;
  proof: StepUpProof;
}

/** Removals that happen before a grant in the same decision (e.g. A's lock when B taps): shown at once. */
export interface PreGrant {
  readonly state: EngineState;
  readonly audits: readonly AuditDraft[];
  readonly lifecycle: readonly LifecycleEvent[];
}

export interface Decision {
  readonly state: EngineState;
  /** Present when something was removed before the grant: publish and audit it without waiting. */
  readonly preGrant?: PreGrant;
  /** The one record that grants access; when present the new state is shown only after it is durable. */
  readonly grant?: AuditDraft;
  /** Removal and information records: appended after the new state is shown. */
  readonly audits: readonly AuditDraft[];
  readonly lifecycle: readonly LifecycleEvent[];
  readonly requests: readonly FullSignInRequest[];
  readonly enrollments: readonly EnrollmentRequest[];
  /** Signed-in enrollments that will not complete (cancelled, expired, interrupted): the identity layer drops them. */
  readonly releasedEnrollments: readonly string[];
  readonly stepUps: readonly StepUpOutcome[];
  readonly stepUpProofs: readonly StepUpProofRequest[];
}
