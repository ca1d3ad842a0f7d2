import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import type { Random } from '../../../common/random.js';
import { AccessLog } from '../../../tools/demo-ehr/access-log.js';
import { ChartDirectory } from '../../../tools/demo-ehr/chart-directory.js';
import { EhrContext, type IdpSignIn } from '../../../tools/demo-ehr/ehr-context.js';
import { demoRecords } from '../../../tools/demo-ehr/fixtures.js';
import { GrantStore, type Grant, type GrantScope } from '../../../tools/demo-ehr/grant-store.js';
import { SessionStore } from '../../../tools/demo-ehr/session-store.js';
import { PROVIDER_USERS } from '../../../tools/local-idp/demo-users.js';

const directory = new ChartDirectory(demoRecords());
const charts = directory.allCharts();
const MINUTE = 60_000;

const noIdp: IdpSignIn = {
  authorizationUrl: () => {
    throw new Error('not used');
  },
  signIn: () => Promise.reject(new Error('not used')),
  identityOfAccessToken: () => Promise.reject(new Error('not used')),
};

function counterRandom(): Random {
  let n = 0;
  return {
    uuid: () => `00000000-0000-4000-8000-${(n++).toString(16).padStart(12, '0')}`,
    bytes: (length) => new Uint8Array(length).fill(n++ % 256),
  };
}

type Op =
  | { op: 'activate'; user: number; patient: number | 'all'; minutes: number }
  | { op: 'end'; grant: number }
  | { op: 'advance'; ms: number }
  | { op: 'advance-to-expiry'; grant: number; deltaMs: number }
  | { op: 'open'; user: number; patient: number };

const user = fc.nat({ max: PROVIDER_USERS.length - 1 });
const patient = fc.nat({ max: charts.length - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('activate' as const),
    user,
    patient: fc.oneof(patient, fc.constant('all' as const)),
    minutes: fc.integer({ min: 15, max: 480 }),
  }),
  fc.record({ op: fc.constant('end' as const), grant: fc.nat({ max: 20 }) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 9 * 60 * MINUTE }) }),
  fc.record({
    op: fc.constant('advance-to-expiry' as const),
    grant: fc.nat({ max: 20 }),
    deltaMs: fc.integer({ min: -1, max: 1 }),
  }),
  fc.record({ op: fc.constant('open' as const), user, patient }),
  fc.record({ op: fc.constant('open' as const), user, patient }),
);

/** The model of a grant: what the test itself knows, independent of the store's status logic. */
interface ModelGrant {
  grant: Grant;
  holder: string;
  scope: GrantScope;
  deadlineMs: number;
  ended: boolean;
}

/** The access rules restated independently: care team, or own unit when the chart carries no sensitivity label. */
function normallyOpen(sub: string, roles: readonly string[], patientIndex: number): boolean {
  const facts = charts[patientIndex]!.facts;
  if (!roles.includes('clinical')) return false;
  if (facts.careTeam.has(sub)) return true;
  const sharesUnit = [...facts.units].some((u) => directory.unitsOf(sub).has(u));
  return sharesUnit && !facts.confidential && !facts.behaviouralHealth;
}

describe('break-glass enforcement (property)', () => {
  it('no restricted chart is served without an active grant; no grant serves after its expiry or after it ended', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const clock = new ManualClock();
        const random = counterRandom();
        const grants = new GrantStore(clock, random);
        const log = new AccessLog(clock, random, 'http://127.0.0.1:1');
        const ctx = new EhrContext(
          'http://127.0.0.1:1',
          'c',
          clock,
          directory,
          grants,
          log,
          new SessionStore(clock, random),
          noIdp,
        );
        const model: ModelGrant[] = [];
        let logged = 0;
        for (const op of ops) {
          switch (op.op) {
            case 'activate': {
              const u = PROVIDER_USERS[op.user]!;
              const scope: GrantScope =
                op.patient === 'all'
                  ? { kind: 'all-restricted' }
                  : { kind: 'patient', patient: charts[op.patient]!.facts.patient };
              const grant = grants.activate({
                holder: u.id,
                holderName: u.displayName,
                scope,
                reason: { code: 'x', text: 'y' },
                durationMinutes: op.minutes,
              });
              model.push({
                grant,
                holder: u.id,
                scope,
                deadlineMs: clock.monotonicMs() + op.minutes * MINUTE,
                ended: false,
              });
              break;
            }
            case 'end': {
              const m = model[op.grant];
              if (!m) break;
              grants.end(m.grant);
              m.ended = true;
              expect(grants.statusOf(m.grant)).not.toBe('active');
              break;
            }
            case 'advance':
              clock.advance(op.ms);
              break;
            case 'advance-to-expiry': {
              const m = model[op.grant];
              const target = m ? m.deadlineMs + op.deltaMs : 0;
              if (target > clock.monotonicMs()) clock.advance(target - clock.monotonicMs());
              break;
            }
            case 'open': {
              const u = PROVIDER_USERS[op.user]!;
              const chart = charts[op.patient]!;
              const now = clock.monotonicMs();
              const live = model.filter(
                (m) =>
                  m.holder === u.id &&
                  !m.ended &&
                  now < m.deadlineMs &&
                  (m.scope.kind === 'all-restricted' || m.scope.patient === chart.facts.patient),
              );
              const normal = normallyOpen(u.id, u.roles, op.patient);
              const access = ctx.openChart({ sub: u.id, name: u.displayName, roles: u.roles }, chart, 'chart');
              const served = access.kind === 'open' || access.kind === 'open-under-grant';
              expect(served).toBe(normal || (u.roles.includes('clinical') && live.length > 0));
              if (access.kind === 'open-under-grant') {
                expect(normal).toBe(false);
                expect(live.map((m) => m.grant.id)).toContain(access.grantId);
              }
              const events = log.search({}) as { outcome: string; agent: { policy?: string[] }[] }[];
              expect(events).toHaveLength(++logged);
              const last = events.at(-1)!;
              expect(last.outcome).toBe(served ? '0' : '4');
              expect(last.agent[0]!.policy).toEqual(
                access.kind === 'open-under-grant' ? [log.grantUri(access.grantId)] : undefined,
              );
              break;
            }
          }
        }
        // Whatever happened, nothing outlives its deadline.
        for (const m of model) {
          if (clock.monotonicMs() >= m.deadlineMs || m.ended) expect(grants.statusOf(m.grant)).not.toBe('active');
          expect(grants.msLeft(m.grant)).toBeLessThanOrEqual(Math.max(0, m.deadlineMs - clock.monotonicMs()));
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
