import { z } from 'zod';

/**
 * One just-in-time request as the privacy officer's review lists it beside break-glass
 * (docs/temporary-access.md#for-privacy-officers): who asked, for what and why, who approved or refused (or the
 * auto-approve rule), the approvers that were turned away, and when the grant started and ended, and why.
 */
export const justInTimeReviewEntrySchema = z.object({
  requestId: z.string(),
  requester: z.object({ userId: z.string(), displayName: z.string() }),
  workstation: z.string(),
  scope: z.string(),
  scopeValue: z.string(),
  purposeCode: z.string(),
  purposeText: z.string(),
  requestedAt: z.string(),
  durationMinutes: z.number(),
  /**
   * granted: a grant started; refused: an approver said no; failed: the EHR refused; withdrawn: closed before a
   * decision (cancelled, or the session locked or ended); pending: nothing decided yet.
   */
  outcome: z.enum(['granted', 'refused', 'failed', 'withdrawn', 'pending']),
  /** Why it was withdrawn, in the workstation's words. */
  withdrawnWhy: z.string().optional(),
  approval: z.enum(['approver', 'auto']).optional(),
  /** Who approved, or who refused (their name when the record has it). */
  approver: z.string().optional(),
  refusalReason: z.string().optional(),
  /** Badges refused as approvers (by name, else user id): the requester's own, or a role policy does not allow. */
  rejectedApprovers: z.array(z.object({ approver: z.string(), why: z.string() })),
  grantId: z.string().optional(),
  startedAt: z.string().optional(),
  expiresAt: z.string().optional(),
  endedAt: z.string().optional(),
  endedBy: z.string().optional(),
});
export type JustInTimeReviewEntry = z.infer<typeof justInTimeReviewEntrySchema>;
