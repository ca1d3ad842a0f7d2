import {
  ACT_CODE_SYSTEM,
  CONFIDENTIALITY_SYSTEM,
  type AllergyIntolerance,
  type CareTeam,
  type Coding,
  type DocumentReference,
  type Encounter,
  type Location,
  type MedicationRequest,
  type Patient,
  type Practitioner,
  type PractitionerRole,
} from './fhir-resources.js';

/**
 * The demo EHR's data: three units, their staff (Practitioner ids are the identity provider's subject ids, so a
 * signed-in user is found without a second directory) and ten in-patients, some labelled VIP/confidential or
 * behavioural health, so every access rule in access-rules.ts has a chart that exercises it.
 */

export const UNITS = {
  medicine: { id: 'unit-4w', name: '4 West - General Medicine' },
  emergency: { id: 'unit-ed', name: 'Emergency Department' },
  behavioural: { id: 'unit-bh', name: 'Ward 6 - Behavioural Health' },
} as const;

interface StaffSpec {
  id: string;
  name: string;
  role: string;
  unit?: keyof typeof UNITS;
}

/** Staff by identity-provider subject; people without a unit (billing, privacy) have no PractitionerRole. */
const STAFF: StaffSpec[] = [
  { id: 'u-nurse-ana', name: 'Ana Lopez, RN', role: 'Registered nurse', unit: 'medicine' },
  { id: 'u-nurse-eve', name: 'Eve Martin, RN', role: 'Registered nurse', unit: 'medicine' },
  { id: 'u-charge-chris', name: 'Chris Hall, Charge Nurse', role: 'Charge nurse', unit: 'medicine' },
  { id: 'u-locum-sam', name: 'Dr Sam Rivera', role: 'Locum physician', unit: 'medicine' },
  { id: 'u-er-ben', name: 'Dr Ben Okafor', role: 'Emergency physician', unit: 'emergency' },
  { id: 'pr-4w-lee', name: 'Dr Hana Lee', role: 'Hospitalist', unit: 'medicine' },
  { id: 'pr-ed-ruiz', name: 'Carlos Ruiz, RN', role: 'Registered nurse', unit: 'emergency' },
  { id: 'pr-bh-kim', name: 'Dr Soo-jin Kim', role: 'Psychiatrist', unit: 'behavioural' },
  { id: 'u-billing-cara', name: 'Cara Singh', role: 'Billing clerk' },
  { id: 'u-privacy-dan', name: 'Dan Weber', role: 'Privacy officer' },
];

type Label = 'restricted' | 'very-restricted' | 'psychiatry';

const LABELS: Record<Label, Coding> = {
  restricted: { system: CONFIDENTIALITY_SYSTEM, code: 'R', display: 'restricted' },
  'very-restricted': { system: CONFIDENTIALITY_SYSTEM, code: 'V', display: 'very restricted' },
  psychiatry: { system: ACT_CODE_SYSTEM, code: 'PSY', display: 'psychiatry disorder information sensitivity' },
};

interface PatientSpec {
  id: string;
  family: string;
  given: string;
  gender: 'male' | 'female';
  birthDate: string;
  unit: keyof typeof UNITS;
  careTeam: string[];
  labels: Label[];
  reason: string;
  note: string;
  meds: string[];
  allergy?: { substance: string; reaction: string; criticality: 'low' | 'high' };
}

const PATIENTS: PatientSpec[] = [
  {
    ...{
      id: 'p-1001',
      family: 'Gonzalez',
      given: 'Maria',
      gender: 'female',
      birthDate: '1951-03-14',
      unit: 'medicine',
    },
    ...{ careTeam: ['u-nurse-ana', 'pr-4w-lee'], labels: [], reason: 'Community-acquired pneumonia' },
    note: 'Day 2 of IV antibiotics. Afebrile overnight, SpO2 95% on 2 L. Plan: switch to oral if stable tomorrow.',
    meds: ['Ceftriaxone 1 g IV once daily', 'Paracetamol 1 g orally every 6 hours as needed'],
    allergy: { substance: 'Penicillin', reaction: 'Urticaria', criticality: 'high' },
  },
  {
    ...{ id: 'p-1002', family: 'Becker', given: 'Thomas', gender: 'male', birthDate: '1947-11-02', unit: 'medicine' },
    ...{ careTeam: ['pr-4w-lee'], labels: [], reason: 'Decompensated heart failure' },
    note: 'Diuresing well, 1.2 kg down since admission. Daily weights and fluid balance.',
    meds: ['Furosemide 40 mg IV twice daily', 'Bisoprolol 2.5 mg orally once daily'],
  },
  {
    ...{ id: 'p-1003', family: 'Raman', given: 'Priya', gender: 'female', birthDate: '1979-06-21', unit: 'medicine' },
    ...{ careTeam: ['u-nurse-ana', 'pr-4w-lee'], labels: ['restricted'], reason: 'Elective cholecystectomy recovery' },
    note: 'VIP admission. Recovering well after laparoscopic cholecystectomy; tolerating diet.',
    meds: ['Oxycodone 5 mg orally every 4 hours as needed'],
  },
  {
    ...{ id: 'p-1004', family: 'Fischer', given: 'Jonas', gender: 'male', birthDate: '1990-01-30', unit: 'emergency' },
    ...{ careTeam: ['u-er-ben', 'pr-ed-ruiz'], labels: [], reason: 'Distal radius fracture' },
    note: 'Fall from bicycle. Closed reduction under haematoma block, back-slab applied. Fracture clinic referral.',
    meds: ['Ibuprofen 400 mg orally every 8 hours'],
  },
  {
    ...{
      id: 'p-1005',
      family: 'Adeyemi',
      given: 'Grace',
      gender: 'female',
      birthDate: '1962-09-08',
      unit: 'emergency',
    },
    ...{ careTeam: ['u-er-ben'], labels: [], reason: 'Chest pain, rule out acute coronary syndrome' },
    note: 'Troponin at 0 h normal, repeat at 3 h pending. ECG sinus rhythm without ischaemic change.',
    meds: ['Aspirin 300 mg orally once', 'Glyceryl trinitrate 400 micrograms sublingual as needed'],
    allergy: { substance: 'Iodinated contrast media', reaction: 'Bronchospasm', criticality: 'high' },
  },
  {
    ...{ id: 'p-1006', family: 'Morgan', given: 'Alex', gender: 'male', birthDate: '1985-12-12', unit: 'emergency' },
    ...{ careTeam: ['pr-ed-ruiz'], labels: ['very-restricted'], reason: 'Syncope' },
    note: 'Public figure; admitted under an alias. Observation for syncope, telemetry unremarkable so far.',
    meds: ['Sodium chloride 0.9% 1 L IV over 8 hours'],
  },
  {
    ...{ id: 'p-1007', family: 'Park', given: 'Samuel', gender: 'male', birthDate: '1998-04-17', unit: 'behavioural' },
    ...{ careTeam: ['pr-bh-kim'], labels: ['psychiatry', 'restricted'], reason: 'Acute psychotic episode' },
    note: 'Settling on the ward. Sleeping better. Continue current antipsychotic; review with family on Friday.',
    meds: ['Olanzapine 10 mg orally at night'],
  },
  {
    ...{ id: 'p-1008', family: 'Novak', given: 'Lena', gender: 'female', birthDate: '1973-08-05', unit: 'behavioural' },
    ...{ careTeam: ['pr-bh-kim'], labels: ['psychiatry'], reason: 'Severe depressive episode' },
    note: 'Mood improving slightly. Engaging with occupational therapy. Observation level reduced to general.',
    meds: ['Sertraline 100 mg orally once daily'],
    allergy: { substance: 'Lithium', reaction: 'Tremor', criticality: 'low' },
  },
  {
    ...{ id: 'p-1009', family: 'Haddad', given: 'Omar', gender: 'male', birthDate: '1968-02-25', unit: 'medicine' },
    ...{ careTeam: ['pr-4w-lee'], labels: ['psychiatry'], reason: 'Alcohol withdrawal' },
    note: 'CIWA-Ar score 8 this morning. Thiamine given. Psychiatry liaison following for alcohol use disorder.',
    meds: ['Chlordiazepoxide 20 mg orally every 6 hours (reducing)', 'Thiamine 100 mg orally three times daily'],
  },
  {
    ...{ id: 'p-1010', family: 'Tanaka', given: 'Yuki', gender: 'female', birthDate: '2001-10-19', unit: 'emergency' },
    ...{ careTeam: ['u-er-ben', 'u-nurse-ana'], labels: [], reason: 'Diabetic ketoacidosis' },
    note: 'Fixed-rate insulin infusion. Medicine nurse consulted for transfer to 4 West once ketones clear.',
    meds: ['Insulin (soluble) 0.1 units/kg/hour IV infusion'],
  },
];

const ADMITTED = '2026-12-04T08:00:00Z';

function staffRef(id: string): { reference: string; display: string } {
  const person = STAFF.find((s) => s.id === id);
  if (!person) throw new Error(`Fixture names unknown staff ${id}`);
  return { reference: `Practitioner/${id}`, display: person.name };
}

export interface DemoRecords {
  locations: Location[];
  practitioners: Practitioner[];
  practitionerRoles: PractitionerRole[];
  patients: Patient[];
  encounters: Encounter[];
  careTeams: CareTeam[];
  notes: DocumentReference[];
  medications: MedicationRequest[];
  allergies: AllergyIntolerance[];
}

/** Builds the fixture resources afresh (each EHR instance owns its copy). */
export function demoRecords(): DemoRecords {
  const records: DemoRecords = {
    locations: Object.values(UNITS).map((u) => ({
      resourceType: 'Location',
      id: u.id,
      status: 'active',
      name: u.name,
      mode: 'instance',
      physicalType: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'wa', display: 'Ward' },
        ],
      },
    })),
    practitioners: STAFF.map((s) => ({
      resourceType: 'Practitioner',
      id: s.id,
      active: true,
      name: [{ text: s.name }],
    })),
    practitionerRoles: STAFF.flatMap((s) =>
      s.unit
        ? [
            {
              resourceType: 'PractitionerRole' as const,
              id: `role-${s.id}`,
              active: true,
              practitioner: staffRef(s.id),
              code: [{ text: s.role }],
              location: [{ reference: `Location/${UNITS[s.unit].id}`, display: UNITS[s.unit].name }],
            },
          ]
        : [],
    ),
    patients: [],
    encounters: [],
    careTeams: [],
    notes: [],
    medications: [],
    allergies: [],
  };
  for (const p of PATIENTS) {
    const subject = { reference: `Patient/${p.id}`, display: `${p.given} ${p.family}` };
    const security = p.labels.map((l) => LABELS[l]);
    records.patients.push({
      resourceType: 'Patient',
      id: p.id,
      ...(security.length > 0 ? { meta: { security } } : {}),
      identifier: [{ system: 'urn:careshell:demo-ehr:mrn', value: `MRN${p.id.slice(2)}` }],
      active: true,
      name: [{ family: p.family, given: [p.given] }],
      gender: p.gender,
      birthDate: p.birthDate,
    });
    records.encounters.push({
      resourceType: 'Encounter',
      id: `enc-${p.id}`,
      status: 'in-progress',
      class: {
        system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
        code: p.unit === 'emergency' ? 'EMER' : 'IMP',
        display: p.unit === 'emergency' ? 'emergency' : 'inpatient encounter',
      },
      subject,
      period: { start: ADMITTED },
      reasonCode: [{ text: p.reason }],
      location: [
        { location: { reference: `Location/${UNITS[p.unit].id}`, display: UNITS[p.unit].name }, status: 'active' },
      ],
    });
    records.careTeams.push({
      resourceType: 'CareTeam',
      id: `ct-${p.id}`,
      status: 'active',
      name: `Care team of ${subject.display}`,
      subject,
      encounter: { reference: `Encounter/enc-${p.id}` },
      participant: p.careTeam.map((id) => ({ member: staffRef(id) })),
    });
    records.notes.push({
      resourceType: 'DocumentReference',
      id: `note-${p.id}`,
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }] },
      subject,
      date: '2026-12-05T09:30:00Z',
      author: [staffRef(p.careTeam[0]!)],
      description: 'Progress note',
      content: [
        {
          attachment: {
            contentType: 'text/plain',
            title: 'Progress note',
            data: Buffer.from(p.note).toString('base64'),
          },
        },
      ],
    });
    p.meds.forEach((text, i) =>
      records.medications.push({
        resourceType: 'MedicationRequest',
        id: `med-${p.id}-${i + 1}`,
        status: 'active',
        intent: 'order',
        medicationCodeableConcept: { text: text.split(/ \d/)[0]! },
        subject,
        authoredOn: ADMITTED,
        dosageInstruction: [{ text }],
      }),
    );
    if (p.allergy) {
      records.allergies.push({
        resourceType: 'AllergyIntolerance',
        id: `alg-${p.id}`,
        clinicalStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }],
        },
        verificationStatus: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' },
          ],
        },
        criticality: p.allergy.criticality,
        code: { text: p.allergy.substance },
        patient: subject,
        reaction: [{ manifestation: [{ text: p.allergy.reaction }] }],
      });
    }
  }
  return records;
}
