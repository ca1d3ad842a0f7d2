import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { toDicomAuditMessage } from '../../../../main/audit/catalogue/dicom-audit-message.js';
import { toFhirAuditEvent } from '../../../../main/audit/catalogue/fhir-audit-event.js';
import { breakGlassStart, breakGlassStop } from '../../../support/break-glass-events.js';
import { fhirR4Validator } from '../../../support/fhir-r4-schema.js';

const episode = { grantId: 'bg-1', patient: 'Patient/p-1005' };
const start = { id: '0b6f3c2e-7d1a-4a57-9d51-2f3c1e0a9b11', seq: 7, event: breakGlassStart(episode) };
const stop = {
  id: '5a1e6f20-3c4b-4d8e-8f7a-6b5c4d3e2f10',
  seq: 9,
  event: breakGlassStop(episode, '2026-12-06T01:20:00.000Z'),
};
const review = {
  id: '9c8b7a60-1d2e-4f30-a1b2-c3d4e5f60718',
  seq: 12,
  event: {
    type: 'breakglass.review' as const,
    at: '2026-12-06T09:00:00.000Z',
    workstation: 'PO-DESK-1',
    actor: { userId: 'u-privacy-dan', displayName: 'Dan Weber', roles: ['privacy-officer'] },
    outcome: 'success' as const,
    details: { grantId: 'bg-1', decision: 'justified', note: 'ED trauma, documented', subjectUserId: 'u-nurse-ana' },
  },
};

describe('break-glass in the DICOM audit message', () => {
  it('is a Security Alert with Emergency Override Started, naming the patient as a participant object', () => {
    const xml = toDicomAuditMessage(start);
    expect(xml).toContain('<EventID csd-code="110113" codeSystemName="DCM" originalText="Security Alert"/>');
    expect(xml).toContain(
      '<EventTypeCode csd-code="110127" codeSystemName="DCM" originalText="Emergency Override Started"/>',
    );
    expect(xml).toContain(
      '<ParticipantObjectIdentification ParticipantObjectID="Patient/p-1005" ParticipantObjectTypeCode="1" ParticipantObjectTypeCodeRole="1">',
    );
    expect(xml).toContain('UserID="u-nurse-ana"');
  });

  it('ends with Emergency Override Stopped', () => {
    const xml = toDicomAuditMessage(stop);
    expect(xml).toContain('csd-code="110138"');
    expect(xml).toContain('ParticipantObjectID="Patient/p-1005"');
  });

  it('names no patient object for an all-restricted grant, nor for other events', () => {
    const all = { ...start, event: breakGlassStart({ grantId: 'bg-2' }) };
    expect(toDicomAuditMessage(all)).not.toContain('ParticipantObjectTypeCode="1"');
  });
});

describe('break-glass as a FHIR R4 AuditEvent', () => {
  let validate: ValidateFunction;
  beforeAll(() => {
    validate = fhirR4Validator('AuditEvent');
  });

  const btg = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'BTG', display: 'break the glass' };

  it.each([
    ['start', start],
    ['stop', stop],
    ['review', review],
  ])('the %s event is valid against the R4 JSON schema', (_name, record) => {
    const resource = toFhirAuditEvent(record, { site: 'St Example' });
    expect(validate(resource), JSON.stringify(validate.errors)).toBe(true);
  });

  it('carries the BTG purpose on the event and on the clinician, the Emergency Override subtype and the patient', () => {
    const resource = toFhirAuditEvent(start);
    expect(resource.type).toMatchObject({ code: '110113' });
    expect(resource.subtype.map((s) => s.code)).toEqual(['110127', 'breakglass.start']);
    expect(resource.purposeOfEvent).toEqual([{ coding: [btg] }]);
    expect(resource.agent[0]).toMatchObject({ requestor: true, purposeOfUse: [{ coding: [btg] }] });
    expect(resource.entity.at(-1)).toMatchObject({ what: { reference: 'Patient/p-1005' }, role: { code: '1' } });
  });

  it('gives other events no BTG purpose and no patient', () => {
    const resource = toFhirAuditEvent({ ...start, event: { ...start.event, type: 'session.unlock' } });
    expect(resource.purposeOfEvent).toBeUndefined();
    expect(resource.agent[0]?.purposeOfUse).toBeUndefined();
    expect(resource.entity).toHaveLength(1);
  });

  it('the schema check can fail: a resource without its required type is refused', () => {
    const { type: _type, ...broken } = toFhirAuditEvent(start);
    expect(validate(broken)).toBe(false);
  });
});
