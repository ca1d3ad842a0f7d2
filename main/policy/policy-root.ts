import { z } from 'zod';
import { sessionOverrideSchema } from './session-settings.js';

/**
 * The machine policy file (docs/design.md#policy) is one JSON object with a section per area. The session area
 * owns `session`; other areas (readers, audit, identity) plug their own zod schemas in through
 * buildPolicyRootSchema, and each section may also appear inside a profile to override it there.
 *
 * {
 *   "version": 1,
 *   "profile": "er-kiosk",                       // which profile this workstation runs
 *   "session": { "graceMinutes": 15 },           // applies to every profile
 *   "profiles": { "er-kiosk": { "session": { "idleTimeoutSeconds": 90 } } },
 *   "readers": { ... }, "audit": { ... }         // sections contributed by other areas
 * }
 */
export const POLICY_VERSION = 1;
const RESERVED = new Set(['version', 'profile', 'profiles', 'session']);

export const profileNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (e.g. er-kiosk)');

/** Extra sections contributed by other areas: each schema describes the section as written in the file. */
export type PolicySections = Record<string, z.ZodType>;

export function buildPolicyRootSchema<S extends PolicySections = Record<never, never>>(sections: S = {} as S) {
  for (const name of Object.keys(sections)) {
    if (RESERVED.has(name))
      throw new Error(`Policy section "${name}" is reserved by the policy root; pick another name.`);
  }
  const optionalSections = Object.fromEntries(Object.entries(sections).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof S]: z.ZodOptional<S[K]>;
  };
  const profileSchema = z.strictObject({ session: sessionOverrideSchema.optional(), ...optionalSections });
  return z.strictObject({
    version: z.literal(POLICY_VERSION, {
      error: `must be ${POLICY_VERSION} (the policy format this CareShell understands)`,
    }),
    profile: profileNameSchema.optional(),
    session: sessionOverrideSchema.optional(),
    profiles: z.record(profileNameSchema, profileSchema).optional(),
    ...optionalSections,
  });
}

/** The root with only the session section: what this area validates on its own. */
export const basePolicyRootSchema = buildPolicyRootSchema();
export type PolicyFile = z.infer<typeof basePolicyRootSchema>;

/** A user's own preferences (electron-store): only session keys, and machine policy always wins over them. */
export const userPreferenceSchema = z.strictObject({
  profile: profileNameSchema.optional(),
  session: sessionOverrideSchema.optional(),
});
export type UserPreference = z.infer<typeof userPreferenceSchema>;
