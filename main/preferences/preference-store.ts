import { preferenceKeySchema } from '../../common/preference-schemas.js';
import { preferenceOverrideSchema, type PreferenceOverride } from './preference-settings.js';

/** Where a workstation keeps the preferences people chose: electron-store in the shell, a file in the harness. */
export interface PreferenceStore {
  /** What is stored, already validated (storedPreferences). */
  load(): Promise<PreferenceOverride>;
  save(preferences: PreferenceOverride): Promise<void>;
}

/**
 * What a store holds is checked like any input: a key that is unknown or of the wrong type (an older
 * version, a hand edit) is dropped and logged, and the others are kept.
 */
export function storedPreferences(raw: unknown, log: { warn(message: string): void }): PreferenceOverride {
  if (raw === null || typeof raw !== 'object') return {};
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const known = preferenceKeySchema.safeParse(key);
    const valid = known.success && preferenceOverrideSchema.shape[known.data].safeParse(value).success;
    if (valid) kept[key] = value;
    else log.warn(`preferences: ignoring the stored ${JSON.stringify(key)}: not a preference or not a valid value`);
  }
  return preferenceOverrideSchema.parse(kept);
}

/** Preferences kept only while the process runs: for compositions without a place to keep them. */
export function memoryPreferenceStore(): PreferenceStore {
  let kept: PreferenceOverride = {};
  return {
    load: async () => kept,
    save: async (preferences) => {
      kept = { ...preferences };
    },
  };
}
