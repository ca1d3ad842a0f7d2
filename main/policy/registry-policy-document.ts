import { messageOf } from '../../common/errors.js';
import type { PolicyProblem } from './policy-problem.js';
import { dotPath, type PolicyKey } from './policy-keys.js';

/** The Group Policy key CareShell reads (HKEY_LOCAL_MACHINE), as Group Policy and Intune write it. */
export const REGISTRY_POLICY_KEY = 'SOFTWARE\\Policies\\CareShell';

export type RegistryValue =
  { type: 'REG_SZ'; data: string } | { type: 'REG_DWORD'; data: number } | { type: 'REG_MULTI_SZ'; data: string[] };

/** Reads HKEY_LOCAL_MACHINE; injected so the mapping is tested with fixtures on any OS. */
export interface RegistryReader {
  /**
   * The value `name` under `key`, or undefined when the key or the value does not exist. `expect` is the type
   * the schema wants: a reader that cannot tell types apart reads the value as that type; one that can returns
   * what is stored, and a wrong type is then reported by validation. Throws when the value cannot be read.
   */
  value(key: string, name: string, expect: RegistryValue['type']): RegistryValue | undefined;
}

/** The registry type each kind of key is written as (docs/policy.md#windows). */
const expectedType = (key: PolicyKey): RegistryValue['type'] =>
  key.kind === 'boolean' || key.kind === 'integer' ? 'REG_DWORD' : key.kind === 'list' ? 'REG_MULTI_SZ' : 'REG_SZ';

/** A DWORD for a boolean must be 0 or 1; anything else goes on as-is for validation to name. */
function converted(key: PolicyKey, value: RegistryValue): unknown {
  if (key.kind === 'boolean' && value.type === 'REG_DWORD' && (value.data === 0 || value.data === 1))
    return value.data === 1;
  if (key.kind === 'json' && value.type === 'REG_SZ') {
    try {
      return JSON.parse(value.data) as unknown;
    } catch (error) {
      throw new Error(`it is not valid JSON text (${messageOf(error)})`, { cause: error });
    }
  }
  return value.data;
}

/**
 * A list is a REG_MULTI_SZ value, or (what ADMX `list` elements write) a subkey named after the key whose
 * values "1", "2", ... are REG_SZ.
 */
function readList(reader: RegistryReader, key: string, name: string): unknown {
  const multi = reader.value(key, name, 'REG_MULTI_SZ');
  if (multi) return multi.data;
  const items: unknown[] = [];
  for (let i = 1; ; i++) {
    const item = reader.value(`${key}\\${name}`, String(i), 'REG_SZ');
    if (!item) return items.length > 0 ? items : undefined;
    items.push(item.data);
  }
}

function setAt(document: Record<string, unknown>, path: readonly string[], value: unknown) {
  let node = document;
  for (const name of path.slice(0, -1)) node = (node[name] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}

export type RegistryDocument = { document: Record<string, unknown> | undefined; problems: PolicyProblem[] };

/**
 * Turns the policy key into the same JSON document the Linux file holds: sections are subkeys
 * (`session\tapOut`), booleans and numbers REG_DWORD, strings and enums REG_SZ, string lists REG_MULTI_SZ or a
 * numbered subkey, the rest JSON text in a REG_SZ. The registry cannot be listed through the reader, so only
 * the schema's keys are read: `document` is undefined when none is set.
 */
export function documentFromRegistry(
  keys: readonly PolicyKey[],
  reader: RegistryReader,
  root = REGISTRY_POLICY_KEY,
): RegistryDocument {
  const document: Record<string, unknown> = {};
  const problems: PolicyProblem[] = [];
  let found = false;
  for (const key of keys) {
    const regKey = [root, ...key.path.slice(0, -1)].join('\\');
    const name = key.path[key.path.length - 1]!;
    try {
      let value: unknown;
      if (key.kind === 'list') value = readList(reader, regKey, name);
      else {
        const stored = reader.value(regKey, name, expectedType(key));
        value = stored === undefined ? undefined : converted(key, stored);
      }
      if (value === undefined) continue;
      found = true;
      setAt(document, key.path, value);
    } catch (error) {
      found = true;
      problems.push({ path: dotPath(key), message: `HKLM\\${regKey}\\${name} cannot be read: ${messageOf(error)}` });
    }
  }
  return { document: found ? document : undefined, problems };
}
