import type { z } from 'zod';
import { dotPath, policyKeys, type PolicyKey } from '../policy-keys.js';

/** What IT reads about a key in every template. */
export interface KeyText {
  title: string;
  description: string;
  example?: unknown;
}

export interface CatalogueEntry extends PolicyKey {
  /** The key as an identifier (ADMX policy names): dots and dashes become underscores. */
  id: string;
  title: string;
  description: string;
  /** The value CareShell uses when the key is not set, if it has one. */
  defaultValue?: unknown;
  example?: unknown;
}

export interface CatalogueInput {
  schema: z.ZodType;
  /** Texts by dot path; `*` matches one key name. */
  texts: Readonly<Record<string, KeyText>>;
  /** What CareShell runs on with no policy, as a policy document: the defaults of keys the schema has none for. */
  defaults: unknown;
}

const valueAt = (document: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>(
    (node, name) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[name] : undefined),
    document,
  );

const matches = (pattern: string, path: readonly string[]) => {
  const parts = pattern.split('.');
  return parts.length === path.length && parts.every((part, i) => part === '*' || part === path[i]);
};

/**
 * Every key of the schema with its text and default: the one list the ADMX, the .mobileconfig and the JSON
 * Schema are generated from. Throws on a key without text, or a text that matches no key, so they cannot drift.
 */
export function policyCatalogue(input: CatalogueInput): CatalogueEntry[] {
  const keys = policyKeys(input.schema);
  const unused = new Set(Object.keys(input.texts));
  const entries = keys.map((key): CatalogueEntry => {
    const pattern = Object.keys(input.texts).find((p) => matches(p, key.path));
    if (!pattern) throw new Error(`policy key ${dotPath(key)} has no title and description; add one`);
    unused.delete(pattern);
    const text = input.texts[pattern]!;
    const defaultValue = valueAt(input.defaults, key.path) ?? key.default;
    return {
      ...key,
      id: key.path.join('_').replace(/[^A-Za-z0-9_]/g, '_'),
      title: text.title,
      description: text.description,
      ...(defaultValue !== undefined ? { defaultValue } : {}),
      ...(text.example !== undefined ? { example: text.example } : {}),
    };
  });
  if (unused.size > 0) throw new Error(`policy texts for keys that do not exist: ${[...unused].join(', ')}`);
  return entries;
}

/** "30-3600", "exactly 1", "at least 1", or undefined. */
export function rangeText(entry: Pick<PolicyKey, 'minimum' | 'maximum'>): string | undefined {
  if (entry.minimum !== undefined && entry.minimum === entry.maximum) return `exactly ${entry.minimum}`;
  if (entry.minimum !== undefined && entry.maximum !== undefined) return `${entry.minimum}-${entry.maximum}`;
  if (entry.minimum !== undefined) return `at least ${entry.minimum}`;
  if (entry.maximum !== undefined) return `at most ${entry.maximum}`;
  return undefined;
}

/** The line each template adds under a key's description: its values, range and default. */
export function detailsText(entry: CatalogueEntry): string {
  const range = rangeText(entry);
  return [
    entry.values ? `Values: ${entry.values.join(', ')}.` : undefined,
    range ? `Range: ${range}.` : undefined,
    `Default: ${entry.defaultValue === undefined ? 'none' : JSON.stringify(entry.defaultValue)}.`,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
}
