import type { ChartFacts } from './access-rules.js';
import { ACT_CODE_SYSTEM, CONFIDENTIALITY_SYSTEM, type AnyResource, type Patient } from './fhir-resources.js';
import type { DemoRecords } from './fixtures.js';

/** Confidentiality codes that restrict a chart to its care team (HL7 v3 Confidentiality: restricted, very restricted). */
const RESTRICTING_CONFIDENTIALITY = new Set(['R', 'V']);
/** ActCode sensitivity codes of behavioural-health information. */
const BEHAVIOURAL_HEALTH = new Set(['PSY', 'BH', 'ETH']);

function idOf(reference: string | undefined, type: string): string | undefined {
  const prefix = `${type}/`;
  return reference?.startsWith(prefix) ? reference.slice(prefix.length) : undefined;
}

/** Everything one patient's chart shows. */
export interface Chart {
  patient: Patient;
  facts: ChartFacts;
  /** The resources in the patient's compartment, Patient first. */
  resources: AnyResource[];
}

/**
 * The records indexed the way the access rules read them: a patient's units, care team and labels, and each staff
 * member's units, all derived from the FHIR resources themselves (no side tables).
 */
export class ChartDirectory {
  private readonly charts = new Map<string, Chart>();
  private readonly staffUnits = new Map<string, Set<string>>();
  readonly unitNames = new Map<string, string>();

  constructor(private readonly records: DemoRecords) {
    for (const location of records.locations) this.unitNames.set(location.id, location.name ?? location.id);
    for (const role of records.practitionerRoles) {
      const sub = idOf(role.practitioner?.reference, 'Practitioner');
      if (!sub || role.active === false) continue;
      const units = this.staffUnits.get(sub) ?? new Set<string>();
      for (const location of role.location ?? []) {
        const unit = idOf(location.reference, 'Location');
        if (unit) units.add(unit);
      }
      this.staffUnits.set(sub, units);
    }
    for (const patient of records.patients) {
      const ref = `Patient/${patient.id}`;
      const about = (r: { subject?: { reference?: string }; patient?: { reference?: string } }) =>
        (r.subject ?? r.patient)?.reference === ref;
      const encounters = records.encounters.filter((e) => about(e) && e.status === 'in-progress');
      const careTeams = records.careTeams.filter((c) => about(c) && c.status === 'active');
      const security = patient.meta?.security ?? [];
      this.charts.set(patient.id, {
        patient,
        facts: {
          patient: ref,
          units: new Set(
            encounters.flatMap((e) => (e.location ?? []).map((l) => idOf(l.location.reference, 'Location') ?? '')),
          ),
          careTeam: new Set(
            careTeams.flatMap((c) => (c.participant ?? []).map((p) => idOf(p.member?.reference, 'Practitioner') ?? '')),
          ),
          confidential: security.some(
            (c) => c.system === CONFIDENTIALITY_SYSTEM && RESTRICTING_CONFIDENTIALITY.has(c.code),
          ),
          behaviouralHealth: security.some((c) => c.system === ACT_CODE_SYSTEM && BEHAVIOURAL_HEALTH.has(c.code)),
        },
        resources: [
          patient,
          ...encounters,
          ...careTeams,
          ...records.allergies.filter(about),
          ...records.medications.filter(about),
          ...records.notes.filter(about),
        ],
      });
    }
  }

  chart(patientId: string): Chart | undefined {
    return this.charts.get(patientId);
  }

  allCharts(): Chart[] {
    return [...this.charts.values()];
  }

  /** Who works on a unit, with their role, from the active PractitionerRoles. */
  staffOf(unit: string): { sub: string; name: string; role: string }[] {
    return this.records.practitionerRoles
      .filter((r) => r.active !== false && (r.location ?? []).some((l) => idOf(l.reference, 'Location') === unit))
      .map((r) => ({
        sub: idOf(r.practitioner?.reference, 'Practitioner') ?? '',
        name: r.practitioner?.display ?? '',
        role: r.code?.[0]?.text ?? '',
      }));
  }

  unitsOf(sub: string): ReadonlySet<string> {
    return this.staffUnits.get(sub) ?? new Set();
  }

  /** A resource by type and id, with the patient whose compartment holds it (undefined for shared resources). */
  find(type: string, id: string): { resource: AnyResource; patientId?: string } | undefined {
    for (const chart of this.charts.values()) {
      const resource = chart.resources.find((r) => r.resourceType === type && r.id === id);
      if (resource) return { resource, patientId: chart.patient.id };
    }
    const shared: AnyResource[] = [
      ...this.records.locations,
      ...this.records.practitioners,
      ...this.records.practitionerRoles,
    ];
    const resource = shared.find((r) => r.resourceType === type && r.id === id);
    return resource ? { resource } : undefined;
  }
}
