import { BUILTIN_PROFILES } from './builtin-profiles.js';
import type { PolicyFile, UserPreference } from './policy-root.js';
import { problemsFromZod, type PolicyProblem } from './policy-problem.js';
import {
  applySessionOverrides,
  SESSION_DEFAULTS,
  sessionSettingsSchema,
  type SessionOverride,
  type SessionPolicy,
} from './session-settings.js';

export type ResolvedSessionPolicy =
  | {
      ok: true;
      policy: SessionPolicy;
      /** Keys set by machine policy (dot paths such as `tapOut.sameUser`): show them read-only. */
      lockedKeys: string[];
    }
  | { ok: false; problems: PolicyProblem[] };

/**
 * Resolution order (docs/design.md#policy): machine policy > user preference > built-in default. The profile is
 * chosen the same way (machine, then user, then `fallbackProfile`); its built-in overrides sit just above
 * the defaults, and a machine policy's own `profiles.<name>.session` sits above its global `session`.
 */
export function resolveSessionPolicy(input: {
  machine?: PolicyFile;
  user?: UserPreference;
  fallbackProfile?: string;
}): ResolvedSessionPolicy {
  const { machine, user } = input;
  const profile = machine?.profile ?? user?.profile ?? input.fallbackProfile ?? 'default';
  const builtin = BUILTIN_PROFILES[profile];
  const machineProfile = machine?.profiles?.[profile];
  if (!builtin && !machineProfile) {
    const known = [...new Set([...Object.keys(BUILTIN_PROFILES), ...Object.keys(machine?.profiles ?? {})])].join(', ');
    return { ok: false, problems: [{ path: 'profile', message: `unknown profile "${profile}" (known: ${known})` }] };
  }
  const machineLayers = [machine?.session, machineProfile?.session];
  const merged = applySessionOverrides(SESSION_DEFAULTS, builtin, user?.session, ...machineLayers);
  const checked = sessionSettingsSchema.safeParse(merged);
  if (!checked.success) {
    // The combination is wrong (e.g. warning longer than the timeout): name the key and the profile.
    return { ok: false, problems: problemsFromZod(checked.error, [`session (resolved for profile ${profile})`]) };
  }
  const lockedKeys = [...new Set(machineLayers.flatMap((layer) => (layer ? keyPaths(layer) : [])))].sort();
  return { ok: true, policy: { ...checked.data, profile }, lockedKeys };
}

function keyPaths(o: SessionOverride, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v === undefined
      ? []
      : typeof v === 'object' && v !== null
        ? keyPaths(v as SessionOverride, `${prefix}${k}.`)
        : [`${prefix}${k}`],
  );
}
