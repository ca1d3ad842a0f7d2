// @ts-expect-error -- jsdom ships no types and @types/jsdom is not a dependency; only its XML DOMParser is used here.
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { AuditEventType } from '../../../../main/audit/audit-event.js';
import { AUDIT_EVENT_TYPES } from '../../../../main/audit/audit-event.js';
import { toDicomAuditMessage } from '../../../../main/audit/catalogue/dicom-audit-message.js';
import { toFhirAuditEvent } from '../../../../main/audit/catalogue/fhir-audit-event.js';
import { sampleEvent } from '../support/journal-fixture.js';

const { DOMParser } = new JSDOM('').window as {
  DOMParser: new () => { parseFromString(text: string, type: string): XmlDocument };
};

/** The part of the DOM this test reads (Node's own types have no DOM). */
interface XmlElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): XmlElement | null;
  querySelectorAll(selector: string): Iterable<XmlElement>;
  textContent: string | null;
}
interface XmlDocument extends XmlElement {
  getElementsByTagName(name: string): ArrayLike<unknown>;
}

function parseDicom(xml: string) {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  const identification = doc.querySelector('AuditMessage > EventIdentification')!;
  const typeCodes = [...identification.querySelectorAll('EventTypeCode')].map((e) => [
    e.getAttribute('csd-code'),
    e.getAttribute('codeSystemName'),
  ]);
  return {
    doc,
    eventId: identification.querySelector('EventID')!.getAttribute('csd-code'),
    action: identification.getAttribute('EventActionCode'),
    outcome: identification.getAttribute('EventOutcomeIndicator'),
    dcmType: typeCodes.find(([, system]) => system === 'DCM')?.[0],
    ownType: typeCodes.find(([, system]) => system === 'urn:careshell:audit-event-type')?.[0],
    participants: [...doc.querySelectorAll('AuditMessage > ActiveParticipant')].map((p) => ({
      userId: p.getAttribute('UserID'),
      requestor: p.getAttribute('UserIsRequestor'),
      nap: p.getAttribute('NetworkAccessPointID'),
    })),
  };
}

// [event, outcome, DICOM EventID, DICOM EventTypeCode (undefined: only CareShell's own code)]
const REQUIRED: [AuditEventType, 'success' | 'failure', string, string | undefined][] = [
  ['session.sign_in', 'success', '110114', '110122'],
  ['session.sign_out', 'success', '110114', '110123'],
  ['session.lock', 'success', '110114', '110123'],
  ['session.unlock', 'success', '110114', '110122'],
  ['session.timeout', 'success', '110114', '110123'],
  ['session.idle_warning', 'success', '110114', undefined],
  ['session.activity', 'success', '110114', undefined],
  ['session.reverify_required', 'success', '110114', undefined],
  ['pin.failure', 'failure', '110114', '110122'],
  ['pin.lockout', 'failure', '110113', '110137'],
  ['session.user_switch', 'success', '110114', '110122'],
  ['enrollment.enrolled', 'success', '110113', '110137'],
  ['enrollment.reenrolled', 'success', '110113', '110137'],
  ['enrollment.unenrolled', 'success', '110113', '110137'],
  ['enrollment.authenticator', 'success', '110113', '110137'],
  ['breakglass.start', 'success', '110113', '110127'],
  ['breakglass.stop', 'success', '110113', '110138'],
  ['breakglass.review', 'success', '110113', undefined],
  ['jit.request', 'success', '110113', undefined],
  ['jit.approve', 'failure', '110113', undefined],
  ['jit.refuse', 'success', '110113', undefined],
  ['jit.start', 'success', '110113', '110137'],
  ['jit.end', 'success', '110113', '110137'],
  ['policy.change', 'success', '110113', '110129'],
  ['reader.attach', 'success', '110113', '110130'],
  ['reader.detach', 'success', '110113', '110130'],
  ['audit.forwarding_stalled', 'failure', '110113', undefined],
];

describe('DICOM PS3.15 audit message', () => {
  it.each(REQUIRED)('%s (%s) -> EventID %s, EventTypeCode %s', (type, outcome, eventId, dcmType) => {
    const message = parseDicom(
      toDicomAuditMessage(
        { id: 'e-1', seq: 4, event: sampleEvent(type, 1, { outcome }) },
        { enterpriseSiteId: 'St Example' },
      ),
    );
    expect(message).toMatchObject({ eventId, dcmType, ownType: type, outcome: outcome === 'success' ? '0' : '4' });
    expect(message.participants).toEqual([
      { userId: 'user-1', requestor: 'true', nap: null },
      { userId: 'careshell@COW-3F-12', requestor: 'false', nap: 'COW-3F-12' },
    ]);
    expect(message.doc.querySelector('AuditSourceIdentification')!.getAttribute('AuditEnterpriseSiteID')).toBe(
      'St Example',
    );
  });

  it('maps every catalogued event type to a well-formed message', () => {
    for (const type of AUDIT_EVENT_TYPES) {
      const { eventId, ownType } = parseDicom(toDicomAuditMessage({ id: 'e', seq: 1, event: sampleEvent(type) }));
      expect(['110100', '110113', '110114']).toContain(eventId);
      expect(ownType).toBe(type);
      // 110100 Application Activity is the application's own life (start, and the heartbeat while it runs),
      // never something a user did.
      if (eventId === '110100') expect(['workstation.start_failed', 'workstation.heartbeat']).toContain(type);
    }
  });

  it('makes the workstation the requestor when no user is involved, and escapes text safely', () => {
    const event = sampleEvent('reader.attach', 1, {
      actor: undefined,
      reason: 'reader <pcProx> "A&B" \u0001 \ud800 \ud83d\ude00',
      details: { vendor: '0c27' },
    });
    const { participants, doc } = parseDicom(toDicomAuditMessage({ id: 'e-2', seq: 9, event }));
    expect(participants).toEqual([{ userId: 'careshell@COW-3F-12', requestor: 'true', nap: 'COW-3F-12' }]);
    expect(doc.querySelector('EventOutcomeDescription')!.textContent).toBe(
      'reader <pcProx> "A&B" \ufffd \ufffd \ud83d\ude00',
    );
    const details = [...doc.querySelectorAll('ParticipantObjectDetail')].map((d) => [
      d.getAttribute('type'),
      Buffer.from(d.getAttribute('value')!, 'base64').toString(),
    ]);
    expect(details).toEqual([
      ['seq', '9'],
      ['vendor', '0c27'],
    ]);
    expect(doc.querySelector('ParticipantObjectIdentification')!.getAttribute('ParticipantObjectID')).toBe('e-2');
  });
});

describe('FHIR R4 AuditEvent', () => {
  it.each(REQUIRED)('%s (%s) -> type %s, subtype %s', (type, outcome, eventId, dcmType) => {
    const resource = toFhirAuditEvent({ id: 'e-1', seq: 4, event: sampleEvent(type, 1, { outcome }) });
    expect(resource.type).toEqual(
      expect.objectContaining({ system: 'http://dicom.nema.org/resources/ontology/DCM', code: eventId }),
    );
    expect(resource.subtype.map((c) => c.code)).toEqual(dcmType ? [dcmType, type] : [type]);
    expect(resource.outcome).toBe(outcome === 'success' ? '0' : '4');
    expect(resource.agent[0]).toMatchObject({
      who: { identifier: { value: 'user-1' } },
      requestor: true,
      role: [{ text: 'physician' }],
    });
  });

  it('marks break-glass start and stop as Security Alert / Emergency Override with purpose BTG', () => {
    for (const [type, subtype] of [
      ['breakglass.start', '110127'],
      ['breakglass.stop', '110138'],
    ] as const) {
      const resource = toFhirAuditEvent({
        id: 'bg',
        seq: 1,
        event: sampleEvent(type, 1, { reason: 'patient coding in ED bay 4', details: { reasonCode: 'emergency' } }),
      });
      expect(resource).toMatchObject({
        resourceType: 'AuditEvent',
        id: 'bg',
        type: { code: '110113', display: 'Security Alert' },
        subtype: [{ code: subtype }, { code: type }],
        purposeOfEvent: [{ coding: [{ code: 'BTG' }] }],
        outcomeDesc: 'patient coding in ED bay 4',
        entity: [
          {
            what: { identifier: { value: 'urn:uuid:bg' } },
            detail: [
              { type: 'seq', valueString: '1' },
              { type: 'reasonCode', valueString: 'emergency' },
            ],
          },
        ],
      });
    }
    expect(toFhirAuditEvent({ id: 'x', seq: 1, event: sampleEvent('session.lock') }).purposeOfEvent).toBeUndefined();
  });
});
