import type { RegistryReader, RegistryValue } from '../../../../main/policy/registry-policy-document.js';
import { REGISTRY_POLICY_KEY } from '../../../../main/policy/registry-policy-document.js';

/** Values under HKLM\SOFTWARE\Policies\CareShell, by subkey ('' is the key itself): a registry as a fixture. */
export type RegistryFixture = Record<string, Record<string, RegistryValue>>;

/** A reader that returns what is stored, whatever type was expected, as a reader that knows types does. */
export function fixtureReader(fixture: RegistryFixture): RegistryReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    value(key, name) {
      reads.push(`${key}\\${name}`);
      const sub = key === REGISTRY_POLICY_KEY ? '' : key.slice(REGISTRY_POLICY_KEY.length + 1);
      return fixture[sub]?.[name];
    },
  };
}

export const dword = (data: number): RegistryValue => ({ type: 'REG_DWORD', data });
export const sz = (data: string): RegistryValue => ({ type: 'REG_SZ', data });
export const multiSz = (...data: string[]): RegistryValue => ({ type: 'REG_MULTI_SZ', data });
