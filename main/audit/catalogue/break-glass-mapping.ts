import type { AuditEvent } from '../audit-event.js';

/** HL7 v3 ActReason BTG ("break the glass"): the purpose of use of every break-glass event. */
export const BTG = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  code: 'BTG',
  display: 'break the glass',
} as const;

const PATIENT_REFERENCE = /^Patient\/[A-Za-z0-9\-.]{1,64}$/;

/** Whether the event is one of break-glass's (started, ended, reviewed): they carry the BTG purpose of use. */
export function isBreakGlass(event: AuditEvent): boolean {
  return event.type.startsWith('breakglass.');
}

/**
 * The patient a break-glass event is about (`details.patient`, a FHIR reference), so the DICOM message and the
 * FHIR AuditEvent name it as a participant object / entity a privacy officer can search by (docs/break-glass-review.md).
 */
export function breakGlassPatient(event: AuditEvent): string | undefined {
  const patient = isBreakGlass(event) ? event.details?.patient : undefined;
  return typeof patient === 'string' && PATIENT_REFERENCE.test(patient) ? patient : undefined;
}
