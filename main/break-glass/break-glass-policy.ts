import { z } from 'zod';

/** A coded reason the clinician picks (the EHR receives the code; the label is what the dialog shows). */
const reasonSchema = z.strictObject({
  code: z.string().regex(/^[a-z0-9-]{1,64}$/, 'a reason code is lower-case letters, digits and dashes (up to 64)'),
  label: z.string().min(1).max(120),
});

export const BREAK_GLASS_SCOPES = ['patient', 'all-restricted'] as const;
export type BreakGlassScopeKind = (typeof BREAK_GLASS_SCOPES)[number];

/** Minutes: 15 minutes to 8 hours, whatever a policy says (docs/break-glass.md#policy). */
const minutes = z.number().int().min(15).max(480);

/**
 * `breakGlass` (docs/policy.md#breakglass): who may break the glass, with which reasons, for how long, over
 * what, and when a second clinician must co-sign. The EHR enforces its own limits on top (docs/break-glass-api.md).
 */
export const breakGlassPolicySchema = z
  .strictObject({
    /** Roles (from the ID token) offered break-glass; anyone else never sees the option. */
    allowedRoles: z.array(z.string().min(1)).min(1).default(['clinical']),
    reasons: z
      .array(reasonSchema)
      .min(1)
      .default([
        { code: 'emergency-care', label: 'Emergency care: the patient is in front of me' },
        { code: 'urgent-consult', label: 'Urgent consult requested by the treating team' },
        { code: 'patient-safety', label: 'Patient safety (medication or allergy check)' },
      ]),
    defaultMinutes: minutes.default(240),
    maxMinutes: minutes.default(480),
    /** What a grant may cover: one patient (the chart that was refused) and/or every restricted chart. */
    scopes: z.array(z.enum(BREAK_GLASS_SCOPES)).min(1).default(['patient']),
    /** Frequency rules over this workstation's journal, per clinician, in the last 30 days. */
    frequency: z
      .strictObject({
        /** From this many episodes (this one included) the clinician is warned that the use is reviewed. */
        warnAt: z.number().int().min(1).max(1000).default(3),
        /** Above this many episodes (this one included) a second clinician must co-sign with badge + PIN; 0: always. */
        cosignAbove: z.number().int().min(0).max(1000).default(5),
        /** Roles a co-signer must hold. */
        cosignRoles: z.array(z.string().min(1)).min(1).default(['clinical']),
      })
      .prefault({}),
  })
  .refine((p) => p.defaultMinutes <= p.maxMinutes, {
    message: 'defaultMinutes must not be above maxMinutes',
    path: ['defaultMinutes'],
  });
export type BreakGlassPolicy = z.infer<typeof breakGlassPolicySchema>;

export const DEFAULT_BREAK_GLASS_POLICY: BreakGlassPolicy = breakGlassPolicySchema.parse({});
