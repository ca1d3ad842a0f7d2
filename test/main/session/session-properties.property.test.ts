import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../main/audit/audit-event.js';
import type { LifecycleEvent } from '../../../main/session/engine-state.js';
import type { SessionView } from '../../../preload/contract.js';
import { ServiceDriver, type Credential, type Observation } from './service-driver.js';
import { MIN, scenarioArb, type Scenario } from './session-scenarios.js';
import { USERS } from './session-test-kit.js';

/**
 * Six properties of the session service, each over 10,000 random event sequences on a manual clock. The real
 * service is driven through its inputs (service-driver.ts), and the oracles below watch only what it gives
 * the outside world (lifecycle events, audit records, views, step-up outcomes) and what its fakes were asked,
 * never the engine's own state.
 */
const RUNS = 10_000;
/** 10,000 sequences through the real service take seconds, more on a loaded machine. */
const LONG_RUN = { timeout: 180_000 };

async function runScenario(
  { policy, steps, enrollmentTtlMs }: Scenario,
  check: (o: Observation) => void,
): Promise<ServiceDriver> {
  const driver = new ServiceDriver(policy, check, enrollmentTtlMs);
  await driver.run(steps);
  return driver;
}

/**
 * What the lifecycle stream says the workstation holds: the session on screen, the sessions kept out of sight
 * (since when), and the sessions ended. Fed one event at a time, in the order the service emitted them.
 */
class LifecycleModel {
  readonly onScreen = new Set<string>();
  readonly hiddenAt = new Map<string, number>();
  readonly ended = new Set<string>();

  apply(event: LifecycleEvent, at: number): void {
    if (event.kind === 'shown') {
      this.onScreen.add(event.sessionId);
      this.hiddenAt.delete(event.sessionId);
    } else if (event.kind === 'hidden') {
      this.onScreen.delete(event.sessionId);
      this.hiddenAt.set(event.sessionId, at);
    } else {
      this.onScreen.delete(event.sessionId);
      this.hiddenAt.delete(event.sessionId);
      this.ended.add(event.sessionId);
    }
  }

  isKept(sessionId: string): boolean {
    return this.hiddenAt.has(sessionId);
  }
}

function lifecycleOf(o: Observation): { event: LifecycleEvent; at: number }[] {
  return o.happenings.flatMap((h) => (h.kind === 'lifecycle' ? [{ event: h.event, at: h.at }] : []));
}

function auditsOf(o: Observation): AuditEvent[] {
  return o.happenings.flatMap((h) => (h.kind === 'audit' ? [h.record] : []));
}

function displayNameOf(userId: string): string | undefined {
  return Object.values(USERS).find((u) => u.userId === userId)?.displayName;
}

const SHOWN_SCREENS: readonly SessionView['screen'][] = ['active', 'idle-warning'];

/** The screen-level identity of a view: a change of it is a transition and must be audited. */
function viewSignature(view: SessionView): string {
  return `${view.screen}|${view.user?.displayName ?? ''}|${view.suspendedCount}`;
}

const params = { numRuns: RUNS };

describe('session service properties (fast-check, 10,000 sequences each)', () => {
  it('no view is shown unlocked without a successful verification since the last lock', LONG_RUN, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const model = new LifecycleModel();
        const tappedSinceLock = new Set<string>();
        // Oracle of who must present a full sign-in: lockout, shift end or revocation, until they do.
        const needsFull = new Set<string>();
        await runScenario(scenario, (o) => {
          const { cause, policy } = o;
          if (cause.kind === 'os') tappedSinceLock.clear();
          if (cause.kind === 'revoke' && cause.user) needsFull.add(USERS[cause.user].userId);
          let credential: Credential | undefined;
          const tapped: string[] = [];
          const signedIn: string[] = [];
          for (const h of o.happenings) {
            if (h.kind === 'credential') {
              credential = h;
              if (h.via === 'badge') tapped.push(h.userId);
              if (h.via === 'full-sign-in' || h.via === 'enrollment') signedIn.push(h.userId);
            } else if (h.kind === 'audit') {
              const userId = h.record.actor?.userId;
              if (userId && (h.record.type === 'pin.lockout' || /absolute lifetime/.test(h.record.reason ?? '')))
                needsFull.add(userId);
            } else if (h.kind === 'lifecycle') {
              const { event } = h;
              if (event.kind === 'hidden') tappedSinceLock.clear();
              // A refresh token the provider refused ends the session: that user signs in fully again.
              if (event.kind === 'terminated' && cause.kind === 'tokens-refused' && cause.grantRefused)
                needsFull.add(event.userId);
              if (event.kind === 'shown') {
                const resumed = model.isKept(event.sessionId);
                expect(credential?.userId, `${event.sessionId} shown without a credential (${cause.kind})`).toBe(
                  event.userId,
                );
                const method = resumed ? policy.reverifyInGrace : policy.signIn;
                if (credential!.via === 'badge') {
                  expect(needsFull.has(event.userId)).toBe(false);
                  expect(method).toBe('badge');
                } else if (credential!.via === 'pin') {
                  expect(needsFull.has(event.userId)).toBe(false);
                  // A PIN alone suffices only where the policy says pin; otherwise the badge came first.
                  expect(method).not.toBe('full-sign-in');
                  if (method !== 'pin') expect(tappedSinceLock.has(event.userId)).toBe(true);
                }
                // Otherwise only the identity provider verified them: a full sign-in, or one before a chosen PIN.
              }
              model.apply(event, h.at);
            }
          }
          for (const userId of signedIn) needsFull.delete(userId);
          for (const userId of tapped) tappedSinceLock.add(userId);
        });
      }),
      params,
    );
  });

  it('no session outlives its grace or its absolute lifetime', LONG_RUN, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const model = new LifecycleModel();
        const owner = new Map<string, string>();
        const lifetimeStart = new Map<string, number>();
        await runScenario(scenario, (o) => {
          const { now } = o;
          for (const h of o.happenings) {
            if (h.kind === 'lifecycle') {
              model.apply(h.event, h.at);
              owner.set(h.event.sessionId, h.event.userId);
              if (h.event.kind === 'shown' && !lifetimeStart.has(h.event.sessionId))
                lifetimeStart.set(h.event.sessionId, h.at);
            }
            // A provider sign-in as step-up proof is a full verification: the lifetime restarts from it.
            if (h.kind === 'step-up' && h.outcome.ok) lifetimeStart.set(h.outcome.sessionId, h.at);
          }
          const [shown] = model.onScreen;
          if (shown !== undefined) {
            // A full sign-in by the user on screen (or an enrollment or PIN reset, which begins with one)
            // restarts the lifetime of the session it shows or renews.
            for (const h of o.happenings) {
              if (h.kind !== 'credential') continue;
              if ((h.via === 'full-sign-in' && owner.get(shown) === h.userId) || h.via === 'enrollment')
                lifetimeStart.set(shown, h.at);
            }
          }
          const graceMs = o.policy.graceMinutes * MIN;
          const lifetimeMs = o.policy.absoluteLifetimeHours * 60 * MIN;
          for (const [sessionId, hiddenAt] of model.hiddenAt) {
            expect(now, `${sessionId} kept past its grace`).toBeLessThan(hiddenAt + graceMs);
            expect(now, `${sessionId} kept past its lifetime`).toBeLessThan(lifetimeStart.get(sessionId)! + lifetimeMs);
          }
          if (shown !== undefined)
            expect(now, `${shown} shown past its lifetime`).toBeLessThan(lifetimeStart.get(shown)! + lifetimeMs);
        });
      }),
      params,
    );
  });

  it("user A's session is never shown while user B is the verified user", LONG_RUN, async () => {
    const names = Object.values(USERS).map((u) => u.displayName);
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const model = new LifecycleModel();
        const owner = new Map<string, string>();
        await runScenario(scenario, (o) => {
          let verified: string | undefined;
          for (const h of o.happenings) {
            if (h.kind === 'credential') verified = h.userId;
            if (h.kind !== 'lifecycle') continue;
            const { sessionId } = h.event;
            if (h.event.kind === 'shown') {
              // Shown only to the user whose credential was just accepted, and always the same owner.
              expect(verified, `${sessionId} shown without a credential`).toBeDefined();
              if (!owner.has(sessionId)) owner.set(sessionId, verified!);
              expect(owner.get(sessionId)).toBe(verified);
            }
            model.apply(h.event, h.at);
            expect(model.onScreen.size).toBeLessThanOrEqual(1);
          }
          const [shown] = model.onScreen;
          const view = o.view;
          if (shown === undefined) {
            expect(SHOWN_SCREENS).not.toContain(view.screen);
            return;
          }
          const name = displayNameOf(owner.get(shown)!);
          expect(SHOWN_SCREENS).toContain(view.screen);
          expect(view.user?.displayName).toBe(name);
          const text = JSON.stringify(view);
          for (const other of names) if (other !== name) expect(text).not.toContain(other);
        });
      }),
      params,
    );
  });

  it(
    'a signed-in enrollment is completed, still open, or released to the identity layer: never forgotten',
    LONG_RUN,
    async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (scenario) => {
          const driver = await runScenario(scenario, () => {});
          const open = await driver.openEnrollment();
          const accounted = [
            ...driver.completedEnrollments,
            ...driver.releasedEnrollments,
            ...(open === undefined ? [] : [open]),
          ].sort();
          expect(accounted).toEqual([...driver.issuedEnrollments].sort());
        }),
        params,
      );
    },
  );

  it('a terminated session is never shown again', LONG_RUN, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const model = new LifecycleModel();
        await runScenario(scenario, (o) => {
          for (const { event, at } of lifecycleOf(o)) {
            if (event.kind === 'shown')
              expect(model.ended.has(event.sessionId), `${event.sessionId} shown after it was terminated`).toBe(false);
            model.apply(event, at);
          }
          // What the screen says is kept (the locked session and the suspended ones) is what was never ended.
          const view = o.view;
          const kept = model.hiddenAt.size;
          if (view.screen === 'policy-error') {
            expect([view.suspendedCount, view.suspendedCount + 1]).toContain(kept);
          } else {
            expect(kept, 'sessions kept').toBe(view.suspendedCount + (view.screen === 'locked' ? 1 : 0));
          }
        });
      }),
      params,
    );
  });

  it('every transition produced an audit event of its own kind', LONG_RUN, async () => {
    // What each lifecycle change must be recorded as, for that session.
    const recordedAs: Record<LifecycleEvent['kind'], readonly string[]> = {
      shown: ['session.sign_in', 'session.unlock', 'session.resumed'],
      hidden: ['session.lock', 'session.timeout', 'session.terminated', 'session.sign_out'],
      terminated: ['session.terminated', 'session.sign_out'],
    };
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        await runScenario(scenario, (o) => {
          const audits = auditsOf(o);
          if (viewSignature(o.viewBefore) !== viewSignature(o.view)) {
            expect(audits.length, `${o.cause.kind} changed the screen without an audit record`).toBeGreaterThan(0);
          }
          for (const { event } of lifecycleOf(o)) {
            const matching = audits.filter(
              (a) => a.details?.sessionId === event.sessionId && recordedAs[event.kind].includes(a.type),
            );
            expect(
              matching.length,
              `${event.kind} ${event.sessionId} not recorded as ${recordedAs[event.kind].join(' or ')}`,
            ).toBeGreaterThan(0);
          }
          // Each newly suspended session is recorded as suspended.
          const newlySuspended = o.view.suspendedCount - o.viewBefore.suspendedCount;
          const suspendedRecords = audits.filter((a) => a.type === 'session.suspended').length;
          expect(suspendedRecords).toBeGreaterThanOrEqual(newlySuspended);
        });
      }),
      params,
    );
  });
});
