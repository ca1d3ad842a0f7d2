import { describe, expect, it } from 'vitest';
import { decideChartAccess, holdsRole, mayViewUnit, type JitCover } from '../../../tools/demo-ehr/access-rules.js';
import { ChartDirectory } from '../../../tools/demo-ehr/chart-directory.js';
import { demoRecords } from '../../../tools/demo-ehr/fixtures.js';
import { PROVIDER_USERS } from '../../../tools/local-idp/demo-users.js';

const directory = new ChartDirectory(demoRecords());
const noGrant = () => undefined;

function viewer(username: string) {
  const user = PROVIDER_USERS.find((u) => u.username === username)!;
  return { sub: user.id, roles: user.roles, units: directory.unitsOf(user.id) };
}

const jit = (units: string[], patients: string[]): JitCover => ({
  unit: (unit) => (units.includes(unit) ? `jit-unit-${unit}` : undefined),
  patient: (patient) => (patients.includes(patient) ? `jit-patient-${patient}` : undefined),
});

const decide = (username: string, patientId: string, cover: JitCover) =>
  decideChartAccess(viewer(username), directory.chart(patientId)!.facts, noGrant, cover);

describe('just-in-time grants in the chart access rules', () => {
  it.each([
    // [user, patient, unit grants, patient grants, expected]
    ['ana.nurse', 'p-1004', ['unit-ed'], [], { kind: 'open-under-jit', grantId: 'jit-unit-unit-ed', basis: 'unit' }],
    ['ana.nurse', 'p-1005', ['unit-ed'], [], { kind: 'open-under-jit', grantId: 'jit-unit-unit-ed', basis: 'unit' }],
    // Confidential on the granted unit: a unit grant lifts only "not your unit".
    ['ana.nurse', 'p-1006', ['unit-ed'], [], { kind: 'restricted', restrictions: ['other-unit', 'confidential'] }],
    // Behavioural health on the granted unit: still restricted.
    [
      'ana.nurse',
      'p-1008',
      ['unit-bh'],
      [],
      { kind: 'restricted', restrictions: ['other-unit', 'behavioural-health'] },
    ],
    // A grant for another unit opens nothing here.
    ['ana.nurse', 'p-1004', ['unit-bh'], [], { kind: 'restricted', restrictions: ['other-unit'] }],
    // A patient grant opens that one chart, whatever its labels, and no other.
    [
      'ana.nurse',
      'p-1006',
      [],
      ['Patient/p-1006'],
      { kind: 'open-under-jit', grantId: 'jit-patient-Patient/p-1006', basis: 'patient' },
    ],
    ['ana.nurse', 'p-1005', [], ['Patient/p-1006'], { kind: 'restricted', restrictions: ['other-unit'] }],
    // Charts that open anyway say so by their own basis, not by the grant.
    ['ana.nurse', 'p-1001', ['unit-4w'], ['Patient/p-1001'], { kind: 'open', basis: 'care-team' }],
    // Non-clinical roles never open charts, grant or not.
    ['cara.billing', 'p-1004', ['unit-ed'], ['Patient/p-1004'], { kind: 'not-clinical' }],
  ] as const)('%s opening %s (units %j, patients %j)', (username, patient, units, patients, expected) => {
    expect(decide(username, patient, jit([...units], [...patients]))).toEqual(expected);
  });

  it('shows a unit census to its staff and to holders of a grant for it only', () => {
    expect(mayViewUnit(viewer('ana.nurse'), 'unit-4w')).toBe(true);
    expect(mayViewUnit(viewer('ana.nurse'), 'unit-ed')).toBe(false);
    expect(mayViewUnit(viewer('ana.nurse'), 'unit-ed', jit(['unit-ed'], []))).toBe(true);
    expect(mayViewUnit(viewer('cara.billing'), 'unit-ed', jit(['unit-ed'], []))).toBe(false);
  });

  it('adds a role only while a grant for it is active', () => {
    expect(holdsRole(['nurse'], 'charge-nurse', () => undefined)).toBe(false);
    expect(holdsRole(['nurse'], 'charge-nurse', (r) => (r === 'charge-nurse' ? 'jit-1' : undefined))).toBe(true);
    expect(holdsRole(['charge-nurse'], 'charge-nurse', () => undefined)).toBe(true);
  });
});
