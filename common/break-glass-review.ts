import { z } from 'zod';
import { justInTimeReviewEntrySchema } from './just-in-time-review.js';
import { temporaryStaffReviewEntrySchema } from './temporary-staff-review.js';

/**
 * The privacy officer's review queue as the renderer sees it (docs/break-glass-review.md#review-queue), and
 * a decision on one episode. Shared by the contract, main and the renderer.
 */
export const REVIEW_DECISIONS = ['justified', 'not-justified', 'escalate'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const chartOpenSchema = z.object({
  patient: z.string(),
  /** What was read: the chart page or a FHIR resource. */
  what: z.string(),
  at: z.string(),
  /** False when the EHR refused it. */
  opened: z.boolean(),
});
export type ChartOpen = z.infer<typeof chartOpenSchema>;

export const reviewEpisodeSchema = z.object({
  grantId: z.string(),
  user: z.object({ userId: z.string(), displayName: z.string() }),
  workstation: z.string(),
  /** The patient of a one-patient grant, and every patient whose chart was opened under the grant. */
  patients: z.array(z.string()),
  scope: z.enum(['patient', 'all-restricted']),
  reasonCode: z.string(),
  reasonText: z.string(),
  attested: z.boolean(),
  stepUp: z.string().optional(),
  cosignedBy: z.string().optional(),
  startedAt: z.string(),
  expiresAt: z.string(),
  plannedMinutes: z.number(),
  /** How it ended ('expiry', 'end-now', ...); absent while it runs or when no end was recorded. */
  endedBy: z.string().optional(),
  endedAt: z.string().optional(),
  /** Minutes it was in force: to its end, to its expiry when no end was recorded, or so far. */
  minutesInForce: z.number(),
  active: z.boolean(),
  /** The user's break-glass episodes in the 30 days up to this one, this one included. */
  episodesIn30Days: z.number().int().nonnegative(),
  /** From the EHR's access log; `unavailable` says why it could not be read. */
  charts: z.discriminatedUnion('state', [
    z.object({ state: z.literal('read'), opens: z.array(chartOpenSchema) }),
    z.object({ state: z.literal('unavailable'), reason: z.string() }),
  ]),
  decision: z
    .object({
      decision: z.enum(REVIEW_DECISIONS),
      note: z.string(),
      reviewer: z.string(),
      at: z.string(),
    })
    .optional(),
});
export type ReviewEpisode = z.infer<typeof reviewEpisodeSchema>;

export const reviewQueueSchema = z.object({
  /** Episodes started from this time on are listed, newest first. */
  since: z.string(),
  episodes: z.array(reviewEpisodeSchema),
  /** Just-in-time requests and grants of the same window, newest first (common/just-in-time-review.ts). */
  justInTime: z.array(justInTimeReviewEntrySchema).optional(),
  /** Sponsored temporary enrollments of the window (main/review/temporary-staff-queue.ts). */
  temporaryStaff: z.array(temporaryStaffReviewEntrySchema).optional(),
});
export type ReviewQueue = z.infer<typeof reviewQueueSchema>;

export const reviewDecisionRequestSchema = z.object({
  grantId: z.string().min(1).max(200),
  decision: z.enum(REVIEW_DECISIONS),
  note: z.string().trim().min(1, 'write a note saying why').max(2_000),
});
export type ReviewDecisionRequest = z.infer<typeof reviewDecisionRequestSchema>;

/** The queue, or why this user may not see it (not a reviewer, no review source configured, source down). */
export const reviewQueueResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), queue: reviewQueueSchema }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);
export type ReviewQueueResult = z.infer<typeof reviewQueueResultSchema>;
