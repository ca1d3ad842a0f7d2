import { describe, expect, it } from 'vitest';
import { decideChartAccess, mayBreakGlass, type ChartAccess } from '../../../tools/demo-ehr/access-rules.js';
import { ChartDirectory } from '../../../tools/demo-ehr/chart-directory.js';
import { demoRecords } from '../../../tools/demo-ehr/fixtures.js';
import { PROVIDER_USERS } from '../../../tools/local-idp/demo-users.js';

const directory = new ChartDirectory(demoRecords());
const noGrant = () => undefined;

function decide(
  username: string,
  patientId: string,
  grant: (patient: string) => string | undefined = noGrant,
): ChartAccess {
  const user = PROVIDER_USERS.find((u) => u.username === username)!;
  const chart = directory.chart(patientId)!;
  return decideChartAccess({ sub: user.id, roles: user.roles, units: directory.unitsOf(user.id) }, chart.facts, grant);
}

describe('chart access rules on the demo data', () => {
  it.each([
    // [user, patient, expected]
    ['ana.nurse', 'p-1001', { kind: 'open', basis: 'care-team' }],
    ['ana.nurse', 'p-1002', { kind: 'open', basis: 'unit' }],
    ['ana.nurse', 'p-1003', { kind: 'open', basis: 'care-team' }], // confidential, but on the care team
    ['eve.nurse', 'p-1003', { kind: 'restricted', restrictions: ['confidential'] }], // same unit, not on the team
    ['ana.nurse', 'p-1005', { kind: 'restricted', restrictions: ['other-unit'] }],
    ['ana.nurse', 'p-1010', { kind: 'open', basis: 'care-team' }], // other unit, on the care team
    ['ana.nurse', 'p-1009', { kind: 'restricted', restrictions: ['behavioural-health'] }], // own unit, BH label
    ['ana.nurse', 'p-1007', { kind: 'restricted', restrictions: ['other-unit', 'confidential', 'behavioural-health'] }],
    ['ben.er', 'p-1005', { kind: 'open', basis: 'care-team' }],
    ['ben.er', 'p-1006', { kind: 'restricted', restrictions: ['confidential'] }], // VIP on his own unit
    ['ben.er', 'p-1008', { kind: 'restricted', restrictions: ['other-unit', 'behavioural-health'] }],
    ['cara.billing', 'p-1001', { kind: 'not-clinical' }],
    ['dan.privacy', 'p-1004', { kind: 'not-clinical' }],
  ] as const)('%s opening %s', (username, patient, expected) => {
    expect(decide(username, patient)).toEqual(expected);
  });

  it('an active grant covering the patient opens a restricted chart, naming the grant and what it overrode', () => {
    const grant = (patient: string) => (patient === 'Patient/p-1005' ? 'bg-1' : undefined);
    expect(decide('ana.nurse', 'p-1005', grant)).toEqual({
      kind: 'open-under-grant',
      grantId: 'bg-1',
      restrictions: ['other-unit'],
    });
    expect(decide('ana.nurse', 'p-1006', grant)).toMatchObject({ kind: 'restricted' });
  });

  it('a chart that opens by the normal rules never reports a grant', () => {
    expect(decide('ana.nurse', 'p-1002', () => 'bg-1')).toEqual({ kind: 'open', basis: 'unit' });
  });

  it('no grant opens a chart for a non-clinical role, and only clinical roles may break the glass', () => {
    expect(decide('cara.billing', 'p-1005', () => 'bg-1')).toEqual({ kind: 'not-clinical' });
    expect(PROVIDER_USERS.filter((u) => mayBreakGlass(u.roles)).map((u) => u.username)).toEqual([
      'ana.nurse',
      'ben.er',
      'chris.charge',
      'eve.nurse',
      'sam.locum',
    ]);
  });
});
