import { createHash } from 'node:crypto';
import type { ChartAccess, Restriction } from './access-rules.js';
import type { Chart } from './chart-directory.js';
import type { AnyResource } from './fhir-resources.js';
import { escapeHtml as h } from './http-kit.js';
import type { IdentityClaims } from './idp-client.js';

/**
 * The clinician-facing HTML of the demo EHR. Pages carry no script at all (the Content-Security-Policy allows only
 * this stylesheet), so the shell can embed them without a bridge and links are the only way out.
 */

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b2733;background:#f4f6f8}
header{background:#0b4f6c;color:#fff;padding:.6rem 1.2rem;display:flex;justify-content:space-between;align-items:center}
header a{color:#fff}header button{color:#fff;background:none;border:1px solid #fff;border-radius:4px;cursor:pointer}main{padding:1rem 1.2rem;max-width:60rem}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border-bottom:1px solid #d8dee4;padding:.4rem .6rem;text-align:left}
section{background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0}
.tag{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:.8rem;background:#e6ecf0}
.restricted{background:#fde2e1;color:#8a1c1c}.grant{background:#fff3cd;border-color:#e0b100}
.btg{display:inline-block;background:#b3261e;color:#fff;padding:.5rem 1rem;border-radius:6px;text-decoration:none;font-weight:600}
form{display:inline}`;

/** The CSP hash of the one inline stylesheet. */
export const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src '${STYLE_HASH}'; form-action 'self'; base-uri 'none'`;

const RESTRICTION_TEXT: Record<Restriction, string> = {
  'other-unit': 'the patient is not on your unit and you are not on their care team',
  confidential: 'the chart is marked confidential (VIP or restricted)',
  'behavioural-health': 'the chart holds behavioural-health information',
};

function layout(title: string, user: IdentityClaims | undefined, body: string): string {
  const who = user
    ? `<span>${h(user.name)} · <form method="post" action="/logout"><button type="submit">Sign out</button></form></span>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${h(title)} - Demo EHR</title>
<style>${STYLE}</style></head><body><header><strong><a href="/">Demo EHR</a></strong>${who}</header>
<main>${body}</main></body></html>`;
}

export function patientName(chart: Chart): string {
  const name = chart.patient.name?.[0];
  return name ? `${name.given.join(' ')} ${name.family}` : chart.patient.id;
}

function unitText(chart: Chart, unitNames: ReadonlyMap<string, string>): string {
  return [...chart.facts.units].map((u) => unitNames.get(u) ?? u).join(', ');
}

export function patientListPage(
  user: IdentityClaims,
  rows: { chart: Chart; access: ChartAccess }[],
  unitNames: ReadonlyMap<string, string>,
): string {
  const body = rows
    .map(({ chart, access }) => {
      const open = access.kind === 'open' || access.kind === 'open-under-grant' || access.kind === 'open-under-jit';
      // A restricted chart's name is not shown in the census: the open itself is what gets audited.
      const label = open || !chart.facts.confidential ? h(patientName(chart)) : 'Confidential patient';
      const tag = open
        ? access.kind === 'open-under-grant'
          ? '<span class="tag grant">break-glass</span>'
          : access.kind === 'open-under-jit'
            ? '<span class="tag grant">just-in-time</span>'
            : ''
        : '<span class="tag restricted">restricted</span>';
      return `<tr><td><a href="/patients/${h(chart.patient.id)}">${label}</a> ${tag}</td><td>${h(chart.patient.identifier?.[0]?.value ?? '')}</td><td>${h(unitText(chart, unitNames))}</td></tr>`;
    })
    .join('');
  return layout(
    'Patients',
    user,
    `<h1>Patients</h1><table><thead><tr><th>Patient</th><th>MRN</th><th>Unit</th></tr></thead><tbody>${body}</tbody></table>`,
  );
}

function decodeNote(data: string | undefined): string {
  return data === undefined ? '' : Buffer.from(data, 'base64').toString('utf8');
}

function section(title: string, items: string[]): string {
  const list = items.length > 0 ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : '<p>None recorded.</p>';
  return `<section><h2>${h(title)}</h2>${list}</section>`;
}

function ofType<T extends AnyResource['resourceType']>(
  chart: Chart,
  type: T,
): Extract<AnyResource, { resourceType: T }>[] {
  return chart.resources.filter((r): r is Extract<AnyResource, { resourceType: T }> => r.resourceType === type);
}

export function chartPage(
  user: IdentityClaims,
  chart: Chart,
  unitNames: ReadonlyMap<string, string>,
  grant: { id: string; expiresAt: Date } | undefined,
  jitGrant?: { id: string; expiresAt: Date },
): string {
  const p = chart.patient;
  const banner = grant
    ? `<section class="grant" id="break-glass-grant">Opened under break-glass grant <code>${h(grant.id)}</code>, which ends at ${h(grant.expiresAt.toISOString())}. This access is audited and reviewed.</section>`
    : jitGrant
      ? `<section class="grant" id="jit-grant">Opened under just-in-time grant <code>${h(jitGrant.id)}</code>, which ends at ${h(jitGrant.expiresAt.toISOString())}. This access is audited.</section>`
      : '';
  const encounter = ofType(chart, 'Encounter')[0];
  const body = `${banner}<h1 id="patient-name">${h(patientName(chart))}</h1>
<p>${h(p.identifier?.[0]?.value ?? '')} · ${h(p.gender ?? '')} · born ${h(p.birthDate ?? '')} · ${h(unitText(chart, unitNames))}</p>
<p>Admitted for: ${h(encounter?.reasonCode?.[0]?.text ?? 'unknown')}</p>
${section(
  'Allergies',
  ofType(chart, 'AllergyIntolerance').map(
    (a) =>
      `${h(a.code?.text ?? '')} - ${h(a.reaction?.[0]?.manifestation[0]?.text ?? '')} (${h(a.criticality ?? '')} criticality)`,
  ),
)}
${section(
  'Medications',
  ofType(chart, 'MedicationRequest').map((m) =>
    h(m.dosageInstruction?.[0]?.text ?? m.medicationCodeableConcept.text ?? ''),
  ),
)}
${section(
  'Notes',
  ofType(chart, 'DocumentReference').map(
    (n) =>
      `<strong>${h(n.description ?? '')}</strong> (${h(n.author?.[0]?.display ?? '')}, ${h(n.date ?? '')}): ${h(decodeNote(n.content[0]?.attachment.data))}`,
  ),
)}
${section(
  'Care team',
  ofType(chart, 'CareTeam').flatMap((c) => (c.participant ?? []).map((m) => h(m.member?.display ?? ''))),
)}`;
  return layout(patientName(chart), user, body);
}

export function restrictedPage(
  user: IdentityClaims,
  patientId: string,
  restrictions: Restriction[],
  breakGlassHref: string | undefined,
): string {
  const why = restrictions.map((r) => `<li>${h(RESTRICTION_TEXT[r])}</li>`).join('');
  const offer = breakGlassHref
    ? `<p>In an emergency you may open it with break-glass access: you give a reason, the access is time-limited, the privacy officer is alerted and every chart you open is reviewed.</p>
<p><a class="btg" id="break-glass" href="${h(breakGlassHref)}">Break the glass</a></p>`
    : '<p>Your role does not include emergency (break-glass) access. Ask a member of the care team.</p>';
  return layout(
    'Restricted chart',
    user,
    `<h1 id="restricted">Restricted chart</h1><p>You cannot open the chart of patient ${h(patientId)} because:</p><ul>${why || '<li>your role does not give access to patient charts</li>'}</ul>${offer}`,
  );
}

/** One unit's census: its in-patients, each with what the viewer may open. */
export function unitCensusPage(
  user: IdentityClaims,
  unit: { id: string; name: string },
  rows: { chart: Chart; access: ChartAccess }[],
  jitGrant: { id: string; expiresAt: Date } | undefined,
): string {
  const banner = jitGrant
    ? `<section class="grant" id="jit-grant">Shown under just-in-time grant <code>${h(jitGrant.id)}</code>, which ends at ${h(jitGrant.expiresAt.toISOString())}.</section>`
    : '';
  const body = rows
    .map(({ chart, access }) => {
      const open = access.kind === 'open' || access.kind === 'open-under-grant' || access.kind === 'open-under-jit';
      const label = open || !chart.facts.confidential ? h(patientName(chart)) : 'Confidential patient';
      const tag = open ? '' : '<span class="tag restricted">restricted</span>';
      return `<tr><td><a href="/patients/${h(chart.patient.id)}">${label}</a> ${tag}</td><td>${h(chart.patient.identifier?.[0]?.value ?? '')}</td></tr>`;
    })
    .join('');
  return layout(
    unit.name,
    user,
    `${banner}<h1 id="unit-census">Census: ${h(unit.name)}</h1><table><thead><tr><th>Patient</th><th>MRN</th></tr></thead><tbody>${body}</tbody></table>`,
  );
}

/** The charge nurse's staffing board: who works on the viewer's units and which patients each cares for. */
export function staffingPage(
  user: IdentityClaims,
  units: { id: string; name: string; staff: { name: string; role: string; patients: string[] }[] }[],
  jitGrant: { id: string; expiresAt: Date } | undefined,
): string {
  const banner = jitGrant
    ? `<section class="grant" id="jit-grant">Charge-nurse role under just-in-time grant <code>${h(jitGrant.id)}</code>, which ends at ${h(jitGrant.expiresAt.toISOString())}.</section>`
    : '';
  const sections = units
    .map(
      (u) =>
        `<section><h2>${h(u.name)}</h2><table><thead><tr><th>Staff</th><th>Role</th><th>Assigned patients</th></tr></thead><tbody>${u.staff
          .map(
            (s) => `<tr><td>${h(s.name)}</td><td>${h(s.role)}</td><td>${h(s.patients.join(', ') || 'none')}</td></tr>`,
          )
          .join('')}</tbody></table></section>`,
    )
    .join('');
  return layout(
    'Staffing',
    user,
    `${banner}<h1 id="staffing">Unit staffing and assignments</h1>${sections || '<p>You work on no unit.</p>'}`,
  );
}

export function messagePage(title: string, message: string, user?: IdentityClaims): string {
  return layout(title, user, `<h1>${h(title)}</h1><p>${h(message)}</p>`);
}
