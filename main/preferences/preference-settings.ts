import type { z } from 'zod';
import { LANGUAGES } from '../../common/notice-ids.js';
import {
  PIN_PAD_LAYOUTS,
  preferenceKeySchema,
  preferencesSchema,
  type PreferenceKey,
  type Preferences,
  type PreferencesView,
} from '../../common/preference-schemas.js';

export const PREFERENCE_DEFAULTS: Preferences = { language: 'en', soundCues: true, pinPadLayout: 'phone' };

/** Some of the preferences: what a store holds, and what machine policy's `preferences` section sets (and locks). */
export const preferenceOverrideSchema = preferencesSchema.partial();
export type PreferenceOverride = z.infer<typeof preferenceOverrideSchema>;

/** machine policy > user preference > default, key by key; the keys machine policy sets are locked. */
export function resolvePreferences(
  machine: PreferenceOverride | undefined,
  user: PreferenceOverride | undefined,
): PreferencesView {
  const defined = (o: PreferenceOverride | undefined) =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as PreferenceOverride;
  const locked: PreferenceKey[] = preferenceKeySchema.options.filter((key) => machine?.[key] !== undefined);
  return {
    values: { ...PREFERENCE_DEFAULTS, ...defined(user), ...defined(machine) },
    locked,
    choices: { language: [...LANGUAGES], pinPadLayout: [...PIN_PAD_LAYOUTS] },
  };
}
