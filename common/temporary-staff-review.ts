import { z } from 'zod';

/**
 * One sponsored temporary enrollment as the privacy officer's review lists it beside break-glass and just-in-time
 * access (docs/temporary-access.md#for-privacy-officers-1): who was let in for how long, on whose word, where, and
 * when and why it ended.
 */
export const temporaryStaffReviewEntrySchema = z.object({
  person: z.object({ userId: z.string(), displayName: z.string() }),
  sponsor: z.object({ userId: z.string(), displayName: z.string() }),
  workstation: z.string(),
  enrolledAt: z.string(),
  expiresAt: z.string(),
  /** "HH:MM-HH:MM" in the workstation's local time, when the sponsor limited the badge to a shift. */
  shift: z.string().optional(),
  /** When the enrollment was erased at its end, and why (the temporary access service's words). */
  endedAt: z.string().optional(),
  endedWhy: z.string().optional(),
});
export type TemporaryStaffReviewEntry = z.infer<typeof temporaryStaffReviewEntrySchema>;
