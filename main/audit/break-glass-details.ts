import { z } from 'zod';
import { REVIEW_DECISIONS } from '../../common/break-glass-review.js';
import type { AuditEvent } from './audit-event.js';

/**
 * The details of the break-glass audit events, as their producer writes them (docs/break-glass-review.md).
 * The alert mail and the review queue read them through these schemas, so an event of another shape is
 * named as such instead of giving a mail or a queue row with holes in it.
 */
const patientReference = z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/);
const instant = z.iso.datetime({ offset: true });

export const breakGlassStartSchema = z.object({
  grantId: z.string().min(1),
  ehr: z.string().min(1),
  scope: z.enum(['patient', 'all-restricted']),
  patient: patientReference.optional(),
  reasonCode: z.string().min(1),
  reasonText: z.string(),
  attested: z.boolean(),
  stepUp: z.string().optional(),
  durationMin: z.number().positive(),
  expiresAt: instant,
  episodesIn30Days: z.number().int().nonnegative().optional(),
  cosignedBy: z.string().optional(),
});
export type BreakGlassStart = z.infer<typeof breakGlassStartSchema>;

export const breakGlassStopSchema = z.object({
  grantId: z.string().min(1),
  endedBy: z.string().min(1),
  startedAt: instant.optional(),
  endedAt: instant,
});
export type BreakGlassStop = z.infer<typeof breakGlassStopSchema>;

export const breakGlassReviewSchema = z.object({
  grantId: z.string().min(1),
  decision: z.enum(REVIEW_DECISIONS),
  note: z.string(),
  subjectUserId: z.string().min(1),
});
export type BreakGlassReview = z.infer<typeof breakGlassReviewSchema>;

/** A granted break-glass start (a refused one is audited with outcome failure and alerts nobody). */
export function isGrantedBreakGlass(event: AuditEvent): boolean {
  return event.type === 'breakglass.start' && event.outcome === 'success';
}

/** The details of a granted break-glass start, or why they cannot be read. */
export function readBreakGlassStart(
  event: AuditEvent,
): { ok: true; start: BreakGlassStart } | { ok: false; problem: string } {
  const parsed = breakGlassStartSchema.safeParse(event.details ?? {});
  if (parsed.success) return { ok: true, start: parsed.data };
  return {
    ok: false,
    problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'details'}: ${issue.message}`).join('; '),
  };
}
