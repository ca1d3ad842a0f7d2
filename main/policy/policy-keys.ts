import { z } from 'zod';

/**
 * How a key is written where a policy is not JSON (the registry, ADMX): a plain value, a list of strings, or,
 * for what has no flat form (lists of objects, per-profile overrides, one-of shapes), JSON text.
 */
export type PolicyKeyKind = 'boolean' | 'integer' | 'string' | 'enum' | 'list' | 'json';

/** One settable key of the policy schema, as every generated template and the registry source see it. */
export interface PolicyKey {
  /** Key names from the root, e.g. ['session', 'tapOut', 'sameUser']. */
  path: string[];
  kind: PolicyKeyKind;
  minimum?: number;
  maximum?: number;
  /** Allowed values of an enum (or of a list's items). */
  values?: string[];
  /** The schema's own default, where it has one. */
  default?: unknown;
}

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  default?: unknown;
};

/** The policy schema as JSON Schema (input side: what IT writes, with defaults and ranges). */
export const policyJsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

function keyOf(path: string[], node: JsonSchema): PolicyKey {
  const base = { path, ...(node.default !== undefined ? { default: node.default } : {}) };
  const range = {
    ...(node.minimum !== undefined ? { minimum: node.minimum } : {}),
    ...(node.maximum !== undefined ? { maximum: node.maximum } : {}),
  };
  const items = node.items;
  switch (node.type) {
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'integer':
      return { ...base, kind: 'integer', ...range };
    case 'number':
      // Only `version` (a constant) is a non-integer number in the schema: it is written as an integer.
      return typeof node.const === 'number'
        ? { ...base, kind: 'integer', minimum: node.const, maximum: node.const }
        : { ...base, kind: 'json' };
    case 'string':
      return node.enum ? { ...base, kind: 'enum', values: node.enum.map(String) } : { ...base, kind: 'string' };
    case 'array':
      if (items?.type !== 'string') return { ...base, kind: 'json' };
      return {
        ...base,
        kind: 'list',
        ...(items.enum ? { values: items.enum.map(String) } : {}),
        ...(typeof items.const === 'string' ? { values: [items.const] } : {}),
      };
    default:
      return { ...base, kind: 'json' };
  }
}

function walk(node: JsonSchema, path: string[]): PolicyKey[] {
  if (node.type === 'object' && node.properties)
    return Object.entries(node.properties).flatMap(([name, child]) => walk(child, [...path, name]));
  return [keyOf(path, node)];
}

/** Every settable key of a policy schema, in schema order. */
export function policyKeys(schema: z.ZodType): PolicyKey[] {
  return walk(policyJsonSchema(schema) as JsonSchema, []);
}

export const dotPath = (key: Pick<PolicyKey, 'path'>) => key.path.join('.');
