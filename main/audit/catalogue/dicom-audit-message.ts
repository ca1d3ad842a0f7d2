import type { AuditEvent } from '../audit-event.js';
import type { CodedValue } from './event-catalogue.js';
import { AUDIT_CATALOGUE, CARESHELL_EVENT_SYSTEM, outcomeCode } from './event-catalogue.js';
import { breakGlassPatient } from './break-glass-mapping.js';

export interface AuditSourceOptions {
  /** AuditEnterpriseSiteID: the hospital or site, as the collector knows it. */
  enterpriseSiteId?: string;
}

// XML 1.0 cannot carry most control characters, nor a lone UTF-16 surrogate, even escaped; they become U+FFFD.
const XML_INVALID =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function xml(text: string): string {
  return text
    .replace(XML_INVALID, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attributes(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${xml(value)}"`)
    .join('');
}

function coded(element: string, value: CodedValue): string {
  return `<${element}${attributes({ 'csd-code': value.code, codeSystemName: value.system, originalText: value.display })}/>`;
}

/**
 * The DICOM PS3.15 Annex A.5 audit message for one stored event: EventIdentification (EventID, the standard
 * EventTypeCode where one fits plus CareShell's own, outcome 0/4, the reason), the user as requestor, the
 * workstation as a machine participant, the audit source, and the event's details in a participant object
 * that also carries the stable event id.
 */
export function toDicomAuditMessage(
  record: { id: string; seq: number; event: AuditEvent },
  source: AuditSourceOptions = {},
): string {
  const { event } = record;
  const entry = AUDIT_CATALOGUE[event.type];
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<AuditMessage>'];
  parts.push(
    `<EventIdentification${attributes({ EventActionCode: entry.action, EventDateTime: event.at, EventOutcomeIndicator: outcomeCode(event.outcome) })}>`,
  );
  parts.push(coded('EventID', entry.eventId));
  if (entry.eventType) parts.push(coded('EventTypeCode', entry.eventType));
  parts.push(coded('EventTypeCode', { code: event.type, system: CARESHELL_EVENT_SYSTEM, display: entry.display }));
  if (event.reason) parts.push(`<EventOutcomeDescription>${xml(event.reason)}</EventOutcomeDescription>`);
  parts.push('</EventIdentification>');
  const actor = event.actor;
  const userId = actor?.userId ?? (actor?.badgeHash ? `badge:${actor.badgeHash}` : undefined);
  if (userId) {
    const alternative = actor?.userId && actor.badgeHash ? `badge:${actor.badgeHash}` : undefined;
    parts.push(
      `<ActiveParticipant${attributes({ UserID: userId, AlternativeUserID: alternative, UserName: actor?.displayName, UserIsRequestor: 'true' })}>`,
    );
    for (const role of actor?.roles ?? [])
      parts.push(coded('RoleIDCode', { code: role, system: 'urn:careshell:role', display: role }));
    parts.push('</ActiveParticipant>');
  }
  parts.push(
    `<ActiveParticipant${attributes({
      UserID: `careshell@${event.workstation}`,
      UserIsRequestor: userId ? 'false' : 'true',
      NetworkAccessPointID: event.workstation,
      NetworkAccessPointTypeCode: '1',
    })}/>`,
  );
  parts.push(
    `<AuditSourceIdentification${attributes({ AuditEnterpriseSiteID: source.enterpriseSiteId, AuditSourceID: event.workstation })}>`,
  );
  // The schema's own value set (PS3.15 A.5.1.2.1), written bare as it allows: "1" End-user interface. It is no
  // DCM code, so it carries no codeSystemName.
  parts.push('<AuditSourceTypeCode csd-code="1"/>');
  parts.push('</AuditSourceIdentification>');
  parts.push(
    `<ParticipantObjectIdentification${attributes({ ParticipantObjectID: record.id, ParticipantObjectTypeCode: '2' })}>`,
  );
  parts.push(
    coded('ParticipantObjectIDTypeCode', {
      code: 'careshell-event',
      system: CARESHELL_EVENT_SYSTEM,
      display: 'CareShell audit event id',
    }),
  );
  // The schema requires a name (or a query) before any detail.
  parts.push(`<ParticipantObjectName>CareShell audit record</ParticipantObjectName>`);
  parts.push(detail('seq', String(record.seq)));
  for (const [key, value] of Object.entries(event.details ?? {})) parts.push(detail(key, String(value)));
  parts.push('</ParticipantObjectIdentification>');
  const patient = breakGlassPatient(event);
  if (patient) {
    // The chart opened under break-glass: Person / Patient, identified by Patient Number (RFC 3881).
    parts.push(
      `<ParticipantObjectIdentification${attributes({ ParticipantObjectID: patient, ParticipantObjectTypeCode: '1', ParticipantObjectTypeCodeRole: '1' })}>`,
    );
    parts.push(coded('ParticipantObjectIDTypeCode', { code: '2', system: 'RFC-3881', display: 'Patient Number' }));
    parts.push('</ParticipantObjectIdentification>');
  }
  parts.push('</AuditMessage>');
  return parts.join('');
}

function detail(type: string, value: string): string {
  return `<ParticipantObjectDetail${attributes({ type, value: Buffer.from(value, 'utf8').toString('base64') })}/>`;
}
