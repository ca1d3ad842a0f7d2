import type { AuditEvent } from '../audit-event.js';
import type { CodedValue } from './event-catalogue.js';
import { AUDIT_CATALOGUE, CARESHELL_EVENT_SYSTEM, DCM, outcomeCode } from './event-catalogue.js';
import { breakGlassPatient, BTG, isBreakGlass } from './break-glass-mapping.js';

const DICOM_URI = 'http://dicom.nema.org/resources/ontology/DCM';

interface Coding {
  system: string;
  code: string;
  display?: string;
}

/** The subset of FHIR R4 AuditEvent that CareShell fills in (https://hl7.org/fhir/R4/auditevent.html). */
export interface FhirAuditEvent {
  resourceType: 'AuditEvent';
  id: string;
  type: Coding;
  subtype: Coding[];
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  recorded: string;
  outcome: '0' | '4';
  outcomeDesc?: string;
  purposeOfEvent?: { coding: Coding[] }[];
  agent: {
    type?: { coding: Coding[] };
    who: { identifier?: { value: string }; display?: string };
    altId?: string;
    name?: string;
    requestor: boolean;
    role?: { text: string }[];
    purposeOfUse?: { coding: Coding[] }[];
    network?: { address: string; type: '1' };
  }[];
  source: { site?: string; observer: { display: string }; type: Coding[] };
  entity: {
    what: { identifier?: { system: string; value: string }; reference?: string };
    type: Coding;
    role?: Coding;
    description?: string;
    detail?: { type: string; valueString: string }[];
  }[];
}

function coding(value: CodedValue): Coding {
  return { system: value.system === DCM ? DICOM_URI : value.system, code: value.code, display: value.display };
}

/**
 * FHIR R4 AuditEvent for one stored event. `id` and the entity identifier carry the stable event id, so a
 * server (or SIEM) can drop the duplicates at-least-once delivery may produce. Break-glass events carry
 * purposeOfEvent BTG ("break the glass", HL7 v3 ActReason).
 */
export function toFhirAuditEvent(
  record: { id: string; seq: number; event: AuditEvent },
  options: { site?: string } = {},
): FhirAuditEvent {
  const { event } = record;
  const entry = AUDIT_CATALOGUE[event.type];
  const subtype = entry.eventType ? [coding(entry.eventType)] : [];
  subtype.push({ system: CARESHELL_EVENT_SYSTEM, code: event.type, display: entry.display });
  const actor = event.actor;
  const user = actor?.userId ?? actor?.badgeHash;
  // FHIR strings cannot be empty: an empty role or detail is left out here (the journal and DICOM keep it).
  const roles = (actor?.roles ?? []).filter((role) => role !== '');
  const agents: FhirAuditEvent['agent'] = [];
  if (user) {
    agents.push({
      who: {
        identifier: { value: actor?.userId ?? `badge:${actor?.badgeHash}` },
        ...(actor?.displayName ? { display: actor.displayName } : {}),
      },
      ...(actor?.userId && actor.badgeHash ? { altId: `badge:${actor.badgeHash}` } : {}),
      ...(actor?.displayName ? { name: actor.displayName } : {}),
      requestor: true,
      ...(roles.length ? { role: roles.map((text) => ({ text })) } : {}),
      ...(isBreakGlass(event) ? { purposeOfUse: [{ coding: [{ ...BTG }] }] } : {}),
    });
  }
  agents.push({
    type: { coding: [{ system: DICOM_URI, code: '110150', display: 'Application' }] },
    who: { display: `careshell@${event.workstation}` },
    requestor: !user,
    network: { address: event.workstation, type: '1' },
  });
  const resource: FhirAuditEvent = {
    resourceType: 'AuditEvent',
    id: record.id,
    type: coding(entry.eventId),
    subtype,
    action: entry.action,
    recorded: event.at,
    outcome: outcomeCode(event.outcome),
    agent: agents,
    source: {
      ...(options.site ? { site: options.site } : {}),
      observer: { display: event.workstation },
      type: [
        { system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '1', display: 'User Device' },
      ],
    },
    entity: [
      {
        what: { identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${record.id}` } },
        type: {
          system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
          code: '2',
          display: 'System Object',
        },
        description: 'CareShell audit record',
        detail: [
          { type: 'seq', valueString: String(record.seq) },
          ...Object.entries(event.details ?? {})
            .map(([type, value]) => ({ type, valueString: String(value) }))
            .filter(({ type, valueString }) => type !== '' && valueString !== ''),
        ],
      },
    ],
  };
  if (event.reason) resource.outcomeDesc = event.reason;
  if (isBreakGlass(event)) resource.purposeOfEvent = [{ coding: [{ ...BTG }] }];
  const patient = breakGlassPatient(event);
  if (patient) {
    resource.entity.push({
      what: { reference: patient },
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
      role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
    });
  }
  return resource;
}
