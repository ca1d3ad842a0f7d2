import { z } from 'zod';

/** A coded choice the requester picks (the EHR receives the code; the label is what the dialog shows). */
const codedSchema = z.strictObject({
  code: z.string().regex(/^[a-z0-9-]{1,64}$/, 'a code is lower-case letters, digits and dashes (up to 64)'),
  label: z.string().min(1).max(120),
});

export const JIT_SCOPE_KINDS = ['unit', 'patient', 'role'] as const;
export type JitScopeKind = (typeof JIT_SCOPE_KINDS)[number];

/** Minutes: 5 minutes to 24 hours, whatever a policy says (docs/temporary-access.md#for-it-policy-keys). */
const minutes = z.number().int().min(5).max(1440);

/** One value a scope offers: a unit id (FHIR Location id), a role name, or a patient ("Patient/<id>"). */
const scopeValueSchema = z.strictObject({
  value: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9\-./]{0,79}$/, 'a value is an id such as unit-ed or charge-nurse'),
  label: z.string().min(1).max(120),
});

/** What one kind of just-in-time grant offers and how it is approved. */
const scopeSchema = z.strictObject({
  kind: z.enum(JIT_SCOPE_KINDS),
  /** The unit or role ids offered (ignored for `patient`: the requester names the patient as Patient/<id>). */
  values: z.array(scopeValueSchema).max(100).default([]),
  maxMinutes: minutes.default(240),
  /** Low-risk: granted without an approver (the EHR must agree that this scope is low-risk too). */
  autoApprove: z.boolean().default(false),
  /** The requester proves it is them (step-up, identity.stepUp.actions.just-in-time) before the grant starts. */
  stepUp: z.boolean().default(false),
  /** Roles an approver of this scope must hold; the global `approverRoles` when absent. */
  approverRoles: z.array(z.string().min(1)).min(1).optional(),
});
export type JitScopePolicy = z.infer<typeof scopeSchema>;

/**
 * `justInTime` (docs/temporary-access.md#just-in-time-access): who may ask for time-boxed access to another unit,
 * a named patient or a role, for which purposes, for how long, and who approves. The EHR enforces its own limits
 * and approval rules on top (docs/access-grants-api.md).
 */
export const justInTimePolicySchema = z
  .strictObject({
    /** Roles (from the ID token) offered "Request access"; anyone else never sees the option. */
    requesterRoles: z.array(z.string().min(1)).min(1).default(['clinical']),
    /** Roles an approver must hold, unless a scope names its own. */
    approverRoles: z.array(z.string().min(1)).min(1).default(['charge-nurse', 'physician']),
    purposes: z
      .array(codedSchema)
      .min(1)
      .default([
        { code: 'covering-unit', label: 'Covering another unit' },
        { code: 'consult', label: 'Consult outside my usual patients' },
        { code: 'handover', label: 'Shift hand-over' },
      ]),
    scopes: z
      .array(scopeSchema)
      .min(1)
      .default([
        {
          kind: 'unit',
          values: [
            { value: 'unit-4w', label: '4 West - General Medicine' },
            { value: 'unit-ed', label: 'Emergency Department' },
          ],
          maxMinutes: 720,
          autoApprove: false,
          stepUp: false,
        },
        { kind: 'patient', values: [], maxMinutes: 240, autoApprove: false, stepUp: true },
        {
          kind: 'role',
          values: [{ value: 'charge-nurse', label: 'Charge nurse' }],
          maxMinutes: 720,
          autoApprove: false,
          stepUp: false,
        },
      ]),
    defaultMinutes: minutes.default(60),
    maxMinutes: minutes.default(720),
  })
  .refine((p) => p.defaultMinutes <= p.maxMinutes, {
    message: 'defaultMinutes must not be above maxMinutes',
    path: ['defaultMinutes'],
  })
  .refine((p) => new Set(p.scopes.map((s) => s.kind)).size === p.scopes.length, {
    message: 'each scope kind (unit, patient, role) may appear once',
    path: ['scopes'],
  })
  .refine((p) => p.scopes.every((s) => s.kind === 'patient' || s.values.length > 0), {
    message: 'a unit or role scope must list the values it offers',
    path: ['scopes'],
  });
export type JustInTimePolicy = z.infer<typeof justInTimePolicySchema>;

export const DEFAULT_JUST_IN_TIME_POLICY: JustInTimePolicy = justInTimePolicySchema.parse({});

/** The scope of a kind, if policy offers it. */
export function scopePolicy(policy: JustInTimePolicy, kind: JitScopeKind): JitScopePolicy | undefined {
  return policy.scopes.find((s) => s.kind === kind);
}

/** The roles that may approve a scope. */
export function approverRolesOf(policy: JustInTimePolicy, kind: JitScopeKind): readonly string[] {
  return scopePolicy(policy, kind)?.approverRoles ?? policy.approverRoles;
}

/** The longest a grant of this scope may last: the scope's and the section's maximum, whichever is less. */
export function maxMinutesOf(policy: JustInTimePolicy, kind: JitScopeKind): number {
  return Math.min(scopePolicy(policy, kind)?.maxMinutes ?? policy.maxMinutes, policy.maxMinutes);
}
