import { careShellPolicySchema } from '../app/careshell-policy.js';
import { machinePolicySource, type PlatformPolicyOptions } from '../policy/machine-policy-for-platform.js';
import type { MachinePolicySource } from '../policy/machine-policy-source.js';

/**
 * Where a workstation reads its machine policy: the registry, managed preferences or /etc, by OS.
 * CARESHELL_POLICY is for development and tests only: a packaged build ignores it, so nobody can point a kiosk
 * at a file of their own through its environment.
 */
export function workstationPolicySource(options: Omit<PlatformPolicyOptions, 'schema'>): MachinePolicySource {
  return machinePolicySource({ ...options, schema: careShellPolicySchema });
}
