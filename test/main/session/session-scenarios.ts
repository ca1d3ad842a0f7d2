import fc from 'fast-check';
import { applySessionOverrides, SESSION_DEFAULTS, type SessionPolicy } from '../../../main/policy/session-settings.js';
import type { Step } from './service-driver.js';

/** The random workstations the session properties run on: a policy, whether it can enroll, and what happens. */
export interface Scenario {
  policy: SessionPolicy;
  enrollmentTtlMs: number | undefined;
  steps: Step[];
}

const SEC = 1000;
export const MIN = 60 * SEC;

const policyArb: fc.Arbitrary<SessionPolicy> = fc
  .record({
    idleTimeoutSeconds: fc.constantFrom(30, 60, 120),
    warningSeconds: fc.constantFrom(0, 10, 20),
    graceMinutes: fc.constantFrom(0, 1, 5),
    signIn: fc.constantFrom('badge' as const, 'badge+pin' as const, 'full-sign-in' as const),
    reverifyInGrace: fc.constantFrom('badge' as const, 'badge+pin' as const, 'pin' as const),
    sameUser: fc.constantFrom('lock' as const, 'sign-out' as const, 'ignore' as const),
    ignoreWithinSeconds: fc.constantFrom(0, 3),
    otherUser: fc.constantFrom('switch' as const, 'lock' as const),
    previousSession: fc.constantFrom('suspend' as const, 'end' as const),
    withoutBadge: fc.constantFrom('never' as const, 'when-no-reader' as const, 'always' as const),
    maxSuspended: fc.constantFrom(0, 1, 2),
    whenFull: fc.constantFrom('end-oldest' as const, 'refuse' as const),
  })
  .map((r) => ({
    ...applySessionOverrides(SESSION_DEFAULTS, {
      idleTimeoutSeconds: r.idleTimeoutSeconds,
      warningSeconds: r.warningSeconds,
      graceMinutes: r.graceMinutes,
      absoluteLifetimeHours: 1,
      signIn: r.signIn,
      reverifyInGrace: r.reverifyInGrace,
      withoutBadge: r.withoutBadge,
      tapOut: { sameUser: r.sameUser, ignoreWithinSeconds: r.ignoreWithinSeconds, otherUser: r.otherUser },
      switching: { previousSession: r.previousSession, maxSuspended: r.maxSuspended, whenFull: r.whenFull },
    }),
    profile: 'prop',
  }));

const userArb = fc.constantFrom('alice' as const, 'bob' as const, 'carol' as const);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('tap' as const),
      user: fc.oneof(userArb, fc.constant('unknown' as const)),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('pin' as const), correct: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'pin-cancel' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'slow-pin' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'late-pin' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'forgot-pin' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'step-up-cancel' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('password-sign-in' as const), user: userArb, readerReady: fc.boolean() }),
  },
  { weight: 4, arbitrary: fc.constant({ kind: 'activity' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('os' as const),
      event: fc.constantFrom(
        'suspend' as const,
        'resume' as const,
        'lock-screen' as const,
        'display-off' as const,
        'lid-close' as const,
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'lock-now' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removed' as const), user: userArb }) },
  {
    weight: 8,
    arbitrary: fc.record(
      {
        kind: fc.constant('advance' as const),
        ms: fc.oneof(
          fc.integer({ min: 0, max: 5 * SEC }),
          fc.integer({ min: 0, max: 3 * MIN }),
          fc.integer({ min: 0, max: 30 * MIN }),
        ),
        osInputAfterMs: fc.integer({ min: 0, max: 10 * MIN }),
      },
      { requiredKeys: ['kind', 'ms'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('revoke' as const), user: fc.option(userArb, { nil: undefined }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'step-up' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('policy' as const), policy: policyArb }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'policy-invalid' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sign-in-outcome' as const), succeed: fc.boolean() }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'finish-enroll-sign-in' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('choose-pin' as const), accepted: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'enroll-cancel' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'pin-unusable' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('tokens-refused' as const), grantRefused: fc.boolean() }),
  },
);
/**
 * A busy shared kiosk: clinicians switching back and forth within grace, PINs answered late. Random mixes
 * of every input rarely build these interleavings in 10,000 runs, so a third of the scenarios are drawn here.
 */
const switchingStepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('tap' as const), user: userArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pin' as const), correct: fc.boolean() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'slow-pin' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'late-pin' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'lock-now' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('tokens-refused' as const), grantRefused: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 2 * MIN }) }),
  },
);
const switchingPolicyArb = policyArb.map((p) => ({
  ...p,
  graceMinutes: Math.max(p.graceMinutes, 5),
  switching: { ...p.switching, previousSession: 'suspend' as const },
}));

/** Half the workstations can enroll unknown badges (with a short enrollment deadline), half cannot. */
export const scenarioArb: fc.Arbitrary<Scenario> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      policy: policyArb,
      enrollmentTtlMs: fc.option(fc.constantFrom(30 * SEC, 5 * MIN), { nil: undefined }),
      steps: fc.array(stepArb, { minLength: 1, maxLength: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      policy: switchingPolicyArb,
      enrollmentTtlMs: fc.constant(undefined),
      steps: fc.array(switchingStepArb, { minLength: 1, maxLength: 25 }),
    }),
  },
);
