import { z } from 'zod';
import { LANGUAGES } from './notice-ids.js';

/** Languages the person at the workstation may pick from. */
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
export const preferenceKeySchema = preferencesSchema.keyof();
export type PreferenceKey = z.infer<typeof preferenceKeySchema>;

/** What the preferences panel shows: each value, which ones IT set ("set by your organisation"), the choices. */
export const preferencesViewSchema = z.object({
  values: preferencesSchema,
  locked: z.array(preferenceKeySchema),
  choices: z.object({ language: z.array(z.enum(LANGUAGES)), pinPadLayout: z.array(z.enum(PIN_PAD_LAYOUTS)) }),
});
export type PreferencesView = z.infer<typeof preferencesViewSchema>;

/** One preference the person changes. */
export const preferenceChangeSchema = z.discriminatedUnion('key', [
  z.object({ key: z.literal('language'), value: preferencesSchema.shape.language }),
  z.object({ key: z.literal('soundCues'), value: preferencesSchema.shape.soundCues }),
  z.object({ key: z.literal('pinPadLayout'), value: preferencesSchema.shape.pinPadLayout }),
]);
export type PreferenceChange = z.infer<typeof preferenceChangeSchema>;
