import { z } from 'zod';
import { pinSchema, stepUpProofSchema } from '../../common/credential-schemas.js';
import { STEP_UP_ACTIONS } from '../../common/step-up-actions.js';
import { sessionSettingsSchema } from '../policy/session-settings.js';

const policyProblemSchema = z.object({ path: z.string(), message: z.string() });

/** What the OS may report: each one locks the screen at once, and suspend/resume also measure the sleep. */
export const OS_EVENTS = ['suspend', 'resume', 'lock-screen', 'display-off', 'lid-close'] as const;
export type OsEvent = (typeof OS_EVENTS)[number];

/** Canonical id (e.g. H10301:12:3456); hashed on entry and never kept. */
const canonicalBadgeId = z
  .string()
  .min(3)
  .max(128)
  .regex(/^[A-Za-z0-9-]+:[0-9A-Za-z:]+$/, 'a canonical badge id such as H10301:12:3456');

/**
 * Everything that may drive the session engine from outside (the shell from OS events and IPC, the
 * harness from tests). Validated on entry: a malformed input is refused with a message, never half-applied.
 */
export const sessionInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('badge-tap'), badgeId: canonicalBadgeId, readerId: z.string().min(1).max(128) }),
  /** A card left a walk-away (presence) reader: only that card's own session locks. */
  z.object({ type: z.literal('badge-removed'), badgeId: canonicalBadgeId, readerId: z.string().min(1).max(128) }),
  z.object({ type: z.literal('pin'), pin: pinSchema }),
  z.object({ type: z.literal('pin-cancel') }),
  /** The clinician at the PIN pad does not remember their PIN: a PIN reset (full sign-in, then a new PIN). */
  z.object({ type: z.literal('pin-forgot') }),
  /** Sign in at the identity provider without a badge (policy session.withoutBadge); readerReady from the reader manager. */
  z.object({ type: z.literal('password-sign-in'), readerReady: z.boolean() }),
  /** The lock screen's Cancel while it waits for a sign-in at the identity provider (its window is closed). */
  z.object({ type: z.literal('sign-in-cancel') }),
  /** The PIN an enrolling clinician chose; the PIN rules of the identity layer decide whether it is accepted. */
  z.object({ type: z.literal('choose-pin'), pin: pinSchema }),
  z.object({ type: z.literal('enroll-cancel') }),
  /** From the composition: the identity provider refused the silent token request of a shown session's user. */
  z.object({
    type: z.literal('tokens-refused'),
    userId: z.string().min(1),
    sessionId: z.string().min(1),
    message: z.string().min(1).max(2000),
    /** The provider refused the refresh token itself (invalid_grant): the session ends. */
    grantRefused: z.boolean().optional(),
  }),
  z.object({ type: z.literal('activity'), source: z.enum(['renderer', 'os']) }),
  z.object({ type: z.literal('os'), event: z.enum(OS_EVENTS) }),
  z.object({ type: z.literal('lock-now') }),
  z.object({
    type: z.literal('admin-revoke'),
    userId: z.string().min(1).optional(),
    reason: z.string().min(1).max(500),
  }),
  z.object({
    type: z.literal('policy-change'),
    policy: z.intersection(sessionSettingsSchema, z.object({ profile: z.string().min(1) })),
  }),
  z.object({ type: z.literal('policy-invalid'), problems: z.array(policyProblemSchema).min(1) }),
  z.object({ type: z.literal('step-up-request'), action: z.enum(STEP_UP_ACTIONS) }),
  z.object({ type: z.literal('step-up-prove'), proof: stepUpProofSchema }),
  z.object({ type: z.literal('step-up-cancel') }),
]);
export type SessionInput = z.infer<typeof sessionInputSchema>;

export class InvalidSessionInputError extends Error {
  constructor(readonly problems: string) {
    super(`Refused a session input: ${problems}. Nothing changed; fix the sender and send it again.`);
    this.name = 'InvalidSessionInputError';
  }
}

/** Parses an untrusted input; throws InvalidSessionInputError naming each bad field. */
export function parseSessionInput(raw: unknown): SessionInput {
  const parsed = sessionInputSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new InvalidSessionInputError(
    parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
  );
}
