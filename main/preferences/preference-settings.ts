import { z } from 'zod';

/** Languages the person at the workstation may pick from. */
export const LANGUAGES = ['en', 'fr', 'es', 'de'] as const;
/** `phone`: 1-2-3 on the top row; `calculator`: 7-8-9 on the top row, as on a keypad. */
export const PIN_PAD_LAYOUTS = ['phone', 'calculator'] as const;

/**
 * Comfort settings a person may choose for the workstation (docs/policy.md#user-preferences). Nothing here
 * weakens security: session rules are IT's alone, so they are never a user preference.
 */
export const preferencesSchema = z.strictObject({
  language: z.enum(LANGUAGES),
  soundCues: z.boolean(),
  pinPadLayout: z.enum(PIN_PAD_LAYOUTS),
});
export type Preferences = z.infer<typeof preferencesSchema>;
export type PreferenceKey = keyof Preferences;
export const PREFERENCE_KEYS = preferencesSchema.keyof().options;

export const PREFERENCE_DEFAULTS: Preferences = { language: 'en', soundCues: true, pinPadLayout: 'phone' };

/** Some of the preferences: what a store holds, and what machine policy's `preferences` section sets (and locks). */
export const preferenceOverrideSchema = preferencesSchema.partial();
export type PreferenceOverride = z.infer<typeof preferenceOverrideSchema>;

export interface ResolvedPreferences {
  values: Preferences;
  /** Keys machine policy sets: shown read-only, "set by your organisation". */
  locked: PreferenceKey[];
}

/** machine policy > user preference > default, key by key. */
export function resolvePreferences(machine: PreferenceOverride | undefined, user: PreferenceOverride | undefined) {
  const defined = (o: PreferenceOverride | undefined) =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as PreferenceOverride;
  const locked = PREFERENCE_KEYS.filter((key) => machine?.[key] !== undefined);
  const values: Preferences = { ...PREFERENCE_DEFAULTS, ...defined(user), ...defined(machine) };
  return { values, locked } satisfies ResolvedPreferences;
}
