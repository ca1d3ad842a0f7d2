import { careShellPolicySchema, resolveCareShellPolicy, type ResolvedPolicy } from '../app/careshell-policy.js';
import { loadMachinePolicy, type MachinePolicySource } from '../policy/machine-policy-source.js';
import type { PolicyProblem } from '../policy/policy-problem.js';
import { readerConfigSchema, type ReaderConfig } from '../../native/manager/reader-config.js';
import type { HostSettings } from './workstation-host.js';

/**
 * The machine policy as the workstation sees it. A missing file is its own case, never the built-in
 * defaults: a workstation nobody configured, or whose policy was deleted, stays locked and says so.
 */
export type PolicyRead =
  | { kind: 'ok'; policy: ResolvedPolicy }
  | { kind: 'missing' }
  /**
   * `readers`: the file's `readers` section when it alone is valid and names a reader, so the locked screen can
   * confirm taps (docs/workstation.md#start); never used to sign anyone in.
   */
  | { kind: 'invalid'; problems: PolicyProblem[]; readers?: ReaderConfig };

export async function readWorkstationPolicy(source: MachinePolicySource): Promise<PolicyRead> {
  let document: unknown;
  // The same source, keeping what it found: the readers section is read from it when the whole is invalid.
  const keeping: MachinePolicySource = {
    location: source.location,
    describe: () => source.describe(),
    watch: (options) => source.watch(options),
    read: async () => {
      const read = await source.read();
      if (read.kind === 'found') document = read.document;
      return read;
    },
  };
  const loaded = await loadMachinePolicy(keeping, careShellPolicySchema);
  const invalid = (problems: PolicyProblem[]): PolicyRead => {
    const readers = readersSectionOf(document);
    return { kind: 'invalid', problems, ...(readers ? { readers } : {}) };
  };
  if (!loaded.ok) return invalid(loaded.problems);
  if (loaded.policy === undefined) return { kind: 'missing' };
  const resolved = resolveCareShellPolicy(loaded.policy);
  return resolved.ok ? { kind: 'ok', policy: resolved.policy } : invalid(resolved.problems);
}

function readersSectionOf(document: unknown): ReaderConfig | undefined {
  if (typeof document !== 'object' || document === null || !('readers' in document)) return undefined;
  const parsed = readerConfigSchema.safeParse(document.readers);
  return parsed.success && parsed.data.readers.length > 0 ? parsed.data : undefined;
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
