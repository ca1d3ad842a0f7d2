import { careShellPolicySchema, resolveCareShellPolicy, type ResolvedPolicy } from '../app/careshell-policy.js';
import { machinePolicySource, type PlatformPolicyOptions } from '../policy/machine-policy-for-platform.js';
import { loadMachinePolicy, type MachinePolicySource } from '../policy/machine-policy-source.js';
import type { PolicyProblem } from '../policy/policy-problem.js';
import type { HostSettings } from './workstation-host.js';

/**
 * The machine policy as the workstation sees it. A missing file is its own case, never the built-in
 * defaults: a workstation nobody configured, or whose policy was deleted, stays locked and says so.
 */
export type PolicyRead =
  { kind: 'ok'; policy: ResolvedPolicy } | { kind: 'missing' } | { kind: 'invalid'; problems: PolicyProblem[] };

export async function readWorkstationPolicy(source: MachinePolicySource): Promise<PolicyRead> {
  const loaded = await loadMachinePolicy(source, careShellPolicySchema);
  if (!loaded.ok) return { kind: 'invalid', problems: loaded.problems };
  if (loaded.policy === undefined) return { kind: 'missing' };
  const resolved = resolveCareShellPolicy(loaded.policy);
  return resolved.ok ? { kind: 'ok', policy: resolved.policy } : { kind: 'invalid', problems: resolved.problems };
}

/**
 * Where a workstation reads its machine policy: the registry, managed preferences or /etc, by OS.
 * CARESHELL_POLICY is for development and tests only: a packaged build ignores it, so nobody can point a kiosk
 * at a file of their own through its environment.
 */
export function workstationPolicySource(options: Omit<PlatformPolicyOptions, 'schema'>): MachinePolicySource {
  return machinePolicySource({ ...options, schema: careShellPolicySchema });
}

/** What the host enforces from policy: the EHR address and who each kind of web contents may navigate to. */
export function hostSettingsOf(policy: ResolvedPolicy): HostSettings {
  const origins = (urls: readonly (string | undefined)[]) => [
    ...new Set(urls.filter((u): u is string => !!u).map((u) => new URL(u).origin)),
  ];
  return {
    ...(policy.ehr ? { ehrUrl: policy.ehr.url } : {}),
    ehrOrigins: origins([policy.ehr?.url, ...(policy.ehr?.allowedOrigins ?? [])]),
    signInOrigins: origins([policy.identity?.authority, ...(policy.identity?.allowedOrigins ?? [])]),
  };
}
