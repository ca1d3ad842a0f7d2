import { describe, expect, it } from 'vitest';
import { ChartDirectory } from '../../../tools/demo-ehr/chart-directory.js';
import {
  ACT_CODE_SYSTEM,
  CONFIDENTIALITY_SYSTEM,
  RESOURCE_SCHEMAS,
  type AnyResource,
} from '../../../tools/demo-ehr/fhir-resources.js';
import { demoRecords } from '../../../tools/demo-ehr/fixtures.js';
import { PROVIDER_USERS } from '../../../tools/local-idp/demo-users.js';

const records = demoRecords();
const all: AnyResource[] = Object.values(records).flat();

function referencesIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'reference' && typeof v === 'string' ? [v] : referencesIn(v),
  );
}

describe('demo EHR fixtures', () => {
  it.each(all.map((r) => [`${r.resourceType}/${r.id}`, r] as const))(
    '%s satisfies its FHIR R4 schema',
    (_, resource) => {
      const result = RESOURCE_SCHEMAS[resource.resourceType].safeParse(resource);
      expect(result.error?.issues ?? []).toEqual([]);
    },
  );

  it('the schemas refuse a resource missing an element R4 requires', () => {
    const [medication] = records.medications;
    const { intent: _, ...withoutIntent } = medication!;
    expect(RESOURCE_SCHEMAS.MedicationRequest.safeParse(withoutIntent).success).toBe(false);
    const { class: __, ...withoutClass } = records.encounters[0]!;
    expect(RESOURCE_SCHEMAS.Encounter.safeParse(withoutClass).success).toBe(false);
    const note = { ...records.notes[0]!, content: [] };
    expect(RESOURCE_SCHEMAS.DocumentReference.safeParse(note).success).toBe(false);
    const allergy = { ...records.allergies[0]!, clinicalStatus: undefined };
    expect(RESOURCE_SCHEMAS.AllergyIntolerance.safeParse(allergy).success).toBe(false);
    expect(RESOURCE_SCHEMAS.Patient.safeParse({ ...records.patients[0]!, nmae: [] }).success).toBe(false);
  });

  it('ids are unique per type and every reference resolves', () => {
    const keys = all.map((r) => `${r.resourceType}/${r.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    const dangling = referencesIn(all).filter((ref) => !keys.includes(ref));
    expect(dangling).toEqual([]);
  });

  it('covers 8-10 patients on 3 units, with confidential (R and V) and behavioural-health charts', () => {
    const directory = new ChartDirectory(records);
    const charts = directory.allCharts();
    expect(charts.length).toBeGreaterThanOrEqual(8);
    expect(charts.length).toBeLessThanOrEqual(10);
    expect(new Set(charts.flatMap((c) => [...c.facts.units])).size).toBe(3);
    const security = records.patients.flatMap((p) => p.meta?.security ?? []);
    expect(
      security
        .filter((c) => c.system === CONFIDENTIALITY_SYSTEM)
        .map((c) => c.code)
        .sort(),
    ).toContain('V');
    expect(security.some((c) => c.system === CONFIDENTIALITY_SYSTEM && c.code === 'R')).toBe(true);
    expect(security.some((c) => c.system === ACT_CODE_SYSTEM && c.code === 'PSY')).toBe(true);
    for (const chart of charts) {
      const types = new Set(chart.resources.map((r) => r.resourceType));
      expect([...types]).toEqual(
        expect.arrayContaining(['Patient', 'Encounter', 'CareTeam', 'DocumentReference', 'MedicationRequest']),
      );
      expect(chart.facts.units.size).toBe(1);
      expect(chart.facts.careTeam.size).toBeGreaterThan(0);
    }
  });

  it('every clinical user of the local provider works on a unit; non-clinical users on none', () => {
    const directory = new ChartDirectory(records);
    for (const user of PROVIDER_USERS) {
      expect(directory.unitsOf(user.id).size > 0, user.username).toBe(user.roles.includes('clinical'));
    }
  });
});
