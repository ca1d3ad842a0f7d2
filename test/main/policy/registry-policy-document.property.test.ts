import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { policyKeys } from '../../../main/policy/policy-keys.js';
import { documentFromRegistry, type RegistryValue } from '../../../main/policy/registry-policy-document.js';
import { fixtureReader, type RegistryFixture } from './support/registry-fixture.js';

/** One key of every kind, nested as policy sections are. */
const schema = z.strictObject({
  flag: z.boolean().optional(),
  section: z
    .strictObject({
      count: z.number().int().min(0).max(1000).optional(),
      mode: z.enum(['a', 'b-c']).optional(),
      inner: z.strictObject({ label: z.string().optional(), tags: z.array(z.string()).optional() }).optional(),
    })
    .optional(),
  rules: z.array(z.strictObject({ id: z.string() })).optional(),
});
const keys = policyKeys(schema);

const documents = fc.record(
  {
    flag: fc.boolean(),
    section: fc.record(
      {
        count: fc.integer({ min: 0, max: 1000 }),
        mode: fc.constantFrom('a', 'b-c'),
        inner: fc.record(
          { label: fc.string({ minLength: 1 }), tags: fc.array(fc.string({ minLength: 1 }), { minLength: 1 }) },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
    rules: fc.array(fc.record({ id: fc.string() })),
  },
  { requiredKeys: [] },
);

/** The registry as Group Policy writes a document: subkeys, DWORDs, strings, numbered lists or REG_MULTI_SZ, JSON text. */
function written(document: z.infer<typeof schema>, multi: boolean): RegistryFixture {
  const fixture: RegistryFixture = {};
  const put = (sub: string, name: string, value: RegistryValue) => ((fixture[sub] ??= {})[name] = value);
  if (document.flag !== undefined) put('', 'flag', { type: 'REG_DWORD', data: document.flag ? 1 : 0 });
  if (document.rules !== undefined) put('', 'rules', { type: 'REG_SZ', data: JSON.stringify(document.rules) });
  const section = document.section;
  if (section?.count !== undefined) put('section', 'count', { type: 'REG_DWORD', data: section.count });
  if (section?.mode !== undefined) put('section', 'mode', { type: 'REG_SZ', data: section.mode });
  if (section?.inner?.label !== undefined)
    put('section\\inner', 'label', { type: 'REG_SZ', data: section.inner.label });
  const tags = section?.inner?.tags;
  if (tags && multi) put('section\\inner', 'tags', { type: 'REG_MULTI_SZ', data: tags });
  else tags?.forEach((tag, i) => put('section\\inner\\tags', String(i + 1), { type: 'REG_SZ', data: tag }));
  return fixture;
}

/** Empty sections leave nothing in the registry, so they come back absent. */
const pruned = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value)
    .map(([k, v]) => [k, pruned(v)] as const)
    .filter(([, v]) => v !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
};

describe('documentFromRegistry (property)', () => {
  it('reads back any document written the way the ADMX (or REG_MULTI_SZ) writes it', () => {
    fc.assert(
      fc.property(documents, fc.boolean(), (document, multi) => {
        const { document: read, problems } = documentFromRegistry(keys, fixtureReader(written(document, multi)));
        expect(problems).toEqual([]);
        expect(read).toEqual(pruned(document));
      }),
      { numRuns: 200 },
    );
  });
});
