import { z } from 'zod';

/** How PINs are chosen and how failures are punished; set by machine policy (docs/design.md#policy). */
const pinPolicyFields = z.strictObject({
  /** The renderer contract accepts 4-12 digits; policy may demand more. */
  minLength: z.number().int().min(4).max(12),
  /** Consecutive wrong PINs that lock the PIN until a full sign-in. */
  maxAttempts: z.number().int().min(1).max(20),
  /** Wait after the first wrong PIN before the next is checked; each further wrong PIN doubles it, up to backoffMaxMs. */
  backoffBaseMs: z.number().int().min(0).max(60_000),
  backoffMaxMs: z.number().int().min(0).max(600_000),
  /** Refuse PINs such as 1111, 1234 or 9876 that are tried first. */
  rejectTrivial: z.boolean(),
});

/** The keys machine policy may set under identity.pin (maxAttempts comes from session.pin.maxAttempts). */
export const pinPolicyOverrideSchema = pinPolicyFields.omit({ maxAttempts: true }).partial();

export const pinPolicySchema = pinPolicyFields.refine((p) => p.backoffMaxMs >= p.backoffBaseMs, {
  message: 'backoffMaxMs must be at least backoffBaseMs',
  path: ['backoffMaxMs'],
});

export type PinPolicy = z.infer<typeof pinPolicySchema>;

export const DEFAULT_PIN_POLICY: PinPolicy = Object.freeze({
  minLength: 4,
  maxAttempts: 5,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
  rejectTrivial: true,
});

/** Why a proposed PIN is refused, in words for the clinician, or undefined when it is acceptable. */
export function pinProblem(pin: string, policy: PinPolicy): string | undefined {
  if (!/^\d+$/.test(pin)) return 'A PIN is digits only.';
  if (pin.length < policy.minLength || pin.length > 12) return `A PIN is ${policy.minLength} to 12 digits.`;
  if (policy.rejectTrivial && isTrivial(pin))
    return 'That PIN is too easy to guess (repeated or consecutive digits). Choose another.';
  return undefined;
}

function isTrivial(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => d - digits[i]!));
  // All the same digit (step 0), or a straight run up or down (step 1 / -1).
  return steps.size === 1 && [0, 1, -1].includes([...steps][0]!);
}
