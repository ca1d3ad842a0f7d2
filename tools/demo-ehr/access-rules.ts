/**
 * The EHR's attribute-based chart access rules, as pure functions so they are tested exhaustively
 * (docs/break-glass-api.md#access-rules):
 * - only clinical roles open charts, and only they may break the glass;
 * - the patient's care team opens the chart, whatever its labels;
 * - anyone else on the patient's unit opens it unless it is labelled confidential or behavioural health;
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

/**
 * The decision for one chart open. `activeGrantFor` answers the id of a grant of this viewer that is active now
 * and covers the patient, or undefined.
 */
export function decideChartAccess(
  viewer: Viewer,
  chart: ChartFacts,
  activeGrantFor: (patient: string) => string | undefined,
): ChartAccess {
  if (!mayBreakGlass(viewer.roles)) return { kind: 'not-clinical' };
  const restrictions = restrictionsFor(viewer, chart);
  if (restrictions.length === 0) return { kind: 'open', basis: chart.careTeam.has(viewer.sub) ? 'care-team' : 'unit' };
  const grantId = activeGrantFor(chart.patient);
  if (grantId !== undefined) return { kind: 'open-under-grant', grantId, restrictions };
  return { kind: 'restricted', restrictions };
}

/** Whether a decision lets the chart's content be served. */
export function isOpen(access: ChartAccess): boolean {
  return access.kind === 'open' || access.kind === 'open-under-grant';
}
