import type { z } from 'zod';
import { IdentityError } from '../identity-error.js';
import type { KeyValueStore } from './key-value-store.js';

/** Reads a JSON record and validates it; a damaged record is an error that names the record, never a default. */
export async function readRecord<T>(
  store: KeyValueStore,
  key: string,
  schema: z.ZodType<T>,
  what: string,
): Promise<T | undefined> {
  const bytes = await store.read(key);
  if (!bytes) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new IdentityError(
      'record-damaged',
      `The ${what} record (${key}) is not valid JSON; restore it from backup or re-enroll.`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new IdentityError(
      'record-damaged',
      `The ${what} record (${key}) is damaged at "${issue?.path.join('.')}": ${issue?.message}; restore it from backup or re-enroll.`,
    );
  }
  return parsed.data;
}

export function writeRecord(store: KeyValueStore, key: string, value: unknown): Promise<void> {
  return store.write(key, Buffer.from(JSON.stringify(value), 'utf8'));
}
