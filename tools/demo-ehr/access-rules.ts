/**
 * The EHR's attribute-based chart access rules, as pure functions so they are tested exhaustively
 * (docs/break-glass-api.md#access-rules):
 * - only clinical roles open charts, and only they may break the glass;
 * - the patient's care team opens the chart, whatever its labels;
 * - anyone else on the patient's unit opens it unless it is labelled confidential or behavioural health;
 * - a just-in-time grant for the patient opens that chart; one for the patient's unit opens it unless it is
 *   labelled confidential or behavioural health (the same as working on that unit);
 * - everything else is restricted, and opens only under an active break-glass grant covering the patient.
 */

import type { Restriction } from '../../common/break-glass-link.js';
export type { Restriction };

export const CLINICAL_ROLE = 'clinical';

export interface ChartFacts {
  /** "Patient/<id>" */
  patient: string;
  /** Units the patient is currently in (Location ids of active encounters). */
  units: ReadonlySet<string>;
  /** Subjects of the CareTeam members. */
  careTeam: ReadonlySet<string>;
  confidential: boolean;
  behaviouralHealth: boolean;
}

export interface Viewer {
  sub: string;
  roles: readonly string[];
  /** Units the viewer works on (Location ids of their PractitionerRoles). */
  units: ReadonlySet<string>;
}

export type ChartAccess =
  | { kind: 'open'; basis: 'care-team' | 'unit' }
  | { kind: 'open-under-grant'; grantId: string; restrictions: Restriction[] }
  | { kind: 'open-under-jit'; grantId: string; basis: 'patient' | 'unit' }
  | { kind: 'restricted'; restrictions: Restriction[] }
  | { kind: 'not-clinical' };

/** Whether the user's roles allow break-glass at all (a billing clerk never sees the offer). */
export function mayBreakGlass(roles: readonly string[]): boolean {
  return roles.includes(CLINICAL_ROLE);
}

/** What stands between the viewer and the chart without a grant; empty means it opens by normal rules. */
export function restrictionsFor(viewer: Viewer, chart: ChartFacts): Restriction[] {
  if (chart.careTeam.has(viewer.sub)) return [];
  const restrictions: Restriction[] = [];
  if (![...chart.units].some((unit) => viewer.units.has(unit))) restrictions.push('other-unit');
  if (chart.confidential) restrictions.push('confidential');
  if (chart.behaviouralHealth) restrictions.push('behavioural-health');
  return restrictions;
}

/** The viewer's just-in-time grants active now: each answers a grant id, or undefined. */
export interface JitCover {
  patient(patient: string): string | undefined;
  unit(unit: string): string | undefined;
}

const NO_JIT: JitCover = { patient: () => undefined, unit: () => undefined };

/**
 * The decision for one chart open. `activeGrantFor` answers the id of a break-glass grant of this viewer that is
 * active now and covers the patient, or undefined; `jit` the viewer's active just-in-time grants.
 */
export function decideChartAccess(
  viewer: Viewer,
  chart: ChartFacts,
  activeGrantFor: (patient: string) => string | undefined,
  jit: JitCover = NO_JIT,
): ChartAccess {
  if (!mayBreakGlass(viewer.roles)) return { kind: 'not-clinical' };
  const restrictions = restrictionsFor(viewer, chart);
  if (restrictions.length === 0) return { kind: 'open', basis: chart.careTeam.has(viewer.sub) ? 'care-team' : 'unit' };
  const forPatient = jit.patient(chart.patient);
  if (forPatient !== undefined) return { kind: 'open-under-jit', grantId: forPatient, basis: 'patient' };
  // A unit grant lifts only "not your unit": confidential and behavioural-health labels still restrict.
  if (restrictions.length === 1 && restrictions[0] === 'other-unit') {
    const forUnit = [...chart.units].map((unit) => jit.unit(unit)).find((id) => id !== undefined);
    if (forUnit !== undefined) return { kind: 'open-under-jit', grantId: forUnit, basis: 'unit' };
  }
  const grantId = activeGrantFor(chart.patient);
  if (grantId !== undefined) return { kind: 'open-under-grant', grantId, restrictions };
  return { kind: 'restricted', restrictions };
}

/** Whether the viewer may see a unit's census: they work there, or hold a just-in-time grant for it. */
export function mayViewUnit(viewer: Viewer, unit: string, jit: JitCover = NO_JIT): boolean {
  return mayBreakGlass(viewer.roles) && (viewer.units.has(unit) || jit.unit(unit) !== undefined);
}

/** Whether the user holds a role, from the identity provider or from an active just-in-time grant. */
export function holdsRole(
  roles: readonly string[],
  role: string,
  roleGrant: (role: string) => string | undefined,
): boolean {
  return roles.includes(role) || roleGrant(role) !== undefined;
}

/** Whether a decision lets the chart's content be served. */
export function isOpen(access: ChartAccess): boolean {
  return access.kind === 'open' || access.kind === 'open-under-grant' || access.kind === 'open-under-jit';
}
