import type { z } from 'zod';
import { jsonFilePolicySource } from './json-file-policy-source.js';
import type { MachinePolicySource } from './machine-policy-source.js';
import { managedPreferencesPolicySource } from './managed-preferences-policy-source.js';
import { loadRegistryReader, registryPolicySource, type RegistryReaderLoad } from './registry-policy-source.js';
import { fileTrustFor } from './trusted-file.js';

export interface PlatformPolicyOptions {
  platform: NodeJS.Platform;
  /** The root policy schema (the registry source reads only its keys). */
  schema: z.ZodType;
  /** A packaged build ignores CARESHELL_POLICY, so nobody can point a kiosk at a file of their own. */
  packaged: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Owners trusted to write a policy file besides root (development: the developer). */
  trustedOwnerUids?: readonly number[];
  /** Injected for tests; loads @vscode/windows-registry by default. */
  registryReader?: () => RegistryReaderLoad;
}

/**
 * Where this OS's management tools put machine policy (docs/policy.md#where-each-os-keeps-it). In development
 * CARESHELL_POLICY names a JSON file instead, on any OS, under that OS's file rules.
 */
export function machinePolicySource(options: PlatformPolicyOptions): MachinePolicySource {
  const trust = fileTrustFor(options.platform, options.trustedOwnerUids);
  const override = !options.packaged && options.env.CARESHELL_POLICY;
  if (override) return jsonFilePolicySource({ path: override, trust });
  switch (options.platform) {
    case 'win32':
      return registryPolicySource({ schema: options.schema, reader: (options.registryReader ?? loadRegistryReader)() });
    case 'darwin':
      return managedPreferencesPolicySource({ trust });
    default:
      return jsonFilePolicySource({ trust });
  }
}
