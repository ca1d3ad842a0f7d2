import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakGlassRig } from './support/break-glass-rig.js';

type Op =
  | { kind: 'show'; session: number }
  | { kind: 'hide' }
  | { kind: 'terminate'; session: number }
  | { kind: 'grant'; minutes: number; scope: 'patient' | 'all-restricted'; stepUpOk: boolean }
  | { kind: 'end-now' }
  | { kind: 'extend'; minutes: number }
  | { kind: 'advance'; ms: number };

const minutes = fc.oneof(fc.constantFrom(15, 30, 60, 240, 480), fc.integer({ min: 1, max: 600 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('show' as const), session: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hide' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('terminate' as const), session: fc.integer({ min: 0, max: 2 }) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('grant' as const),
      minutes,
      scope: fc.constantFrom('patient' as const, 'all-restricted' as const),
      stepUpOk: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('end-now' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('extend' as const), minutes }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 3 * 3_600_000 }), fc.integer({ min: 0, max: 20 * 60_000 })),
    }),
  },
);

/**
 * Whatever clinicians, locks, sign-outs, extensions and time do, on the EHR's server (the only place a chart is
 * served): no grant outlives its expiry, its session or a sign-out, and no grant runs past the policy maximum from
 * its episode's start; and the countdown on screen never shows a grant the server no longer honours.
 */
describe('break-glass grants (property, 10,000 runs)', () => {
  let granted = 0;
  it('no grant outlives its expiry, its session or a sign-out; no chart is served without an active grant', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const rig = breakGlassRig({ scopes: ['patient', 'all-restricted'], maxMinutes: 480 });
        // Session i belongs to user u-i; a terminated session never comes back (a new one would have a new id).
        const alive = new Set([0, 1, 2]);
        let shown: number | undefined;
        const sid = (i: number) => `s-${i}`;
        const uid = (i: number) => `u-${i}`;
        for (const step of ops) {
          const before = rig.server.grants.length;
          if (step.kind === 'show' && alive.has(step.session)) {
            if (shown !== undefined) await rig.lifecycle('hidden', sid(shown), uid(shown));
            shown = step.session;
            await rig.lifecycle('shown', sid(shown), uid(shown));
          } else if (step.kind === 'hide' && shown !== undefined) {
            await rig.lifecycle('hidden', sid(shown), uid(shown));
            shown = undefined;
          } else if (step.kind === 'terminate' && alive.has(step.session)) {
            if (shown === step.session) {
              await rig.lifecycle('hidden', sid(shown), uid(shown));
              shown = undefined;
            }
            alive.delete(step.session);
            await rig.lifecycle('terminated', sid(step.session), uid(step.session));
          } else if (step.kind === 'grant' && shown !== undefined) {
            const opened = await rig.breakGlass.open();
            if (opened.ok) {
              const confirmed = await rig.breakGlass.confirm({
                scope: step.scope,
                ...(step.scope === 'patient' ? { patient: 'Patient/p-1005' } : {}),
                reasonCode: 'emergency-care',
                reasonText: 'x',
                attested: true,
                durationMinutes: step.minutes,
              });
              if (confirmed.ok) await rig.stepUp(sid(shown), uid(shown), step.stepUpOk);
              else rig.breakGlass.cancel();
            }
          } else if (step.kind === 'end-now') {
            await rig.breakGlass.endNow();
          } else if (step.kind === 'extend' && shown !== undefined) {
            if ((await rig.breakGlass.extend()).ok) {
              const confirmed = await rig.breakGlass.confirm({
                scope: 'all-restricted',
                reasonCode: 'urgent-consult',
                reasonText: 'y',
                attested: true,
                durationMinutes: step.minutes,
              });
              if (confirmed.ok) await rig.stepUp(sid(shown), uid(shown), true);
              else rig.breakGlass.cancel();
            }
          } else if (step.kind === 'advance') {
            await rig.advance(step.ms);
          }

          granted += rig.server.grants.length - before;
          const now = rig.clock.monotonicMs();
          for (const grant of rig.server.active()) {
            const holder = Number(grant.holder.slice(2));
            expect(alive.has(holder), 'a grant outlived its session').toBe(true);
            expect(grant.expiresAtMs).toBeGreaterThan(now);
          }
          // An episode (a grant and its extensions) never runs past the policy maximum.
          for (const grant of rig.server.grants) {
            expect(grant.expiresAtMs - grant.episodeStartMs).toBeLessThanOrEqual(480 * 60_000);
          }
          for (const i of [0, 1, 2]) {
            if (!alive.has(i)) expect(rig.server.serves(uid(i), 'Patient/p-1005')).toBe(false);
          }
          const onScreen = rig.breakGlass.state().grant;
          if (onScreen && shown !== undefined) {
            expect(rig.server.active().some((g) => g.holder === uid(shown!))).toBe(true);
          }
        }
      }),
      { numRuns: 10_000 },
    );
    // The runs did exercise grants, not only refusals.
    expect(granted).toBeGreaterThan(1_000);
  }, 600_000);
});
