import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/manual-clock.js';
import type { Random } from '../../../common/random.js';
import { AccessLog } from '../../../tools/demo-ehr/access-log.js';
import { holdsRole, mayViewUnit } from '../../../tools/demo-ehr/access-rules.js';
import { ChartDirectory } from '../../../tools/demo-ehr/chart-directory.js';
import { EhrContext, type IdpSignIn } from '../../../tools/demo-ehr/ehr-context.js';
import { demoRecords } from '../../../tools/demo-ehr/fixtures.js';
import { GrantStore } from '../../../tools/demo-ehr/grant-store.js';
import { JitGrantStore, type JitGrant, type JitScope } from '../../../tools/demo-ehr/jit-grant-store.js';
import { SessionStore } from '../../../tools/demo-ehr/session-store.js';
import { PROVIDER_USERS } from '../../../tools/local-idp/demo-users.js';

const directory = new ChartDirectory(demoRecords());
const charts = directory.allCharts();
const units = [...directory.unitNames.keys()];
const MINUTE = 60_000;
const ROLE = 'charge-nurse';

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
  | { op: 'issue'; user: number; kind: 'unit' | 'patient' | 'role'; value: number; minutes: number }
  | { op: 'end'; grant: number }
  | { op: 'advance'; ms: number }
  | { op: 'advance-to-expiry'; grant: number; deltaMs: number }
  | { op: 'open'; user: number; patient: number }
  | { op: 'census'; user: number; unit: number }
  | { op: 'staffing'; user: number };

const user = fc.nat({ max: PROVIDER_USERS.length - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('issue' as const),
    user,
    kind: fc.constantFrom('unit' as const, 'patient' as const, 'role' as const),
    value: fc.nat({ max: 20 }),
    minutes: fc.integer({ min: 5, max: 720 }),
  }),
  fc.record({ op: fc.constant('end' as const), grant: fc.nat({ max: 20 }) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 9 * 60 * MINUTE }) }),
  fc.record({
    op: fc.constant('advance-to-expiry' as const),
    grant: fc.nat({ max: 20 }),
    deltaMs: fc.integer({ min: -1, max: 1 }),
  }),
  fc.record({ op: fc.constant('open' as const), user, patient: fc.nat({ max: charts.length - 1 }) }),
  fc.record({ op: fc.constant('open' as const), user, patient: fc.nat({ max: charts.length - 1 }) }),
  fc.record({ op: fc.constant('census' as const), user, unit: fc.nat({ max: units.length - 1 }) }),
  fc.record({ op: fc.constant('staffing' as const), user }),
);

interface ModelGrant {
  grant: JitGrant;
  holder: string;
  scope: JitScope;
  deadlineMs: number;
  ended: boolean;
}

/** The rules restated independently: care team, or own unit when the chart carries no sensitivity label. */
function normallyOpen(sub: string, roles: readonly string[], patientIndex: number): boolean {
  const facts = charts[patientIndex]!.facts;
  if (!roles.includes('clinical')) return false;
  if (facts.careTeam.has(sub)) return true;
  const sharesUnit = [...facts.units].some((u) => directory.unitsOf(sub).has(u));
  return sharesUnit && !facts.confidential && !facts.behaviouralHealth;
}

describe('just-in-time enforcement in the demo EHR (property, 10,000 runs)', () => {
  it('a chart, census or role serves only under a live grant of the right scope; never after expiry or end; unit grants never open labelled charts', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const clock = new ManualClock();
        const random = counterRandom();
        const jit = new JitGrantStore(clock, random);
        const log = new AccessLog(clock, random, 'http://127.0.0.1:1');
        const ctx = new EhrContext(
          'http://127.0.0.1:1',
          'c',
          clock,
          directory,
          new GrantStore(clock, random),
          log,
          new SessionStore(clock, random),
          noIdp,
          () => undefined,
          jit,
        );
        const model: ModelGrant[] = [];
        const live = (sub: string, test: (scope: JitScope) => boolean) =>
          model.filter((m) => m.holder === sub && !m.ended && clock.monotonicMs() < m.deadlineMs && test(m.scope));
        for (const op of ops) {
          if (op.op === 'issue') {
            const u = PROVIDER_USERS[op.user]!;
            const scope: JitScope =
              op.kind === 'unit'
                ? { kind: 'unit', unit: units[op.value % units.length]! }
                : op.kind === 'patient'
                  ? { kind: 'patient', patient: charts[op.value % charts.length]!.facts.patient }
                  : { kind: 'role', role: op.value % 2 === 0 ? ROLE : 'other-role' };
            const grant = jit.issue({
              holder: u.id,
              holderName: u.displayName,
              scope,
              purpose: { code: 'x', text: 'y' },
              approval: { kind: 'auto' },
              durationMinutes: op.minutes,
            });
            model.push({
              grant,
              holder: u.id,
              scope,
              deadlineMs: clock.monotonicMs() + op.minutes * MINUTE,
              ended: false,
            });
          } else if (op.op === 'end') {
            const m = model[op.grant];
            if (!m) continue;
            jit.end(m.grant);
            m.ended = true;
            expect(jit.statusOf(m.grant)).not.toBe('active');
          } else if (op.op === 'advance') {
            clock.advance(op.ms);
          } else if (op.op === 'advance-to-expiry') {
            const m = model[op.grant];
            const target = m ? m.deadlineMs + op.deltaMs : 0;
            if (target > clock.monotonicMs()) clock.advance(target - clock.monotonicMs());
          } else if (op.op === 'open') {
            const u = PROVIDER_USERS[op.user]!;
            const chart = charts[op.patient]!;
            const facts = chart.facts;
            const clinical = u.roles.includes('clinical');
            const forPatient = live(u.id, (s) => s.kind === 'patient' && s.patient === facts.patient);
            const forUnit = live(u.id, (s) => s.kind === 'unit' && facts.units.has(s.unit));
            const unitMayOpen = !facts.confidential && !facts.behaviouralHealth;
            const normal = normallyOpen(u.id, u.roles, op.patient);
            const access = ctx.openChart({ sub: u.id, name: u.displayName, roles: u.roles }, chart, 'chart');
            const served = access.kind === 'open' || access.kind === 'open-under-jit';
            expect(served).toBe(normal || (clinical && (forPatient.length > 0 || (forUnit.length > 0 && unitMayOpen))));
            if (access.kind === 'open-under-jit') {
              expect(normal).toBe(false);
              expect([...forPatient, ...forUnit].map((m) => m.grant.id)).toContain(access.grantId);
              const last = (log.search({}) as { agent: { policy?: string[] }[] }[]).at(-1)!;
              expect(last.agent[0]!.policy).toEqual([log.jitGrantUri(access.grantId)]);
            }
          } else if (op.op === 'census') {
            const u = PROVIDER_USERS[op.user]!;
            const unit = units[op.unit]!;
            const viewer = { sub: u.id, roles: u.roles, units: directory.unitsOf(u.id) };
            const expected =
              u.roles.includes('clinical') &&
              (viewer.units.has(unit) || live(u.id, (s) => s.kind === 'unit' && s.unit === unit).length > 0);
            expect(mayViewUnit(viewer, unit, ctx.jitCover(u.id))).toBe(expected);
          } else {
            const u = PROVIDER_USERS[op.user]!;
            const expected =
              u.roles.includes(ROLE) || live(u.id, (s) => s.kind === 'role' && s.role === ROLE).length > 0;
            expect(holdsRole(u.roles, ROLE, (role) => jit.roleGrant(u.id, role))).toBe(expected);
          }
        }
        for (const m of model) {
          if (clock.monotonicMs() >= m.deadlineMs || m.ended) expect(jit.statusOf(m.grant)).not.toBe('active');
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
