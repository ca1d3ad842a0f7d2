import { z } from 'zod';

/** High-risk actions that need a fresh proof of identity (DESIGN.md §3 tier 3, §4). */
export const STEP_UP_ACTIONS = ['break-glass', 'export', 'policy-change'] as const;
export type StepUpAction = (typeof STEP_UP_ACTIONS)[number];

export const stepUpMethodSchema = z.enum(['idp', 'totp']);
export type StepUpMethod = z.infer<typeof stepUpMethodSchema>;

const actionRuleSchema = z.object({
  /** Accepted proofs, any one suffices: a fresh sign-in at the provider, or an authenticator-app code. */
  methods: z.array(stepUpMethodSchema).min(1),
  /** When set, the user must hold one of these roles (from the ID token), e.g. break-glass for clinical roles. */
  allowedRoles: z.array(z.string().min(1)).min(1).optional(),
  /** A provider sign-in counts only if the user authenticated at most this long ago. */
  maxAuthAgeMs: z.number().int().min(1_000).max(3_600_000),
});

export const stepUpPolicySchema = z.object({
  actions: z.object({
    'break-glass': actionRuleSchema,
    export: actionRuleSchema,
    'policy-change': actionRuleSchema,
  }),
});
export type StepUpPolicy = z.infer<typeof stepUpPolicySchema>;

export const DEFAULT_STEP_UP_POLICY: StepUpPolicy = {
  actions: {
    'break-glass': { methods: ['idp', 'totp'], allowedRoles: ['clinical'], maxAuthAgeMs: 5 * 60_000 },
    export: { methods: ['idp'], maxAuthAgeMs: 5 * 60_000 },
    'policy-change': { methods: ['idp'], allowedRoles: ['it-admin', 'privacy-officer'], maxAuthAgeMs: 5 * 60_000 },
  },
};
