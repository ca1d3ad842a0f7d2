import path from 'node:path';
import { parse, parseBinary } from 'plist';
import { filePolicySource } from './file-policy-source.js';
import type { MachinePolicySource } from './machine-policy-source.js';
import type { FileTrust } from './trusted-file.js';

/** CareShell's bundle identifier (electron-builder.yml appId): the preference domain profiles target. */
export const CARESHELL_BUNDLE_ID = 'org.careshell.workstation';
export const MANAGED_PREFERENCES_DIR = '/Library/Managed Preferences';

export interface ManagedPreferencesOptions {
  /** The folder macOS writes device-scoped profiles' preferences to; a test folder in tests. */
  dir?: string;
  bundleId?: string;
  trust?: FileTrust;
}

const BINARY_MAGIC = 'bplist00';

/** Keys a configuration profile's payload carries about itself, never CareShell settings. */
const isPayloadKey = (key: string) => key.startsWith('Payload');

/** A plist (XML or binary, both are written) as the same JSON document the Linux file holds. */
export function documentFromPlist(bytes: Buffer): unknown {
  const value =
    bytes.subarray(0, BINARY_MAGIC.length).toString('latin1') === BINARY_MAGIC
      ? parseBinary(bytes)
      : parse(bytes.toString('utf8'));
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !isPayloadKey(key)));
}

/**
 * macOS machine policy (docs/policy.md#macos): the managed preferences a device-scoped configuration profile
 * (Jamf, Intune, any MDM) installs for CareShell's bundle id. macOS writes that file as root in a root-owned
 * folder, so the POSIX file rules apply unchanged; the folder is watched like the Linux one.
 */
export function managedPreferencesPolicySource(options: ManagedPreferencesOptions = {}): MachinePolicySource {
  const file = path.join(options.dir ?? MANAGED_PREFERENCES_DIR, `${options.bundleId ?? CARESHELL_BUNDLE_ID}.plist`);
  return filePolicySource({
    path: file,
    trust: options.trust ?? { platform: 'posix' },
    kind: 'managed preferences',
    parse: documentFromPlist,
    syntaxError: `${file} is not a valid property list`,
  });
}
