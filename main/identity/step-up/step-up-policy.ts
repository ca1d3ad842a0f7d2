import { z } from 'zod';
import type { StepUpAction } from '../../../common/step-up-actions.js';

export { STEP_UP_ACTIONS, type StepUpAction } from '../../../common/step-up-actions.js';

export const stepUpMethodSchema = z.enum(['idp', 'totp', 'pin']);
export type StepUpMethod = z.infer<typeof stepUpMethodSchema>;

const actionRuleSchema = z.strictObject({
  /** Accepted proofs, any one suffices: a fresh sign-in at the provider, an authenticator-app code, or the user's PIN. */
  methods: z.array(stepUpMethodSchema).min(1),
  /** When set, the user must hold one of these roles (from the ID token), e.g. break-glass for clinical roles. */
  allowedRoles: z.array(z.string().min(1)).min(1).optional(),
  /** A provider sign-in counts only if the user authenticated at most this long ago. */
  maxAuthAgeMs: z.number().int().min(1_000).max(3_600_000),
});

export type StepUpActionRule = z.infer<typeof actionRuleSchema>;

export const DEFAULT_STEP_UP_RULES: Readonly<Record<StepUpAction, StepUpActionRule>> = {
  'break-glass': { methods: ['idp', 'totp'], allowedRoles: ['clinical'], maxAuthAgeMs: 5 * 60_000 },
  export: { methods: ['idp'], maxAuthAgeMs: 5 * 60_000 },
  'policy-change': { methods: ['idp'], allowedRoles: ['it-admin', 'privacy-officer'], maxAuthAgeMs: 5 * 60_000 },
  // Only a fresh provider sign-in can add a second factor: a TOTP code cannot vouch for a new TOTP secret.
  'authenticator-setup': { methods: ['idp'], maxAuthAgeMs: 5 * 60_000 },
  // Who may ask is justInTime.requesterRoles; the step-up only proves it is them (docs/temporary-access.md).
  'just-in-time': { methods: ['idp', 'totp'], maxAuthAgeMs: 5 * 60_000 },
};

/**
 * Machine policy may set any action's rule; the others keep their defaults. How a provider sign-in proves it is
 * fresh: the ID token's `auth_time` (an optional claim in Entra), or, with `authenticationContext`, Entra's own
 * step-up: a Conditional Access authentication context asked for in the sign-in and confirmed by `acrs`
 * (docs/it-guide.md#entra-id-app-registration).
 */
export const stepUpPolicySchema = z.strictObject({
  authenticationContext: z
    .string()
    .regex(/^c([1-9]|[1-9][0-9])$/, 'must be an Entra authentication context id, c1 to c99')
    .optional(),
  actions: z
    .strictObject({
      'break-glass': actionRuleSchema.optional(),
      export: actionRuleSchema.optional(),
      'policy-change': actionRuleSchema.optional(),
      'authenticator-setup': actionRuleSchema.extend({ methods: z.array(z.literal('idp')).min(1) }).optional(),
      'just-in-time': actionRuleSchema.optional(),
    })
    .transform(
      (set) =>
        ({
          ...DEFAULT_STEP_UP_RULES,
          ...Object.fromEntries(Object.entries(set).filter(([, rule]) => rule !== undefined)),
        }) as Record<StepUpAction, StepUpActionRule>,
    ),
});
export type StepUpPolicy = z.infer<typeof stepUpPolicySchema>;

export const DEFAULT_STEP_UP_POLICY: StepUpPolicy = { actions: { ...DEFAULT_STEP_UP_RULES } };
