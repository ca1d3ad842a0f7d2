import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import { MemoryAuditSink } from '../../../main/audit/memory-audit-sink.js';
import type { AccountRecord } from '../../../main/identity/directory/user-directory.js';
import { MemoryKeyValueStore } from '../../../main/identity/storage/key-value-store.js';
import type { DirectoryUser } from '../../../main/session/ports.js';
import { createSessionService } from '../../../main/session/session-service.js';
import { EndedBadges } from '../../../main/temporary-access/ended-badges.js';
import { temporaryAccessPolicySchema } from '../../../main/temporary-access/temporary-access-policy.js';
import { TemporaryAccess } from '../../../main/temporary-access/temporary-access-service.js';
import {
  admissionAt,
  inShift,
  localMinutes,
  type TemporaryGrant,
} from '../../../main/temporary-access/temporary-grant.js';
import {
  BADGES,
  FakeAuthenticator,
  FakePins,
  PINS,
  USERS,
  counterRandom,
  fakeHash,
  flush,
  testPolicy,
} from '../session/session-test-kit.js';

/**
 * No temporary person is ever let in after their sponsorship's expiry or outside its shift window, whatever the
 * taps, PINs, locks, password sign-ins and passing time: over 10,000 random sequences through the real session
 * service, with the real temporary-access service as its Admission on a manual clock. The oracle reads only what
 * the outside world sees: the records that grant access, and whether the locum's session is on screen.
 */
const RUNS = 10_000;
const LONG_RUN = { timeout: 300_000 };
const MIN = 60_000;
const HOUR = 60 * MIN;

const LOCUM: DirectoryUser = { ...USERS.alice, roles: ['locum', 'clinical'] };
const OTHER: DirectoryUser = USERS.bob;
const GRANTS = new Set(['session.sign_in', 'session.unlock', 'session.resumed', 'session.user_switch']);

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

// Windows near the start time (05:13 UTC) so that short runs cross their ends.
const shiftArb = fc.option(
  fc
    .tuple(fc.integer({ min: 0, max: 47 }), fc.integer({ min: 1, max: 47 }))
    .map(([start, length]) => ({ start: hhmm(start * 30), end: hhmm(((start + length) % 48) * 30) }))
    .filter((s) => s.start !== s.end),
  { nil: undefined },
);

type Step =
  | { kind: 'tap-locum' }
  | { kind: 'tap-other' }
  | { kind: 'pin'; right: boolean }
  | { kind: 'lock' }
  | { kind: 'activity' }
  | { kind: 'password' }
  | { kind: 'advance'; ms: number }
  /** Time passes, but the timers that fall due have not run yet (an input handled in that moment). */
  | { kind: 'advance-silently'; ms: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'tap-locum' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'tap-other' as const }) },
  { weight: 4, arbitrary: fc.boolean().map((right) => ({ kind: 'pin' as const, right })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'lock' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'password' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'activity' as const }) },
  // Mostly under the idle timeout, so a session can still be on screen when its shift or sponsorship ends.
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 50 * MIN }).map((ms) => ({ kind: 'advance' as const, ms })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 14 * HOUR }).map((ms) => ({ kind: 'advance' as const, ms })) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 3 * HOUR }).map((ms) => ({ kind: 'advance-silently' as const, ms })),
  },
);

const scenarioArb = fc.record({
  expiresInMs: fc.oneof(fc.integer({ min: 1, max: 6 * HOUR }), fc.integer({ min: 1, max: 3 * 24 * HOUR })),
  shift: shiftArb,
  signIn: fc.constantFrom('badge' as const, 'badge+pin' as const),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 24 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

async function run({ expiresInMs, shift, signIn, steps }: Scenario) {
  const clock = new ManualClock(new Date('2026-03-07T05:13:00Z'));
  const audit = new MemoryAuditSink();
  const grant: TemporaryGrant = {
    sponsorUserId: 'u-charge',
    sponsorName: 'Chris',
    expiresAt: new Date(clock.wallTime().getTime() + expiresInMs).toISOString(),
    ...(shift ? { shift } : {}),
  };
  const at = clock.wallTime().toISOString();
  const accounts = new Map<string, AccountRecord>([
    [
      LOCUM.userId,
      { v: 1, ...LOCUM, badgeHash: fakeHash(BADGES.alice), enrolledAt: at, updatedAt: at, temporary: grant },
    ],
    [OTHER.userId, { v: 1, ...OTHER, badgeHash: fakeHash(BADGES.bob), enrolledAt: at, updatedAt: at }],
  ]);
  const temporary = new TemporaryAccess({
    policy: temporaryAccessPolicySchema.parse({}),
    directory: {
      account: async (userId) => accounts.get(userId),
      temporaryAccounts: async () => [...accounts.values()].filter((a) => a.temporary),
    },
    ended: new EndedBadges(new MemoryKeyValueStore()),
    unenroll: async (userId) => accounts.delete(userId),
    audit,
    clock,
    workstation: 'ws-prop',
    log: { info: () => {}, warn: () => {} },
  });
  const auth = new FakeAuthenticator();
  const service = createSessionService({
    clock,
    random: counterRandom(),
    audit,
    directory: {
      resolveBadge: async (h) => [...accounts.values()].find((a) => a.badgeHash === h),
    },
    pins: new FakePins(),
    authenticator: auth,
    hashBadge: fakeHash,
    workstation: 'ws-prop',
    policy: testPolicy({ signIn, withoutBadge: 'always', idleTimeoutSeconds: 3600, absoluteLifetimeHours: 24 }),
    admission: temporary,
  });
  temporary.attach(service);
  await temporary.start();

  const allowedNow = () => admissionAt(grant, clock.wallTime()).ok;
  const check = () => {
    const view = service.view();
    const locumOnScreen =
      (view.screen === 'active' || view.screen === 'idle-warning') && view.user?.displayName === LOCUM.displayName;
    if (locumOnScreen) expect(allowedNow(), `locum on screen at ${clock.wallTime().toISOString()}`).toBe(true);
  };
  for (const step of steps) {
    const grantsBefore = audit.events.length;
    switch (step.kind) {
      case 'tap-locum':
        await service.handle({ type: 'badge-tap', badgeId: BADGES.alice, readerId: 'r1' });
        break;
      case 'tap-other':
        await service.handle({ type: 'badge-tap', badgeId: BADGES.bob, readerId: 'r1' });
        break;
      case 'pin':
        await service.handle({ type: 'pin', pin: step.right ? PINS[LOCUM.userId]! : '0000' });
        break;
      case 'lock':
        await service.handle({ type: 'lock-now' });
        break;
      case 'activity':
        await service.handle({ type: 'activity', source: 'renderer' });
        break;
      case 'password':
        auth.nextUser = LOCUM;
        await service.handle({ type: 'password-sign-in', readerReady: true });
        break;
      case 'advance':
        clock.advance(step.ms);
        break;
      case 'advance-silently':
        clock.advanceWithoutFiring(step.ms);
        break;
    }
    await flush();
    // Every record that let the locum in was made while the sponsorship allowed it.
    for (const event of audit.events.slice(grantsBefore)) {
      if (GRANTS.has(event.type) && event.actor?.userId === LOCUM.userId)
        expect(admissionAt(grant, new Date(event.at)).ok, `${event.type} at ${event.at}`).toBe(true);
    }
    // Once the timers that fell due have run, a session that may no longer be on screen has ended.
    if (step.kind === 'advance') check();
  }
  temporary.dispose();
  service.dispose();
  return { accounts, grant, clock };
}

describe('temporary staff admission (property)', () => {
  it(
    'never lets a temporary person in after expiry or outside the shift window, and erases them once expired',
    LONG_RUN,
    async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (scenario) => {
          const { accounts, grant, clock } = await run(scenario);
          // Past the expiry (with the timers run), the enrollment is gone.
          if (clock.wallTime().getTime() >= Date.parse(grant.expiresAt) && scenario.steps.at(-1)?.kind === 'advance')
            expect(accounts.has(LOCUM.userId)).toBe(false);
        }),
        { numRuns: RUNS },
      );
    },
  );

  it('admits exactly before the expiry and inside the window, by an independent reading of the rule', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 * 24 * 60 }),
        fc.integer({ min: 0, max: 7 * 24 * 60 }),
        shiftArb,
        (expiresMin, nowMin, shift) => {
          const base = new Date('2026-03-07T00:00:00Z').getTime();
          const now = new Date(base + nowMin * MIN);
          const grant: TemporaryGrant = {
            sponsorUserId: 's',
            sponsorName: 'S',
            expiresAt: new Date(base + expiresMin * MIN).toISOString(),
            ...(shift ? { shift } : {}),
          };
          const minutes = now.getHours() * 60 + now.getMinutes();
          const [s, e] = shift
            ? [shift.start, shift.end].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)))
            : [0, 0];
          const inWindow = !shift || (s! < e! ? minutes >= s! && minutes < e! : minutes >= s! || minutes < e!);
          expect(admissionAt(grant, now).ok).toBe(nowMin < expiresMin && inWindow);
          if (shift) expect(inShift(shift, localMinutes(now))).toBe(inWindow);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
