import { createRequire } from 'node:module';
import type { z } from 'zod';
import { messageOf } from '../../common/errors.js';
import { unreadable, type MachinePolicySource } from './machine-policy-source.js';
import { pollMachinePolicy } from './policy-poller.js';
import { policyKeys } from './policy-keys.js';
import { documentFromRegistry, REGISTRY_POLICY_KEY, type RegistryReader } from './registry-policy-document.js';

/** What CareShell uses of @vscode/windows-registry (an optional, Windows-only native dependency). */
export interface RegistryBinding {
  GetStringRegKey(hive: 'HKEY_LOCAL_MACHINE', path: string, name: string): string | undefined;
  GetDWORDRegKey?(hive: 'HKEY_LOCAL_MACHINE', path: string, name: string): number | undefined;
}

/** The binding reads into a 512-byte buffer: a string that fills it may have been cut off. */
const BINDING_MAX_CHARS = 511;

/**
 * A reader over the binding. It cannot list keys or tell a value's type, throws when a key does not exist and
 * returns "" for a missing string value: all of that is turned into "absent" here. It cannot read
 * REG_MULTI_SZ, so lists are read from their numbered subkey (what the ADMX writes).
 */
export function bindingReader(binding: RegistryBinding): RegistryReader {
  return {
    value(key, name, expect) {
      if (expect === 'REG_MULTI_SZ') return undefined;
      let data: string | number | undefined;
      try {
        data =
          expect === 'REG_DWORD'
            ? binding.GetDWORDRegKey?.('HKEY_LOCAL_MACHINE', key, name)
            : binding.GetStringRegKey('HKEY_LOCAL_MACHINE', key, name);
      } catch (error) {
        // The binding throws this for a key that does not exist; anything else is a real failure.
        if (/Unable to open registry key/i.test(messageOf(error))) return undefined;
        throw error;
      }
      if (data === undefined || data === '') return undefined;
      if (typeof data === 'number') return { type: 'REG_DWORD', data };
      if (data.length >= BINDING_MAX_CHARS)
        throw new Error(
          `it is ${BINDING_MAX_CHARS} characters or longer, more than CareShell can read from the registry`,
        );
      return { type: 'REG_SZ', data };
    },
  };
}

export type RegistryReaderLoad = { ok: true; reader: RegistryReader } | { ok: false; reason: string };

/**
 * Loads the native binding; on any other OS, or a damaged install, says why it could not. (Elsewhere than on
 * Windows its module loads but every call throws: it is not even tried there.)
 */
export function loadRegistryReader(
  platform: NodeJS.Platform = process.platform,
  load: () => unknown = () => createRequire(import.meta.url)('@vscode/windows-registry'),
): RegistryReaderLoad {
  if (platform !== 'win32') return { ok: false, reason: `the Windows registry does not exist on ${platform}` };
  try {
    const binding = load() as Partial<RegistryBinding>;
    if (typeof binding.GetStringRegKey !== 'function' || typeof binding.GetDWORDRegKey !== 'function')
      return { ok: false, reason: '@vscode/windows-registry has no GetStringRegKey and GetDWORDRegKey' };
    return { ok: true, reader: bindingReader(binding as RegistryBinding) };
  } catch (error) {
    return { ok: false, reason: `@vscode/windows-registry did not load (${messageOf(error)})` };
  }
}

export interface RegistryPolicyOptions {
  /** The root policy schema: which keys exist and how each is written. */
  schema: z.ZodType;
  reader: RegistryReaderLoad;
  /** How often the key is read to follow changes (no change notification without native code). */
  pollMs?: number;
}

/**
 * Windows machine policy (docs/policy.md#windows): HKLM\SOFTWARE\Policies\CareShell, where Group Policy and
 * Intune (ADMX ingestion) write it; only administrators and SYSTEM can write there. Followed by polling.
 */
export function registryPolicySource(options: RegistryPolicyOptions): MachinePolicySource {
  const keys = policyKeys(options.schema);
  const location = `HKLM\\${REGISTRY_POLICY_KEY}`;
  const { reader } = options;
  const read: MachinePolicySource['read'] = async () => {
    if (!reader.ok)
      return unreadable(
        `the Windows registry cannot be read: ${reader.reason}. Reinstall CareShell; until then no policy at ${location} can be trusted.`,
      );
    const { document, problems } = documentFromRegistry(keys, reader.reader);
    if (problems.length > 0) return { kind: 'unreadable', problems };
    return document === undefined ? { kind: 'missing' } : { kind: 'found', document };
  };
  return {
    location,
    describe: () => `registry key ${location}`,
    read,
    watch: (watch) => pollMachinePolicy(read, { ...watch, ...(options.pollMs ? { intervalMs: options.pollMs } : {}) }),
  };
}
