import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approverRolesOf, justInTimePolicySchema } from '../../../main/just-in-time/just-in-time-policy.js';
import { jitRig, RIG_POLICY, rolesOf } from './support/jit-rig.js';

type Op =
  | { kind: 'show'; session: number }
  | { kind: 'hide' }
  | { kind: 'terminate'; session: number; why: 'signedOut' | 'revoked' | 'policy' }
  | { kind: 'open' }
  | { kind: 'submit'; scope: 'unit' | 'patient' | 'role'; minutes: number }
  | { kind: 'step-up'; ok: boolean }
  | { kind: 'tap'; who: string; then: { pinOk: boolean; approve: boolean } | null }
  | { kind: 'decide'; pinOk: boolean; approve: boolean }
  | { kind: 'cancel' }
  | { kind: 'end-now' }
  | { kind: 'advance'; ms: number };

/** Taps: the requesters themselves (self-approval), a clerk, a physician, a charge nurse, an unknown badge. */
const TAPPERS = ['self', 'u-0', 'u-1', 'u-cara', 'u-ben', 'u-chris', 'unknown'] as const;

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('show' as const), session: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hide' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('terminate' as const),
      session: fc.integer({ min: 0, max: 2 }),
      why: fc.constantFrom('signedOut' as const, 'revoked' as const, 'policy' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('open' as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      scope: fc.constantFrom('unit' as const, 'patient' as const, 'role' as const, 'role' as const, 'patient' as const),
      minutes: fc.oneof(fc.constantFrom(5, 30, 60, 120), fc.integer({ min: 1, max: 200 })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('step-up' as const), ok: fc.boolean() }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('tap' as const),
      who: fc.oneof(fc.constantFrom(...TAPPERS), fc.constantFrom('u-ben', 'u-chris')),
      // Usually the approver goes on to their PIN at once.
      then: fc.option(fc.record({ pinOk: fc.boolean(), approve: fc.constantFrom(true, true, false) }), { freq: 4 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('decide' as const), pinOk: fc.boolean(), approve: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('end-now' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 3 * 3_600_000 }), fc.integer({ min: 0, max: 20 * 60_000 })),
    }),
  },
);

const VALUES = { unit: 'unit-ed', patient: 'Patient/p-1005', role: 'charge-nurse' } as const;
const policy = justInTimePolicySchema.parse(RIG_POLICY);

/**
 * Whatever requesters, approvers, locks, sign-outs, revocations and time do, on the EHR's server (the only place
 * a grant is enforced): no grant is asked for without an approval (an approver's PIN accepted at this workstation,
 * of an allowed role, never the requester) or the auto-approve rule of its scope; no grant serves after its expiry,
 * its session's end, a sign-out or a revocation; the countdown never shows a grant the server no longer honours.
 */
describe('just-in-time grants (property, 10,000 runs)', () => {
  let granted = 0;
  let approved = 0;
  let runs = 0;
  let steps = 0;
  it('no grant without an approval or an auto-approve rule; none after expiry, revocation or sign-out; never self-approved', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 50 }), async (ops) => {
        const rig = jitRig();
        // Session i belongs to user u-i; a terminated session never comes back (a new one would have a new id).
        const alive = new Set([0, 1, 2]);
        let shown: number | undefined;
        const sid = (i: number) => `s-${i}`;
        const uid = (i: number) => `u-${i}`;
        runs += 1;
        // Runs start with a clinician on screen, so most of them reach a request.
        for (const step of [{ kind: 'show', session: 0 } as const, ...ops]) {
          steps += 1;
          const requestsBefore = rig.server.requests.length;
          const pinsBefore = rig.pinsAccepted.length;
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
            const why =
              step.why === 'signedOut' ? { signedOut: true } : step.why === 'revoked' ? { revoked: true } : {};
            await rig.lifecycle('terminated', sid(step.session), uid(step.session), why);
          } else if (step.kind === 'open') {
            await rig.justInTime.open();
          } else if (step.kind === 'submit') {
            // Usually from a freshly opened dialog; sometimes into whatever step the dialog is at.
            if (step.minutes % 4 !== 0) await rig.justInTime.open();
            await rig.justInTime.submit({
              scope: step.scope,
              value: VALUES[step.scope],
              purposeCode: 'covering-unit',
              purposeText: 'x',
              durationMinutes: step.minutes,
            });
          } else if (step.kind === 'step-up' && shown !== undefined) {
            await rig.stepUp(sid(shown), uid(shown), step.ok);
          } else if (step.kind === 'tap') {
            const who = step.who === 'self' ? (shown === undefined ? 'u-0' : uid(shown)) : step.who;
            if (rig.justInTime.takesBadge())
              await rig.justInTime.approverBadge(who === 'unknown' ? 'x' : `badge:${who}`);
            if (step.then)
              await rig.justInTime.approverDecide({
                pin: step.then.pinOk ? '4826' : '0000',
                decision: step.then.approve ? 'approve' : 'refuse',
                reason: 'not needed',
              });
          } else if (step.kind === 'decide') {
            await rig.justInTime.approverDecide({
              pin: step.pinOk ? '4826' : '0000',
              decision: step.approve ? 'approve' : 'refuse',
              reason: 'not needed',
            });
          } else if (step.kind === 'cancel') {
            rig.justInTime.cancel();
          } else if (step.kind === 'end-now') {
            await rig.justInTime.endNow();
          } else if (step.kind === 'advance') {
            await rig.advance(step.ms);
          }
          await rig.settle();

          // Every grant asked for in this step was approved by the rule of its scope, or by a second person whose
          // PIN was just accepted here, of a role allowed for the scope, and never by the requester.
          for (const { holder, request } of rig.server.requests.slice(requestsBefore)) {
            granted += 1;

            const scope = policy.scopes.find((s) => s.kind === request.scope.kind);
            if (request.approval.kind === 'auto') {
              expect(scope?.autoApprove, 'auto-approved without the rule').toBe(true);
            } else {
              approved += 1;
              const approver = request.approval.accessToken;
              expect(approver, 'self-approval').not.toBe(holder);
              expect(step.kind === 'decide' || step.kind === 'tap').toBe(true);
              expect(rig.pinsAccepted.slice(pinsBefore)).toEqual([approver]);
              expect(rolesOf(approver).some((r) => approverRolesOf(policy, request.scope.kind).includes(r))).toBe(true);
            }
          }
          for (const event of rig.audit.events) {
            if (event.type === 'jit.approve' && event.outcome === 'success')
              expect(event.actor?.userId).not.toBe(event.details?.requestedBy);
          }
          const now = rig.clock.monotonicMs();
          for (const grant of rig.server.grants) {
            // Ended on the server by the workstation at its expiry (or before): nothing relies on a timer elsewhere.
            if (grant.expiresAtMs <= now) expect(grant.endedAtMs, 'not ended at expiry').toBeDefined();
          }
          for (const grant of rig.server.active()) {
            expect(alive.has(Number(grant.holder.slice(2))), 'a grant outlived its session').toBe(true);
          }
          const onScreen = rig.justInTime.state().grant;
          if (onScreen && shown !== undefined) {
            expect(rig.server.active(uid(shown))).toHaveLength(1);
            expect(onScreen.msLeft).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 10_000 },
    );
    expect(runs).toBe(10_000);
    expect(steps).toBeGreaterThan(100_000);
    // The runs did exercise grants by both routes, not only refusals.
    expect(granted).toBeGreaterThan(1_000);
    expect(approved).toBeGreaterThan(200);
  }, 600_000);
});
