import { z } from 'zod';

/**
 * The FHIR R4 (4.0.1) resource shapes the demo EHR serves, as zod schemas: required elements are required here,
 * codes with a required binding are enums, and objects are strict so a misspelt element fails validation instead
 * of being served. Only the elements the demo uses are listed; see docs/break-glass-api.md#fhir-data.
 */

const fhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'a FHIR id ([A-Za-z0-9-.]{1,64})');
const dateTime = z.iso.datetime({ offset: true });
const date = z.iso.date();

export const coding = z.strictObject({
  system: z.string().optional(),
  code: z.string(),
  display: z.string().optional(),
});
export const codeableConcept = z.strictObject({
  coding: z.array(coding).min(1).optional(),
  text: z.string().optional(),
});
export const reference = z.strictObject({
  reference: z
    .string()
    .regex(/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/, 'a relative reference Type/id')
    .optional(),
  identifier: z.strictObject({ system: z.string(), value: z.string() }).optional(),
  display: z.string().optional(),
});
const meta = z.strictObject({ security: z.array(coding).optional(), lastUpdated: dateTime.optional() });
const base = { id: fhirId, meta: meta.optional() };

export const locationSchema = z.strictObject({
  ...base,
  resourceType: z.literal('Location'),
  status: z.enum(['active', 'suspended', 'inactive']).optional(),
  name: z.string().optional(),
  mode: z.enum(['instance', 'kind']).optional(),
  physicalType: codeableConcept.optional(),
});

export const practitionerSchema = z.strictObject({
  ...base,
  resourceType: z.literal('Practitioner'),
  identifier: z.array(z.strictObject({ system: z.string(), value: z.string() })).optional(),
  active: z.boolean().optional(),
  name: z.array(z.strictObject({ text: z.string() })).optional(),
});

export const practitionerRoleSchema = z.strictObject({
  ...base,
  resourceType: z.literal('PractitionerRole'),
  active: z.boolean().optional(),
  practitioner: reference.optional(),
  code: z.array(codeableConcept).optional(),
  location: z.array(reference).optional(),
});

export const patientSchema = z.strictObject({
  ...base,
  resourceType: z.literal('Patient'),
  identifier: z.array(z.strictObject({ system: z.string(), value: z.string() })).optional(),
  active: z.boolean().optional(),
  name: z.array(z.strictObject({ family: z.string(), given: z.array(z.string()) })).optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: date.optional(),
});

export const encounterSchema = z.strictObject({
  ...base,
  resourceType: z.literal('Encounter'),
  status: z.enum([
    'planned',
    'arrived',
    'triaged',
    'in-progress',
    'onleave',
    'finished',
    'cancelled',
    'entered-in-error',
    'unknown',
  ]),
  class: coding,
  subject: reference.optional(),
  period: z.strictObject({ start: dateTime.optional(), end: dateTime.optional() }).optional(),
  reasonCode: z.array(codeableConcept).optional(),
  location: z
    .array(
      z.strictObject({
        location: reference,
        status: z.enum(['planned', 'active', 'reserved', 'completed']).optional(),
      }),
    )
    .optional(),
});

export const careTeamSchema = z.strictObject({
  ...base,
  resourceType: z.literal('CareTeam'),
  status: z.enum(['proposed', 'active', 'suspended', 'inactive', 'entered-in-error']).optional(),
  name: z.string().optional(),
  subject: reference.optional(),
  encounter: reference.optional(),
  participant: z
    .array(z.strictObject({ role: z.array(codeableConcept).optional(), member: reference.optional() }))
    .optional(),
});

export const documentReferenceSchema = z.strictObject({
  ...base,
  resourceType: z.literal('DocumentReference'),
  status: z.enum(['current', 'superseded', 'entered-in-error']),
  type: codeableConcept.optional(),
  subject: reference.optional(),
  date: dateTime.optional(),
  author: z.array(reference).optional(),
  description: z.string().optional(),
  content: z
    .array(
      z.strictObject({
        attachment: z.strictObject({
          contentType: z.string().optional(),
          data: z.base64().optional(),
          title: z.string().optional(),
        }),
      }),
    )
    .min(1),
});

export const medicationRequestSchema = z.strictObject({
  ...base,
  resourceType: z.literal('MedicationRequest'),
  status: z.enum(['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown']),
  intent: z.enum([
    'proposal',
    'plan',
    'order',
    'original-order',
    'reflex-order',
    'filler-order',
    'instance-order',
    'option',
  ]),
  medicationCodeableConcept: codeableConcept,
  subject: reference,
  authoredOn: dateTime.optional(),
  dosageInstruction: z.array(z.strictObject({ text: z.string() })).optional(),
});

export const allergyIntoleranceSchema = z
  .strictObject({
    ...base,
    resourceType: z.literal('AllergyIntolerance'),
    clinicalStatus: codeableConcept.optional(),
    verificationStatus: codeableConcept.optional(),
    criticality: z.enum(['low', 'high', 'unable-to-assess']).optional(),
    code: codeableConcept.optional(),
    patient: reference,
    reaction: z.array(z.strictObject({ manifestation: z.array(codeableConcept).min(1) })).optional(),
  })
  // ait-1 / ait-2: clinicalStatus is present unless the record was entered in error.
  .refine(
    (a) => (a.verificationStatus?.coding?.[0]?.code === 'entered-in-error') !== (a.clinicalStatus !== undefined),
    {
      message: 'ait-1/ait-2: clinicalStatus is required unless verificationStatus is entered-in-error',
    },
  );

export type Location = z.infer<typeof locationSchema>;
export type Practitioner = z.infer<typeof practitionerSchema>;
export type PractitionerRole = z.infer<typeof practitionerRoleSchema>;
export type Patient = z.infer<typeof patientSchema>;
export type Encounter = z.infer<typeof encounterSchema>;
export type CareTeam = z.infer<typeof careTeamSchema>;
export type DocumentReference = z.infer<typeof documentReferenceSchema>;
export type MedicationRequest = z.infer<typeof medicationRequestSchema>;
export type AllergyIntolerance = z.infer<typeof allergyIntoleranceSchema>;
export type Coding = z.infer<typeof coding>;

/** Every resource type the EHR serves under /fhir, with the schema its instances must satisfy. */
export const RESOURCE_SCHEMAS = {
  Location: locationSchema,
  Practitioner: practitionerSchema,
  PractitionerRole: practitionerRoleSchema,
  Patient: patientSchema,
  Encounter: encounterSchema,
  CareTeam: careTeamSchema,
  DocumentReference: documentReferenceSchema,
  MedicationRequest: medicationRequestSchema,
  AllergyIntolerance: allergyIntoleranceSchema,
} as const;

export type ResourceType = keyof typeof RESOURCE_SCHEMAS;
export type AnyResource = z.infer<(typeof RESOURCE_SCHEMAS)[ResourceType]>;

/** HL7 v3 Confidentiality and ActCode systems used in meta.security. */
export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
export const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
